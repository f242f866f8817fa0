/* The radiative unit, mu(p1) e(p2) -> mu(p3) e(p4) gamma(k): |M|^2 from its four diagrams
 * (mueg_amp.h) and a two-channel phase space, docs/physics.md section 12.
 *
 * Channel c = 0 (photon from the muon line) is the signal's map with a massless k
 * (zprime.h; Eqs. (4.2)-(4.8)): x0 -> D = 2 p3.k (final-state collinear pole), x1 -> tau_e =
 * -(p2 - p4)^2 (photon pole), x2 -> 2 p1.k (initial-state pole), x3 -> azimuth. Channel 1
 * (photon from the electron line) is the same map with the roles of the lines swapped:
 * D = 2 p4.k, tau = -(p1 - p3)^2, 2 p2.k. x4 picks the channel (VEGAS adapts the split).
 * A point of channel c carries the weight alpha_c = |M_c|^2 / (|M_mu|^2 + |M_e|^2) of the
 * gauge-invariant halves of (12.1): a partition of unity, so the channels add to sigma,
 * Eq. (12.5).
 *
 * The soft photon makes sigma infinite: every point needs a lab photon energy above
 * eg_min, the user's --egamma-min or, when larger, the floor that cuts (i)+(ii) imply
 * (Eq. (12.6): E_e + E_gamma >= E_e^min(theta_mu,min), E_e < E_e,max). With neither,
 * prepare refuses. */
#ifndef MUE_MUEG_H
#define MUE_MUEG_H

#include "mue/elastic.h"
#include "mue/mueg_amp.h"
#include "mue/zprime.h"

#define MUE_MUEG_NDIM 5
#define MUE_MUEG_OBSERVABLES                                                                       \
    MUE_MUONE_OBSERVABLES, {"E_gamma", "GeV", {2, MUE_QTY_ENERGY, 0.0}, 0.0, 150.0},               \
        {"theta_gamma", "rad", {2, MUE_QTY_THETA, 0.0}, 0.0, 0.01},                                \
        {"theta_egamma", "rad", {2, MUE_QTY_OPENING_E, 0.0}, 0.0, 0.05},                           \
        {"sep_egamma_ecal", "m", {2, MUE_QTY_ECAL_SEP_E, MUE_ECAL_DISTANCE_DEFAULT}, 0.0, 0.05}

/* What the run description and the outputs know of the process (processes.h). */
enum { MUE_MUEG_EGAMMA_MIN };
#define MUE_MUEG_INPUTS(P)                                                                         \
    P(MUE_MUEG_EGAMMA_MIN, "egamma-min", MUE_INPUT_ENERGY, "0", 0.0, 0.0, "E_gamma min",          \
      "egamma_min_gev",                                                                            \
      "lab photon energy above E [none; cuts (i)+(ii) imply 12.9 GeV at the defaults]; a "       \
      "generation cut, kept with --no-cuts, where mueg needs it")
#define MUE_MUEG_TITLE "mu e -> mu e gamma"
#define MUE_MUEG_PARTICLES {13, "mu-"}, {11, "e-"}, {MUE_PID_PHOTON, "gamma"}
#define MUE_MUEG_FLAGS MUE_PROC_MU_PLUS /* the interference flips, mueg_amp.h */
#define MUE_MUEG_BENCHMARKS(B)
/* what a run prints of its setup: D(label, field of mue_mueg_unit, unit and provenance) */
/* The fewest points per iteration whose errors are honest (docs/physics.md, checks;
 * tests/test_error_honesty.c): measured: 30 seeds of 5e3 points per iteration gave pulls of
 * rms 1.25 among the runs without another warning, of 2e4 points 1.08. */
#define MUE_MUEG_POINTS_MIN 20000
#define MUE_MUEG_DERIVED(D)                                                                        \
    D("photon: E_gamma >", eg_min,                                                                 \
      "GeV (the larger of --egamma-min and the floor cuts (i)+(ii) imply, Eq. 12.6)")

/* One channel's map: the radiating line (mass ma) comes in along +z with CM energy ea,
 * the spectator (mass mb) along -z; pcm, s, sqrt_lam of the collision. */
typedef struct {
    double ma, mb, ea;
    double d_lo, d_hi, d_log; /* window of D = 2 p_a'.k, log map */
    int tau_cut;              /* tau window fixed (cut (ii) in channel 0) */
    double tau_lo, tau_hi, tau_log;
} mue_mueg_line;

