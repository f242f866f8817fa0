/* Are the quoted errors honest on the physics integrands, for both algorithms (classic
 * VEGAS, beta = 0, and VEGAS+, beta = 0.75)? For each case, 100 seeds of a small run
 * (2e4 points, 1e5 for the light Z', 3 warm-up and 5 production iterations) against a
 * reference: the error
 * must cover it in 68 % of seeds (within 3 binomial standard deviations), the mean
 * pull must lie within 3 standard errors of 0, and chi2/dof over the iterations must
 * average near 1. References: the elastic cross section by one-dimensional quadrature
 * (host/elastic_quad.c), over an electron-energy window found independently of the
 * generator (the roots of Eq. 2.1 at both ends of cut (i)); the signal
 * by a long run (its error, about 1/20 of a seed's, added in quadrature). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "physics1d/elastic_quad.h"
#include "run/integrate.h"
#include "physics1d/kinematic_limits.h"
#include "pulls.h"

#define NSEED 100
#define SEED0 5000u

static mue_run_config small(mue_run_config c, uint64_t points)
{
    c.points = points;
    c.warmup = 3;
    c.iterations = 5;
    c.rel_error = 0.0;
    c.threads = 0;
    return c;
}

/* 100 seeds of c at beta: coverage, mean pull, chi2/dof against ref +- ref_err
 * (pulls.h). */
static void coverage(const char *name, mue_run_config c, double beta, double ref, double ref_err)
{
    static mue_run_result r;
    char why[256];
    pull_stats ps = {0};
    c.beta = beta;
    for (int s = 0; s < NSEED; s++) {
        c.seed = SEED0 + (uint64_t)s;
        int rc = mue_run_integrate(&c, &r, why, sizeof why);
        if (rc)
            fail_msg("%s: %s", name, why);
        assert_true(r.sigma_err_fb > 0.0);
        pull_add(&ps, (r.sigma_fb - ref) / hypot(r.sigma_err_fb, ref_err), r.v.chi2_dof,
                 r.sigma_err_fb / ref);
    }
    pull_check(&ps, name, beta, ref);
}

static void both(const char *name, mue_run_config c, double ref, double ref_err)
{
    coverage(name, c, 0.0, ref, ref_err);
    coverage(name, c, 0.75, ref, ref_err);
}

/* Cut (i) alone in effect (the E_e window reaches past both ends of the cut-(i)
 * window): the case whose pulls reached -10 with the cut a step inside the sampled
 * range. */
static void test_elastic_cut_i(void **state)
{
    (void)state;
    mue_run_config c = small(mue_run_config_default(), 20000);
    c.process = MUE_PROC_ELASTIC;
    c.par.cuts.ee_min = 1.0;
    c.par.cuts.ee_max = 200.0;
    const mue_params *p = &c.par;
    double lo = mue_elastic_ee_min(p->cuts.theta_mu_min, p->e_beam, p->m_mu, p->m_e);
    double hi = mue_elastic_ee_max(p->cuts.theta_mu_min, p->e_beam, p->m_mu, p->m_e);
    double err, ref = mue_elastic_sigma_quad(p, lo, hi, &err);
    print_message("cut (i) as an E_e window: %.12g .. %.12g GeV\n", lo, hi);
    both("elastic, cut (i) only", c, ref, err);
}

static void test_elastic_cut_ii(void **state)
{
    (void)state;
    mue_run_config c = small(mue_run_config_default(), 20000);
    c.process = MUE_PROC_ELASTIC;
    c.par.cuts.theta_mu_min = 0.0;
    double err, ref = mue_elastic_sigma_quad(&c.par, c.par.cuts.ee_min, c.par.cuts.ee_max, &err);
    both("elastic, cut (ii) only", c, ref, err);
}

static void zprime_case(double mass, const char *name, uint64_t points)
{
    mue_run_config c = mue_run_config_default();
    c.par.input[MUE_ZPRIME_MASS] = mass;
    c.par.input[MUE_ZPRIME_COUPLING] = 1e-3;
    /* the reference: 2e6 points x 10 iterations after 5 warm-ups */
    c.points = 2000000;
    c.warmup = 5;
    c.iterations = 10;
    c.rel_error = 0.0;
    c.seed = 424242;
    static mue_run_result r;
    char why[256];
    if (mue_run_integrate(&c, &r, why, sizeof why))
        fail_msg("%s", why);
    both(name, small(c, points), r.sigma_fb, r.sigma_err_fb);
}

/* A light Z' makes the integrand peaked (soft and collinear emission): with 2e4
 * points an iteration often misses the rare large weights, which biases the pulls of
 * both algorithms (-0.35 and -0.40 over 40 seeds); 1e5 points are enough. */
static void test_zprime_1MeV(void **state)
{
    (void)state;
    zprime_case(0.001, "zprime 1 MeV, cuts (i)+(ii)", 100000);
}

static void test_zprime_100MeV(void **state)
{
    (void)state;
    zprime_case(0.1, "zprime 100 MeV, cuts (i)+(ii)", 20000);
}

static void test_zprime_250MeV(void **state)
{
    (void)state;
    zprime_case(0.25, "zprime 250 MeV, cuts (i)+(ii)", 20000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_elastic_cut_i),  cmocka_unit_test(test_elastic_cut_ii),
        cmocka_unit_test(test_zprime_1MeV),    cmocka_unit_test(test_zprime_100MeV),
        cmocka_unit_test(test_zprime_250MeV),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
