"""rfx — the risk-factor sections of SEC filings as structured risk registers.

In-process bindings to librfx (ctypes over librfx.so; no command is run):

    rfx.parse(path_or_bytes, **options) -> dict      the register (docs/json.md)
    rfx.diff(old, new, **options) -> dict            what changed between two
    rfx.Register(path_or_bytes, **options)           .risks, .section, .to_pandas()
    rfx.Corpus(db).search(...)                       a corpus store, when librfx has one

Options (as on the rfx command line): format ("text", "html", "sgml",
"pdf"), model (a path), no_classify, fast, max_bytes, max_memory,
max_depth, and wordlists={"negative": "LM.csv", ...} (docs/metrics.md).

Failures raise rfx.Error subclasses carrying .status (the rfx exit code)
and .message: UsageError (2), InputError (3), MemoryLimitError (4),
InternalError (5). A filing without a risk-factor section is not an error:
its register has section["found"] == False (NotFoundError, status 1, is
raised only by Register(..., require_section=True)).
"""
import ctypes
import json
import os

from . import _lib

__all__ = ["parse", "diff", "Register", "Corpus", "Error", "NotFoundError", "UsageError",
           "InputError", "MemoryLimitError", "InternalError", "library_version",
           "schema_version", "__version__"]
__version__ = "0.1.0"

_L = _lib.load()


class Error(Exception):
    """A failure reported by librfx: .status (rfx_status / exit code) and .message."""
    status = None

    def __init__(self, message, status=None):
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status


class NotFoundError(Error):
    status = 1


class UsageError(Error, ValueError):
    status = 2


class InputError(Error):
    status = 3


class MemoryLimitError(Error, MemoryError):
    status = 4


class InternalError(Error):
    status = 5


_BY_STATUS = {1: NotFoundError, 2: UsageError, 3: InputError, 4: MemoryLimitError, 5: InternalError}


def _raise(status, err):
    msg = err.message.decode("utf-8", "replace") or "rfx failed (status %d)" % status
    raise _BY_STATUS.get(status, Error)(msg, status)


def library_version():
    """The version of the librfx actually loaded."""
    return _L.rfx_version().decode()


def schema_version():
    """The JSON schema_version this librfx writes."""
    return _L.rfx_schema_version().decode()


def _take_json(ptr):
    if not ptr:
        raise MemoryLimitError("rfx: out of memory rendering JSON", 4)
    try:
        return json.loads(ctypes.string_at(ptr).decode("utf-8"))
    finally:
        _L.rfx_free(ptr)


class _Options:
    """An rfx_options made and freed by librfx (its layout stays in C)."""
    _KEYS = ("format", "model", "no_classify", "fast", "max_bytes", "max_memory", "max_depth")

    def __init__(self, options):
        self.ptr = _L.rfx_options_new()
        self.wl = None
        if not self.ptr:
            raise MemoryLimitError("rfx: out of memory", 4)
        try:
            for key, value in options.items():
                if key == "wordlists":
                    self._wordlists(value)
                    continue
                if key not in self._KEYS:
                    raise UsageError("rfx: unknown option %r (%s, wordlists)" % (key, ", ".join(self._KEYS)), 2)
                if value is None:
                    continue
                if isinstance(value, bool):
                    value = "1" if value else "0"
                err = _lib.Error()
                st = _L.rfx_options_set(self.ptr, key.encode(), os.fsencode(str(value)), ctypes.byref(err))
                if st:
                    _raise(st, err)
        except BaseException:
            self.close()
            raise

    def _wordlists(self, lists):
        if not lists:
            return
        self.wl = _L.rfx_wordlists_new()
        if not self.wl:
            raise MemoryLimitError("rfx: out of memory", 4)
        for name, path in dict(lists).items():
            err = _lib.Error()
            st = _L.rfx_wordlists_load(self.wl, str(name).encode(), os.fsencode(path), ctypes.byref(err))
            if st:
                _raise(st, err)
        _L.rfx_options_use_wordlists(self.ptr, self.wl)

    def close(self):
        if self.ptr:
            _L.rfx_options_free(self.ptr)
            self.ptr = None
        if self.wl:
            _L.rfx_wordlists_free(self.wl)
            self.wl = None


