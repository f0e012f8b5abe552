# diff.sh — `rfx diff` end to end: a real consecutive pair, the JSON
# contract, the HTML page, a file against itself, saved registers, errors.
. "$(dirname "$0")/tap.sh"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

if [ ! -x "$RFX" ]; then skip "rfx diff" "no rfx binary at $RFX"; exit 0; fi

expect_exit "no arguments is a usage error" 2 "$RFX" diff
expect_exit "one file is a usage error" 2 "$RFX" diff /dev/null
expect_exit "unknown option is a usage error" 2 "$RFX" diff a b --frobnicate
printf '{"risks": 5}' >"$T/bad.json"
printf '{"risks": []}' >"$T/empty.json"
expect_exit "a malformed saved register is bad input" 3 "$RFX" diff "$T/bad.json" "$T/empty.json"
expect_exit "a missing file is bad input" 3 "$RFX" diff "$T/nope.txt" "$T/empty.json"

# Saved registers written by hand: one risk reworded, one removed.
cat >"$T/a.json" <<'J'
{"risks": [
 {"index": 1, "heading": "Competition could reduce our margins.", "body": "Rivals with more resources may cut prices and win our customers."},
 {"index": 2, "heading": "We rely on a few suppliers.", "body": "Single-source components could be delayed, halting production for months."},
 {"index": 3, "heading": "Cyber attacks could expose customer data.", "body": "A breach could bring fines, lawsuits and lost trust in our services."}]}
J
cat >"$T/b.json" <<'J'
{"risks": [
 {"index": 1, "heading": "Competition could reduce our margins.", "body": "Rivals with far greater resources may cut prices and win our largest customers."},
 {"index": 2, "heading": "Cyber attacks could expose customer data.", "body": "A breach could bring fines, lawsuits and lost trust in our services."}]}
J
"$RFX" diff "$T/a.json" "$T/b.json" --json >"$T/ab.json" 2>"$T/err"
rc=$?
[ $rc -eq 0 ] && ok "diff of saved registers" || notok "diff of saved registers" "exit $rc: $(cat "$T/err")"
if command -v python3 >/dev/null 2>&1; then
    check "saved registers: 1 unchanged, 1 modified, 1 removed" python3 -c '
import json,sys
d=json.load(open(sys.argv[1])); c=d["counts"]
assert (c["unchanged"],c["modified"],c["removed"],c["added"],c["moved"])==(1,1,1,0,0), c
' "$T/ab.json"
fi
"$RFX" diff "$T/a.json" "$T/b.json" --text >"$T/ab.txt"
if grep -q '{+far greater+}' "$T/ab.txt" && ! grep -q "$(printf '\033')" "$T/ab.txt"; then
    ok "piped text is plain, with wdiff marks"
else notok "piped text is plain, with wdiff marks" "$(head -c 300 "$T/ab.txt")"; fi

# A real consecutive pair.
if ! have_shared; then skip "real pair" "no shared data at $SHARED"; exit 0; fi
OLD="$SHARED/data/filings/isb_capstone_item1a/NVDA/NVDA_10-K_filed2016-03-17_item1a.html"
NEW="$SHARED/data/filings/isb_capstone_item1a/NVDA/NVDA_10-K_filed2017-03-01_item1a.html"
if [ ! -f "$OLD" ] || [ ! -f "$NEW" ]; then skip "real pair" "NVDA isb files missing"; exit 0; fi
"$RFX" diff "$OLD" "$NEW" --json --html "$T/nvda.html" >"$T/nvda.json" 2>"$T/err"
rc=$?
[ $rc -eq 0 ] && ok "real pair (NVDA 2016→2017) diffs" || notok "real pair (NVDA 2016→2017) diffs" "exit $rc: $(cat "$T/err")"
if command -v python3 >/dev/null 2>&1; then
    check "JSON has the contract fields" python3 -c '
import json,sys
d=json.load(open(sys.argv[1]))
s=d["similarity"]
for k in ("cosine","jaccard","min_edit","simple"): assert 0 <= s[k] <= 1, (k, s[k])
assert d["pairs"], "no pairs"
for p in d["pairs"]:
    assert p["status"] in ("unchanged","modified","added","removed","moved"), p["status"]
    assert p["old"] is None or isinstance(p["old"], int)
    assert p["new"] is None or isinstance(p["new"], int)
    assert (p["old"] is None) == (p["status"] == "added")
    assert (p["new"] is None) == (p["status"] == "removed")
    assert isinstance(p["similarity"], (int, float))
' "$T/nvda.json"
fi
if grep -q '<!doctype html>' "$T/nvda.html" && grep -q '@media print' "$T/nvda.html" &&
   ! grep -Eqi '<(link|script|img)|src=|@import|url\(' "$T/nvda.html"; then
    ok "--html writes one self-contained page"
else notok "--html writes one self-contained page" "external asset or missing parts"; fi

"$RFX" diff "$OLD" "$OLD" --json >"$T/self.json"
if command -v python3 >/dev/null 2>&1; then
    check "a file against itself is all unchanged, similarity 1" python3 -c '
import json,sys
d=json.load(open(sys.argv[1]))
assert all(p["status"]=="unchanged" for p in d["pairs"]), "not all unchanged"
assert all(v==1 for v in d["similarity"].values()), d["similarity"]
' "$T/self.json"
fi
# The same comparison from a saved register gives the same counts.
"$RFX" parse "$OLD" --json >"$T/old.json" 2>/dev/null
"$RFX" diff "$T/old.json" "$NEW" --json >"$T/saved.json"
if command -v python3 >/dev/null 2>&1; then
    check "saved register and filing give the same diff" python3 -c '
import json,sys
a=json.load(open(sys.argv[1])); b=json.load(open(sys.argv[2]))
assert a["counts"]==b["counts"], (a["counts"], b["counts"])
assert a["similarity"]==b["similarity"]
' "$T/nvda.json" "$T/saved.json"
fi
echo "1..$n"
