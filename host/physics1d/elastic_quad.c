/* The elastic cross section as a one-dimensional integral of dsigma/dt (GSL QAG): the
 * independent check of the Monte Carlo on the elastic process. */
#include "physics1d/elastic_quad.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>
#include <math.h>

#include "mue/collision.h"
#include "mue/elastic.h"

/* GSL's default handler aborts; every caller here checks the status instead. */
static void quiet_gsl(void) { gsl_set_error_handler_off(); }

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

