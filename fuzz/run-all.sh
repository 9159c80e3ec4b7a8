#!/usr/bin/env bash
# Runs every fuzz target for SECONDS (default 30) each and prints one summary
# line per target. Needs cargo-fuzz (`cargo install cargo-fuzz`); on a stable
# toolchain the sanitizer flags need RUSTC_BOOTSTRAP=1, which this sets.
# Not part of the test suite: fuzzing is measured, not gated.
set -uo pipefail
cd "$(dirname "$0")"
SECONDS_EACH="${1:-30}"
export RUSTC_BOOTSTRAP=1
for target in $(cargo fuzz list); do
    mkdir -p "corpus/$target"
    log="target/fuzz-$target.log"
    mkdir -p target
    cargo fuzz run -O "$target" "corpus/$target" -- -max_total_time="$SECONDS_EACH" -rss_limit_mb=2048 -max_len=65536 >"$log" 2>&1
    status=$?
    runs=$(grep -oE 'Done [0-9]+ runs' "$log" | grep -oE '[0-9]+' || echo "?")
    cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+' || echo "?")
    echo "$target: exit $status, $runs runs in ${SECONDS_EACH}s, coverage $cov"
done
