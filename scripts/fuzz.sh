#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 60) and fails on any crash, timeout
# (-timeout=2) or memory blow-up (-rss_limit_mb=2048). Prints executions per target.
# Targets: every [[bin]] of fuzz/Cargo.toml (`cargo fuzz list`): check, lint, fixture, config,
# request, target, apidef, facts, explain_capture and the differential matcher_diff,
# unpinned_diff and json_diff; fuzz/seed.sh seeds their corpora. .ci/run runs it with 10 s.
# Usage: scripts/fuzz.sh [SECONDS]     (works on stable through RUSTC_BOOTSTRAP=1)
set -euo pipefail
seconds="${1:-60}"
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root/fuzz"
export RUSTC_BOOTSTRAP=1
# Shared machines serialise cargo through this lock when it exists (see notes).
lock() { if command -v flock >/dev/null; then flock /tmp/cargo.lock "$@"; else "$@"; fi; }
if ! cargo fuzz --version >/dev/null 2>&1; then
    lock cargo install --locked cargo-fuzz
fi
bash "$root/fuzz/seed.sh"
targets=$(cargo fuzz list)
start=$(date +%s)
lock cargo fuzz build --sanitizer none
echo "fuzz targets built in $(($(date +%s) - start)) s"
# Run the built binaries directly: `cargo fuzz run` would hold cargo (and the lock) for
# the whole run.
bin="$root/fuzz/target/$(rustc -vV | sed -n 's/^host: //p')/release"
failed=()
for t in $targets; do
    log="$root/fuzz/target/$t.log"
    mkdir -p "$root/fuzz/corpus/$t" "$root/fuzz/artifacts/$t" "$(dirname "$log")"
    status=0
    (cd "$root/fuzz/target" && "$bin/$t" "$root/fuzz/corpus/$t" \
        -artifact_prefix="$root/fuzz/artifacts/$t/" -max_total_time="$seconds" -timeout=2 -rss_limit_mb=2048 -max_len=65536 \
        -dict="$root/fuzz/policy-check.dict" -print_final_stats=1) >"$log" 2>&1 || status=$?
    runs=$(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}' | tail -1)
    echo "$t: ${runs:-?} executions in ${seconds}s ($(( ${runs:-0} / (seconds > 0 ? seconds : 1) )) execs/s)"
    if [ "$status" -ne 0 ]; then
        echo "  FAILED (exit $status); log: $log" >&2
        grep -E 'ERROR|panicked|Test unit written' "$log" | head -5 >&2 || true
        failed+=("$t")
    fi
done
if [ "${#failed[@]}" -gt 0 ]; then
    echo "fuzzing found problems in: ${failed[*]}" >&2
    exit 1
fi
echo "fuzzing found nothing"
