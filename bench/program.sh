#!/usr/bin/env bash
# Program-scale benchmark: `tollgate program` over a generated program of
# SYSTEMS systems with about FILES inputs each, writing the JSON, HTML and
# xlsx reports in one run, at each thread count in THREADS; then one shard
# (1/SHARDS) and the merge of all SHARDS shards. Every timed command runs
# REPEAT times under /usr/bin/time; medians are printed. Runnable from any
# directory:
#
#   bench/program.sh                          # 1,000 systems × 50 files, 3 runs each
#   SYSTEMS=200 REPEAT=1 bench/program.sh     # quicker
#   KEEP=1 bench/program.sh                   # keep the generated program afterwards
#
# The program goes to bench/corpus/program-$SYSTEMS and the reports to
# bench/corpus/program-out (both gitignored, about 450 MB together); both are
# deleted at the end unless KEEP=1. Raw lines:
# bench/corpus/program-results.txt. See bench/README.md.
set -euo pipefail

SYSTEMS="${SYSTEMS:-1000}"
FILES="${FILES:-50}"
SEED="${SEED:-42}"
REPEAT="${REPEAT:-3}"
THREADS="${THREADS:-1 2}"
SHARDS="${SHARDS:-4}"
KEEP="${KEEP:-0}"
NOW="2026-01-05T06:00:00Z"

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH_DIR/.." && pwd)"
PROGRAM="$BENCH_DIR/corpus/program-$SYSTEMS"
OUT="$BENCH_DIR/corpus/program-out"
RAW="$BENCH_DIR/corpus/program-results.txt"

cd "$ROOT"
echo "==> $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(nproc) CPUs; load: $(uptime | sed 's/.*load average: //')"
echo "==> commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo ' plus uncommitted changes')"
echo "==> building (release)"
cargo build --release --quiet -p tollgate -p tollgate-bench
TARGET_DIR="$(cargo metadata --format-version 1 --no-deps | sed -nE 's/.*"target_directory":"([^"]+)".*/\1/p')"
BIN="${TARGET_DIR:-$ROOT/target}/release"
[[ -x "$BIN/tollgate" && -x "$BIN/gen-program" ]] || { echo "program.sh: binaries not found in $BIN" >&2; exit 1; }

echo "==> generating $SYSTEMS systems × $FILES files (seed $SEED) into $PROGRAM"
gen="$("$BIN/gen-program" --out "$PROGRAM" --systems "$SYSTEMS" --files "$FILES" --seed "$SEED")"
INPUTS="$(sed -nE 's/.*"inputs":([0-9]+).*/\1/p' <<<"$gen")"
echo "    $gen; on disk: $(du -sh "$PROGRAM" | cut -f1)"
rm -rf "$OUT" && mkdir -p "$OUT"
: >"$RAW"
find "$PROGRAM" -type f -exec cat {} + >/dev/null # warm the page cache

# timed LABEL CMD...: runs CMD (exit 0 or 1: the program has a broken
# system) under /usr/bin/time; appends "LABEL wall_s peak_rss_kb cpu_s" to RAW.
timed() {
    local label="$1" status=0
    shift
    /usr/bin/time -f "%e %M %U %S" -o "$OUT/time.txt" "$@" >/dev/null 2>"$OUT/stderr.txt" || status=$?
    if ((status > 1)); then
        cat "$OUT/stderr.txt" >&2
        exit 1
    fi
    # GNU time writes "Command exited with non-zero status 1" first when it is 1.
    tail -n 1 "$OUT/time.txt" | awk -v l="$label" '{ printf "%s %s %s %.2f\n", l, $1, $2, $3 + $4 }' >>"$RAW"
}

# median LABEL FIELD: the median of column FIELD (2 wall, 3 rss, 4 cpu) of LABEL's runs.
median() {
    awk -v l="$1" -v f="$2" '$1 == l { print $f }' "$RAW" | sort -g |
        awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

reports=(--report "html=$OUT/program.html" --report "xlsx=$OUT/program.xlsx")
labels=()
for t in $THREADS; do
    echo "==> tollgate program, $t thread(s), JSON + HTML + xlsx, $REPEAT runs"
    for _ in $(seq "$REPEAT"); do
        timed "program-t$t" "$BIN/tollgate" program "$PROGRAM" -q --now "$NOW" --threads "$t" -o "$OUT/program.json" "${reports[@]}"
    done
    labels+=("program-t$t")
done

echo "==> shard 1/$SHARDS (default threads), $REPEAT runs; then shards 2..$SHARDS once"
for _ in $(seq "$REPEAT"); do
    timed "shard-1of$SHARDS" "$BIN/tollgate" program "$PROGRAM" -q --now "$NOW" --shard "1/$SHARDS" -o "$OUT/shard-1.json"
done
for i in $(seq 2 "$SHARDS"); do
    "$BIN/tollgate" program "$PROGRAM" -q --now "$NOW" --shard "$i/$SHARDS" -o "$OUT/shard-$i.json" || (($? == 1))
done
echo "==> merge of $SHARDS shards, JSON + HTML + xlsx, $REPEAT runs"
for _ in $(seq "$REPEAT"); do
    timed "merge-$SHARDS" "$BIN/tollgate" merge -q "$OUT"/shard-*.json -o "$OUT/merged.json" \
        --report "html=$OUT/merged.html" --report "xlsx=$OUT/merged.xlsx"
done
labels+=("shard-1of$SHARDS" "merge-$SHARDS")
for f in json html xlsx; do
    cmp -s "$OUT/program.$f" "$OUT/merged.$f" || { echo "program.sh: merged $f differs from the single run" >&2; exit 1; }
done

echo
echo "$SYSTEMS systems, $INPUTS input files; medians of $REPEAT runs (wall and CPU in s, peak RSS in MiB)"
printf '%-14s %8s %8s %9s %12s %9s\n' run wall_s cpu_s rss_mib ms/system files/s
for l in "${labels[@]}"; do
    wall="$(median "$l" 2)" rss="$(median "$l" 3)" cpu="$(median "$l" 4)"
    n="$SYSTEMS" files="$INPUTS"
    if [[ "$l" == shard-* ]]; then n=$(((SYSTEMS + SHARDS - 1) / SHARDS)) files=$((INPUTS / SHARDS)); fi
    if [[ "$l" == merge-* ]]; then
        printf '%-14s %8s %8s %9.1f %12s %9s\n' "$l" "$wall" "$cpu" "$(awk "BEGIN { print $rss / 1024 }")" \
            "$(awk "BEGIN { printf \"%.2f\", $wall * 1000 / $SYSTEMS }")" -
    else
        printf '%-14s %8s %8s %9.1f %12s %9s\n' "$l" "$wall" "$cpu" "$(awk "BEGIN { print $rss / 1024 }")" \
            "$(awk "BEGIN { printf \"%.1f\", $wall * 1000 / $n }")" "$(awk "BEGIN { printf \"%.0f\", $files / $wall }")"
    fi
done
echo
echo "Outputs (merged = single run, byte for byte):"
for f in program.json program.html program.xlsx shard-1.json; do
    printf '  %-13s %s\n' "$f" "$(du -h "$OUT/$f" | cut -f1)"
done
echo "POA&M items: $(grep -c '"uuid"' "$OUT/program.json"); the HTML page shows at most 500"
echo "==> done; load: $(uptime | sed 's/.*load average: //'); raw lines: $RAW"
if [[ "$KEEP" != 1 ]]; then
    rm -rf "$PROGRAM" "$OUT"
    echo "deleted $PROGRAM and $OUT (KEEP=1 keeps them)"
fi
