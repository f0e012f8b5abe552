#!/bin/sh
# run.sh — `make bench-corpus`: the corpus store measured once, in one run on
# one machine, written to bench/corpus/RESULTS.md:
#   a) index throughput (filings/s, MB/s) of `rfx index --jobs N` into a
#      fresh database against `rfx parse --jobs N` on the same directory
#      (median of RUNS, hyperfine; the baseline in the same run);
#   b) database size per filing;
#   c) search latency p50/p99, 20 typical queries top-20, no filter and with
#      a category + fiscal-year filter, on the shared corpus and on a
#      synthetic one of >= TARGET risks (bench/corpus/replicate.sh).
#   bench/corpus/run.sh [BUILD]    env: RUNS (3), JOBS (2), TARGET (1000000),
#   BIG_DB (a synthetic database made by an earlier run, to reuse as is)
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
B=${1:-build}
RFX=$ROOT/$B/rfx
SEARCH=$ROOT/$B/bench/corpus_search
FILINGS=${FILINGS:-${RFX_SHARED:-$ROOT/../shared}/data/filings}
RUNS=${RUNS:-3}
JOBS=${JOBS:-2}
TARGET=${TARGET:-1000000}
OUT=${RESULTS:-$ROOT/bench/corpus/RESULTS.md}
[ -x "$RFX" ] && [ -x "$SEARCH" ] || { echo "bench-corpus: build first (make bench-corpus)"; exit 2; }
[ -d "$FILINGS" ] || { echo "bench-corpus: no filings at $FILINGS; skipping"; exit 0; }
for t in hyperfine sqlite3 python3; do command -v $t >/dev/null || { echo "bench-corpus: $t missing (make deps)"; exit 2; }; done
W=${WORK:-$(mktemp -d)}
trap 'rm -rf "$W"' EXIT

MB=$(du -sb "$FILINGS" | cut -f1)
hyperfine -N -i --style none --runs "$RUNS" --export-json "$W/parse.json" \
    "$RFX parse --jobs $JOBS -q -o /dev/null $FILINGS" >/dev/null 2>&1
hyperfine -N -i --style none --runs "$RUNS" --prepare "rm -f $W/i.db $W/i.db-wal $W/i.db-shm" \
    --export-json "$W/index.json" "$RFX index --db $W/i.db --jobs $JOBS -q $FILINGS" >/dev/null 2>&1
NF=$(sqlite3 "$W/i.db" 'SELECT count(*) FROM filing')
NR=$(sqlite3 "$W/i.db" 'SELECT count(*) FROM risk')
sqlite3 "$W/i.db" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
DBB=$(wc -c <"$W/i.db")
med() { python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("%.2f %.2f" % (r["median"], r["user"] + r["system"]))' "$1"; }
set -- $(med "$W/parse.json"); PW=$1; PC=$2
set -- $(med "$W/index.json"); IW=$1; IC=$2
"$SEARCH" "$W/i.db" 5 >"$W/s1.txt"

t0=$(date +%s)
if [ -n "${BIG_DB:-}" ]; then
    BIG=$BIG_DB
    BUILT="reused from an earlier run"
else
    BIG=$W/big.db
    cp "$W/i.db" "$BIG"
    sh "$ROOT/bench/corpus/replicate.sh" "$BIG" "$TARGET" 2>/dev/null
    BUILT="built in $(( $(date +%s) - t0 )) s"
fi
BR=$(sqlite3 -readonly "$BIG" 'SELECT count(*) FROM risk')
BB=$(wc -c <"$BIG")
"$SEARCH" "$BIG" 3 >"$W/s2.txt"

{
    echo "# Corpus store benchmark"
    echo
    echo "Machine: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), shared with other jobs;"
    echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg). $(date -u +%Y-%m-%d). SQLite $(sqlite3 --version | cut -d' ' -f1)."
    echo
    echo "## Index throughput ($FILINGS, $(echo "$MB" | awk '{printf "%.0f", $1/1e6}') MB, --jobs $JOBS, median of $RUNS)"
    echo
    echo "| command | wall s | CPU s | filings/s (wall) | MB/s (wall) |"
    echo "|---|---|---|---|---|"
    awk -v w="$PW" -v c="$PC" -v n="$NF" -v mb="$MB" 'BEGIN{printf "| rfx parse --jobs N (baseline) | %.2f | %.2f | %.1f | %.1f |\n", w, c, n/w, mb/1e6/w}'
    awk -v w="$IW" -v c="$IC" -v n="$NF" -v mb="$MB" 'BEGIN{printf "| rfx index --jobs N, fresh db | %.2f | %.2f | %.1f | %.1f |\n", w, c, n/w, mb/1e6/w}'
    awk -v p="$PW" -v i="$IW" 'BEGIN{printf "\nindex / parse wall time: %.2f (target: within 1.15)\n", i/p}'
    echo
    echo "## Database size"
    echo
    awk -v b="$DBB" -v n="$NF" -v r="$NR" 'BEGIN{printf "%d filings, %d risks: %.1f MB, %.0f KB per filing (full register JSON kept)\n", n, r, b/1e6, b/1e3/n}'
    echo
    echo "## Search latency (rfx_store_search, top 20, one thread)"
    echo
    echo "Shared corpus ($NR risks):"
    echo '```'
    cat "$W/s1.txt"
    echo '```'
    echo "Synthetic corpus: $BR risks (copies under new CIKs and fiscal years), $(echo "$BB" | awk '{printf "%.0f", $1/1e6}') MB, $BUILT:"
    echo '```'
    cat "$W/s2.txt"
    echo '```'
} >"$OUT"
cat "$OUT"
