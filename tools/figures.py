#!/usr/bin/env python3
"""Regenerates the paper's figures and numbers with `mue` (Asai et al., PRD 106, L051702).

Runs build/mue (kinematics, integrate, scan, g2) into OUT/data/, on the CPU, then draws
  OUT/fig1_ee_min.png                 paper Fig. 1: E_e^min against the theta_mu threshold
  OUT/fig2_ee_distribution.png        paper Fig. 2: dN/dE_e under cut (i), both benchmarks
  OUT/fig3_sensitivity_wp20.png       paper Fig. 3: N_sig contours with the 2021 g-2 bands
  OUT/fig3_sensitivity_wp25.png       the same with the 2025 g-2 bands
  OUT/fig3_reach.pdf, .png            MUonE's expected 95 % CL exclusion (mue sensitivity)
                                      for three photon vetoes, with the existing limits of
                                      data/limits/ and the g-2 bands
  OUT/fig_backgrounds_veto.png        background after (i)-(iii) against the veto inefficiency
  OUT/backgrounds.md                  the `mue backgrounds` table
  OUT/fig4_muenn_ee.png               E_e shape of the SM background mu e -> mu e nu nubar
                                      against the signal's, cuts (i)+(ii)
and computes the numbers the paper quotes (OUT/numbers.json, OUT/numbers.md).
Every number in the "this program" column comes from a mue run made here; the
paper's column is the paper's own (rounded) statements.

OUT/data/ holds results only: what depends on the machine rather than on the physics
(run times, thread counts, the device) is taken out of the files, so that rerunning on
an unchanged tree changes nothing there. The commands, with their times, go to
OUT/mue_runs.log (not kept in git).

Only the standard library and matplotlib (Agg backend) are used; the C program
never needs Python.
"""
import argparse
import csv
import json
import math
import os
import re
import shlex
import subprocess
import sys
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

LUMI_FB = 15.0
# The two benchmark points of the paper (Fig. 2, red stars in Fig. 3): model inputs.
BENCHMARKS = [
    {"key": "m10MeV", "mass": 0.010, "g": 5e-4, "color": "tab:blue",
     "label": r"$m_{Z'}=10$ MeV, $g_{Z'}=5\times10^{-4}$"},
    {"key": "m100MeV", "mass": 0.100, "g": 1e-3, "color": "tab:green",
     "label": r"$m_{Z'}=100$ MeV, $g_{Z'}=10^{-3}$"},
]
THETA_MU_CUT_MRAD = 1.5   # cut (i), mue's default; drawn on Fig. 1
EE_CUT = (1.0, 25.0)      # cut (ii), mue's default; shaded on Fig. 2
CUT_I_ONLY = ["--ee-min", "0.000511", "--ee-max", "150"]  # E_e window that removes cut (ii)
HIST_BINS = 100           # 0.02 rad is a bin edge of theta_e (0-0.05 rad)
KIN_POINTS = 200
ALPHA_MADGRAPH = 1.0 / 132.507  # MadGraph5 'sm' model (G_mu scheme), as docs/physics.md, Benchmarks, notes

# What the paper states (15 fb^-1); these are the paper's numbers, not ours.
PAPER = {
    "events_m10MeV": "~600",
    "events_m100MeV": "~1200",
    "keep_ee3": ">= 0.7",
    "keep_ee5": ">= 0.5",
    "theta_e_lt_20mrad": "mostly < 20 mrad",
    "vanish_mass": "~300 MeV",
    "g_one_event": "a few 1e-5",
    "g2_benchmarks_wp20": "inside 1 sigma",
    "events_muenn": "~1e-4",
}

FAST_BUDGET = ["--points", "20000", "--iterations", "2", "--warmup", "1", "--rel-error", "0"]
BISECT_BUDGET = ["--points", "300000", "--iterations", "2", "--warmup", "2", "--rel-error", "0"]

G_BISECT = 1e-3  # coupling of the bisection runs (sigma is exactly proportional to g^2)

FIGSIZE = (6.0, 4.5)
DPI = 150


def log(msg):
    print("[figures] " + msg, flush=True)


class Runner:
    def __init__(self, mue, logfile):
        self.mue = mue
        self.logfile = logfile
        self.seconds = 0.0

    def __call__(self, *args):
        cmd = [self.mue] + [str(a) for a in args]
        t0 = time.time()
        try:
            p = subprocess.run(cmd, capture_output=True, text=True)
        except OSError as e:
            sys.exit("figures.py: cannot run %s: %s" % (shlex.join(cmd), e))
        dt = time.time() - t0
        self.seconds += dt
        with open(self.logfile, "a") as f:
            f.write("$ %s   # rc %d, %.2f s\n%s%s\n" % (shlex.join(cmd), p.returncode, dt,
                                                       p.stdout, p.stderr))
        if p.returncode != 0:
            sys.stderr.write("figures.py: command failed (exit status %d):\n  %s\n%s\n"
                             % (p.returncode, shlex.join(cmd), p.stderr.strip()))
            sys.exit(1)
        return p.stdout


def read_csv(path):
    """Rows of a mue CSV ('#' comment lines, one header line) as dicts of floats (None if empty)."""
    with open(path) as f:
        lines = [ln for ln in f if not ln.startswith("#") and ln.strip()]
    rows = []
    for r in csv.DictReader(lines):
        rows.append({k: (float(v) if v not in ("", None) else None) for k, v in r.items()})
    return rows


def read_json(path):
    with open(path) as f:
        return json.load(f)


def fmt(v, err=None, digits=3):
    if v is None:
        return "-"
    if err is None or err == 0:
        return "%.*g" % (digits, v)
    return "%.*g ± %.2g" % (digits, v, err)


def ratio_err(a, ea, b, eb):
    """a/b and its error, the two runs treated as independent."""
    if not b:
        return None, None
    r = a / b
    return r, math.hypot(ea / b, r * eb / b)


# ---------------------------------------------------------------- runs

MACHINE_KEYS = ("seconds", "setup_seconds", "eval_seconds", "host_seconds", "threads",
                "device", "device_name")


def keep_results_only(data):
    """Takes the machine-dependent fields out of the run outputs under data: the keys of
    MACHINE_KEYS from every JSON, the per-mass seconds from scan.csv."""
    for root, _, files in os.walk(data):
        for name in files:
            path = os.path.join(root, name)
            if name.endswith(".json"):
                obj = read_json(path)
                if isinstance(obj, dict) and any(k in obj for k in MACHINE_KEYS):
                    for k in MACHINE_KEYS:
                        obj.pop(k, None)
                    with open(path, "w") as f:
                        json.dump(obj, f, indent=2)
                        f.write("\n")
            elif name == "scan.csv":
                with open(path) as f:
                    lines = f.readlines()
                head = [i for i, ln in enumerate(lines) if ln.startswith("mass_gev,")]
                if head:
                    col = lines[head[0]].rstrip("\n").split(",").index("seconds")
                    for i in range(head[0] + 1, len(lines)):
                        cells = lines[i].rstrip("\n").split(",")
                        if len(cells) > col:
                            cells[col] = ""
                            lines[i] = ",".join(cells) + "\n"
                    with open(path, "w") as f:
                        f.writelines(lines)


