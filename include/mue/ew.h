/* Electroweak inputs and couplings of the Standard Model background (muenn),
 * docs/physics.md Eqs. (13.5)-(13.7). Scheme: G_F, M_W, M_Z (PDG) fix the weak couplings,
 * sin^2 theta_W = 1 - M_W^2/M_Z^2 (on shell); the photon couples with the run's alpha
 * (alpha(0) by default: the photons here are at |t| < 0.1 GeV^2). */
#ifndef MUE_EW_H
#define MUE_EW_H

#include "mue/defs.h"

/* PDG 2024 (R. L. Workman et al. / S. Navas et al., Review of Particle Physics) */
#define MUE_GF 1.1663788e-5 /* GeV^-2, Fermi constant from the muon lifetime */
#define MUE_MZ 91.1880      /* GeV */
#define MUE_WZ 2.4955       /* GeV, Z width */
#define MUE_MW 80.3692      /* GeV */
#define MUE_WW 2.085        /* GeV, W width */

/* Couplings of the vertices -i gamma^mu (c_L P_L + c_R P_R) and -i g_WWV [...] */
typedef struct {
    double e;            /* photon: c = e Q */
    double gw;           /* W: c_L = gw / sqrt 2; g^2 = 4 sqrt2 G_F M_W^2 */
    double gz;           /* Z: c = gz (T3 - Q s_W^2); gz = gw / c_W */
    double sw2, cw;      /* sin^2 theta_W = 1 - M_W^2/M_Z^2, cos theta_W */
    double mz2_re, mz2_im; /* complex masses mu^2 = M^2 - i M Gamma */
    double mw2_re, mw2_im;
} mue_ew;

MUE_FN mue_ew mue_ew_make(double alpha)
{
    mue_ew w;
    w.e = sqrt(4.0 * MUE_PI * alpha);
    w.cw = MUE_MW / MUE_MZ;
    w.sw2 = 1.0 - w.cw * w.cw;
    w.gw = sqrt(4.0 * 1.4142135623730951 * MUE_GF) * MUE_MW;
    w.gz = w.gw / w.cw;
    w.mz2_re = MUE_MZ * MUE_MZ;
    w.mz2_im = -MUE_MZ * MUE_WZ;
    w.mw2_re = MUE_MW * MUE_MW;
    w.mw2_im = -MUE_MW * MUE_WW;
    return w;
}

#endif
