#!/usr/bin/env bash
# End-to-end test of .pre-commit-hooks.yaml with the real pre-commit tool.
#
#   scripts/pre-commit-e2e.sh            # the rust hooks (policy-check-test, -lint)
#   scripts/pre-commit-e2e.sh --python   # the python hooks (policy-check-test-python, ...)
#   POLICY_CHECK_REPO=/path/to/a/clone scripts/pre-commit-e2e.sh
#
# pre-commit installs hooks from a git repository at a commit, so what is tested is
# POLICY_CHECK_REPO (default: the repository this script is in) at `git rev-parse HEAD`:
# .pre-commit-hooks.yaml must be committed there, and uncommitted changes are not tested.
#
# The script:
#   1. makes a venv in target/pre-commit-venv and pip installs pre-commit (pinned below);
#      PRE_COMMIT_HOME is target/pre-commit-home, so pre-commit's cache stays in target/;
#   2. makes a scratch git repository in a temporary folder whose .pre-commit-config.yaml
#      uses `repo: <POLICY_CHECK_REPO>`, `rev: <its HEAD>`, with the example outputs and
#      fixtures allow, explicit-deny and rest-response copied from policies/ into
#      authorizers/. pre-commit builds the hooks with `cargo install` (a release build: a
#      minute or two the first time, cached after that);
#   3. checks that the policy-check-test hook passes on good fixtures, fails with the
#      fixture diagnostics on a wrong fixture (`pre-commit run --all-files`, and a real
#      `git commit` through `pre-commit install`), and re-runs the fixtures when only an
#      authorizer output is staged. The policy-check-lint hook is configured as well when
#      the built binary has a `lint` subcommand, and skipped with a notice when it has not.
#
# With --python, the `*-python` hooks are tested instead, the way a machine without Rust
# uses them: pip may only install from the wheel directory (PIP_FIND_LINKS=$WHEEL_DIR,
# default dist/, as scripts/package.sh writes it; PIP_NO_INDEX=1), cargo is taken off PATH,
# and PRE_COMMIT_HOME is a fresh folder, so the hook environment is installed every run.
#
# Needs git, cargo (Rust 1.95+; not with --python), Python 3.11+ with venv (on Debian without python3-venv,
# the script installs it when run as root), and access to PyPI and crates.io.
# Env: POLICY_CHECK_REPO (see above), PYTHON (default python3), KEEP_SCRATCH=1 keeps the
# scratch repository (it is kept anyway when a check failed).
#
# Ends with one line "pre-commit e2e: N passed, N failed" (", N skipped" when the lint
# hook was skipped). Exit 0 when every check passed, 1 when one failed, 2 when the test
# could not run (no git repository, no venv...).
set -euo pipefail

PRE_COMMIT_VERSION=4.7.0   # pre-commit 4.x needs Python 3.11+

FLAVOUR=rust
case "${1:-}" in
  --python) FLAVOUR=python ;;
  "") ;;
  *) echo "usage: $0 [--python]" >&2; exit 2 ;;
esac
SUFFIX=""
[ "$FLAVOUR" = rust ] || SUFFIX="-$FLAVOUR"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
START=$SECONDS

PASSED=0
FAILED=0
SKIPPED=0

section() { printf '\n==================== %s ====================\n' "$*"; }
summary() {
  local line="pre-commit e2e ($FLAVOUR hooks): $PASSED passed, $FAILED failed"
  [ "$SKIPPED" = 0 ] || line="$line, $SKIPPED skipped"
  printf '\n(total time %ss)\n%s\n' "$((SECONDS - START))" "$line"
}
# A problem that stops the test before it can check anything: counts as one failure.
die() {
  printf 'pre-commit-e2e.sh: error: %s\n' "$*" >&2
  FAILED=$((FAILED + 1))
  summary
  exit 2
}
pass() { PASSED=$((PASSED + 1)); printf 'PASS  %s\n' "$*"; }
fail() { FAILED=$((FAILED + 1)); printf 'FAIL  %s\n' "$*"; }
skip() { SKIPPED=$((SKIPPED + 1)); printf 'SKIP  %s\n' "$*"; }
# A failed check that leaves nothing sensible to test after it.
fatal() {
  fail "$*"
  summary
  exit 1
}

