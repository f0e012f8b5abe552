# pg_corpus.sh — the corpus commands on PostgreSQL give what they give on
# SQLite (differential: the same inputs indexed into both, in the same
# order): export byte for byte, stats, history, search hits (ranking may
# differ), errors; rfx db init/migrate/check/copy both ways; connection and
# authentication failures are one line, exit 3, no password. Starts its own
# throwaway cluster (tests/lib/pgcluster.sh) and stops it by PID.
. "$(dirname "$0")/tap.sh"
if [ ! -x "$RFX" ]; then skip "PostgreSQL corpus" "no rfx binary at $RFX"; exit 0; fi
if ! command -v python3 >/dev/null 2>&1; then skip "PostgreSQL corpus" "python3 is not installed"; exit 0; fi
. "$RFX_ROOT/tests/lib/pgcluster.sh"
if ! pgc_available; then skip "PostgreSQL corpus" "$PGC_WHY"; exit 0; fi
T=$(mktemp -d)
PGC_ON_EXIT='rm -rf "$T"'
if ! pgc_start; then rm -rf "$T"; skip "PostgreSQL corpus" "$PGC_WHY"; exit 0; fi
SAME="$RFX_ROOT/tests/pg/same.py"
P=$PGC_URI
S="$T/s.db"
uri_db() { echo "$P" | sed "s|/rfx_test\$|/$1|"; }
pgc_psql -d postgres -c "CREATE DATABASE rfx_copy OWNER rfx_test" -c "CREATE DATABASE rfx_back OWNER rfx_test" \
    -c "CREATE DATABASE rfx_empty OWNER rfx_test" >/dev/null
P2=$(uri_db rfx_copy); P3=$(uri_db rfx_back); PE=$(uri_db rfx_empty)

# ---- schema: init, again, migrate ----
"$RFX" db init --db "$P" 2>"$T/e"
rc=$?
[ $rc -eq 0 ] && grep -q 'created schema v1' "$T/e" && ok "db init creates schema v1" || notok "db init creates schema v1" "exit $rc: $(cat "$T/e")"
"$RFX" db init --db "$P" 2>"$T/e" && grep -q 'schema v1, nothing to do' "$T/e" && ok "db init again: nothing to do" || notok "db init again" "$(cat "$T/e")"
"$RFX" db migrate --db "$P" 2>"$T/e" && grep -q 'nothing to do' "$T/e" && ok "db migrate at v1: nothing to do" || notok "db migrate" "$(cat "$T/e")"
expect_exit "db migrate on a database without a corpus is exit 3" 3 "$RFX" db migrate --db "$PE"
expect_exit "search on a database without a corpus is exit 3" 3 "$RFX" search --db "$PE" tariff
ngin=$(pgc_psql -d rfx_test -Atc "SELECT count(*) FROM pg_indexes WHERE tablename = 'risk' AND indexdef LIKE '%gin (tsv)%'")
[ "$ngin" = 1 ] && ok "risk.tsv has a GIN index" || notok "risk.tsv has a GIN index" "got $ngin"

# ---- inputs: hand-made registers (Northwind), generated ones, and real filings ----
mk() { printf '{"filing":{"form":"10-K","company":"Northwind Traders, Inc.","cik":"0000123456","period":"%s"},"risks":%s}\n' "$2" "$3" >"$1"; }
R1='{"index":1,"heading":"Competition could reduce our margins.","body":"Rivals with more resources may cut prices and win our customers.","categories":[{"id":"competition","score":0.9}]}'
R2='{"index":2,"heading":"We rely on a few suppliers.","body":"Single-source components could be delayed, halting production for months.","categories":[{"id":"supply_chain","score":0.8}]}'
R3='{"index":3,"heading":"Cyber attacks could expose customer data.","body":"A breach could bring fines, lawsuits and lost trust in our services. Café Zürich’s COVID-19 plan.","categories":[{"id":"cybersecurity_privacy","score":0.95}]}'
R1b='{"index":1,"heading":"Competition could reduce our margins.","body":"Rivals with far greater resources may cut prices and win our largest customers.","categories":[{"id":"competition","score":0.9}]}'
R4='{"index":3,"heading":"Tariffs and export controls could hurt sales abroad.","body":"New tariffs on imported zinclorite parts and export licences could halt shipments.","categories":[{"id":"international","score":0.85}]}'
mkdir -p "$T/in"
mk "$T/in/nw2021.json" 2021-12-31 "[$R1,$R2,$R3]"
mk "$T/in/nw2022.json" 2022-12-31 "[$R1b,$R3,$R4]"
mk "$T/in/nw2023.json" 2023-12-31 "[$R1b,$R3,$R4]"
python3 "$RFX_ROOT/tests/corpus/gen_registers.py" "$T/in/gen" 8 5 >/dev/null
set -- "$T/in/nw2023.json" "$T/in/nw2021.json" "$T/in/gen" "$T/in/nw2022.json"
if have_shared && [ -d "$SHARED/data/filings/HD" ] && [ -d "$SHARED/data/filings/AAPL" ]; then
    set -- "$@" "$SHARED/data/filings/HD" "$SHARED/data/filings/AAPL"
    real=yes
