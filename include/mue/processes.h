/* The process table: one row per process mue integrates. Adding a process is one unit
 * header and one row here; the dispatch (process.h), the CUDA kernels (one made per
 * row), the command line, the JSON and the histograms all read this table.
 *
 * A row X(ID, name, summary, uses) names a unit header, included below, that defines
 *   MUE_<ID>_NDIM                  integration variables (at most MUE_VEGAS_MAXDIM)
 *   MUE_<ID>_OBSERVABLES           its histograms: mue_obs_def initialisers
 *                                  (observables.h; MUE_MUONE_OBSERVABLES for mu e + X)
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
 * slots MUE_EV_MUON and MUE_EV_ELECTRON (event.h), any other particle after them.
 * `uses` says which model inputs the process reads: MUE_USES_MASS (p->m_zp, the mass
 * of the new particle), MUE_USES_COUPLING (p->coupling), MUE_USES_FLAVOURS (p->nu_flavours). */
#ifndef MUE_PROCESSES_H
#define MUE_PROCESSES_H

#include "mue/elastic.h"
#include "mue/muenn.h"
#include "mue/zprime.h"
#include "mue/mueg.h"

#define MUE_USES_MASS 1
#define MUE_USES_COUPLING 2
#define MUE_USES_FLAVOURS 4 /* p->nu_flavours */

#define MUE_PROCESSES(X)                                                                           \
    X(ELASTIC, elastic, "mu e -> mu e, one-photon exchange", 0)                                    \
    X(ZPRIME, zprime, "mu e -> mu e Z', L_mu - L_tau gauge boson (invisible)",                    \
      MUE_USES_MASS | MUE_USES_COUPLING)                                                          \
    X(MUEG, mueg, "mu e -> mu e gamma, tree level (needs a hard photon: cuts (i)+(ii) or --egamma-min)", 0) \
    X(MUENN, muenn, "mu e -> mu e nu nubar, Standard Model background (gamma, Z, W)",              \
      MUE_USES_FLAVOURS)

#endif