# run_logged LOG CMD...: runs CMD with its output shown and saved in LOG; sets RC.
RC=0
run_logged() {
  local log=$1
  shift
  echo "\$ $*"
  set +e
  "$@" 2>&1 | tee "$log"
  RC=${PIPESTATUS[0]}
  set -e
  echo "(exit $RC)"
}
# expect_in LOG TEXT WHAT: a check that LOG contains TEXT (fixed string).
expect_in() {
  if grep -qF -- "$2" "$1"; then pass "$3"; else fail "$3 (no \"$2\" in the output)"; fi
}
# hook_status LOG NAME: pre-commit's verdict (Passed, Failed, Skipped) for the hook NAME.
hook_status() {
  { grep -F -- "$2" "$1" || true; } | { grep -Eo '(Passed|Failed|Skipped)$' || true; } | head -n 1
}
expect_status() { # LOG NAME STATUS WHAT
  local got
  got="$(hook_status "$1" "$2")"
  if [ "$got" = "$3" ]; then pass "$4"; else fail "$4 (hook \"$2\": ${got:-not in the output}, want $3)"; fi
}

# shellcheck source=scripts/common.sh
source "$ROOT/scripts/common.sh"

# Keep git and pre-commit settings of whoever runs this out of the test.
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_OBJECT_DIRECTORY GIT_ALTERNATE_OBJECT_DIRECTORIES
unset SKIP PRE_COMMIT PRE_COMMIT_ALLOW_NO_CONFIG PRE_COMMIT_COLOR
export NO_COLOR=1

# --- the hook repository under test -------------------------------------------
section "hook repository"
REPO="${POLICY_CHECK_REPO:-$ROOT}"
[ -d "$REPO" ] || die "POLICY_CHECK_REPO=$REPO is not a directory"
REPO="$(cd "$REPO" && pwd -P)"
git -C "$REPO" rev-parse --git-dir >/dev/null 2>&1 || die "$REPO is not a git repository"
REV="$(git -C "$REPO" rev-parse HEAD)" || die "$REPO has no commit"
echo "repo: $REPO"
echo "rev:  $REV ($(git -C "$REPO" log -1 --format=%s "$REV"))"
git -C "$REPO" cat-file -e "$REV:.pre-commit-hooks.yaml" 2>/dev/null ||
  die ".pre-commit-hooks.yaml is not committed at $REV; pre-commit only sees committed files (commit it, or point POLICY_CHECK_REPO at a clone where it is)"
dirty="$(git -C "$REPO" status --porcelain -- .pre-commit-hooks.yaml Cargo.toml Cargo.lock src policies 2>/dev/null || true)"
if [ -n "$dirty" ]; then
  echo "note: these uncommitted changes are NOT tested (pre-commit installs the commit $REV):"
  printf '%s\n' "$dirty" | sed 's/^/  /'
fi
if [ "$FLAVOUR" = rust ]; then
  command -v cargo >/dev/null || die "cargo not found: pre-commit's rust hooks build with the system cargo"
  echo "$(cargo --version), $(git --version)"
else
  WHEEL_DIR="$(cd "${WHEEL_DIR:-$ROOT/dist}" 2>/dev/null && pwd -P)" ||
    die "no wheel directory ${WHEEL_DIR:-$ROOT/dist} (run scripts/package.sh)"
  ls "$WHEEL_DIR"/policy_check-*.whl >/dev/null 2>&1 ||
    die "no policy_check-*.whl in $WHEEL_DIR (run scripts/package.sh)"
  echo "wheels: $(cd "$WHEEL_DIR" && echo policy_check-*.whl), $(git --version)"
fi

