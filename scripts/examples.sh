#!/usr/bin/env bash
# Runs the Node and Python authorizer examples (examples/node, examples/python)
# against the packages that scripts/package.sh built into dist/. Builds nothing itself.
#
#   scripts/package.sh && scripts/examples.sh
#   POLICY_CHECK=/path/to/policy-check scripts/examples.sh   # Python: that binary instead
#
# Node: `npm ci` (jest, from the lockfile), then the npm tarballs from $DIST are installed
# offline (`npm install --offline --no-save`); the example uses the package's JS API, and
# POLICY_CHECK_BINARY, when set, overrides the binary in it.
# Python: a venv with requirements.txt (pytest), then the wheel from $DIST (`pip install
# --no-index --find-links $DIST`), whose policy-check the tests find on PATH; or, when
# POLICY_CHECK is set, that binary and no wheel.
# Env: DIST (default dist/), EXAMPLES_NODE_DIR (the Node project to use, default
# examples/node), EXAMPLES_VENV (default target/examples-venv), PYTHON (default python3).
# Needs node (18.14+, 20, 22 or 24+, as jest 30 does) with npm, and python3
# (3.10+, as the pinned pytest does) able to make a venv: on Debian without
# python3-venv, the script installs it when run as root. npm and PyPI packages
# come from their registries, policy-check only from $DIST.
#
# Both suites always run; the script exits non-zero if either failed, and ends
# with one line "examples: N passed, N failed" counting the tests of both.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"

section() { printf '\n==================== %s ====================\n' "$*"; }
die() { printf 'examples.sh: error: %s\n' "$*" >&2; exit 2; }

# --- what is under test -------------------------------------------------------
section "policy-check packages"
DIST="$(cd "${DIST:-$ROOT/dist}" 2>/dev/null && pwd -P)" ||
  die "no ${DIST:-$ROOT/dist} (run scripts/package.sh first)"
# shellcheck source=scripts/common.sh
source "$ROOT/scripts/common.sh"
VERSION="$(crate_version)"
TARBALLS=("$DIST/policy-check-$VERSION.tgz" "$DIST/policy-check-linux-x64-$VERSION.tgz")
for f in "${TARBALLS[@]}"; do
  [ -f "$f" ] || die "no $f (run scripts/package.sh first)"
done
echo "npm: ${TARBALLS[*]}"
if [ -n "${POLICY_CHECK:-}" ]; then
  case "$POLICY_CHECK" in
    /*) ;;
    */*) POLICY_CHECK="$PWD/$POLICY_CHECK" ;;   # relative path: from where we were started
    *) POLICY_CHECK="$(command -v -- "$POLICY_CHECK" || true)" # bare name: from PATH
       [ -n "$POLICY_CHECK" ] || die "POLICY_CHECK names no program on PATH" ;;
  esac
  [ -f "$POLICY_CHECK" ] && [ -x "$POLICY_CHECK" ] ||
    die "no executable policy-check at $POLICY_CHECK (unset POLICY_CHECK to use the wheel)"
  export POLICY_CHECK
  echo "python: POLICY_CHECK=$POLICY_CHECK"
else
  ls "$DIST"/policy_check-"$VERSION"-*.whl >/dev/null 2>&1 ||
    die "no policy_check-$VERSION-*.whl in $DIST (run scripts/package.sh first)"
  echo "python: the wheel $(cd "$DIST" && echo policy_check-"$VERSION"-*.whl)"
fi

RESULTS="$ROOT/target/examples-results"
mkdir -p "$RESULTS"
rm -f "$RESULTS/jest.json" "$RESULTS/pytest.xml"

# --- Node ---------------------------------------------------------------------
node_suite() {
  section "examples/node: toolchain"
  command -v node >/dev/null || { echo "node not found"; return 1; }
  command -v npm >/dev/null || { echo "npm not found"; return 1; }
  echo "node $(node --version), npm $(npm --version)"
  cd "${EXAMPLES_NODE_DIR:-$ROOT/examples/node}"

  section "examples/node: npm ci (jest), then the policy-check tarballs offline"
  npm ci --prefer-offline --no-audit --no-fund
  npm install --offline --no-save --no-audit --no-fund "${TARBALLS[@]}"
  echo "installed: $(npx --no-install policy-check --version) ($(node -p 'require("policy-check").binaryPath()'))"

  section "examples/node: jest"
  npx --no-install jest --ci --json --outputFile="$RESULTS/jest.json"
}