def run_kinematics(mue, data):
    path = os.path.join(data, "kinematics.csv")
    mue("kinematics", "--n", KIN_POINTS, "--csv", path)
    return path


def run_integrate(mue, data, name, bm, budget, extra, hist=False):
    d = os.path.join(data, name)
    os.makedirs(d, exist_ok=True)
    js = os.path.join(d, "result.json")
    args = ["integrate", "--process", "zprime", "--mass", repr(bm["mass"]),
            "--coupling", repr(bm["g"]), "--lumi", LUMI_FB, "--device", "cpu"] + extra + budget + \
        ["--json", js]
    if hist:
        args += ["--hist", d, "--hist-bins", HIST_BINS]
    args.append("--quiet")
    mue(*args)
    return d, read_json(js)


def run_muenn(mue, data, budget):
    """The SM background mu e -> mu e nu nubar (all flavours) under (i)+(ii), with
    histograms."""
    d = os.path.join(data, "muenn")
    os.makedirs(d, exist_ok=True)
    js = os.path.join(d, "result.json")
    mue("integrate", "--process", "muenn", "--lumi", LUMI_FB, "--device", "cpu",
        *(budget or ["--rel-error", "3e-3"]), "--json", js, "--hist", d, "--hist-bins", HIST_BINS,
        "--quiet")
    return d, read_json(js)


def fig4(path, bench, muenn_dir, muenn, fast):
    """Normalised dN/dE_e of the background and the two signal benchmarks, (i)+(ii)."""
    fig, ax = new_fig()
    curves = [(os.path.join(bench[bm["key"]]["ii_dir"], "E_e.csv"), bm["color"],
               "signal, " + bm["label"]) for bm in BENCHMARKS]
    curves.append((os.path.join(muenn_dir, "E_e.csv"), "tab:red",
                   r"SM $\mu e\to\mu e\nu\bar\nu$ ($\nu_e,\nu_\mu,\nu_\tau$)"))
    for csv_path, color, label in curves:
        rows = [r for r in read_csv(csv_path) if r["hi_GeV"] <= EE_CUT[1] + 1e-9]
        tot = sum(r["events"] for r in rows)
        edges = [rows[0]["lo_GeV"]] + [r["hi_GeV"] for r in rows]
        dens = [r["events"] / tot / (r["hi_GeV"] - r["lo_GeV"]) if tot > 0 else 0.0 for r in rows]
        ax.stairs(dens, edges, color=color, lw=1.6, label=label)
    ax.set_yscale("log")
    ax.set_xlim(0, EE_CUT[1])
    ax.axvspan(0, EE_CUT[0], color="gray", alpha=0.35, lw=0, label="outside cut (ii)")
    ax.text(0.97, 0.60, r"background with (i)+(ii): $N$ = %.3g $\pm$ %.1g at 15 fb$^{-1}$"
            % (muenn["events"], muenn["events_err"]), transform=ax.transAxes, ha="right",
            fontsize=8.5, color="tab:red")
    ax.set_xlabel(r"electron energy $E_e$ [GeV]")
    ax.set_ylabel(r"$(1/N)\,dN/dE_e$ [1/GeV]")
    ax.set_title(r"$E_e$ shapes under cuts (i)+(ii): background vs signal"
                 + (" (--fast)" if fast else ""), fontsize=10)
    ax.legend(loc="upper right", fontsize=7.5, framealpha=0.95)
    ax.grid(alpha=0.3, which="major")
    save(fig, path)


def run_benchmarks(mue, data, budget):
    out = {}
    for bm in BENCHMARKS:
        k = bm["key"]
        log("benchmark %s: cut (i) only, (i)+(ii), E_e > 3 and > 5 GeV" % k)
        r = {}
        r["i_dir"], r["i"] = run_integrate(mue, data, "bench_%s/cut_i" % k, bm, budget,
                                           CUT_I_ONLY, hist=True)
        r["ii_dir"], r["ii"] = run_integrate(mue, data, "bench_%s/cut_i_ii" % k, bm, budget,
                                             [], hist=True)
        _, r["ee3"] = run_integrate(mue, data, "bench_%s/cut_i_ii_ee3" % k, bm, budget,
                                    ["--ee-min", "3"])
        _, r["ee5"] = run_integrate(mue, data, "bench_%s/cut_i_ii_ee5" % k, bm, budget,
                                    ["--ee-min", "5"])
        out[k] = r
    return out


def run_scan(mue, data, n_masses, budget):
    d = os.path.join(data, "scan")
    base = ["scan", "--out", d, "--n-masses", n_masses, "--device", "cpu"] + budget + ["--quiet"]
    log("scan: %d masses, g-2 band wp20 (fresh)" % n_masses)
    mue(*(base + ["--g2", "wp20", "--restart"]))
    log("scan: g-2 band wp25 (resumes the same scan)")
    mue(*(base + ["--g2", "wp25"]))
    return d


def sigma_positive(mue, data, mass, step, budget):
    """sigma > 0 at this mass with cuts (i)+(ii)? A small dedicated run."""
    bm = {"mass": mass, "g": G_BISECT}
    _, r = run_integrate(mue, data, "vanish/step%02d" % step, bm, budget, [])
    return r["sigma_fb"] > 0.0, r


def bisect_vanishing(mue, data, scan_rows, steps, budget):
    rows = sorted(scan_rows, key=lambda r: r["mass_gev"])
    open_m = max((r["mass_gev"] for r in rows if r["sigma_fb_gref"] > 0), default=None)
    closed = [r["mass_gev"] for r in rows if r["sigma_fb_gref"] == 0 and open_m is not None
              and r["mass_gev"] > open_m]
    if open_m is None or not closed:
        return {"scan_open_gev": open_m, "scan_closed_gev": None, "lo_gev": open_m,
                "hi_gev": None, "steps": []}
    lo, hi = open_m, min(closed)
    res = {"scan_open_gev": lo, "scan_closed_gev": hi, "steps": []}
    for k in range(steps):
        mid = 0.5 * (lo + hi)
        pos, r = sigma_positive(mue, data, mid, k, budget)
        res["steps"].append({"mass_gev": mid, "sigma_fb_at_g1e-3": r["sigma_fb"],
                             "sigma_err_fb": r["sigma_err_fb"]})
        if pos:
            lo = mid
        else:
            hi = mid
    res["lo_gev"], res["hi_gev"] = lo, hi
    return res


