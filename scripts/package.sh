#!/usr/bin/env bash
# Builds every distributable artefact into dist/ (a contract: other tests call this by name):
#
#   dist/policy_check-<version>-py3-none-<platform>.whl    the Python wheel (maturin, bin)
#   dist/policy-check-<version>.tgz                        the npm package (shim + JS API)
#   dist/policy-check-linux-x64-<version>.tgz              the npm platform package (binary)
#
#   scripts/package.sh            # then: pip install dist/*.whl, npm install -D dist/*.tgz
#   DIST=/elsewhere scripts/package.sh
#
# The binary is compiled once, by maturin (a release build, under the shared cargo lock);
# the npm platform package gets the very binary inside the wheel. maturin comes from PyPI
# into target/package-venv (pinned below). Needs cargo, python3 with venv, node and npm
# (linux-x64 only: the one npm platform package there is). Older artefacts of the
# same kind are removed from dist/ first; anything else there is left alone.
set -euo pipefail

MATURIN_VERSION=1.16.0

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
DIST="${DIST:-$ROOT/dist}"
mkdir -p "$DIST"
DIST="$(cd "$DIST" && pwd -P)"
START=$SECONDS
cd "$ROOT"

die() { printf 'package.sh: error: %s\n' "$*" >&2; exit 2; }

# --- versions: Cargo.toml is the source; the npm manifests must agree -------------------
# shellcheck source=scripts/common.sh
source "$ROOT/scripts/common.sh"
VERSION="$(crate_version)"
[ -n "$VERSION" ] || die "no [package] version in Cargo.toml"
for manifest in npm/policy-check/package.json npm/linux-x64/package.json; do
  node -e '
    const [file, want] = process.argv.slice(1);
    const m = require(file);
    const deps = Object.values(m.optionalDependencies || {});
    const bad = [m.version, ...deps].filter((v) => v !== want);
    if (bad.length) { console.error(`${file}: version ${bad[0]}, Cargo.toml says ${want}`); process.exit(1); }
  ' "$ROOT/$manifest" "$VERSION" || die "bump $manifest to $VERSION (version and optionalDependencies)"
done
echo "policy-check $VERSION -> $DIST"

# --- the wheel --------------------------------------------------------------------------
VENV="$ROOT/target/package-venv"
PYTHON="${PYTHON:-python3}"
# shellcheck source=scripts/venv.sh
source "$ROOT/scripts/venv.sh"
if [ "$("$VENV/bin/maturin" --version 2>/dev/null || true)" != "maturin $MATURIN_VERSION" ]; then
  [ -x "$VENV/bin/python" ] || make_venv || die "could not create a venv with '$PYTHON -m venv'"
  "$VENV/bin/python" -m pip install --disable-pip-version-check -q "maturin==$MATURIN_VERSION" ||
    die "pip install maturin==$MATURIN_VERSION failed"
fi
rm -f "$DIST"/policy_check-*.whl
t=$SECONDS
echo "== maturin build --release (waits for /tmp/cargo.lock)"
flock /tmp/cargo.lock "$VENV/bin/maturin" build --release --locked --out "$DIST" 2>&1 |
  grep -v '^\s*Compiling ' || true
WHEEL="$(ls "$DIST"/policy_check-"$VERSION"-*.whl 2>/dev/null | head -n 1)"
[ -n "$WHEEL" ] || die "maturin wrote no wheel for $VERSION into $DIST"
echo "wheel: $(basename "$WHEEL") ($((SECONDS - t))s)"

# --- the npm packages -------------------------------------------------------------------
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) ;;
  *) die "the npm platform package is linux-x64; this machine is $(uname -s)-$(uname -m)" ;;
esac
STAGE="$ROOT/target/npm-stage"
rm -rf "$STAGE"
mkdir -p "$STAGE"
cp -R npm/policy-check npm/linux-x64 "$STAGE/"
rm -rf "$STAGE/policy-check/test"   # tests stay in the repository (package.json "files" too)
# The binary inside the wheel, so that both ecosystems run the same bytes.
"$VENV/bin/python" - "$WHEEL" "$STAGE/linux-x64/policy-check" <<'PY'
import shutil, sys, zipfile
wheel, dest = sys.argv[1:]
with zipfile.ZipFile(wheel) as z:
    names = [n for n in z.namelist() if n.endswith(".data/scripts/policy-check")]
    if len(names) != 1:
        sys.exit(f"no single .data/scripts/policy-check in {wheel}: {names}")
    with z.open(names[0]) as src, open(dest, "wb") as out:
        shutil.copyfileobj(src, out)
PY
chmod 755 "$STAGE/linux-x64/policy-check"
"$STAGE/linux-x64/policy-check" --version >/dev/null || die "the extracted binary does not run"
rm -f "$DIST"/policy-check-[0-9]*.tgz "$DIST"/policy-check-linux-x64-*.tgz
for pkg in linux-x64 policy-check; do
  (cd "$STAGE/$pkg" && npm pack --silent --pack-destination "$DIST" >/dev/null) ||
    die "npm pack of npm/$pkg failed"
done
# npm names a scoped package's tarball scope-name-version: policy-check-linux-x64-<v>.tgz.
for f in "policy-check-$VERSION.tgz" "policy-check-linux-x64-$VERSION.tgz"; do
  [ -f "$DIST/$f" ] || die "npm pack did not write $DIST/$f"
done

echo "== dist/ ($((SECONDS - START))s)"
for f in "$WHEEL" "$DIST/policy-check-$VERSION.tgz" "$DIST/policy-check-linux-x64-$VERSION.tgz"; do
  printf '  %-60s %s\n' "$(basename "$f")" "$(du -h "$f" | cut -f1)"
done
