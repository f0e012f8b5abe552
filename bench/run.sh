#!/bin/sh
# run.sh — `make bench`: throughput and peak memory of rfx over the shared
# filings, against the usual Python extractor, in one run on one machine.
#   bench/run.sh [BUILD/rfx]       env: RUNS (3), BASELINE_RUNS (3), FILINGS
# Measures, each as the median of RUNS runs (hyperfine):
#   a) `rfx parse FILE`, one process per file, sequentially: all files, and
#      the HTML files alone (the per-core HTML target is 20 MB/s);
#   b) batch mode, `rfx parse --jobs 1|2 DIR` (JSON Lines);
#   c) `rfx diff OLD NEW` over the consecutive 10-K pairs (skipped if diff fails);
#   d) bench/baseline_item1a.py (BeautifulSoup + lxml + regex) over the same
#      HTML files, in one Python process, and rfx --jobs 1 over that same list.
# Peak RSS is the largest of any single rfx process (GNU time %M).
# Writes bench/RESULTS.md (with the machine) and prints it.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RFX=${1:-$ROOT/build/rfx}
case $RFX in /*) ;; *) RFX=$(pwd)/$RFX ;; esac
FILINGS=${FILINGS:-${RFX_SHARED:-$ROOT/../shared}/data/filings}
RUNS=${RUNS:-3}
BRUNS=${BASELINE_RUNS:-3}
PY=${PYTHON:-/usr/bin/python3}
OUT=${RESULTS:-$ROOT/bench/RESULTS.md}
[ -x "$RFX" ] || { echo "bench: $RFX not built (make)"; exit 2; }
[ -d "$FILINGS" ] || { echo "bench: no filings at $FILINGS; skipping"; exit 0; }
command -v hyperfine >/dev/null || { echo "bench: hyperfine missing (make deps)"; exit 2; }
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT

# The file list is what batch mode walks (same sidecar filter), so (a) and
# (b) see the same bytes.
"$RFX" parse --jobs 2 --no-classify -q "$FILINGS" 2>/dev/null |
    "$PY" -c 'import json,sys
for l in sys.stdin: print(json.loads(l)["source"]["path"])' >"$W/all.txt"
grep -E '\.html?$' "$W/all.txt" >"$W/html.txt"
bytes_of() { tr '\n' '\0' <"$1" | xargs -0 cat | wc -c; }
NALL=$(wc -l <"$W/all.txt"); BALL=$(bytes_of "$W/all.txt")
NHTML=$(wc -l <"$W/html.txt"); BHTML=$(bytes_of "$W/html.txt")

# median wall seconds of a command (hyperfine; failures of single files are
# part of the workload, so exit codes are ignored)
median() { # median NAME RUNS COMMAND
    hyperfine -N -i --style none --runs "$2" --export-json "$W/$1.json" "$3" >/dev/null 2>&1 ||
        hyperfine -i --style none --runs "$2" --export-json "$W/$1.json" "$3" >/dev/null 2>&1
    "$PY" -c 'import json,sys; print("%.3f" % json.load(open(sys.argv[1]))["results"][0]["median"])' "$W/$1.json"
}
# mean CPU seconds (user + system) of the same runs: what "per core" means
# when the machine is shared
cpu() { "$PY" -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("%.3f" % (r["user"] + r["system"]))' "$W/$1.json"; }
peak_rss_each() { # largest RSS (KB) of rfx parse over a file list
    max=0
    while IFS= read -r f; do
        /usr/bin/time -f %M -o "$W/t" "$RFX" parse "$f" >/dev/null 2>&1
        k=$(tail -1 "$W/t"); [ "$k" -gt "$max" ] 2>/dev/null && max=$k
    done <"$1"
    echo "$max"
}
rss_of() { /usr/bin/time -f %M -o "$W/t" "$@" >/dev/null 2>&1; tail -1 "$W/t"; }
rate() { "$PY" -c "import sys; b,n,s=float(sys.argv[1]),float(sys.argv[2]),float(sys.argv[3]); print('%.1f MB/s, %.1f files/s' % (b/1e6/s, n/s))" "$@"; }
mbs() { "$PY" -c 'import json,sys; r=json.load(open(sys.argv[2]))["results"][0]; print("%.1f" % (float(sys.argv[1]) / 1e6 / (r["user"] + r["system"])))' "$1" "$W/$2.json"; }
ratio() { "$PY" -c "import sys; print('%.1f' % (float(sys.argv[1]) / float(sys.argv[2])))" "$@"; }

cat >"$W/each.sh" <<EOS
#!/bin/sh
while IFS= read -r f; do "$RFX" parse "\$f" >/dev/null 2>&1; done <"\$1"
EOS
chmod +x "$W/each.sh"

echo "bench: $NALL files ($BALL bytes), $NHTML HTML ($BHTML bytes); $RUNS runs each" >&2
echo "  a) one process per file" >&2
T_EACH=$(median each "$RUNS" "$W/each.sh $W/all.txt")
T_EACH_HTML=$(median each_html "$RUNS" "$W/each.sh $W/html.txt")
RSS_EACH=$(peak_rss_each "$W/all.txt")
echo "  b) batch" >&2
T_J1=$(median j1 "$RUNS" "$RFX parse -q --jobs 1 -o /dev/null $FILINGS")
T_J2=$(median j2 "$RUNS" "$RFX parse -q --jobs 2 -o /dev/null $FILINGS")
RSS_J1=$(rss_of "$RFX" parse -q --jobs 1 -o /dev/null "$FILINGS")
RSS_J2=$(rss_of "$RFX" parse -q --jobs 2 -o /dev/null "$FILINGS")
T_J1_HTML=$(median j1_html "$RUNS" "sh -c '$RFX parse -q --jobs 1 -o /dev/null \$(cat $W/html.txt)'")
T_J1_FAST=$(median j1_fast "$RUNS" "sh -c '$RFX parse -q --jobs 1 --fast -o /dev/null \$(cat $W/html.txt)'")

echo "  c) diff" >&2
: >"$W/pairs.txt"
for d in "$FILINGS"/*/; do
    ls "$d" | grep -E '_10-K_FY[0-9]{4}\.html?$' | sort >"$W/fy" || continue
    prev=""; prevy=""
    while IFS= read -r f; do
        y=$(printf '%s' "$f" | sed -E 's/.*_FY([0-9]{4}).*/\1/')
        [ -n "$prev" ] && [ $((y - prevy)) -eq 1 ] && echo "$d$prev $d$f" >>"$W/pairs.txt"
        prev=$f; prevy=$y
    done <"$W/fy"
