# python.sh — the Python package (python/): its pytest suite against the
# release librfx.so (each test one TAP line, so the counts reach run.sh's
# summary), then `pip install --no-build-isolation ./python` into a
# virtual environment of Debian's python3 and an import from elsewhere.
. "$(dirname "$0")/tap.sh"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
PY=/usr/bin/python3; [ -x "$PY" ] || PY=python3
if ! "$PY" -c 'import pytest' 2>/dev/null; then skip "python package" "python3-pytest is not installed"; echo "1..$n"; exit 0; fi
# the release library: an ASan build cannot be loaded into an uninstrumented python
LIB="$(dirname "$RFX_REAL")/librfx.so.0"
case "$LIB" in *asan*|*fuzz*) LIB="$RFX_ROOT/build/librfx.so.0" ;; esac
if [ ! -e "$LIB" ]; then skip "python package" "no librfx.so.0 at $LIB (make all builds it)"; echo "1..$n"; exit 0; fi
export RFX_LIB="$LIB"

# pytest -rA prints one PASSED/FAILED/SKIPPED/ERROR line per test
(cd "$RFX_ROOT" && "$PY" -m pytest -q -rA -p no:cacheprovider python/tests) >"$T/pytest.log" 2>&1
prc=$?
sed -n -e 's/^PASSED \(.*\)/ok - \1/p' -e 's/^FAILED \(.*\)/not ok - \1/p' -e 's/^ERROR \(.*\)/not ok - \1/p' \
    -e 's/^SKIPPED \[[0-9]*\] \([^:]*:[0-9]*\): \(.*\)/ok - \1 # SKIP \2/p' "$T/pytest.log" >"$T/tap"
while IFS= read -r line; do
    n=$((n + 1)); echo "$line" | sed "s/^\(not ok\|ok\) - /\1 $n - /"
done <"$T/tap"
if [ "$prc" -ne 0 ] && ! grep -q '^not ok' "$T/tap"; then notok "pytest ran" "exit $prc: $(tail -5 "$T/pytest.log")"; fi
grep -q '^not ok' "$T/tap" && sed -n '/= FAILURES =/,/short test summary/p' "$T/pytest.log" | head -40 | sed 's/^/#   /'

# pip install into a venv (Debian's python3 is externally managed)
if "$PY" -m venv --system-site-packages "$T/venv" >/dev/null 2>&1 && [ -x "$T/venv/bin/pip" ]; then
    cp -r "$RFX_ROOT/python" "$T/pkg"   # pip builds in the tree it is given
    if "$T/venv/bin/python" -m pip install -q --no-index --no-build-isolation "$T/pkg" >"$T/pip.log" 2>&1; then
        ok "pip install --no-build-isolation ./python"
        out=$(cd "$T" && env -u RFX_LIB EX="$RFX_ROOT/examples/northwind-20f-2024.txt" "$T/venv/bin/python" -c '
import os, rfx
d = rfx.parse(os.environ["EX"])
print(os.path.basename(rfx._L._rfx_path), d["schema_version"], len(d["risks"]))' 2>&1)
        want="librfx.so.0 $("$RFX_REAL" parse "$RFX_ROOT/examples/northwind-20f-2024.txt" | "$PY" -c 'import json,sys; d=json.load(sys.stdin); print(d["schema_version"], len(d["risks"]))')"
        [ "$out" = "$want" ] && ok "the installed package parses with its bundled librfx.so.0" \
            || notok "the installed package parses with its bundled librfx.so.0" "got '$out', want '$want'"
        check "the bundled library has soname librfx.so.0" sh -c 'readelf -d "$1"/lib/python3*/site-packages/rfx/lib/librfx.so.0 | grep -q "soname: \[librfx.so.0\]"' _ "$T/venv"
        out=$(cd "$T" && RFX_LIB=/nonexistent/librfx.so "$T/venv/bin/python" -c 'import rfx' 2>&1)
        echo "$out" | grep -q "set RFX_LIB" && ok "RFX_LIB pointing nowhere: a clear ImportError" \
            || notok "RFX_LIB pointing nowhere: a clear ImportError" "$out"
    else
        notok "pip install --no-build-isolation ./python" "$(tail -5 "$T/pip.log")"
    fi
else
    skip "pip install" "python3 -m venv is unavailable (python3-venv)"
fi
echo "1..$n"
