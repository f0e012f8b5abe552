#!/bin/sh
# pgcluster.sh — a throwaway PostgreSQL 15 cluster for tests, benches and CI.
#
# Sourced (the tests):
#     . "$RFX_ROOT/tests/lib/pgcluster.sh"
#     pgc_start || { skip "..." "$PGC_WHY"; exit 0; }
#     ... "$RFX" index --db "$PGC_URI" ...
# pgc_start creates a temporary directory, runs initdb and the server there
# as an unprivileged user, and installs an EXIT/INT/TERM/HUP trap that stops
# the server by its PID and removes the directory, also when the test fails.
# A caller with cleanup of its own puts it in PGC_ON_EXIT (eval'd by the trap)
# instead of setting its own EXIT trap, which would replace this one.
#
# Run (CI, by hand):
#     tests/lib/pgcluster.sh start DIR    # prints the connection URI; DIR must not exist
#     tests/lib/pgcluster.sh stop DIR     # stops the server by PID, removes DIR
#
# The cluster: initdb -E UTF8 --locale=C, the server listening on a unix
# socket inside the directory (mode 0700) and on 127.0.0.1 at a free port,
# fsync=off (a test cluster need not survive a power cut). The socket trusts
# the bootstrap superuser "pgc_admin" (for setup and for tests that inspect
# the database, see pgc_psql); TCP asks every role for its password
# (scram-sha-256), so tests can check what a wrong password does. The test
# role "rfx_test" owns the database "rfx_test" and gets a fresh random
# password each start; PGC_URI is
#     postgresql://rfx_test:PASSWORD@127.0.0.1:PORT/rfx_test
#
# Who runs the server: initdb refuses root. As root the server runs as
# $PGC_USER (default "postgres", created by Debian's postgresql-15 package)
# through runuser; as any other user it runs as that user.
#
# Environment: PGC_BIN (default /usr/lib/postgresql/15/bin), PGC_USER,
# PGC_FSYNC (default off), PGC_OPTS (more server options, "-c name=value ..."), PGC_TMP (parent of the directory, default $TMPDIR
# or /tmp). Set after pgc_start: PGC_DIR, PGC_PID, PGC_PORT, PGC_URI,
# PGC_PASSWORD, PGC_SOCK. On failure: PGC_WHY (one line).

PGC_BIN=${PGC_BIN:-/usr/lib/postgresql/15/bin}
PGC_USER=${PGC_USER:-postgres}
PGC_ROLE=rfx_test
PGC_ADMIN=pgc_admin

# pgc_as CMD...: runs a command as the server's user.
pgc_as() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u "$PGC_USER" -- "$@"
    else
        "$@"
    fi
}

# pgc_available: 0 when a cluster can be started here; otherwise 1 with the
# reason in PGC_WHY.
pgc_available() {
    PGC_WHY=
    for b in initdb pg_ctl postgres psql; do
        if [ ! -x "$PGC_BIN/$b" ]; then
            PGC_WHY="PostgreSQL binaries absent ($PGC_BIN/$b; Debian package postgresql-15)"
            return 1
        fi
    done
    if [ "$(id -u)" -eq 0 ]; then
        if ! id -u "$PGC_USER" >/dev/null 2>&1; then
            PGC_WHY="running as root and there is no user '$PGC_USER' to run initdb as"
            return 1
        fi
        if ! command -v runuser >/dev/null 2>&1; then
            PGC_WHY="running as root without runuser (util-linux)"
            return 1
        fi
    fi
    return 0
}

# A loopback port nobody listens on now (the server may still lose a race
# for it; pgc_start then retries with another).
pgc_free_port() {
    if command -v python3 >/dev/null 2>&1; then
        python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
    else
        echo $((20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 40000))
    fi
}

pgc_alive() { [ -n "$1" ] && kill -0 "$1" 2>/dev/null; }

