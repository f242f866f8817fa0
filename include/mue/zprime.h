/* The signal unit, mu(p1) e(p2) -> mu(p3) e(p4) Z'(k): |M|^2 and the 3-body map.
 *
 * Map (docs/physics.md, Signal, Eqs. (4.2)-(4.8); 4 variables, the overall azimuth is integrated):
 *   x0 -> D1 = M_X^2 - m_mu^2, M_X^2 = (p3 + k)^2, log map  (final-state emission pole)
 *   x1 -> tau = -t = -(p2 - p4)^2 at fixed M_X, log map      (photon pole 1/t^2); the
 *         lab electron energy is E_e = m_e + tau / (2 m_e), so cut (ii) is a tau window
 *   x2 -> -D2 = 2 p1.k - m_Z^2, via the Z' polar angle about p1 in the X rest frame,
 *         log map                                            (initial-state emission pole)
 *   x3 -> Z' azimuth about p1 in the X rest frame
 * dPhi_3 = dtau/(8 pi lam^{1/2}(s,m_mu^2,m_e^2)) dM_X^2/(2 pi)
 *          |k_X|/(4 pi M_X) dcos_k dphi_k / (4 pi)   (sequential two-body split). */
#ifndef MUE_ZPRIME_H
#define MUE_ZPRIME_H

#include "mue/collision.h"
#include "mue/event.h"
#include "mue/observables.h"
#include "mue/params.h"
#include "mue/phase_space.h"
#include "mue/zprime_msq_gen.h"

#define MUE_ZPRIME_NDIM 4
#define MUE_ZPRIME_OBSERVABLES MUE_MUONE_OBSERVABLES

/* What the run description and the outputs know of the process (processes.h). Model
 * inputs, in mue_params.input[slot]: P(slot, option, kind, default, lo, hi, label, JSON
 * key, help); a MASS input's upper bound is the kinematic limit. */
enum { MUE_ZPRIME_MASS, MUE_ZPRIME_COUPLING };
#define MUE_ZPRIME_INPUTS(P)                                                                       \
    P(MUE_ZPRIME_MASS, "mass", MUE_INPUT_MASS, NULL, 1e-6, 0.0, "m_Z'", "mass_gev",               \
      "mass of the Z'; GeV, or with a suffix: 100MeV; 1 keV up to the kinematic limit")           \
    P(MUE_ZPRIME_COUPLING, "coupling", MUE_INPUT_COUPLING, NULL, 1e-20, 10.0, "g", "coupling",    \
      "the L_mu - L_tau gauge coupling g, 1e-20 .. 10 (sigma ~ g^2: scale a result for others)")
#define MUE_ZPRIME_TITLE "Z'"
#define MUE_ZPRIME_PARTICLES {13, "mu-"}, {11, "e-"}, {MUE_PID_ZPRIME, "Z' (invisible)"}
#define MUE_ZPRIME_FLAGS (MUE_PROC_SIGNAL | MUE_PROC_MUON_G2 | MUE_PROC_MU_PLUS) /* |M|^2 even in the charge */
/* the paper's two benchmark points: B(key, label, settings) */
#define MUE_ZPRIME_BENCHMARKS(B)                                                                   \
    B("10MeV", "10 MeV, g = 5e-4", "mass=10MeV,coupling=5e-4")                                    \
    B("100MeV", "100 MeV, g = 1e-3", "mass=100MeV,coupling=1e-3")
/* The fewest points per iteration whose errors are honest (docs/physics.md, checks;
 * tests/test_error_honesty.c): measured at 1 MeV, where the Z' is lightest and peaks most: 30 seeds
 * of 5e3 points per iteration gave pulls of rms 1.31, of 2e4 points 1.03. */
#define MUE_ZPRIME_POINTS_MIN 20000
#define MUE_ZPRIME_DERIVED(D)

MUE_FN double mue_zprime_mass(const mue_params *p) { return p->input[MUE_ZPRIME_MASS]; }
MUE_FN double mue_zprime_coupling(const mue_params *p) { return p->input[MUE_ZPRIME_COUPLING]; }

