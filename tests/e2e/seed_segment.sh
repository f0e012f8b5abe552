# seed_segment.sh — the reference document's whole set of risk headings.
# The seed is IIJ's 20-F Item 3.D as OCR-damaged text: 19 risk factors, each a
# single-sentence paragraph; list introductions, a cross-reference, closing
# sentences and the preamble must stay body.
. "$RFX_ROOT/tests/e2e/tap.sh"
SEED="$SHARED/data/seed/000_f79ab47b85062882.txt"
if [ ! -f "$SEED" ]; then skip "seed segmentation" "shared data absent ($SEED)"; exit 0; fi
out=$(mktemp)
"$RFX" parse "$SEED" --json >"$out"
check "parse exits 0" test -s "$out"
python3 - "$out" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
expected = [
 "We may not maintain our current level of revenues and profits or achieve our expected revenues and profits in the future.",
 "We may not be able to compete effectively, especially against competitors with greater financial, marketing and other resources.",
 "Our investment in our new business and service developments may not produce the returns we expect or may affect our results of operations and financial condition adversely.",
 "Our investments in our subsidiaries and equity method investees may not produce the returns we expect or may affect our results of operations and financial condition adversely.",
 "If our systems integration revenues fluctuate or if we fail to execute our systems construction projects in a timely or satisfactory manner, our results of operations and financial condition may be adversely affected.",
 "We may have an impairment loss as a result of an impairment test on the intangible assets that are recorded related to mergers and acquisitions.",
 "If we fail to attract and retain qualified personnel, we may not be able to achieve our expected business growth.",
 "Our business may be adversely affected if our network suffers interruptions, errors or delays.",
 "If we fail to keep and manage our confidential customer information, we could be subject to lawsuits, incur expenses associated with our security systems or suffer damage to our reputation.",
 "Business growth and a rapidly changing operating environment may strain our limited resources.",
 "If we fail to keep up with the rapid technological changes in our industry, our services may become obsolete and we may lose customers.",
 "We depend on our executive officers, and if we lose the service of our executive officers, particularly Mr. Koichi Suzuki, our business and our relationships with our customers, major shareholders of IIJ and other IIJ Group companies and our employees could suffer.",
 "We may continuously pursue mergers and acquisitions transactions which may not be effective.",
 "Fluctuations in the stock prices of companies or losses on companies in which we have invested may adversely affect our financial condition",
 "NTT, IIJ's largest shareholder, could exercise substantial influence over us in a manner which may not necessarily be in our interest or that of our other shareholders.",
 "We rely greatly on other telecommunications carriers and other suppliers, and could be affected by disruptions in service or delays in the delivery of their products and services.",
 "Regulatory matters and new legislation could impact our ability to conduct our business.",
 "We may be named as defendants in litigation, which could have an adverse impact on our business, financial condition and results of operations.",
 "In the event we need to raise capital, we may issue additional shares of IIJ's common stock or securities convertible into IIJ's common stock, which may cause shareholders to incur substantial dilution.",
]
n = 0
def t(ok, name, detail=""):
    global n; n += 1
    print(("ok" if ok else "not ok"), n, "-", name)
    if not ok and detail: print("#  ", detail)
got = [r["heading"] for r in d["risks"]]
t(len(got) == 19, "19 risk factors", f"got {len(got)}")
for i, h in enumerate(expected):
    t(i < len(got) and got[i] == h, f"heading {i+1} exact", repr(got[i] if i < len(got) else None))
sec = d["section"]
t(sec["found"] and sec["title"] == "D. Risk Factor", "section title as written (OCR 'Risk Factor')", str(sec))
t(sec["start"] == 0, "section starts at the title", str(sec["start"]))
bodies = [r["body"] for r in d["risks"]]
t("Please see Item 5" in bodies[0], "cross-reference stays in risk 1's body")
t(bodies[0].count("\n- ") == 15, "risk 1 keeps its 15 bullet items", str(bodies[0].count("\n- ")))
t("Our competitors have advantages over us, including, but not limited to:" in bodies[1], "list intro is body")
t("we may lose customers." in bodies[10] and "If we fail to obtain access" in bodies[10], "closing sentence after a list is body")
t("Any problems experienced by our telecommunications carriers" in bodies[15], "concluding sentence is body")
t("Should we experience further unforeseeable incidents" in bodies[7], "one-sentence body paragraph is body")
t(d.get("preamble", "").startswith("You should carefully consider"), "preamble is not a risk")
wrapped = [b for b in bodies[0].split("\n") if "domestic customers who are increasing global transactions" in b]
t(len(wrapped) == 1 and wrapped[0].startswith("- an inability to achieve anticipated revenue growth for our overseas business"), "bullet wrapped over three lines joined")
t(all(not l.startswith("- ·") and "\\cdot" not in l for l in "\n".join(bodies).split("\n")), "bullet residue stripped (· and \\cdot)")
PY
# offsets: each heading's bytes in the source are the heading text
python3 - "$out" "$SEED" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); src = open(sys.argv[2], "rb").read()
bad = [r["index"] for r in d["risks"] if src[r["heading_start"]:r["heading_end"]].decode() != r["heading"]]
print("ok 100 - heading offsets spell the heading in the source" if not bad else f"not ok 100 - heading offsets wrong for {bad}")
bad = [r["index"] for r in d["risks"] if not (0 <= r["start"] < r["end"] <= len(src))]
print("ok 101 - risk spans inside the file" if not bad else f"not ok 101 - bad spans {bad}")
PY
rm -f "$out"
