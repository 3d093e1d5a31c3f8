#!/usr/bin/env bash
# End-to-end test of the built artefacts, the way Node and Python users get policy-check:
# from dist/ (scripts/package.sh), with no cargo on PATH.
#
#   scripts/package.sh && scripts/packaging-e2e.sh
#
#   1. npm: a fresh scratch project (examples/node copied), jest from its lockfile, then the
#      two tarballs installed offline; the node:test tests of the shim and JS API
#      (npm/policy-check/test) run against the installed package, and the jest example runs
#      through the JS API;
#   2. Python: a fresh venv, pytest from requirements.txt, then the wheel with
#      `pip install --no-index --find-links dist/`; the pytest example runs the installed
#      policy-check from PATH;
#   3. pre-commit: scripts/pre-commit-e2e.sh --python (the *-python hooks, PIP_NO_INDEX=1,
#      PIP_FIND_LINKS=dist/).
# Steps 1 and 2 run through scripts/examples.sh. jest, pytest and pre-commit come from
# their registries; policy-check only from dist/.
#
# Ends with "packaging e2e: N passed, N failed" (one per step); exit 0 when all passed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
# shellcheck source=scripts/common.sh
source "$ROOT/scripts/common.sh"
export DIST="${DIST:-$ROOT/dist}"
START=$SECONDS
PASSED=0
FAILED=0
step() { # NAME CMD...: runs CMD, counts it
  local name=$1 t=$SECONDS rc=0
  shift
  printf '\n######## packaging e2e: %s\n' "$name"
  "$@" || rc=$?
  if [ "$rc" = 0 ]; then
    PASSED=$((PASSED + 1)); printf 'PASS  %s (%ss)\n' "$name" "$((SECONDS - t))"
  else
    FAILED=$((FAILED + 1)); printf 'FAIL  %s (exit %s, %ss)\n' "$name" "$rc" "$((SECONDS - t))"
  fi
}

PATH="$(path_without_cargo)"
export PATH
if command -v cargo >/dev/null; then
  echo "packaging-e2e.sh: error: could not take cargo off PATH ($(command -v cargo))" >&2
  exit 2
fi
unset POLICY_CHECK POLICY_CHECK_BINARY   # only what the packages install is used
echo "no cargo on PATH; artefacts from $DIST"

SCRATCH="$(mktemp -d "${TMPDIR:-/tmp}/policy-check-packaging-e2e.XXXXXX")"
trap 'if [ "$FAILED" = 0 ]; then rm -rf "$SCRATCH"; else echo "kept: $SCRATCH"; fi' EXIT
mkdir -p "$SCRATCH/node"
cp "$ROOT"/examples/node/{package.json,package-lock.json,authorizer.js,authorizer.test.js} "$SCRATCH/node/"

# 1 + 2: the examples, in a fresh npm project and a fresh venv.
step "jest and pytest examples on the installed packages" \
  env EXAMPLES_NODE_DIR="$SCRATCH/node" EXAMPLES_VENV="$SCRATCH/venv" bash "$ROOT/scripts/examples.sh"

api_tests() {
  local pkg="$SCRATCH/node/node_modules/policy-check"
  [ -d "$pkg" ] || { echo "policy-check is not installed in $SCRATCH/node"; return 1; }
  (cd "$SCRATCH/node" && POLICY_CHECK_PACKAGE="$pkg" node --test "$ROOT/npm/policy-check/test/")
}
step "npm shim and JS API tests (node --test) on the installed package" api_tests

step "pre-commit *-python hooks without cargo" bash "$ROOT/scripts/pre-commit-e2e.sh" --python

printf '\n(total time %ss)\npackaging e2e: %s passed, %s failed\n' "$((SECONDS - START))" "$PASSED" "$FAILED"
[ "$FAILED" = 0 ]