# pgc_start [DIR]: creates and starts the cluster (DIR must not exist;
# default a new temporary directory). 0 on success, 1 with PGC_WHY.
pgc_start() {
    pgc_available || return 1
    if [ -n "$1" ]; then
        if [ -e "$1" ]; then PGC_WHY="$1 already exists"; return 1; fi
        mkdir -p "$1" || { PGC_WHY="cannot create $1"; return 1; }
        PGC_DIR=$(cd "$1" && pwd)
    else
        PGC_DIR=$(mktemp -d "${PGC_TMP:-${TMPDIR:-/tmp}}/rfx-pg.XXXXXX") || { PGC_WHY="mktemp failed"; return 1; }
    fi
    # The trap goes in before anything can be left running.
    if [ -z "$PGC_NO_TRAP" ]; then
        trap 'pgc_cleanup' EXIT
        trap 'exit 129' HUP
        trap 'exit 130' INT
        trap 'exit 143' TERM
    fi
    chmod 700 "$PGC_DIR"
    [ "$(id -u)" -eq 0 ] && chown "$PGC_USER" "$PGC_DIR"
    PGC_SOCK=$PGC_DIR
    if ! pgc_as test -w "$PGC_DIR"; then
        PGC_WHY="$PGC_USER cannot write to $PGC_DIR (is a parent directory private?)"
        return 1
    fi
    if ! pgc_as "$PGC_BIN/initdb" -D "$PGC_DIR/data" -U "$PGC_ADMIN" -E UTF8 --locale=C \
            --auth-local=trust --auth-host=scram-sha-256 --no-sync >"$PGC_DIR/initdb.log" 2>&1; then
        PGC_WHY="initdb failed: $(tail -n 1 "$PGC_DIR/initdb.log")"
        return 1
    fi
    # Password auth over TCP, for the test role as for everyone.
    tries=0
    while :; do
        tries=$((tries + 1))
        PGC_PORT=$(pgc_free_port)
        if pgc_as "$PGC_BIN/pg_ctl" -D "$PGC_DIR/data" -l "$PGC_DIR/server.log" -w -t 30 \
                -o "-c port=$PGC_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories='$PGC_SOCK' -c unix_socket_permissions=0700 -c fsync=${PGC_FSYNC:-off} -c shared_buffers=32MB -c max_connections=50 -c log_min_messages=warning -c password_encryption=scram-sha-256 ${PGC_OPTS:-}" \
                start >"$PGC_DIR/pg_ctl.log" 2>&1; then
            break
        fi
        # A postmaster that came up but was not ready in time is stopped too.
        pgc_read_pid
        if pgc_alive "$PGC_PID"; then pgc_stop_server; fi
        if [ "$tries" -ge 5 ]; then
            PGC_WHY="the server did not start: $(tail -n 1 "$PGC_DIR/server.log" 2>/dev/null)"
            return 1
        fi
    done
    pgc_read_pid
    echo "$PGC_PID" >"$PGC_DIR/server.pid"
    PGC_PASSWORD=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
    # SQL on stdin, so the password is not on a command line.
    if ! printf "CREATE ROLE %s LOGIN PASSWORD '%s';\nCREATE DATABASE %s OWNER %s;\n" \
            "$PGC_ROLE" "$PGC_PASSWORD" "$PGC_ROLE" "$PGC_ROLE" |
            pgc_psql -d postgres >"$PGC_DIR/setup.log" 2>&1; then
        PGC_WHY="creating the test role failed: $(tail -n 1 "$PGC_DIR/setup.log")"
        return 1
    fi
    PGC_URI="postgresql://$PGC_ROLE:$PGC_PASSWORD@127.0.0.1:$PGC_PORT/$PGC_ROLE"
    export PGC_URI PGC_DIR PGC_PID PGC_PORT PGC_PASSWORD PGC_SOCK
    return 0
}

pgc_read_pid() {
    PGC_PID=
    [ -f "$PGC_DIR/data/postmaster.pid" ] && PGC_PID=$(head -n 1 "$PGC_DIR/data/postmaster.pid")
    [ -z "$PGC_PID" ] && [ -f "$PGC_DIR/server.pid" ] && PGC_PID=$(cat "$PGC_DIR/server.pid")
    return 0
}

# pgc_psql [psql options]: psql as the bootstrap superuser over the unix
# socket (trust), on database rfx_test unless -d says otherwise.
pgc_psql() {
    PGOPTIONS="-c client_min_messages=warning" PGPASSWORD= "$PGC_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PGC_SOCK" -p "$PGC_PORT" \
        -U "$PGC_ADMIN" -d "$PGC_ROLE" "$@"
}

# Stops the postmaster by its PID: SIGINT (fast shutdown: clients are
# disconnected, children exit), then SIGQUIT (immediate), then SIGKILL.
pgc_stop_server() {
    [ -n "$PGC_PID" ] || return 0
    for sig in INT QUIT KILL; do
        pgc_alive "$PGC_PID" || break
        kill -s "$sig" "$PGC_PID" 2>/dev/null
        i=0
        while pgc_alive "$PGC_PID" && [ "$i" -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
    done
    if pgc_alive "$PGC_PID"; then
        echo "pgcluster: postmaster $PGC_PID survived SIGKILL" >&2
        return 1
    fi
    return 0
}

# pgc_stop: stops the server and removes the directory. Safe to call twice.
pgc_stop() {
    [ -n "$PGC_DIR" ] || return 0
    pgc_read_pid
    pgc_stop_server
    rc=$?
    case "$PGC_DIR" in
        */rfx-pg.*) rm -rf "$PGC_DIR" ;;
        *) [ -f "$PGC_DIR/server.pid" ] && rm -rf "$PGC_DIR" ;;
    esac
    PGC_DIR=; PGC_PID=; PGC_URI=
    return $rc
}

pgc_cleanup() {
    st=$?
    pgc_stop
    [ -n "$PGC_ON_EXIT" ] && eval "$PGC_ON_EXIT"
    exit $st
}

# Command mode: only when run, not when sourced.
case "$0" in
    *pgcluster.sh)
        set -u
        cmd=${1:-}
        case "$cmd" in
            start)
                [ $# -eq 2 ] || { echo "usage: $0 start DIR" >&2; exit 2; }
                PGC_NO_TRAP=1
                if ! pgc_start "$2"; then
                    echo "pgcluster: $PGC_WHY" >&2
                    # leave nothing running behind a failed start
                    [ -n "${PGC_DIR:-}" ] && { pgc_read_pid; pgc_stop_server; rm -rf "$PGC_DIR"; }
                    exit 1
                fi
                echo "$PGC_URI"
                ;;
            stop)
                [ $# -eq 2 ] || { echo "usage: $0 stop DIR" >&2; exit 2; }
                [ -d "$2" ] || { echo "pgcluster: no cluster at $2" >&2; exit 1; }
                PGC_DIR=$(cd "$2" && pwd)
                [ -f "$PGC_DIR/server.pid" ] || { echo "pgcluster: $2 is not a cluster made by pgcluster.sh" >&2; exit 1; }
                pgc_stop
                ;;
            *)
                echo "usage: $0 start DIR | stop DIR" >&2
                exit 2
                ;;
        esac
        ;;
esac
