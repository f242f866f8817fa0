/* The Z' one-loop contribution to a_mu by GSL quadrature, and the g-2 presets. */
#include "physics1d/g2.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>
#include <math.h>
#include <string.h>

#include "mue/defs.h"

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
    int mirrored; /* the variable is y = 1 - x */
} g2_par;

/* docs/physics.md Eq. (7.1) integrand, 2 m_mu^2 x^2 (1 - x) / (x^2 m_mu^2 + (1 - x) m_Z'^2),
 * in x on [0, 1/2] and in y = 1 - x on [0, 1/2]: near x = 1, where a heavy Z' turns
 * it off over 1 - x ~ (m_mu/m_Z')^2, 1 - x in double precision would have lost its
 * digits. */
static double g2_kernel(double t, void *vp)
{
    const g2_par *p = vp;
    double x = p->mirrored ? 1.0 - t : t, y = p->mirrored ? t : 1.0 - t;
    return 2.0 * p->mm2 * x * x * y / (x * x * p->mm2 + y * p->mz2);
}

/* One half, split where the integrand turns on or off (feature). CQUAD, not QAGP: on
 * the narrow turn-off of a Z' of some TeV, QAGP's extrapolation reported round-off. The
 * absolute tolerance is set by the size of the integral, 1 (light Z') to
 * (2/3)(m_mu/m_Z')^2 (heavy), so that the tiny piece below the feature does not ask
 * for digits double precision does not have. */
static int g2_half(g2_par *par, double feature, gsl_integration_cquad_workspace *w, double *I,
                   double *e)
{
    gsl_function F = {g2_kernel, par};
    double f = fmin(feature, 0.25), abs_tol = 1e-14 * fmin(1.0, par->mm2 / par->mz2);
    double I1, e1, I2, e2;
    int rc = gsl_integration_cquad(&F, 0.0, f, abs_tol, 1e-12, w, &I1, &e1, NULL);
    rc |= gsl_integration_cquad(&F, f, 0.5, abs_tol, 1e-12, w, &I2, &e2, NULL);
    *I = I1 + I2;
    *e = e1 + e2;
    return rc;
}

double mue_g2_delta_amu(double m_zp, double g, double m_mu, double *err)
{
    quiet_gsl();
    g2_par lo = {m_mu * m_mu, m_zp * m_zp, 0}, hi = lo;
    hi.mirrored = 1;
    gsl_integration_cquad_workspace *w = gsl_integration_cquad_workspace_alloc(200);
    double I1 = NAN, I2 = NAN, e1 = 0.0, e2 = 0.0;
    /* m_Z' << m_mu: on over x ~ m_Z'/m_mu; m_Z' >> m_mu: off over y ~ (m_mu/m_Z')^2 */
    if (!w || g2_half(&lo, m_zp / m_mu, w, &I1, &e1) ||
        g2_half(&hi, lo.mm2 / lo.mz2, w, &I2, &e2))
        I1 = NAN;
    gsl_integration_cquad_workspace_free(w);
    double pref = g * g / (8.0 * MUE_PI * MUE_PI);
    if (err)
        *err = pref * (e1 + e2);
    return pref * (I1 + I2);
}

double mue_g2_coupling_for(double m_zp, double target, double m_mu)
{
    if (!(target > 0.0))
        return 0.0;
    return sqrt(target / mue_g2_delta_amu(m_zp, 1.0, m_mu, NULL));
}

