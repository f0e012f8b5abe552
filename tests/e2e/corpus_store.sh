# corpus_store.sh — rfx index/search/history/stats/export on hand-made
# registers (no shared data needed): lineage across out-of-order years
# against rfx diff, idempotence and replacement, the query language and its
# errors, filters, bad databases, a SIGKILL crash test and a reader running
# beside an indexer.
. "$(dirname "$0")/tap.sh"
T=$(mktemp -d)
trap 'chmod -R u+w "$T" 2>/dev/null; rm -rf "$T"' EXIT
if [ ! -x "$RFX" ]; then skip "corpus" "no rfx binary at $RFX"; exit 0; fi
if ! command -v python3 >/dev/null 2>&1; then skip "corpus" "python3 is not installed"; exit 0; fi
DB="$T/nw.db"

# Northwind: three years; 2022 rewords one risk, drops one, adds one.
mk() { # mk FILE PERIOD RISKS_JSON
    printf '{"filing":{"form":"10-K","company":"Northwind Traders, Inc.","cik":"0000123456","period":"%s"},"risks":%s}\n' "$2" "$3" >"$1"
}
R1='{"index":1,"heading":"Competition could reduce our margins.","body":"Rivals with more resources may cut prices and win our customers.","categories":[{"id":"competition","score":0.9}]}'
R2='{"index":2,"heading":"We rely on a few suppliers.","body":"Single-source components could be delayed, halting production for months.","categories":[{"id":"supply_chain","score":0.8}]}'
R3='{"index":3,"heading":"Cyber attacks could expose customer data.","body":"A breach could bring fines, lawsuits and lost trust in our services.","categories":[{"id":"cybersecurity_privacy","score":0.95}]}'
R3b='{"index":2,"heading":"Cyber attacks could expose customer data.","body":"A breach could bring fines, lawsuits and lost trust in our services.","categories":[{"id":"cybersecurity_privacy","score":0.95}]}'
R1b='{"index":1,"heading":"Competition could reduce our margins.","body":"Rivals with far greater resources may cut prices and win our largest customers.","categories":[{"id":"competition","score":0.9}]}'
R4='{"index":3,"heading":"Tariffs and export controls could hurt sales abroad.","body":"New tariffs on imported zinclorite parts and export licences could halt shipments.","categories":[{"id":"international","score":0.85}]}'
mk "$T/nw2021.json" 2021-12-31 "[$R1,$R2,$R3]"
mk "$T/nw2022.json" 2022-12-31 "[$R1b,$R3b,$R4]"
mk "$T/nw2023.json" 2023-12-31 "[$R1b,$R3b,$R4]"
printf '{"filing":{"form":"10-K","company":"Southwind Traders LLC","period":"2022-06-30"},"risks":[%s]}\n' "$R2" >"$T/sw2022.json"

# out of order: the middle year last, so lineage must be relinked
"$RFX" index --db "$DB" -q "$T/nw2023.json" "$T/nw2021.json" 2>"$T/err1"
rc=$?
[ $rc -eq 0 ] && grep -q '2 added, 0 unchanged, 0 replaced, 0 not found, 0 failed' "$T/err1" && ok "index two filings" || notok "index two filings" "exit $rc: $(cat "$T/err1")"
"$RFX" index --db "$DB" -q "$T/nw2022.json" "$T/sw2022.json" 2>/dev/null
"$RFX" index --db "$DB" "$T/nw2021.json" "$T/nw2022.json" "$T/nw2023.json" 2>"$T/err2"
grep -q '0 added, 3 unchanged' "$T/err2" && ok "re-index is idempotent (by sha256)" || notok "re-index is idempotent" "$(cat "$T/err2")"

"$RFX" export --db "$DB" --jsonl >"$T/all.jsonl"
for pair in "2021 2022" "2022 2023"; do
    set -- $pair
    "$RFX" diff "$T/nw$1.json" "$T/nw$2.json" --json >"$T/d.json"
    check "lineage $1→$2 (indexed out of order) matches rfx diff" python3 - "$T/all.jsonl" "$T/d.json" "$1" "$2" <<'P'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
d = json.load(open(sys.argv[2])); y0, y1 = int(sys.argv[3]), int(sys.argv[4])
nw = [r for r in rows if r["cik"] == "123456"]
old = {r["risk_id"]: r for r in nw if r["fiscal_year"] == y0}
new = {r["risk_index"]: r for r in nw if r["fiscal_year"] == y1}
seen = 0
for p in d["pairs"]:
    if p["new"] is None: continue
    r = new[p["new"]]
    assert r["status"] == p["status"], (r["risk_index"], r["status"], p["status"])
    if p["old"] is not None:
        assert old[r["prev_risk_id"]]["risk_index"] == p["old"], (p, r)
    else:
        assert r["prev_risk_id"] is None
    seen += 1
