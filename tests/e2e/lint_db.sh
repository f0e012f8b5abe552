# lint_db.sh — `rfx lint --db`: a corpus's filings linted each against its
# predecessor in the store (same company and form, latest earlier period),
# a FILE linted against its predecessor looked up in a corpus, the year
# count of stale-risk along the chain, filters, JSON/SARIF/text output,
# --fail-on across the corpus; and Amazon's two 10-Ks from ../shared.
# Fixtures: tests/lint/corpus/larkspur_{2011,2012,2013}.txt, a fictional
# baker whose risks 1 and 3 never change and whose 2012 and 2013 filings
# repeat "As of March 31, 2011".
. "$(dirname "$0")/tap.sh"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
C="$RFX_ROOT/tests/lint/corpus"

if [ ! -x "$RFX" ] || ! command -v jq >/dev/null 2>&1; then skip "rfx lint --db" "no rfx binary at $RFX or no jq"; exit 0; fi

# the source paths stored must still be there for exact spans: copy them
cp "$C"/larkspur_*.txt "$T/"
"$RFX" index -q --db "$T/all.db" "$T/larkspur_2011.txt" "$T/larkspur_2012.txt" "$T/larkspur_2013.txt" >/dev/null 2>&1
"$RFX" index -q --db "$T/old.db" "$T/larkspur_2011.txt" "$T/larkspur_2012.txt" >/dev/null 2>&1

expect_exit "a missing database is bad input" 3 "$RFX" lint --db "$T/none/x.db"
expect_exit "filters without --db are a usage error" 2 "$RFX" lint --form 10-K "$T/larkspur_2013.txt"
expect_exit "filters with a FILE are a usage error" 2 "$RFX" lint --db "$T/all.db" --year 2013 "$T/larkspur_2013.txt"
expect_exit "--previous and --db together are a usage error" 2 "$RFX" lint --db "$T/all.db" --previous "$T/larkspur_2012.txt" "$T/larkspur_2013.txt"
expect_exit "a bad --year is a usage error" 2 "$RFX" lint --db "$T/all.db" --year 20x3

# ---- the whole corpus: one JSON object per filing, with the filing's facts
"$RFX" lint --db "$T/all.db" --json >"$T/all.jsonl"
got=$(jq -s -c 'map(.source.period)' "$T/all.jsonl")
[ "$got" = '["2011-12-31","2012-12-31","2013-12-31"]' ] && ok "every stored filing linted once, in period order" || notok "every stored filing linted once" "$got"
got=$(jq -s -c 'map([.source.company, .source.cik, .source.form]) | unique' "$T/all.jsonl")
[ "$got" = '[["LARKSPUR BAKERIES INC","9999001","10-K"]]' ] && ok "source names company, CIK and form" || notok "source names company, CIK and form" "$got"
got=$(jq -s -c '.[0].findings | map(.rule)' "$T/all.jsonl")
[ "$got" = '[]' ] && ok "the first filing of a chain has no predecessor: no stale findings" || notok "first filing has no stale findings" "$got"
got=$(jq -s -c '.[1].findings | map([.rule, .line, .col])' "$T/all.jsonl")
[ "$got" = '[["stale-risk",30,1],["stale-risk",38,1]]' ] && ok "2012: risks 1 and 3 unchanged from 2011 (lines 30, 38)" || notok "2012 stale-risk" "$got"
got=$(jq -s -r '.[1].findings[0].message' "$T/all.jsonl")
case $got in *"for 2 years"*) notok "2012: one year only" "$got" ;; *"word for word last year's risk 1"*) ok "2012: unchanged from last year, no year count" ;; *) notok "2012 message" "$got" ;; esac
got=$(jq -s -c '.[1].findings | map(select(.rule == "stale-figure")) | length' "$T/all.jsonl")
[ "$got" = 0 ] && ok "2012: March 31, 2011 is one year old: not stale" || notok "2012 stale-figure" "$got"