def run_g2(mue, data, bm):
    """Delta a_mu at the benchmark and, from a second coupling, the presets' excess and error
    (pull = (Delta a_mu - central) / sigma at two couplings fixes both)."""
    d = os.path.join(data, "g2")
    os.makedirs(d, exist_ok=True)
    out = []
    for f in (1.0, 2.0):
        js = os.path.join(d, "%s_x%g.json" % (bm["key"], f))
        mue("g2", "--mass", repr(bm["mass"]), "--coupling", repr(bm["g"] * f), "--json", js)
        out.append(read_json(js))
    res = {"delta_amu": out[0]["delta_amu"], "presets": {}}
    for name in ("wp20", "wp25"):
        p1, p2 = out[0]["pull_" + name], out[1]["pull_" + name]
        s = (out[1]["delta_amu"] - out[0]["delta_amu"]) / (p2 - p1)
        c = out[0]["delta_amu"] - p1 * s
        da, g = out[0]["delta_amu"], bm["g"]

        def gfor(v):
            return g * math.sqrt(v / da) if v > 0 else 0.0
        res["presets"][name] = {
            "excess": c, "excess_err": s, "pull": p1,
            "g_central": gfor(c), "g_1sigma": [gfor(c - s), gfor(c + s)],
            "g_2sigma": [gfor(c - 2 * s), gfor(c + 2 * s)],
            "inside_1sigma": abs(p1) <= 1.0, "inside_2sigma": abs(p1) <= 2.0,
        }
    return res


# ---------------------------------------------------------------- numbers

def theta_e_fraction(ii_dir, ii_json, limit=0.02):
    rows = read_csv(os.path.join(ii_dir, "theta_e.csv"))
    n = sum(r["events"] for r in rows if r["hi_rad"] <= limit * (1 + 1e-9))
    e = math.sqrt(sum(r["events_err"] ** 2 for r in rows if r["hi_rad"] <= limit * (1 + 1e-9)))
    tot, etot = ii_json["events"], ii_json["events_err"]
    if tot <= 0:
        return None, None
    f = n / tot
    return f, f * math.hypot(e / n if n else 0.0, etot / tot)


def hist_fraction_above(ii_dir, emin):
    """Cross-check: E_e histogram of the (i)+(ii) run, events above emin / all (bins are 0.5 GeV)."""
    rows = read_csv(os.path.join(ii_dir, "E_e.csv"))
    tot = sum(r["events"] for r in rows)
    up = sum(r["events"] for r in rows if r["lo_GeV"] >= emin - 1e-9)
    return up / tot if tot > 0 else None


def compute_numbers(bench, scan_dir, vanish, g2, muenn):
    q = {}
    for bm in BENCHMARKS:
        k = bm["key"]
        b = bench[k]
        ii = b["ii"]
        scale = (ALPHA_MADGRAPH / ii["settings"]["alpha"]) ** 2
        q["events_" + k] = {
            "value": ii["events"], "error": ii["events_err"], "sigma_fb": ii["sigma_fb"],
            "sigma_err_fb": ii["sigma_err_fb"], "alpha": ii["settings"]["alpha"],
            "events_with_madgraph_alpha": ii["events"] * scale,
            "events_cut_i_only": b["i"]["events"], "events_cut_i_only_err": b["i"]["events_err"],
        }
        for e in (3, 5):
            r, er = ratio_err(b["ee%d" % e]["events"], b["ee%d" % e]["events_err"],
                              ii["events"], ii["events_err"])
            q["keep_ee%d_%s" % (e, k)] = {
                "value": r, "error": er, "events": b["ee%d" % e]["events"],
                "events_err": b["ee%d" % e]["events_err"],
                "from_histogram": hist_fraction_above(b["ii_dir"], e)}
        f, ef = theta_e_fraction(b["ii_dir"], ii)
        q["theta_e_lt_20mrad_" + k] = {"value": f, "error": ef}
    q["vanish_mass"] = vanish
    with open(os.path.join(scan_dir, "scan.json")) as f:
        sj = json.load(f)
    q["kinematic_limit_gev"] = sj["kinematic_limit_gev"]
    q["cut_i_endpoint_gev"] = sj["cut_i_endpoint_gev"]
    rows = sorted(read_csv(os.path.join(scan_dir, "scan.csv")), key=lambda r: r["mass_gev"])
    low = rows[0]
    g1 = low["g_N1"]
    eg1 = 0.5 * g1 * low["sigma_err_fb_gref"] / low["sigma_fb_gref"] if g1 else None
    q["g_one_event"] = {"value": g1, "error": eg1, "mass_gev": low["mass_gev"]}
    q["g2"] = {bm["key"]: g2[bm["key"]] for bm in BENCHMARKS}
    q["events_muenn"] = {"value": muenn["events"], "error": muenn["events_err"],
                         "sigma_fb": muenn["sigma_fb"], "sigma_err_fb": muenn["sigma_err_fb"]}
    return q