done
NPAIRS=$(wc -l <"$W/pairs.txt")
DIFF_OK=0
if [ "$NPAIRS" -gt 0 ] && "$RFX" diff $(head -1 "$W/pairs.txt") >/dev/null 2>&1; then DIFF_OK=1; fi
if [ "$DIFF_OK" = 1 ]; then
    cat >"$W/diffs.sh" <<EOS
#!/bin/sh
while read -r a b; do "$RFX" diff "\$a" "\$b" >/dev/null 2>&1; done <"\$1"
EOS
    chmod +x "$W/diffs.sh"
    T_DIFF=$(median diff "$RUNS" "$W/diffs.sh $W/pairs.txt")
    BPAIRS=$(tr ' ' '\n' <"$W/pairs.txt" | tr '\n' '\0' | xargs -0 cat | wc -c)
    RSS_DIFF=0
    while read -r a b; do
        k=$(rss_of "$RFX" diff "$a" "$b"); [ "$k" -gt "$RSS_DIFF" ] && RSS_DIFF=$k
    done <"$W/pairs.txt"
fi

echo "  e) stages" >&2
STAGES=${STAGES:-$(dirname "$RFX")/bench/stages}
ST_OUT=""
if [ -x "$STAGES" ]; then
    ST_OUT=$(REPS=$RUNS "$STAGES" $(cat "$W/html.txt") 2>/dev/null)
fi

echo "  d) Python baseline" >&2
if "$PY" -c 'import bs4, lxml' 2>/dev/null; then
    T_BASE=$(median base "$BRUNS" "sh -c '$PY $ROOT/bench/baseline_item1a.py \$(cat $W/html.txt)'")
    RSS_BASE=$(rss_of sh -c "$PY $ROOT/bench/baseline_item1a.py \$(cat $W/html.txt)")
else
    T_BASE=""
fi

LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
# Hand-written notes (profiles, what changed) live below a marker in the
# results file and survive regeneration.
NOTES=""
[ -f "$OUT" ] && grep -q '^<!-- notes -->' "$OUT" && NOTES=$(sed -n '/^<!-- notes -->/,$p' "$OUT")
CPU=$(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1)
{
echo "# rfx benchmarks"
echo
echo "Generated by \`make bench\` (bench/run.sh) on $(date -u '+%Y-%m-%d %H:%M UTC')."
echo "Machine: $CPU, $(nproc) CPUs online, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo) RAM;"
echo "$(${CC:-gcc} --version | head -1); rfx $("$RFX" version | cut -d' ' -f2) built with -O2; Python $("$PY" -c 'import sys,bs4,lxml.etree as e; print(sys.version.split()[0], "bs4", bs4.__version__, "lxml", ".".join(map(str, e.LXML_VERSION)))' 2>/dev/null)."
echo "Input: \`../shared/data/filings\`, $NALL files, $(awk "BEGIN{printf \"%.1f\", $BALL/1e6}") MB (sidecars skipped as batch mode does), of which $NHTML HTML files, $(awk "BEGIN{printf \"%.1f\", $BHTML/1e6}") MB."
echo "Each time is the median of $RUNS runs (baseline: $BRUNS) of the whole set, wall clock; CPU s is the mean user + system time of those runs."
echo "Load average when the run ended: $LOAD0 (the machine is shared: wall-clock figures include waiting for a CPU, CPU-time figures do not)."
echo
echo "| what | median wall s | throughput (wall) | CPU s | MB/s per CPU-second | peak RSS |"
echo "|---|---:|---|---:|---:|---:|"
echo "| a) \`rfx parse FILE\`, one process per file, all files | $T_EACH | $(rate "$BALL" "$NALL" "$T_EACH") | $(cpu each) | $(mbs "$BALL" each) | $((RSS_EACH / 1024)) MiB (largest file) |"
echo "| a) same, HTML files only | $T_EACH_HTML | $(rate "$BHTML" "$NHTML" "$T_EACH_HTML") | $(cpu each_html) | $(mbs "$BHTML" each_html) | |"
echo "| b) \`rfx parse --jobs 1 DIR\` (batch, JSON Lines) | $T_J1 | $(rate "$BALL" "$NALL" "$T_J1") | $(cpu j1) | $(mbs "$BALL" j1) | $((RSS_J1 / 1024)) MiB |"
echo "| b) \`rfx parse --jobs 2 DIR\` | $T_J2 | $(rate "$BALL" "$NALL" "$T_J2") | $(cpu j2) | $(mbs "$BALL" j2) | $((RSS_J2 / 1024)) MiB |"
echo "| b) \`rfx parse --jobs 1\` over the HTML files | $T_J1_HTML | $(rate "$BHTML" "$NHTML" "$T_J1_HTML") | $(cpu j1_html) | $(mbs "$BHTML" j1_html) | |"
echo "| b) same with \`--fast\` (prefix parse) | $T_J1_FAST | $(rate "$BHTML" "$NHTML" "$T_J1_FAST") | $(cpu j1_fast) | $(mbs "$BHTML" j1_fast) | |"
if [ "$DIFF_OK" = 1 ]; then
echo "| c) \`rfx diff OLD NEW\`, $NPAIRS consecutive 10-K pairs (both filings parsed) | $T_DIFF | $(rate "$BPAIRS" "$NPAIRS" "$T_DIFF" | sed 's/files/pairs/') | $(cpu diff) | $(mbs "$BPAIRS" diff) | $((RSS_DIFF / 1024)) MiB |"
else
echo "| c) \`rfx diff\` over $NPAIRS pairs | skipped: diff failed on the first pair | | | | |"
fi
if [ -n "$T_BASE" ]; then
echo "| d) Python baseline (bs4 + lxml + regex), HTML files, one process | $T_BASE | $(rate "$BHTML" "$NHTML" "$T_BASE") | $(cpu base) | $(mbs "$BHTML" base) | $((RSS_BASE / 1024)) MiB |"
echo
echo "**Ratio rfx / baseline on the same HTML files, one core:** $(ratio "$T_BASE" "$T_J1_HTML")× by wall time, $(ratio "$(cpu base)" "$(cpu j1_html)")× by CPU time (batch \`--jobs 1\`, one process each side); with \`--fast\` $(ratio "$T_BASE" "$T_J1_FAST")× by wall time, $(ratio "$(cpu base)" "$(cpu j1_fast)")× by CPU time; $(ratio "$T_BASE" "$T_EACH_HTML")× by wall time with one rfx process per file. Target: ≥ 50×."
else
echo
echo "Baseline skipped: python3-bs4 / python3-lxml not installed for $PY."
fi
echo
echo "Speed-up of --jobs 2 over --jobs 1: $(ratio "$T_J1" "$T_J2")× on $(nproc) CPUs; of \`--fast\` over the default (batch, HTML): $(ratio "$T_J1_HTML" "$T_J1_FAST")×."
if [ -n "$ST_OUT" ]; then
echo
echo "### Stage by stage (bench/stages, CPU seconds over the $NHTML HTML files, median of $RUNS)"
echo
echo "| stage | default (whole) | --fast (prefix parse) |"
echo "|---|---:|---:|"
printf '%s\n' "$ST_OUT" | awk '
    /^mode/ { m = $2 }
    /^stage/ { v[m, $2] = $3; if (!(($2) in seen)) { seen[$2] = 1; order[++k] = $2 } }
    END { for (i = 1; i <= k; i++) printf "| %s | %s | %s |\n", order[i], v["default", order[i]], v["fast", order[i]] }'
SECTION=$(printf '%s\n' "$ST_OUT" | awk '/^mode/ { m = $2 } m == "fast" && $2 == "section" { print $3 }')
SHA=$(printf '%s\n' "$ST_OUT" | awk '/^mode/ { m = $2 } m == "fast" && $2 == "sha256" { print $3 }')
echo
echo "\"section\" is segment + extract + classify + measure + render: the work on the risk section itself, which the baseline does not do."
if [ -n "$T_BASE" ] && [ -n "$SECTION" ]; then
echo "**Bound on the ratio:** with ingest and locate free, a parse would still take the section stages and the input hash ($SECTION + $SHA CPU s), so rfx could be at most $("$PY" -c "import sys; print('%.1f' % (float(sys.argv[1]) / (float(sys.argv[2]) + float(sys.argv[3]))))" "$(cpu base)" "$SECTION" "$SHA")× the baseline's CPU time on these files."
fi
fi
if [ -n "$NOTES" ]; then echo; printf '%s\n' "$NOTES"; fi
} >"$OUT"
cat "$OUT"
