/* The 4-body map of mu(p1) e(p2) -> mu(p3) e(p4) nu(k1) nubar(k2): the nu nubar pair as
 * one system Q = k1 + k2 of mass q, produced like the signal's Z' of mass q (the 3-body
 * map of zprime.h), then its isotropic two-body decay. docs/physics.md Eqs. (13.1)-(13.3).
 *
 *   x0     -> q^2 = q2_max x0, flat: dsigma/dq^2 tends to a constant as q -> 0 (the
 *             axial current's divergence, 2 m_l times a pseudoscalar, is not suppressed by
 *             q^2), so a density vanishing there would give weights of unbounded variance
 *   x1..x4 -> the 3-body map of zprime.h with m_Z' = q
 *   x5, x6 -> cos and azimuth of k1 in the Q rest frame
 *   x7     -> channel: below 1/2 the pair is mapped as emitted by the muon (the signal's
 *             map as it is), above as emitted by the electron (the same map with the
 *             roles of the muon and the electron exchanged); the weight shares each
 *             point between the channels (muenn.h), so the sum is the cross section
 * dPhi_4 = dPhi_3(s; q) dq^2/(2 pi) dPhi_2,  dPhi_2 = dOmega/(32 pi^2)   (massless nu). */
#ifndef MUE_MUENN_PS_H
#define MUE_MUENN_PS_H

#include "mue/zprime.h"

#define MUE_MUENN_PS_NDIM 8
/* bits of the flavour input (muenn.h, MUE_MUENN_FLAVOURS) */
enum { MUE_NU_E = 1, MUE_NU_MU = 2, MUE_NU_TAU = 4, MUE_NU_ALL = 7 };

/* The PDG id of the event's neutrino: the flavour selected, or nu_e standing for the
 * flavours summed (they are invisible, and the event's weight holds the sum). */
MUE_FN int mue_muenn_nu_pid(int flavours)
{
    return flavours == MUE_NU_MU ? 14 : flavours == MUE_NU_TAU ? 16 : 12;
}

enum { MUE_MUENN_CH_MUON = 0, MUE_MUENN_CH_ELECTRON = 1 };

/* The flavours summed: the process's one model input (muenn.h), as bits. */
enum { MUE_MUENN_FLAVOURS };
MUE_FN int mue_muenn_flavours(const mue_params *p) { return (int)p->input[MUE_MUENN_FLAVOURS]; }

typedef struct {
    int open;
    double q2_max;
    /* channel muon: the run's parameters; channel electron: masses exchanged and the
     * beam seen from the muon, in a frame rotated by pi about y (so the electron moves
     * along +z), cuts left to the selection */
    mue_params par[2];
    mue_collision col[2];
    double tau_floor; /* the smallest -t on either line (docs/physics.md Eq. (4.14)) */
} mue_muenn_ps_unit;

/* What the weight needs: the momenta in the CM frame, and both photon virtualities
 * t_e = (p2 - p4)^2, t_mu = (p1 - p3)^2, the one of the channel's map exact. */
typedef struct {
    int channel;
    mue_p4 p3, p4, k1, k2;
    double t_e, t_mu;
} mue_muenn_ps_point;

/* Always 1: cuts that leave no phase space give open = 0 (a zero cross section). */
MUE_FN int mue_muenn_ps_prepare(const mue_params *p, const mue_collision *c, mue_muenn_ps_unit *u)
{
    /* the largest q: the signal's largest M_X (cuts included) with a massless Z' */
    mue_params pz = *p;
    pz.input[MUE_ZPRIME_MASS] = 1e-9 * c->rs;
    mue_zprime_unit z;
    const char *why;
    mue_zprime_prepare(&pz, c, &z, &why);
    u->open = z.open;
    double qmax = sqrt(p->m_mu * p->m_mu + z.d1_hi) - p->m_mu;
    u->q2_max = u->open && qmax > 0.0 ? qmax * qmax : 0.0;
    u->open = u->q2_max > 0.0;
    u->tau_floor = z.tau_floor;
    u->par[0] = *p;
    u->col[0] = *c;
    u->par[1] = *p;
    u->par[1].m_mu = p->m_e;
    u->par[1].m_e = p->m_mu;
    u->par[1].cuts.enabled = 0;
    /* the same s with the muon as the target at rest */
    double e_beam = (c->s - p->m_mu * p->m_mu - p->m_e * p->m_e) / (2.0 * p->m_mu);
    u->par[1].e_beam = e_beam;
    u->col[1] = mue_collision_make(e_beam, p->m_e, p->m_mu);
    return 1;
}

