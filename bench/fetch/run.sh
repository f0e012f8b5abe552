#!/bin/sh
# run.sh — `rfx fetch` against the loopback fake EDGAR of the tests: does the
# pacer deliver the rate asked for (no more, and not much less), what does a
# download cost in CPU, and what does a rerun over a complete tree cost.
#   bench/fetch/run.sh [BUILD/rfx]      env: RUNS (3), N (60 filings), RATE (10)
# Each figure is the median of RUNS runs. Request times are the server's.
# Writes bench/fetch/RESULTS.md and prints it.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
RFX=${1:-$ROOT/build/rfx}
case $RFX in /*) ;; *) RFX=$(pwd)/$RFX ;; esac
RUNS=${RUNS:-3}; N=${N:-60}; RATE=${RATE:-10}
OUT=${RESULTS:-$ROOT/bench/fetch/RESULTS.md}
[ -x "$RFX" ] || { echo "bench: $RFX not built (make)"; exit 2; }
W=$(mktemp -d)
SP=""
trap '[ -n "$SP" ] && kill $SP 2>/dev/null; rm -rf "$W"' EXIT
python3 "$ROOT/tests/e2e/fetch/fake_edgar.py" build "$W/tree" --many "$N" >/dev/null || exit 2
python3 "$ROOT/tests/e2e/fetch/fake_edgar.py" serve "$W/tree" --port-file "$W/port" --log "$W/log" \
    --lifetime 600 --max-requests 100000 &
SP=$!
i=0; while [ ! -s "$W/port" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
B="http://127.0.0.1:$(cat "$W/port")"
export RFX_USER_AGENT="rfx bench rfx-bench@example.com"
median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
# one run: wall s, user+sys s, requests, mean rate, max in any 1 s window
one() { # one OUTDIR
    from=$(wc -l <"$W/log")
    /usr/bin/time -f "%e %U %S" -o "$W/time" "$RFX" fetch --base-url "$B" --ticker MANY --out "$1" \
        --rate "$RATE" --jobs 4 2>"$W/err" >/dev/null
    tail -n +"$((from + 1))" "$W/log" | cut -f1 | sort -n | python3 -c '
import sys
t = [float(x) for x in sys.stdin if x.strip()]
m = max([sum(1 for u in t[i:] if u - s < 1.0) for i, s in enumerate(t)] or [0])
avg = (len(t) - 1) / (t[-1] - t[0]) if len(t) > 1 and t[-1] > t[0] else 0
print(len(t), "%.2f" % avg, m)' >"$W/rate"
    read -r e u s <"$W/time"
    read -r n avg m <"$W/rate"
    echo "$e $(awk -v u="$u" -v s="$s" 'BEGIN {printf "%.2f", u + s}') $n $avg $m"
}
: >"$W/fresh"; : >"$W/rerun"
for r in $(seq "$RUNS"); do
    rm -rf "$W/out"
    one "$W/out" >>"$W/fresh"
    one "$W/out" >>"$W/rerun"
done
col() { cut -d' ' -f"$2" "$1" | median; }
bytes=$(du -sb "$W/out" | cut -f1)
{
echo "# rfx fetch: pacing and cost (bench/fetch/run.sh)"
echo
echo "Machine: $(nproc) CPUs, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1); $(uname -sr);"
echo "$("$RFX" version). Loopback fake EDGAR (tests/e2e/fetch/fake_edgar.py), $N filings"
echo "of one company + its submissions JSON, --rate $RATE --jobs 4; medians of $RUNS runs;"
echo "request times taken at the server. Tree: $bytes bytes."
echo
echo "| run | wall s | CPU s (user+sys) | requests | mean req/s | most in any 1 s |"
echo "|---|---|---|---|---|---|"
echo "| fresh download | $(col "$W/fresh" 1) | $(col "$W/fresh" 2) | $(col "$W/fresh" 3) | $(col "$W/fresh" 4) | $(col "$W/fresh" 5) |"
echo "| rerun, all complete (size + sha256 checked) | $(col "$W/rerun" 1) | $(col "$W/rerun" 2) | $(col "$W/rerun" 3) | $(col "$W/rerun" 4) | $(col "$W/rerun" 5) |"
echo
echo "A fresh run is bound by the pacer: its requests are 1.05/$RATE s apart (a 5% margin"
echo "against jitter, src/fetch/http.c). A rerun makes only the listing request (the"
echo "ticker list is cached) and reads back each file's size and sha256."
} >"$OUT"
cat "$OUT"