def numbers_table(q):
    """(quantity, paper, this program, note) rows."""
    t = []
    for bm in BENCHMARKS:
        k = bm["key"]
        e = q["events_" + k]
        t.append(("N_sig after (i)+(ii), m=%g MeV g=%g, 15 fb^-1" % (1e3 * bm["mass"], bm["g"]),
                  PAPER["events_" + k], fmt(e["value"], e["error"], 4),
                  "alpha(0); x(137.036/132.507)^2 (MadGraph sm alpha) gives %.0f; "
                  "cut (i) alone: %.0f" % (e["events_with_madgraph_alpha"], e["events_cut_i_only"])))
    for en in (3, 5):
        for bm in BENCHMARKS:
            k = bm["key"]
            r = q["keep_ee%d_%s" % (en, k)]
            bound = float(PAPER["keep_ee%d" % en].split()[-1])
            ok = "n/a" if r["value"] is None else \
                "consistent with the paper" if r["value"] >= bound else "BELOW the paper's bound"
            t.append(("N(E_e>%d GeV)/N(E_e>1 GeV), m=%g MeV" % (en, 1e3 * bm["mass"]),
                      PAPER["keep_ee%d" % en], fmt(r["value"], r["error"]),
                      "%s; from the E_e histogram of the (i)+(ii) run: %s"
                      % (ok, fmt(r["from_histogram"]))))
    for bm in BENCHMARKS:
        k = bm["key"]
        r = q["theta_e_lt_20mrad_" + k]
        t.append(("fraction of (i)+(ii) events with theta_e < 20 mrad, m=%g MeV" % (1e3 * bm["mass"]),
                  PAPER["theta_e_lt_20mrad"], fmt(r["value"], r["error"]),
                  "theta_e histogram of the (i)+(ii) run / its total"))
    v = q["vanish_mass"]
    if v.get("hi_gev"):
        val = "%.3f-%.3f MeV" % (1e3 * v["lo_gev"], 1e3 * v["hi_gev"])
        note = ("scan: sigma>0 at %.4f, 0 at %.4f GeV; then %d bisection steps with small runs "
                "(a tiny rate just below the edge can read as 0)"
                % (v["scan_open_gev"], v["scan_closed_gev"], len(v["steps"])))
    else:
        val, note = "not bracketed", "no scanned mass with sigma = 0 above the last nonzero one"
    t.append(("m_Z' where the (i)+(ii) signal vanishes", PAPER["vanish_mass"], val,
              note + "; cut (i) alone ends it at %.4f GeV (muon recoiling against e + Z'); "
              "kinematic limit sqrt(s)-m_mu-m_e = %.4f GeV"
              % (q["cut_i_endpoint_gev"], q["kinematic_limit_gev"])))
    g = q["g_one_event"]
    t.append(("g giving N_sig = 1 at m_Z' = %.3g MeV" % (1e3 * g["mass_gev"]), PAPER["g_one_event"],
              fmt(g["value"], g["error"]), "g_N1 of the scan's lowest mass"))
    for name in ("wp20", "wp25"):
        for bm in BENCHMARKS:
            p = q["g2"][bm["key"]]["presets"][name]
            lo, hi = p["g_1sigma"]
            t.append(("g-2 (%s) favoured g at m=%g MeV; benchmark g=%g"
                      % (name, 1e3 * bm["mass"], bm["g"]),
                      PAPER["g2_benchmarks_wp20"] if name == "wp20" else "(not in paper)",
                      "%.3g (1 sigma %.3g-%.3g)" % (p["g_central"], lo, hi),
                      "benchmark %s 1 sigma (pull %+.2f); Delta a_mu = (%.0f +- %.0f)e-11"
                      % ("inside" if p["inside_1sigma"] else "OUTSIDE", p["pull"],
                         p["excess"] * 1e11, p["excess_err"] * 1e11)))
    m = q["events_muenn"]
    t.append(("N_bkg(mu e -> mu e nu nubar, 3 flavours) after (i)+(ii), 15 fb^-1",
              PAPER["events_muenn"], fmt(m["value"], m["error"]),
              "SM tree level, gamma/Z/W (docs/physics.md section 13); sigma = %s fb"
              % fmt(m["sigma_fb"], m["sigma_err_fb"])))
    return t


def write_numbers(out, q, table, meta):
    with open(os.path.join(out, "numbers.json"), "w") as f:
        json.dump({"meta": meta, "paper": PAPER, "quantities": q}, f, indent=2)
    lines = ["| quantity | paper | this program (MC error) | note |",
             "| --- | --- | --- | --- |"]
    for row in table:
        lines.append("| " + " | ".join(c.replace("|", "/") for c in row) + " |")
    md = ("Numbers of Asai et al. (PRD 106, L051702) recomputed by `mue` (tools/figures.py%s).\n\n"
          % (", --fast: tiny budgets, not physics" if meta["fast"] else "")) + "\n".join(lines) + "\n"
    with open(os.path.join(out, "numbers.md"), "w") as f:
        f.write(md)
    return md


# ---------------------------------------------------------------- plots

def new_fig():
    fig, ax = plt.subplots(figsize=FIGSIZE)
    return fig, ax


def save(fig, path):
    fig.tight_layout()
    fig.savefig(path, dpi=DPI)
    plt.close(fig)
    log("wrote " + path)


def fig1(path, kin_csv):
    rows = read_csv(kin_csv)
    th = [r["theta_th_mrad"] for r in rows]
    ee = [r["ee_min_gev"] for r in rows]
    with open(kin_csv) as f:
        m = re.search(r"theta_mu\^max = ([0-9.eE+-]+) mrad", f.readline())
    thmax = float(m.group(1)) if m else th[-1]
    # E_e^min at the cut, interpolated in the table
    e_cut = None
    for i in range(1, len(th)):
        if th[i - 1] <= THETA_MU_CUT_MRAD <= th[i]:
            w = (THETA_MU_CUT_MRAD - th[i - 1]) / (th[i] - th[i - 1])
            e_cut = ee[i - 1] + w * (ee[i] - ee[i - 1])
    fig, ax = new_fig()
    ax.plot(th, ee, color="black", lw=2,
            label=r"$E_e^{\rm min}$ ($\mu e\to\mu e$); also the lower bound on "
                  r"$E_e+E_\gamma$ ($\mu e\to\mu e\gamma$)")
    ax.axvline(THETA_MU_CUT_MRAD, color="tab:red", ls="--", lw=1.5,
               label=r"cut (i): $\theta_\mu > %.1f$ mrad" % THETA_MU_CUT_MRAD)
    ax.axhline(EE_CUT[1], color="tab:blue", ls=":", lw=2,
               label=r"cut (ii): $E_e < %.0f$ GeV" % EE_CUT[1])
    if e_cut is not None:
        ax.plot([THETA_MU_CUT_MRAD], [e_cut], "o", color="tab:red")
        ax.annotate(r"$E_e^{\rm min}(1.5\,{\rm mrad}) = %.2f$ GeV" % e_cut,
                    (THETA_MU_CUT_MRAD, e_cut), xytext=(12, -4), textcoords="offset points",
                    fontsize=9, va="top")
    ax.set_xlim(0, thmax * 1.02)
    ax.set_ylim(0, 155)
    ax.set_xlabel(r"muon angle threshold $\theta_{\mu,\rm th}$ [mrad]")
    ax.set_ylabel(r"$E_e^{\rm min}$  ($E_{e\gamma}^{\rm min}$)  [GeV]")
    ax.set_title(r"Fig. 1: smallest $E_e$ for $\theta_\mu > \theta_{\mu,\rm th}$ "
                 r"(150 GeV $\mu$, $\theta_\mu^{\rm max}$ = %.3f mrad)" % thmax, fontsize=10)
    ax.legend(loc="upper left", fontsize=8, framealpha=0.95)
    ax.grid(alpha=0.3)
    save(fig, path)
    return e_cut, thmax