/* The rotation by pi about y that takes the electron channel's frame to the CM frame. */
MUE_FN mue_p4 mue_muenn_flip(mue_p4 a) { return mue_p4_make(a.e, -a.x, a.y, -a.z); }

/* -t of a particle at rest in the lab that leaves with lab energy E, momentum P:
 * 2 m (E - m) = 2 m P^2/(E + m), no cancellation near rest */
MUE_FN double mue_muenn_recoil_tau(const mue_collision *c, mue_p4 p, double m)
{
    double pp, pm;
    mue_p4_lightcone(p, m, &pp, &pm);
    pp *= c->exp_y;
    pm *= c->exp_my;
    double E = 0.5 * (pp + pm), pz = 0.5 * (pp - pm);
    return 2.0 * m * (p.x * p.x + p.y * p.y + pz * pz) / (E + m);
}

/* x in (0,1)^8 -> event (muon, electron, nu, nubar) in the CM frame and the point;
 * returns dPhi_4/dx (GeV^4), 0 outside. */
MUE_FN double mue_muenn_ps_map(const mue_muenn_ps_unit *u, const double *x, mue_event *ev,
                               mue_muenn_ps_point *pt)
{
    if (!u->open)
        return 0.0;
    const int ch = x[7] < 0.5 ? MUE_MUENN_CH_MUON : MUE_MUENN_CH_ELECTRON;
    /* x0: q^2 = q2_max x0, Eq. (13.2) */
    double q2 = u->q2_max * x[0];
    if (!(q2 > 0.0))
        return 0.0;
    double jac_q2 = u->q2_max, q = sqrt(q2);

    /* x1..x4: mu e -> mu e Q with the signal's map at m_Z' = q, in the channel's frame */
    mue_params pz = u->par[ch];
    pz.input[MUE_ZPRIME_MASS] = q;
    mue_zprime_unit z;
    const char *why;
    mue_zprime_prepare(&pz, &u->col[ch], &z, &why);
    z.tau_floor = u->tau_floor;
    mue_event e3;
    mue_zprime_inv zi;
    double dphi3 = mue_zprime_phase_space(&pz, &u->col[ch], &z, x + 1, &e3, &zi);
    if (dphi3 == 0.0)
        return 0.0;
    mue_p4 a = e3.p[MUE_EV_MUON], b = e3.p[MUE_EV_ELECTRON], Q = e3.p[2];

    /* x5, x6: k1 in the Q rest frame, isotropic */
    double c5 = 2.0 * x[5] - 1.0, s5 = sqrt(fmax(0.0, (1.0 - c5) * (1.0 + c5)));
    double cphi, sphi, jac_phi = mue_ps_azimuth(x[6], &cphi, &sphi);
    double h = 0.5 * q;
    mue_boost bq = mue_boost_make(Q, 1.0 / q);
    mue_p4 k1 = mue_boost_apply(&bq, mue_p4_make(h, h * s5 * cphi, h * s5 * sphi, h * c5), 1.0);
    mue_p4 k2 = mue_p4_sub(Q, k1);

    if (ch == MUE_MUENN_CH_MUON) {
        pt->p3 = a;
        pt->p4 = b;
        pt->k1 = k1;
        pt->k2 = k2;
        pt->t_e = zi.t;
        mue_p4 d = mue_p4_sub(u->col[0].p1, a);
        pt->t_mu = mue_p4_dot(d, d);
        ev->tau = e3.tau;
    } else {
        pt->p3 = mue_muenn_flip(b);
        pt->p4 = mue_muenn_flip(a);
        pt->k1 = mue_muenn_flip(k1);
        pt->k2 = mue_muenn_flip(k2);
        pt->t_mu = zi.t;
        ev->tau = mue_muenn_recoil_tau(&u->col[0], pt->p4, u->par[0].m_e);
        pt->t_e = -ev->tau;
    }
    pt->channel = ch;
    ev->n = 4;
    mue_event_set(ev, MUE_EV_MUON, MUE_PID_MUON, u->par[0].m_mu, pt->p3);
    mue_event_set(ev, MUE_EV_ELECTRON, MUE_PID_ELECTRON, u->par[0].m_e, pt->p4);
    const int nu = mue_muenn_nu_pid(mue_muenn_flavours(&u->par[0]));
    mue_event_set(ev, 2, nu, 0.0, pt->k1);
    mue_event_set(ev, 3, -nu, 0.0, pt->k2);
    /* Eq. (13.1): dPhi_3 dq^2/(2 pi) dOmega/(32 pi^2); 2 dcos dphi, and 2 for the channel */
    const double norm = 2.0 * 2.0 / (2.0 * MUE_PI * 32.0 * MUE_PI * MUE_PI);
    return dphi3 * jac_q2 * jac_phi * norm;
}

#endif
