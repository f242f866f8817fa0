/* mu e -> mu e at tree level (one-photon exchange): the lab kinematics of paper
 * Eqs. 1-3, the spin-averaged |M|^2, and the one-dimensional phase-space unit. */
#ifndef MUE_ELASTIC_H
#define MUE_ELASTIC_H

#include "mue/collision.h"
#include "mue/event.h"
#include "mue/observables.h"
#include "mue/params.h"
#include "mue/phase_space.h"

/* Eq. 1: lab muon angle as a function of the lab electron angle. */
MUE_FN double mue_elastic_theta_mu(double theta_e, double e_beam, double mm, double me)
{
    double s = mm * mm + me * me + 2.0 * me * e_beam;
    double R = (mm * mm + me * e_beam) / (me * me + me * e_beam);
    double g = (me + e_beam) / sqrt(s);
    double te = tan(theta_e);
    return atan2(2.0 * te, (1.0 + R) * (1.0 + g * g * te * te) - 2.0);
}

/* Eq. 3: lab electron energy as a function of the lab electron angle. */
MUE_FN double mue_elastic_ee(double theta_e, double e_beam, double mm, double me)
{
    double beta = sqrt((e_beam - mm) * (e_beam + mm)) / (e_beam + me);
    double bc2 = mue_sq(beta * cos(theta_e));
    return me * (1.0 + bc2) / (1.0 - bc2);
}

/* Largest lab muon angle, 1/(gamma sqrt(R^2 - 1)) (text below Eq. 3): a small-angle
 * value; the exact maximum of Eq. 1 is atan of it. */
MUE_FN double mue_elastic_theta_mu_max(double e_beam, double mm, double me)
{
    double s = mm * mm + me * me + 2.0 * me * e_beam;
    double R = (mm * mm + me * e_beam) / (me * me + me * e_beam);
    double g = (me + e_beam) / sqrt(s);
    return atan(1.0 / (g * sqrt(R * R - 1.0)));
}

/* docs/physics.md Eq. (5.1): |M|^2 = (2 e^4 / t^2) [(s - S)^2 + (u - S)^2 + 2 S t], S = m_mu^2 + m_e^2. */
MUE_FN double mue_elastic_msq(double s, double t, double mm, double me, double alpha)
{
    double S = mm * mm + me * me;
    double u = 2.0 * S - s - t;
    double e2 = 4.0 * MUE_PI * alpha;
    return 2.0 * e2 * e2 / (t * t) * (mue_sq(s - S) + mue_sq(u - S) + 2.0 * S * t);
}

/* dsigma/dt in GeV^-4, docs/physics.md Eq. (5.2): |M|^2 / (16 pi lambda(s, m_mu^2, m_e^2)). */
MUE_FN double mue_elastic_dsigma_dt(double s, double t, double mm, double me, double alpha)
{
    return mue_elastic_msq(s, t, mm, me, alpha) / (16.0 * MUE_PI * mue_kallen(s, mm * mm, me * me));
}

/* ---- the process unit (processes.h): one variable, tau = -t on a log map ---- */

typedef struct {
    double tau_lo, tau_hi; /* sampled window of -t; tau_lo > 0 (Coulomb pole) */
    double log_ratio;      /* ln(tau_hi / tau_lo) */
} mue_elastic_unit;

typedef struct {
    double t; /* exact, from the map */
} mue_elastic_inv;

#define MUE_ELASTIC_NDIM 1
#define MUE_ELASTIC_OBSERVABLES MUE_MUONE_OBSERVABLES

/* What the run description and the outputs know of the process (processes.h): no
 * model inputs. */
#define MUE_ELASTIC_INPUTS(P)
#define MUE_ELASTIC_TITLE "mu e -> mu e"
#define MUE_ELASTIC_PARTICLES {13, "mu-"}, {11, "e-"}
#define MUE_ELASTIC_FLAGS MUE_PROC_MU_PLUS /* |M|^2 even in the muon charge */
#define MUE_ELASTIC_BENCHMARKS(B)
/* The fewest points per iteration whose errors are honest (docs/physics.md, checks;
 * tests/test_error_honesty.c): one variable: any iteration MUE_POINTS_MIN allows. */
#define MUE_ELASTIC_POINTS_MIN 100
#define MUE_ELASTIC_DERIVED(D)

/* The window of tau = -t over which the lab muon angle exceeds theta (cut (i), tan
 * theta = T): elastic kinematics ties the angle to tau, rising from 0 at tau = 0 to
 * theta_mu^max and falling back to 0 at the largest tau. With the CM angle through
 * y = 1 - cos(theta*) = tau / (2 p*^2), the lab angle of the muon (boost gamma,
 * beta gamma; CM energy E*) is tan theta = p* sin(theta*) / (gamma p* cos(theta*) +
 * beta gamma E*), docs/physics.md Eqs. (2.7), (2.8); squared, a y^2 - (2a + b) y + C = 0 with
 * a = p*^2 (1 + T^2 gamma^2), b = 2 T^2 gamma beta gamma p* E*, C = T^2 (gamma p* +
 * beta gamma E*)^2, whose roots need no cancellation in this form. Returns 0 when
 * theta is at or above theta_mu^max. */
