/* Additions to the amplitude layer (amplitudes.h) for the weak bosons of muenn:
 * a massive vector line in the complex-mass scheme, and the triple-gauge vertex,
 * docs/physics.md Eqs. (13.8)-(13.9). */
#ifndef MUE_VERTICES_VVV_H
#define MUE_VERTICES_VVV_H

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

/* (k1 - k2).V for a real k1 - k2 */
MUE_FN mue_cx mue_amp_vvv_leg(const mue_cvec *V, mue_p4 a, mue_p4 b)
{
    return mue_cvec_dot_p4(V, mue_p4_sub(a, b));
}

/* The triple-gauge vertex closed on three vectors, Eq. (13.9): W-(V1, k1), W+(V2, k2),
 * neutral V3 (photon or Z, k3), all momenta incoming (k1 + k2 + k3 = 0):
 * -i g [(V1.V2)(k1 - k2).V3 + (V2.V3)(k2 - k3).V1 + (V3.V1)(k3 - k1).V2],
 * g = e for the photon and g_W cos theta_W for the Z. Returns i M's contribution. */
MUE_FN mue_cx mue_amp_vvv(const mue_cvec *V1, mue_p4 k1, const mue_cvec *V2, mue_p4 k2,
                          const mue_cvec *V3, mue_p4 k3, double g)
{
    mue_cx a = mue_cx_mul(mue_cvec_dot(V1, V2), mue_amp_vvv_leg(V3, k1, k2));
    mue_cx b = mue_cx_mul(mue_cvec_dot(V2, V3), mue_amp_vvv_leg(V1, k2, k3));
    mue_cx c = mue_cx_mul(mue_cvec_dot(V3, V1), mue_amp_vvv_leg(V2, k3, k1));
    return mue_cx_mul_mi(mue_cx_scale(g, mue_cx_add(mue_cx_add(a, b), c)));
}

#endif