def fig2(path, bench, fast):
    fig, ax = new_fig()
    emax = 0.0
    ymin = None
    texts = []
    for bm in BENCHMARKS:
        b = bench[bm["key"]]
        rows = read_csv(os.path.join(b["i_dir"], "E_e.csv"))
        edges = [rows[0]["lo_GeV"]] + [r["hi_GeV"] for r in rows]
        dens = [r["events"] / (r["hi_GeV"] - r["lo_GeV"]) for r in rows]
        errs = [r["events_err"] / (r["hi_GeV"] - r["lo_GeV"]) for r in rows]
        emax = max(emax, edges[-1])
        ax.stairs(dens, edges, color=bm["color"], lw=1.6, label=bm["label"])
        centres = [0.5 * (r["lo_GeV"] + r["hi_GeV"]) for r in rows]
        ax.errorbar(centres, dens, yerr=errs, fmt="none", ecolor=bm["color"], elinewidth=0.8,
                    alpha=0.7)
        pos = [d for d in dens if d > 0]
        if pos:
            ymin = min(pos) if ymin is None else min(ymin, min(pos))
        ii = b["ii"]
        texts.append((bm, ii["events"], ii["events_err"]))
    lo, hi = ax.get_ylim()
    ax.set_yscale("log")
    ytop = ax.get_ylim()[1]
    ybot = max(ymin / 3.0, 1e-3) if ymin else 1e-1
    ax.set_ylim(ybot, ytop * 3.0)
    ax.axvspan(0, EE_CUT[0], color="gray", alpha=0.35, lw=0, label="outside cut (ii)")
    ax.axvspan(EE_CUT[1], emax, color="gray", alpha=0.35, lw=0)
    ax.set_xlim(0, emax)
    ax.text(0.97, 0.66, r"events with (i)+(ii), $1<E_e<25$ GeV:", transform=ax.transAxes,
            ha="right", va="bottom", fontsize=8.5)
    y = 0.64
    for bm, n, en in texts:
        ax.text(0.97, y, r"$N_{\rm sig}$ = %.0f $\pm$ %.1f" % (n, en),
                transform=ax.transAxes, ha="right", va="top", color=bm["color"], fontsize=9,
                bbox=dict(facecolor="white", edgecolor=bm["color"], alpha=0.9))
        y -= 0.09
    ax.set_xlabel(r"electron energy $E_e$ [GeV]")
    ax.set_ylabel(r"$dN/dE_e$ [events/GeV]")
    ax.set_title(r"Fig. 2: $\mu e\to\mu e Z'$ under cut (i), $L$ = 15 fb$^{-1}$"
                 + (" (--fast)" if fast else ""), fontsize=10)
    ax.legend(loc="upper right", fontsize=8, framealpha=0.95)
    ax.grid(alpha=0.3, which="major")
    save(fig, path)


def read_exclusion(spec):
    """FILE:LABEL -> (label, masses, couplings); the file is a CSV with columns m_gev,g."""
    parts = spec.split(":")
    for i in range(1, len(parts)):
        fname, label = ":".join(parts[:i]), ":".join(parts[i:])
        if os.path.isfile(fname):
            break
    else:
        sys.exit("figures.py: --exclude %r: expected FILE:LABEL with an existing CSV FILE" % spec)
    pts = []
    with open(fname) as f:
        lines = [ln for ln in f if not ln.startswith("#") and ln.strip()]
    for r in csv.DictReader(lines):
        try:
            pts.append((float(r["m_gev"]), float(r["g"])))
        except (KeyError, TypeError, ValueError):
            sys.exit("figures.py: --exclude %s: need CSV columns m_gev,g (got %s)"
                     % (fname, ",".join(r.keys())))
    if len(pts) < 2:
        sys.exit("figures.py: --exclude %s: need at least two (m_gev, g) rows" % fname)
    pts.sort()
    return label, [p[0] for p in pts], [p[1] for p in pts]


def contour_points(scan_dir, vanish):
    """(mass, sigma at g = G_BISECT in fb) with sigma > 0: the scan's rows and the
    bisection runs near the edge (which extend the contours towards the end point)."""
    js = read_json(os.path.join(scan_dir, "scan.json"))
    g_ref, lumi = js["g_ref"], js["lumi_fb"]
    assert abs(lumi - LUMI_FB) < 1e-9
    pts = [(r["mass_gev"], r["sigma_fb"] * (G_BISECT / g_ref) ** 2)
           for r in js["rows"] if r["sigma_fb"] > 0]
    for st in (vanish or {}).get("steps", []):
        if st["sigma_fb_at_g1e-3"] > 0:
            pts.append((st["mass_gev"], st["sigma_fb_at_g1e-3"]))
    return sorted(pts)


def write_contours(path, pts):
    with open(path, "w") as f:
        f.write("# tools/figures.py: Fig. 3 contour points, N_sig = sigma (g/%g)^2 L, L = %g fb^-1; "
                "scan rows and bisection runs with sigma > 0\n" % (G_BISECT, LUMI_FB))
        f.write("mass_gev,sigma_fb_at_g%g,g_N1,g_N10,g_N100,g_N1000,g_N10000\n" % G_BISECT)
        for m, sg in pts:
            f.write("%.8g,%.8g,%s\n" % (m, sg, ",".join(
                "%.6g" % (G_BISECT * math.sqrt(n / (sg * LUMI_FB))) for n in (1, 10, 100, 1e3, 1e4))))


