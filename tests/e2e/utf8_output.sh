# utf8_output.sh — spans and strings stay whole in the JSON whatever the bytes:
# an end offset never stops inside a multi-byte character, a file name that
# is not UTF-8 keeps its "source" object, and a warning quoting a heading cut
# at 60 bytes is not lost.
. "$RFX_ROOT/tests/e2e/tap.sh"
T=$(mktemp -d)
printf 'Risk Factors\n\nOur revenue may fall because of our \342\200\234operations.\342\200\235\n\nBody text here. More body.\n\nCompetition could reduce our margins in the future.\n\nBody two.\n' >"$T/q.txt"
"$RFX" parse "$T/q.txt" >"$T/q.json"
python3 - "$T/q.json" "$T/q.txt" <<'PY' && ok "heading spans decode as UTF-8 (end after a closing quote)" || notok "heading spans decode as UTF-8"
import json, sys
d = json.load(open(sys.argv[1])); src = open(sys.argv[2], "rb").read()
assert len(d["risks"]) == 2
for r in d["risks"]:
    span = src[r["heading_start"]:r["heading_end"]].decode("utf-8")  # raises if cut mid-character
    assert span.replace("\u201c", '"').replace("\u201d", '"') == r["heading"], (span, r["heading"])
PY
name="$T/caf$(printf '\351').txt"
cp "$T/q.txt" "$name"
"$RFX" parse "$name" >"$T/n.json"
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['source']['path'].endswith('caf\ufffd.txt') and d['source']['sha256']" "$T/n.json" \
    && ok "non-UTF-8 file name: source object kept, name repaired" || notok "non-UTF-8 file name keeps its source object"
# a heading with no body (style mode keeps it) whose 60th byte falls inside "é"
printf '<html><body><p><b>Risk Factors</b></p><p>Intro one. Intro two.</p>
<p><b>First risk heading that is short enough.</b></p><p>Our customers may reduce their orders at any time and for any reason, and we cannot predict when they will do so. A reduction in orders from any of our large customers would reduce our revenue and our margins, and we may not be able to replace the lost business quickly or at all.</p>
<p><b>Second risk heading that is short too.</b></p><p>Our customers may reduce their orders at any time and for any reason, and we cannot predict when they will do so. A reduction in orders from any of our large customers would reduce our revenue and our margins, and we may not be able to replace the lost business quickly or at all.</p>
<p><b>Aaaaaaaaa bbbbbbbbb ccccccccc ddddddddd eeeeeeeee fffffffff g\303\251 may hurt us.</b></p>
</body></html>' >"$T/w.html"
"$RFX" parse "$T/w.html" >"$T/w.json"
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert any(w['code']=='empty-body' for w in d['warnings']), d['warnings']" "$T/w.json" \
    && ok "a warning quoting a cut heading is kept" || notok "a warning quoting a cut heading is kept"
rm -rf "$T"