class _Reg:
    """A C rfx_register, freed when closed."""

    def __init__(self, source, options, name=None, require_section=False):
        self.ptr = None
        out = ctypes.c_void_p()
        err = _lib.Error()
        if isinstance(source, Register):
            source = source.data
        if isinstance(source, dict):  # a register (e.g. from rfx.parse or saved JSON)
            data = json.dumps(source).encode("utf-8")
            st = _L.rfx_register_from_json(data, len(data), ctypes.byref(out), ctypes.byref(err))
        else:
            opt = _Options(options)
            try:
                if isinstance(source, (bytes, bytearray, memoryview)):
                    data = bytes(source)
                    st = _L.rfx_parse_memory(data, len(data), (name or "<bytes>").encode(), opt.ptr,
                                             ctypes.byref(out), ctypes.byref(err))
                elif isinstance(source, (str, os.PathLike)):
                    st = _L.rfx_parse_file(os.fsencode(source), opt.ptr, ctypes.byref(out), ctypes.byref(err))
                else:
                    raise TypeError("rfx: expected a path, bytes, a register dict or a Register, got %s"
                                    % type(source).__name__)
            finally:
                opt.close()
        self.ptr = out.value
        if st == 1 and self.ptr and not require_section:
            return  # a register without a section: a result, not an error
        if st:
            self.close()
            _raise(st, err)

    def json(self):
        return _take_json(_L.rfx_register_json(self.ptr, 0))

    def close(self):
        if self.ptr:
            _L.rfx_register_free(self.ptr)
            self.ptr = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def parse(source, name=None, **options):
    """Parses a filing (a path, or its bytes) into a register dict (docs/json.md).

    name: the name bytes are known by in messages and source.path."""
    with _Reg(source, options, name=name) as r:
        return r.json()


def diff(old, new, **options):
    """Compares two filings or registers (paths, bytes, register dicts, Registers);
    returns the diff dict of `rfx diff --json` (docs/json.md)."""
    with _Reg(old, options) as a, _Reg(new, options) as b:
        out = ctypes.c_void_p()
        err = _lib.Error()
        st = _L.rfx_diff_compute(a.ptr, b.ptr, ctypes.byref(out), ctypes.byref(err))
        if st:
            _raise(st, err)
        try:
            return _take_json(_L.rfx_diff_json(out.value, 0))
        finally:
            _L.rfx_diff_free(out.value)


class Register:
    """A risk register: rfx.Register(path_or_bytes, **options), or from a dict.

    .data is the whole register (docs/json.md); .risks, .section, .filing,
    .entities, .metrics, .warnings are its parts; .to_pandas() needs pandas."""

    def __init__(self, source, name=None, require_section=False, **options):
        if isinstance(source, dict):
            self.data = source
        else:
            with _Reg(source, options, name=name, require_section=require_section) as r:
                self.data = r.json()

    risks = property(lambda self: self.data["risks"])
    section = property(lambda self: self.data["section"])
    filing = property(lambda self: self.data["filing"])
    entities = property(lambda self: self.data["entities"])
    metrics = property(lambda self: self.data["metrics"])
    warnings = property(lambda self: self.data["warnings"])
    source = property(lambda self: self.data["source"])

    def __len__(self):
        return len(self.risks)

    def __repr__(self):
        f = self.filing
        return "<rfx.Register %s %s %s: %d risks>" % (f.get("company"), f.get("form"), f.get("period"),
                                                     len(self.risks))

    def to_json(self, **kw):
        return json.dumps(self.data, **kw)

    def to_pandas(self):
        """One row per risk: position, text, top category, fact count and metrics."""
        try:
            import pandas
        except ImportError as e:
            raise ImportError("rfx: Register.to_pandas() needs pandas (Debian: python3-pandas)") from e
        cols = ["index", "group", "heading", "body", "start", "end", "top_category", "top_score",
                "categories", "facts", "words", "sentences", "specificity", "boilerplate", "fog",
                "uncertainty", "litigious", "negative"]
        rows = []
        for r in self.risks:
            cats = r.get("categories") or []
            m = r.get("metrics") or {}
            rows.append([r["index"], r["group"], r["heading"], r["body"], r["start"], r["end"],
                         cats[0]["id"] if cats else None, cats[0]["score"] if cats else None,
                         [c["id"] for c in cats], len(r.get("facts") or [])] +
                        [m.get(k) for k in cols[10:]])
        df = pandas.DataFrame(rows, columns=cols)
        df.attrs["source"] = self.source.get("path")
        df.attrs["company"] = self.filing.get("company")
        return df


