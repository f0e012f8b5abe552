# wordlist.sh — --wordlist NAME=FILE: a list in the Loughran-McDonald Master
# Dictionary's published CSV layout (tests/data/lm_sample.csv, 7 words written
# for this test) or a plain list replaces rfx's own list for that metric; the
# metric is then exactly hits on those words per 100 words; errors are clear.
. "$(dirname "$0")/tap.sh"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
PY=/usr/bin/python3; [ -x "$PY" ] || PY=python3
EX="$RFX_ROOT/examples/northwind-20f-2024.txt"
LM="$RFX_ROOT/tests/data/lm_sample.csv"

"$RFX" parse "$EX" >"$T/own.json"
"$RFX" parse "$EX" --wordlist uncertainty="$LM" --wordlist negative="$LM" --wordlist litigious="$LM" >"$T/lm.json"
rc=$?
[ $rc -eq 0 ] && ok "parse with three LM lists" || notok "parse with three LM lists" "exit $rc"
# expected = 100 x (occurrences of the list's members in headings and bodies) / words
cat >"$T/expect.py" <<'P'
import json, re, sys
d = json.load(open(sys.argv[1])); own = json.load(open(sys.argv[2]))
lists = {"uncertainty": {"may", "could"},              # Uncertainty > 0
         "negative": {"abandon", "lawsuit", "violation"},  # damages: -2020 = removed
         "litigious": {"damages", "lawsuit", "violation"}}
only = sys.argv[3].split(",")
text = " ".join(r["heading"] + "\n" + r["body"] for r in d["risks"])
words = [w.lower() for w in re.findall(r"[A-Za-z]+", text)]
m = d["metrics"]
for name in ("uncertainty", "negative", "litigious"):
    if name in only:
        hits = sum(w in lists[name] for w in words)
        want = round(100.0 * hits / m["words"], 6)
        assert hits > 0 and abs(m[name] - want) < 1e-6, (name, m[name], want, hits)
    else:
        assert m[name] == own["metrics"][name], (name, m[name], own["metrics"][name])
assert m["words"] == own["metrics"]["words"]
P
check "each metric = hits on the CSV's members per 100 words" "$PY" "$T/expect.py" "$T/lm.json" "$T/own.json" uncertainty,negative,litigious
"$RFX" parse "$EX" --wordlist negative="$LM" >"$T/neg.json"
check "a list not given keeps rfx's own" "$PY" "$T/expect.py" "$T/neg.json" "$T/own.json" negative
check "the LM lists change the figures" "$PY" -c 'import json,sys; a=json.load(open(sys.argv[1]))["metrics"]; b=json.load(open(sys.argv[2]))["metrics"]; assert a["negative"]!=b["negative"] and a["uncertainty"]!=b["uncertainty"]' "$T/lm.json" "$T/own.json"
printf '# my uncertainty words\nMay\ncould\n' >"$T/plain.txt"
"$RFX" parse "$EX" --wordlist uncertainty="$T/plain.txt" >"$T/plain.json"
check "a plain list, one word a line" "$PY" "$T/expect.py" "$T/plain.json" "$T/own.json" uncertainty
"$RFX" diff "$EX" "$EX" --json --wordlist negative="$LM" >/dev/null
check "diff takes --wordlist" test $? -eq 0

expect_exit "unknown list name is a usage error" 2 "$RFX" parse "$EX" --wordlist positive="$LM"
expect_exit "NAME=FILE is required" 2 "$RFX" parse "$EX" --wordlist "$LM"
expect_exit "a missing file is bad input" 3 "$RFX" parse "$EX" --wordlist negative="$T/nope.csv"
printf 'Word,Negative\nLOSS,2009\n' >"$T/noUnc.csv"
expect_exit "a CSV without the list's column is bad input" 3 "$RFX" parse "$EX" --wordlist uncertainty="$T/noUnc.csv"
"$RFX" parse "$EX" --wordlist uncertainty="$T/noUnc.csv" 2>"$T/err" >/dev/null
check "the message names the missing column" grep -q "no 'uncertainty' column" "$T/err"
head -c 3000 /dev/urandom >"$T/bin.csv"; printf '\0\0\0' >>"$T/bin.csv"
expect_exit "a binary file is bad input" 3 "$RFX" parse "$EX" --wordlist negative="$T/bin.csv"
printf 'Word,Negative\nLOSS,0\nGAIN,-2012\n' >"$T/none.csv"
expect_exit "a list with no members is bad input" 3 "$RFX" parse "$EX" --wordlist negative="$T/none.csv"
echo "1..$n"
