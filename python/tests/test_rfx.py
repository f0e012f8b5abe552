"""The Python package against librfx: parse, diff, Register, errors, options."""
import os
import re

import pytest

import rfx

SEED = "seed/000_f79ab47b85062882.txt"


def test_versions_match_the_header(root):
    with open(os.path.join(root, "include", "rfx.h")) as f:
        h = f.read()
    assert rfx.library_version() == re.search(r'#define RFX_VERSION "(.*)"', h).group(1)
    assert rfx.schema_version() == re.search(r'#define RFX_SCHEMA_VERSION "(.*)"', h).group(1)


def test_parse_seed(shared, validate):
    reg = rfx.parse(os.path.join(shared, SEED))
    validate(reg, "register")
    assert reg["schema_version"] == rfx.schema_version()
    assert reg["section"]["found"] and reg["section"]["title"] == "D. Risk Factor"
    assert len(reg["risks"]) == 19
    assert reg["risks"][0]["heading"].startswith("We may not maintain our current level of revenues")
    assert reg["filing"]["form"] == "20-F"
    # offsets point into the file: the heading is there, byte for byte
    raw = open(os.path.join(shared, SEED), "rb").read()
    r = reg["risks"][0]
    assert raw[r["heading_start"]:r["heading_end"]].decode().split()[:4] == r["heading"].split()[:4]


def test_parse_bytes_equals_parse_path(root):
    path = os.path.join(root, "examples", "northwind-20f-2024.txt")
    a = rfx.parse(path)
    b = rfx.parse(open(path, "rb").read(), name="northwind.txt")
    assert b["source"]["path"] == "northwind.txt"
    a["source"]["path"] = b["source"]["path"]
    assert a == b


def test_options(root, tmp_path):
    path = os.path.join(root, "examples", "northwind-20f-2024.txt")
    reg = rfx.parse(path, no_classify=True)
    assert all(r["categories"] == [] for r in reg["risks"]) and reg["risks"]
    with pytest.raises(rfx.UsageError) as e:
        rfx.parse(path, format="docx")
    assert e.value.status == 2 and "docx" in e.value.message
    with pytest.raises(rfx.UsageError):
        rfx.parse(path, colour=True)
    with pytest.raises(rfx.InputError) as e:
        rfx.parse(path, max_bytes="1K")
    assert e.value.status == 3
    lm = os.path.join(root, "tests", "data", "lm_sample.csv")
    own = rfx.parse(path)["metrics"]
    neg = rfx.parse(path, wordlists={"negative": lm})["metrics"]
    assert neg["negative"] != own["negative"] and neg["uncertainty"] == own["uncertainty"]
    with pytest.raises(rfx.UsageError):
        rfx.parse(path, wordlists={"positive": lm})


def test_missing_file():
    with pytest.raises(rfx.InputError) as e:
        rfx.parse("/nonexistent/filing.html")
    assert e.value.status == 3
    assert "/nonexistent/filing.html" in e.value.message and "No such file" in e.value.message
    assert isinstance(e.value, rfx.Error)


def test_binary_input(tmp_path):
    p = tmp_path / "x.bin"
    p.write_bytes(bytes(range(256)) * 64)
    with pytest.raises(rfx.InputError) as e:
        rfx.parse(str(p))
    assert e.value.status == 3 and "binary" in e.value.message
    with pytest.raises(rfx.InputError):
        rfx.parse(bytes(range(32)) * 100)
    with pytest.raises(TypeError):
        rfx.parse(42)


def test_no_section_is_a_result_not_an_error():
    text = (b"FORM 10-K\n\nPART I\n\nItem 1. Business\n\nWe sell garden tools through our stores.\n\n"
            b"Item 2. Properties\n\nWe lease one warehouse in Dayton, Ohio.\n\n"
            b"Item 3. Legal Proceedings\n\nNone.\n")
    reg = rfx.parse(text)
    assert reg["section"]["found"] is False and reg["risks"] == []
    with pytest.raises(rfx.NotFoundError) as e:
        rfx.Register(text, require_section=True)
    assert e.value.status == 1


