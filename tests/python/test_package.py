"""The mue Python package on libmue: the same bits as the command line, histograms that
sum to sigma, bad input as InputError with the command line's message, the GIL released
while it computes, and Ctrl-C stopping a run cleanly."""
import os
import subprocess
import sys
import textwrap
import threading
import time

import numpy as np
import pytest

import mue
from conftest import SMALL

ZP100 = dict(process="zprime", mass="100MeV", coupling=1e-3)


def test_version():
    assert mue.version() == mue.__version__ == "0.2.0"
    info = mue.build_info()
    assert info.startswith("mue 0.2.0 (commit ") and "cpu" in info.split("backends:")[1].rstrip(")").split()


def test_snippet_same_bits_as_cli(cli):
    """the README's snippet, against `mue integrate` with the same options"""
    r = mue.integrate(process="zprime", mass="100MeV", coupling=1e-3, rel_error=1e-3, seed=1, points=200000)
    j = cli("integrate", process="zprime", mass="100MeV", coupling=1e-3, rel_error=1e-3, seed=1, points=200000)
    assert r.sigma_fb == j["sigma_fb"]  # exact: 17 digits read back to the same double
    assert r.error_fb == j["sigma_err_fb"]
    assert r.events == j["events"] and r.q == j["q"]
    assert isinstance(r.sigma_fb, float) and isinstance(r.warnings, list)
    assert r.settings["mass_gev"] == 0.1 and r.settings["coupling"] == 1e-3


def test_same_seed_same_bits_any_threads():
    a = mue.integrate(**ZP100, **dict(SMALL, threads=1), seed=4)
    b = mue.integrate(**ZP100, **dict(SMALL, threads=2), seed=4)
    c = mue.integrate(**ZP100, **SMALL, seed=5)
    assert a.sigma_fb == b.sigma_fb and a.error_fb == b.error_fb
    assert c.sigma_fb != a.sigma_fb


def test_histograms_sum_to_sigma(cli):
    # E_e inside cut (ii) lies inside its default range: every point is in a bin
    r = mue.integrate(**ZP100, **SMALL, histograms=True)
    assert set(r.histograms) == {"E_e", "theta_e", "theta_mu", "E_mu"}
    h = r.histograms["E_e"]
    assert isinstance(h.edges, np.ndarray) and len(h.edges) == len(h.values) + 1 == len(h.errors) + 1
    assert np.all(np.diff(h.edges) > 0) and np.all(h.values >= 0) and np.all(h.errors >= 0)
    assert abs(h.values.sum() / r.sigma_fb - 1) < 1e-12
    assert h.values[h.edges[:-1] >= 25.0].sum() == 0.0  # above cut (ii): nothing
    # the command line's histogram CSVs hold the same numbers
    j = cli("integrate", **ZP100, **SMALL, histograms=True)
    csv = j["histograms"][0]
    assert csv["name"] == "E_e" and csv["sigma_fb"] == list(h.values)


def test_bad_input_raises(cli):
    with pytest.raises(mue.InputError, match="--mass"):
        mue.integrate(process="zprime", mass=-1, coupling=1e-3)
    with pytest.raises(mue.InputError, match="--bogus"):
        mue.integrate(**ZP100, bogus=3)
    with pytest.raises(mue.InputError, match="--coupling: missing"):
        mue.integrate(process="zprime", mass="0.1")
    with pytest.raises(mue.InputError, match="--egamma-min.*mueg"):
        mue.integrate(**ZP100, egamma_min=20)
    with pytest.raises(mue.InputError, match="unknown process"):
        mue.integrate(process="muonium")
    with pytest.raises(mue.InputError, match="unknown command"):
        mue.run("frobnicate")
    # the message is the command line's
    p = subprocess.run([os.environ.get("MUE_BIN", "mue"), "integrate", "--process", "zprime", "--mass", "-1",
                        "--coupling", "1e-3"], capture_output=True, text=True)
    try:
        mue.integrate(process="zprime", mass=-1, coupling=1e-3)
    except mue.InputError as e:
        assert p.stderr.strip() == "mue: " + str(e)


