/* The triple gauge vertex of the amplitude layer (amplitudes.h), docs/physics.md
 * Eq. (11.10): W-(k1, mu) W+(k2, nu) V(k3, rho), all momenta incoming (an outgoing W- is an
 * incoming W+ with the opposite momentum),
 *     i g [ g^{mu nu} (k1 - k2)^rho + g^{nu rho} (k2 - k3)^mu + g^{rho mu} (k3 - k1)^nu ],
 * V the photon (g = g_WWgamma) or the Z (g = g_WWZ). With the fermion vertex of vertices.h
 * (photon: c = e Q, Q_e = -1) the photon's is g_WWgamma = e Q_W- = -e: the Ward identity of
 * e- nubar -> W- gamma holds with it and fails with +e (tests/test_amplitudes.c). In the same
 * conventions (A = s W3 + c B, Z = c W3 - s B; fermion Z couplings c_L = e (T3 - Q s^2)/(s c),
 * c_R = -e Q s/c) g_WWZ = -e c/s; that one follows from the SU(2) structure, not from a test. */
#ifndef MUE_VERTICES_VVV_H
#define MUE_VERTICES_VVV_H

#include "mue/vertices.h"

/* Gamma^rho = (V1.V2)(k1 - k2)^rho + V2^rho ((k2 - k3).V1) + V1^rho ((k3 - k1).V2): the
 * vertex without i g, contracted with V1 and V2, its third index open. */
MUE_FN mue_cvec mue_amp_vvv_open(const mue_cvec *V1, mue_p4 k1, const mue_cvec *V2, mue_p4 k2, mue_p4 k3)
{
    mue_cx v12 = mue_cvec_dot(V1, V2);
    mue_cx a = mue_cvec_dot_p4(V1, mue_p4_sub(k2, k3)), b = mue_cvec_dot_p4(V2, mue_p4_sub(k3, k1));
    mue_p4 d = mue_p4_sub(k1, k2);
    const double dc[4] = {d.e, d.x, d.y, d.z};
    mue_cvec G;
    for (int i = 0; i < 4; i++)
        G.c[i] = mue_cx_add(mue_cx_scale(dc[i], v12),
                            mue_cx_add(mue_cx_mul(V2->c[i], a), mue_cx_mul(V1->c[i], b)));
    return G;
}

/* The vertex closed on three vectors (polarisations or off-shell currents): its
 * contribution to i M. */
MUE_FN mue_cx mue_amp_vvv(const mue_cvec *V1, mue_p4 k1, const mue_cvec *V2, mue_p4 k2,
                          const mue_cvec *V3, mue_p4 k3, double g)
{
    mue_cvec G = mue_amp_vvv_open(V1, k1, V2, k2, k3);
    return mue_cx_mul_i(mue_cx_scale(g, mue_cvec_dot(&G, V3)));
}

/* Off-shell vector out of the vertex, q = k1 + k2 flowing out (k3 = -q), mass M, width
 * Gamma, den = q^2 - M^2: [-i P^{sigma rho}/(den + i M Gamma)] [i g Gamma_rho] =
 * g (Gamma^sigma - q^sigma q.Gamma/M^2)/(den + i M Gamma) (Feynman gauge for M = 0). */
MUE_FN mue_cvec mue_amp_vv_to_v(const mue_cvec *V1, mue_p4 k1, const mue_cvec *V2, mue_p4 k2, double g,
                                double M, double width, double den)
{
    mue_p4 q = mue_p4_add(k1, k2);
    mue_cvec G = mue_amp_vvv_open(V1, k1, V2, k2, mue_p4_make(-q.e, -q.x, -q.y, -q.z));
    if (M > 0.0) {
        mue_cx qg = mue_cx_scale(1.0 / (M * M), mue_cvec_dot_p4(&G, q));
        const double qc[4] = {q.e, q.x, q.y, q.z};
        for (int i = 0; i < 4; i++)
            G.c[i] = mue_cx_sub(G.c[i], mue_cx_scale(qc[i], qg));
    }
    mue_cx d = mue_cx_make(den, M * width);
    for (int i = 0; i < 4; i++)
        G.c[i] = mue_cx_div(mue_cx_scale(g, G.c[i]), d);
    return G;
}

#endif
