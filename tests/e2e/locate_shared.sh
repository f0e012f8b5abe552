#!/bin/sh
# locate_shared.sh — the locate stage on real filings from ../shared, and the
# `rfx eval` totals it reached (asserted, so a regression fails; raise the
# figures when they improve, never lower them to pass).
# Needs $RFX (the binary), $SHARED (the shared folder) and jq; skips cleanly
# without them.
. "$(dirname "$0")/tap.sh"
F="$SHARED/data/filings"
if [ ! -x "$RFX" ] || [ ! -d "$F" ] || ! command -v jq >/dev/null 2>&1; then
    skip "locate on shared filings" "no rfx binary, no $F or no jq"
    exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# section FILE JQ-EXPR NAME: parse FILE and check a jq predicate on its JSON
section() {
    file=$1; expr=$2; name=$3
    "$RFX" parse "$F/$file" --json --no-classify >"$tmp/out.json" 2>"$tmp/err"
    if jq -e "$expr" "$tmp/out.json" >/dev/null 2>&1; then ok "$name"
    else notok "$name" "$(jq -c .section "$tmp/out.json" 2>/dev/null) $(head -c 200 "$tmp/err")"; fi
}

# a 10-K pair: the older one has an expected Item 1A size (108760)
section ABBV/ABBV_10-K_FY2023.html \
    '.section.found and .section.how == "heading" and ((.section.end - .section.start) / 108760 | . > 0.97 and . < 1.03)' \
    "ABBV FY2023: Item 1A found, span within 3% of 108760"
section ABBV/ABBV_10-K_FY2024.html '.section.found and .section.how == "heading" and (.risks | length) > 10' \
    "ABBV FY2024: Item 1A found with risks"
# a running header repeats "ITEM 1A. RISK FACTORS" on every page (MA)
section MA/MA_10-K_FY2023.html \
    '.section.found and ((.section.end - .section.start) / 147477 | . > 0.97 and . < 1.03)' \
    "MA FY2023: real heading chosen over running headers"
# EDGAR full submissions (SGML)
section AAPL/AAPL_10-K_FY2018_full-submission.txt \
    '.section.found and .section.how == "heading" and (.section.title | test("Item 1A"))' \
    "AAPL FY2018 full submission: Item 1A after the table of contents"
section AAPL/AAPL_10-K_FY2006_full-submission.txt '.section.found and .section.title == "Item 1A. Risk Factors"' \
    "AAPL FY2006: heading wrapped over two lines joined"
expect_exit "AAPL FY2005 (before Item 1A) exits 1" 1 "$RFX" parse "$F/AAPL/AAPL_10-K_FY2005_full-submission.txt" --no-classify
# 20-F
section 20-F_misc/LONCOR_20-F_FY2015.html '.section.found and .section.how == "heading" and (.section.title | test("Risk Factors"))' \
    "LONCOR 20-F: D. Risk Factors located"
section 20-F_misc/PLYMOUTH_20-F_FY2020.html '.section.found and .section.how == "heading"' \
    "PLYMOUTH 20-F: Risk Factors under Item 3 located"
# cross-reference-only Item 1A
section edgarriskfactor_item1a/WFC/WFC_10-K_filed20180301_full.htm \
    '.section.found and .section.how == "incorporated-by-reference" and (.risks | length) == 0 and (.warnings | map(.code) | index("incorporated-by-reference"))' \
    "WFC 2018: incorporated by reference, no risks, a warning"
expect_exit "WFC 2018 exits 0" 0 "$RFX" parse "$F/edgarriskfactor_item1a/WFC/WFC_10-K_filed20180301_full.htm" --no-classify
# before Item 1A existed
expect_exit "MEDICIS FY1999 exits 1" 1 "$RFX" parse "$F/10-K_misc/MEDICIS_10-K_FY1999.html" --no-classify
"$RFX" parse "$F/10-K_misc/MEDICIS_10-K_FY1999.html" --no-classify >/dev/null 2>"$tmp/err"
if grep -q "no Item 1A heading" "$tmp/err"; then ok "MEDICIS: the message says why"
else notok "MEDICIS: the message says why" "$(cat "$tmp/err")"; fi
# smaller reporting company
section 10-K_misc/COMMONWEALTH_10-K_FY2015.html '.section.found and .section.how == "not-applicable"' \
    "COMMONWEALTH: Item 1A not applicable"
# the seed
SEED="$SHARED/data/seed/000_f79ab47b85062882.txt"
if [ -f "$SEED" ]; then
    "$RFX" parse "$SEED" --json --no-classify >"$tmp/seed.json" 2>/dev/null
    if jq -e '.section.title == "D. Risk Factor" and .section.how == "heading" and .section.start == 0 and .section.end >= .source.bytes - 2' "$tmp/seed.json" >/dev/null; then
        ok "seed: OCR title, to the end of the document"
    else notok "seed: OCR title, to the end of the document" "$(jq -c .section "$tmp/seed.json")"; fi
else
    skip "seed" "no $SEED"
fi

# eval totals: the figures reached; raise them as they improve
"$RFX" eval "$F" --json >"$tmp/eval.json" 2>"$tmp/err"
t() { jq -r ".totals.$1" "$tmp/eval.json"; }
if [ "$(t files)" -gt 300 ] 2>/dev/null; then ok "eval ran over $(t files) files"; else notok "eval ran" "$(head -c 300 "$tmp/err")"; fi
[ "$(t found)" = "$(t need)" ] && [ "$(t need)" -ge 318 ] && ok "eval: section found in all $(t need) filings that have one" \
    || notok "eval: section found in every filing that has one" "$(t found)/$(t need)"
[ "$(t negatives_not_found)" = "$(t negatives)" ] && [ "$(t negatives)" -ge 3 ] && ok "eval: pre-Item-1A filings not found ($(t negatives))" \
    || notok "eval: pre-Item-1A filings not found" "$(t negatives_not_found)/$(t negatives)"
[ "$(t within3)" -ge 26 ] && ok "eval: span within 3% for $(t within3)/$(t with_expected)" \
    || notok "eval: span within 3% for at least 26" "$(t within3)/$(t with_expected)"
[ "$(t f20_found)" = "$(t f20)" ] && [ "$(t f20)" -ge 3 ] && ok "eval: every 20-F located ($(t f20))" \
    || notok "eval: every 20-F located" "$(t f20_found)/$(t f20)"
[ "$(t incorporated_by_reference)" = 4 ] && ok "eval: WFC and USB incorporated by reference (4)" \
    || notok "eval: 4 incorporated by reference" "$(t incorporated_by_reference)"
if jq -e '.totals.isb_f1 >= 0.937' "$tmp/eval.json" >/dev/null; then ok "eval: isb heading F1 $(t isb_f1) >= 0.937"
else notok "eval: isb heading F1 >= 0.937" "$(t isb_f1)"; fi
# forms/ (README rows: 10-Qs, prospectuses, 8-K, DEF 14A, 6-K, Markdown,
# tag-stripped text): every row right on exit, count, form and company
if jq -e '.totals.forms.rows >= 20 and .totals.forms.ok == .totals.forms.rows' "$tmp/eval.json" >/dev/null; then
    ok "eval: forms rows all right ($(jq -r .totals.forms.ok "$tmp/eval.json"))"
elif jq -e '.totals.forms.rows == 0' "$tmp/eval.json" >/dev/null; then skip "eval: forms rows" "no forms/ README"
else notok "eval: forms rows all right" "$(jq -c .totals.forms "$tmp/eval.json")"; fi
echo "1..$n"