# ---- 2013: the chain walked back two years, and the stale date with its span
j13=$(jq -s -c '.[2]' "$T/all.jsonl")
got=$(printf '%s' "$j13" | jq -r '[.findings[] | select(.rule == "stale-risk") | .message] | .[0]')
case $got in *"unchanged word for word for 2 years (since the filing for 2011-12-31)"*) ok "2013: stale-risk counts 2 years back to 2011" ;; *) notok "2013: stale-risk year count" "$got" ;; esac
got=$(printf '%s' "$j13" | jq -c '[.findings[] | select(.rule == "stale-risk") | .text]')
[ "$got" = '["We depend on three grocery chains for most of our sales.","A strike could stop our deliveries."]' ] && ok "2013: the two unchanged risks, by heading" || notok "2013: unchanged risks" "$got"
got=$(printf '%s' "$j13" | jq -c '[.findings[] | select(.rule == "stale-figure") | [.text, .line, .col, .start, .end]]')
start=$(printf '%s' "$j13" | jq '[.findings[] | select(.rule == "stale-figure")][0].start')
end=$(printf '%s' "$j13" | jq '[.findings[] | select(.rule == "stale-figure")][0].end')
bytes=$(dd if="$T/larkspur_2013.txt" bs=1 skip="$start" count=$((end - start)) 2>/dev/null)
[ "$bytes" = "March 31, 2011" ] && ok "2013: stale-figure spans the source bytes of \"March 31, 2011\"" || notok "2013 stale-figure span" "$got / [$bytes]"
case $got in *'"March 31, 2011",40,7'*) ok "2013: stale-figure at line 40, column 7" ;; *) notok "2013 stale-figure line/col" "$got" ;; esac
got=$(printf '%s' "$j13" | jq -c '.counts.by_rule')
[ "$got" = '{"stale-risk":2,"stale-figure":1}' ] && ok "2013: counts by rule" || notok "2013 counts" "$got"

# ---- filters select the filings
got=$("$RFX" lint --db "$T/all.db" --json --year 2012..2013 | jq -s -c 'map(.source.fiscal_year)')
[ "$got" = '[2012,2013]' ] && ok "--year 2012..2013 selects two filings" || notok "--year filter" "$got"
got=$("$RFX" lint --db "$T/all.db" --json --cik 9999001 --form 10-K --year 2013 | jq -s -c 'map(.counts.by_rule)')
[ "$got" = '[{"stale-risk":2,"stale-figure":1}]' ] && ok "--cik --form --year: one filing, still compared with its predecessor" || notok "--cik/--form filter" "$got"
got=$("$RFX" lint --db "$T/all.db" --json --company larkspur --year 2011 | jq -s 'length')
[ "$got" = 1 ] && ok "--company selects by name words" || notok "--company filter" "$got"
"$RFX" lint --db "$T/all.db" --json --form 20-F >"$T/none.json" 2>"$T/none.err"; rc=$?
[ "$rc" = 0 ] && [ ! -s "$T/none.json" ] && grep -q "no filing" "$T/none.err" && ok "no filing matches: nothing printed, a note on stderr, exit 0" || notok "no match" "rc $rc"

# ---- text output: a line per filing, compiler-style findings
"$RFX" lint --db "$T/all.db" --year 2013 >"$T/out.txt"
head -1 "$T/out.txt" | grep -q '^# LARKSPUR BAKERIES INC, 10-K, period 2013-12-31: ' && ok "text: a header line names the filing" || notok "text header" "$(head -1 "$T/out.txt")"
grep -q 'larkspur_2013.txt:40:7: note: "March 31, 2011" (2011) is repeated' "$T/out.txt" && ok "text: file:line:col of the stale date" || notok "text stale-figure line" "$(cat "$T/out.txt")"

# ---- SARIF: one log, one run per filing
"$RFX" lint --db "$T/all.db" --sarif >"$T/all.sarif"
got=$(jq -c '[.version, (.runs | length), [.runs[] | .results | length]]' "$T/all.sarif")
[ "$got" = '["2.1.0",3,[0,2,3]]' ] && ok "SARIF: one log with a run per filing" || notok "SARIF runs" "$got"

