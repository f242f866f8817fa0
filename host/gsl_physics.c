#include "gsl_physics.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_roots.h>
#include <math.h>
#include <string.h>

#include "mue/collision.h"
#include "mue/elastic.h"

const mue_g2_preset mue_g2_presets[] = {
    {"wp20", 251e-11, 59e-11, "2021 value the paper used (4.2 sigma)"},
    {"wp25", 38e-11, 63e-11, "2025 Theory Initiative update with the final E989 average"},
    {0, 0, 0, 0}};

const mue_g2_preset *mue_g2_preset_find(const char *name)
{
    for (const mue_g2_preset *p = mue_g2_presets; p->name; p++)
        if (strcmp(p->name, name) == 0)
            return p;
    return 0;
}

/* GSL's default handler aborts; every caller here checks the status instead. */
static void quiet_gsl(void) { gsl_set_error_handler_off(); }

typedef struct {
    double mm2, mz2;
} g2_par;

static double g2_kernel(double x, void *vp)
{
    const g2_par *p = vp;
    return 2.0 * p->mm2 * x * x * (1.0 - x) / (x * x * p->mm2 + (1.0 - x) * p->mz2);
}

double mue_g2_delta_amu(double m_zp, double g, double m_mu, double *err)
{
    quiet_gsl();
    g2_par par = {m_mu * m_mu, m_zp * m_zp};
    gsl_function F = {g2_kernel, &par};
    gsl_integration_workspace *w = gsl_integration_workspace_alloc(200);
    double I = NAN, e = 0.0;
    /* for m_Z' << m_mu the integrand turns on over x ~ m_Z'/m_mu: give QAGP that point */
    double pts[3] = {0.0, fmin(m_zp / m_mu, 0.5), 1.0};
    if (w && gsl_integration_qagp(&F, pts, 3, 0.0, 1e-11, 200, w, &I, &e))
        I = NAN;
    gsl_integration_workspace_free(w);
    double pref = g * g / (8.0 * MUE_PI * MUE_PI);
    if (err)
        *err = pref * e;
    return pref * I;
}

double mue_g2_coupling_for(double m_zp, double target, double m_mu)
{
    if (!(target > 0.0))
        return 0.0;
    return sqrt(target / mue_g2_delta_amu(m_zp, 1.0, m_mu, NULL));
}

typedef struct {
    double s, mm, me, alpha;
} el_par;

/* dsigma/d ln(tau) in fb, tau = -t */
static double el_kernel(double lntau, void *vp)
{
    const el_par *p = vp;
    double tau = exp(lntau);
    return tau * MUE_GEV2_TO_FB * mue_elastic_dsigma_dt(p->s, -tau, p->mm, p->me, p->alpha);
}

double mue_elastic_sigma_quad(const mue_params *p, double ee_min, double ee_max, double *err)
{
    quiet_gsl();
    mue_collision c = mue_collision_make(p->e_beam, p->m_mu, p->m_e);
    double tau_lo = 2.0 * p->m_e * (ee_min - p->m_e), tau_hi = 2.0 * p->m_e * (ee_max - p->m_e);
    double tau_kin = mue_kallen(c.s, p->m_mu * p->m_mu, p->m_e * p->m_e) / c.s;
    if (tau_hi > tau_kin)
        tau_hi = tau_kin;
    if (!(tau_lo > 0.0) || tau_hi <= tau_lo) {
        if (err)
            *err = 0.0;
        return tau_lo > 0.0 ? 0.0 : INFINITY;
    }
    el_par par = {c.s, p->m_mu, p->m_e, p->alpha};
    gsl_function F = {el_kernel, &par};
    gsl_integration_workspace *w = gsl_integration_workspace_alloc(500);
    double I = NAN, e = 0.0;
    if (w && gsl_integration_qag(&F, log(tau_lo), log(tau_hi), 0.0, 1e-12, 500,
                                 GSL_INTEG_GAUSS61, w, &I, &e))
        I = NAN;
    gsl_integration_workspace_free(w);
    if (err)
        *err = e;
    return I;
}

typedef struct {
    double e_beam, mm, me, target;
} th_par;

static double theta_gap(double theta_e, void *vp)
{
    const th_par *p = vp;
    return mue_elastic_theta_mu(theta_e, p->e_beam, p->mm, p->me) - p->target;
}

