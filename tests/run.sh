#!/bin/sh
# Runs every test and ends with one line: "N passed, N failed".
#   tests/run.sh BUILD_DIR
# Unit tests are cmocka programs (TAP output); end-to-end tests are shell
# scripts in tests/e2e/ that print TAP ("ok N - ..." / "not ok N - ...") and
# receive the rfx binary in $RFX. A program that crashes counts as a failure.
B=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export RFX="$ROOT/$B/rfx"
[ -x "$RFX" ] || RFX="$B/rfx"
export RFX_ROOT="$ROOT"
export SHARED="${RFX_SHARED:-$ROOT/../shared}"
export CMOCKA_MESSAGE_OUTPUT=TAP
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
pass=0; fail=0; skip=0
log=$(mktemp)
run_one() {
    name=$1; shift
    "$@" >"$log" 2>&1
    rc=$?
    p=$(grep -c '^ok ' "$log"); f=$(grep -c '^not ok ' "$log")
    s=$(grep -c '# SKIP' "$log")
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
    pass=$((pass + p - s)); fail=$((fail + f)); skip=$((skip + s))
    if [ "$f" -gt 0 ] || [ "$rc" -ne 0 ]; then
        echo "FAIL $name (exit $rc)"; grep -v '^ok ' "$log" | head -40
    else
        echo "ok   $name ($((p - s)) passed${s:+, $s skipped})"
    fi
    grep '# SKIP' "$log" | head -3 | sed 's/^/     /'
}
for t in "$ROOT/$B"/tests/test_*; do
    [ -x "$t" ] || continue
    run_one "$(basename "$t")" "$t"
done
for t in "$ROOT"/tests/e2e/*.sh; do
    [ "$(basename "$t")" = tap.sh ] && continue
    [ -f "$t" ] || continue
    run_one "e2e/$(basename "$t")" sh "$t"
done
rm -f "$log"
if [ "$skip" -gt 0 ]; then echo "($skip skipped: their inputs are absent; see the SKIP lines above)"; fi
# the last line is exactly "N passed, N failed", as CI reads it
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
