/* Test-only reference for mu e -> mu e nu nubar in the Fermi (contact) theory, integrated
 * over the neutrino pair: docs/physics.md Eqs. (13.14)-(13.16). Built on the explicit Dirac
 * algebra of me_dirac.h (4x4 matrices, Dirac representation, spins summed numerically);
 * shares nothing with the amplitude layer or muenn_amp.h.
 *
 * Below the W and Z masses the pair couples through
 *   L = -(G_F/sqrt2) [nubar_l gamma_a (1 - gamma5) nu_l] sum_f [fbar gamma^a (gV_lf - gA_lf gamma5) f],
 *   gV_lf = -1/2 + 2 s_W^2 + delta_lf,   gA_lf = -1/2 + delta_lf        (W exchange Fierzed),
 * and the sum over the pair's spins and directions is the spectral tensor
 *   int dPhi_2 sum L^a L^b* = (8/3)(Q^a Q^b - q^2 g^ab)/(8 pi).
 * So int dPhi_2 <|M|^2> = (G_F^2/2) (1/(3 pi)) (1/4) sum_spins H_a H_b* (Q^a Q^b - q^2 g^ab)
 * with H^a the production of the current on either line, the photon exchanged with the
 * other. The widths enter as the propagators at q^2 = 0: the Z part times
 * M_Z^2/(M_Z^2 - i M_Z Gamma_Z), the W part times M_W^2/(M_W^2 - i M_W Gamma_W), the
 * full calculation's zero-momentum limit. */
#ifndef MUE_TESTS_ME_CONTACT_H
#define MUE_TESTS_ME_CONTACT_H

#include "me_dirac.h"
#include "mue/ew.h"

DIRAC_FN dmat dmat_mul(dmat x, dmat y)
{
    dmat m = dmat_zero();
    for (int i = 0; i < 4; i++)
        for (int k = 0; k < 4; k++)
            for (int j = 0; j < 4; j++)
                m.a[i][j] += x.a[i][k] * y.a[k][j];
    return m;
}

typedef struct {
    dmat G[4], G5, GG5[4]; /* gamma^a gamma5 */
    dcx gv[3][2], ga[3][2]; /* per flavour l and line f, widths included */
    mue_p4 pin[2], pout[2], Q; /* along the fermion flow (an antiparticle: -p_out, -p_in) */
    mue_p4 ext_in[2], ext_out[2]; /* the particles' own momenta */
    int anti[2];                  /* line f is an antiparticle's (the mu+ beam) */
    double m[2], t[2]; /* t[f] = (pin_f - pout_f)^2 */
    double q2, e2;
} contact_ctx;

/* The complex factors rho = M^2/(M^2 - i M Gamma) of the propagators at zero momentum. */
DIRAC_FN dcx contact_rho(double M, double W) { return M * M / (M * M - I * M * W); }

/* line f = 0 (muon), 1 (electron); flavour l = 0 (e), 1 (mu), 2 (tau) */
DIRAC_FN contact_ctx contact_setup(mue_p4 p1, mue_p4 p2, mue_p4 p3, mue_p4 p4, mue_p4 Q, double mm,
                                   double me, double alpha, double t_mu, double t_e, int mu_plus)
{
    contact_ctx c;
    dirac_gammas(c.G);
    c.G5 = dmat_mul(dmat_mul(c.G[0], c.G[1]), dmat_mul(c.G[2], c.G[3]));
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++)
            c.G5.a[i][j] *= I;
    for (int a = 0; a < 4; a++)
        c.GG5[a] = dmat_mul(c.G[a], c.G5);
    double cw = MUE_MW / MUE_MZ, sw2 = 1.0 - cw * cw;
    dcx rz = contact_rho(MUE_MZ, MUE_WZ), rw = contact_rho(MUE_MW, MUE_WW);
    for (int l = 0; l < 3; l++)
        for (int f = 0; f < 2; f++) {
            int own = (l == 0 && f == 1) || (l == 1 && f == 0); /* W on this line */
            c.gv[l][f] = rz * (-0.5 + 2.0 * sw2) + (own ? rw : 0.0);
            c.ga[l][f] = rz * (-0.5) + (own ? rw : 0.0);
        }
    const mue_p4 zero = mue_p4_make(0.0, 0.0, 0.0, 0.0);
    c.ext_in[0] = p1, c.ext_out[0] = p3, c.m[0] = mm, c.t[0] = t_mu, c.anti[0] = mu_plus;
    c.ext_in[1] = p2, c.ext_out[1] = p4, c.m[1] = me, c.t[1] = t_e, c.anti[1] = 0;
    for (int f = 0; f < 2; f++) {
        c.pin[f] = c.anti[f] ? mue_p4_sub(zero, c.ext_out[f]) : c.ext_in[f];
        c.pout[f] = c.anti[f] ? mue_p4_sub(zero, c.ext_in[f]) : c.ext_out[f];
    }
    c.Q = Q;
    c.q2 = mue_p4_dot(Q, Q);
    c.e2 = 4.0 * MUE_PI * alpha;
    return c;
}

