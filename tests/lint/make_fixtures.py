#!/usr/bin/env python3
"""Writes tests/lint/break_<rule>.txt: the clean document with one defect
that rule <rule> must find (tests/e2e/lint.sh). Run from tests/lint/."""
import os

clean = open("clean.txt").read()
EXTRA_AT = "Item 1B. Unresolved Staff Comments"

def add_risk(doc, heading, body):
    return doc.replace(EXTRA_AT, f"{heading}\n\n{body}\n\n{EXTRA_AT}")

def sub(doc, old, new):
    assert old in doc, old
    return doc.replace(old, new, 1)

yen = open("clean.txt").read()
yen = sub(yen, "FORM 10-K", "FORM 20-F")
yen = sub(yen, "For the fiscal year ended December 31, 2023", "For the fiscal year ended March 31, 2013")
yen = sub(yen, "Item 1A. Risk Factors", "Item 3.D. Risk Factors")
for a, b in [("$410.2 million", "¥41.2 billion"), ("$452.7 million", "¥45.7 billion"),
             ("$498.3 million", "¥49.8 billion"), ("$780 per ton", "¥78,000 per ton"),
             ("$1,040 per ton", "¥104,000 per ton"), ("2021, 2022 and 2023", "2011, 2012 and 2013"),
             ("in 2023", "in fiscal 2013"), ("In 2023", "In fiscal 2013"), ("Item 1B. Unresolved Staff Comments", "Item 4. Information on the Company")]:
    yen = yen.replace(a, b)
EXTRA_YEN = "Item 4. Information on the Company"

cases = {
    "ocr-currency": sub(yen, "¥45.7 billion", "X45.7 billion"),
    "ocr-latex": sub(clean, "$452.7 million", "\\$452.7 million"),
    "ocr-hyphen": sub(clean, "could halt shipments", "could halt ship- ments"),
    "ocr-digit": sub(clean, "produced 12 million units", "produced 1O2 million units"),
    "acronym-typo": sub(sub(sub(clean, '("Northwind")', '("NWT")'), "If Northwind or another", "If NWT or another"),
                        "Northwind may reduce", "NWT may reduce its orders and NWI may reduce"),
    "date-after-period": add_risk(clean, "The loss of our Texas plant could reduce our capacity.",
                                  "In September 2024, we closed our plant in Austin, Texas, when a fire damaged its main furnace. We moved its orders to Dayton, which ran at full capacity for the rest of that year."),
    "resp-years": sub(clean, "in 2021, 2022 and 2023, respectively. Northwind", "in 2021, 2023 and 2022, respectively. Northwind"),
    "resp-count": sub(clean, "41%, 38% and 35% of our revenue in 2021, 2022 and 2023", "41%, 38% and 35% of our revenue in 2022 and 2023"),
    "magnitude-scale": sub(clean, "$452.7 million", "$452.7 billion"),
    "percent-share": sub(clean, "Steel makes up about 30% of the cost", "Steel makes up about 130% of the cost"),
    "currency-mismatch": sub(clean, "from $780 per ton to $1,040 per ton", "from $780 per ton to €1,040 per ton"),
    "s105-duplicate": add_risk(clean, "We rely on one plant in Ohio for all of our production.",
                               "We make all of our widgets at one plant in Dayton, Ohio, which produced 12 million units in 2023. A fire, flood or a long power outage at the plant could halt shipments for several months, and our insurance may not cover the revenue we would lose."),
    "s105-general": sub(clean, "Risks Related to Our Business", "General Risk Factors").replace(
        EXTRA_AT, "Risks Related to Our Industry\n\nNew safety rules for industrial widgets could raise our costs.\n\nThe Ohio Department of Commerce proposed in 2023 a rule that would require a pressure test of every widget we ship, which would add about $2.10 to the cost of each unit.\n\n" + EXTRA_AT),
}

# Item 105 wants headings: the same risks as unbroken prose paragraphs
prose = clean.split("Risks Related to Our Business\n\n")[0]
body = ("Our business faces many uncertainties that readers should weigh carefully, and the paragraphs "
        "below describe them in running prose rather than under separate captions, which makes them hard to scan. ")