def test_gil_released():
    ticks = []
    stop = threading.Event()

    def count():
        while not stop.is_set():
            ticks.append(1)
            time.sleep(0.001)

    t = threading.Thread(target=count)
    t.start()
    t0 = time.monotonic()
    mue.integrate(**ZP100, points=400000, iterations=3, warmup=1, rel_error=0, threads=2)
    dt = time.monotonic() - t0
    stop.set()
    t.join()
    # the other thread ran throughout (at least a third of the ideal tick count)
    assert len(ticks) > 0.3 * dt / 0.0011, (len(ticks), dt)


def test_ctrl_c_stops_a_long_run(tmp_path):
    """SIGINT during a run of minutes: KeyboardInterrupt within seconds, no file left"""
    script = textwrap.dedent("""
        import os, signal, sys, threading, time
        import mue
        threading.Timer(1.0, lambda: os.kill(os.getpid(), signal.SIGINT)).start()
        t0 = time.monotonic()
        try:
            mue.integrate(process="zprime", mass="0.1", coupling=1e-3, points=2e6, iterations=1000,
                          warmup=0, rel_error=0, threads=2, json=sys.argv[1])
        except KeyboardInterrupt:
            print("interrupted after %.1f s" % (time.monotonic() - t0))
            sys.exit(0)
        sys.exit(1)
    """)
    out = tmp_path / "r.json"
    p = subprocess.run([sys.executable, "-c", script, str(out)], capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stdout + p.stderr
    secs = float(p.stdout.split()[2])
    assert secs < 20, p.stdout
    assert not out.exists()


def test_other_commands(tmp_path):
    s = mue.scan(process="zprime", masses="0.01,0.1", out=str(tmp_path / "scan"), points=20000, iterations=2,
                 warmup=1, rel_error=0)
    assert [r["mass_gev"] for r in s.rows] == [0.01, 0.1]
    assert (tmp_path / "scan" / "scan.csv").exists()
    g = mue.generate(**ZP100, points=20000, iterations=2, warmup=1, rel_error=0, events=100,
                     out=str(tmp_path / "ev.lhe"))
    assert g.events == 100 and (tmp_path / "ev.lhe").exists()
    k = mue.kinematics(n=5)
    assert len(k.rows) == 5 and k.text.startswith("# mue")
    d = mue.g2(mass="10MeV", coupling=5e-4)
    assert d.delta_amu > 0
    b = mue.backgrounds(points=5000, iterations=2, warmup=1, rel_error=0, no_leak_scan=True)
    assert [r["key"] for r in b.rows][:2] == ["zprime_10MeV", "zprime_100MeV"]
    v = mue.sensitivity(masses="0.01", background=0, out=str(tmp_path / "sens"), points=20000, iterations=2,
                        warmup=1, rel_error=0)
    # no background: the limit is -ln 0.05 signal events
    row = v.rows[0]
    assert abs(row["g95"] ** 2 * row["signal_per_g2"] / 2.995732273553991 - 1) < 1e-9


def test_example_script():
    """examples/integrate.py runs as the docs say and prints the CLI's digits"""
    from conftest import ROOT
    p = subprocess.run([sys.executable, os.path.join(ROOT, "examples", "integrate.py")], capture_output=True,
                       text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    assert "sigma = 36.3839 +- 0.0063 fb" in p.stdout and "sigma = 71.5172 +- 0.014 fb" in p.stdout
    assert "refused as the command line refuses it: --mass" in p.stdout


def test_error_reliability_and_warnings():
    """a healthy run says its error is reliable; a too-small mueg run says it is not,
    with the warning that tells why, as the command line does"""
    ok = mue.integrate(**ZP100, points=100000, iterations=4, warmup=2, rel_error=0)
    assert ok.error_reliable is True and ok.warnings == [] and ok.min_effective_points > 100
    small = mue.integrate(process="mueg", points=2000, iterations=5, warmup=3, rel_error=0, seed=8)
    assert small.error_reliable is False
    assert any("--points 2000 is below" in w for w in small.warnings)
    zero = mue.integrate(process="zprime", mass="277.33MeV", coupling=1e-3, **SMALL)
    assert zero.sigma_fb == 0.0 and zero.zero == {"exact": False, "passing_fraction_95": zero.zero["passing_fraction_95"]}
    assert 0.0 < zero.zero["passing_fraction_95"] < 1e-2 and zero.error_reliable is False
