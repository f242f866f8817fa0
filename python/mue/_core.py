"""The binding to libmue (include/mue.h) through ctypes: ctypes releases the GIL while the
library computes, and the run executes in a worker thread so that the main thread can
turn Ctrl-C into mue_run_cancel."""

import ctypes
import json
import math
import os
import threading

import numpy as np

_here = os.path.dirname(os.path.abspath(__file__))


def _load():
    path = os.environ.get("MUE_LIBRARY") or os.path.join(_here, "libmue.so")
    lib = ctypes.CDLL(path)
    c_char_p, c_int, c_void_p, c_double = ctypes.c_char_p, ctypes.c_int, ctypes.c_void_p, ctypes.c_double
    pdouble = ctypes.POINTER(c_double)
    sig = {
        "mue_version": (c_char_p, []),
        "mue_build_info": (c_char_p, []),
        "mue_run_new": (c_void_p, [c_char_p]),
        "mue_run_free": (None, [c_void_p]),
        "mue_run_set": (c_int, [c_void_p, c_char_p, c_char_p]),
        "mue_run_error": (c_char_p, [c_void_p]),
        "mue_run_check": (c_int, [c_void_p]),
        "mue_run_help": (c_char_p, [c_void_p]),
        "mue_run_cancel": (None, [c_void_p]),
        "mue_run_execute": (c_int, [c_void_p, ctypes.POINTER(c_void_p)]),
        "mue_option_takes_value": (c_int, [c_char_p, c_char_p]),
        "mue_result_free": (None, [c_void_p]),
        "mue_result_text": (c_char_p, [c_void_p]),
        "mue_result_json": (c_char_p, [c_void_p]),
        "mue_result_number": (c_double, [c_void_p, c_char_p]),
        "mue_result_nwarnings": (c_int, [c_void_p]),
        "mue_result_warning": (c_char_p, [c_void_p, c_int]),
        "mue_result_nhist": (c_int, [c_void_p]),
        "mue_result_hist": (c_int, [c_void_p, c_int, ctypes.POINTER(c_char_p), ctypes.POINTER(c_char_p),
                                    ctypes.POINTER(c_int), ctypes.POINTER(pdouble),
                                    ctypes.POINTER(pdouble), ctypes.POINTER(pdouble)]),
    }
    for name, (res, args) in sig.items():
        f = getattr(lib, name)
        f.restype, f.argtypes = res, args
    return lib


_lib = _load()


class Error(RuntimeError):
    """A run that failed while it ran (a file it could not write, a device error)."""


class InputError(Error, ValueError):
    """Settings mue refuses: the message is the command line's, naming the option."""


def version():
    """The library's version, "0.2.0"."""
    return _lib.mue_version().decode()


def build_info():
    """Version, commit and the backends compiled in."""
    return _lib.mue_build_info().decode()


class Histogram:
    """One observable: bin edges (nbins + 1), sigma per bin and its error (fb)."""

    def __init__(self, name, unit, edges, values, errors):
        self.name, self.unit = name, unit
        self.edges, self.values, self.errors = edges, values, errors

    def __repr__(self):
        return "Histogram(%r, %d bins in %s)" % (self.name, len(self.values), self.unit)


class Result:
    """What a command computed: its numbers with every bit (r.sigma_fb, r.number("q")),
    its JSON document (r.json, a dict), the text the command line prints (r.text), its
    warnings and, from integrate with histograms, r.histograms by observable name."""

    def __init__(self, handle):
        self.text = _lib.mue_result_text(handle).decode()
        self.json = json.loads(_lib.mue_result_json(handle).decode())
        self._numbers = {}
        for key, value in self.json.items():
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                self._numbers[key] = _lib.mue_result_number(handle, key.encode())
        self.warnings = [_lib.mue_result_warning(handle, k).decode()
                         for k in range(_lib.mue_result_nwarnings(handle))]
        self.histograms = {}
        for k in range(_lib.mue_result_nhist(handle)):
            name, unit = ctypes.c_char_p(), ctypes.c_char_p()
            nb = ctypes.c_int()
            e, s, er = (ctypes.POINTER(ctypes.c_double)() for _ in range(3))
            if _lib.mue_result_hist(handle, k, ctypes.byref(name), ctypes.byref(unit), ctypes.byref(nb),
                                    ctypes.byref(e), ctypes.byref(s), ctypes.byref(er)) == 0:
                n = nb.value
                h = Histogram(name.value.decode(), unit.value.decode(),
                              np.ctypeslib.as_array(e, (n + 1,)).copy(),
                              np.ctypeslib.as_array(s, (n,)).copy(),
                              np.ctypeslib.as_array(er, (n,)).copy())
                self.histograms[h.name] = h

    def number(self, key):
        """A top-level number of the result by its JSON key; NaN if there is none."""
        return self._numbers.get(key, math.nan)

    def __getattr__(self, key):
        if key.startswith("_"):
            raise AttributeError(key)
        if key in self._numbers:
            return self._numbers[key]
        if key in self.json:
            return self.json[key]
        raise AttributeError("the result has no %r (its keys: %s)" % (key, ", ".join(self.json)))

    @property
    def error_fb(self):
        return self.number("sigma_err_fb")

    @property
    def settings(self):
        return self.json.get("settings", {})

    def __repr__(self):
        return "mue.Result(%s)" % self.text.splitlines()[0] if self.text else "mue.Result()"