assert seen == len(new), (seen, len(new))
P
done
check "the first filing has no lineage status" python3 -c '
import json,sys
rows=[json.loads(l) for l in open(sys.argv[1]) if "\"fiscal_year\":2021" in l]
assert rows and all(r["status"] is None and r["prev_risk_id"] is None for r in rows), rows' "$T/all.jsonl"

# history: three filings, the removed supplier risk, the added tariff risk
"$RFX" history --db "$DB" northwind --json >"$T/h.json"
check "history: 3 filings, removed and added counted, lineages" python3 - "$T/h.json" <<'P'
import json, sys
h = json.load(open(sys.argv[1]))
f = h["filings"]
assert [x["fiscal_year"] for x in f] == [2021, 2022, 2023], f
assert f[1]["counts"]["removed"] == 1 and f[1]["counts"]["added"] == 1, f[1]
assert f[1]["counts"]["modified"] == 1 and f[2]["counts"]["unchanged"] == 3, f
L = {l["first_heading"]: l for l in h["lineages"]}
c = L["Competition could reduce our margins."]
assert (c["first_year"], c["last_year"], c["years_modified"]) == (2021, 2023, [2022]), c
t = L["Tariffs and export controls could hurt sales abroad."]
assert (t["first_year"], t["began_as"]) == (2022, "added"), t
s = L["We rely on a few suppliers."]
assert s["last_year"] == 2021 and s["ended"]["fiscal_year"] == 2022, s
P
expect_exit "history of an unknown company is exit 2" 2 "$RFX" history --db "$DB" "Contoso"
"$RFX" history --db "$DB" traders >/dev/null 2>"$T/amb"
rc=$?
[ $rc -eq 2 ] && grep -q Northwind "$T/amb" && grep -q Southwind "$T/amb" && ok "an ambiguous company lists the matches, exit 2" || notok "ambiguous company" "exit $rc: $(cat "$T/amb")"
expect_exit "history by CIK (leading zeros ignored)" 0 "$RFX" history --db "$DB" 000123456

# search: phrase, prefix, OR, NOT, filters
"$RFX" search --db "$DB" '"export controls"' --json >"$T/s1.json"
check "a phrase from a heading finds its risk in both years" python3 -c '
import json,sys; h=json.load(open(sys.argv[1]))["hits"]
assert sorted(x["fiscal_year"] for x in h)==[2022,2023], h
assert all("export controls" in x["heading"].lower() for x in h)
assert all("[" in x["snippet"] or "[" in x["heading_marked"] for x in h)' "$T/s1.json"
"$RFX" search --db "$DB" 'zinclor*' --jsonl >"$T/s2.jsonl"
check "prefix search" python3 -c '
import json,sys; h=[json.loads(l) for l in open(sys.argv[1])]
assert len(h)==2 and all("zinclorite" in x["snippet"] for x in h), h' "$T/s2.jsonl"
n_or=$("$RFX" search --db "$DB" 'breach OR zinclorite' --jsonl | wc -l)
n_not=$("$RFX" search --db "$DB" 'customers NOT largest' --jsonl | wc -l)
n_all=$("$RFX" search --db "$DB" 'customers' --jsonl | wc -l)
[ "$n_or" -eq 5 ] && ok "OR unites (3 breach + 2 zinclorite)" || notok "OR unites" "got $n_or"
# "customers" also matches the heading word "customer" (porter stemming)
[ "$n_all" -eq 6 ] && [ "$n_not" -eq 4 ] && ok "NOT excludes" || notok "NOT excludes" "all $n_all, not $n_not"
n_y=$("$RFX" search --db "$DB" 'customers' --year 2022..2023 --jsonl | wc -l)
n_s=$("$RFX" search --db "$DB" 'customers' --status modified --jsonl | wc -l)
n_c=$("$RFX" search --db "$DB" 'components' --company southwind --jsonl | wc -l)
n_k=$("$RFX" search --db "$DB" 'breach' --category cybersecurity_privacy --year 2023 --jsonl | wc -l)
[ "$n_y" -eq 4 ] && [ "$n_s" -eq 1 ] && [ "$n_c" -eq 1 ] && [ "$n_k" -eq 1 ] && ok "filters narrow (year, status, company, category+year)" \
    || notok "filters narrow" "year $n_y status $n_s company $n_c category $n_k"
