# pg_cluster.sh — tests/lib/pgcluster.sh: the throwaway PostgreSQL cluster
# starts, takes the test role's password and refuses a wrong one, and leaves
# no process and no directory behind when its script ends normally, fails,
# or is killed with SIGTERM.
. "$(dirname "$0")/tap.sh"
LIB="$RFX_ROOT/tests/lib/pgcluster.sh"
. "$LIB"
if ! pgc_available; then skip "throwaway PostgreSQL cluster" "$PGC_WHY"; exit 0; fi
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
chmod 755 "$T" # the server's user must reach a cluster directory made inside it

# A script that starts a cluster, writes what it started to $1, then ends
# the way $2 says.
cat >"$T/user.sh" <<'S'
. "$LIB"
pgc_start || { echo "start failed: $PGC_WHY" >&2; exit 9; }
kids=$(ps -o pid= --ppid "$PGC_PID" | tr -d ' ' | tr '\n' ' ')
printf '%s\n%s\n%s\n%s\n' "$PGC_PID" "$PGC_DIR" "$kids" "$PGC_URI" >"$1"
PGPASSWORD= psql "$PGC_URI" -XtAc 'select current_user' >"$1.who" 2>&1
bad=$(echo "$PGC_URI" | sed 's/:[0-9a-f]*@/:wrong@/')
PGPASSWORD= psql "$bad" -XtAc 'select 1' >"$1.bad" 2>&1
case "$2" in
    fail) false; exit 1 ;;
    term) touch "$1.ready"; sleep 60 ;;
    *) exit 0 ;;
esac
S
export LIB

# gone FILE: the postmaster, each of its children and the directory are gone
gone() {
    pid=$(sed -n 1p "$1"); dir=$(sed -n 2p "$1"); kids=$(sed -n 3p "$1")
    [ -n "$pid" ] || return 1
    for p in $pid $kids; do kill -0 "$p" 2>/dev/null && { echo "process $p still runs"; return 1; }; done
    [ -e "$dir" ] && { echo "$dir still exists"; return 1; }
    return 0
}

sh "$T/user.sh" "$T/ok" ok
rc=$?
if [ "$rc" -eq 0 ] && [ "$(cat "$T/ok.who")" = rfx_test ]; then ok "the test role connects with its password over TCP"
else notok "the test role connects with its password over TCP" "exit $rc: $(cat "$T/ok.who" 2>/dev/null)"; fi
if grep -q 'password authentication failed' "$T/ok.bad"; then ok "a wrong password is refused"
else notok "a wrong password is refused" "$(cat "$T/ok.bad")"; fi
n_kids=$(sed -n 3p "$T/ok" | wc -w)
if [ "$n_kids" -ge 3 ]; then ok "the server runs with its background processes ($n_kids)"
else notok "the server runs with its background processes" "children: $n_kids"; fi
out=$(gone "$T/ok") && ok "normal end: no process, no directory left" || notok "normal end: no process, no directory left" "$out"

sh "$T/user.sh" "$T/fail" fail
rc=$?
out=$(gone "$T/fail")
if [ "$rc" -eq 1 ] && [ -z "$out" ]; then ok "failing script: exit status kept, nothing left"
else notok "failing script: exit status kept, nothing left" "exit $rc; $out"; fi

sh "$T/user.sh" "$T/term" term &
bg=$!
i=0; while [ ! -f "$T/term.ready" ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
kill -TERM "$bg"
wait "$bg"
rc=$?
out=$(gone "$T/term")
if [ -f "$T/term.ready" ] && [ "$rc" -ne 0 ] && [ -z "$out" ]; then ok "SIGTERM: cluster stopped, nothing left"
else notok "SIGTERM: cluster stopped, nothing left" "exit $rc; $out"; fi

# Command mode, as CI uses it.
uri=$("$LIB" start "$T/cmd")
if [ -n "$uri" ] && PGPASSWORD= psql "$uri" -XtAc 'select 1' >/dev/null 2>&1; then ok "command mode: start prints a working URI"
else notok "command mode: start prints a working URI" "uri '$uri'"; fi
pid=$(cat "$T/cmd/server.pid" 2>/dev/null)
"$LIB" stop "$T/cmd"
if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null && [ ! -e "$T/cmd" ]; then ok "command mode: stop ends the server by PID"
else notok "command mode: stop ends the server by PID" "pid '$pid'"; fi
expect_exit "command mode: starting over an existing directory is refused" 1 "$LIB" start "$T"