/* The vector (k = 0) and axial (k = 1) currents of line f, HV^a and HA^a, at spins
 * (s_in, s_out) of f and (r_in, r_out) of the other line:
 * ubar_out [G^a S(pout + Q) gamma^r + gamma^r S(pin - Q) G^a] u_in (e^2/t_o) j_r,
 * G^a = gamma^a or gamma^a gamma5. */
/* The spinor line f starts its flow with (u(p_in), or v(p_out) for an antiparticle), and
 * the one it ends with (ubar(p_out), or vbar(p_in)) */
DIRAC_FN dvec contact_first(const contact_ctx *c, int f, int s)
{
    return c->anti[f] ? dirac_v(c->ext_out[f], c->m[f], s) : dirac_u(c->ext_in[f], c->m[f], s);
}

DIRAC_FN dvec contact_last(const contact_ctx *c, int f, int s)
{
    return c->anti[f] ? dirac_vbar(c->ext_in[f], c->m[f], s) : dirac_ubar(c->ext_out[f], c->m[f], s);
}

DIRAC_FN void contact_HVA(const contact_ctx *c, int f, int s_in, int s_out, int r_in, int r_out,
                          dcx H[2][4])
{
    int o = 1 - f;
    dvec u = contact_first(c, f, s_in), ub = contact_last(c, f, s_out);
    dvec uo = contact_first(c, o, r_in), ubo = contact_last(c, o, r_out);
    dcx j[4];
    for (int r = 0; r < 4; r++)
        j[r] = dvec_sandwich(ubo, c->G[r], uo) * c->e2 / c->t[o];
    mue_p4 a = mue_p4_add(c->pout[f], c->Q), b = mue_p4_sub(c->pin[f], c->Q);
    double m2 = c->m[f] * c->m[f];
    dmat Sa = dmat_axpy(dirac_slash(c->G, a), 1.0, dmat_scaled_unit(c->m[f]));
    dmat Sb = dmat_axpy(dirac_slash(c->G, b), 1.0, dmat_scaled_unit(c->m[f]));
    double da = mue_p4_dot(a, a) - m2, db = mue_p4_dot(b, b) - m2;
    dmat js = dirac_slash_c(c->G, j); /* gamma^r j_r */
    dvec col = dmat_col(Sa, dmat_col(js, u));       /* S(pout + Q) jslash u */
    dvec row = dvec_row_mat(dvec_row_mat(ub, js), Sb); /* ubar jslash S(pin - Q) */
    for (int al = 0; al < 4; al++) {
        H[0][al] = dvec_sandwich(ub, c->G[al], col) / da + dvec_sandwich(row, c->G[al], u) / db;
        H[1][al] = dvec_sandwich(ub, c->GG5[al], col) / da + dvec_sandwich(row, c->GG5[al], u) / db;
    }
}

/* H_a H_b* (Q^a Q^b - q^2 g^ab) */
DIRAC_FN double contact_T(const contact_ctx *c, const dcx H[4])
{
    const dcx Qc[4] = {c->Q.e, c->Q.x, c->Q.y, c->Q.z};
    dcx qh = dirac_contract(Qc, H);
    double hh = creal(H[0] * conj(H[0]));
    for (int a = 1; a < 4; a++)
        hh -= creal(H[a] * conj(H[a]));
    return creal(qh * conj(qh)) - c->q2 * hh;
}

/* int dPhi_2 <|M|^2> of each flavour, Eq. (13.16), msq[l]; parts[l][f]: the same from
 * line f alone. */
DIRAC_FN void contact_msq(const contact_ctx *c, double msq[3], double parts[3][2])
{
    for (int l = 0; l < 3; l++)
        msq[l] = parts[l][0] = parts[l][1] = 0.0;
    for (int i = 0; i < 16; i++) {
        int s1 = i & 1, s3 = i >> 1 & 1, s2 = i >> 2 & 1, s4 = i >> 3 & 1;
        dcx Hm[2][4], He[2][4];
        contact_HVA(c, 0, s1, s3, s2, s4, Hm);
        contact_HVA(c, 1, s2, s4, s1, s3, He);
        for (int l = 0; l < 3; l++) {
            dcx H[4], A[4], B[4];
            for (int a = 0; a < 4; a++) {
                A[a] = c->gv[l][0] * Hm[0][a] - c->ga[l][0] * Hm[1][a];
                B[a] = c->gv[l][1] * He[0][a] - c->ga[l][1] * He[1][a];
                H[a] = A[a] + B[a];
            }
            msq[l] += contact_T(c, H);
            parts[l][0] += contact_T(c, A);
            parts[l][1] += contact_T(c, B);
        }
    }
    const double norm = 0.5 * MUE_GF * MUE_GF / (3.0 * MUE_PI) * 0.25;
    for (int l = 0; l < 3; l++) {
        msq[l] *= norm;
        parts[l][0] *= norm;
        parts[l][1] *= norm;
    }
}

#endif
