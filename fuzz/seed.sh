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
mapfile -t outputs < <(find "$root/policies" "$root/tests" "$root/examples" -name '*.json' ! -name '*.test.json' 2>/dev/null)
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