typedef struct {
    int open;
    double eg_min;     /* lab photon energy floor every point obeys, GeV */
    double eg_implied; /* the floor (i)+(ii) imply, Eq. (12.6); 0 if none */
    double tau_floor;  /* mue_zprime_tau_floor */
    mue_mueg_line line[2];
    double dphi3_norm;  /* as the signal's */
    double weight_norm; /* fb/GeV^2 x flux x e^6 / 4 */
} mue_mueg_unit;

typedef struct {
    mue_mueg_kin K;
    int channel;
} mue_mueg_inv;

/* The photon-energy floor that cuts (i)+(ii) imply, Eq. (12.6): with theta_mu above
 * theta_min the electron-photon pair carries at least E_e^min(theta_min) (paper Fig. 1:
 * the lower end of the elastic tau window of cut (i)), and the electron at most ee_max.
 * 0 when the cuts imply nothing. */
MUE_FN double mue_mueg_implied_egamma_min(const mue_params *p, const mue_collision *c)
{
    double lo, hi;
    if (!p->cuts.enabled || !(p->cuts.theta_mu_min > 0.0) ||
        !mue_elastic_tau_window_theta(c, p->cuts.theta_mu_min, &lo, &hi))
        return 0.0;
    double ee_min_el = p->m_e + lo / (2.0 * p->m_e);
    return fmax(ee_min_el - p->cuts.ee_max, 0.0);
}

MUE_FN int mue_mueg_prepare(const mue_params *p, const mue_collision *c, mue_mueg_unit *u,
                            const char **why)
{
    const double mm = p->m_mu, me = p->m_e;
    u->eg_implied = mue_mueg_implied_egamma_min(p, c);
    u->eg_min = fmax(p->input[MUE_MUEG_EGAMMA_MIN], u->eg_implied);
    /* cut (i) above the largest muon angle any mu e -> mu e + X reaches: no phase space,
     * soft photon or not (sigma = 0 exactly, as for every process) */
    if (p->cuts.enabled && p->cuts.theta_mu_min >= mue_elastic_theta_mu_max(p->e_beam, mm, me)) {
        u->open = 0;
        u->eg_min = 0.0;
        u->tau_floor = 0.0;
        u->dphi3_norm = u->weight_norm = 0.0;
        const mue_mueg_line none = {0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0, 0.0, 0.0, 0.0};
        u->line[0] = u->line[1] = none;
        return 1;
    }
    if (!(u->eg_min > 0.0)) {
        *why = "--process mueg: the soft photon makes mu e -> mu e gamma infinite, and these cuts "
               "do not keep it hard; give --egamma-min (lab photon energy) or keep cuts (i)+(ii)";
        return 0;
    }
    u->tau_floor = mue_zprime_tau_floor(me, c->s);
    /* D = 2 p'.k >= E_k m^2/E' in the lab, E_k >= eg_min, E' below the total energy */
    const double etot = p->e_beam + me;
    mue_mueg_line *l = &u->line[0];
    l->ma = mm, l->mb = me, l->ea = c->p1.e;
    l->d_lo = u->eg_min * mm * mm / etot;
    l->d_hi = mue_sq(c->rs - me) - mm * mm;
    l->tau_cut = p->cuts.enabled;
    l->tau_lo = l->tau_hi = 0.0;
    if (p->cuts.enabled) {
        mue_ps_tau_from_ee(me, p->cuts.ee_min, p->cuts.ee_max, &l->tau_lo, &l->tau_hi);
        double e_top = me * (p->e_beam + me) / c->rs;
        double e_best = fmin(fmax(e_top, p->cuts.ee_min), p->cuts.ee_max);
        l->d_hi = fmin(l->d_hi, mue_zprime_mx2_max_at_ee(p, e_best) - mm * mm);
    }
    l = &u->line[1];
    l->ma = me, l->mb = mm, l->ea = c->p2.e;
    l->d_lo = u->eg_min * me * me / (p->cuts.enabled ? p->cuts.ee_max + me : etot);
    l->d_hi = mue_sq(c->rs - mm) - me * me;
    l->tau_cut = 0;
    l->tau_lo = l->tau_hi = 0.0;
    u->open = !(u->eg_min >= p->e_beam);
    for (int k = 0; k < 2; k++) {
        l = &u->line[k];
        u->open = u->open && l->d_hi > l->d_lo && (!l->tau_cut || l->tau_hi > l->tau_lo);
        l->d_log = u->open ? log(l->d_hi / l->d_lo) : 0.0;
        l->tau_log = u->open && l->tau_cut ? log(l->tau_hi / l->tau_lo) : 0.0;
    }
    u->dphi3_norm = 1.0 / (8.0 * MUE_PI * c->sqrt_lam * (2.0 * MUE_PI) * (2.0 * MUE_PI) *
                           (4.0 * MUE_PI));
    double e2 = 4.0 * MUE_PI * p->alpha;
    u->weight_norm = MUE_GEV2_TO_FB * c->flux * 0.25 * e2 * e2 * e2;
    return 1;
}