MUE_FN int mue_elastic_tau_window_theta(const mue_collision *c, double theta, double *lo, double *hi)
{
    const double T = tan(theta), ps = c->pcm, es = c->p1.e;
    const double g = 0.5 * (c->exp_y + c->exp_my), bg = 0.5 * (c->exp_y - c->exp_my);
    const double a = ps * ps * (1.0 + T * T * g * g), b = 2.0 * T * T * g * bg * ps * es;
    const double C = T * T * mue_sq(g * ps + bg * es), B = 2.0 * a + b;
    const double D = B * B - 4.0 * a * C;
    if (!(D > 0.0))
        return 0;
    const double y1 = 2.0 * C / (B + sqrt(D)), y2 = C / (a * y1);
    *lo = 2.0 * ps * ps * y1;
    *hi = 2.0 * ps * ps * y2;
    return 1;
}

/* Returns 0 (and a reason) if the window is empty or contains t = 0. */
MUE_FN int mue_elastic_prepare(const mue_params *p, const mue_collision *c, mue_elastic_unit *u,
                               const char **why)
{
    double tmin = 0.0, tmax = 0.0, pc;
    mue_ps_recoil_tau_range(c->s, c->rs, p->m_mu * p->m_mu, p->m_e, c->sqrt_lam, p->m_mu, 0.0, &tmin,
                            &tmax, &pc);
    if (!p->cuts.enabled) {
        *why = "--no-cuts: the elastic cross section diverges at t -> 0 without cuts; keep cut "
               "(ii) (--ee-min above m_e) to bound it";
        return 0;
    }
    mue_ps_tau_from_ee(p->m_e, p->cuts.ee_min, p->cuts.ee_max, &u->tau_lo, &u->tau_hi);
    if (u->tau_hi > tmax)
        u->tau_hi = tmax;
    if (!(u->tau_lo > 0.0)) {
        *why = "--ee-min: the elastic cross section diverges at t -> 0; --ee-min must exceed m_e";
        return 0;
    }
    /* cut (i) is a tau window too: sampled as one, the integrand has no step in it,
     * which two points per stratification box could not measure */
    if (p->cuts.theta_mu_min > 0.0) {
        double lo, hi;
        if (mue_elastic_tau_window_theta(c, p->cuts.theta_mu_min, &lo, &hi)) {
            u->tau_lo = u->tau_lo > lo ? u->tau_lo : lo;
            u->tau_hi = u->tau_hi < hi ? u->tau_hi : hi;
        } else
            u->tau_hi = u->tau_lo; /* above theta_mu^max */
    }
    if (u->tau_lo >= u->tau_hi)
        u->tau_lo = u->tau_hi; /* empty window: zero cross section, not an error */
    u->log_ratio = log(u->tau_hi / u->tau_lo);
    return 1;
}

/* x in (0,1) -> event in the CM frame; returns dPhi_2/dx (dimensionless), 0 outside;
 * inv->t gets the exact t. */
MUE_FN double mue_elastic_phase_space(const mue_params *p, const mue_collision *c,
                                      const mue_elastic_unit *u, const double *x, mue_event *ev,
                                      mue_elastic_inv *inv)
{
    if (!(u->tau_hi > u->tau_lo))
        return 0.0;
    double above, jac;
    double tau = mue_ps_log_map(x[0], u->tau_lo, u->log_ratio, &above, &jac);
    double cth, sth;
    /* elastic: tau_min = 0, so tau itself is the distance from the forward end */
    mue_ps_recoil_angle(tau, c->pcm, c->pcm, &cth, &sth);
    mue_p4 p4 = mue_p4_make(c->p2.e, c->pcm * sth, 0.0, -c->pcm * cth);
    mue_p4 p3 = mue_p4_make(c->p1.e, -p4.x, 0.0, -p4.z);
    ev->n = 2;
    mue_event_set(ev, MUE_EV_MUON, MUE_PID_MUON, p->m_mu, p3);
    mue_event_set(ev, MUE_EV_ELECTRON, MUE_PID_ELECTRON, p->m_e, p4);
    ev->tau = tau;
    inv->t = -tau;
    /* dPhi_2 = dt / (8 pi lambda^{1/2}) after the trivial azimuth */
    return jac / (8.0 * MUE_PI * c->sqrt_lam);
}

/* Weight in fb per unit dPhi_2 at momentum transfer t: flux x |M|^2. */
MUE_FN double mue_elastic_weight(const mue_params *p, const mue_collision *c,
                                 const mue_elastic_unit *u, const mue_elastic_inv *inv)
{
    (void)u;
    return MUE_GEV2_TO_FB * c->flux * mue_elastic_msq(c->s, inv->t, p->m_mu, p->m_e, p->alpha);
}

#endif
