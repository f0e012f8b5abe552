#!/bin/sh
# leakcheck.sh — `make leakcheck`: the release build under valgrind memcheck
# over the project's fixtures (examples/, fuzz seeds, fuzz reproducers, the
# shared seed and one filing per format when ../shared is present), in
# single-file, batch (threads) and diff modes; then the hostile set on the
# release build, which is where its 60 MB case runs at full size.
#   tests/regress/leakcheck.sh BUILD/rfx
# Any leak (definite or possible), invalid read/write or use of uninitialised
# memory fails the run. ASan/LSan cover the same ground in `make test`;
# valgrind adds uninitialised reads and checks the optimised binary.
RFX=${1:-build/rfx}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SHARED=${RFX_SHARED:-$ROOT/../shared}
case $RFX in /*) ;; *) RFX=$ROOT/$RFX ;; esac
if ! command -v valgrind >/dev/null; then echo "leakcheck: valgrind not installed (make deps)"; exit 1; fi
VG="valgrind -q --leak-check=full --errors-for-leak-kinds=definite,possible --show-leak-kinds=definite,possible --error-exitcode=99 --track-origins=yes"
log=$(mktemp)
pass=0; fail=0
vg() { # vg NAME ARGS...: rfx under memcheck; exit codes 0-4 are rfx's own
    name=$1; shift
    # shellcheck disable=SC2086
    $VG "$RFX" "$@" >/dev/null 2>"$log"
    rc=$?
    if [ $rc -eq 99 ] || [ $rc -gt 4 ]; then
        fail=$((fail + 1)); echo "FAIL $name (exit $rc)"; grep -v '^rfx:' "$log" | head -30
    else
        pass=$((pass + 1)); echo "ok   $name (exit $rc)"
    fi
}
files=""
for f in "$ROOT"/examples/* "$ROOT"/fuzz/seeds/text/* "$ROOT"/fuzz/seeds/html/* "$ROOT"/fuzz/seeds/sgml/* \
    "$ROOT"/tests/regress/text/* "$ROOT"/tests/regress/html/* "$ROOT"/tests/regress/sgml/* \
    "$ROOT"/tests/regress/any/* "$SHARED"/data/seed/*.txt \
    "$SHARED"/data/filings/AAPL/AAPL_10-K_FY2019_full-submission.txt \
    "$SHARED"/data/filings/20-F_misc/*Loncor* "$SHARED"/data/filings/NVDA/NVDA_10-K_FY2024.html; do
    [ -f "$f" ] && files="$files $f"
done
for f in $files; do vg "parse ${f#"$ROOT"/}" parse "$f"; done
for f in "$ROOT"/examples/*; do vg "parse --text/--markdown/--blocks ${f#"$ROOT"/}" parse --text "$f"; vg "markdown" parse --markdown "$f"; vg "blocks" parse --blocks "$f"; done
# shellcheck disable=SC2086
vg "batch --jobs 2 over the fixtures" parse --jobs 2 $files /no/such/file
ex="$ROOT/examples/northwind-20f-2024.txt"
"$RFX" parse "$ex" >"$log.json" 2>/dev/null
vg "diff filing vs saved register" diff "$ex" "$log.json"
vg "diff --text" diff --text "$ex" "$ex"
for f in "$ROOT"/tests/regress/model/*; do [ -f "$f" ] && vg "model ${f#"$ROOT"/}" parse --model "$f" "$ex"; done
for f in "$ROOT"/tests/regress/json/*.json "$ROOT"/fuzz/seeds/json/*.json; do [ -f "$f" ] && vg "diff ${f#"$ROOT"/}" diff "$f" "$f"; done
rm -f "$log" "$log.json"
echo "valgrind: $pass passed, $fail failed"
echo "== hostile set on the release build (full-size 60 MB case)"
hl=$(mktemp)
RFX="$RFX" RFX_ROOT="$ROOT" sh "$ROOT/tests/e2e/hostile.sh" >"$hl" 2>&1
hp=$(grep -c '^ok ' "$hl"); hf=$(grep -c '^not ok ' "$hl")
grep '^not ok' -A2 "$hl" | head -30
grep -E '60 MB single line: peak' "$hl"
echo "hostile: $hp passed, $hf failed"
rm -f "$hl"
[ "$fail" -eq 0 ] && [ "$hf" -eq 0 ]
