#!/usr/bin/env bash
# Tollgate benchmark: parse-only vs full scan at 1 and 2 threads, plus a
# memory check. Runnable from any directory:
#
#   bench/run.sh                 # 10,000 files, seed 42, 5 repeats
#   FILES=4000 REPEAT=3 bench/run.sh
#   DIAG=1 bench/run.sh          # also the single-threaded timing splits
#
# Writes the corpora and every raw JSON line under bench/corpus/ (gitignored)
# and prints medians, ratios and peak RSS. See bench/README.md.
set -euo pipefail

FILES="${FILES:-10000}"
SMALL_FILES="${SMALL_FILES:-2000}"
SEED="${SEED:-42}"
REPEAT="${REPEAT:-5}"
DIAG="${DIAG:-0}"

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH_DIR/.." && pwd)"
CORPUS_ROOT="$BENCH_DIR/corpus"
BIG="$CORPUS_ROOT/files-$FILES"
SMALL="$CORPUS_ROOT/files-$SMALL_FILES"
RULES="$BENCH_DIR/rules"
RAW="$CORPUS_ROOT/results.jsonl"

cd "$ROOT"
echo "==> building (release)"
cargo build --release --quiet -p tollgate-bench
TARGET_DIR="$(cargo metadata --format-version 1 --no-deps | sed -nE 's/.*"target_directory":"([^"]+)".*/\1/p')"
BIN="${TARGET_DIR:-$ROOT/target}/release"
[[ -x "$BIN/bench-scan" && -x "$BIN/gen-corpus" ]] || { echo "run.sh: binaries not found in $BIN" >&2; exit 1; }

mkdir -p "$CORPUS_ROOT"
for spec in "$BIG:$FILES" "$SMALL:$SMALL_FILES"; do
    dir="${spec%:*}" n="${spec##*:}"
    rm -rf "$dir"
    "$BIN/gen-corpus" --out "$dir" --files "$n" --seed "$SEED"
done
: >"$RAW"

# field JSON KEY: a number (or null) from a one-line JSON object.
field() { sed -nE "s/.*\"$2\":(null|-?[0-9.e+]+).*/\1/p" <<<"$1"; }
# calc EXPR: floating-point arithmetic.
calc() { awk "BEGIN { printf \"%.2f\", $1 }"; }

# bench ARGS...: runs bench-scan, keeps every line, returns the median line.
bench() {
    local out
    out="$("$BIN/bench-scan" "$@")"
    printf '%s\n' "$out" >>"$RAW"
    grep '"run":"median"' <<<"$out"
}

echo "==> warming the page cache"
"$BIN/bench-scan" --corpus "$BIG" --mode parse --threads 2 >/dev/null

echo "==> calibrating: how much parallelism does this machine deliver right now?"
cal1="$(bench --mode calibrate --threads 1 --repeat 3)"
cal2="$(bench --mode calibrate --threads 2 --repeat 3)"

declare -A med
for mode in parse scan; do
    for t in 1 2; do
        echo "==> $mode, $t thread(s), $REPEAT runs over $FILES files"
        med[$mode$t]="$(bench --corpus "$BIG" --rules "$RULES" --mode "$mode" --threads "$t" --repeat "$REPEAT")"
    done
done

echo "==> memory: one scan (2 threads) per process, $SMALL_FILES vs $FILES files"
mem_scan_small="$(bench --corpus "$SMALL" --rules "$RULES" --mode scan --threads 2)"
mem_scan_big="$(bench --corpus "$BIG" --rules "$RULES" --mode scan --threads 2)"
mem_parse_small="$(bench --corpus "$SMALL" --mode parse --threads 2)"
mem_parse_big="$(bench --corpus "$BIG" --mode parse --threads 2)"

echo
echo "Medians over $REPEAT runs; $FILES files, $(field "${med[scan1]}" resources) resources, $(find "$RULES" -name "*.rhai" | wc -l | tr -d " ") rules, $(field "${med[scan1]}" evaluations) evaluations per scan"
printf '%-7s %7s %8s %8s %10s %11s %8s\n' mode threads wall_s cpu_s files/s evals/s rss_mb
for mode in parse scan; do
    for t in 1 2; do
        l="${med[$mode$t]}"
        printf '%-7s %7s %8s %8s %10s %11s %8s\n' "$mode" "$t" "$(field "$l" seconds)" "$(field "$l" cpu_s)" \
            "$(field "$l" files_per_s)" "$(field "$l" evals_per_s)" "$(field "$l" peak_rss_mb)"
    done
done

s1="$(field "${med[scan1]}" seconds)" s2="$(field "${med[scan2]}" seconds)"
p1="$(field "${med[parse1]}" seconds)" p2="$(field "${med[parse2]}" seconds)"
c1="$(field "$cal1" seconds)" c2="$(field "$cal2" seconds)"
echo
echo "scan / parse time, 2 threads:        $(calc "$s2 / $p2")x   (target <= 3; 1 thread: $(calc "$s1 / $p1")x;" \
    "CPU time: $(calc "$(field "${med[scan2]}" cpu_s) / $(field "${med[parse2]}" cpu_s)")x)"
echo "scan speed-up, 1 -> 2 threads:       $(calc "$s1 / $s2")x   (target >= 1.7; parse: $(calc "$p1 / $p2")x)"
echo "machine speed-up on pure CPU work:   $(calc "$c1 / $c2")x   (calibration; 2.00 on two idle cores)"
echo "scan CPU time, 2 threads / 1 thread: $(calc "$(field "${med[scan2]}" cpu_s) / $(field "${med[scan1]}" cpu_s)")x" \
    "(1.00 = no parallel overhead)"

echo
echo "Memory (peak RSS, one run per process, 2 threads):"
printf '%-6s %8s %11s %12s %10s\n' files parse_mb scan_mb findings findings_mb
printf '%-6s %8s %11s %12s %10s\n' "$SMALL_FILES" "$(field "$mem_parse_small" peak_rss_mb)" "$(field "$mem_scan_small" peak_rss_mb)" \
    "$(field "$mem_scan_small" findings)" "$(field "$mem_scan_small" findings_mb)"
printf '%-6s %8s %11s %12s %10s\n' "$FILES" "$(field "$mem_parse_big" peak_rss_mb)" "$(field "$mem_scan_big" peak_rss_mb)" \
    "$(field "$mem_scan_big" findings)" "$(field "$mem_scan_big" findings_mb)"
rss_growth="$(calc "$(field "$mem_scan_big" peak_rss_mb) - $(field "$mem_scan_small" peak_rss_mb)")"
findings_growth="$(calc "$(field "$mem_scan_big" findings_mb) - $(field "$mem_scan_small" findings_mb)")"
echo "scan RSS growth: $rss_growth MiB, of which findings' own heap: $findings_growth MiB" \
    "($(calc "$rss_growth / $findings_growth")x the findings; the rest is the findings Vec growing, merging and sorting)"

if [[ "$DIAG" == 1 ]]; then
    echo
    echo "==> diagnostics on $SMALL_FILES files (single-threaded)"
    echo "-- engine path vs ways of passing the resource to Rhai"
    "$BIN/bench-scan" --corpus "$SMALL" --rules "$RULES" --mode variants | tee -a "$RAW"
    echo "-- each rule alone (with a pass() baseline), most expensive first"
    "$BIN/bench-scan" --corpus "$SMALL" --rules "$RULES" --mode rules | tee -a "$RAW"
fi
echo
echo "raw results: $RAW"
