/* |M|^2 of mu(p1) e(p2) -> mu(p3) e(p4) nu_l(k1) nubar_l(k2) at tree level in the
 * Standard Model, from the Feynman diagrams with the amplitude layer (amplitudes.h),
 * docs/physics.md Eqs. (13.10)-(13.13).
 *
 * Each charged line L (muon, electron) can emit the pair; the other line exchanges a
 * photon or a Z with it ("boson B from line b, momentum P_B = p_in,b - p_out,b"):
 *   NC_L : Z* -> nu nubar off the incoming or the outgoing lepton of L, B = gamma, Z
 *          (4 diagrams; every flavour)
 *   CC_L : for l the flavour of L only: l_in -> nu_l W-, W- -> l_out nubar_l, with B on
 *          l_in, on the W (WWB vertex), on l_out, and for B = Z also on nu_l or nubar_l
 *          (3 + 5 diagrams); relative sign -1 to NC (one exchange of external fermions)
 * So 8 diagrams for nu_tau, 16 for nu_e and nu_mu (40 in all). The muon-line part A =
 * NC_mu + CC_mu and the electron-line part B = NC_e + CC_e also give the map's channel
 * weights (muenn.h). Massless neutrinos: only nu_L and nubar_R couple. Higgs exchange
 * (Yukawa couplings m_l/v) is left out: O(m_mu m_e/v^2) ~ 1e-12 of the Z exchange. */
#ifndef MUE_MUENN_AMP_H
#define MUE_MUENN_AMP_H

#include "mue/ew.h"
#include "mue/vertices_cms.h"
#include "mue/vertices_vvv.h"

/* One charged line: its spinors for both helicities, momenta and photon virtuality,
 * along the fermion flow. An antiparticle line (the mu+ beam) is the same line with the
 * flow reversed: it enters as a fermion of momentum -p_out and leaves as one of -p_in,
 * with v(p_out) and vbar(p_in) for its spinors, so every diagram below holds for it as
 * written (docs/physics.md Eq. 13.13a). */
typedef struct {
    double m;
    mue_p4 pin, pout, P;      /* along the flow; P = pin - pout, handed to the other line */
    double t;                 /* P^2, exact from the map where it can be */
    mue_spinor u[2], ub[2];   /* u(pin, h), ubar(pout, h) (v(p_out), vbar(p_in)); 0: h = -1 */
} mue_muenn_line;

typedef struct {
    mue_muenn_line line[2];   /* 0 muon, 1 electron */
    mue_spinor ubk1, vk2;     /* nu_L(k1), nubar_R(k2) */
    mue_p4 k1, k2, Q;
    mue_ew ew;
    mue_ffv_cpl c_a, c_zl[2], c_zn, c_w; /* photon, Z to l (per line), Z to nu, W */
    double s_vvv;             /* sign of the triple-gauge vertex (the photon's Ward identity) */
} mue_muenn_kin;

/* Amplitudes i M of one helicity set: part A (muon line) and B (electron line), the
 * neutral-current and the charged-current pieces apart. */
typedef struct {
    mue_cx nc[2], cc[2];
} mue_muenn_amps;

/* The line of a particle of mass m from pin to pout (lab momenta of the incoming and the
 * outgoing one); anti: of its antiparticle */
MUE_FN void mue_muenn_line_make(mue_muenn_line *L, double m, mue_p4 pin, mue_p4 pout, double t, int anti)
{
    const mue_p4 zero = mue_p4_make(0.0, 0.0, 0.0, 0.0);
    L->m = m;
    L->pin = anti ? mue_p4_sub(zero, pout) : pin;
    L->pout = anti ? mue_p4_sub(zero, pin) : pout;
    L->P = mue_p4_sub(pin, pout);
    L->t = t;
    for (int i = 0; i < 2; i++) {
        L->u[i] = anti ? mue_spinor_v(pout, m, 2 * i - 1) : mue_spinor_u(pin, m, 2 * i - 1);
        L->ub[i] = anti ? mue_spinor_vbar(pin, m, 2 * i - 1) : mue_spinor_ubar(pout, m, 2 * i - 1);
    }
}

