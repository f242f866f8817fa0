"""Reads mue's event files back with the readers users have (test_generate runs it):
pylhe for the LHEF file, pyhepmc (HepMC3's own reader) for the HepMC3 file. Checks the
beams, the cross section in the headers, the event count and the particles; prints one
line per file and exits 1 on the first disagreement."""
import math
import sys

import pyhepmc
import pylhe

M_MU, M_E = 0.1056583755, 0.000510998950


def fail(msg):
    print("FAIL", msg)
    sys.exit(1)


def close(a, b, rel=1e-12):
    return abs(a - b) <= rel * max(abs(a), abs(b))


def check_lhef(path, n_expected, sigma_pb, err_pb):
    f = pylhe.LHEFile.fromfile(path)
    ii = f.init.initInfo
    if (ii.beamA, ii.beamB) != (13, 11):
        fail(f"LHEF beams {ii.beamA} {ii.beamB}, expected 13 11")
    if not close(ii.energyA, 150.0) or not close(ii.energyB, M_E):
        fail(f"LHEF beam energies {ii.energyA} {ii.energyB}")
    if len(f.init.procInfo) != 1:
        fail("LHEF: not one process")
    p = f.init.procInfo[0]
    if not close(p.xSection, sigma_pb, 1e-9) or not close(p.error, err_pb, 1e-3):
        fail(f"LHEF sigma {p.xSection} +- {p.error}, header says {sigma_pb} +- {err_pb}")
    n, sw = 0, 0.0
    for e in f.events:
        n += 1
        sw += e.eventinfo.weight
        # the named weights: the nominal one is XWGTUP; the couplings' scale it
        if e.weights.get("nominal") != e.eventinfo.weight:
            fail(f"LHEF event {n}: no nominal weight equal to XWGTUP")
        ps = e.particles
        if [q.status for q in ps[:2]] != [-1, -1] or [q.id for q in ps[:2]] != [13, 11]:
            fail("LHEF: the first two lines are not the incoming mu- and e-")
        # the hard process (mothers 1 2): final (status 1) or decayed (2); each decayed
        # particle's daughters point to its line twice and carry its momentum
        hard = [q for q in ps[2:] if (q.mother1, q.mother2) == (1, 2)]
        if any(q.status not in (1, 2) for q in hard):
            fail("LHEF: outgoing particles of the hard process not status 1 or 2")
        for i, q in enumerate(ps):
            if q.status != 2:
                continue
            kids = [d for d in ps if (d.mother1, d.mother2) == (i + 1, i + 1)]
            if len(kids) != 2 or any(d.status != 1 for d in kids):
                fail(f"LHEF event {n}: a decayed particle without two final daughters")
            for c in "px py pz e".split():
                if abs(sum(getattr(d, c) for d in kids) - getattr(q, c)) > 1e-9 * max(1.0, q.e):
                    fail(f"LHEF event {n}: the decay does not conserve {c}")
        for q in ps[2:]:
            m = q.mother1
            if (q.mother1, q.mother2) != (1, 2) and not (
                    q.mother1 == q.mother2 and 3 <= m <= len(ps) and ps[m - 1].status == 2):
                fail("LHEF: a particle neither from the hard process nor from a decay")
        out = [q for q in ps[2:] if q.status == 1]
        for k, c in enumerate("px py pz e".split()):
            s = sum(getattr(q, c) for q in out) - sum(getattr(q, c) for q in ps[:2])
            if abs(s) > 1e-9:
                fail(f"LHEF event {n}: {c} not conserved ({s:g} GeV)")
    if n != n_expected:
        fail(f"LHEF: {n} events, expected {n_expected}")
    print(f"pylhe {pylhe.__version__}: {n} events, beams 13 11, sigma {p.xSection:.6g} pb, "
          f"mean weight {sw / n:.6g} pb")