class Corpus:
    """A corpus store built by `rfx index` (docs/corpus.md), queried in-process.

        with rfx.Corpus("rfx.db") as c:
            c.search("tariff* OR \"export controls\"", company="home depot", year=(2019, 2024))
            c.history("disney"); c.stats(by="year")
        rfx.Corpus("new.db", create=True).add("filing.html")

    db None means $RFX_DB, else rfx.db. Results are the dicts of
    `rfx search/history/stats --json` (docs/json.md)."""
    _READONLY, _CREATE = 1, 2
    _OUTCOMES = {0: "added", 1: "unchanged", 2: "replaced"}

    def __init__(self, db=None, create=False, readonly=None):
        self.ptr = None
        if not hasattr(_L, "rfx_store_open"):
            raise Error("rfx: this librfx (%s) has no corpus store" % library_version(), 2)
        if readonly is None:
            readonly = not create
        flags = (self._READONLY if readonly else 0) | (self._CREATE if create else 0)
        out = ctypes.c_void_p()
        err = _lib.Error()
        st = _L.rfx_store_open(None if db is None else os.fsencode(db), flags, ctypes.byref(out),
                               ctypes.byref(err))
        if st:
            _raise(st, err)
        self.ptr = out.value

    def close(self):
        if self.ptr:
            _L.rfx_store_close(self.ptr)
            self.ptr = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        self.close()

    def _open(self):
        if not self.ptr:
            raise UsageError("rfx: the corpus is closed", 2)
        return self.ptr

    def _json(self, call, *args):
        out = ctypes.c_void_p()
        err = _lib.Error()
        st = call(self._open(), *args, ctypes.byref(out), ctypes.byref(err))
        if st:
            if out.value:
                _L.rfx_free(out.value)
            _raise(st, err)
        return _take_json(out.value)

    def search(self, text=None, company=None, cik=None, form=None, year=None, category=None,
               status=None, limit=None, offset=None):
        """Ranked full-text search; year is a fiscal year or a (first, last) pair."""
        q = _L.rfx_store_query_new()
        if not q:
            raise MemoryLimitError("rfx: out of memory", 4)
        try:
            y0 = y1 = None
            if isinstance(year, (tuple, list)):
                y0, y1 = year
            elif year is not None:
                y0 = y1 = year
            for key, value in (("text", text), ("company", company), ("cik", cik), ("form", form),
                               ("category", category), ("status", status), ("year_from", y0),
                               ("year_to", y1), ("limit", limit), ("offset", offset)):
                if value is None:
                    continue
                err = _lib.Error()
                st = _L.rfx_store_query_set(q, key.encode(), str(value).encode("utf-8"), ctypes.byref(err))
                if st:
                    _raise(st, err)
            return self._json(_L.rfx_store_search, q)
        finally:
            _L.rfx_store_query_free(q)

    def history(self, company, form=None):
        """A company's filings and its risks' lineage (name words, ticker or CIK)."""
        return self._json(_L.rfx_store_history, str(company).encode("utf-8"),
                          None if form is None else str(form).encode())

    def stats(self, by="category"):
        """Risks by category per year ("category"), or by "year", "company", "form"."""
        return self._json(_L.rfx_store_stats, str(by).encode())

    def add(self, source, name=None, **options):
        """Parses a filing (path, bytes, or register dict) and stores it; returns
        "added", "unchanged" or "replaced"."""
        with _Reg(source, options, name=name) as r:
            outcome = ctypes.c_int(-1)
            err = _lib.Error()
            st = _L.rfx_store_add(self._open(), r.ptr, None, ctypes.byref(outcome), ctypes.byref(err))
            if st:
                _raise(st, err)
            return self._OUTCOMES.get(outcome.value, "added")
