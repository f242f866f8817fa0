/* Vertices and propagators of the amplitude layer (amplitudes.h), docs/physics.md
 * Eqs. (11.5)-(11.9). One fermion-fermion-vector vertex,
 *     -i gamma^mu (c_L P_L + c_R P_R),   P_L,R = (1 -+ gamma5)/2,
 * which covers QED (c_L = c_R = e Q), the Z' (c_L = c_R = g Q') and any vector/axial
 * coupling -i gamma^mu (g_V - g_A gamma5) (c_L = g_V + g_A, c_R = g_V - g_A), e.g. the Z
 * and W. Propagators carry their i: fermion i(pslash + m)/den, vector
 * -i (g^{mu nu} - q^mu q^nu/M^2)/(den + i M Gamma) (Feynman gauge g^{mu nu} for M = 0),
 * den = p^2 - m^2 passed in by the caller, who knows a form of it without cancellation
 * (e.g. 2 p.k for a massless emission); mue_amp_den computes it when none is known.
 * A function that closes a vertex returns the amplitude i M's contribution with every
 * factor i of the Feynman rules, so diagrams of different shapes add with their relative
 * phases; fermion-permutation signs are the caller's. */
#ifndef MUE_VERTICES_H
#define MUE_VERTICES_H

#include "mue/helicity.h"

typedef struct {
    mue_cx cl, cr;
} mue_ffv_cpl;

MUE_FN mue_ffv_cpl mue_ffv_cpl_lr(double cl, double cr)
{
    mue_ffv_cpl c = {mue_cx_real(cl), mue_cx_real(cr)};
    return c;
}

/* -i gamma^mu (g_V - g_A gamma5): gamma5 = -1 on P_L, +1 on P_R */
MUE_FN mue_ffv_cpl mue_ffv_cpl_va(double gv, double ga) { return mue_ffv_cpl_lr(gv + ga, gv - ga); }

/* p^2 - m^2 of an internal line from its momentum. */
MUE_FN double mue_amp_den(mue_p4 p, double m) { return mue_p4_dot(p, p) - m * m; }

/* y = (V.sigma) x (bar = 0) or (V.sigmabar) x (bar = 1), V.sigma = V^0 - V.sigma_vec,
 * V.sigmabar = V^0 + V.sigma_vec; row = 1 gives the row x M instead. */
MUE_FN void mue_amp_sigma(const mue_cvec *V, int bar, int row, mue_cx x0, mue_cx x1, mue_cx *y0,
                          mue_cx *y1)
{
    double s = bar ? 1.0 : -1.0;
    mue_cx m00 = mue_cx_add(V->c[0], mue_cx_scale(s, V->c[3]));
    mue_cx m11 = mue_cx_sub(V->c[0], mue_cx_scale(s, V->c[3]));
    mue_cx m01 = mue_cx_scale(s, mue_cx_sub(V->c[1], mue_cx_mul_i(V->c[2])));
    mue_cx m10 = mue_cx_scale(s, mue_cx_add(V->c[1], mue_cx_mul_i(V->c[2])));
    if (row) {
        *y0 = mue_cx_mul2(x0, m00, x1, m10);
        *y1 = mue_cx_mul2(x0, m01, x1, m11);
    } else {
        *y0 = mue_cx_mul2(m00, x0, m01, x1);
        *y1 = mue_cx_mul2(m10, x0, m11, x1);
    }
}

/* The chiral halves of J^mu = psibar gamma^mu (c_L P_L + c_R P_R) psi, Eq. (11.5):
 * J = c_R R + c_L L, R^mu = psibar_L sigma^mu psi_R, L^mu = psibar_R sigmabar^mu psi_L in
 * chiral halves (psibar's first half multiplies psi_R). One pair serves every coupling of
 * the same two spinors (the photon's and the Z's). */
