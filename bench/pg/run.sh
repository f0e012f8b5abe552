#!/bin/sh
# bench/pg/run.sh — indexing into PostgreSQL against indexing into SQLite on
# the same files, in one run (target: PostgreSQL within 25% of SQLite).
#   bench/pg/run.sh [RFX] [RUNS]      (default build/rfx, 3 runs)
# Two sets: real filings (parse + store, --jobs 2) and saved registers
# (store only: tests/corpus/gen_registers.py, 30 companies x 8 years, -j 1).
# Each run starts from an empty database; the runs of the two backends
# alternate and the median wall time is reported. The PostgreSQL server is a
# throwaway local cluster (tests/lib/pgcluster.sh) with fsync=on and
# synchronous_commit=off — durable against a crash of the server, like
# SQLite's WAL with synchronous=NORMAL — reached over loopback TCP.
set -e
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
RFX=${1:-$ROOT/build/rfx}
RUNS=${2:-3}
SHARED=${RFX_SHARED:-$ROOT/../shared}
F="$SHARED/data/filings"
[ -x "$RFX" ] || { echo "no rfx at $RFX (make first)" >&2; exit 2; }
[ -d "$F" ] || { echo "no $F: the real-filings set needs ../shared" >&2; exit 2; }
. "$ROOT/tests/lib/pgcluster.sh"
pgc_available || { echo "$PGC_WHY" >&2; exit 2; }
T=$(mktemp -d)
PGC_ON_EXIT='rm -rf "$T"'
PGC_FSYNC=on PGC_OPTS="-c synchronous_commit=off" pgc_start || { echo "$PGC_WHY" >&2; exit 2; }
python3 "$ROOT/tests/corpus/gen_registers.py" "$T/gen" 30 8 >/dev/null
REAL="$F/edgar_crawler_expected $F/AAPL $F/AMZN $F/HD $F/IBM $F/META $F/WMT"
now() { date +%s.%N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
fresh_pg() { pgc_psql -d postgres -c "DROP DATABASE IF EXISTS bench" -c "CREATE DATABASE bench OWNER rfx_test" >/dev/null; }
PGURI=$(echo "$PGC_URI" | sed 's|/rfx_test$|/bench|')
# bench SET JOBS PATHS...: appends "sqlite SECONDS" / "pg SECONDS" lines to $T/SET
bench() {
    set_=$1; jobs=$2; shift 2
    i=0
    while [ $i -lt "$RUNS" ]; do
        rm -f "$T/b.db" "$T/b.db-wal" "$T/b.db-shm"; fresh_pg
        t0=$(now); "$RFX" index --db "$T/b.db" -q -j "$jobs" "$@" 2>"$T/log.s"; t1=$(now)
        echo "sqlite $(echo "$t1 - $t0" | bc)" >>"$T/$set_"
        t0=$(now); "$RFX" index --db "$PGURI" -q -j "$jobs" "$@" 2>"$T/log.p"; t1=$(now)
        echo "pg $(echo "$t1 - $t0" | bc)" >>"$T/$set_"
        i=$((i + 1))
    done
    counts=$(tail -n 1 "$T/log.p")
    s=$(grep '^sqlite' "$T/$set_" | cut -d' ' -f2 | median)
    p=$(grep '^pg' "$T/$set_" | cut -d' ' -f2 | median)
    n=$(echo "$counts" | sed -n 's/.*: \([0-9]*\) added.*/\1/p')
    printf '| %s | %s | %.2f s | %.2f s | %+.0f%% |\n' "$set_" "$n filings" "$s" "$p" "$(echo "($p / $s - 1) * 100" | bc -l)"
}
echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), PostgreSQL $("$PGC_BIN/postgres" --version | awk '{print $3}'), SQLite $(sqlite3 --version 2>/dev/null | cut -d' ' -f1); median of $RUNS runs"
echo
echo "| set | stored | SQLite | PostgreSQL | PostgreSQL vs SQLite |"
echo "|---|---|---|---|---|"
# shellcheck disable=SC2086
bench "real filings, parse + store, -j 2" 2 $REAL
bench "saved registers, store only, -j 1" 1 "$T/gen"
