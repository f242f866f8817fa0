"""mue from Python: muon-electron scattering at MUonE, through the library libmue.

Every command of the `mue` program is a function here, with the command line's options
as keywords ('-' written '_'), and returns a Result::

    import mue
    r = mue.integrate(process="zprime", mass="100MeV", coupling=1e-3, rel_error=1e-3, seed=1)
    r.sigma_fb, r.error_fb, r.events, r.q, r.warnings
    r.histograms["E_e"].edges, r.histograms["E_e"].values, r.histograms["E_e"].errors

Values are given as the command line takes them: numbers, or text with units ("100MeV",
"1/132.507"); True sets a flag (quiet=True), False or None leaves an option out, a list
repeats it (hist_range=["E_e=0:150", "theta_e=0:0.02"]). A bad input raises InputError
with the command line's one-line message. The same seed gives the same bits as the
command line. Long runs release the GIL and stop cleanly on Ctrl-C (KeyboardInterrupt).
"""

from ._core import (  # noqa: F401
    Error,
    Histogram,
    InputError,
    Result,
    backgrounds,
    build_info,
    g2,
    generate,
    integrate,
    kinematics,
    run,
    scan,
    sensitivity,
    version,
)

__version__ = "0.2.0"