else
    real=
fi
for db in "$S" "$P"; do "$RFX" index --db "$db" -q -j 1 "$@" 2>"$T/ix.$(echo "$db" | cut -c1-4 | tr -dc a-z)"; done
"$RFX" index --db "$S" -q -j 1 "$@" 2>"$T/ix_s"; "$RFX" index --db "$P" -q -j 1 "$@" 2>"$T/ix_p"
rc=$?
if [ $rc -eq 0 ] && grep -q ' 0 added' "$T/ix_p" && diff "$T/ix_s" "$T/ix_p" >/dev/null; then ok "re-index: the same counts, nothing added (sha256 unique)"
else notok "re-index: the same counts" "exit $rc: $(cat "$T/ix_s" "$T/ix_p")"; fi
[ -z "$real" ] && skip "real filings (HD, AAPL) in the comparison" "$SHARED/data/filings absent"

# ---- the same answers ----
"$RFX" export --db "$S" --csv >"$T/s.csv"; "$RFX" export --db "$P" --csv >"$T/p.csv"
rows=$(($(wc -l <"$T/s.csv") - 1))
if [ "$rows" -gt 40 ] && cmp -s "$T/s.csv" "$T/p.csv"; then ok "export --csv byte-identical ($rows risks)"
else notok "export --csv byte-identical" "$rows rows; $(diff "$T/s.csv" "$T/p.csv" | head -4)"; fi
"$RFX" export --db "$S" --jsonl >"$T/s.jsonl"; "$RFX" export --db "$P" --jsonl >"$T/p.jsonl"
if cmp -s "$T/s.jsonl" "$T/p.jsonl"; then ok "export --jsonl byte-identical"; else notok "export --jsonl byte-identical" "$(diff "$T/s.jsonl" "$T/p.jsonl" | head -3)"; fi
for by in category year company form; do
    "$RFX" stats --db "$S" --by $by --json >"$T/s.st"; "$RFX" stats --db "$P" --by $by --json >"$T/p.st"
    out=$(python3 "$SAME" json "$T/s.st" "$T/p.st" 2>&1) && ok "stats --by $by equal" || notok "stats --by $by equal" "$out"
done
for who in northwind 123456 $( [ -n "$real" ] && echo "home depot" ); do
    "$RFX" history --db "$S" "$who" --json >"$T/s.h"; "$RFX" history --db "$P" "$who" --json >"$T/p.h"
    out=$(python3 "$SAME" json "$T/s.h" "$T/p.h" 2>&1) && ok "history '$who' equal" || notok "history '$who' equal" "$out"
done
nq=0; bad=""
while IFS='|' read -r q f1 f2; do
    [ -z "$q" ] && continue
    nq=$((nq + 1))
    # shellcheck disable=SC2086
    "$RFX" search --db "$S" "$q" $f1 $f2 --limit 5000 --json >"$T/s.q" 2>"$T/s.qe"; a=$?
    "$RFX" search --db "$P" "$q" $f1 $f2 --limit 5000 --json >"$T/p.q" 2>"$T/p.qe"; b=$?
    if [ $a -ne 0 ] || [ $b -ne 0 ]; then
        [ $a -eq $b ] && cmp -s "$T/s.qe" "$T/p.qe" || bad="$bad [$q $f1 $f2: exit $a/$b $(cat "$T/p.qe")]"
        continue
    fi
    python3 "$SAME" hits "$T/s.q" "$T/p.q" 2>"$T/d" || bad="$bad [$q $f1 $f2: $(cat "$T/d")]"
