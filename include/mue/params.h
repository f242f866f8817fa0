/* Run parameters of one integration: model, beam, selection. Plain data, copied by
 * value to the device; everything derived from it lives in mue_setup (process.h). */
#ifndef MUE_PARAMS_H
#define MUE_PARAMS_H

#include "mue/defs.h"
#include "mue/detector.h"

typedef struct {
    int enabled;         /* 0: no selection at all (--no-cuts) */
    double theta_mu_min; /* cut (i): lab muon angle, rad */
    double ee_min;       /* cut (ii): lab electron energy window, GeV */
    double ee_max;
    double egamma_min;   /* lab photon energy floor of processes with a photon (--egamma-min),
                            GeV; 0: none beyond what cuts (i)+(ii) imply */
} mue_cuts;

typedef struct {
    double m_mu, m_e;   /* GeV */
    double m_zp;        /* Z' mass, GeV */
    double coupling;    /* g of L_int = -g Z'_mu sum Q psibar gamma^mu psi */
    double alpha;       /* QED coupling, alpha(0) by default */
    double e_beam;      /* lab muon energy, GeV; electron at rest */
    mue_cuts cuts;
    mue_detector det;   /* det.enabled: the selection is the detector's (detector_select.h) */
    int nu_flavours;    /* muenn: neutrino flavours summed, bits 1 e, 2 mu, 4 tau */
} mue_params;

/* docs/physics.md defaults (Setup, Cuts): 150 GeV muon on electrons at rest, cuts (i) and (ii). */
MUE_FN mue_params mue_params_default(void)
{
    mue_params p;
    p.m_mu = MUE_M_MU;
    p.m_e = MUE_M_E;
    p.m_zp = 0.1;
    p.coupling = 1e-3;
    p.alpha = MUE_ALPHA0;
    p.e_beam = 150.0;
    p.cuts.enabled = 1;
    p.cuts.theta_mu_min = 1.5e-3;
    p.cuts.ee_min = 1.0;
    p.cuts.ee_max = 25.0;
    p.cuts.egamma_min = 0.0;
    p.det = mue_detector_default();
    p.nu_flavours = 7;
    return p;
}

#endif
