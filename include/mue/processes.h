/* The process table: one row per process mue integrates. Adding a process is one unit
 * header and one row here; the dispatch (process.h), the CUDA kernels (one made per
 * row), the run description (its model inputs become options), the command line, the
 * scan, the backgrounds table, the JSON, the histograms and the event headers all read
 * this table (docs/extending.md).
 *
 * A row X(ID, name, summary) names a unit header, included below, that defines
 *   MUE_<ID>_NDIM                  integration variables (at most MUE_VEGAS_MAXDIM)
 *   MUE_<ID>_OBSERVABLES           its histograms: mue_obs_def initialisers
 *                                  (observables.h; MUE_MUONE_OBSERVABLES for mu e + X)
 *   MUE_<ID>_INPUTS(P)             its model inputs, in mue_params.input[slot]:
 *                                  P(slot, option, kind, default, lo, hi, label, JSON key,
 *                                  help), kind one of MUE_INPUT_* below; default a text
 *                                  as the command line takes it, NULL: required
 *   MUE_<ID>_TITLE                 a short name for tables ("Z'", "mu e -> mu e gamma")
 *   MUE_<ID>_PARTICLES             its final state, mue_particle_def initialisers (event.h)
 *   MUE_<ID>_FLAGS                 MUE_PROC_* below
 *   MUE_<ID>_BENCHMARKS(B)         for a signal, its benchmark points for the backgrounds
 *                                  table: B(key, label, "option=value,...")
 *   MUE_<ID>_POINTS_MIN            the fewest points per iteration whose errors the
 *                                  coverage tests found honest: below, a run warns
 *   MUE_<ID>_DERIVED(D)            what a run prints of its setup: D(label, field of
 *                                  mue_<name>_unit, unit), a number per line
 *   mue_<name>_unit                what the setup computes once (plain data)
 *   mue_<name>_inv                 what |M|^2 needs from the map besides the event
 *   int    mue_<name>_prepare(const mue_params *, const mue_collision *,
 *                             mue_<name>_unit *, const char **why)   1, or 0 + why
 *   double mue_<name>_phase_space(const mue_params *, const mue_collision *,
 *                             const mue_<name>_unit *, const double *x,
 *                             mue_event *, mue_<name>_inv *)         dPhi/dx, 0 outside
 *   double mue_<name>_weight(const mue_params *, const mue_collision *,
 *                             const mue_<name>_unit *, const mue_<name>_inv *)
 *                                                                    flux x |M|^2 (fb)
 * all MUE_FN (host and device). The event puts the outgoing muon and electron in
 * slots MUE_EV_MUON and MUE_EV_ELECTRON (event.h), any other particle after them. */
#ifndef MUE_PROCESSES_H
#define MUE_PROCESSES_H

/* kinds of model input (the run description reads them, host/run/settings_table.c) */
#define MUE_INPUT_MASS 1     /* a new particle's mass, GeV: required; below the kinematic
                                limit; what `mue scan` scans */
#define MUE_INPUT_COUPLING 2 /* a coupling the cross section is proportional to the square
                                of: required; the scan's reference coupling */
#define MUE_INPUT_ENERGY 3   /* an energy, GeV; hi = 0: below the beam energy */
#define MUE_INPUT_FLAVOURS 4 /* neutrino flavours, a list of e, mu, tau (bits, muenn_ps.h) */

/* process flags */
#define MUE_PROC_SIGNAL 1  /* a signal: its benchmarks head the backgrounds table */
#define MUE_PROC_MUON_G2 2 /* a vector boson coupled to the muon with the coupling input:
                              its Delta a_mu (docs/physics.md section 7) is what the scan's
                              g-2 band shows */
#define MUE_PROC_MU_PLUS 4 /* written for a mu+ beam too (--beam mu+): its |M|^2 knows the
                              muon's charge where it matters */

#include "mue/elastic.h"
#include "mue/muenn.h"
#include "mue/zprime.h"
#include "mue/mueg.h"

/* A process that exists only in the tests (tests/testproc/, make test builds a mue
 * with it): it proves that one header and one row are all a process needs. */
#ifdef MUE_TEST_PROCESS
#include "toy.h"
#define MUE_TEST_ROW(X) X(TOY, toy, "mu e -> mu e phi, a test-only scalar (tests/testproc)")
#else
#define MUE_TEST_ROW(X)
#endif

#define MUE_PROCESSES(X)                                                                           \
    X(ELASTIC, elastic, "mu e -> mu e, one-photon exchange")                                       \
    X(ZPRIME, zprime, "mu e -> mu e Z', L_mu - L_tau gauge boson (invisible)")                    \
    X(MUEG, mueg, "mu e -> mu e gamma, tree level (needs a hard photon: cuts (i)+(ii) or "        \
                  "--egamma-min)")                                                                 \
    X(MUENN, muenn, "mu e -> mu e nu nubar, Standard Model background (gamma, Z, W)")             \
    MUE_TEST_ROW(X)

#endif
