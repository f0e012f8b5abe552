# schema.sh — the JSON contract (docs/json.md): rfx's outputs validate against
# schema/*.schema.json, and the validator that guards the suite rejects
# drifted output (a field missing, renamed, added, mistyped; a newer major).
. "$(dirname "$0")/tap.sh"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
PY=/usr/bin/python3; [ -x "$PY" ] || PY=python3
V="$RFX_ROOT/tests/schema/validate.py"
if ! "$PY" -c 'import jsonschema' 2>/dev/null; then skip "schema validation" "python3-jsonschema is missing"; exit 0; fi
EX="$RFX_ROOT/examples/northwind-20f-2024.txt"

for s in "$RFX_ROOT"/schema/*.schema.json; do
    check "$(basename "$s") is a valid draft 2020-12 schema" "$PY" -c '
import json,sys,jsonschema
s=json.load(open(sys.argv[1])); assert s["$schema"].endswith("2020-12/schema"), s["$schema"]
jsonschema.Draft202012Validator.check_schema(s)' "$s"
done

"$RFX" parse "$EX" --json >"$T/reg.json"
check "register of the example validates" "$PY" "$V" --kind register "$T/reg.json"
SV=$(sed -n 's/^#define RFX_SCHEMA_VERSION "\(.*\)"$/\1/p' "$RFX_ROOT/include/rfx.h")
check "register carries schema_version $SV (RFX_SCHEMA_VERSION)" "$PY" -c 'import json,sys; assert json.load(open(sys.argv[1]))["schema_version"]==sys.argv[2]' "$T/reg.json" "$SV"
check "docs/json.md names the current schema_version" grep -q "today \`\"$SV\"\`" "$RFX_ROOT/docs/json.md"

# mutations of a valid register must each be rejected
mutate() { # mutate NAME PYTHON-EXPR-ON-d
    "$PY" -c "import json,sys; d=json.load(open(sys.argv[1])); $2; json.dump(d,open(sys.argv[2],'w'))" "$T/reg.json" "$T/mut.json"
    if "$PY" "$V" --kind register "$T/mut.json" >"$T/mut.log" 2>&1; then notok "mutation rejected: $1" "validator accepted it"
    else ok "mutation rejected: $1"; fi
}
mutate "risk field renamed" 'r=d["risks"][0]; r["head_start"]=r.pop("heading_start")'
mutate "undocumented top-level field" 'd["extra"]=1'
mutate "offset as a string" 'd["risks"][0]["start"]=str(d["risks"][0]["start"])'
mutate "section.found missing" 'del d["section"]["found"]'
mutate "unknown fact kind" 'next(r for r in d["risks"] if r["facts"])["facts"][0]["kind"]="amount"'
mutate "schema_version 2.0" 'd["schema_version"]="2.0"'
mutate "metrics half filled" 'del d["metrics"]["fog"]'
mutate "unknown source format" 'd["source"]["format"]="docx"'
mutate "PDF bbox of three numbers" 'd["risks"][0]["page"]=1; d["risks"][0]["bbox"]=[1,2,3]'
mutate "PDF page without bbox" 'd["risks"][0]["page"]=1'
mutate "PDF offsets of another kind" 'd["source"].update(offsets="pdf-bytes", text_bytes=1, pages=1, pages_read=1, ocr_pages=0)'

# lint and peers JSON: closed objects as well (schema/lint, schema/peers)
"$RFX" lint "$EX" --json >"$T/lint.json"
check "lint JSON validates" "$PY" "$V" --kind lint "$T/lint.json"
"$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); d["findings"].append({"rule":"no-such-rule","severity":"warning","start":0,"end":1,"line":1,"col":1,"text":"x","message":"m","fix":None}); json.dump(d,open(sys.argv[2],"w"))' "$T/lint.json" "$T/lmut.json"
if "$PY" "$V" --kind lint "$T/lmut.json" >/dev/null 2>&1; then notok "lint finding of an unknown rule rejected"; else ok "lint finding of an unknown rule rejected"; fi
"$RFX" peers acme --in "$RFX_ROOT/tests/peers" --json >"$T/peers.json"
check "peers JSON validates" "$PY" "$V" --kind peers "$T/peers.json"
"$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); d["company"]["similarity"]=1; json.dump(d,open(sys.argv[2],"w"))' "$T/peers.json" "$T/pmut.json"
if "$PY" "$V" --kind peers "$T/pmut.json" >/dev/null 2>&1; then notok "peers: similarity on the target rejected"; else ok "peers: similarity on the target rejected"; fi

# the validator's messages never show a database password
mkdir "$T/spool"
printf '{"x":1}\n' >"$T/spool/a.out"; printf 'export\n--db\npostgresql://u:Secr3tPw@127.0.0.1:1/db\n--jsonl\n' >"$T/spool/a.args"
"$PY" "$V" "$T/spool" >"$T/spool.log" 2>&1
check "validator reports the bad export row" grep -q "schema_version" "$T/spool.log"
check "validator masks the password (u:***@)" grep -q "postgresql://u:\*\*\*@127" "$T/spool.log"
if grep -q Secr3tPw "$T/spool.log"; then notok "no password in validator output"; else ok "no password in validator output"; fi

# a newer major version is refused by rfx itself when reading a saved register
"$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); d["schema_version"]="2.0"; json.dump(d,open(sys.argv[2],"w"))' "$T/reg.json" "$T/v2.json"
expect_exit "rfx diff refuses a register of schema 2.0" 3 "$RFX" diff "$T/v2.json" "$T/reg.json"
expect_exit "rfx diff reads a register of schema 1.0" 0 "$RFX" diff "$T/reg.json" "$T/reg.json" --json

"$RFX" diff "$T/reg.json" "$T/reg.json" --json >"$T/diff.json"
check "diff JSON validates" "$PY" "$V" --kind diff "$T/diff.json"
"$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); d["counts"]["renamed"]=0; json.dump(d,open(sys.argv[2],"w"))' "$T/diff.json" "$T/dmut.json"
if "$PY" "$V" --kind diff "$T/dmut.json" >/dev/null 2>&1; then notok "diff mutation rejected"; else ok "diff mutation rejected"; fi

# batch: a register line and an error record line, each against its schema
"$RFX" parse -q "$EX" "$T/missing.txt" >"$T/batch.jsonl" 2>/dev/null
check "batch has 2 lines" test "$(wc -l <"$T/batch.jsonl")" -eq 2
sed -n 1p "$T/batch.jsonl" >"$T/b1.json"; sed -n 2p "$T/batch.jsonl" >"$T/b2.json"
check "batch register line validates" "$PY" "$V" --kind register "$T/b1.json"
check "batch error record validates" "$PY" "$V" --kind error "$T/b2.json"
if "$PY" "$V" --kind register "$T/b2.json" >/dev/null 2>&1; then notok "an error record is not a register"; else ok "an error record is not a register"; fi
# rfx train --dump: one line per evaluated risk (spooled by the wrapper as well)
"$RFX" train --eval-only "$RFX_ROOT/data/model/default.rfxm" "$RFX_ROOT/tests/data/labels_small.jsonl" \
    --dump "$T/dump.jsonl" -q >/dev/null 2>&1
check "train --dump has one line per labelled risk" test "$(wc -l <"$T/dump.jsonl")" -eq 3
check "train --dump lines validate" "$PY" "$V" --kind train "$T/dump.jsonl"
rm -f "$T"/*.json "$T"/*.jsonl
echo "1..$n"
