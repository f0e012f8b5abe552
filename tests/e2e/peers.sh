# peers.sh — `rfx peers` end to end: a risk copied verbatim into another
# company's document is found as shared text; a theme two peers share and the
# company lacks is a gap; unique risks; the HTML page escapes document text;
# and on the shared 10-Ks of one year (fiscal 2023, single10k/) each
# company's nearest peer is in its industry.
. "$(dirname "$0")/tap.sh"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
P="$RFX_ROOT/tests/peers"

if [ ! -x "$RFX" ] || ! command -v jq >/dev/null 2>&1; then skip "rfx peers" "no rfx binary at $RFX or no jq"; exit 0; fi

expect_exit "no COMPANY is a usage error" 2 "$RFX" peers --in "$P"
expect_exit "no --in is a usage error" 2 "$RFX" peers acme
expect_exit "a company not in the set is a usage error" 2 "$RFX" peers nosuchco --in "$P"
expect_exit "a named peer not in the set is a usage error" 2 "$RFX" peers acme --peers nosuchco --in "$P"
expect_exit "a --db that is not a database is bad input" 3 "$RFX" peers acme --db "$P/acme_10-K_2023.txt"

"$RFX" peers acme --in "$P" --json >"$T/acme.json" 2>/dev/null
sh1=$(jq -r '.risks[1] | "\(.shared_text.share) \(.shared_text.companies | join(","))"' "$T/acme.json")
[ "$sh1" = "1 borealis" ] && ok "a risk copied verbatim into another company's filing: all its sentences shared, at that company" \
    || notok "copied risk found as shared text" "got '$sh1'"
sh0=$(jq '[.risks[0,2].shared_text.shared_sentences] | add' "$T/acme.json")
[ "$sh0" = 0 ] && ok "risks not copied share no sentence" || notok "risks not copied share no sentence" "got $sh0"
cl=$(jq -r '.risks[1].closest[] | select(.company == "borealis") | "\(.risk) \(.similarity)"' "$T/acme.json")
[ "$cl" = "3 1" ] && ok "the copied risk's closest at that peer is the copy, similarity 1" || notok "closest of the copied risk" "got '$cl'"
[ "$(jq -c .unique "$T/acme.json")" = "[1,3]" ] && ok "unique: the two risks no peer has" || notok "unique risks" "$(jq -c .unique "$T/acme.json")"
gap=$(jq -r '.gaps[0] | "\(.peers) \([.evidence[].company] | sort | join(","))"' "$T/acme.json")
[ "$gap" = "2 borealis,cobalt" ] && [ "$(jq '.gaps | length' "$T/acme.json")" = 1 ] \
    && ok "gap: the cyber risk both peers disclose, with their headings" || notok "gap" "got '$gap'"
"$RFX" peers acme --in "$P" --html "$T/p.html" 2>/dev/null
if grep -q '&lt;systems&gt;' "$T/p.html" && ! grep -q '<systems>' "$T/p.html" && ! grep -qi '<script' "$T/p.html"; then
    ok "HTML page: document text escaped, no script"
else notok "HTML page escapes document text"; fi
"$RFX" peers acme --peers cobalt --in "$P" --json 2>/dev/null | jq -e '.peers_given and (.peers | map(.company)) == ["cobalt"]' >/dev/null \
    && ok "--peers picks the peers" || notok "--peers picks the peers"

# the same set from a corpus store (rfx index): the same answer
if "$RFX" index --db "$T/c.db" "$P" >/dev/null 2>&1; then
    "$RFX" peers acme --db "$T/c.db" --json 2>/dev/null | jq -c '[.peers[].company, .unique, .risks[1].shared_text.companies, (.gaps | length)]' >"$T/db.out"
    jq -c '[.peers[].company, .unique, .risks[1].shared_text.companies, (.gaps | length)]' "$T/acme.json" >"$T/in.out"
    cmp -s "$T/db.out" "$T/in.out" && ok "--db: the stored registers give the same comparison" || notok "--db same as --in" "$(cat "$T/db.out") vs $(cat "$T/in.out")"
else
    skip "--db" "rfx index failed"
fi

# ---- the shared 10-Ks of fiscal 2023: nearest peers by industry
F="$SHARED/data/filings/single10k"
if [ -d "$F" ]; then
    mkdir "$T/reg"
    for f in "$F"/*.html; do
        b=$(basename "$f" .html)
        "$RFX" parse --no-classify --json "$f" >"$T/reg/$b.json" 2>/dev/null || rm -f "$T/reg/$b.json"
    done
    # company: the peers its nearest one must be among (same industry)
    while read -r co want; do
        top=$("$RFX" peers "$co" --in "$T/reg" --json --top 1 2>/dev/null | jq -r '.peers[0].company')
        case ",$want," in *",$top,"*) ok "$co: nearest peer $top (industry: $want)" ;;
            *) notok "$co: nearest peer in its industry" "got $top, wanted one of $want" ;; esac
    done <<'EOF2'
MARA RIOT
RIOT MARA
KO PEP,KHC,CL,SJM
PEP KO,KHC,CL,SJM
KHC SJM,PEP,KO,CL
SJM KHC,PEP,KO,CL
CL PEP,KO,KHC,SJM
AI PLTR,ADBE,CSCO,GOOG
PLTR AI,ADBE,CSCO,GOOG
GD RTX,GE
RTX GE,GD
ABT MDT,TMO,BMY
CMCSA VZ,GOOG
EOF2
else
    skip "peers on the shared 10-Ks" "no $F"
fi
echo "1..$n"