def check_vertices(zs, xs, ys, beam):
    """A beam model's vertices: z uniform in the target (Kolmogorov-Smirnov, sqrt(n) D below
    1.95: probability 0.001 for a uniform z), x and y of the spot's rms (to 4/sqrt(2n))."""
    e0, spread, divx, divy, spotx, spoty, tz, tlen = beam
    lo, hi = 1e3 * (tz - tlen / 2), 1e3 * (tz + tlen / 2)
    n = len(zs)
    if any(not (lo <= z <= hi) for z in zs):
        fail(f"HepMC3: a vertex outside the target [{lo}, {hi}] mm")
    u = sorted((z - lo) / (hi - lo) for z in zs)
    d = max(max((i + 1) / n - f, f - i / n) for i, f in enumerate(u))
    if math.sqrt(n) * d > 1.95:
        fail(f"HepMC3: vertex z not uniform in the target (KS sqrt(n)D {math.sqrt(n) * d:.3f})")
    tol = 4 / math.sqrt(2 * n)
    for what, v, want in (("x", xs, spotx), ("y", ys, spoty)):
        rms = math.sqrt(sum(q * q for q in v) / n)
        if abs(rms / (1e3 * want) - 1) > tol:
            fail(f"HepMC3: vertex {what} rms {rms:.4g} mm, the spot is {1e3 * want:.4g} mm")
    return math.sqrt(n) * d


def check_hepmc3(path, n_expected, sigma_pb, beam=None):
    n = 0
    zs, xs, ys = [], [], []
    with pyhepmc.open(path) as r:
        for ev in r:
            n += 1
            if ev.momentum_unit != pyhepmc.Units.GEV:
                fail("HepMC3: not GeV")
            beams = [p for p in ev.particles if p.status == 4]
            if sorted(p.pid for p in beams) != [11, 13]:
                fail("HepMC3: beams are not mu- and e- (status 4)")
            mu = [p for p in beams if p.pid == 13][0]
            if beam is None and not close(mu.momentum.e, 150.0):
                fail(f"HepMC3: muon beam energy {mu.momentum.e}")
            if beam is not None:
                # every vertex of the event at the interaction point (decays are prompt)
                pos = {(v.position.x, v.position.y, v.position.z) for v in ev.vertices}
                if len(pos) != 1:
                    fail(f"HepMC3 event {n}: vertices at {len(pos)} places")
                x, y, z = pos.pop()
                xs.append(x), ys.append(y), zs.append(z)
            if ev.weight_names[0] != "nominal" or len(ev.weights) != len(ev.weight_names):
                fail("HepMC3: the weights are not named, the nominal one first")
            cs = ev.cross_section
            if cs is None or not close(cs.xsec(), sigma_pb, 1e-9):
                fail("HepMC3: cross section missing or different from the header's")
            out = [p for p in ev.particles if p.status == 1]
            decayed = [p for p in ev.particles if p.status == 2]
            if len(ev.vertices) != 1 + len(decayed) or len(out) + len(decayed) != len(ev.particles) - 2:
                fail("HepMC3: not one vertex for the hard process and one per decay")
            for d in decayed:
                kids = d.end_vertex.particles_out if d.end_vertex else []
                if len(kids) != 2:
                    fail(f"HepMC3 event {n}: a decayed particle without two daughters")
                for c in "px py pz e".split():
                    if abs(sum(getattr(k.momentum, c) for k in kids) - getattr(d.momentum, c)) > 1e-9 * max(1.0, d.momentum.e):
                        fail(f"HepMC3 event {n}: the decay does not conserve {c}")
            for c in "px py pz e".split():
                s = sum(getattr(p.momentum, c) for p in out) - sum(getattr(p.momentum, c) for p in beams)
                if abs(s) > 1e-9:
                    fail(f"HepMC3 event {n}: {c} not conserved ({s:g} GeV)")
            if n == 1:
                tools = [t.name for t in ev.run_info.tools] if ev.run_info else []
                if "mue" not in tools:
                    fail("HepMC3: run info does not name mue")
    if n != n_expected:
        fail(f"HepMC3: {n} events, expected {n_expected}")
    ks = f", vertices in the target (KS sqrt(n)D {check_vertices(zs, xs, ys, beam):.3f})" if beam else ""
    print(f"pyhepmc {pyhepmc.__version__}: {n} events, beams 13 11 (status 4), sigma {sigma_pb:.6g} pb{ks}")


if __name__ == "__main__":
    kind, path, n, sigma, err = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
    # --beam E0,spread,div_x,div_y,spot_x,spot_y,target_z,target_len: a beam model's file
    beam = [float(v) for v in sys.argv[7].split(",")] if sys.argv[6:7] == ["--beam"] else None
    if kind == "lhef":
        check_lhef(path, n, sigma, err)
    else:
        check_hepmc3(path, n, sigma, beam)
