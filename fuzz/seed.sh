#!/usr/bin/env bash
# Seeds each fuzz target's corpus from the repository's policies and tests (small files
# only; corpora stay out of git). Idempotent: files are named by content hash.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
seed() { # target, files…
    local dir="$here/corpus/$1"
    shift
    mkdir -p "$dir"
    for f in "$@"; do
        [ -f "$f" ] && [ "$(stat -c %s "$f")" -le 65536 ] || continue
        cp "$f" "$dir/$(sha1sum "$f" | cut -c1-16)"
    done
}
mapfile -t outputs < <(find "$root/policies" "$root/tests" "$root/examples" -name '*.json' ! -name '*.test.json' ! -path "$root/examples/api/*.json" 2>/dev/null)
mapfile -t fixtures < <(find "$root/policies" "$root/tests" "$root/examples" -name '*.test.json' 2>/dev/null)
seed lint "${outputs[@]}"
seed json_diff "${outputs[@]}"
seed fixture "${fixtures[@]}"
# check: a leading byte picks the input kind and request.
mkdir -p "$here/corpus/check"
for f in "${outputs[@]}"; do
    [ "$(stat -c %s "$f")" -le 65536 ] || continue
    for k in 0 5; do
        { printf "\\x$k"; cat "$f"; } > "$here/corpus/check/$(sha1sum "$f" | cut -c1-15)$k"
    done
done
mkdir -p "$here/corpus/config" "$here/corpus/request" "$here/corpus/matcher_diff" "$here/corpus/unpinned_diff"
printf 'fail-level = "warning"\n[rules]\nPC036 = "off"\nwildcard-spans-segments = "error"\n[ignore]\npaths = ["generated/**"]\nsids = ["Legacy*"]\n' > "$here/corpus/config/example"
while IFS= read -r arn; do
    printf '%s' "$arn" > "$here/corpus/request/$(printf '%s' "$arn" | sha1sum | cut -c1-16)"
done < <(grep -rhoE 'arn:aws[a-z-]*:execute-api:[^" ]*' "$root/policies" "$root/tests" 2>/dev/null | sort -u | head -200)
printf 'GET\n/things\naws\nus-east-1\n123456789012\nabc123\nprod' > "$here/corpus/request/method-path"
printf 'abc/*/GET/*\0abc/prod/GET/things/42' > "$here/corpus/matcher_diff/1"
printf '*a?b*\0xxaybzz' > "$here/corpus/matcher_diff/2"
printf 'Aabc123/prod/*\nDabc123/*/GET/admin\nA*/p*/GET/x' > "$here/corpus/unpinned_diff/1"
printf 'A*/*\nD*/prod/*' > "$here/corpus/unpinned_diff/2"
# explain_capture: the pasted responses of tests/explain (curl, httpie, HAR, bodies).
mapfile -t captures < <(find "$root/tests/explain" -type f 2>/dev/null)
seed explain_capture "${captures[@]}"
# lint and fixture: `NAME\0DOCUMENT` gives a file name that SARIF, JSON and JUnit must carry.
for name in 'dir/a b{c}"<x>^`|.json' 'ünï/çødé.json' '//host/x.json' $'tab\there\x7f.json'; do
    for f in "${outputs[@]:0:3}"; do
        { printf '%s\0' "$name"; cat "$f"; } > "$here/corpus/lint/n$(printf '%s' "$name$f" | sha1sum | cut -c1-15)"
    done
    for f in "${fixtures[@]:0:3}"; do
        { printf '%s\0' "$name"; cat "$f"; } > "$here/corpus/fixture/n$(printf '%s' "$name$f" | sha1sum | cut -c1-15)"
    done
done
# apidef: a leading byte picks the file name (0 `.json`, 1 `.yaml`) and, with bit 2, `--api-name Api`.
mkdir -p "$here/corpus/apidef"
for f in "$root"/examples/api/*.json "$root"/examples/api/*.yaml "$root"/examples/api/*.yml; do
    [ -f "$f" ] || continue
    case "$f" in *.json) picks="0 4" ;; *) picks="1 5" ;; esac
    for k in $picks; do
        { printf "\\x$k"; cat "$f"; } > "$here/corpus/apidef/$(sha1sum "$f" | cut -c1-15)$k"
    done
done
printf '\x01openapi: 3.0.1\npaths:\n  /things/{id}:\n    get:\n      security: [{tok: []}]\n' > "$here/corpus/apidef/small-yaml"
printf '\x00{"swagger": "2.0", "basePath": "/prod", "paths": {"/{proxy+}": {"x-amazon-apigateway-any-method": {}}}}' > "$here/corpus/apidef/small-swagger"
printf '\x01Resources:\n  Api:\n    Type: AWS::ApiGatewayV2::Api\n    Properties:\n      ProtocolType: HTTP\n      Name: !Sub "${AWS::StackName}-api"\n' > "$here/corpus/apidef/small-cfn"
# facts: every key.
mkdir -p "$here/corpus/facts"
printf '{"api_keys": [{"value": "k1", "enabled": true, "stages": ["abc123/prod"]}, {"value": "k2", "enabled": false, "stages": []}],\n "stage_variables": {"env": "prod"}, "endpoint_type": "PRIVATE", "cross_account": true, "account": "123456789012", "region": "us-east-1"}\n' > "$here/corpus/facts/every-key"
printf '{"endpoint_type": "EDGE", "cross_account": false}' > "$here/corpus/facts/edge"
printf '{}' > "$here/corpus/facts/empty"
# target: METHOD\nTARGET (invoke URLs and paths).
mkdir -p "$here/corpus/target"
i=0
for t in 'https://abc123.execute-api.us-east-1.amazonaws.com/prod/things?x=1' \
    'https://ABC.execute-api.cn-north-1.amazonaws.com.cn/$default/a/b/' \
    'http://k3xq9w2m1a.execute-api.eu-west-1.amazonaws.com/prod' \
    'https://a.execute-api.us-gov-west-1.amazonaws.com/s/%2F/{x}#frag' '/things/42?q' '/'; do
    i=$((i + 1))
    printf 'GET\n%s' "$t" > "$here/corpus/target/$i"
done