/* Partial widths of the Z' (docs/physics.md, Z' decays), GeV. It couples with charge
 * +-1 to the second and third families: to one left-handed neutrino of each,
 *   Gamma(Z' -> nu nubar) = g^2 m / (24 pi)   (nu_mu, nu_tau: each),            (D.1)
 * and vectorially to the charged lepton,
 *   Gamma(Z' -> l+ l-) = g^2 m / (12 pi) (1 + 2 m_l^2/m^2) sqrt(1 - 4 m_l^2/m^2),  (D.2)
 * open above 2 m_l (mu: 211 MeV, tau: 3.55 GeV). */
MUE_FN double mue_zprime_width_nunu(double m, double g) { return g * g * m / (24.0 * MUE_PI); }

MUE_FN double mue_zprime_width_ll(double m, double g, double ml)
{
    const double r = ml * ml / (m * m);
    if (!(r < 0.25))
        return 0.0;
    return g * g * m / (12.0 * MUE_PI) * (1.0 + 2.0 * r) * sqrt(1.0 - 4.0 * r);
}

/* BR(Z' -> invisible) = 2 Gamma_nunu / Gamma_total: 1 below 2 m_mu, then falling
 * towards 1/2 (Eq. D.3); g cancels. */
MUE_FN double mue_zprime_br_invisible(double m, double m_mu, double m_tau)
{
    const double inv = 2.0 * mue_zprime_width_nunu(m, 1.0);
    return inv / (inv + mue_zprime_width_ll(m, 1.0, m_mu) + mue_zprime_width_ll(m, 1.0, m_tau));
}

/* Spin-averaged |M|^2 from the five invariants (FORM result, tools/zprime_msq.frm):
 * t = (p2-p4)^2, D1 = (p3+k)^2 - m_mu^2, D2 = (p1-k)^2 - m_mu^2, P12 = p1.p2, P2K = p2.k. */
MUE_FN double mue_zprime_msq(double t, double D1, double D2, double P12, double P2K, double mm,
                             double me, double mz, double alpha, double g)
{
    double e2 = 4.0 * MUE_PI * alpha;
    return e2 * e2 * g * g * mue_zprime_msq_reduced(t, D1, D2, P12, P2K, mm, me, mz) / (t * t);
}

/* The same from explicit momenta (tests and checks; the integrand never recomputes
 * invariants from vectors). */
MUE_FN double mue_zprime_msq_momenta(mue_p4 p1, mue_p4 p2, mue_p4 p3, mue_p4 p4, mue_p4 k,
                                     double mm, double me, double mz, double alpha, double g)
{
    mue_p4 q = mue_p4_sub(p2, p4);
    double t = mue_p4_dot(q, q);
    /* (p3+k)^2 - m^2 and (p1-k)^2 - m^2 written without the m^2 that cancels */
    double D1 = 2.0 * mue_p4_dot(p3, k) + mz * mz;
    double D2 = mz * mz - 2.0 * mue_p4_dot(p1, k);
    return mue_zprime_msq(t, D1, D2, mue_p4_dot(p1, p2), mue_p4_dot(p2, k), mm, me, mz, alpha, g);
}

typedef struct {
    int open;              /* 0: no phase space (mass above the limit or cuts exclude it) */
    double d1_lo, d1_hi;   /* window of D1 = M_X^2 - m_mu^2 */
    double d1_log_ratio;   /* ln(d1_hi / d1_lo) */
    int tau_cut;           /* cut (ii) applied through the tau window */
    double tau_lo, tau_hi; /* that window */
    double tau_log_ratio;  /* ln(tau_hi / tau_lo) */
    double tau_floor;      /* the smallest tau sampled (mue_zprime_tau_floor) */
    /* constant factors, multiplied once per point instead of divided in each:
     * 1/((8 pi lam^{1/2}) (2 pi) (2 pi) (4 pi)) of dPhi_3 (header comment), and
     * fb/GeV^2 x flux x e^4 g^2 of the weight (|M|^2 = e^4 g^2 T / t^2) */
    double dphi3_norm;
    double weight_norm;
} mue_zprime_unit;