done <<'Q'
tariff*|
"export controls"|
breach OR rivals|
customers NOT breach|
suppliers|
cyber*|--category|cybersecurity_privacy
"supply chain"|
pandemic OR covid|
covid-19|
cafe zurich|
litigation NOT settlements|
(tariffs OR sanctions) currency|
regulat*|--year|2022..2023
interest rates|--form|10-k
"could adversely affect"|
competition|--company|northwind
margins|--status|modified
customers|--cik|123456
the|
us|
tariff|--category|no_such_category
tariff|--company|nobody at all
"unclosed|
tariff OR|
NOT tariff|
Q
[ -z "$bad" ] && ok "search: same hits or same error on both backends ($nq queries)" || notok "search: same hits on both backends" "$bad"
"$RFX" search --db "$P" 'tariff*' --json >"$T/p.q"
check "snippets mark the matched words" python3 -c '
import json,sys; h=json.load(open(sys.argv[1]))["hits"]
assert h and all("[" in x["heading_marked"] + x["snippet"] for x in h), h[:1]' "$T/p.q"
RFX_DB="$P" "$RFX" search 'tariff*' --json >"$T/env.q" 2>"$T/e"
cmp -s "$T/env.q" "$T/p.q" && ok "RFX_DB holding a postgresql:// URI selects PostgreSQL" || notok "RFX_DB URI" "$(cat "$T/e")"
"$RFX" db check --db "$P" 2>"$T/e" && ok "db check: ok" || notok "db check" "$(cat "$T/e")"

# ---- rfx db copy of a store without gaps in its ids: rfx export --jsonl
# byte-identical (reals to 6 decimals, as stored registers keep them) ----
"$RFX" export --db "$S" --jsonl >"$T/s.jsonl"
"$RFX" db copy "$S" "$P2" -q 2>"$T/e"; rc=$?
"$RFX" export --db "$P2" --jsonl >"$T/p2.jsonl"
[ $rc -eq 0 ] && cmp -s "$T/s.jsonl" "$T/p2.jsonl" && ok "db copy SQLite -> PostgreSQL: export identical" || notok "db copy SQLite -> PostgreSQL" "exit $rc $(cat "$T/e"); $(python3 "$SAME" json "$T/s.jsonl" "$T/p2.jsonl" 2>&1; diff "$T/s.jsonl" "$T/p2.jsonl" | cut -c1-300 | head -3)"
"$RFX" db copy "$P" "$T/back.db" -q 2>"$T/e"; rc=$?
"$RFX" export --db "$P" --jsonl >"$T/p.jsonl"; "$RFX" export --db "$T/back.db" --jsonl >"$T/b.jsonl"
[ $rc -eq 0 ] && cmp -s "$T/p.jsonl" "$T/b.jsonl" && ok "db copy PostgreSQL -> SQLite: export identical" || notok "db copy PostgreSQL -> SQLite" "exit $rc $(cat "$T/e"); $(diff "$T/p.jsonl" "$T/b.jsonl" | cut -c1-300 | head -3)"
"$RFX" db copy "$S" "$P2" 2>"$T/e"
grep -q ' 0 added' "$T/e" && ok "db copy into a store that has it all: nothing added" || notok "db copy again" "$(cat "$T/e")"
rm -f "$T/back.db"

# ---- a changed file replaces its old version, on both ----
cp "$T/in/nw2022.json" "$T/nw2022.orig"
mk "$T/in/nw2022.json" 2022-12-31 "[$R1b,$R4]"
"$RFX" index --db "$S" -q "$T/in/nw2022.json" 2>"$T/r_s"; "$RFX" index --db "$P" -q "$T/in/nw2022.json" 2>"$T/r_p"
grep -q '1 replaced' "$T/r_p" && cmp -s "$T/r_s" "$T/r_p" && ok "a changed file is replaced" || notok "a changed file is replaced" "$(cat "$T/r_p")"
"$RFX" export --db "$S" --csv >"$T/s.csv"; "$RFX" export --db "$P" --csv >"$T/p.csv"
cmp -s "$T/s.csv" "$T/p.csv" && ok "after the replacement: exports still identical (lineage relinked)" || notok "after the replacement" "$(diff "$T/s.csv" "$T/p.csv" | head -4)"