/* mu_plus: a mu+ beam (its line an antiparticle's, mue_muenn_line) */
MUE_FN void mue_muenn_kin_make(mue_muenn_kin *K, double alpha, double mm, double me, mue_p4 p1,
                               mue_p4 p2, mue_p4 p3, mue_p4 p4, mue_p4 k1, mue_p4 k2, double t_mu,
                               double t_e, int mu_plus)
{
    mue_muenn_line_make(&K->line[0], mm, p1, p3, t_mu, mu_plus);
    mue_muenn_line_make(&K->line[1], me, p2, p4, t_e, 0);
    K->k1 = k1;
    K->k2 = k2;
    K->Q = mue_p4_add(k1, k2);
    K->ubk1 = mue_spinor_ubar(k1, 0.0, -1);
    K->vk2 = mue_spinor_v(k2, 0.0, 1);
    K->ew = mue_ew_make(alpha);
    const mue_ew *w = &K->ew;
    K->c_a = mue_ffv_cpl_lr(-w->e, -w->e);                              /* e Q, Q = -1 */
    K->c_zl[0] = mue_ffv_cpl_lr(w->gz * (-0.5 + w->sw2), w->gz * w->sw2); /* gz (T3 - Q s^2) */
    K->c_zl[1] = K->c_zl[0];
    K->c_zn = mue_ffv_cpl_lr(0.5 * w->gz, 0.0);
    K->c_w = mue_ffv_cpl_lr(w->gw * 0.70710678118654752440, 0.0);
    K->s_vvv = 1.0;
}

MUE_FN mue_cvec mue_muenn_cvec_zero(void)
{
    mue_cvec z;
    for (int i = 0; i < 4; i++)
        z.c[i] = mue_cx_real(0.0);
    return z;
}

/* What line b sends to the other line at its helicities (hbin, hbout): the photon and
 * the Z (Eq. (13.11)). ward = 1 sends its momentum P_B instead and no Z: each part then
 * vanishes by the photon's Ward identity (tests); ward = 2 a vector of the same size in
 * other directions, for the scale. */
MUE_FN void mue_muenn_sends(const mue_muenn_kin *K, int b, int hbin, int hbout, int ward, mue_cvec V[2])
{
    const mue_muenn_line *B = &K->line[b];
    if (ward) {
        const mue_p4 P = B->P;
        V[0] = mue_cvec_from_p4(ward == 1 ? P : mue_p4_make(P.z, P.e, P.x, P.y));
        V[1] = mue_muenn_cvec_zero();
        return;
    }
    V[0] = mue_amp_ffv_to_v(&B->ub[hbout], &B->u[hbin], K->c_a, B->P, 0.0, 0.0, B->t);
    V[1] = mue_amp_ffv_to_v_cms(&B->ub[hbout], &B->u[hbin], K->c_zl[b], B->P, K->ew.mz2_re,
                                K->ew.mz2_im);
}

/* Every diagram is linear in the boson the other line sends, so line a at helicities
 * (hin, hout) is two currents per boson (0 photon, 1 Z), contracted with it: i M's
 * neutral-current part nc = sum_B jnc[B].V_B and charged-current part cc = sum_B
 * jcc[B].V_B. The 16 helicity sets then share 4 sets of currents per line (and 4 of
 * the other line's bosons) instead of building every diagram 16 times. */
typedef struct {
    mue_cvec jnc[2], jcc[2];
} mue_muenn_currents;

/* What line a's diagrams need of one of its legs: at l_in's helicity, the spinor after
 * the Z* vertex (fin), the W- it emits (Wa) and the spinor between B and that W
 * (eta); at l_out's, the same on its side (fout, Wb, xi). */
typedef struct {
    mue_spinor fin[2], eta[2], fout[2], xi[2];
    mue_cvec Wa[2], Wb[2];
} mue_muenn_legs;

/* Line a's legs, Eqs. (13.11)-(13.12), the diagrams as listed above:
 *   NC: Z* -> nu nubar off l_in (pin - Q after it) or off l_out (pout + Q before it);
 *   CC: W- from l_in -> nu (kA = pin - k1 into the WWB vertex), W- into l_out nubar
 *       (kB = pout + k2 out of it); B on l_in (p1b = pin + P_B), on l_out (p3b).
 * Each diagram's chain is cut at the vertex of B: the spinors on either side of it are
 * built first (mue_amp_ffv_to_f/_fbar through the propagator next to it). */