/* The smallest tau = -t the map samples, docs/physics.md Eq. (4.14). |M|^2 from
 * the five invariants loses ~20 eps s/tau of its digits as tau falls
 * (tests/test_matrix_element.c measures it): below 2e7 eps s it would keep fewer than
 * six, and the weight could even turn negative. A recoil electron of under 1 keV
 * kinetic energy is beyond the free-electron picture anyway. The windows of cut (ii)
 * lie far above this floor; only runs without cut (ii) reach it. */
#define MUE_RECOIL_EKIN_MIN 1e-6 /* GeV */
MUE_FN double mue_zprime_tau_floor(double me, double s)
{
    return fmax(2.0 * me * MUE_RECOIL_EKIN_MIN, 2e7 * 2.220446049250313e-16 * s);
}

/* Largest M_X^2 = (p1 + q)^2 for a lab electron energy E: the electron along the beam.
 * Concave in E with its top (sqrt(s) - m_e)^2 where the electron is at rest in the CM. */
MUE_FN double mue_zprime_mx2_max_at_ee(const mue_params *p, double E)
{
    double me = p->m_e, E1 = p->e_beam;
    double P1 = sqrt((E1 - p->m_mu) * (E1 + p->m_mu));
    double t = 2.0 * me * me - 2.0 * me * E;
    return p->m_mu * p->m_mu + t + 2.0 * (E1 * (me - E) + P1 * sqrt((E - me) * (E + me)));
}

/* Always 1: a mass above the limit or cuts that exclude everything leave no phase
 * space (u->open = 0), which is a zero cross section, not an error. */
MUE_FN int mue_zprime_prepare(const mue_params *p, const mue_collision *c, mue_zprime_unit *u,
                              const char **why)
{
    (void)why;
    double mm = p->m_mu, me = p->m_e, mz = mue_zprime_mass(p);
    double mx2_max = mue_sq(c->rs - me);
    u->tau_cut = p->cuts.enabled;
    u->tau_floor = mue_zprime_tau_floor(me, c->s);
    u->tau_lo = 0.0;
    u->tau_hi = 0.0;
    if (p->cuts.enabled) {
        mue_ps_tau_from_ee(me, p->cuts.ee_min, p->cuts.ee_max, &u->tau_lo, &u->tau_hi);
        double e_top = me * (p->e_beam + me) / c->rs; /* electron at rest in the CM */
        double e_best = fmin(fmax(e_top, p->cuts.ee_min), p->cuts.ee_max);
        mx2_max = fmin(mx2_max, mue_zprime_mx2_max_at_ee(p, e_best));
    }
    u->d1_lo = mz * (mz + 2.0 * mm);
    u->d1_hi = mx2_max - mm * mm;
    u->open = mz > 0.0 && u->d1_hi > u->d1_lo && (!u->tau_cut || u->tau_hi > u->tau_lo);
    u->d1_log_ratio = u->open ? log(u->d1_hi / u->d1_lo) : 0.0;
    u->tau_log_ratio = u->open && u->tau_cut ? log(u->tau_hi / u->tau_lo) : 0.0;
    u->dphi3_norm = 1.0 / (8.0 * MUE_PI * c->sqrt_lam * (2.0 * MUE_PI) * (2.0 * MUE_PI) *
                           (4.0 * MUE_PI));
    double e2 = 4.0 * MUE_PI * p->alpha;
    const double g = mue_zprime_coupling(p);
    u->weight_norm = MUE_GEV2_TO_FB * c->flux * (e2 * e2 * g * g);
    return 1;
}

/* The five invariants |M|^2 needs, as the map produces them (none recomputed from
 * vectors, so the small ones keep their digits). */
typedef struct {
    double t, D1, D2, P12, P2K;
} mue_zprime_inv;

