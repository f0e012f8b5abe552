# lint.sh — `rfx lint` end to end: every rule fires on a document of our own
# made to break it (tests/lint/break_<rule>.*) and stays silent on the clean
# ones; the seed's damaged yen amounts with exact byte spans; text, JSON and
# SARIF (checked against a minimal SARIF 2.1.0 schema); --fail-on, --disable,
# saved registers; and a run over every shared filing without a crash.
. "$(dirname "$0")/tap.sh"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
L="$RFX_ROOT/tests/lint"

if [ ! -x "$RFX" ] || ! command -v jq >/dev/null 2>&1; then skip "rfx lint" "no rfx binary at $RFX or no jq"; exit 0; fi

expect_exit "no FILE is a usage error" 2 "$RFX" lint
expect_exit "unknown option is a usage error" 2 "$RFX" lint --frobnicate "$L/clean.txt"
expect_exit "unknown rule in --disable is a usage error" 2 "$RFX" lint --disable no-such-rule "$L/clean.txt"
expect_exit "bad --fail-on level is a usage error" 2 "$RFX" lint --fail-on sometimes "$L/clean.txt"
expect_exit "a missing file is bad input" 3 "$RFX" lint "$T/nope.txt"
nrules=$("$RFX" lint --list-rules | wc -l)
[ "$nrules" -eq 18 ] && ok "--list-rules lists 18 rules" || notok "--list-rules lists 18 rules" "got $nrules"

# ---- every rule fires on its broken document, and only its own rule is needed
for f in "$L"/break_*; do
    rule=$(basename "$f"); rule=${rule#break_}; rule=${rule%.*}
    prev=""
    case $rule in stale-*) prev="--previous $L/stale_prev.txt" ;; esac
    # shellcheck disable=SC2086
    got=$("$RFX" lint --json $prev "$f" | jq --arg r "$rule" '[.findings[] | select(.rule == $r)] | length')
    [ "${got:-0}" -ge 1 ] && ok "$rule fires on $(basename "$f")" || notok "$rule fires on $(basename "$f")" "found ${got:-none}"
    # shellcheck disable=SC2086
    got=$("$RFX" lint --json --disable "$rule" $prev "$f" | jq --arg r "$rule" '[.findings[] | select(.rule == $r)] | length')
    [ "$got" = 0 ] && ok "--disable $rule silences it" || notok "--disable $rule silences it" "still $got"
done
for f in "$L/clean.txt" "$L/clean.html" "$L/long_summary.txt"; do
    got=$("$RFX" lint --json --previous "$L/other_prev.txt" "$f" | jq -c '.findings | map(.rule)')
    [ "$got" = "[]" ] && ok "silent on $(basename "$f")" || notok "silent on $(basename "$f")" "$got"
done
expect_exit "--fail-on warning passes a clean document" 0 "$RFX" lint --fail-on warning "$L/clean.txt"
expect_exit "--fail-on warning fails with exit 8" 8 "$RFX" lint --fail-on warning "$L/break_ocr-latex.txt"
expect_exit "--fail-on error: warnings do not fail" 0 "$RFX" lint --fail-on error "$L/break_ocr-latex.txt"
expect_exit "--fail-on note fails on a note" 8 "$RFX" lint --fail-on note "$L/break_ocr-hyphen.txt"

# ---- compiler-style text: file:line:col computed from the source bytes
line=$("$RFX" lint "$L/break_ocr-latex.txt" | head -1)
want=$(python3 -c '
import sys
b = open(sys.argv[1], "rb").read(); i = b.index(b"\\$452.7")
pre = b[:i]; print("%s:%d:%d: warning:" % (sys.argv[1], pre.count(b"\n") + 1, len(pre[pre.rfind(b"\n") + 1:].decode()) + 1))
' "$L/break_ocr-latex.txt")
case "$line" in "$want"*"[ocr-latex]") ok "text line is file:line:col: warning: ... [rule]" ;; *) notok "text line is file:line:col: warning: ... [rule]" "got: $line / want: $want" ;; esac

# ---- the reference document
S="$SHARED/data/seed/000_f79ab47b85062882.txt"
if [ -f "$S" ] && command -v python3 >/dev/null 2>&1; then
    "$RFX" lint --json "$S" >"$T/seed.json"
    check "seed: the damaged yen amounts, with spans that hold them" python3 -c '
import json, sys
d = json.load(open(sys.argv[1])); src = open(sys.argv[2], "rb").read()
got = {f["text"]: f for f in d["findings"] if f["rule"] == "ocr-currency"}
for t in ("X26.1 billion", "x3.1 billion", "%3.6 billion"):
    f = got[t]
    assert src[f["start"]:f["end"]] == t.encode(), (t, src[f["start"]:f["end"]])
    assert f["fix"] == "\u00a5" + t[1:], f["fix"]
    pre = src[:f["start"]]
    assert f["line"] == pre.count(b"\n") + 1 and f["col"] == len(pre[pre.rfind(b"\n") + 1:].decode()) + 1