/* One channel's map, x in (0,1)^4, Eqs. (4.2)-(4.8) with m_Z' = 0 and the line's masses:
 * in the frame where the radiator comes in along +z, the radiator pa, spectator pb and
 * photon k out; *tau = -(spectator in - out)^2 exactly. Returns dPhi_3/dx without the
 * constant dphi3_norm, 0 outside. */
MUE_FN double mue_mueg_line_map(const mue_mueg_line *l, const mue_collision *c, double tau_floor,
                                const double *x, mue_p4 *pa, mue_p4 *pb, mue_p4 *k, double *tau_out)
{
    const double ma2 = l->ma * l->ma, mb = l->mb;
    double tau_above = 0.0, jac_tau = 0.0, tau = 0.0;
    if (l->tau_cut)
        tau = mue_ps_log_map(x[1], l->tau_lo, l->tau_log, &tau_above, &jac_tau);
    double d_above, jac_d;
    double D = mue_ps_log_map(x[0], l->d_lo, l->d_log, &d_above, &jac_d);
    double MX2 = ma2 + D, MX = sqrt(MX2);
    double kmin, kmax, Pb;
    if (!mue_ps_recoil_tau_range(c->s, c->rs, ma2, mb, c->sqrt_lam, MX, D, &kmin, &kmax, &Pb))
        return 0.0;
    double lo = kmin > tau_floor ? kmin : tau_floor, hi = kmax;
    if (l->tau_cut) {
        lo = lo > l->tau_lo ? lo : l->tau_lo;
        hi = hi < l->tau_hi ? hi : l->tau_hi;
    }
    if (!(hi > lo) || !(lo > 0.0))
        return 0.0;
    if (!(l->tau_cut && lo == l->tau_lo && hi == l->tau_hi))
        tau = mue_ps_log_map(x[1], lo, log(hi / lo), &tau_above, &jac_tau);
    tau_above += lo - kmin;
    /* the spectator, its polar angle measured from its incoming direction (-z) */
    double Eb = (c->s + mb * mb - MX2) / (2.0 * c->rs);
    double cth, sth;
    mue_ps_recoil_angle(tau_above, c->pcm, Pb, &cth, &sth);
    *pb = mue_p4_make(Eb, Pb * sth, 0.0, -Pb * cth);
    mue_p4 X = mue_p4_make(c->rs - Eb, -pb->x, 0.0, -pb->z);
    /* the photon in the X rest frame, polar axis along the incoming radiator there;
     * Eq. (4.7) with m_Z' = 0: E_k' = |k'| = D/(2 M_X) */
    double iMX = 1.0 / MX, i2MX = 0.5 * iMX;
    mue_boost bX = mue_boost_make(X, iMX);
    mue_p4 pin = mue_p4_make(l->ea, 0.0, 0.0, c->pcm);
    mue_p4 pax = mue_boost_apply(&bX, pin, -1.0);
    double dq = D + tau;
    double Eax = (2.0 * ma2 + dq) * i2MX, Pax = sqrt(dq * dq + 4.0 * ma2 * tau) * i2MX;
    double Ek = D * i2MX;
    /* rho = 2 p_a.k = 2 E_k (E_a' - |p_a'| cos), its lower end 2 E_k m_a^2/(E_a' + |p_a'|) (4.8) */
    double b = 2.0 * Pax * Ek, ib = 1.0 / b;
    double rho_lo = 2.0 * Ek * ma2 / (Eax + Pax), above, jac_c;
    mue_ps_log_map(x[2], rho_lo, mue_log1p(2.0 * b / rho_lo), &above, &jac_c);
    double omc = above * ib;
    jac_c *= ib;
    double cs = 1.0 - omc, ss2 = omc * (2.0 - omc), ss = ss2 > 0.0 ? sqrt(ss2) : 0.0;
    double cphi, sphi, jac_phi = mue_ps_azimuth(x[3], &cphi, &sphi);
    mue_p4 kx = mue_p4_make(Ek, Ek * ss * cphi, Ek * ss * sphi, Ek * cs);
    double iP = 1.0 / mue_p4_pabs(pax);
    kx = mue_p4_rotate_from_axis_xz(kx, pax.x * iP, pax.z * iP);
    mue_p4 pa_x = mue_p4_make(MX - Ek, -kx.x, -kx.y, -kx.z);
    *k = mue_boost_apply(&bX, kx, 1.0);
    *pa = mue_boost_apply(&bX, pa_x, 1.0);
    *tau_out = tau;
    return (jac_tau * jac_d) * (Ek * i2MX) * (jac_c * jac_phi);
}

