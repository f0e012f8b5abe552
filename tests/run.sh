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
# Schema contract (docs/json.md): e2e scripts get a wrapper in $RFX that
# spools every JSON output; after each script tests/schema/validate.py checks
# them against schema/ in one process, and a violation fails that script.
PY=/usr/bin/python3; [ -x "$PY" ] || PY=python3
export RFX_REAL="$RFX"
schema_ok=0
if "$PY" -c 'import jsonschema' 2>/dev/null; then schema_ok=1; RFX="$ROOT/tests/schema/rfx-checked"; fi
export RFX_ROOT="$ROOT"
export SHARED="${RFX_SHARED:-$ROOT/../shared}"
export CMOCKA_MESSAGE_OUTPUT=TAP
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
pass=0; fail=0; skip=0
log=$(mktemp)
# Each program gets at most RFX_TEST_TIMEOUT seconds (default 1200): a hung
# test fails with exit 124 instead of holding CI; timeout signals the whole
# process group, servers a script started included.
TMO=${RFX_TEST_TIMEOUT:-1200}
run_one() {
    name=$1; shift
    t0=$(date +%s)
    timeout -k 10 "$TMO" "$@" >"$log" 2>&1
    rc=$?
    secs=$(( $(date +%s) - t0 ))
    p=$(grep -c '^ok ' "$log"); f=$(grep -c '^not ok ' "$log")
    s=$(grep -c '# SKIP' "$log")
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
    pass=$((pass + p - s)); fail=$((fail + f)); skip=$((skip + s))
    if [ "$f" -gt 0 ] || [ "$rc" -ne 0 ]; then
        echo "FAIL $name (exit $rc, ${secs}s)"; grep -v '^ok ' "$log" | head -40
    else
        echo "ok   $name ($((p - s)) passed${s:+, $s skipped}, ${secs}s)"
    fi
    grep '# SKIP' "$log" | head -3 | sed 's/^/     /'
}
for t in "$ROOT/$B"/tests/test_*; do
    [ -x "$t" ] || continue
    run_one "$(basename "$t")" "$t"
done
schema_check() { # the JSON a script wrote, against schema/ (one check per script)
    sp=$1; name=$2
    ls "$sp" | grep -q '\.out$' || return 0
    if "$PY" "$ROOT/tests/schema/validate.py" "$sp" >"$log" 2>&1; then
        pass=$((pass + 1)); echo "ok   $name: JSON output matches schema/ ($(grep -o '[0-9]* JSON output(s)' "$log"))"
    else
        fail=$((fail + 1)); echo "FAIL $name: JSON output does not match schema/"; head -20 "$log"
    fi
}
for t in "$ROOT"/tests/e2e/*.sh; do
    [ "$(basename "$t")" = tap.sh ] && continue
    [ -f "$t" ] || continue
    sp=""
    [ "$schema_ok" = 1 ] && sp=$(mktemp -d) && export RFX_SCHEMA_SPOOL="$sp"
    run_one "e2e/$(basename "$t")" sh "$t"
    [ -n "$sp" ] && { schema_check "$sp" "e2e/$(basename "$t")"; rm -rf "$sp"; }
done
[ "$schema_ok" = 1 ] || { echo "SKIP schema validation: python3-jsonschema is missing"; skip=$((skip + 1)); }
rm -f "$log"
if [ "$skip" -gt 0 ]; then echo "($skip skipped: their inputs are absent; see the SKIP lines above)"; fi
# the last line is exactly "N passed, N failed", as CI reads it
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