def fig3(path, scan_dir, band_name, exclusions, vanish, fast):
    rows = sorted(read_csv(os.path.join(scan_dir, "scan.csv")), key=lambda r: r["mass_gev"])
    band = read_csv(os.path.join(scan_dir, "g2_band_%s.csv" % band_name))
    with open(os.path.join(scan_dir, "g2_band_%s.csv" % band_name)) as f:
        m = re.search(r"Delta a_mu = \(([0-9.eE+-]+) \+- ([0-9.eE+-]+)\)", f.readline())
    xlim, ylim = (1e-3, 0.3), (1e-5, 1e-2)
    fig, ax = new_fig()
    floor = ylim[0] / 10
    bm_ = [r["mass_gev"] for r in band]

    def cl(v):
        return max(v, floor)
    ax.fill_between(bm_, [cl(r["g_2sigma_lo"]) for r in band], [cl(r["g_2sigma_hi"]) for r in band],
                    color="#ffe34d", lw=0, label=r"$g-2$ favoured, $2\sigma$", zorder=1)
    ax.fill_between(bm_, [cl(r["g_1sigma_lo"]) for r in band], [cl(r["g_1sigma_hi"]) for r in band],
                    color="#ff9a1f", lw=0, label=r"$g-2$ favoured, $1\sigma$", zorder=2)
    ex_colors = ["tab:green", "tab:gray", "navy", "lightskyblue", "tab:purple", "tab:brown"]
    for i, (label, xs, gs) in enumerate(exclusions):
        c = ex_colors[i % len(ex_colors)]
        ax.fill_between(xs, gs, [ylim[1] * 10] * len(gs), color=c, alpha=0.35, lw=0, zorder=3,
                        label=label + " (excluded)")
        ax.plot(xs, gs, color=c, lw=1.2, zorder=3)
    levels = [(1.0, "1"), (10.0, "10"), (100.0, r"10^2"), (1e3, r"10^3"), (1e4, r"10^4")]
    pts = contour_points(scan_dir, vanish)
    write_contours(os.path.join(scan_dir, os.pardir, "fig3_contours.csv"), pts)
    for i, (n, lab) in enumerate(levels):
        xs = [m for m, sg in pts]
        gs = [G_BISECT * math.sqrt(n / (sg * LUMI_FB)) for m, sg in pts]
        if not xs:
            continue
        ax.plot(xs, gs, color="black", lw=1.4, zorder=5,
                label=r"$N_{\rm sig}$ contours (labelled)" if i == 0 else None)
        # label the curve just above its left end, as in the paper
        if ylim[0] < gs[0] < ylim[1]:
            ax.text(xlim[0] * 1.12, gs[0] * 1.08, r"$N_{\rm sig}=%s$" % lab, fontsize=8,
                    zorder=6, va="bottom",
                    bbox=dict(facecolor="white", edgecolor="none", alpha=0.6, pad=0.5))
    if band and band[0]["g_1sigma_lo"] == 0.0:
        ax.text(0.55, 0.19, r"$1\sigma$ and $2\sigma$ bands reach $g_{Z'}=0$ "
                r"($\Delta a_\mu$ consistent with 0)", transform=ax.transAxes, ha="center",
                va="center", fontsize=8, bbox=dict(facecolor="white", edgecolor="none", alpha=0.7))
    if vanish and vanish.get("hi_gev"):
        ax.axvline(vanish["hi_gev"], color="dimgray", ls=":", lw=1.2, zorder=4,
                   label=r"$N_{\rm sig}=0$ above %.0f MeV" % (1e3 * vanish["hi_gev"]))
    ax.plot([b["mass"] for b in BENCHMARKS], [b["g"] for b in BENCHMARKS], "*", color="red",
            ms=14, mec="darkred", zorder=7, label="benchmarks (Fig. 2)")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_xlabel(r"$m_{Z'}$ [GeV]")
    ax.set_ylabel(r"$g_{Z'}$")
    what = {"wp20": "2021 excess (paper)", "wp25": "2025 update"}.get(band_name, band_name)
    if m:
        what += r", $\Delta a_\mu = (%.0f \pm %.0f)\times10^{-11}$" % (float(m.group(1)) * 1e11,
                                                                      float(m.group(2)) * 1e11)
    ax.set_title(r"Fig. 3: $N_{\rm sig}$ for 15 fb$^{-1}$, cuts (i)+(ii)%s" % (" (--fast)" if fast else "")
                 + "\n" + r"$g-2$ bands: %s %s" % (band_name, what), fontsize=9)
    ax.legend(loc="upper left", fontsize=7, framealpha=0.85, ncol=2)
    ax.grid(alpha=0.3, which="major")
    save(fig, path)


# ---------------------------------------------------------------- the reach (mue sensitivity)

# The photon vetoes the reach is drawn for: the inefficiency of (iii); 0 is an ideal veto.
VETOES = [(0.0, "ideal veto", "tab:blue"), (1e-6, r"veto inefficiency $10^{-6}$", "tab:red"),
          (1e-5, r"veto inefficiency $10^{-5}$", "tab:purple")]
LIMITS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "data", "limits")
# data/limits files drawn on the reach figure: label, colour, and whether the excluded side
# is to the left of a mass (the cosmological bound) rather than above the curve
LIMIT_STYLE = {
    "babar_2016": ("BaBar", "tab:gray", False),
    "ccfr_trident": ("CCFR", "tab:green", False),
    "borexino": ("Borexino", "tab:olive", False),
    "charm2": ("CHARM-II", "tab:cyan", False),
    "coherent": ("COHERENT", "tab:pink", False),
    "cosmo_neff_bbn": (r"$\Delta N_{\rm eff}$ (BBN/CMB)", "tab:brown", True),
}


def background_at(bg, eps):
    """Events after (i)+(ii)+(iii) at veto inefficiency eps from the backgrounds table:
    mu e gamma N0 + eps N1 (docs/physics.md Eq. 14.9), the elastic leak and mu e nu nubar
    through the detector model."""
    rows = {r["key"]: r for r in bg["rows"]}
    b = rows["elastic_smeared"]["i_ii_iii"]["events"] + rows["muenn_smeared"]["i_ii_iii"]["events"]
    mg = rows.get("mueg")
    if mg:
        n0 = mg["unvetoable"]["events"]
        b += n0 + eps * (mg["i_ii"]["events"] - n0)
    return b


def run_sensitivity(mue, data, bg, scan_dir, budget):
    """mue sensitivity at each veto of VETOES, the background from the table (linear in the
    inefficiency); the masses of the scan, whose rows the first run computes again in its
    own directory and the others resume."""
    masses = [r["mass_gev"] for r in read_csv(os.path.join(scan_dir, "scan.csv")) if r["sigma_fb_gref"] > 0]
    d = os.path.join(data, "sensitivity")
    out = []
    for i, (eps, label, color) in enumerate(VETOES):
        b = background_at(bg, eps)
        log("sensitivity: veto inefficiency %g, background %.4g events" % (eps, b))
        mue("sensitivity", "--out", d, "--masses", ",".join("%.10g" % m for m in masses),
            "--background", "%.10g" % b, "--device", "cpu", "--quiet", *budget,
            *(["--restart"] if i == 0 else []))
        js = os.path.join(data, "sensitivity_eps%g.json" % eps)
        os.replace(os.path.join(d, "sensitivity.json"), js)
        out.append((eps, label, color, read_json(js)))
    return out


OPTIMISE_MASSES = [0.002, 0.01, 0.03, 0.1, 0.2, 0.25]
OPTIMISE_VETO = 1e-6


def run_optimise(mue, data):
    """mue sensitivity --optimise at a few masses through the default detector with a veto
    inefficiency of 1e-6: the best cuts per mass and their gain over the paper's."""
    d = os.path.join(data, "optimise")
    log("sensitivity --optimise: %d masses, veto inefficiency %g" % (len(OPTIMISE_MASSES), OPTIMISE_VETO))
    mue("sensitivity", "--out", d, "--masses", ",".join("%g" % m for m in OPTIMISE_MASSES),
        "--detector", "veto_ineff=%g" % OPTIMISE_VETO, "--optimise", "--device", "cpu", "--quiet",
        "--restart")
    js = os.path.join(data, "sensitivity_optimised.json")
    os.replace(os.path.join(d, "sensitivity.json"), js)
    return read_json(js)