"$RFX" search --db "$DB" 'customers' --csv >"$T/s.csv"
check "--csv loads with the csv module, one row per hit" python3 -c '
import csv,sys; r=list(csv.DictReader(open(sys.argv[1],newline="")))
assert len(r)==6 and all(x["form"]=="10-K" for x in r), r' "$T/s.csv"

for q in 'NOT tariff' '"unclosed' 'tariff OR' '(tariff' 'tariff)' '***' 'ta*riff' '' 'a AND' 'NOT NOT a' '()'; do
    "$RFX" search --db "$DB" "$q" >/dev/null 2>"$T/qe"
    rc=$?
    if [ $rc -eq 2 ] && [ "$(wc -l <"$T/qe")" -eq 1 ] && grep -q '^rfx: search: ' "$T/qe" && ! grep -qi 'fts5\|sqlite\|syntax error' "$T/qe"; then
        ok "malformed query [$q] is exit 2 in rfx's words"
    else notok "malformed query [$q]" "exit $rc: $(cat "$T/qe")"; fi
done
for q in 'a:b' '"a" "b"' 'x^y' 'NEAR(a b)' "o'brien" '-customers' 'customers*'; do
    expect_exit "FTS5 syntax in a query is only text [$q]" 0 "$RFX" search --db "$DB" "$q"
done
expect_exit "unknown company in a filter is exit 2" 2 "$RFX" search --db "$DB" customers --company contoso
expect_exit "unknown status is exit 2" 2 "$RFX" search --db "$DB" customers --status gone
expect_exit "bad year range is exit 2" 2 "$RFX" search --db "$DB" customers --year 2023..2021

# a changed file at the same path replaces the old filing
cp "$T/nw2023.json" "$T/keep.json"
R4b='{"index":2,"heading":"Tariffs and export controls could hurt sales abroad.","body":"New tariffs on imported zinclorite parts and export licences could halt shipments.","categories":[{"id":"international","score":0.85}]}'
mk "$T/nw2023.json" 2023-12-31 "[$R1b,$R4b]"
"$RFX" index --db "$DB" -q "$T/nw2023.json" 2>"$T/err3"
n23=$("$RFX" export --db "$DB" --jsonl --year 2023 | wc -l)
grep -q '0 added, 0 unchanged, 1 replaced' "$T/err3" && [ "$n23" -eq 2 ] && ok "a changed file replaces its filing" || notok "replace" "$(cat "$T/err3") rows $n23"
"$RFX" history --db "$DB" northwind --json | python3 -c '
import json,sys; f=json.load(sys.stdin)["filings"]
assert len(f)==3 and f[2]["counts"]["removed"]==1, f' && ok "replacement relinks the lineage" || notok "replacement relinks"

"$RFX" stats --db "$DB" --json >"$T/st.json"
check "stats: shares per year sum to 1" python3 -c '
import json,sys,collections; d=json.load(open(sys.argv[1])); s=collections.Counter()
for r in d["rows"]: s[r["fiscal_year"]]+=r["share"]
assert all(abs(v-1)<1e-3 for v in s.values()) and len(s)==3, s' "$T/st.json"
for by in year company form; do expect_exit "stats --by $by" 0 "$RFX" stats --db "$DB" --by $by --csv; done
expect_exit "stats --by nonsense is exit 2" 2 "$RFX" stats --db "$DB" --by colour
"$RFX" export --db "$DB" --csv >"$T/e.csv"
check "export --csv: header + one row per risk, quoted newlines survive" python3 -c '
import csv,sys; r=list(csv.DictReader(open(sys.argv[1],newline="")))
assert len(r)==9 and r[0]["risk_id"] and "status" in r[0] and "other_categories" in r[0], len(r)' "$T/e.csv"