assert len(got) == 3, sorted(got)
' "$T/seed.json" "$S"
    check "seed: LaTeX escapes (cdot, dollar) at their bytes" python3 -c '
import json, sys
d = json.load(open(sys.argv[1])); src = open(sys.argv[2], "rb").read()
l = [f for f in d["findings"] if f["rule"] == "ocr-latex"]
assert len(l) == 4, l
for f in l: assert src[f["start"]:f["end"]].strip() in (b"\\cdot", b"\\$"), f
' "$T/seed.json" "$S"
    check "seed: TTT (for NTT) and April 2019 (in a 2013 filing)" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
r = {(f["rule"], f["text"]) for f in d["findings"]}
assert ("acronym-typo", "TTT") in r and ("date-after-period", "April 2019") in r, r
' "$T/seed.json"
    # a saved register whose source is at hand is linted with exact spans
    "$RFX" parse --json "$S" >"$T/seed.reg.json"
    "$RFX" lint --json "$T/seed.reg.json" | jq -c '.findings' >"$T/a"
    jq -c '.findings' "$T/seed.json" >"$T/b"
    cmp -s "$T/a" "$T/b" && ok "a saved register lints like its source" || notok "a saved register lints like its source"
    jq '.source.path = "/nonexistent/seed.txt"' "$T/seed.reg.json" >"$T/orphan.json"
    "$RFX" lint --json "$T/orphan.json" >"$T/orphan.out" 2>"$T/orphan.err"
    rc=$?
    [ $rc -eq 0 ] && grep -q "not at hand" "$T/orphan.err" && ok "a saved register without its source: linted, with a note" \
        || notok "a saved register without its source: linted, with a note" "exit $rc"
    # SARIF 2.1.0
    "$RFX" lint --sarif "$S" >"$T/seed.sarif"
    if python3 -c 'import jsonschema' 2>/dev/null; then
        check "SARIF validates against the SARIF 2.1.0 subset schema" python3 -c '
import json, sys, jsonschema
jsonschema.validate(json.load(open(sys.argv[1])), json.load(open(sys.argv[2])))
' "$T/seed.sarif" "$L/sarif-min.schema.json"
    else
        skip "SARIF schema check" "python3-jsonschema not installed"
    fi
    check "SARIF: results match the JSON findings, rule indexes point at their rules" python3 -c '
import json, sys
s = json.load(open(sys.argv[1])); j = json.load(open(sys.argv[2]))
run = s["runs"][0]; res = run["results"]; rules = run["tool"]["driver"]["rules"]
assert s["version"] == "2.1.0" and len(res) == len(j["findings"]) > 0
for r, f in zip(res, j["findings"]):
    assert rules[r["ruleIndex"]]["id"] == r["ruleId"] == f["rule"]
    reg = r["locations"][0]["physicalLocation"]["region"]
    assert reg["byteOffset"] == f["start"] and reg["byteLength"] == f["end"] - f["start"]
    assert reg["startLine"] == f["line"] and reg["startColumn"] == f["col"]
' "$T/seed.sarif" "$T/seed.json"
    # stale rules against the register itself: every risk unchanged
    ns=$("$RFX" lint --json --previous "$S" "$S" | jq '[.findings[] | select(.rule == "stale-risk")] | length')
    [ "$ns" -eq 19 ] && ok "seed against itself: 19 risks unchanged" || notok "seed against itself: 19 risks unchanged" "got $ns"
else
    skip "seed checks" "no $S or no python3"
fi

# ---- every shared filing: lint completes (exit 0 or 1 = no section), never crashes
F="$SHARED/data/filings"
if [ -d "$F" ]; then
    bad=0; total=0
    find "$F" -type f \( -name '*.htm' -o -name '*.html' -o -name '*.txt' \) | sort >"$T/files"
    while read -r f; do
        total=$((total + 1))
        "$RFX" lint --json "$f" >/dev/null 2>"$T/err"
        rc=$?
        if [ $rc -gt 1 ]; then bad=$((bad + 1)); echo "# exit $rc: $f $(head -c 200 "$T/err")"; fi
    done <"$T/files"
    [ $bad -eq 0 ] && [ $total -ge 300 ] && ok "lint over $total shared filings: no failure" || notok "lint over shared filings" "$bad of $total failed"
else
    skip "lint over shared filings" "no $F"
fi
echo "1..$n"