def optimise_table(opt):
    """The optimisation mass by mass, as markdown (figures/optimise.md)."""
    lines = ["| m_Z' [GeV] | θ_μ > [mrad] | E_e window [GeV] | background | g95 (optimal) | "
             "g95 (paper's cuts) | gain |", "| --- | --- | --- | --- | --- | --- | --- |"]
    for r in opt["rows"]:
        o = r["optimised"]
        lines.append("| %g | %.3g | %.3g–%.3g | %.4g | %.4g | %.4g | %.3f |" % (
            r["mass_gev"], 1e3 * o["theta_mu_min_rad"], o["ee_min_gev"], o["ee_max_gev"],
            o["background"], o["g95"], o["g95_run_cuts"], o["gain"]))
    return "\n".join(lines) + "\n"


def read_limit(path):
    with open(path) as f:
        lines = [ln for ln in f if not ln.startswith("#") and ln.strip()]
    pts = [(float(r["m_gev"]), float(r["g"])) for r in csv.DictReader(lines)]
    return [p[0] for p in pts], [p[1] for p in pts]


def fig3_reach(base, scan_dir, sens, exclusions, vanish, opt=None):
    """MUonE's expected 95 % CL exclusion (median, +-1 and +-2 sigma) for each veto, the
    N_sig contours, the g-2 bands (2021 filled, 2025 outlined) and the existing limits
    (data/limits/, shaded on their excluded side). No title: the caption is in the docs."""
    xlim, ylim = (1e-3, 0.3), (1e-5, 1e-2)
    fig, ax = plt.subplots(figsize=(9.6, 5.4))
    floor = ylim[0] / 10

    def cl(v):
        return max(v, floor)
    b20 = read_csv(os.path.join(scan_dir, "g2_band_wp20.csv"))
    ax.fill_between([r["mass_gev"] for r in b20], [cl(r["g_2sigma_lo"]) for r in b20],
                    [cl(r["g_2sigma_hi"]) for r in b20], color="#ffe34d", lw=0, zorder=1,
                    label=r"$(g-2)_\mu$ 2021, $2\sigma$")
    ax.fill_between([r["mass_gev"] for r in b20], [cl(r["g_1sigma_lo"]) for r in b20],
                    [cl(r["g_1sigma_hi"]) for r in b20], color="#ff9a1f", lw=0, zorder=1,
                    label=r"$(g-2)_\mu$ 2021, $1\sigma$")
    b25 = read_csv(os.path.join(scan_dir, "g2_band_wp25.csv"))
    ax.plot([r["mass_gev"] for r in b25], [cl(r["g_2sigma_hi"]) for r in b25], color="darkorange",
            ls="-.", lw=1.0, zorder=2, label=r"$(g-2)_\mu$ 2025: $2\sigma$ upper edge")
    for name in sorted(LIMIT_STYLE):
        path = os.path.join(LIMITS_DIR, name + ".csv")
        if not os.path.isfile(path):
            continue
        label, color, left = LIMIT_STYLE[name]
        xs, gs = read_limit(path)
        if left:
            ax.axvspan(xlim[0], xs[0], color=color, alpha=0.25, lw=0, zorder=3)
            ax.axvline(xs[0], color=color, lw=1.2, zorder=3)
            ax.text(xs[0] * 0.93, 2.2e-5, label, rotation=90, ha="right", va="bottom", fontsize=7,
                    color=color, zorder=8)
            continue
        ax.fill_between(xs, gs, [ylim[1] * 10] * len(gs), color=color, alpha=0.22, lw=0, zorder=3)
        ax.plot(xs, gs, color=color, lw=1.0, zorder=3)
        # the curve's label where it enters the plot at its lowest coupling
        k = min(range(len(gs)), key=lambda i: gs[i] if xlim[0] <= xs[i] <= xlim[1] else 1e9)
        if xlim[0] <= xs[k] <= xlim[1] and ylim[0] < gs[k] < ylim[1]:
            ax.text(xs[k], gs[k] * 1.15, label, fontsize=7, color=color, ha="center", va="bottom",
                    zorder=8, bbox=dict(facecolor="white", edgecolor="none", alpha=0.6, pad=0.3))
    for label, xs, gs in exclusions:
        ax.fill_between(xs, gs, [ylim[1] * 10] * len(gs), color="tab:gray", alpha=0.3, lw=0, zorder=3)
        ax.plot(xs, gs, color="black", lw=1.0, zorder=3, label=label + " (excluded)")
    pts = contour_points(scan_dir, vanish)
    for n in (10.0, 1e3):
        ax.plot([m for m, sg in pts], [G_BISECT * math.sqrt(n / (sg * LUMI_FB)) for m, sg in pts],
                color="black", lw=0.7, ls=":", zorder=4)
        g0 = G_BISECT * math.sqrt(n / (pts[0][1] * LUMI_FB))
        ax.text(xlim[0] * 1.1, g0 * 1.05, r"$N_{\rm sig}=%g$" % n, fontsize=7, zorder=6, va="bottom")
    for eps, label, color, js in sens:
        rows = [r for r in js["rows"] if r["g95"] is not None]
        xs = [r["mass_gev"] for r in rows]
        band = [r["g95_band"] for r in rows]
        ax.fill_between(xs, [b[0] for b in band], [b[4] for b in band], color=color, alpha=0.15,
                        lw=0, zorder=5)
        ax.fill_between(xs, [b[1] for b in band], [b[3] for b in band], color=color, alpha=0.3,
                        lw=0, zorder=5)
        ax.plot(xs, [r["g95"] for r in rows], color=color, lw=1.8, zorder=6,
                label="MUonE 95%% CL expected,\n%s (B = %.3g)" % (label, js["background"]))
    if opt:
        rows = [r for r in opt["rows"] if r["optimised"]["g95"] is not None]
        ax.plot([r["mass_gev"] for r in rows], [r["optimised"]["g95"] for r in rows], "v",
                color="tab:red", mfc="white", ms=6, zorder=7,
                label="optimised cuts, veto\n" r"inefficiency $10^{-6}$ (median)")
    ax.plot([b["mass"] for b in BENCHMARKS], [b["g"] for b in BENCHMARKS], "*", color="red",
            ms=12, mec="darkred", zorder=7, label="benchmark points")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_xlabel(r"$m_{Z'}$ [GeV]")
    ax.set_ylabel(r"$g_{Z'}$ (coupling to $L_\mu - L_\tau$, dimensionless)")
    # beside the plane, not over it
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=7, frameon=False)
    ax.grid(alpha=0.25, which="major")
    fig.tight_layout()
    for ext in ("pdf", "png"):
        fig.savefig(base + "." + ext, dpi=200)
        log("wrote %s.%s" % (base, ext))
    plt.close(fig)


# ---------------------------------------------------------------- main