# --- pre-commit in a venv -----------------------------------------------------
section "pre-commit $PRE_COMMIT_VERSION in target/pre-commit-venv"
VENV="$ROOT/target/pre-commit-venv"
PYTHON="${PYTHON:-python3}"
command -v "$PYTHON" >/dev/null || die "$PYTHON not found (set PYTHON)"
"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' ||
  die "pre-commit $PRE_COMMIT_VERSION needs Python 3.11+, $PYTHON is $("$PYTHON" --version 2>&1) (set PYTHON)"

# shellcheck source=scripts/venv.sh
source "$ROOT/scripts/venv.sh"

t=$SECONDS
want="$("$PYTHON" -c 'import sys; print(sys.version_info[:2])')"
have="$("$VENV/bin/python" -c 'import sys; print(sys.version_info[:2])' 2>/dev/null || true)"
if [ "$want" != "$have" ]; then
  rm -rf "$VENV"
  make_venv || die "could not create a venv with '$PYTHON -m venv' (on Debian/Ubuntu: apt-get install python3-venv)"
fi
PC="$VENV/bin/pre-commit"
if [ "$("$PC" --version 2>/dev/null || true)" != "pre-commit $PRE_COMMIT_VERSION" ]; then
  "$VENV/bin/python" -m pip install --disable-pip-version-check -q "pre-commit==$PRE_COMMIT_VERSION" ||
    die "pip install pre-commit==$PRE_COMMIT_VERSION failed"
fi
echo "$("$PC" --version) ($((SECONDS - t))s)"

export PRE_COMMIT_HOME="$ROOT/target/pre-commit-home"

# --- scratch repository -------------------------------------------------------
section "scratch repository"
SCRATCH="$(mktemp -d "${TMPDIR:-/tmp}/policy-check-pre-commit-e2e.XXXXXX")"
cleanup() {
  if [ "${KEEP_SCRATCH:-}" = 1 ] || [ "$FAILED" != 0 ]; then
    echo "scratch repository kept: $SCRATCH/repo"
  else
    rm -rf "$SCRATCH"
  fi
}
trap cleanup EXIT
if [ "$FLAVOUR" = python ]; then
  # A machine with no Rust and no package index: only the built wheel can be installed.
  PRE_COMMIT_HOME="$SCRATCH/pre-commit-home"
  export PIP_FIND_LINKS="$WHEEL_DIR" PIP_NO_INDEX=1 PIP_DISABLE_PIP_VERSION_CHECK=1
  PATH="$(path_without_cargo)"
  export PATH
  if command -v cargo >/dev/null; then die "could not take cargo off PATH ($(command -v cargo))"; fi
  echo "no cargo on PATH; PIP_NO_INDEX=1 PIP_FIND_LINKS=$PIP_FIND_LINKS"
fi
mkdir -p "$PRE_COMMIT_HOME"
echo "PRE_COMMIT_HOME=$PRE_COMMIT_HOME"
LOGS="$SCRATCH/logs"
mkdir -p "$LOGS"
W="$SCRATCH/repo"
git init -q "$W"
cd "$W"
git config user.name "policy-check pre-commit e2e"
git config user.email "pre-commit-e2e@example.invalid"
git config commit.gpgsign false

mkdir -p authorizers config
for name in allow explicit-deny rest-response; do
  for f in "$name.json" "$name.test.json"; do
    git -C "$REPO" show "$REV:policies/$f" >"authorizers/$f" ||
      die "policies/$f is not in $REPO at $REV"
  done
done
# JSON that is not an authorizer output: the lint hook's `files` must keep it out.
printf '{ "name": "scratch", "private": true }\n' >config/settings.json
printf '# pre-commit e2e scratch repository\n' >README.md
echo "made $W:"
find . -path ./.git -prune -o -type f -print | sort | sed 's/^/  /'