MUE_FN void mue_muenn_legs_make(const mue_muenn_kin *K, const mue_cvec *Zn, int a, mue_muenn_legs *g)
{
    const mue_ew *w = &K->ew;
    const mue_muenn_line *A = &K->line[a], *B = &K->line[1 - a];
    const mue_p4 pi = mue_p4_sub(A->pin, K->Q), po = mue_p4_add(A->pout, K->Q);
    const mue_p4 kA = mue_p4_sub(A->pin, K->k1), kB = mue_p4_add(A->pout, K->k2);
    const mue_p4 p1b = mue_p4_add(A->pin, B->P), p3b = mue_p4_sub(A->pout, B->P);
    const double dpi = mue_amp_den(pi, A->m), dpo = mue_amp_den(po, A->m);
    const double d1b = mue_amp_den(p1b, A->m), d3b = mue_amp_den(p3b, A->m);
    for (int h = 0; h < 2; h++) {
        g->fin[h] = mue_amp_ffv_to_f(&A->u[h], Zn, K->c_zl[a], pi, A->m, dpi);
        g->fout[h] = mue_amp_ffv_to_fbar(&A->ub[h], Zn, K->c_zl[a], po, A->m, dpo);
        g->Wa[h] = mue_amp_ffv_to_v_cms(&K->ubk1, &A->u[h], K->c_w, kA, w->mw2_re, w->mw2_im);
        g->Wb[h] = mue_amp_ffv_to_v_cms(&A->ub[h], &K->vk2, K->c_w, kB, w->mw2_re, w->mw2_im);
        /* nubar_k1 Wb-slash S(p1b) ..., ... S(p3b) Wa-slash v_k2 */
        g->xi[h] = mue_amp_ffv_to_fbar(&K->ubk1, &g->Wb[h], K->c_w, p1b, A->m, d1b);
        g->eta[h] = mue_amp_ffv_to_f(&K->vk2, &g->Wa[h], K->c_w, p3b, A->m, d3b);
    }
}

/* Line a's currents at (hin, hout) from its legs: the NC diagrams, and the CC ones with
 * B on l_in, on l_out, on the W (W- in with kA, W+ in with -kB, B in with P_B) and, for
 * B = Z, on nu_l (k1 - P_B before it) or on nubar_l (P_B - k2 after it); sign -1 to NC. */
MUE_FN void mue_muenn_line_currents(const mue_muenn_kin *K, const mue_muenn_legs *g, int a, int hin,
                                    int hout, mue_muenn_currents *j)
{
    const mue_ew *w = &K->ew;
    const mue_muenn_line *A = &K->line[a], *B = &K->line[1 - a];
    const mue_spinor *uin = &A->u[hin], *ubout = &A->ub[hout];
    const mue_ffv_cpl cb[2] = {K->c_a, K->c_zl[a]};
    /* the layer's vertex is +i g [...] with g_WWgamma = e Q_W- = -e, g_WWZ = -g c_W
     * (docs/physics.md Eq. (11.10)); s_vvv = -1 flips it (the tests' failing case) */
    const double gvvv[2] = {-K->s_vvv * w->e, -K->s_vvv * w->gw * w->cw};
    const mue_p4 kA = mue_p4_sub(A->pin, K->k1), kB = mue_p4_add(A->pout, K->k2);
    const mue_cvec *Wa = &g->Wa[hin], *Wb = &g->Wb[hout];
    mue_cvec G = mue_amp_vvv_open(Wa, kA, Wb, mue_p4_sub(mue_p4_make(0, 0, 0, 0), kB), B->P);
    mue_cvec t[2];
    mue_amp_ffv_open2(ubout, &g->fin[hin], cb[0], cb[1], &j->jnc[0], &j->jnc[1]);
    mue_amp_ffv_open2(&g->fout[hout], uin, cb[0], cb[1], &t[0], &t[1]);
    for (int b = 0; b < 2; b++)
        mue_cvec_add_to(&j->jnc[b], &t[b]);
    mue_amp_ffv_open2(&g->xi[hout], uin, cb[0], cb[1], &j->jcc[0], &j->jcc[1]);
    mue_amp_ffv_open2(ubout, &g->eta[hin], cb[0], cb[1], &t[0], &t[1]);
    for (int b = 0; b < 2; b++) {
        mue_cvec_add_to(&j->jcc[b], &t[b]);
        for (int i = 0; i < 4; i++) /* i g Gamma */
            j->jcc[b].c[i] = mue_cx_add(j->jcc[b].c[i], mue_cx_mul_i(mue_cx_scale(gvvv[b], G.c[i])));
    }
    mue_p4 n1 = mue_p4_sub(K->k1, B->P), n2 = mue_p4_sub(B->P, K->k2);
    mue_spinor zeta = mue_amp_ffv_to_f(uin, Wb, K->c_w, n1, 0.0, mue_amp_den(n1, 0.0));
    mue_spinor omega = mue_amp_ffv_to_fbar(ubout, Wa, K->c_w, n2, 0.0, mue_amp_den(n2, 0.0));
    t[0] = mue_amp_ffv_open(&K->ubk1, &zeta, K->c_zn);
    mue_cvec_add_to(&j->jcc[1], &t[0]);
    t[0] = mue_amp_ffv_open(&omega, &K->vk2, K->c_zn);
    mue_cvec_add_to(&j->jcc[1], &t[0]);
    for (int b = 0; b < 2; b++)
        for (int i = 0; i < 4; i++)
            j->jcc[b].c[i] = mue_cx_neg(j->jcc[b].c[i]);
}

