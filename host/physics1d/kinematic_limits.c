/* Kinematic limits that need a root (GSL Brent): the elastic E_e^min against the muon
 * angle threshold (paper Fig. 1) and the heaviest Z' that cut (i) leaves a signal for;
 * and the kinematic limit itself. */
#include "physics1d/kinematic_limits.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>
#include <math.h>

#include "mue/collision.h"
#include "mue/elastic.h"

double mue_zprime_mass_limit(const mue_params *p)
{
    mue_collision c = mue_collision_make(p->e_beam, p->m_mu, p->m_e);
    return c.rs - p->m_mu - p->m_e;
}

/* GSL's default handler aborts; every caller here checks the status instead. */
static void quiet_gsl(void) { gsl_set_error_handler_off(); }

typedef struct {
    double e_beam, mm, me, target;
} th_par;

static double theta_gap(double theta_e, void *vp)
{
    const th_par *p = vp;
    return mue_elastic_theta_mu(theta_e, p->e_beam, p->mm, p->me) - p->target;
}

/* Eq. 1 peaks at tan^2(theta_e) = (R - 1)/((R + 1) gamma^2): theta_mu rises from 0 at
 * theta_e = 0 (the forward electron, largest E_e) to its peak, then falls to 0 at
 * theta_e = pi/2 (E_e = m_e). */
static double theta_e_peak(double e_beam, double m_mu, double m_e)
{
    double s = m_mu * m_mu + m_e * m_e + 2.0 * m_e * e_beam;
    double R = (m_mu * m_mu + m_e * e_beam) / (m_e * m_e + m_e * e_beam);
    double gam = (m_e + e_beam) / sqrt(s);
    return atan(sqrt((R - 1.0) / ((R + 1.0) * gam * gam)));
}

/* E_e where theta_mu = theta_th on the branch theta_e in [lo, hi] (Brent); negative if
 * theta_th is at or above the peak. */
static double ee_at_theta(double theta_th, double e_beam, double m_mu, double m_e, double lo,
                          double hi)
{
    quiet_gsl();
    th_par par = {e_beam, m_mu, m_e, theta_th};
    if (theta_gap(theta_e_peak(e_beam, m_mu, m_e), &par) <= 0.0)
        return -1.0;
    gsl_function F = {theta_gap, &par};
    gsl_root_fsolver *rs = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    double root = NAN;
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

double mue_elastic_ee_min(double theta_th, double e_beam, double m_mu, double m_e)
{
    if (theta_th <= 0.0)
        return m_e;
    /* beyond the peak: the largest theta_e with theta_mu = theta_th, the smallest E_e */
    return ee_at_theta(theta_th, e_beam, m_mu, m_e, theta_e_peak(e_beam, m_mu, m_e),
                       0.5 * MUE_PI - 1e-12);
}

double mue_elastic_ee_max(double theta_th, double e_beam, double m_mu, double m_e)
{
    /* before the peak: the smallest theta_e with theta_mu = theta_th, the largest E_e */
    return ee_at_theta(theta_th, e_beam, m_mu, m_e, 0.0, theta_e_peak(e_beam, m_mu, m_e));
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