/* x in (0,1)^4 -> event in the CM frame and its invariants; returns the phase-space
 * weight dPhi_3/dx (GeV^2), 0 outside. */
MUE_FN double mue_zprime_phase_space(const mue_params *p, const mue_collision *c,
                                     const mue_zprime_unit *u, const double *x, mue_event *ev,
                                     mue_zprime_inv *inv)
{
    if (!u->open)
        return 0.0;
    const double mm = p->m_mu, me = p->m_e, mz = mue_zprime_mass(p);
    const double mm2 = mm * mm, me2 = me * me, mz2 = mz * mz;

    /* x1 first, on the window of cut (ii): that is usually the whole window (below),
     * and mapped before M_X is known its exponential overlaps the roots that give M_X */
    double tau_above = 0.0, jac_tau = 0.0, tau = 0.0;
    if (u->tau_cut)
        tau = mue_ps_log_map(x[1], u->tau_lo, u->tau_log_ratio, &tau_above, &jac_tau);

    /* x0: D1 = M_X^2 - m_mu^2; D1 - d1_lo = M_X^2 - (m_mu + m_Z)^2 exactly */
    double d1_above, jac_d1;
    double D1 = mue_ps_log_map(x[0], u->d1_lo, u->d1_log_ratio, &d1_above, &jac_d1);
    double MX2 = mm2 + D1, MX = sqrt(MX2);

    /* x1: tau = -t inside the kinematic range at this M_X, cut to the E_e window */
    double kmin, kmax, P4;
    if (!mue_ps_recoil_tau_range(c->s, c->rs, mm2, me, c->sqrt_lam, MX, D1, &kmin, &kmax, &P4))
        return 0.0;
    double lo = kmin > u->tau_floor ? kmin : u->tau_floor, hi = kmax;
    if (u->tau_cut) {
        lo = lo > u->tau_lo ? lo : u->tau_lo;
        hi = hi < u->tau_hi ? hi : u->tau_hi;
    }
    if (!(hi > lo) || !(lo > 0.0))
        return 0.0;
    if (!(u->tau_cut && lo == u->tau_lo && hi == u->tau_hi))
        tau = mue_ps_log_map(x[1], lo, log(hi / lo), &tau_above, &jac_tau);
    tau_above += lo - kmin; /* tau - tau_min, exact when lo = kmin */

    /* the recoil electron in the CM; its polar angle is measured from p2 (-z) */
    double E4 = (c->s + me2 - MX2) / (2.0 * c->rs);
    double cth, sth;
    mue_ps_recoil_angle(tau_above, c->pcm, P4, &cth, &sth);
    mue_p4 p4 = mue_p4_make(E4, P4 * sth, 0.0, -P4 * cth);
    mue_p4 X = mue_p4_make(c->rs - E4, -p4.x, 0.0, -p4.z);

    /* x2, x3: Z' direction in the X rest frame, polar axis along p1 there */
    double iMX = 1.0 / MX, i2MX = 0.5 * iMX;
    mue_boost bX = mue_boost_make(X, iMX);
    mue_p4 p1x = mue_boost_apply(&bX, c->p1, -1.0);
    /* E and |p| of p1 there also from invariants, so that the polar map need not wait
     * for the boost: with q = p2 - p4, M_X^2 = (p1 + q)^2 gives 2 p1.q = D1 + tau, so
     * E = (2 m_mu^2 + D1 + tau)/(2 M_X) and |p| = lambda^{1/2}(M_X^2, m_mu^2, t)/(2 M_X),
     * lambda = (D1 + tau)^2 + 4 m_mu^2 tau (a sum: nothing cancels) */
    double dq = D1 + tau;
    double E1x = (2.0 * mm2 + dq) * i2MX;
    double P1x = sqrt(dq * dq + 4.0 * mm2 * tau) * i2MX;
    double Ek = (MX2 + mz2 - mm2) * i2MX;
    /* lambda(M_X^2, m_mu^2, m_Z^2) = (M_X^2 - (m_mu + m_Z)^2)(M_X^2 - (m_mu - m_Z)^2) */
    double lk = d1_above * (MX2 - mue_sq(mm - mz));
    double Pk = (lk > 0.0 ? sqrt(lk) : 0.0) * i2MX;
    /* rho = 2 p1.k - m_Z^2 = a - b cos*, a - b kept exact: E1 Ek - P1 Pk = (m_mu^2 Ek^2 +
     * P1^2 m_Z^2) / (E1 Ek + P1 Pk) */
    double b = 2.0 * P1x * Pk, ib = 1.0 / b;
    double rho_lo = 2.0 * (mm2 * Ek * Ek + P1x * P1x * mz2) / (E1x * Ek + P1x * Pk) - mz2;
    double rho, omc, jac_c;
    if (rho_lo > 0.0) {
        double above;
        rho = mue_ps_log_map(x[2], rho_lo, mue_log1p(2.0 * b / rho_lo), &above, &jac_c);
        omc = above * ib;
        jac_c *= ib;
    } else { /* m_Z' > 2 m_mu can put the pole inside: no importance map there */
        omc = 2.0 * x[2];
        rho = rho_lo + b * omc;
        jac_c = 2.0;
    }
    double cs = 1.0 - omc, ss2 = omc * (2.0 - omc), ss = ss2 > 0.0 ? sqrt(ss2) : 0.0;
    double cphi, sphi, jac_phi = mue_ps_azimuth(x[3], &cphi, &sphi);
    mue_p4 kx = mue_p4_make(Ek, Pk * ss * cphi, Pk * ss * sphi, Pk * cs);
    /* p1 and X have no y component, so neither has p1 in the X frame: the axis lies
     * in the x-z plane */
    double iP1x = 1.0 / P1x;
    kx = mue_p4_rotate_from_axis_xz(kx, p1x.x * iP1x, p1x.z * iP1x);
    mue_p4 p3x = mue_p4_make(MX - Ek, -kx.x, -kx.y, -kx.z);
    mue_p4 k = mue_boost_apply(&bX, kx, 1.0);
    mue_p4 p3 = mue_boost_apply(&bX, p3x, 1.0);

    ev->n = 3;
    mue_event_set(ev, MUE_EV_MUON, MUE_PID_MUON, mm, p3);
    mue_event_set(ev, MUE_EV_ELECTRON, MUE_PID_ELECTRON, me, p4);
    mue_event_set(ev, 2, MUE_PID_ZPRIME, mz, k);
    ev->tau = tau;

    inv->t = -tau;
    inv->D1 = D1;
    inv->D2 = -rho;
    inv->P12 = 0.5 * (c->s - mm2 - me2);
    /* p2.k = (p2+ k- + p2- k+)/2, p2 having no transverse part: light-cone components
     * keep it free of the E - pz cancellation of nearly collinear particles */
    double kp, km;
    mue_p4_lightcone(k, mz, &kp, &km);
    inv->P2K = 0.5 * (c->p2_plus * km + c->p2_minus * kp);
    /* dPhi_3 of the header comment; the overall azimuth gave 2 pi */
    return (jac_tau * jac_d1) * (Pk * i2MX) * (jac_c * jac_phi) * u->dphi3_norm;
}

/* Weight in fb per unit dPhi_3 at the invariants of a point: flux x |M|^2, docs/physics.md
 * Eq. (4.1) (sigma = flux x integral of |M|^2 dPhi_3); the constants are in the unit. */
MUE_FN double mue_zprime_weight(const mue_params *p, const mue_collision *c,
                                const mue_zprime_unit *u, const mue_zprime_inv *v)
{
    (void)c;
    double T = mue_zprime_msq_reduced(v->t, v->D1, v->D2, v->P12, v->P2K, p->m_mu, p->m_e, mue_zprime_mass(p));
    return u->weight_norm / (v->t * v->t) * T;
}

#endif
