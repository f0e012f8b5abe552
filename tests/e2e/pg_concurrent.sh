# pg_concurrent.sh — many writers on one PostgreSQL corpus: 4 `rfx index`
# processes at once over overlapping sets of filings (each a different 3/4
# of them, in its own order) store every filing exactly once and leave the
# same lineage as one serial run. Its own throwaway cluster, stopped by PID.
. "$(dirname "$0")/tap.sh"
if [ ! -x "$RFX" ]; then skip "concurrent writers" "no rfx binary at $RFX"; exit 0; fi
if ! command -v python3 >/dev/null 2>&1; then skip "concurrent writers" "python3 is not installed"; exit 0; fi
. "$RFX_ROOT/tests/lib/pgcluster.sh"
if ! pgc_available; then skip "concurrent writers" "$PGC_WHY"; exit 0; fi
T=$(mktemp -d)
PGC_ON_EXIT='rm -rf "$T"'
if ! pgc_start; then rm -rf "$T"; skip "concurrent writers" "$PGC_WHY"; exit 0; fi
SAME="$RFX_ROOT/tests/pg/same.py"
pgc_psql -d postgres -c "CREATE DATABASE rfx_serial OWNER rfx_test" >/dev/null
SERIAL=$(echo "$PGC_URI" | sed 's|/rfx_test$|/rfx_serial|')

# 12 companies x 6 years of drifting risks (every lineage status occurs)
python3 "$RFX_ROOT/tests/corpus/gen_registers.py" "$T/gen" 12 6 >/dev/null
total=$(ls "$T/gen" | wc -l)
# four overlapping lists, each in its own order; together they hold every file
python3 - "$T/gen" "$T" <<'P'
import os, random, sys
files = sorted(os.listdir(sys.argv[1]))
for k in range(4):
    rng = random.Random(k)
    pick = [f for i, f in enumerate(files) if i % 4 == k or rng.random() < 0.67]
    rng.shuffle(pick)
    open(os.path.join(sys.argv[2], "list%d" % k), "w").write("".join(os.path.join(sys.argv[1], f) + "\n" for f in pick))
P
"$RFX" db init --db "$PGC_URI" -q
for k in 0 1 2 3; do
    # shellcheck disable=SC2046
    "$RFX" index --db "$PGC_URI" -q -j 1 $(cat "$T/list$k") 2>"$T/ix$k" &
    eval "pid$k=\$!"
done
fails=0
for k in 0 1 2 3; do eval "wait \$pid$k" || fails=$((fails + 1)); done
[ $fails -eq 0 ] && ok "4 concurrent rfx index processes all succeed" || notok "4 concurrent rfx index processes all succeed" "$(cat "$T"/ix*)"
listed=$(cat "$T"/list? | wc -l)
added=$(cat "$T"/ix? | sed -n 's/.*: \([0-9]*\) added, \([0-9]*\) unchanged.*/\1/p' | paste -sd+ - | bc)
unchanged=$(cat "$T"/ix? | sed -n 's/.*: \([0-9]*\) added, \([0-9]*\) unchanged.*/\2/p' | paste -sd+ - | bc)
[ "$added" = "$total" ] && [ $((added + unchanged)) -eq "$listed" ] && ok "each filing added once ($added added, $unchanged unchanged of $listed listed)" \
    || notok "each filing added once" "added $added, unchanged $unchanged, listed $listed, files $total"
counts=$(pgc_psql -Atc "SELECT count(*), count(DISTINCT sha256), count(DISTINCT source_path) FROM filing")
[ "$counts" = "$total|$total|$total" ] && ok "no duplicate, no lost filing ($total)" || notok "no duplicate, no lost filing" "filings|sha256|paths = $counts, want $total"
dup=$(pgc_psql -Atc "SELECT count(*) FROM (SELECT filing_id, idx FROM risk GROUP BY 1, 2 HAVING count(*) > 1) d")
[ "$dup" = 0 ] && ok "no risk stored twice" || notok "no risk stored twice" "$dup"
ncos=$(pgc_psql -Atc "SELECT count(*) FROM company")
[ "$ncos" = 12 ] && ok "12 companies, none created twice" || notok "12 companies, none created twice" "$ncos"

sort "$T"/list? | uniq >"$T/all"
# shellcheck disable=SC2046
"$RFX" index --db "$SERIAL" -q -j 1 $(cat "$T/all") 2>"$T/serial.log"
"$RFX" export --db "$PGC_URI" --jsonl >"$T/c.jsonl"
"$RFX" export --db "$SERIAL" --jsonl >"$T/s.jsonl"
nrows=$(wc -l <"$T/s.jsonl")
out=$(python3 "$SAME" lineage "$T/s.jsonl" "$T/c.jsonl" 2>&1)
[ "$nrows" -gt 100 ] && [ -z "$out" ] && ok "lineage after concurrent writers = lineage of a serial run ($nrows risks)" \
    || notok "lineage after concurrent writers = lineage of a serial run" "$nrows rows: $out"
check "statuses beyond added/unchanged occur (the comparison has teeth)" python3 -c '
import json,sys; s={json.loads(l)["status"] for l in open(sys.argv[1])}
assert {"modified","added","unchanged"} <= s, s' "$T/c.jsonl"
"$RFX" db check --db "$PGC_URI" -q && ok "db check after concurrent writers" || notok "db check after concurrent writers"

# again, with all four writers on the very same files at once (every add races)
pgc_psql -c "TRUNCATE filing, company, ticker RESTART IDENTITY CASCADE" >/dev/null
for k in 0 1 2 3; do
    # shellcheck disable=SC2046
    "$RFX" index --db "$PGC_URI" -q -j 1 $(sort -R "$T/all") 2>"$T/ix$k" &
    eval "pid$k=\$!"
done
fails=0
for k in 0 1 2 3; do eval "wait \$pid$k" || fails=$((fails + 1)); done
added=$(cat "$T"/ix? | sed -n 's/.*: \([0-9]*\) added.*/\1/p' | paste -sd+ - | bc)
"$RFX" export --db "$PGC_URI" --jsonl >"$T/c.jsonl"
out=$(python3 "$SAME" lineage "$T/s.jsonl" "$T/c.jsonl" 2>&1)
[ $fails -eq 0 ] && [ "$added" = "$total" ] && [ -z "$out" ] && ok "4 writers on the same $total files: each added once, lineage as serial" \
    || notok "4 writers on the same files" "fails $fails, added $added: $out $(cat "$T"/ix? | grep -v added | head -3)"
