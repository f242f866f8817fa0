"""The paper's two benchmark points from Python, with the distribution of the recoil
electron's energy: `pip install .` from the repository root, then

    python examples/integrate.py

Every keyword is an option of `mue integrate` ('-' written '_'); the numbers are those
the command line prints for the same options, bit for bit."""
import mue

for mass, g in (("10MeV", 5e-4), ("100MeV", 1e-3)):
    r = mue.integrate(process="zprime", mass=mass, coupling=g, rel_error=2e-4, seed=1, histograms=True)
    print("m_Z' = %-6s g = %-6g sigma = %.6g +- %.2g fb, N = %.1f +- %.1f at %g fb^-1, Q = %.2f"
          % (mass, g, r.sigma_fb, r.error_fb, r.events, r.events_err, r.settings["lumi_fb"], r.q))
    for w in r.warnings:
        print("  WARNING:", w)
    h = r.histograms["E_e"]
    peak = h.values.argmax()
    print("  E_e peaks in [%g, %g] GeV; the histogram sums to %.6g fb" % (h.edges[peak], h.edges[peak + 1],
                                                                          h.values.sum()))

try:
    mue.integrate(process="zprime", mass="1TeV", coupling=1e-3)
except mue.InputError as e:
    print("refused as the command line refuses it:", e)