# bad databases
head -c 8192 /dev/urandom >"$T/noise.db"
expect_exit "a random-bytes database is exit 3 (search)" 3 "$RFX" search --db "$T/noise.db" customers
expect_exit "a random-bytes database is exit 3 (index)" 3 "$RFX" index --db "$T/noise.db" "$T/nw2021.json"
printf 'hello, not a database\n' >"$T/text.db"
expect_exit "a text file as database is exit 3" 3 "$RFX" history --db "$T/text.db" northwind
cp "$DB" "$T/trunc.db"
"$RFX" index --db "$T/trunc.db" --check >/dev/null 2>&1
sz=$(wc -c <"$T/trunc.db")
head -c $((sz / 3)) "$DB" >"$T/trunc.db"
"$RFX" export --db "$T/trunc.db" --csv >/dev/null 2>"$T/te"
rc=$?
[ $rc -eq 3 ] && ok "a truncated database is exit 3" || notok "truncated database" "exit $rc: $(cat "$T/te")"
expect_exit "a missing database is exit 3 for search" 3 "$RFX" search --db "$T/none.db" customers
if command -v sqlite3 >/dev/null 2>&1; then
    cp "$DB" "$T/new.db"
    sqlite3 "$T/new.db" 'PRAGMA user_version=99' >/dev/null
    "$RFX" search --db "$T/new.db" customers 2>"$T/ne" >/dev/null
    rc=$?
    [ $rc -eq 3 ] && grep -q 'schema v99 is newer than this rfx' "$T/ne" && ok "a newer schema is refused (exit 3)" || notok "newer schema" "exit $rc: $(cat "$T/ne")"
    expect_exit "a newer schema is refused by index too" 3 "$RFX" index --db "$T/new.db" "$T/nw2021.json"
    sqlite3 "$T/other.db" 'CREATE TABLE t(x); INSERT INTO t VALUES(1)'
    expect_exit "another program's SQLite database is refused" 3 "$RFX" index --db "$T/other.db" "$T/nw2021.json"
else
    skip "newer schema" "sqlite3 CLI not installed"
fi
expect_exit "a database in a missing directory is exit 3" 3 "$RFX" index --db "$T/no/such/dir/x.db" "$T/nw2021.json"
mkdir "$T/ro"
chmod 555 "$T/ro"
if [ "$(id -u)" -ne 0 ]; then
    expect_exit "a database in a read-only directory is exit 3" 3 "$RFX" index --db "$T/ro/x.db" "$T/nw2021.json"
else
    skip "read-only directory" "running as root, which may write anywhere"
fi

# crash test: SIGKILL at random points, resume, compare with a clean run
python3 "$RFX_ROOT/tests/corpus/gen_registers.py" "$T/gen" 40 10
"$RFX" index --db "$T/clean.db" -q "$T/gen" 2>/dev/null
"$RFX" export --db "$T/clean.db" --csv >"$T/clean.csv"
killed=0
for i in 1 2 3 4 5; do
    "$RFX" index --db "$T/crash.db" -q "$T/gen" 2>/dev/null &
    pid=$!
    sleep "$(python3 -c 'import random; print(round(random.uniform(0.1, 0.7), 2))')"
    if kill -9 $pid 2>/dev/null; then killed=$((killed + 1)); fi
    wait $pid 2>/dev/null
    "$RFX" index --db "$T/crash.db" --check 2>/dev/null || { notok "integrity after kill $i"; }
done
"$RFX" index --db "$T/crash.db" -q "$T/gen" 2>/dev/null
"$RFX" export --db "$T/crash.db" --csv >"$T/crash.csv"
[ "$killed" -ge 1 ] && ok "index was killed mid-run $killed times" || skip "kill mid-run" "the index finished before every kill"
cmp -s "$T/clean.csv" "$T/crash.csv" && ok "killed and resumed index exports the same CSV as a clean run" \
    || notok "crash/resume equals clean run" "$(diff "$T/clean.csv" "$T/crash.csv" | head -5)"
expect_exit "integrity_check passes after the crashes" 0 "$RFX" index --db "$T/crash.db" --check
if command -v sqlite3 >/dev/null 2>&1; then
    [ "$(sqlite3 "$T/crash.db" 'PRAGMA integrity_check')" = ok ] && ok "sqlite3 agrees: integrity_check ok" || notok "sqlite3 integrity_check"
fi

# a reader beside the indexer: every search after the schema exists succeeds
"$RFX" index --db "$T/live.db" -q "$T/gen" 2>/dev/null &
pid=$!
good=0; bad=0; started=0
while kill -0 $pid 2>/dev/null; do
    if "$RFX" search --db "$T/live.db" 'customers OR breach' --limit 5 >/dev/null 2>"$T/re"; then
        started=1; good=$((good + 1))
    elif [ $started -eq 1 ]; then bad=$((bad + 1)); cat "$T/re" >"$T/re.keep"; fi
done
wait $pid
[ $bad -eq 0 ] && [ $good -ge 1 ] && ok "searches while indexing: $good ok, none failed" \
    || notok "concurrent reader" "$good ok, $bad failed: $(cat "$T/re.keep" 2>/dev/null)"
