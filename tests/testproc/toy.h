/* A process that exists only in the tests: mu e -> mu e phi, with phi invisible, of
 * mass --phi-mass and coupling --yukawa. Its map and |M|^2 are the Z''s (zprime.h)
 * under other names, so its cross section is the Z''s bit for bit: what the test
 * checks is the plumbing, not physics. One header and one row of processes.h (under
 * MUE_TEST_PROCESS) are all it takes; `make test` builds a mue with it
 * (build/testproc/mue) and tests/test_architecture.c runs every command on it. */
#ifndef MUE_TOY_H
#define MUE_TOY_H

#include "mue/zprime.h"

#define MUE_TOY_NDIM MUE_ZPRIME_NDIM
#define MUE_TOY_OBSERVABLES MUE_MUONE_OBSERVABLES

enum { MUE_TOY_MASS, MUE_TOY_YUKAWA };
#define MUE_TOY_INPUTS(P)                                                                          \
    P(MUE_TOY_MASS, "phi-mass", MUE_INPUT_MASS, NULL, 1e-6, 0.0, "m_phi", "phi_mass_gev",          \
      "mass of phi, 1 keV up to the kinematic limit")                                             \
    P(MUE_TOY_YUKAWA, "yukawa", MUE_INPUT_COUPLING, NULL, 1e-20, 10.0, "y", "yukawa",              \
      "its coupling y, 1e-20 .. 10")
#define MUE_TOY_TITLE "phi"
#define MUE_TOY_PID 9000006
#define MUE_TOY_PARTICLES {13, "mu-"}, {11, "e-"}, {MUE_TOY_PID, "phi (invisible)"}
#define MUE_TOY_FLAGS (MUE_PROC_SIGNAL | MUE_PROC_MU_PLUS)
#define MUE_TOY_BENCHMARKS(B) B("50MeV", "50 MeV, y = 1e-3", "phi-mass=50MeV,yukawa=1e-3")
#define MUE_TOY_POINTS_MIN MUE_ZPRIME_POINTS_MIN /* its map and |M|^2 are the Z's */
#define MUE_TOY_DERIVED(D) D("phi: lowest M_X^2 - m_mu^2 =", d1_lo, "GeV^2")

typedef mue_zprime_unit mue_toy_unit;
typedef mue_zprime_inv mue_toy_inv;

/* the Z''s parameters with phi's inputs in their slots */
MUE_FN mue_params mue_toy_as_zprime(const mue_params *p)
{
    mue_params z = *p;
    z.input[MUE_ZPRIME_MASS] = p->input[MUE_TOY_MASS];
    z.input[MUE_ZPRIME_COUPLING] = p->input[MUE_TOY_YUKAWA];
    return z;
}

MUE_FN int mue_toy_prepare(const mue_params *p, const mue_collision *c, mue_toy_unit *u,
                           const char **why)
{
    const mue_params z = mue_toy_as_zprime(p);
    return mue_zprime_prepare(&z, c, u, why);
}

MUE_FN double mue_toy_phase_space(const mue_params *p, const mue_collision *c, const mue_toy_unit *u,
                                  const double *x, mue_event *ev, mue_toy_inv *inv)
{
    const mue_params z = mue_toy_as_zprime(p);
    double dphi = mue_zprime_phase_space(&z, c, u, x, ev, inv);
    if (dphi != 0.0)
        ev->pid[2] = MUE_TOY_PID;
    return dphi;
}

MUE_FN double mue_toy_weight(const mue_params *p, const mue_collision *c, const mue_toy_unit *u,
                             const mue_toy_inv *inv)
{
    const mue_params z = mue_toy_as_zprime(p);
    return mue_zprime_weight(&z, c, u, inv);
}

#endif
