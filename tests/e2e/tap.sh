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
# readme_expect FILE: the "expected" cell of FILE's row in the README.md table
# of its folder (forms/ says per document what a reader finds); empty when the
# folder has no such table or no row for FILE.
readme_expect() {
    awk -F'|' -v f="$(basename "$1")" '
        /^\|/ && !col { for (i = 2; i < NF; i++) { c = $i; gsub(/^ +| +$/, "", c);
                        if (c == "file") fc = i; if (c == "expected") col = i } next }
        /^\|/ && col { c = $fc; gsub(/^ +| +$/, "", c); if (c == f) { e = $col; gsub(/^ +| +$/, "", e); print e; exit } }
        !/^\|/ { col = 0 }' "$(dirname "$1")/README.md" 2>/dev/null
}
