#!/bin/sh
# run.sh — rfx serve under a bounded loopback load: requests/s and p50/p99
# latency for search, filing and diff, with wrk (8 connections, 2 threads),
# each the median of RUNS runs of SECS seconds. The floor in the same run is
# GET /api/ (no store access) and /app.js (an embedded file). Each endpoint
# is measured without the answer cache, then with it warm.
#   bench/serve/run.sh [BUILD/rfx]   env: RUNS (3), SECS (5), CONNS (8), CORPUS
# The corpus is the shared filings indexed once into build/bench-serve/
# (about a minute), or CORPUS=FILE. Writes bench/serve/RESULTS.md.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
RFX=${1:-$ROOT/build/rfx}
case $RFX in /*) ;; *) RFX=$(pwd)/$RFX ;; esac
FILINGS=${FILINGS:-${RFX_SHARED:-$ROOT/../shared}/data/filings}
RUNS=${RUNS:-3}; SECS=${SECS:-5}; CONNS=${CONNS:-8}
OUT=${RESULTS:-$ROOT/bench/serve/RESULTS.md}
[ -x "$RFX" ] || { echo "bench: $RFX not built (make)"; exit 2; }
command -v wrk >/dev/null || { echo "bench: wrk missing (make deps)"; exit 2; }
W=$(mktemp -d)
SPID=""
trap '[ -n "$SPID" ] && kill -TERM $SPID 2>/dev/null; rm -rf "$W"' EXIT
DB=${CORPUS:-$ROOT/build/bench-serve/corpus.db}
if [ ! -f "$DB" ]; then
    [ -d "$FILINGS" ] || { echo "bench: no filings at $FILINGS and no CORPUS; skipping"; exit 0; }
    mkdir -p "$(dirname "$DB")"
    echo "bench: indexing $FILINGS into $DB (once)"
    "$RFX" index --db "$DB" --fast -q -j 2 "$FILINGS" || true
fi

start() { # start SERVER-ARGS...: sets SPID, U
    "$RFX" serve --db "$DB" --listen 127.0.0.1:0 --rate 0 "$@" >"$W/out" 2>"$W/err" &
    SPID=$!
    PORT=""
    for i in $(seq 50); do PORT=$(sed -n 's|.*127.0.0.1:\([0-9]*\)/$|\1|p' "$W/out"); [ -n "$PORT" ] && break; sleep 0.1; done
    [ -n "$PORT" ] || { echo "bench: server did not start: $(cat "$W/err")"; exit 2; }
    U="http://127.0.0.1:$PORT"
}
stop() { kill -TERM "$SPID"; wait "$SPID" 2>/dev/null; SPID=""; }
start --cache-mb 0

# the paths: 12 searches, every filing, diffs of filings that have a predecessor
for q in cybersecurity "supply chain" tariffs pandemic "interest rates" litigation climate \
         "foreign currency" semiconductor "data privacy" inflation competition; do
    printf '/api/search?q=%s&limit=20\n' "$(printf '%s' "$q" | sed 's/ /%20/g')"
done >"$W/search.txt"
curl -s "$U/api/filings?limit=1000" | python3 -c '
import json,sys
for f in json.load(sys.stdin)["filings"]: print("/api/filings/%d" % f["filing_id"])' >"$W/filing.txt"
curl -s "$U/api/stats?by=company" | python3 -c '
import json,sys
ciks=[r["cik"] for r in json.load(sys.stdin)["rows"] if r.get("cik") and r.get("filings",0) >= 2]
print("\n".join(ciks[:20]))' >"$W/ciks.txt"
: >"$W/diff.txt"
while read -r cik; do
    curl -s "$U/api/filings?cik=$cik&limit=50" | python3 -c '
import json,sys
fl=[f for f in json.load(sys.stdin)["filings"] if f.get("form")]
fl.sort(key=lambda f:(f.get("form"),f.get("fiscal_year") or 0))
for a,b in zip(fl,fl[1:]):
    if a["form"]==b["form"]: print("/api/diff?new=%d&old=%d" % (b["filing_id"],a["filing_id"]))' >>"$W/diff.txt"
done <"$W/ciks.txt"
echo "/api/" >"$W/floor.txt"
echo "/app.js" >"$W/static.txt"

# one wrk run -> "rps p50_ms p99_ms non2xx errors"
run_wrk() {
    PATHS=$1 wrk -t2 -c"$CONNS" -d"${SECS}s" --timeout 30s --latency -s "$ROOT/bench/serve/rotate.lua" "$U" 2>&1 | python3 -c '
import re,sys
t=sys.stdin.read()
def ms(s):
    v,u=re.match(r"([\d.]+)(us|ms|s)",s).groups(); return float(v)*{"us":0.001,"ms":1,"s":1000}[u]
rps=float(re.search(r"Requests/sec:\s+([\d.]+)",t).group(1))
p50=ms(re.search(r"\n\s+50%\s+(\S+)",t).group(1)); p99=ms(re.search(r"\n\s+99%\s+(\S+)",t).group(1))
m=re.search(r"Non-2xx or 3xx responses: (\d+)",t); bad=int(m.group(1)) if m else 0
m=re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",t); err=sum(map(int,m.groups())) if m else 0
n=int(re.search(r"(\d+) requests in",t).group(1))
print(rps,p50,p99,bad,err,n)'
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
row() { # row NAME FILE
    : >"$W/r"
    for i in $(seq "$RUNS"); do run_wrk "$2" >>"$W/r"; done
    rps=$(cut -d' ' -f1 <"$W/r" | median); p50=$(cut -d' ' -f2 <"$W/r" | median); p99=$(cut -d' ' -f3 <"$W/r" | median)
    bad=$(awk '{s+=$4+$5} END {print s}' "$W/r"); n=$(awk '{s+=$6} END {print s}' "$W/r")
    printf '| %s | %s | %.0f | %.2f | %.2f | %s of %s |\n' "$1" "$(wc -l <"$2")" "$rps" "$p50" "$p99" "$bad" "$n"
}
NF=$(wc -l <"$W/filing.txt"); NR=$(curl -s "$U/api/stats?by=form" | python3 -c 'import json,sys; print(sum(r["risks"] for r in json.load(sys.stdin)["rows"]))')
{
    echo "# rfx serve under load"
    echo
    echo "$(date -u +%Y-%m-%d), $(uname -m), $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')),"
    echo "load average $(cut -d' ' -f1-3 /proc/loadavg) at the start (the machine is shared). Corpus: $NF filings, $NR risks ($(du -h "$DB" | cut -f1) SQLite)."
    echo "wrk -t2 -c$CONNS, ${SECS} s a run, median of $RUNS runs; server: defaults (a thread per connection, 4 store connections), --rate 0;"
    echo "first with --cache-mb 0 (every answer computed), then with the default 64 MiB answer cache,"
    echo "warmed by one request per URL (the database does not change during the run)."
    echo "Paths rotate through the listed number of distinct URLs. Errors = non-2xx + socket errors"
    echo "(wrk --timeout 30s, the server's request deadline)."
    echo
    echo "| endpoint | distinct URLs | requests/s | p50 ms | p99 ms | errors |"
    echo "|---|---|---|---|---|---|"
    row "floor: GET /api/ (no store)" "$W/floor.txt"
    row "floor: GET /app.js (embedded)" "$W/static.txt"
    row "search (20 hits, snippets), no cache" "$W/search.txt"
    row "filing (whole register), no cache" "$W/filing.txt"
    [ -s "$W/diff.txt" ] && row "diff (rfx diff JSON), no cache" "$W/diff.txt"
    stop
    start
    # warm the answer cache once, then measure
    cat "$W/search.txt" "$W/filing.txt" "$W/diff.txt" | sed "s|^|$U|" | xargs -n 1 curl -s -o /dev/null
    row "search, answer cache warm" "$W/search.txt"
    row "filing, answer cache warm" "$W/filing.txt"
    [ -s "$W/diff.txt" ] && row "diff, answer cache warm" "$W/diff.txt"
    stop
} >"$W/results.md"
cat "$W/results.md" | tee "$OUT"