paras = []
for i, topic in enumerate(["customers", "suppliers", "steel prices", "our plant in Dayton", "interest rates",
                           "currency rates", "our lenders", "our unions", "the weather", "new competitors"]):
    paras.append(body + f"In particular, changes affecting {topic} have in the past reduced our sales and margins, and "
                 f"they could do so again in ways that we cannot predict or control, for reasons that include demand, "
                 f"pricing and the actions of third parties over which we have little influence at all.")
cases["s105-no-heading"] = prose + "\n\n".join(paras) + "\n\nItem 1B. Unresolved Staff Comments\n\nNone.\n"

# over 7,500 words without a summary: 40 distinct risks of ~200 words
words = ["alpha", "bravo", "cobalt", "delta", "ember", "falcon", "garnet", "harbor", "indigo", "juniper",
         "kestrel", "lumen", "meadow", "nickel", "onyx", "prairie", "quartz", "raven", "sierra", "tundra"]
long_doc = clean
for i in range(40):
    w1, w2 = words[i % 20], words[(i * 7 + 3) % 20]
    sentences = []
    for j in range(12):
        sentences.append(f"The {w1} program number {i * 12 + j} depends on {w2} supplies shipped through port {j + i} and any delay in the {w1} line could reduce our output.")
    long_doc = add_risk(long_doc, f"Delays in the {w1} {w2} program {i} could reduce our output.", " ".join(sentences))
cases["s105-no-summary"] = long_doc
open("long_summary.txt", "w").write(long_doc.replace("Item 1A. Risk Factors\n", "Item 1A. Risk Factors\n\nSummary of Risk Factors\n\nOur business is subject to risks, including delays in our programs and our reliance on a few customers.\n"))

for rule, doc in cases.items():
    open(f"break_{rule}.txt", "w").write(doc)

# topic headings need headings set apart by style: an HTML filing
def html(doc, heads):
    out = ["<html><body>"]
    for para in doc.split("\n\n"):
        for line in para.split("\n"):
            tag = "b" if line in heads else None
            line = line.replace("&", "&amp;").replace("<", "&lt;")
            out.append(f"<p><b>{line}</b></p>" if tag else f"<p>{line}</p>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"
heads = ["Item 1A. Risk Factors", "We depend on a small number of customers for most of our revenue.",
         "Our reliance on a single factory in Ohio could interrupt our production.",
         "Rising steel prices could reduce our gross margin.", "Item 1B. Unresolved Staff Comments"]
more = [("Our lenders could call our loans if we breach a covenant.",
         "Our credit agreement requires us to keep a ratio of debt to earnings below three. A breach would let our lenders demand repayment of the whole balance at once."),
        ("A strike at our plant could stop our production for weeks.",
         "Most of our plant workers belong to a union whose contract ends in June 2025, and a strike would halt shipments to every customer we serve."),
        ("New safety rules for industrial widgets could raise our costs.",
         "The Ohio Department of Commerce proposed a rule that would require a pressure test of every widget we ship, which would add to the cost of each unit.")]
hdoc = clean
for h, b in more:
    hdoc = add_risk(hdoc, h, b)
heads += [h for h, _ in more]
open("clean.html", "w").write(html(hdoc, heads))
open("break_s105-topic-heading.html", "w").write(
    html(sub(hdoc, "Rising steel prices could reduce our gross margin.", "Steel Prices"), heads + ["Steel Prices"]))

# a previous year that shares nothing with clean.txt word for word
open("other_prev.txt", "w").write(yen)

# staleness: last year's filing and this year's, sharing an old figure and a whole risk
prev = sub(clean, "For the fiscal year ended December 31, 2023", "For the fiscal year ended December 31, 2022")
old_fig = "As of March 31, 2020, we had 4,100 employees, and a strike at our plant could stop our production for weeks."
prev = add_risk(prev, "A strike could stop our production.", old_fig)
cur = add_risk(clean, "A strike could stop our production.", old_fig)
open("stale_prev.txt", "w").write(prev)
open("break_stale-figure.txt", "w").write(cur)
open("break_stale-risk.txt", "w").write(cur)