MUE_FN void mue_amp_current_rl(const mue_spinor *a, const mue_spinor *p, mue_cvec *R, mue_cvec *L)
{
    const mue_cx *A = a->c, *P = p->c;
    R->c[0] = mue_cx_mul2(A[0], P[2], A[1], P[3]);
    L->c[0] = mue_cx_mul2(A[2], P[0], A[3], P[1]);
    R->c[1] = mue_cx_mul2(A[0], P[3], A[1], P[2]);
    L->c[1] = mue_cx_neg(mue_cx_mul2(A[2], P[1], A[3], P[0]));
    R->c[2] = mue_cx_mul_i(mue_cx_sub(mue_cx_mul(A[1], P[2]), mue_cx_mul(A[0], P[3])));
    L->c[2] = mue_cx_neg(mue_cx_mul_i(mue_cx_sub(mue_cx_mul(A[3], P[0]), mue_cx_mul(A[2], P[1]))));
    R->c[3] = mue_cx_sub(mue_cx_mul(A[0], P[2]), mue_cx_mul(A[1], P[3]));
    L->c[3] = mue_cx_neg(mue_cx_sub(mue_cx_mul(A[2], P[0]), mue_cx_mul(A[3], P[1])));
}

/* c_R R + c_L L */
MUE_FN mue_cvec mue_amp_current_of(const mue_cvec *R, const mue_cvec *L, mue_ffv_cpl g)
{
    mue_cvec J;
    for (int i = 0; i < 4; i++)
        J.c[i] = mue_cx_add(mue_cx_mul(g.cr, R->c[i]), mue_cx_mul(g.cl, L->c[i]));
    return J;
}

/* J^mu itself; the same bits as c_R R + c_L L written out, since a negated product is
 * exact */
MUE_FN mue_cvec mue_amp_current(const mue_spinor *a, const mue_spinor *p, mue_ffv_cpl g)
{
    mue_cvec R, L;
    mue_amp_current_rl(a, p, &R, &L);
    return mue_amp_current_of(&R, &L, g);
}

/* The vertex closed on all three legs, Eq. (11.6): -i psibar Vslash (c_L P_L + c_R P_R) psi
 * (V an incoming polarisation, the conjugate of an outgoing one, or an off-shell current). */
MUE_FN mue_cx mue_amp_ffv(const mue_spinor *a, const mue_spinor *p, const mue_cvec *V, mue_ffv_cpl g)
{
    mue_cvec J = mue_amp_current(a, p, g);
    return mue_cx_mul_mi(mue_cvec_dot(&J, V));
}

/* -i (c_R R + c_L L): the vertex of mue_amp_ffv with the vector's index left open */
MUE_FN mue_cvec mue_amp_open_of(const mue_cvec *R, const mue_cvec *L, mue_ffv_cpl g)
{
    mue_cvec J = mue_amp_current_of(R, L, g);
    for (int i = 0; i < 4; i++)
        J.c[i] = mue_cx_mul_mi(J.c[i]);
    return J;
}

/* The same vertex with the vector's index left open, -i psibar gamma^mu (c_L P_L + c_R P_R)
 * psi: mue_amp_ffv(a, p, V, g) = this . V, to the bit (-i only swaps and negates). A
 * diagram linear in V is built once and contracted with each V (the helicity sums of
 * mueg and muenn). */
MUE_FN mue_cvec mue_amp_ffv_open(const mue_spinor *a, const mue_spinor *p, mue_ffv_cpl g)
{
    mue_cvec R, L;
    mue_amp_current_rl(a, p, &R, &L);
    return mue_amp_open_of(&R, &L, g);
}

/* The same at two couplings of one spinor pair, J0 for g0 and J1 for g1, the chiral
 * halves built once */
MUE_FN void mue_amp_ffv_open2(const mue_spinor *a, const mue_spinor *p, mue_ffv_cpl g0, mue_ffv_cpl g1,
                              mue_cvec *J0, mue_cvec *J1)
{
    mue_cvec R, L;
    mue_amp_current_rl(a, p, &R, &L);
    *J0 = mue_amp_open_of(&R, &L, g0);
    *J1 = mue_amp_open_of(&R, &L, g1);
}

/* Off-shell vector out of the vertex, Eq. (11.7): propagator times vertex,
 * [-i P^{mu nu}/(den + i M Gamma)] [-i J_nu] = -(J^mu - q^mu q.J/M^2)/(den + i M Gamma),
 * q the momentum on the line, den = q^2 - M^2. M = 0: photon in Feynman gauge. */