def test_diff_two_shared_filings(shared, validate):
    old = os.path.join(shared, "filings", "HD", "HD_10-K_FY2023.html")
    new = os.path.join(shared, "filings", "HD", "HD_10-K_FY2024.html")
    if not (os.path.exists(old) and os.path.exists(new)):
        pytest.skip("HD FY2023/FY2024 filings absent")
    d = rfx.diff(old, new, no_classify=True)
    validate(d, "diff")
    a, b = rfx.parse(old, no_classify=True), rfx.parse(new, no_classify=True)
    assert d["old"]["risks"] == len(a["risks"]) and d["new"]["risks"] == len(b["risks"])
    c = d["counts"]
    # every old risk is paired or removed, every new one paired or added
    assert c["unchanged"] + c["modified"] + c["moved"] + c["removed"] >= 1
    olds = {p["old"] for p in d["pairs"] if p["old"] is not None}
    news = {p["new"] for p in d["pairs"] if p["new"] is not None}
    assert olds == {r["index"] for r in a["risks"]} and news == {r["index"] for r in b["risks"]}
    assert 0 < d["similarity"]["cosine"] <= 1
    # the same diff from register dicts (saved JSON) and from Registers
    assert rfx.diff(a, b)["counts"] == c
    assert rfx.diff(rfx.Register(a), rfx.Register(b))["counts"] == c


def test_diff_of_a_filing_with_itself(root):
    path = os.path.join(root, "examples", "northwind-20f-2024.txt")
    d = rfx.diff(path, path)
    assert d["counts"]["unchanged"] == len(rfx.parse(path)["risks"])
    assert d["counts"]["added"] == d["counts"]["removed"] == d["counts"]["modified"] == 0


def test_diff_refuses_a_newer_schema(root):
    reg = rfx.parse(os.path.join(root, "examples", "northwind-20f-2024.txt"))
    reg["schema_version"] = "2.0"
    with pytest.raises(rfx.InputError) as e:
        rfx.diff(reg, reg)
    assert "schema_version" in e.value.message


def test_register_and_pandas(shared):
    pd = pytest.importorskip("pandas")
    r = rfx.Register(os.path.join(shared, SEED))
    assert isinstance(r.risks, list) and len(r) == 19
    df = r.to_pandas()
    assert isinstance(df, pd.DataFrame)
    assert df.shape == (19, 18)
    assert list(df["index"]) == list(range(1, 20))
    assert df["heading"][0] == r.risks[0]["heading"]
    assert df["words"].sum() == r.metrics["words"]
    assert df["top_category"].notna().all()


def test_corpus(root, shared, tmp_path, validate):
    if not hasattr(rfx._L, "rfx_store_open"):
        pytest.skip("this librfx has no corpus store")
    db = str(tmp_path / "c.db")
    hd = [os.path.join(shared, "filings", "HD", "HD_10-K_FY%d.html" % y) for y in (2023, 2024)]
    if not all(os.path.exists(p) for p in hd):
        pytest.skip("HD FY2023/FY2024 filings absent")
    with rfx.Corpus(db, create=True) as c:
        assert [c.add(p, no_classify=True) for p in hd] == ["added", "added"]
        assert c.add(hd[0], no_classify=True) == "unchanged"
    with rfx.Corpus(db) as c:  # read-only
        res = c.search("tariff*", company="home depot", year=(2023, 2024), limit=5)
        validate(res, "search")
        assert res["hits"] and all(h["company"] == "HOME DEPOT, INC." for h in res["hits"])
        assert all("[tariff" in h["snippet"].lower() for h in res["hits"])
        assert c.search("tariff*", year=1999)["hits"] == []
        h = c.history("home depot")
        validate(h, "history")
        assert [f["fiscal_year"] for f in h["filings"]] == [2023, 2024]
        # the stored lineage agrees with rfx.diff on the same pair
        d = rfx.diff(*hd, no_classify=True)
        assert h["filings"][1]["counts"]["unchanged"] == d["counts"]["unchanged"]
        validate(c.stats(by="year"), "stats")
        with pytest.raises(rfx.UsageError):
            c.search("tariff*", limit=-1)
        with pytest.raises(rfx.UsageError):
            c.search('"unclosed phrase')
        with pytest.raises(rfx.UsageError):
            c.add(hd[0])  # read-only
    with pytest.raises(rfx.InputError):
        rfx.Corpus(os.path.join(root, "examples", "northwind-20f-2024.txt"))
