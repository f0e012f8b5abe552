#!/bin/sh
# run.sh — times `rfx peers` (rfx_peers_compute) over every shared filing
# with a risk section, at 1x and at a synthetic 10x corpus, in one run.
#   bench/peers/run.sh [BUILD_DIR]      env: RUNS (3), COMPANY (AMZN)
# Writes bench/peers/RESULTS.md and prints it.
set -e
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
B="$ROOT/${1:-build}"
SHARED="${RFX_SHARED:-$ROOT/../shared}/data/filings"
RUNS=${RUNS:-3}
CO=${COMPANY:-AMZN}
[ -f "$B/librfx.a" ] && [ -x "$B/rfx" ] || { echo "no $B/librfx.a or $B/rfx: run make first" >&2; exit 2; }
[ -d "$SHARED" ] || { echo "bench: no filings at $SHARED; skipping"; exit 0; }
BIN="$B/bench/bench_peers"
mkdir -p "$B/bench"
${CC:-cc} -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -O2 -I"$ROOT/include" -o "$BIN" "$ROOT/bench/peers/bench_peers.c" \
    "$B/librfx.a" $(pkg-config --libs libpcre2-8 jansson libutf8proc libcrypto) -lgumbo -lstemmer -llinear -lm -lpthread
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
"$B/rfx" parse --jobs 2 --no-classify --json "$SHARED" >"$W/regs.jsonl" 2>/dev/null || true
OUT="$ROOT/bench/peers/RESULTS.md"
{
    echo "# rfx peers: shingle index and whole comparison ($(date -u +%Y-%m-%d))"
    echo
    echo "Machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), shared with other jobs."
    echo "Set: every shared filing with a risk section, as saved registers ($(wc -l <"$W/regs.jsonl") lines);"
    echo "company $CO; median of $RUNS runs (loading the registers excluded)."
    echo
    echo "| corpus | filings | sentences indexed | index build (s) | whole rfx_peers_compute (s) |"
    echo "|---|---:|---:|---:|---:|"
    "$BIN" "$W/regs.jsonl" "$CO" 1 "$RUNS"
    "$BIN" "$W/regs.jsonl" "$CO" 10 "$RUNS"
} >"$OUT"
cat "$OUT"
