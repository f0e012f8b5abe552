# lib.sh — helpers for the rfx serve tests (sourced by tests/e2e/serve*.sh).
# serve_start LOG ARGS...: starts `rfx serve --listen 127.0.0.1:0 ARGS` in the
# background, waits for the "listening on" line, sets SPID and PORT (and
# returns 1 when it did not come up within 5 s).
serve_start() {
    log=$1; shift
    "$RFX" serve --listen 127.0.0.1:0 "$@" >"$log.out" 2>"$log.err" &
    SPID=$!
    PORT=""
    i=0
    while [ $i -lt 50 ]; do
        [ -f "$log.out" ] && PORT=$(sed -n 's|^rfx serve: listening on https*://127.0.0.1:\([0-9]*\)/$|\1|p' "$log.out")
        [ -n "$PORT" ] && return 0
        kill -0 "$SPID" 2>/dev/null || return 1
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}
# serve_stop: SIGTERM and wait (at most 5 s, then SIGKILL); returns the exit code
serve_stop() {
    [ -n "$SPID" ] || return 0
    kill -TERM "$SPID" 2>/dev/null
    i=0
    while kill -0 "$SPID" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
    if kill -0 "$SPID" 2>/dev/null; then kill -KILL "$SPID"; wait "$SPID" 2>/dev/null; SPID=""; return 99; fi
    wait "$SPID"; rc=$?
    SPID=""
    return $rc
}
# serve_index DB: a corpus of the small documents in serve_data/ (and, when
# present, a few shared filings); sets ACME21, ACME22, HOSTILE to filing ids.
serve_index() {
    db=$1
    d="$RFX_ROOT/tests/e2e/serve_data"
    "$RFX" index --db "$db" "$d/acme2021.txt" "$d/acme2022.txt" "$d/hostile2022.txt" >/dev/null 2>"$db.err" || return 1
}
