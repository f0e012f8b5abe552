#!/usr/bin/python3
"""validate.py — checks rfx's JSON output against the schemas in schema/.

  validate.py SPOOL_DIR          every output the rfx-checked wrapper spooled
  validate.py --kind KIND FILE   one file (JSON or JSON Lines) against schema/KIND.schema.json

One process validates a whole test script's outputs, so the suite pays one
Python start per script, not one per rfx call. Exit 0 when everything
validated, 1 on any violation (printed as "# schema: ..."), 2 when
python3-jsonschema is missing. A subcommand with no schema in schema/ is
reported, and fails only under RFX_SCHEMA_STRICT=1. Messages never show a
password from a postgresql:// URI given to rfx (user:***@).
"""
import json
import os
import re
import sys

try:
    import jsonschema
except ImportError:
    print("# schema: python3-jsonschema is not installed; output not validated")
    sys.exit(2)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCHEMA_DIR = os.path.join(ROOT, "schema")
# schemas that are not rfx's own contract: SARIF (rfx lint --sarif) is checked
# against the SARIF 2.1.0 subset tests/e2e/lint.sh uses
EXTRA = {"sarif": os.path.join(ROOT, "tests", "lint", "sarif-min.schema.json")}
_validators = {}
_URI_PASSWORD = re.compile(r"((?:postgres|postgresql)://[^:/@\s]*:)[^@\s]*@", re.I)
_KV_PASSWORD = re.compile(r"(\bpassword\s*=\s*)('[^']*'|\S+)", re.I)


def mask(text):
    """Hides passwords of database URIs / conninfo strings in a message."""
    return _KV_PASSWORD.sub(r"\1***", _URI_PASSWORD.sub(r"\1***@", text))


def validator(kind):
    if kind not in _validators:
        path = EXTRA.get(kind) or os.path.join(SCHEMA_DIR, kind + ".schema.json")
        if not os.path.exists(path):
            _validators[kind] = None
        else:
            with open(path, encoding="utf-8") as f:
                schema = json.load(f)
            # the schemas themselves are checked once, by tests/e2e/schema.sh
            _validators[kind] = jsonschema.Draft202012Validator(schema)
    return _validators[kind]


def documents(text):
    """One JSON document, or JSON Lines; raises ValueError on anything else."""
    try:
        return [json.loads(text)]
    except ValueError:
        pass
    docs = []
    for n, line in enumerate(text.splitlines(), 1):
        if line.strip():
            try:
                docs.append(json.loads(line))
            except ValueError as e:
                raise ValueError("line %d is not JSON: %s" % (n, e)) from None
    return docs


def kind_of(args, doc):
    """The schema a document of `rfx ARGS...` must follow: schema/<subcommand>
    (docs/json.md lists them), with a few outputs picked by option."""
    command = args[0] if args else None
    if command == "parse":
        if isinstance(doc, dict) and "error" in doc and "risks" not in doc:
            return "error"
        return "register"
    if command == "lint" and "--sarif" in args:
        return "sarif"
    return command


def check_text(text, args, where, kind=None):
    """Returns the list of problems ("" entries never)."""
    problems = []
    try:
        docs = documents(text)
    except ValueError as e:
        return ["%s: not JSON: %s" % (where, e)]
    for i, doc in enumerate(docs):
        k = kind or kind_of(args, doc)
        v = validator(k)
        label = "%s%s" % (where, " line %d" % (i + 1) if len(docs) > 1 else "")
        if v is None:
            msg = "%s: no schema/%s.schema.json for this output" % (label, k)
            if os.environ.get("RFX_SCHEMA_STRICT") == "1":
                problems.append(msg)
            else:
                print("# schema: note: " + mask(msg))
            continue
        errs = sorted(v.iter_errors(doc), key=lambda e: list(e.absolute_path))
        for e in errs[:5]:
            path = "/".join(str(p) for p in e.absolute_path) or "(top)"
            problems.append("%s: %s at %s: %s" % (label, k, path, mask(e.message)[:300]))
    return problems


def main(argv):
    if len(argv) == 4 and argv[1] == "--kind":
        with open(argv[3], encoding="utf-8") as f:
            problems = check_text(f.read(), None, argv[3], kind=argv[2])
        for p in problems:
            print("# schema: " + mask(p))
        return 1 if problems else 0
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    spool = argv[1]
    problems, n = [], 0
    for name in sorted(os.listdir(spool)):
        if not name.endswith(".out"):
            continue
        base = os.path.join(spool, name[:-4])
        try:
            with open(base + ".args", encoding="utf-8", errors="replace") as f:
                args = f.read().split("\n")
        except OSError:
            args = ["?"]
        with open(base + ".out", "rb") as f:
            raw = f.read()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            problems.append("rfx %s: output is not UTF-8 (%s)" % (mask(" ".join(args)), e))
            continue
        n += 1
        problems += check_text(text, args, "rfx " + mask(" ".join(a for a in args if a))[:200])
    for p in problems:
        print("# schema: " + mask(p))
    print("# schema: %d JSON output(s) checked, %d problem(s)" % (n, len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