def run_backgrounds(mue, out, data, fast):
    """mue backgrounds: the table (markdown docs/guide.md shows, JSON for the figure)."""
    js = os.path.join(data, "backgrounds.json")
    md = os.path.join(out, "backgrounds.md")
    budget = ["--points", "20000", "--iterations", "3", "--warmup", "2", "--rel-error", "0"] \
        if fast else []
    mue("backgrounds", "--lumi", LUMI_FB, "--device", "cpu", "--json", js, "--markdown", md,
        "--quiet", *budget)
    return read_json(js), md


def fig_veto(path, bg):
    """Surviving background after (i)+(ii)+(iii) against the veto inefficiency: mu e gamma
    (N0 + eps N1, docs/physics.md Eq. 14.9) plus the elastic leak, with the two signals."""
    rows = {r["key"]: r for r in bg["rows"]}
    fig, ax = new_fig()
    eps = [10 ** (-8 + 0.05 * i) for i in range(161)]
    leak = rows["elastic_smeared"]["i_ii"]["events"]
    mg = rows.get("mueg")
    if mg and mg.get("unvetoable") and mg["unvetoable"].get("events") is not None:
        n0 = mg["unvetoable"]["events"]
        n1 = mg["i_ii"]["events"] - n0
        total = [n0 + e * n1 + leak for e in eps]
        ax.plot(eps, total, color="black", label=r"$\mu e\to\mu e\gamma$ + elastic leak")
        x = mg.get("veto_ineff_equal_signal")
        if x:
            ax.axvline(x["value"], color="gray", ls=":", lw=1)
            ax.annotate(r"$\epsilon^*=%.2g$" % x["value"], (x["value"], 1.0), xytext=(4, 4),
                        textcoords="offset points", fontsize=8, color="gray")
    else:
        ax.text(0.5, 0.5, "mu e gamma not in this build", transform=ax.transAxes, ha="center")
    if leak > 0:
        ax.axhline(leak, color="tab:red", ls="--", lw=1, label="elastic leak alone")
    for bm, key in zip(BENCHMARKS, ("zprime_10MeV", "zprime_100MeV")):
        ax.axhline(rows[key]["i_ii_iii"]["events"], color=bm["color"], label=bm["label"])
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_ylim(bottom=0.1)
    ax.set_xlabel("photon veto inefficiency")
    ax.set_ylabel(r"events after (i)+(ii)+(iii), %g fb$^{-1}$" % bg["settings"]["lumi_fb"])
    ax.set_title(bg["detector_description"].split(";")[0], fontsize=7)
    ax.legend(fontsize=7, loc="upper left")
    save(fig, path)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mue", default="build/mue", help="the mue binary [build/mue]")
    ap.add_argument("--out", default="figures", help="output directory [figures]")
    ap.add_argument("--fast", action="store_true",
                    help="tiny Monte Carlo budgets (tests): the plots and numbers are not physics")
    ap.add_argument("--exclude", action="append", default=[], metavar="FILE:LABEL",
                    help="a further exclusion curve for Fig. 3 and the reach figure (CSV with "
                         "columns m_gev,g, as the files of data/limits/); the region above it is "
                         "shaded and labelled; repeatable")
    ap.add_argument("--n-masses", type=int, default=None,
                    help="masses in the scan [48; 6 with --fast]")
    a = ap.parse_args()

    t0 = time.time()
    if not (os.path.isfile(a.mue) and os.access(a.mue, os.X_OK)):
        sys.exit("figures.py: %s is not an executable (build it with `make all`)" % a.mue)
    exclusions = [read_exclusion(s) for s in a.exclude]
    out = a.out
    data = os.path.join(out, "data")
    os.makedirs(data, exist_ok=True)
    logfile = os.path.join(out, "mue_runs.log")
    open(logfile, "w").close()
    mue = Runner(a.mue, logfile)
    budget = FAST_BUDGET if a.fast else []          # integrate's own defaults otherwise
    scan_budget = FAST_BUDGET if a.fast else []     # scan's own defaults otherwise
    n_masses = a.n_masses or (6 if a.fast else 48)
    bisect_steps = 3 if a.fast else 8
    bisect_budget = FAST_BUDGET if a.fast else BISECT_BUDGET

    log("kinematics (Fig. 1)")
    kin = run_kinematics(mue, data)
    bench = run_benchmarks(mue, data, budget)
    scan_dir = run_scan(mue, data, n_masses, scan_budget)
    log("bisection of the mass where the signal vanishes (%d steps)" % bisect_steps)
    vanish = bisect_vanishing(mue, data, read_csv(os.path.join(scan_dir, "scan.csv")),
                              bisect_steps, bisect_budget)
    g2 = {bm["key"]: run_g2(mue, data, bm) for bm in BENCHMARKS}
    log("backgrounds (cuts (i)-(iii) through the detector model)")
    bg, bg_md = run_backgrounds(mue, out, data, a.fast)
    sens = run_sensitivity(mue, data, bg, scan_dir, scan_budget)
    # the optimisation's budgets are its own (2e5 points a cell): not with --fast
    opt = None if a.fast else run_optimise(mue, data)
    log("background mu e -> mu e nu nubar (Fig. 4)")
    muenn_dir, muenn = run_muenn(mue, data, budget)
    t_runs = mue.seconds
    keep_results_only(data)

    e_cut, thmax = fig1(os.path.join(out, "fig1_ee_min.png"), kin)
    fig2(os.path.join(out, "fig2_ee_distribution.png"), bench, a.fast)
    for name in ("wp20", "wp25"):
        fig3(os.path.join(out, "fig3_sensitivity_%s.png" % name), scan_dir, name, exclusions,
             vanish, a.fast)

    fig3_reach(os.path.join(out, "fig3_reach"), scan_dir, sens, exclusions, vanish, opt)
    if opt:
        with open(os.path.join(out, "optimise.md"), "w") as f:
            f.write(optimise_table(opt))
    fig_veto(os.path.join(out, "fig_backgrounds_veto.png"), bg)
    fig4(os.path.join(out, "fig4_muenn_ee.png"), bench, muenn_dir, muenn, a.fast)

    q = compute_numbers(bench, scan_dir, vanish, g2, muenn)
    q["ee_min_at_1p5mrad_gev"] = {"value": e_cut, "theta_mu_max_mrad": thmax}
    meta = {"fast": a.fast, "mue": a.mue, "lumi_fb": LUMI_FB, "n_masses": n_masses,
            "hist_bins": HIST_BINS, "kinematics_points": KIN_POINTS,
            "bisection_steps": bisect_steps}
    md = write_numbers(out, q, numbers_table(q), meta)
    print(md)
    log("done in %.1f s (%.1f s in mue)" % (time.time() - t0, t_runs))


if __name__ == "__main__":
    main()
