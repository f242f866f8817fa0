/* An addition to the amplitude layer (amplitudes.h) for the weak bosons of muenn: a
 * massive vector line in the complex-mass scheme, docs/physics.md Eq. (13.8). */
#ifndef MUE_VERTICES_CMS_H
#define MUE_VERTICES_CMS_H

#include "mue/amplitudes.h"

/* Off-shell vector of complex mass mu^2 = M^2 - i M Gamma out of a fermion pair, Eq. (13.8):
 * [-i (g - q q / mu^2)/(q^2 - mu^2)] [-i J] = -(J - q q.J/mu^2)/(q^2 - mu^2). The same mu^2
 * in the numerator and the denominator keeps the photon's Ward identity exact in the
 * diagrams with the WW gamma vertex (a width only in the denominator breaks it at
 * O(Gamma q^2/M^3)). */
MUE_FN mue_cvec mue_amp_ffv_to_v_cms(const mue_spinor *a, const mue_spinor *p, mue_ffv_cpl g,
                                     mue_p4 q, double mu2_re, double mu2_im)
{
    mue_cvec J = mue_amp_current(a, p, g);
    mue_cx mu2 = mue_cx_make(mu2_re, mu2_im);
    mue_cx qj = mue_cx_div(mue_cvec_dot_p4(&J, q), mu2);
    const double qc[4] = {q.e, q.x, q.y, q.z};
    mue_cx d = mue_cx_make(mu2_re - mue_p4_dot(q, q), mu2_im); /* -(q^2 - mu^2) */
    for (int i = 0; i < 4; i++)
        J.c[i] = mue_cx_div(mue_cx_sub(J.c[i], mue_cx_scale(qc[i], qj)), d);
    return J;
}

#endif
