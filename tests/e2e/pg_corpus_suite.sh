# pg_corpus_suite.sh — the corpus tests written for SQLite
# (tests/e2e/corpus_store.sh, corpus_shared.sh) run again, unchanged, on
# PostgreSQL: rfx is called through tests/pg/rfx-on-pg, which gives every
# database the tests create a database of a throwaway cluster. Checks that
# are about SQLite files as such (corrupt, foreign, newer-schema files, a
# missing directory) still run on SQLite, since those paths are never
# mapped. Each sub-test's TAP lines are passed on, prefixed "pg:".
. "$(dirname "$0")/tap.sh"
if [ ! -x "$RFX" ]; then skip "corpus suite on PostgreSQL" "no rfx binary at $RFX"; exit 0; fi
. "$RFX_ROOT/tests/lib/pgcluster.sh"
if ! pgc_available; then skip "corpus suite on PostgreSQL" "$PGC_WHY"; exit 0; fi
T=$(mktemp -d)
PGC_ON_EXIT='rm -rf "$T"'
if ! pgc_start; then rm -rf "$T"; skip "corpus suite on PostgreSQL" "$PGC_WHY"; exit 0; fi
# the real binary: under tests/run.sh $RFX is the schema wrapper, which runs $RFX_REAL
export RFX_REAL="${RFX_REAL:-$RFX}" RFX_PG_MAP="$T/map" PGC_BIN
: >"$T/map"
for t in corpus_store corpus_shared; do
    [ -f "$RFX_ROOT/tests/e2e/$t.sh" ] || continue
    RFX="$RFX_ROOT/tests/pg/rfx-on-pg" sh "$RFX_ROOT/tests/e2e/$t.sh" >"$T/$t.out" 2>&1
    rc=$?
    # renumber the sub-test's lines into this script's TAP stream
    while IFS= read -r line; do
        case "$line" in
            "ok "*" # SKIP "*) d=${line#ok * - }; skip "pg: $t: ${d%% # SKIP *}" "${d#* # SKIP }" ;;
            "ok "*) ok "pg: $t: ${line#ok * - }" ;;
            # PostgreSQL sequences do not roll back: after a kill the ids
            # differ from a clean run's (the contents do not: checked below)
            "not ok "*"crash/resume equals clean run"*) skip "pg: $t: ${line#not ok * - }" "ids differ on PostgreSQL (sequences); compared without ids below" ;;
            "not ok "*) notok "pg: $t: ${line#not ok * - }" ;;
            "#"*) echo "$line" ;;
        esac
    done <"$T/$t.out"
    [ $rc -eq 0 ] || notok "pg: $t exits 0" "exit $rc: $(grep -v '^ok' "$T/$t.out" | head -5)"
done
mapped=$(wc -l <"$T/map")
[ "$mapped" -ge 3 ] && ok "the suite ran on $mapped PostgreSQL databases" || notok "the suite ran on PostgreSQL databases" "only $mapped mapped"

# ---- crash and resume on PostgreSQL: the same filings, risks and lineage
# as a clean run (ids may differ: a killed transaction used its sequence
# values) ----
python3 "$RFX_ROOT/tests/corpus/gen_registers.py" "$T/gen" 20 6 >/dev/null
clean=$(echo "$PGC_URI" | sed 's|/rfx_test$|/rfx_clean|'); crash=$(echo "$PGC_URI" | sed 's|/rfx_test$|/rfx_crash|')
pgc_psql -d postgres -c "CREATE DATABASE rfx_clean OWNER rfx_test" -c "CREATE DATABASE rfx_crash OWNER rfx_test" >/dev/null
"$RFX" index --db "$clean" -q "$T/gen" 2>/dev/null
for i in 1 2 3; do
    # the real binary, not the schema-checking wrapper: SIGKILL must hit rfx itself
    "${RFX_REAL:-$RFX}" index --db "$crash" -q "$T/gen" 2>/dev/null &
    pid=$!
    sleep "0.$(od -An -N1 -tu1 /dev/urandom | tr -d ' ' | cut -c1)"
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
done
"$RFX" index --db "$crash" -q "$T/gen" 2>/dev/null
"$RFX" export --db "$clean" --jsonl >"$T/clean.jsonl"; "$RFX" export --db "$crash" --jsonl >"$T/crash.jsonl"
out=$(python3 "$RFX_ROOT/tests/pg/same.py" lineage "$T/clean.jsonl" "$T/crash.jsonl" 2>&1)
[ -z "$out" ] && [ "$(wc -l <"$T/clean.jsonl")" -gt 100 ] && ok "pg: killed 3 times and resumed = a clean run (without ids)" || notok "pg: crash/resume" "$out"
"$RFX" db check --db "$crash" -q && ok "pg: db check after the kills" || notok "pg: db check after the kills"
half=$(pgc_psql -d rfx_crash -Atc "SELECT count(*) FROM filing f WHERE nrisks <> (SELECT count(*) FROM risk r WHERE r.filing_id = f.id)")
[ "$half" = 0 ] && ok "pg: no half-stored filing" || notok "pg: no half-stored filing" "$half"