# --- Python -------------------------------------------------------------------
VENV="${EXAMPLES_VENV:-$ROOT/target/examples-venv}"
PYTHON="${PYTHON:-python3}"

# shellcheck source=scripts/venv.sh
source "$ROOT/scripts/venv.sh"

python_suite() {
  section "examples/python: toolchain"
  command -v "$PYTHON" >/dev/null || { echo "$PYTHON not found"; return 1; }
  "$PYTHON" --version

  section "examples/python: venv in $VENV"
  # Reuse the venv only if it works and has the same Python major.minor.
  local want have
  want="$("$PYTHON" -c 'import sys; print(sys.version_info[:2])')"
  have="$("$VENV/bin/python" -c 'import sys; print(sys.version_info[:2])' 2>/dev/null || true)"
  if [ "$want" != "$have" ]; then
    rm -rf "$VENV"
    make_venv || {
      echo "could not create a venv with '$PYTHON -m venv' (on Debian/Ubuntu: apt-get install python3-venv)"
      return 1
    }
  fi
  "$VENV/bin/python" --version

  section "examples/python: pip install -r requirements.txt"
  "$VENV/bin/python" -m pip install --disable-pip-version-check -q -r "$ROOT/examples/python/requirements.txt"
  if [ -z "${POLICY_CHECK:-}" ]; then
    section "examples/python: pip install --no-index --find-links $DIST policy-check"
    "$VENV/bin/python" -m pip install --disable-pip-version-check -q --no-index \
      --find-links "$DIST" --force-reinstall "policy-check==$VERSION"
    # The tests run `policy-check` from PATH: the venv's, as after `pip install policy-check`.
    export PATH="$VENV/bin:$PATH"
    echo "installed: $(command -v policy-check): $(policy-check --version)"
  fi

  section "examples/python: pytest"
  cd "$ROOT/examples/python"
  "$VENV/bin/python" -m pytest --junitxml="$RESULTS/pytest.xml"
}

# Each suite runs in a subshell (its own cwd) and stops at its first failing
# command. Not `( ... ) || rc=$?`: bash ignores `set -e` inside that.
set +e
( set -e; node_suite )
node_rc=$?
( set -e; python_suite )
python_rc=$?
set -e

# --- Summary ------------------------------------------------------------------
section "summary"
passed=0
failed=0
if [ -f "$RESULTS/jest.json" ]; then
  read -r p f < <(node -e '
    const r = require(process.argv[1]);
    console.log(r.numPassedTests, r.numFailedTests + r.numRuntimeErrorTestSuites);
  ' "$RESULTS/jest.json")
  echo "examples/node:   $p passed, $f failed (jest exit $node_rc)"
  passed=$((passed + p)); failed=$((failed + f))
else
  echo "examples/node:   did not get as far as running its tests (exit $node_rc)"
fi
if [ -f "$RESULTS/pytest.xml" ]; then
  read -r p f < <("$VENV/bin/python" -c '
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
suites = [root] if root.tag == "testsuite" else list(root)
t = sum(int(s.get("tests", 0)) for s in suites)
bad = sum(int(s.get("failures", 0)) + int(s.get("errors", 0)) for s in suites)
skip = sum(int(s.get("skipped", 0)) for s in suites)
print(t - bad - skip, bad)
' "$RESULTS/pytest.xml")
  echo "examples/python: $p passed, $f failed (pytest exit $python_rc)"
  passed=$((passed + p)); failed=$((failed + f))
else
  echo "examples/python: did not get as far as running its tests (exit $python_rc)"
fi
# A suite that failed before running its tests counts as one failure.
if [ "$node_rc" != 0 ] && [ ! -f "$RESULTS/jest.json" ]; then failed=$((failed + 1)); fi
if [ "$python_rc" != 0 ] && [ ! -f "$RESULTS/pytest.xml" ]; then failed=$((failed + 1)); fi

echo "examples: $passed passed, $failed failed"
if [ "$node_rc" != 0 ] || [ "$python_rc" != 0 ]; then
  exit 1
fi
