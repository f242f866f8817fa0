#!/usr/bin/env python3
"""mue against G. P. Lepage's vegas (VEGAS+, PyPI `vegas`) on the same compiled integrand.

vegas integrates mue's own integrand, built into a shared library with a batch entry
(bench/peer_integrand.c, loaded here through ctypes as a vegas LBatchIntegrand); mue
runs as its command line does. Both follow one schedule per measurement: W warm-up
iterations of N points (discarded; vegas: a first call, as its manual trains the map),
then iterations of N points until the relative error reaches the target (vegas: rtol).
Times are wall clock and include the warm-up and every set-up (vegas: the Integrator
and its worker processes; mue: the process start). Each tool keeps its defaults
(vegas: alpha 0.5, beta 0.75, up to 1000 increments per axis; mue: damping 1.5,
beta 0.75, 64 bins per axis).

Two races. The algorithm race (below) gives both tools one fixed schedule. The user race
gives each the schedule its user would: mue at its defaults with only --rel-error (its
automatic schedule), vegas as its manual trains it, one call of 5 iterations of 2e5
points, then iterations of 2e6 points to rtol; to 1e-3 and 1e-4, on one core and on all
(vegas: nproc), for zprime at 10 and 100 MeV, elastic and mueg. Wall time with set-up.

Measured in the algorithm race, for zprime at 10 and 100 MeV (cuts (i)+(ii)) and
elastic (cut (ii) only):
  - points per unit error: per-iteration relative error x sqrt(points of the
    iteration), the median over 10 iterations after 10 warm-up ones, at 1e5 and 5e5
    points per iteration (smaller is better);
  - wall time to 0.1 % (N = 1e5) and to 0.01 % (N = 1e6), W = 5, on one core and on
    all cores (vegas: nproc), with Q of the final result.
The results go into the "vs_lepage_vegas" member of bench/results/cpu-<host>.json
(written by bench_cpu first), with the ratios docs/performance.md shows.

Usage: bench_peer.py --mue build/mue-cpu --lib build/libmue_peer.so --results FILE
       [--quick]   (one integrand, fewer measurements: to check the script)
       [--only user|algorithm]   (one race; the other's numbers stay as FILE has them)
"""
import argparse
import ctypes
import json
import math
import multiprocessing
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
import vegas

CASES = [
    # name, process id (mue_process_id), mass, coupling, cuts, theta_mu_min, ee_min, ee_max
    ("zprime_10MeV", 1, 0.01, 5e-4, 1, 1.5e-3, 1.0, 25.0),
    ("zprime_100MeV", 1, 0.1, 1e-3, 1, 1.5e-3, 1.0, 25.0),
    ("elastic_cut_ii", 0, 0.0, 0.0, 1, 0.0, 1.0, 25.0),
]
# the user race adds the radiative background at the default cuts (i)+(ii)
USER_CASES = CASES + [("mueg", 2, 0.0, 0.0, 1, 1.5e-3, 1.0, 25.0)]
USER_TRAIN = (5, 200000)    # vegas: nitn, neval of the training call
USER_NEVAL = 2000000        # vegas: neval of the iterations to rtol


class Integrand(vegas.LBatchIntegrand):
    """mue_peer_batch through ctypes; picklable (vegas's nproc sends it to workers,
    which load the library and make the setup again)."""

    def __init__(self, lib, case):
        self.lib_path, self.case = lib, case
        self._open()

    def _open(self):
        lib = ctypes.CDLL(self.lib_path)
        lib.mue_peer_setup.restype = ctypes.c_void_p
        lib.mue_peer_setup.argtypes = [ctypes.c_int] + [ctypes.c_double] * 2 + [ctypes.c_int] + \
            [ctypes.c_double] * 3
        lib.mue_peer_ndim.argtypes = [ctypes.c_void_p]
        lib.mue_peer_batch.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_double),
                                       ctypes.POINTER(ctypes.c_double), ctypes.c_long]
        _, proc, mass, g, cuts, th, lo, hi = self.case
        self.setup = lib.mue_peer_setup(proc, mass, g, cuts, th, lo, hi)
        if not self.setup:
            raise SystemExit("bench_peer: the library refused %s" % self.case[0])
        self.ndim = lib.mue_peer_ndim(self.setup)
        self.lib = lib

    def __reduce__(self):
        return (Integrand, (self.lib_path, self.case))

    def __call__(self, x):
        x = np.ascontiguousarray(x, dtype=np.float64)
        f = np.empty(x.shape[0], dtype=np.float64)
        dp = ctypes.POINTER(ctypes.c_double)
        self.lib.mue_peer_batch(self.setup, x.ctypes.data_as(dp), f.ctypes.data_as(dp), x.shape[0])
        return f