/* Rotation by pi about y: the frame with the electron along +z and the CM frame. */
MUE_FN mue_p4 mue_mueg_flip(mue_p4 p) { return mue_p4_make(p.e, -p.x, p.y, -p.z); }

/* x in (0,1)^5 -> event in the CM frame and the invariants; dPhi_3/dx (GeV^2), 0 outside
 * or below the photon-energy floor. */
MUE_FN double mue_mueg_phase_space(const mue_params *p, const mue_collision *c,
                                   const mue_mueg_unit *u, const double *x, mue_event *ev,
                                   mue_mueg_inv *inv)
{
    if (!u->open)
        return 0.0;
    const int ch = x[4] < 0.5 ? 0 : 1;
    mue_p4 pa, pb, k, p3, p4;
    double tau;
    double jac = mue_mueg_line_map(&u->line[ch], c, u->tau_floor, x, &pa, &pb, &k, &tau);
    if (jac == 0.0)
        return 0.0;
    double te, tm;
    if (ch == 0) {
        p3 = pa, p4 = pb, te = -tau;
    } else {
        p3 = mue_mueg_flip(pb), p4 = mue_mueg_flip(pa), k = mue_mueg_flip(k), tm = -tau;
    }
    /* the lab photon energy, Eq. (1.6) */
    double kp, km;
    mue_p4_lightcone(k, 0.0, &kp, &km);
    if (!(0.5 * (kp * c->exp_y + km * c->exp_my) >= u->eg_min))
        return 0.0;
    mue_mueg_kin *K = &inv->K;
    *K = mue_mueg_kin_make(c->p1, c->p2, p3, p4, k, p->m_mu, p->m_e);
    if (ch == 0) {
        K->te = te;
    } else {
        K->tm = tm;
        /* -t_e = 2 m_e (E_4,lab - m_e) = 2 m_e |p_4,lab|^2 / (E_4,lab + m_e), the target at rest */
        double e4, th4;
        mue_collision_to_lab(c, p4, p->m_e, &e4, &th4);
        double pz = mue_collision_p4_to_lab(c, p4, p->m_e).z, pt2 = p4.x * p4.x + p4.y * p4.y;
        K->te = -2.0 * p->m_e * (pt2 + pz * pz) / (e4 + p->m_e);
    }
    inv->channel = ch;
    ev->n = 3;
    mue_event_set(ev, MUE_EV_MUON, MUE_PID_MUON, p->m_mu, p3);
    mue_event_set(ev, MUE_EV_ELECTRON, MUE_PID_ELECTRON, p->m_e, p4);
    mue_event_set(ev, 2, MUE_PID_PHOTON, 0.0, k);
    ev->tau = -K->te;
    /* two channels on x4: each half of the axis is one channel, dx4 = 1/2 */
    return 2.0 * jac * u->dphi3_norm;
}

/* flux x <|M|^2> x alpha_c (fb per unit dPhi_3), Eq. (12.5). */
MUE_FN double mue_mueg_weight(const mue_params *p, const mue_collision *c, const mue_mueg_unit *u,
                              const mue_mueg_inv *v)
{
    (void)c;
    double mmu, me;
    double m = mue_mueg_msq_sum_q(&v->K, p->m_mu, p->m_e, 0, p->beam_plus ? -1.0 : 1.0, &mmu, &me);
    double h = mmu + me;
    if (!(h > 0.0))
        return 0.0;
    return u->weight_norm * m * ((v->channel == 0 ? mmu : me) / h);
}

#endif
