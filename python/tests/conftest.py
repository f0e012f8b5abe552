import json
import os
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.environ.get("RFX_ROOT") or os.path.dirname(os.path.dirname(HERE))
SHARED = os.environ.get("SHARED") or os.path.join(ROOT, "..", "shared")
# the package under test: the installed one if RFX_PY_INSTALLED, else this tree's
if not os.environ.get("RFX_PY_INSTALLED"):
    sys.path.insert(0, os.path.dirname(HERE))


@pytest.fixture(scope="session")
def root():
    return ROOT


@pytest.fixture(scope="session")
def shared():
    if not os.path.isdir(os.path.join(SHARED, "data")):
        pytest.skip("../shared is absent: %s" % SHARED)
    return os.path.join(SHARED, "data")


@pytest.fixture(scope="session")
def validate():
    """validate(doc, "register"|"diff"): the JSON contract of schema/."""
    jsonschema = pytest.importorskip("jsonschema")
    cache = {}

    def check(doc, kind):
        if kind not in cache:
            with open(os.path.join(ROOT, "schema", kind + ".schema.json")) as f:
                cache[kind] = jsonschema.Draft202012Validator(json.load(f))
        errors = [e.message for e in cache[kind].iter_errors(doc)]
        assert not errors, errors[:3]
    return check