hooks_yaml() { # the hooks list for $REPO@$REV; $1=1 adds policy-check-lint
  cat <<EOF
repos:
  - repo: $REPO
    rev: $REV
    hooks:
      - id: policy-check-test$SUFFIX
        args: [authorizers/]
EOF
  if [ "$1" = 1 ]; then
    cat <<EOF
      - id: policy-check-lint$SUFFIX
        files: '^authorizers/'
EOF
  fi
}

# --- build the hooks: pre-commit runs cargo install, or pip install --------------
if [ "$FLAVOUR" = rust ]; then
  section "pre-commit install-hooks (cargo install --path . of the hook repository)"
else
  section "pre-commit install-hooks (pip install . of the hook repository: the prebuilt wheel)"
fi
# A probe config outside the repository: the same hook (so the same environment) with
# its entry overridden to ask the installed binary whether it has a `lint` subcommand.
# (`policy-check lint --help` exits 0 either way: without the subcommand, `lint` is taken
# as the FILE argument and the top-level help is printed. Hence the look for its usage.)
PROBE="$SCRATCH/probe-config.yaml"
cat >"$PROBE" <<EOF
repos:
  - repo: $REPO
    rev: $REV
    hooks:
      - id: policy-check-test$SUFFIX
        name: probe for policy-check lint
        entry: policy-check lint
        args: [--help]
        pass_filenames: false
        always_run: true
        verbose: true
EOF
t=$SECONDS
run_logged "$LOGS/install.log" "$PC" install-hooks --config "$PROBE"
if [ "$RC" = 0 ]; then
  pass "pre-commit built and installed the hooks ($((SECONDS - t))s)"
else
  fatal "pre-commit install-hooks failed ($((SECONDS - t))s); see the output above and $PRE_COMMIT_HOME/pre-commit.log"
fi
if [ "$FLAVOUR" = python ]; then
  installed="$(find "$PRE_COMMIT_HOME" -path '*/py_env-*/bin/policy-check' -type f | head -n 1)"
  if [ -n "$installed" ] && "$installed" --version >/dev/null; then
    pass "the hook's virtualenv has the wheel's policy-check ($("$installed" --version))"
  else
    fail "no runnable py_env-*/bin/policy-check under $PRE_COMMIT_HOME"
  fi
fi

section "does the built policy-check have a lint subcommand?"
run_logged "$LOGS/probe.log" "$PC" run --config "$PROBE" --all-files --color never
LINT=0
if grep -q 'Usage: policy-check lint' "$LOGS/probe.log"; then
  LINT=1
  echo "yes: the policy-check-lint hook is tested too"
else
  echo "NOTICE: the policy-check built from $REV has no 'lint' subcommand yet;"
  echo "NOTICE: the policy-check-lint hook is left out of this run."
fi

hooks_yaml "$LINT" >.pre-commit-config.yaml
echo "--- .pre-commit-config.yaml"
cat .pre-commit-config.yaml
git add -A
git commit -q --no-verify -m "good authorizer outputs and fixtures"

TEST_HOOK="policy-check test (authorizer fixtures)"
LINT_HOOK="policy-check lint (authorizer outputs)"

# --- 1. good fixtures pass --------------------------------------------------------
section "1. good fixtures: pre-commit run --all-files must pass"
t=$SECONDS
run_logged "$LOGS/good.log" "$PC" run --all-files --color never --verbose
echo "($((SECONDS - t))s)"
if [ "$RC" = 0 ]; then pass "pre-commit run --all-files exits 0 on good fixtures"; else fail "pre-commit run --all-files exits $RC on good fixtures, want 0"; fi
expect_status "$LOGS/good.log" "$TEST_HOOK" Passed "the policy-check-test hook ran and passed"
if grep -Eq '^[1-9][0-9]* passed, 0 failed$' "$LOGS/good.log"; then
  pass "policy-check test ran the fixture cases ($(grep -E '^[1-9][0-9]* passed, 0 failed$' "$LOGS/good.log" | head -n 1))"
else
  fail "no 'N passed, 0 failed' line from policy-check test"
fi
if [ "$LINT" = 1 ]; then
  expect_status "$LOGS/good.log" "$LINT_HOOK" Passed "the policy-check-lint hook ran and passed on the example outputs"