# ---- --fail-on across the corpus
expect_exit "--fail-on note: a note in any filing fails (8)" 8 "$RFX" lint --db "$T/all.db" --fail-on note
expect_exit "--fail-on warning: notes only, passes" 0 "$RFX" lint --db "$T/all.db" --fail-on warning
expect_exit "--fail-on note on the first filing alone passes" 0 "$RFX" lint --db "$T/all.db" --year 2011 --fail-on note
expect_exit "--disable stale: the corpus passes --fail-on note" 0 "$RFX" lint --db "$T/all.db" --disable stale --fail-on note

# ---- a FILE with a corpus: its predecessor looked up by CIK and form
got=$("$RFX" lint "$T/larkspur_2013.txt" --db "$T/old.db" --json | jq -c '[.findings[] | .rule]')
[ "$got" = '["stale-risk","stale-risk","stale-figure"]' ] && ok "FILE --db: 2013 against the stored 2012 (and 2011)" || notok "FILE --db" "$got"
got=$("$RFX" lint "$T/larkspur_2013.txt" --db "$T/old.db" --json | jq -r '.findings[0].message')
case $got in *"for 2 years"*) ok "FILE --db: year count from the stored chain" ;; *) notok "FILE --db year count" "$got" ;; esac
a=$("$RFX" lint "$T/larkspur_2013.txt" --db "$T/old.db" --json | jq -c '.findings | map([.rule, .start, .end])')
b=$("$RFX" lint "$T/larkspur_2013.txt" --previous "$T/larkspur_2012.txt" --json | jq -c '.findings | map([.rule, .start, .end])')
[ "$a" = "$b" ] && ok "FILE --db finds what --previous finds, same spans" || notok "FILE --db vs --previous" "$a / $b"
# the corpus holds the file itself: it is not its own predecessor
got=$("$RFX" lint "$T/larkspur_2011.txt" --db "$T/all.db" --json 2>"$T/err" | jq -c '.findings | length')
[ "$got" = 0 ] && grep -q "no earlier 10-K" "$T/err" && ok "FILE --db with no earlier filing: no stale findings, a note on stderr" || notok "FILE --db first year" "$got $(cat "$T/err")"

# ---- the store's register when the source is gone: whole-risk spans, no figures
mv "$T/larkspur_2013.txt" "$T/moved.txt"
got=$("$RFX" lint --db "$T/all.db" --year 2013 --json | jq -c '[.findings[] | [.rule, .line]]')
[ "$got" = '[["stale-risk",null],["stale-risk",null]]' ] && ok "source gone: the stored register, risks without lines, no stale-figure" || notok "source gone" "$got"
mv "$T/moved.txt" "$T/larkspur_2013.txt"

# ---- shared filings: Amazon's 10-K 2024 against 2023 in a corpus
S="$SHARED/data/filings/AMZN"
if [ -f "$S/AMZN_10-K_FY2023.html" ] && [ -f "$S/AMZN_10-K_FY2024.html" ]; then
    "$RFX" index -q --db "$T/amzn.db" "$S/AMZN_10-K_FY2023.html" "$S/AMZN_10-K_FY2024.html" >/dev/null 2>&1
    "$RFX" lint --db "$T/amzn.db" --json >"$T/amzn.jsonl"
    got=$(jq -s -c 'map([.source.cik, .source.fiscal_year, (.counts.by_rule["stale-risk"] // 0)])' "$T/amzn.jsonl")
    [ "$got" = '[["1018724",2023,0],["1018724",2024,13]]' ] && ok "Amazon corpus: 2024 has 13 risks unchanged from 2023" || notok "Amazon corpus" "$got"
    a=$(jq -s -c '.[1].findings' "$T/amzn.jsonl")
    b=$("$RFX" lint "$S/AMZN_10-K_FY2024.html" --previous "$S/AMZN_10-K_FY2023.html" --json | jq -c '.findings')
    [ "$a" = "$b" ] && ok "Amazon: --db and --previous give the same findings" || notok "Amazon --db vs --previous" "differ"
else
    skip "Amazon corpus" "../shared filings absent"
    skip "Amazon --db vs --previous" "../shared filings absent"
fi
echo "1..$n"