# ---- rfx db copy after a replacement (ids with gaps): the same filings,
# risks and lineage once ids are read as (source path, risk index) ----
pgc_psql -d postgres -c "DROP DATABASE rfx_copy" -c "CREATE DATABASE rfx_copy OWNER rfx_test" >/dev/null
"$RFX" export --db "$S" --jsonl >"$T/s.jsonl"
"$RFX" db copy "$S" "$P2" -q 2>"$T/e"; rc=$?
"$RFX" export --db "$P2" --jsonl >"$T/p2.jsonl"
out=$(python3 "$SAME" lineage "$T/s.jsonl" "$T/p2.jsonl" 2>&1)
[ $rc -eq 0 ] && [ -z "$out" ] && ok "db copy SQLite -> PostgreSQL after a replacement: same risks and lineage" || notok "db copy SQLite -> PostgreSQL after a replacement" "exit $rc $(cat "$T/e") $out"
"$RFX" db copy "$P" "$T/back.db" -q 2>"$T/e"; rc=$?
"$RFX" export --db "$P" --jsonl >"$T/p.jsonl"; "$RFX" export --db "$T/back.db" --jsonl >"$T/b.jsonl"
out=$(python3 "$SAME" lineage "$T/p.jsonl" "$T/b.jsonl" 2>&1)
[ $rc -eq 0 ] && [ -z "$out" ] && ok "db copy PostgreSQL -> SQLite after a replacement: same risks and lineage" || notok "db copy PostgreSQL -> SQLite after a replacement" "exit $rc $(cat "$T/e") $out"
"$RFX" db copy "$T/back.db" "$P3" -q 2>"$T/e"; rc=$?
"$RFX" export --db "$T/back.db" --jsonl >"$T/b.jsonl"; "$RFX" export --db "$P3" --jsonl >"$T/p3.jsonl"
[ $rc -eq 0 ] && cmp -s "$T/b.jsonl" "$T/p3.jsonl" && ok "db copy back again (no gaps): export identical" || notok "db copy back again" "exit $rc $(cat "$T/e")"

# ---- failures: one line, exit 3, no password ----
onefail() { # NAME URI SECRET...
    name=$1; uri=$2; shift 2
    "$RFX" search --db "$uri" tariff >"$T/o" 2>"$T/e"; rc=$?
    lines=$(wc -l <"$T/e")
    leak=""
    for sec in "$@"; do grep -qF "$sec" "$T/o" "$T/e" && leak="$sec"; done
    if [ $rc -eq 3 ] && [ "$lines" -eq 1 ] && [ -z "$leak" ] && [ ! -s "$T/o" ]; then ok "$name: exit 3, one line, no password"
    else notok "$name: exit 3, one line, no password" "exit $rc, $lines lines$( [ -n "$leak" ] && echo ', PASSWORD PRINTED'): $(cat "$T/e")"; fi
}
WRONG=$(echo "$P" | sed "s/:$PGC_PASSWORD@/:Wr0ngSecret@/")
onefail "wrong password" "$WRONG" Wr0ngSecret "$PGC_PASSWORD"
grep -q 'password authentication failed' "$T/e" && grep -q ':\*\*\*@' "$T/e" && ok "the message says why and masks the password" || notok "auth failure message" "$(cat "$T/e")"
onefail "wrong password in password=" "postgresql://rfx_test@127.0.0.1:$PGC_PORT/rfx_test?password=Wr0ngSecret" Wr0ngSecret
PORT2=$(pgc_free_port)
onefail "connection refused" "postgresql://rfx_test:$PGC_PASSWORD@127.0.0.1:$PORT2/rfx_test" "$PGC_PASSWORD"
grep -qi 'refused' "$T/e" && ok "connection refused says so" || notok "connection refused says so" "$(cat "$T/e")"
onefail "unknown database" "$(uri_db no_such_db)" "$PGC_PASSWORD"
"$RFX" index --db "$WRONG" -q "$T/in/nw2021.json" >"$T/o" 2>"$T/e"; rc=$?
[ $rc -eq 3 ] && ! grep -qF Wr0ngSecret "$T/e" && ok "index with a wrong password: exit 3, no password" || notok "index with a wrong password" "exit $rc: $(cat "$T/e")"
"$RFX" db init --db "$WRONG" >"$T/o" 2>"$T/e"; rc=$?
[ $rc -eq 3 ] && [ "$(wc -l <"$T/e")" -eq 1 ] && ! grep -qF Wr0ngSecret "$T/e" && ok "db init with a wrong password: exit 3, one line" || notok "db init with a wrong password" "exit $rc: $(cat "$T/e")"
expect_exit "a malformed connection URI is a usage error" 2 "$RFX" db init --db "postgresql://a:b@127.0.0.1/x?frobnicate=1"

# ---- a newer schema is refused ----
pgc_psql -d rfx_copy -c "INSERT INTO rfx_schema(version) VALUES (99)" >/dev/null
"$RFX" search --db "$P2" tariff >/dev/null 2>"$T/e"; rc=$?
[ $rc -eq 3 ] && grep -q 'schema v99 is newer than this rfx' "$T/e" && ok "a newer schema is refused (exit 3)" || notok "a newer schema is refused" "exit $rc: $(cat "$T/e")"
expect_exit "db migrate refuses a newer schema" 3 "$RFX" db migrate --db "$P2"