def mue_args(case):
    name, proc, mass, g, cuts, th, lo, hi = case
    a = ["--process", ["elastic", "zprime", "mueg"][proc],
         "--theta-mu-min", repr(th), "--ee-min", repr(lo), "--ee-max", repr(hi)]
    if proc == 1:
        a += ["--mass", repr(mass), "--coupling", repr(g)]
    return a


def run_mue(mue, case, points, warmup, iterations, rel, threads, seed=1):
    """points None: mue's own schedule, only --rel-error"""
    with tempfile.TemporaryDirectory() as d:
        js = os.path.join(d, "r.json")
        sched = [] if points is None else [
            "--points", str(points), "--warmup", str(warmup), "--iterations", str(iterations)]
        cmd = [mue, "integrate"] + mue_args(case) + sched + [
            "--rel-error", repr(rel), "--threads", str(threads), "--seed", str(seed), "--quiet",
            "--json", js]
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        wall = time.perf_counter() - t0
        with open(js) as f:
            return json.load(f), wall


def fom_mue(mue, case, points):
    """median over 10 iterations (after 10 warm-up) of rel.err x sqrt(points)"""
    j, _ = run_mue(mue, case, points, 10, 10, 0.0, 0)
    r = [e / abs(i) * math.sqrt(n) for (i, e), n in zip(j["iteration_results_fb"],
                                                         j["iteration_points"])]
    return float(np.median(r))


def fom_vegas(f, points):
    integ = vegas.Integrator([[0.0, 1.0]] * f.ndim)
    integ(f, nitn=10, neval=points)
    res = integ(f, nitn=10, neval=points)
    n = res.sum_neval / 10.0
    r = [x.sdev / abs(x.mean) * math.sqrt(n) for x in res.itn_results]
    return float(np.median(r))


def time_mue(mue, case, points, rel, threads):
    j, wall = run_mue(mue, case, points, 5, 200, rel, threads)
    return {"seconds": wall, "points": j["points"], "sigma_fb": j["sigma_fb"],
            "err_fb": j["sigma_err_fb"], "q": j["q"], "iterations": j["iterations"]}


def time_vegas(f, points, rel, nproc):
    t0 = time.perf_counter()
    integ = vegas.Integrator([[0.0, 1.0]] * f.ndim, nproc=nproc)
    warm = integ(f, nitn=5, neval=points)
    res = integ(f, nitn=200, neval=points, rtol=rel)
    wall = time.perf_counter() - t0
    # points of both calls, as mue's count includes its warm-up
    return {"seconds": wall, "points": int(warm.sum_neval + res.sum_neval), "sigma_fb": res.mean,
            "err_fb": res.sdev, "q": res.Q if len(res.itn_results) > 1 else None,
            "iterations": len(res.itn_results)}


def user_mue(mue, case, rel, threads):
    j, wall = run_mue(mue, case, None, 0, 0, rel, threads)
    return {"seconds": wall, "points": j["points"], "sigma_fb": j["sigma_fb"],
            "err_fb": j["sigma_err_fb"], "q": j["q"], "iterations": j["iterations"],
            "training_iterations": j["warmup"]}


def user_vegas(f, rel, nproc):
    t0 = time.perf_counter()
    integ = vegas.Integrator([[0.0, 1.0]] * f.ndim, nproc=nproc)
    warm = integ(f, nitn=USER_TRAIN[0], neval=USER_TRAIN[1])
    res = integ(f, nitn=200, neval=USER_NEVAL, rtol=rel)
    wall = time.perf_counter() - t0
    return {"seconds": wall, "points": int(warm.sum_neval + res.sum_neval), "sigma_fb": res.mean,
            "err_fb": res.sdev, "q": res.Q if len(res.itn_results) > 1 else None,
            "iterations": len(res.itn_results)}


