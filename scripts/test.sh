#!/usr/bin/env bash
# Every test of the project, as CI runs it (README: "Test"). `cargo test` runs last, so its
# summary lines close the output.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== cargo fmt --check"
cargo fmt --check
echo "== cargo clippy --all-targets -- -D warnings"
cargo clippy --all-targets -- -D warnings
echo "== cargo doc (warnings are errors)"
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --quiet
echo "== cargo package (the published crate builds on its own)"
cargo package --locked --allow-dirty --quiet 2>&1 | { grep -v 'is not included in the published package' || true; }
echo "== the library without default features (what a Rust authorizer's tests compile)"
cargo build --lib --no-default-features --quiet
heavy=$(cargo tree -e normal --no-default-features --prefix none --format '{p}' \
  | grep -E '^(clap|jsonschema|toml|glob|strsim|saphyr-parser|regex|ipnet) ' || true)
if [ -n "$heavy" ]; then
  echo "the lean library pulls in: $heavy" >&2
  exit 1
fi
echo "== cargo build"
cargo build --quiet
echo "== policy-check test policies/ (the examples meet their fixtures)"
target/debug/policy-check test policies/ >/dev/null
echo "== policy-check test examples/api/ (the seed guide's answers and caching, from API definitions)"
target/debug/policy-check test examples/api/ >/dev/null
echo "== scripts/package.sh (the wheel and the npm tarballs in dist/)"
bash scripts/package.sh
echo "== packaging end to end: jest, pytest and pre-commit on the installed artefacts, no cargo"
bash scripts/packaging-e2e.sh
echo "== pre-commit end to end (rust hooks)"
bash scripts/pre-commit-e2e.sh
echo "== cargo test"
cargo test