def _text(value):
    if isinstance(value, float):
        return repr(value)  # the shortest text that reads back to the same double
    return str(value)


def run(command, **options):
    """Runs `mue <command>` with options as keywords; returns its Result."""
    handle = _lib.mue_run_new(command.encode())
    if not handle:
        raise InputError("unknown command %r (commands: integrate, scan, generate, backgrounds, "
                         "sensitivity, g2, kinematics)" % command)
    try:
        for key, value in options.items():
            name = key.replace("_", "-")
            values = value if isinstance(value, (list, tuple)) else [value]
            for v in values:
                if v is None or v is False:
                    continue
                takes = _lib.mue_option_takes_value(command.encode(), name.encode())
                if v is True and takes != 1:
                    text = None
                else:
                    text = _text(v).encode()
                if _lib.mue_run_set(handle, name.encode(), text) != 0:
                    raise InputError(_lib.mue_run_error(handle).decode())
        if _lib.mue_run_check(handle) != 0:
            raise InputError(_lib.mue_run_error(handle).decode())
        res = _execute(handle)
        try:
            return Result(res)
        finally:
            _lib.mue_result_free(res)
    finally:
        _lib.mue_run_free(handle)


def _execute(handle):
    """mue_run_execute in a worker thread; Ctrl-C in the waiting thread cancels the run,
    which stops at its next iteration."""
    out = ctypes.c_void_p()
    box = {}

    def work():
        box["rc"] = _lib.mue_run_execute(handle, ctypes.byref(out))

    t = threading.Thread(target=work, name="mue run", daemon=True)
    t.start()
    try:
        while t.is_alive():
            t.join(0.1)
    except KeyboardInterrupt:
        _lib.mue_run_cancel(handle)
        t.join()
        if out.value:
            _lib.mue_result_free(out)
        raise
    if box.get("rc") != 0:
        msg = _lib.mue_run_error(handle).decode()
        if msg == "interrupted":
            raise KeyboardInterrupt(msg)
        raise (InputError if msg.startswith("--") else Error)(msg)
    return out


def integrate(**options):
    """`mue integrate`: sigma, the event count and (histograms=True or hist=DIR) the
    distributions. Options as `mue integrate --help` lists them."""
    return run("integrate", **options)


def scan(**options):
    """`mue scan`: one integration per mass (out=DIR is required); r.json["rows"]."""
    return run("scan", **options)


def generate(**options):
    """`mue generate`: events into out=FILE (.lhe, .hepmc3, .gz); the run's numbers."""
    return run("generate", **options)


def backgrounds(**options):
    """`mue backgrounds`: the signals against the backgrounds, cut by cut."""
    return run("backgrounds", **options)


def sensitivity(**options):
    """`mue sensitivity`: expected 95 % CL limits and discovery reach per mass (out=DIR, and
    detector= or background=); r.json["rows"] with g95, g95_band, g_3sigma, g_5sigma."""
    return run("sensitivity", **options)


def g2(**options):
    """`mue g2`: Delta a_mu of the Z' (mass=, coupling=) and its pulls."""
    return run("g2", **options)


def kinematics(**options):
    """`mue kinematics`: E_e,min against the muon-angle threshold (r.json["rows"])."""
    return run("kinematics", **options)
