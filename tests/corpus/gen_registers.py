#!/usr/bin/env python3
"""gen_registers.py OUTDIR N_COMPANIES N_YEARS — writes saved rfx registers
(the JSON `rfx parse --json` writes, filing facts and risks only) for a
made-up corpus: each company's risks drift year to year (reworded, added,
dropped, reordered) so lineage has every status to find. Deterministic."""
import json, os, random, sys

out, ncos, nyears = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
os.makedirs(out, exist_ok=True)
rng = random.Random(20240611)
topics = [
    ("competition", "Competition could reduce our margins", "rivals pricing customers market share discounts"),
    ("cybersecurity_privacy", "Cyber attacks could expose customer data", "breach ransomware intrusion encryption fines"),
    ("supply_chain", "We rely on a few suppliers", "components shortages logistics freight single-source"),
    ("regulation", "New regulations could raise our costs", "rules agencies compliance permits enforcement"),
    ("international", "Tariffs and export controls could hurt sales abroad", "tariffs sanctions customs currency embargo"),
    ("pandemic", "A pandemic could disrupt our operations", "outbreak quarantine closures absenteeism vaccines"),
    ("climate", "Climate change could damage our facilities", "floods storms drought emissions carbon"),
    ("financial", "Our debt could limit our flexibility", "covenants interest refinancing leverage ratings"),
    ("legal", "Litigation could be costly", "lawsuits plaintiffs settlements verdicts discovery"),
    ("people", "We depend on key personnel", "executives retention hiring succession talent"),
    ("technology", "Our systems could fail", "outages software upgrades migration downtime"),
    ("reputation", "Our brand could be harmed", "publicity boycotts trust social media perception"),
]
filler = "operations results financial condition could be adversely affected significant uncertain".split()

def body(words, year, k):
    w = words.split()
    parts = [rng.choice(w) for _ in range(12)] + [rng.choice(filler) for _ in range(20)]
    rng.shuffle(parts)
    return "In fiscal %d, %s." % (year, " ".join(parts))

for c in range(ncos):
    name = "%s %s %s" % (rng.choice(["Acme", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay"]),
                         rng.choice(["Industries", "Systems", "Foods", "Energy", "Labs"]),
                         rng.choice(["Inc.", "Corp.", "Holdings plc", "Co."]))
    cik = str(900000 + c)
    present = rng.sample(range(len(topics)), 7)
    texts = {}
    for y in range(nyears):
        year = 2010 + y
        # drift: maybe add a topic, maybe drop one, reword some
        if rng.random() < 0.5:
            missing = [t for t in range(len(topics)) if t not in present]
            if missing: present.insert(rng.randrange(len(present) + 1), rng.choice(missing))
        if rng.random() < 0.3 and len(present) > 4: present.pop(rng.randrange(len(present)))
        if rng.random() < 0.2: i = rng.randrange(len(present)); present.append(present.pop(i))
        risks = []
        for idx, t in enumerate(present):
            cat, head, words = topics[t]
            if t not in texts or rng.random() < 0.4: texts[t] = body(words, year, idx)
            risks.append({"index": idx + 1, "heading": head + ".", "body": texts[t],
                          "categories": [{"id": cat, "score": round(0.6 + 0.4 * rng.random(), 3)}]})
        reg = {"filing": {"form": "10-K", "company": name + (" #%d" % c), "cik": cik,
                          "period": "%d-12-31" % year},
               "risks": risks}
        with open(os.path.join(out, "c%03d_%d.json" % (c, year)), "w") as f:
            json.dump(reg, f)
