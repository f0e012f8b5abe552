"""Finding and loading librfx.so, and its C signatures (ctypes)."""
import ctypes
import ctypes.util
import os
import sys

SONAME = "librfx.so.0"
_HERE = os.path.dirname(os.path.abspath(__file__))


def _candidates():
    env = os.environ.get("RFX_LIB")
    if env:  # an explicit choice is the only one tried
        yield env
        return
    yield os.path.join(_HERE, "lib", SONAME)  # bundled by pip install
    yield SONAME  # system loader: ldconfig cache, LD_LIBRARY_PATH
    for prefix in ("/usr/local", sys.prefix):
        yield os.path.join(prefix, "lib", SONAME)
    yield os.path.join(_HERE, "..", "..", "build", SONAME)  # a source checkout


def load():
    tried = []
    for path in _candidates():
        if os.sep in path and not os.path.exists(path):
            tried.append(path + " (absent)")
            continue
        try:
            lib = ctypes.CDLL(path)
        except OSError as e:
            tried.append("%s (%s)" % (path, e))
            continue
        _declare(lib)
        lib._rfx_path = path
        return lib
    raise ImportError("rfx: cannot load librfx.so; build it with `make` or install it with "
                      "`make install`, or set RFX_LIB to its path. Tried: " + "; ".join(tried))


class Error(ctypes.Structure):
    _fields_ = [("code", ctypes.c_int), ("message", ctypes.c_char * 512)]


def _fn(lib, name, restype, *argtypes):
    f = getattr(lib, name)
    f.restype = restype
    f.argtypes = list(argtypes)


def _declare(lib):
    P, S, I, Z = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.c_size_t
    E = ctypes.POINTER(Error)
    PP = ctypes.POINTER(ctypes.c_void_p)
    _fn(lib, "rfx_version", S)
    _fn(lib, "rfx_schema_version", S)
    _fn(lib, "rfx_free", None, P)
    _fn(lib, "rfx_options_new", P)
    _fn(lib, "rfx_options_free", None, P)
    _fn(lib, "rfx_options_set", I, P, S, S, E)
    _fn(lib, "rfx_options_use_wordlists", None, P, P)
    _fn(lib, "rfx_wordlists_new", P)
    _fn(lib, "rfx_wordlists_free", None, P)
    _fn(lib, "rfx_wordlists_load", I, P, S, S, E)
    _fn(lib, "rfx_parse_file", I, S, P, PP, E)
    _fn(lib, "rfx_parse_memory", I, ctypes.c_char_p, Z, S, P, PP, E)
    _fn(lib, "rfx_register_from_json", I, ctypes.c_char_p, Z, PP, E)
    _fn(lib, "rfx_register_free", None, P)
    _fn(lib, "rfx_register_json", P, P, ctypes.c_uint)  # malloc'd: freed with rfx_free
    _fn(lib, "rfx_diff_compute", I, P, P, PP, E)
    _fn(lib, "rfx_diff_free", None, P)
    _fn(lib, "rfx_diff_json", P, P, ctypes.c_uint)
    if hasattr(lib, "rfx_store_open"):  # a librfx with the corpus store
        _fn(lib, "rfx_store_open", I, S, ctypes.c_uint, PP, E)
        _fn(lib, "rfx_store_close", None, P)
        _fn(lib, "rfx_store_add", I, P, P, S, ctypes.POINTER(ctypes.c_int), E)
        _fn(lib, "rfx_store_query_new", P)
        _fn(lib, "rfx_store_query_free", None, P)
        _fn(lib, "rfx_store_query_set", I, P, S, S, E)
        _fn(lib, "rfx_store_search", I, P, P, PP, E)
        _fn(lib, "rfx_store_history", I, P, S, S, PP, E)
        _fn(lib, "rfx_store_stats", I, P, S, PP, E)
