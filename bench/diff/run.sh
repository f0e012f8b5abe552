#!/bin/sh
# run.sh — builds bench_diff against a librfx build and times `rfx diff` on
# ~100 KB risk sections from the shared filings (parsing excluded).
#   bench/diff/run.sh [BUILD_DIR]     (default build; e.g. build-cmp)
set -e
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
B="$ROOT/${1:-build}"
SHARED="${RFX_SHARED:-$ROOT/../shared}/data/filings"
[ -f "$B/librfx.a" ] || { echo "no $B/librfx.a: run make first" >&2; exit 2; }
BIN="$B/bench/bench_diff"
mkdir -p "$B/bench"
${CC:-cc} -std=c11 -D_POSIX_C_SOURCE=200809L -O2 -I"$ROOT/include" -o "$BIN" "$ROOT/bench/diff/bench_diff.c" \
    "$B/librfx.a" $(pkg-config --libs libpcre2-8 jansson libutf8proc libcrypto) -lgumbo -lstemmer -llinear -lm -lpthread
ISB="$SHARED/isb_capstone_item1a"
# FB: the largest isb sections (~100 KB of text each side)
"$BIN" "$ISB/FB/FB_10-K_filed2017-02-03_item1a.html" "$ISB/FB/FB_10-K_filed2018-02-01_item1a.html" 25
"$BIN" "$ISB/FB/FB_10-K_filed2017-02-03_item1a.html" "$ISB/FB/FB_10-K_filed2018-02-01_item1a.html" 25 --render
"$BIN" "$ISB/NVDA/NVDA_10-K_filed2016-03-17_item1a.html" "$ISB/NVDA/NVDA_10-K_filed2017-03-01_item1a.html" 25
"$BIN" "$SHARED/HD/HD_10-K_FY2023.html" "$SHARED/HD/HD_10-K_FY2024.html" 25
