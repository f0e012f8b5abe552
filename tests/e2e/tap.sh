# tap.sh — a tiny TAP helper for the end-to-end scripts (sourced, not run).
# Each check prints "ok N - name" or "not ok N - name" plus what differed.
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); echo "not ok $n - $1"; [ -n "$2" ] && printf '#   %s\n' "$2"; }
check() { # check NAME COMMAND...: passes when the command succeeds
    name=$1; shift
    if "$@" >/dev/null 2>&1; then ok "$name"; else notok "$name" "command failed: $*"; fi
}
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
# expect_exit NAME CODE COMMAND...: checks the exit code
expect_exit() {
    name=$1; code=$2; shift 2
    "$@" >/dev/null 2>/tmp/rfx_e2e_err.$$; rc=$?
    if [ "$rc" -eq "$code" ]; then ok "$name"; else notok "$name" "exit $rc, wanted $code: $(head -c 300 /tmp/rfx_e2e_err.$$)"; fi
    rm -f /tmp/rfx_e2e_err.$$
}
have_shared() { [ -d "$SHARED/data" ]; }