MUE_FN mue_cvec mue_amp_ffv_to_v(const mue_spinor *a, const mue_spinor *p, mue_ffv_cpl g, mue_p4 q,
                                 double M, double width, double den)
{
    mue_cvec J = mue_amp_current(a, p, g);
    mue_cx d = mue_cx_neg(mue_cx_make(den, M * width));
    if (M > 0.0) {
        mue_cx qj = mue_cx_scale(1.0 / (M * M), mue_cvec_dot_p4(&J, q));
        const double qc[4] = {q.e, q.x, q.y, q.z};
        for (int i = 0; i < 4; i++)
            J.c[i] = mue_cx_sub(J.c[i], mue_cx_scale(qc[i], qj));
    }
    for (int i = 0; i < 4; i++)
        J.c[i] = mue_cx_div(J.c[i], d);
    return J;
}

/* Off-shell fermion flowing into the next vertex, Eq. (11.8):
 * i(pslash + m)/den (-i) Vslash (c_L P_L + c_R P_R) psi = (pslash + m) chi / den,
 * p the momentum along the fermion arrow on the internal line, den = p^2 - m^2. */
MUE_FN mue_spinor mue_amp_ffv_to_f(const mue_spinor *psi, const mue_cvec *V, mue_ffv_cpl g, mue_p4 p,
                                   double m, double den)
{
    mue_cx x0, x1, x2, x3; /* chi = (c_R V.sigma psi_R, c_L V.sigmabar psi_L) */
    mue_amp_sigma(V, 0, 0, psi->c[2], psi->c[3], &x0, &x1);
    mue_amp_sigma(V, 1, 0, psi->c[0], psi->c[1], &x2, &x3);
    x0 = mue_cx_mul(g.cr, x0), x1 = mue_cx_mul(g.cr, x1);
    x2 = mue_cx_mul(g.cl, x2), x3 = mue_cx_mul(g.cl, x3);
    mue_cvec P = mue_cvec_from_p4(p);
    mue_cx y0, y1, y2, y3; /* (p.sigma chi_R, p.sigmabar chi_L) */
    mue_amp_sigma(&P, 0, 0, x2, x3, &y0, &y1);
    mue_amp_sigma(&P, 1, 0, x0, x1, &y2, &y3);
    double id = 1.0 / den;
    mue_spinor o = {{mue_cx_scale(id, mue_cx_add(mue_cx_scale(m, x0), y0)),
                     mue_cx_scale(id, mue_cx_add(mue_cx_scale(m, x1), y1)),
                     mue_cx_scale(id, mue_cx_add(mue_cx_scale(m, x2), y2)),
                     mue_cx_scale(id, mue_cx_add(mue_cx_scale(m, x3), y3))}};
    return o;
}

/* Off-shell barred fermion flowing out of the previous vertex, Eq. (11.9):
 * psibar (-i) Vslash (c_L P_L + c_R P_R) i(pslash + m)/den = r (pslash + m)/den, p the
 * momentum along the fermion arrow on the internal line. */
MUE_FN mue_spinor mue_amp_ffv_to_fbar(const mue_spinor *a, const mue_cvec *V, mue_ffv_cpl g, mue_p4 p,
                                      double m, double den)
{
    mue_cx r0, r1, r2, r3; /* r = (c_L psibar_R V.sigmabar, c_R psibar_L V.sigma) */
    mue_amp_sigma(V, 1, 1, a->c[2], a->c[3], &r0, &r1);
    mue_amp_sigma(V, 0, 1, a->c[0], a->c[1], &r2, &r3);
    r0 = mue_cx_mul(g.cl, r0), r1 = mue_cx_mul(g.cl, r1);
    r2 = mue_cx_mul(g.cr, r2), r3 = mue_cx_mul(g.cr, r3);
    mue_cvec P = mue_cvec_from_p4(p);
    mue_cx y0, y1, y2, y3; /* (r_R p.sigmabar, r_L p.sigma) */
    mue_amp_sigma(&P, 1, 1, r2, r3, &y0, &y1);
    mue_amp_sigma(&P, 0, 1, r0, r1, &y2, &y3);
    double id = 1.0 / den;
    mue_spinor o = {{mue_cx_scale(id, mue_cx_add(mue_cx_scale(m, r0), y0)),
                     mue_cx_scale(id, mue_cx_add(mue_cx_scale(m, r1), y1)),
                     mue_cx_scale(id, mue_cx_add(mue_cx_scale(m, r2), y2)),
                     mue_cx_scale(id, mue_cx_add(mue_cx_scale(m, r3), y3))}};
    return o;
}

#endif