def user_race(a, lib, cores):
    """each tool as its user runs it (module docstring)"""
    out = {"schedule": "mue: its defaults with only --rel-error (automatic schedule); vegas: "
                       "one training call of %d x %g points, then %g-point iterations to rtol; "
                       "wall time with set-up" % (USER_TRAIN[0], USER_TRAIN[1], USER_NEVAL),
           "cases": {}}
    cases = USER_CASES[1:2] if a.quick else USER_CASES
    for case in cases:
        name = case[0]
        f = Integrand(lib, case)
        c = {}
        for rel in ([1e-3] if a.quick else [1e-3, 1e-4]):
            key = "%g" % rel
            c[key] = {}
            for label, threads in (("1core", 1), ("all_cores", cores)):
                m = user_mue(a.mue, case, rel, threads)
                v = user_vegas(f, rel, threads)
                c[key][label] = {"mue": m, "vegas": v, "vegas_over_mue": v["seconds"] / m["seconds"]}
                print("user race %-15s %-6s %-9s: mue %.3f s, %d points (%d+%d iterations); vegas "
                      "%.3f s, %d points: x%.2f"
                      % (name, key, label, m["seconds"], m["points"], m["training_iterations"],
                         m["iterations"], v["seconds"], v["points"], v["seconds"] / m["seconds"]),
                      file=sys.stderr)
        out["cases"][name] = c
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mue", required=True)
    ap.add_argument("--lib", required=True)
    ap.add_argument("--results", required=True)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--only", choices=["user", "algorithm"],
                    help="run one race, keeping the other's numbers from --results")
    a = ap.parse_args()
    lib = os.path.abspath(a.lib)
    cores = os.cpu_count() or 1
    try:
        with open(a.results) as fh:
            doc = json.load(fh)
    except (OSError, ValueError) as e:
        sys.exit("bench_peer: cannot read %s (run bench_cpu first): %s" % (a.results, e))

    out = {"peer": "vegas %s (Lepage, VEGAS+), PyPI, through ctypes on bench/peer_integrand.c"
                   % vegas.__version__,
           "cores": cores, "schedule": "W = 5 warm-up iterations of N points, then N-point "
           "iterations to the target; wall time with set-up; 0.1 %: N = 1e5, 0.01 %: N = 1e6",
           "cases": {}}
    before = doc.get("vs_lepage_vegas", {})
    if a.only == "algorithm":
        out["user_race"] = before.get("user_race")
    else:
        out["user_race"] = user_race(a, lib, cores)
    cases = [] if a.only == "user" else CASES[1:2] if a.quick else CASES
    if a.only == "user":
        out["cases"] = before.get("cases", {})
    for case in cases:
        name = case[0]
        f = Integrand(lib, case)
        c = {"points_per_unit_error": {}, "to_0.1pct": {}, "to_0.01pct": {}}
        for n in ([100000] if a.quick else [100000, 500000]):
            m, v = fom_mue(a.mue, case, n), fom_vegas(f, n)
            c["points_per_unit_error"]["%d" % n] = {"mue": m, "vegas": v, "vegas_over_mue": v / m}
            print("%-15s N=%-7d points per unit error: mue %.3g  vegas %.3g" % (name, n, m, v),
                  file=sys.stderr)
        targets = [("to_0.1pct", 1e-3, 100000)] if a.quick else \
            [("to_0.1pct", 1e-3, 100000), ("to_0.01pct", 1e-4, 1000000)]
        for key, rel, n in targets:
            for label, threads in (("1core", 1), ("all_cores", cores)):
                m = time_mue(a.mue, case, n, rel, threads)
                v = time_vegas(f, n, rel, threads)
                c[key][label] = {"mue": m, "vegas": v, "vegas_over_mue": v["seconds"] / m["seconds"]}
                print("%-15s %s %-9s: mue %.3f s, %d points (Q %.2f); vegas %.3f s, %d points "
                      "(Q %s): x%.2f"
                      % (name, key, label, m["seconds"], m["points"], m["q"], v["seconds"],
                         v["points"], "-" if v["q"] is None else "%.2f" % v["q"],
                         v["seconds"] / m["seconds"]), file=sys.stderr)
        out["cases"][name] = c
    doc["vs_lepage_vegas"] = out
    fd, tmp = tempfile.mkstemp(prefix=".mue-tmp.bench.", dir=os.path.dirname(a.results) or ".")
    with os.fdopen(fd, "w") as fh:
        json.dump(doc, fh, indent=2)
        fh.write("\n")
    os.replace(tmp, a.results)
    print("wrote %s" % a.results)


if __name__ == "__main__":
    multiprocessing.set_start_method("fork", force=True)
    main()
