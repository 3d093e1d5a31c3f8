# Shared by scripts/examples.sh and scripts/pre-commit-e2e.sh (sourced, not run).
# make_venv: create the virtual environment $VENV with $PYTHON; on Debian/Ubuntu, where
# venv/ensurepip ship separately, install python3-venv (as root) and try again.
# Returns non-zero when no venv could be made; the caller says what to do.

make_venv() {
  "$PYTHON" -m venv "$VENV" && return 0
  rm -rf "$VENV"
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "'$PYTHON -m venv' failed; installing Debian's python3-venv and trying again"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y --no-install-recommends python3-venv ||
      { apt-get update && apt-get install -y --no-install-recommends python3-venv; } ||
      return 1
    "$PYTHON" -m venv "$VENV" && return 0
    rm -rf "$VENV"
  fi
  return 1
}