else
  skip "policy-check-lint hook: no lint subcommand in the binary built from $REV"
fi

# --- 2. a wrong fixture fails -----------------------------------------------------
section "2. wrong fixture (expects allow, the policy denies): must fail"
cat >authorizers/wrong.test.json <<'EOF'
{
  "output": "explicit-deny.json",
  "defaults": { "partition": "aws", "region": "us-east-1", "account": "123456789012",
                "api_id": "abc123", "stage": "prod" },
  "cases": [
    { "name": "deliberately wrong: this policy denies everything",
      "request": "GET /things", "expect": "allow" }
  ]
}
EOF
git add authorizers/wrong.test.json
t=$SECONDS
run_logged "$LOGS/wrong.log" "$PC" run --all-files --color never
echo "($((SECONDS - t))s)"
if [ "$RC" != 0 ]; then pass "pre-commit run --all-files exits non-zero ($RC) on a wrong fixture"; else fail "pre-commit run --all-files exits 0 on a wrong fixture"; fi
expect_status "$LOGS/wrong.log" "$TEST_HOOK" Failed "pre-commit reports the policy-check-test hook as Failed"
expect_in "$LOGS/wrong.log" "FAILED" "the output has policy-check's FAILED line"
expect_in "$LOGS/wrong.log" "expected allow, got explicit deny" "the output has the diagnostic 'expected allow, got explicit deny'"
expect_in "$LOGS/wrong.log" "wrong.test.json" "the output names the failing fixture file"

section "2b. the same through a real git commit (pre-commit install)"
# Install into .git/hooks with no global or system git config, which may set
# core.hooksPath (pre-commit then refuses to install); commit with that path set.
run_logged "$LOGS/install-git-hook.log" env GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 "$PC" install
if [ "$RC" != 0 ]; then
  fail "pre-commit install exits $RC"
else
  before="$(git rev-parse HEAD)"
  run_logged "$LOGS/commit.log" env PRE_COMMIT_COLOR=never \
    git -c core.hooksPath="$W/.git/hooks" commit -m "add a wrong fixture"
  after="$(git rev-parse HEAD)"
  if [ "$RC" != 0 ] && [ "$before" = "$after" ]; then
    pass "git commit of the wrong fixture is refused by the hook (exit $RC, HEAD unchanged)"
  else
    fail "git commit of the wrong fixture: exit $RC, HEAD $before -> $after; want a refusal"
  fi
  expect_in "$LOGS/commit.log" "expected allow, got explicit deny" "the refused commit shows the fixture diagnostic"
fi
git reset -q --hard HEAD

# --- 3. a change to an output alone re-runs its fixtures --------------------------
section "3. only an authorizer output changes (Deny -> Allow): its fixture must fail"
sed -i 's/"Effect": "Deny"/"Effect": "Allow"/' authorizers/explicit-deny.json
grep -q '"Effect": "Allow"' authorizers/explicit-deny.json || die "could not edit authorizers/explicit-deny.json"
git add authorizers/explicit-deny.json
echo "staged: $(git diff --cached --name-only | tr '\n' ' ')"
t=$SECONDS
run_logged "$LOGS/output-change.log" "$PC" run --color never
echo "($((SECONDS - t))s)"
if [ "$RC" != 0 ]; then pass "pre-commit run (staged files only) exits non-zero ($RC)"; else fail "pre-commit run (staged files only) exits 0 after the output stopped denying"; fi
expect_status "$LOGS/output-change.log" "$TEST_HOOK" Failed "the policy-check-test hook ran for a staged output file and failed"
expect_in "$LOGS/output-change.log" "explicit-deny.test.json" "the output names the fixture of the changed output"
expect_in "$LOGS/output-change.log" "expected explicit-deny, got allow" "the output has the diagnostic 'expected explicit-deny, got allow'"
git reset -q --hard HEAD

summary
[ "$FAILED" = 0 ] || exit 1
