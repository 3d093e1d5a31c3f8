#!/usr/bin/env bash
# Times `policy-check lint` (release build) on generated authorizer outputs.
#
#   scripts/bench-lint.sh                 # 10,000 files of 3 statements each
#   COUNT=1000 STATEMENTS=50 scripts/bench-lint.sh   # fewer, bigger files
#
# Files go to $TARGET/bench-lint/N-S/ (TARGET = $CARGO_TARGET_DIR or ./target): a mix of
# clean outputs and faulty ones (malformed Condition, bad verb, placeholder, Action typo,
# shadowed Allow, duplicate keys, context object, single method ARN). Each format is run
# three times; the best wall time is printed. Numbers are notes, never test assertions.
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT=${COUNT:-10000}
STATEMENTS=${STATEMENTS:-3}
TARGET=${CARGO_TARGET_DIR:-target}
DIR="$TARGET/bench-lint/$COUNT-$STATEMENTS"

cargo build --release --quiet
BIN="$TARGET/release/policy-check"

if [ ! -f "$DIR/.done" ]; then
  rm -rf "$DIR"
  mkdir -p "$DIR"
  awk -v count="$COUNT" -v nst="$STATEMENTS" -v dir="$DIR" 'BEGIN {
    arn = "arn:aws:execute-api:us-east-1:123456789012:"
    for (i = 0; i < count; i++) {
      kind = i % 10
      api = sprintf("api%05d", i)
      f = sprintf("%s/%03d/out-%05d.json", dir, int(i / 1000), i)
      if (i % 1000 == 0) system("mkdir -p " dir "/" sprintf("%03d", int(i / 1000)))
      st = ""
      for (s = 0; s < nst; s++) {
        res = "\"" arn api "/prod/GET/things" s "\", \"" arn api "/prod/GET/things" s "/*\""
        extra = ""
        act = "execute-api:Invoke"
        eff = "Allow"
        if (kind == 1 && s == 0) extra = ", \"Condition\": null"
        if (kind == 2 && s == 0) res = "\"" arn api "/prod/ANY/things\""
        if (kind == 3 && s == 0) res = "\"" arn api "/prod/GET/things/{id}\""
        if (kind == 4 && s == 0) act = "execute-api:Invok"
        if (kind == 5 && s == nst - 1) { eff = "Deny"; res = "\"" arn api "/prod/*\"" }
        if (kind == 6 && s == 0) extra = ", \"Effect\": \"Deny\""
        st = st (s ? ",\n" : "") sprintf("    {\"Sid\": \"S%d\", \"Effect\": \"%s\", \"Action\": \"%s\", \"Resource\": [%s]%s}", s, eff, act, res, extra)
      }
      ctx = (kind == 7) ? "{\"user\": {\"id\": 1}}" : "{\"user\": \"u" i "\", \"admin\": false}"
      if (kind == 8) st = sprintf("    {\"Effect\": \"Allow\", \"Action\": \"execute-api:Invoke\", \"Resource\": \"%s%s/prod/GET/things\"}", arn, api)
      if (kind == 9)
        printf("{\"isAuthorized\": %s, \"context\": {\"user\": \"u%d\"}}\n", (i % 20 == 9) ? "true" : "false", i) > f
      else
        printf("{\n  \"principalId\": \"user-%d\",\n  \"policyDocument\": {\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n%s\n  ]},\n  \"context\": %s\n}\n", i, st, ctx) > f
      close(f)
    }
  }'
  touch "$DIR/.done"
fi

bytes=$(du -sb "$DIR" | cut -f1)
echo "inputs: $COUNT files, $STATEMENTS statements each, $bytes bytes, in $DIR"
echo "cores: $(nproc)"
for format in human json sarif github; do
  best=""
  for _ in 1 2 3; do
    start=$(date +%s.%N)
    "$BIN" lint --no-config --format "$format" "$DIR" >/dev/null 2>&1 || true
    end=$(date +%s.%N)
    t=$(echo "$end - $start" | bc)
    if [ -z "$best" ] || [ "$(echo "$t < $best" | bc)" = 1 ]; then best=$t; fi
  done
  printf '%-7s best of 3: %.3f s\n' "$format" "$best"
done
