#!/bin/sh
# run.sh [FILINGS_DIR] — the HTML parser benchmark behind rfx's choice of
# libgumbo over libxml2 (results in RESULTS.md). Parses every .htm/.html under
# FILINGS_DIR (default ../shared/data/filings) 5 times with each parser and
# prints total MB, median per-file time, throughput, peak RSS, offset checks,
# then times a few broken/hostile inputs.
set -e
HERE=$(cd "$(dirname "$0")" && pwd)
DIR=${1:-$HERE/../../../shared/data/filings}
[ -d "$DIR" ] || DIR=/work/shared/data/filings
if [ ! -d "$DIR" ]; then echo "no filings directory ($DIR): skipped"; exit 0; fi
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cc -O2 -Wall -Wextra -o "$T/bg" "$HERE/bench_gumbo.c" -lgumbo
cc -O2 -Wall -Wextra $(pkg-config --cflags libxml-2.0) -o "$T/bx" "$HERE/bench_libxml2.c" $(pkg-config --libs libxml-2.0)
find "$DIR" -name '*.htm' -o -name '*.html' | sort > "$T/files"
echo "machine: $(uname -m), $(nproc) cores, $(cc --version | head -1)"
echo "files: $(wc -l < "$T/files")"
for p in gumbo libxml2; do
    b=$T/bg; [ $p = libxml2 ] && b=$T/bx
    REPS=5 xargs "$b" < "$T/files" > "$T/$p.out" 2> "$T/$p.err"
    rss=$(grep maxrss "$T/$p.err" | awk '{m=$2>m?$2:m} END{print m}')
    med=$(awk '{print $3}' "$T/$p.out" | sort -g | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}')
    awk -v p=$p -v rss="$rss" -v med="$med" '
        { bytes += $2; tot += $3; ok += $5; chk += $6 }
        END {
            printf "%-8s total %.1f MB  median %.2f ms/file  sum-of-medians %.2f s  %.1f MB/s  peak RSS %.1f MB  text offsets ok %d/%d (%.1f%%)\n",
                p, bytes/1e6, med*1000, tot, bytes/1e6/tot, rss/1024, ok, chk, chk?100*ok/chk:0
        }' "$T/$p.out"
done
sh "$HERE/broken_cases.sh" "$T/broken"
echo "broken/hostile inputs (seconds, text nodes, offsets ok/checked):"
for f in "$T"/broken/*.html; do
    g=$(REPS=1 timeout 300 "$T/bg" "$f" 2>/dev/null | awk '{printf "%.3fs %s %s/%s", $3, $4, $5, $6}') || g="timeout/crash"
    x=$(REPS=1 timeout 300 "$T/bx" "$f" 2>/dev/null | awk '{printf "%.3fs %s %s/%s", $3, $4, $5, $6}') || x="timeout/crash"
    printf '  %-22s gumbo %-24s libxml2 %s\n' "$(basename "$f")" "$g" "$x"
done
