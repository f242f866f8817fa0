/* mu-(p1) e-(p2) -> mu-(p3) e-(p4) gamma(k) at tree level, written as its four Feynman
 * diagrams with the amplitude layer (amplitudes.h), docs/physics.md Eq. (12.1): the photon
 * from the outgoing and the incoming muon (photon exchange q_e = p2 - p4), from the
 * outgoing and the incoming electron (q_mu = p1 - p3). Lepton masses kept. */
#ifndef MUE_MUEG_AMP_H
#define MUE_MUEG_AMP_H

#include "mue/amplitudes.h"

/* The momenta and the six denominators, the small ones from forms that keep their
 * digits (mue_mueg_kin_make, or the phase-space map's exact values). */
typedef struct {
    mue_p4 p1, p2, p3, p4, k;
    double p1k, p2k, p3k, p4k; /* p_i.k */
    double te, tm;             /* (p2 - p4)^2, (p1 - p3)^2 */
} mue_mueg_kin;

/* Denominators from the vectors: p_i.k through mue_p4_dot_massless; t from the momenta
 * as given (the map passes its exact t_e instead). */
MUE_FN mue_mueg_kin mue_mueg_kin_make(mue_p4 p1, mue_p4 p2, mue_p4 p3, mue_p4 p4, mue_p4 k,
                                      double mm, double me)
{
    mue_mueg_kin K;
    K.p1 = p1, K.p2 = p2, K.p3 = p3, K.p4 = p4, K.k = k;
    K.p1k = mue_p4_dot_massless(p1, mm, k);
    K.p2k = mue_p4_dot_massless(p2, me, k);
    K.p3k = mue_p4_dot_massless(p3, mm, k);
    K.p4k = mue_p4_dot_massless(p4, me, k);
    mue_p4 qe = mue_p4_sub(p2, p4), qm = mue_p4_sub(p1, p3);
    K.te = mue_p4_dot(qe, qe);
    K.tm = mue_p4_dot(qm, qm);
    return K;
}

/* The spin-summed (not averaged) |M|^2 of the whole process and of its two gauge-invariant
 * halves, photon from the muon line (|M_mu|^2) and from the electron line (|M_e|^2), in
 * units of e^6 (e = 1 in the vertices). eps_mode 0: the two photon helicities; 1: eps* -> k
 * (Ward identity: the result should vanish; the halves are then |k.M_mu|^2, |k.M_e|^2).
 * qe: the electron-line half enters as M_mu + qe M_e. A mu+ beam has qe = -1: flipping the
 * muon's charge leaves M_mu (two photons on the muon line) and flips M_e (one), so the
 * interference changes sign (C invariance of QED; Eq. 12.1b). */
MUE_FN double mue_mueg_msq_sum_q(const mue_mueg_kin *K, double mm, double me, int eps_mode, double qe,
                                 double *msq_mu, double *msq_e)
{
    const mue_ffv_cpl g = mue_ffv_cpl_lr(-1.0, -1.0); /* -i e Q gamma^mu, Q = -1, e = 1 */
    const mue_p4 P3k = mue_p4_add(K->p3, K->k), P1k = mue_p4_sub(K->p1, K->k);
    const mue_p4 P4k = mue_p4_add(K->p4, K->k), P2k = mue_p4_sub(K->p2, K->k);
    mue_spinor u1[2], ub3[2], u2[2], ub4[2];
    for (int h = 0; h < 2; h++) {
        u1[h] = mue_spinor_u(K->p1, mm, 2 * h - 1);
        ub3[h] = mue_spinor_ubar(K->p3, mm, 2 * h - 1);
        u2[h] = mue_spinor_u(K->p2, me, 2 * h - 1);
        ub4[h] = mue_spinor_ubar(K->p4, me, 2 * h - 1);
    }
    /* the exchanged photon seen from each line: -i g^{mu nu}/t times the current */
    mue_cvec Je[2][2], Jm[2][2];
    for (int a = 0; a < 2; a++)
        for (int b = 0; b < 2; b++) {
            Je[a][b] = mue_amp_ffv_to_v(&ub4[b], &u2[a], g, mue_p4_sub(K->p2, K->p4), 0.0, 0.0, K->te);
            Jm[a][b] = mue_amp_ffv_to_v(&ub3[b], &u1[a], g, mue_p4_sub(K->p1, K->p3), 0.0, 0.0, K->tm);
        }
    double sum = 0.0, smu = 0.0, se = 0.0;
    for (int pol = 0; pol < (eps_mode ? 1 : 2); pol++) {
        mue_cvec eps = eps_mode ? mue_cvec_from_p4(K->k) : mue_polarisation_out(K->k, 0.0, 2 * pol - 1);
        mue_spinor f3[2], f1[2], f4[2], f2[2]; /* the emitting lines off shell */
        for (int h = 0; h < 2; h++) {
            f3[h] = mue_amp_ffv_to_fbar(&ub3[h], &eps, g, P3k, mm, 2.0 * K->p3k);
            f1[h] = mue_amp_ffv_to_f(&u1[h], &eps, g, P1k, mm, -2.0 * K->p1k);
            f4[h] = mue_amp_ffv_to_fbar(&ub4[h], &eps, g, P4k, me, 2.0 * K->p4k);
            f2[h] = mue_amp_ffv_to_f(&u2[h], &eps, g, P2k, me, -2.0 * K->p2k);
        }
        /* each line's emission diagrams with the exchanged photon's index open, at the
         * line's 4 helicity pairs; the 16 sets contract them with the other line's */
        mue_cvec Cm[2][2], Ce[2][2];
        for (int a = 0; a < 2; a++)
            for (int b = 0; b < 2; b++) {
                Cm[a][b] = mue_amp_ffv_open(&f3[b], &u1[a], g);
                mue_cvec t = mue_amp_ffv_open(&ub3[b], &f1[a], g);
                mue_cvec_add_to(&Cm[a][b], &t);
                Ce[a][b] = mue_amp_ffv_open(&f4[b], &u2[a], g);
                t = mue_amp_ffv_open(&ub4[b], &f2[a], g);
                mue_cvec_add_to(&Ce[a][b], &t);
            }
        for (int h1 = 0; h1 < 2; h1++)
            for (int h3 = 0; h3 < 2; h3++)
                for (int h2 = 0; h2 < 2; h2++)
                    for (int h4 = 0; h4 < 2; h4++) {
                        mue_cx amu = mue_cvec_dot(&Cm[h1][h3], &Je[h2][h4]);
                        mue_cx ae = mue_cvec_dot(&Ce[h2][h4], &Jm[h1][h3]);
                        smu += mue_cx_abs2(amu);
                        se += mue_cx_abs2(ae);
                        sum += mue_cx_abs2(mue_cx_add(amu, mue_cx_scale(qe, ae)));
                    }
    }
    *msq_mu = smu;
    *msq_e = se;
    return sum;
}

/* The mu- beam's. */
MUE_FN double mue_mueg_msq_sum(const mue_mueg_kin *K, double mm, double me, int eps_mode, double *msq_mu,
                               double *msq_e)
{
    return mue_mueg_msq_sum_q(K, mm, me, eps_mode, 1.0, msq_mu, msq_e);
}

/* <|M|^2>, averaged over the four initial spins, e^2 = 4 pi alpha. */
MUE_FN double mue_mueg_msq(const mue_mueg_kin *K, double mm, double me, double alpha)
{
    double a, b, e2 = 4.0 * MUE_PI * alpha;
    return 0.25 * e2 * e2 * e2 * mue_mueg_msq_sum(K, mm, me, 0, &a, &b);
}

#endif
