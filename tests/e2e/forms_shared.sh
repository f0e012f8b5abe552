#!/bin/sh
# forms_shared.sh — every document of ../shared/data/filings/forms/ gives
# what its README.md row says a careful reader finds: the exit code of
# `rfx parse`, the number of risks ("≈ N" within 10%), a section that refers
# to the annual report where the row says "reference", the form, and a
# company where the row asks for one. The rows are read from the README, so
# a new document there is tested without editing this script. Skips cleanly
# without ../shared or jq.
. "$(dirname "$0")/tap.sh"
D="$SHARED/data/filings/forms"
if [ ! -x "$RFX" ] || [ ! -f "$D/README.md" ] || ! command -v jq >/dev/null 2>&1; then
    skip "forms/ documents" "no rfx binary, no $D/README.md or no jq"
    exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# rows: file <TAB> form column <TAB> expected column
awk -F'|' '
    /^\|/ && !fc { for (i = 2; i < NF; i++) { c = $i; gsub(/^ +| +$/, "", c)
                   if (c == "file") fc = i; if (c == "form") mc = i; if (c == "expected") ec = i } next }
    /^\|/ && fc { f = $fc; m = $mc; e = $ec; gsub(/^ +| +$/, "", f); gsub(/^ +| +$/, "", m); gsub(/^ +| +$/, "", e)
                  if (f != "" && f !~ /^-+$/) print f "\t" m "\t" e }' "$D/README.md" >"$tmp/rows"
rows=$(wc -l <"$tmp/rows")
[ "$rows" -ge 20 ] && ok "README lists $rows documents" || notok "README lists the documents" "$rows rows"
while IFS='	' read -r file formcol exp; do
    "$RFX" parse "$D/$file" --json --no-classify >"$tmp/out.json" 2>"$tmp/err"
    rc=$?
    want_rc=$(printf '%s' "$exp" | sed -n 's/.*exit \([0-9]\).*/\1/p')
    [ "$rc" = "$want_rc" ] && ok "$file: exit $rc" || notok "$file: exit $want_rc" "exit $rc: $(head -c 200 "$tmp/err")"
    [ "$rc" -gt 1 ] && continue
    # risk count: "3 risks", "≈ 30 risks", "0 risks"
    nr=$(jq ".risks | length" "$tmp/out.json")
    want_n=$(printf '%s' "$exp" | sed -n 's/.*[^0-9-]\([0-9][0-9]*\) risks*\b.*/\1/p')
    if [ -n "$want_n" ]; then
        case "$exp" in
            *"≈ $want_n"*) lo=$((want_n - want_n / 10)); hi=$((want_n + want_n / 10)) ;;
            *) lo=$want_n; hi=$want_n ;;
        esac
        [ "$nr" -ge "$lo" ] && [ "$nr" -le "$hi" ] && ok "$file: $nr risks" \
            || notok "$file: $want_n risks" "$nr risks: $(jq -c '[.risks[].heading[0:60]]' "$tmp/out.json" | head -c 600)"
    fi
    case "$exp" in *reference*)
        jq -e '.section.found and (.section.how | test("reference")) and (.risks | length) == 0' "$tmp/out.json" >/dev/null \
            && ok "$file: a reference to the annual report" || notok "$file: a reference" "$(jq -c .section "$tmp/out.json" | head -c 300)" ;;
    esac
    # form: "form X" in the expectation, else the form column's first word(s)
    want_f=$(printf '%s' "$exp" | sed -n 's/.*form \([^ ,]*\).*/\1/p')
    [ -n "$want_f" ] || want_f=$(printf '%s' "$formcol" | sed 's/,.*//; s/^\(DEF 14A\|[^ ]*\).*/\1/')
    got_f=$(jq -r '.filing.form // ""' "$tmp/out.json")
    [ "$got_f" = "$want_f" ] && ok "$file: form $got_f" || notok "$file: form $want_f" "form '$got_f'"
    case "$exp" in *company*)
        jq -e '.filing.company | type == "string" and length > 3' "$tmp/out.json" >/dev/null \
            && ok "$file: company $(jq -r .filing.company "$tmp/out.json")" || notok "$file: a company" "none" ;;
    esac
    case "$exp" in *"period "*)
        want_p=$(printf '%s' "$exp" | sed -n 's/.*period \([0-9-]*\).*/\1/p')
        [ "$(jq -r .filing.period "$tmp/out.json")" = "$want_p" ] && ok "$file: period $want_p" \
            || notok "$file: period $want_p" "$(jq -r .filing.period "$tmp/out.json")" ;;
    esac
    # a row that names the passage a pre-Item-1A filing has: the message names it
    case "$exp" in *naming*)
        grep -q "Factors That May Affect" "$tmp/err" && ok "$file: the message names the passage" \
            || notok "$file: the message names the passage" "$(cat "$tmp/err")" ;;
    esac
done <"$tmp/rows"
echo "1..$n"