double mue_elastic_ee_min(double theta_th, double e_beam, double m_mu, double m_e)
{
    quiet_gsl();
    double s = m_mu * m_mu + m_e * m_e + 2.0 * m_e * e_beam;
    double R = (m_mu * m_mu + m_e * e_beam) / (m_e * m_e + m_e * e_beam);
    double gam = (m_e + e_beam) / sqrt(s);
    /* Eq. 1 peaks at tan^2(theta_e) = (R - 1)/((R + 1) gamma^2); beyond it theta_mu falls
     * to 0 at theta_e = pi/2 while E_e falls to m_e: the largest theta_e with
     * theta_mu = theta_th gives the smallest E_e */
    double th_peak = atan(sqrt((R - 1.0) / ((R + 1.0) * gam * gam)));
    if (theta_th <= 0.0)
        return m_e;
    th_par par = {e_beam, m_mu, m_e, theta_th};
    if (theta_gap(th_peak, &par) <= 0.0)
        return -1.0;
    gsl_function F = {theta_gap, &par};
    gsl_root_fsolver *rs = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    double lo = th_peak, hi = 0.5 * MUE_PI - 1e-12, root = NAN;
    if (rs && gsl_root_fsolver_set(rs, &F, lo, hi) == GSL_SUCCESS) {
        for (int i = 0; i < 200; i++) {
            if (gsl_root_fsolver_iterate(rs))
                break;
            root = gsl_root_fsolver_root(rs);
            lo = gsl_root_fsolver_x_lower(rs);
            hi = gsl_root_fsolver_x_upper(rs);
            if (gsl_root_test_interval(lo, hi, 0.0, 1e-14) == GSL_SUCCESS)
                break;
        }
    }
    gsl_root_fsolver_free(rs);
    return mue_elastic_ee(root, e_beam, m_mu, m_e);
}

/* Largest lab angle of the muon in mu e -> mu Y, Y of mass MY (2-body). */
static double theta_mu_max_2body(const mue_params *p, double MY)
{
    mue_collision c = mue_collision_make(p->e_beam, p->m_mu, p->m_e);
    double mm2 = p->m_mu * p->m_mu, l = mue_kallen(c.s, mm2, MY * MY);
    if (!(l > 0.0))
        return 0.0;
    double pf = sqrt(l) / (2.0 * c.rs), ef = (c.s + mm2 - MY * MY) / (2.0 * c.rs);
    double p_beam = sqrt((p->e_beam - p->m_mu) * (p->e_beam + p->m_mu));
    double beta = p_beam / (p->e_beam + p->m_e), gam = (p->e_beam + p->m_e) / c.rs;
    double v = pf / ef;
    if (beta <= v)
        return MUE_PI; /* the muon can go backwards in the lab */
    return atan(1.0 / (gam * sqrt(beta * beta / (v * v) - 1.0)));
}

typedef struct {
    const mue_params *p;
} endpoint_par;

static double endpoint_gap(double mz, void *vp)
{
    const mue_params *p = ((const endpoint_par *)vp)->p;
    return theta_mu_max_2body(p, p->m_e + mz) - p->cuts.theta_mu_min;
}

double mue_zprime_mass_endpoint(const mue_params *p)
{
    quiet_gsl();
    mue_collision c = mue_collision_make(p->e_beam, p->m_mu, p->m_e);
    double lim = c.rs - p->m_mu - p->m_e;
    if (!p->cuts.enabled || !(p->cuts.theta_mu_min > 0.0))
        return lim;
    endpoint_par par = {p};
    gsl_function F = {endpoint_gap, &par};
    double lo = 0.0, hi = lim * (1.0 - 1e-12);
    if (endpoint_gap(lo, &par) <= 0.0)
        return 0.0; /* cut (i) removes even the elastic-like events */
    if (endpoint_gap(hi, &par) > 0.0)
        return lim;
    gsl_root_fsolver *rs = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    double root = 0.5 * (lo + hi);
    if (rs && gsl_root_fsolver_set(rs, &F, lo, hi) == GSL_SUCCESS)
        for (int i = 0; i < 200; i++) {
            if (gsl_root_fsolver_iterate(rs))
                break;
            root = gsl_root_fsolver_root(rs);
            if (gsl_root_test_interval(gsl_root_fsolver_x_lower(rs), gsl_root_fsolver_x_upper(rs),
                                       1e-12, 0.0) == GSL_SUCCESS)
                break;
        }
    gsl_root_fsolver_free(rs);
    return root;
}