/* Line a's parts of i M: its currents against what the other line sends */
MUE_FN void mue_muenn_contract(const mue_muenn_currents *j, const mue_cvec V[2], mue_cx *nc, mue_cx *cc)
{
    *nc = mue_cx_add(mue_cvec_dot(&j->jnc[0], &V[0]), mue_cvec_dot(&j->jnc[1], &V[1]));
    *cc = mue_cx_add(mue_cvec_dot(&j->jcc[0], &V[0]), mue_cvec_dot(&j->jcc[1], &V[1]));
}

/* The amplitudes at helicities h[4] (0: -1, 1: +1) of mu_in, mu_out, e_in, e_out; ward
 * as mue_muenn_sends. */
MUE_FN void mue_muenn_amps_at(const mue_muenn_kin *K, const mue_cvec *Zn, const int h[4],
                              int ward, mue_muenn_amps *out)
{
    for (int a = 0; a < 2; a++) {
        mue_muenn_legs g;
        mue_muenn_currents j;
        mue_cvec V[2];
        mue_muenn_legs_make(K, Zn, a, &g);
        mue_muenn_line_currents(K, &g, a, h[2 * a], h[2 * a + 1], &j);
        mue_muenn_sends(K, 1 - a, h[2 * (1 - a)], h[2 * (1 - a) + 1], ward, V);
        mue_muenn_contract(&j, V, &out->nc[a], &out->cc[a]);
    }
}

/* Spin-averaged sums for the flavours of `flavours` (bit 0 nu_e, 1 nu_mu, 2 nu_tau):
 * *msq = sum_l <|M_l|^2>, *part[0] = sum_l <|A_l|^2>, *part[1] = sum_l <|B_l|^2>.
 * Each line's currents and bosons at its 4 helicity pairs, then the 16 sets. */
MUE_FN void mue_muenn_msq(const mue_muenn_kin *K, int flavours, double *msq, double part[2])
{
    const mue_ew *w = &K->ew;
    mue_cvec Zn = mue_amp_ffv_to_v_cms(&K->ubk1, &K->vk2, K->c_zn, K->Q, w->mz2_re, w->mz2_im);
    mue_muenn_currents j[2][4];
    mue_cvec V[2][4][2];
    for (int a = 0; a < 2; a++) {
        mue_muenn_legs g;
        mue_muenn_legs_make(K, &Zn, a, &g);
        for (int hh = 0; hh < 4; hh++) {
            mue_muenn_line_currents(K, &g, a, hh & 1, hh >> 1, &j[a][hh]);
            mue_muenn_sends(K, a, hh & 1, hh >> 1, 0, V[a][hh]);
        }
    }
    double s = 0.0, pa = 0.0, pb = 0.0;
    for (int i = 0; i < 16; i++) {
        const int hm = i & 3, he = i >> 2; /* (mu_in, mu_out), (e_in, e_out) */
        mue_muenn_amps m;
        mue_muenn_contract(&j[0][hm], V[1][he], &m.nc[0], &m.cc[0]);
        mue_muenn_contract(&j[1][he], V[0][hm], &m.nc[1], &m.cc[1]);
        for (int l = 0; l < 3; l++) {
            if (!(flavours >> l & 1))
                continue;
            /* nu_e: W on the electron line; nu_mu: on the muon line; nu_tau: none */
            mue_cx A = l == 1 ? mue_cx_add(m.nc[0], m.cc[0]) : m.nc[0];
            mue_cx B = l == 0 ? mue_cx_add(m.nc[1], m.cc[1]) : m.nc[1];
            s += mue_cx_abs2(mue_cx_add(A, B));
            pa += mue_cx_abs2(A);
            pb += mue_cx_abs2(B);
        }
    }
    *msq = 0.25 * s;
    part[0] = 0.25 * pa;
    part[1] = 0.25 * pb;
}

#endif
