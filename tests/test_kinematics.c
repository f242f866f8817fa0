/* Paper Eqs. 1-3 and the kinematic numbers of docs/physics.md; the exact 2 -> 2 limits and
 * the lab transformation the cuts rely on. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "physics1d/kinematic_limits.h"
#include "run/integrate.h"
#include "mue/process.h"

/* the four observables of mu e + X, in their list order */
static const mue_obs_kind muone_kinds[MUE_MUONE_NOBS] = {
    {MUE_EV_ELECTRON, MUE_QTY_ENERGY, 0.0}, {MUE_EV_ELECTRON, MUE_QTY_THETA, 0.0},
    {MUE_EV_MUON, MUE_QTY_THETA, 0.0}, {MUE_EV_MUON, MUE_QTY_ENERGY, 0.0}};

static void test_numbers_of_physics_md(void **state)
{
    (void)state;
    mue_params p = mue_params_default();
    mue_collision c = mue_collision_make(p.e_beam, p.m_mu, p.m_e);
    /* docs/physics.md quotes 4-5 digits; the tolerances are half a unit of the last one */
    assert_true(fabs(c.rs - 0.40554) < 5e-6);
    assert_true(fabs(mue_zprime_mass_limit(&p) - 0.2994) < 5e-5);
    double thmax = mue_elastic_theta_mu_max(p.e_beam, p.m_mu, p.m_e);
    assert_true(fabs(thmax - 4.836e-3) < 5e-7);
    double eemin = mue_elastic_ee_min(1.5e-3, p.e_beam, p.m_mu, p.m_e);
    assert_true(fabs(eemin - 37.94) < 5e-3);
    /* above the largest angle no elastic event exists */
    assert_true(mue_elastic_ee_min(5e-3, p.e_beam, p.m_mu, p.m_e) < 0.0);
}

/* The Fig. 1 curve: at each threshold, E_e^min put back through Eq. 3 (inverted for
 * theta_e) and Eq. 1 gives the threshold again, on the wide-angle branch. */
static void test_fig1_curve_against_eqs(void **state)
{
    (void)state;
    mue_params p = mue_params_default();
    double E = p.e_beam, mm = p.m_mu, me = p.m_e;
    double beta = sqrt((E - mm) * (E + mm)) / (E + me);
    const double th[] = {1e-4, 1e-3, 1.5e-3, 3e-3, 4.5e-3, 4.83e-3};
    double prev = 0.0;
    for (size_t i = 0; i < sizeof th / sizeof th[0]; i++) {
        double ee = mue_elastic_ee_min(th[i], E, mm, me);
        double c2 = (ee - me) / (beta * beta * (ee + me)); /* Eq. 3 solved for cos^2 */
        double theta_e = acos(sqrt(c2));
        double back = mue_elastic_theta_mu(theta_e, E, mm, me);
        /* Brent stops at 1e-14 in theta_e; near theta_max the curve is flat, so the
         * returned threshold is good to ~1e-9 relative there */
        assert_true(fabs(back / th[i] - 1.0) < 1e-8);
        assert_true(ee > prev); /* rises with the threshold */
        prev = ee;
    }
}

/* theta_mu^max of the text is the maximum of Eq. 1: a coarse scan, then a ternary
 * search on the bracket, which converges to rounding. */
static void test_theta_max_is_maximum_of_eq1(void **state)
{
    (void)state;
    mue_params p = mue_params_default();
    const int n = 20000;
    const double step = 0.5 * MUE_PI / n;
    double best = 0.0, at = 0.0;
    for (int i = 1; i < n; i++) {
        double t = mue_elastic_theta_mu(i * step, p.e_beam, p.m_mu, p.m_e);
        if (t > best) {
            best = t;
            at = i * step;
        }
    }
    double a = at - step, b = at + step;
    for (int it = 0; it < 200; it++) {
        double m1 = a + (b - a) / 3.0, m2 = b - (b - a) / 3.0;
        if (mue_elastic_theta_mu(m1, p.e_beam, p.m_mu, p.m_e) <
            mue_elastic_theta_mu(m2, p.e_beam, p.m_mu, p.m_e))
            a = m1;
        else
            b = m2;
    }
    best = mue_elastic_theta_mu(0.5 * (a + b), p.e_beam, p.m_mu, p.m_e);
    double thmax = mue_elastic_theta_mu_max(p.e_beam, p.m_mu, p.m_e);
    assert_true(fabs(best / thmax - 1.0) < 1e-12);
}

/* Elastic events of the generator obey Eqs. 1 and 3 in the lab, to rounding. */
static void test_generator_obeys_eqs_1_and_3(void **state)
{
    (void)state;
    mue_params p = mue_params_default();
    p.cuts.theta_mu_min = 0.0;
    p.cuts.ee_min = 0.002;
    p.cuts.ee_max = 150.0;
    mue_setup S;
    const char *why;
    assert_int_equal(mue_setup_make(MUE_PROC_ELASTIC, &p, &S, &why), 1);
    int checked = 0;
    for (int i = 1; i < 1000; i++) {
        double x = i / 1000.0;
        mue_event ev;
        if (mue_process_point(&S, &x, &ev) == 0.0)
            continue;
        mue_obs o;
        mue_observables(&S.col, &ev, MUE_MUONE_NOBS, muone_kinds, ~0u, &o);
        double th_mu = mue_elastic_theta_mu(o.v[MUE_OBS_THETA_E], p.e_beam, p.m_mu, p.m_e);
        double ee = mue_elastic_ee(o.v[MUE_OBS_THETA_E], p.e_beam, p.m_mu, p.m_e);
        /* Eq. 3 divides by 1 - beta^2 cos^2 ~ theta_e^2 + 1e-5: ~1e-11 relative here */
        assert_true(fabs(th_mu / o.v[MUE_OBS_THETA_MU] - 1.0) < 1e-8);
        assert_true(fabs(ee / o.v[MUE_OBS_EE] - 1.0) < 1e-8);
        checked++;
    }
    assert_true(checked > 900);
}

/* With theta_mu > 1.5 mrad no elastic electron is softer than E_e^min (Fig. 1). */
static void test_ee_min_bounds_generated_events(void **state)
{
    (void)state;
    mue_params p = mue_params_default();
    p.cuts.ee_min = 0.002;
    p.cuts.ee_max = 150.0;
    mue_setup S;
    const char *why;
    assert_int_equal(mue_setup_make(MUE_PROC_ELASTIC, &p, &S, &why), 1);
    double eemin = mue_elastic_ee_min(1.5e-3, p.e_beam, p.m_mu, p.m_e), lowest = 1e9;
    for (int i = 1; i < 200000; i++) {
        double x[MUE_POINT_MAXU] = {i / 200000.0}; /* the integrand's point: 1 variable here */
        mue_event ev;
        mue_obs o;
        if (mue_integrand(&S, x, &ev) == 0.0)
            continue;
        mue_observables(&S.col, &ev, MUE_MUONE_NOBS, muone_kinds, ~0u, &o);
        if (o.v[MUE_OBS_EE] < lowest)
            lowest = o.v[MUE_OBS_EE];
    }
    assert_true(lowest >= eemin * (1.0 - 1e-12));
    assert_true(lowest < eemin * 1.01); /* and the bound is reached */
}

/* tau_min tau_max = m^2 D^2 / s (the product of the roots t_+ t_- = m^2 (M_X^2 -
 * m_a^2)^2 / s): an independent check of the cancellation-free tau_min. */
static void test_recoil_range_product_identity(void **state)
{
    (void)state;
    mue_params p = mue_params_default();
    mue_collision c = mue_collision_make(p.e_beam, p.m_mu, p.m_e);
    double mm2 = p.m_mu * p.m_mu;
    const double mx[] = {0.1066, 0.11, 0.15, 0.2, 0.3, 0.4, 0.4049};
    for (size_t i = 0; i < sizeof mx / sizeof mx[0]; i++) {
        double tmin = 0.0, tmax = 0.0, pc, D = mx[i] * mx[i] - mm2;
        assert_int_equal(mue_ps_recoil_tau_range(c.s, c.rs, mm2, p.m_e, c.sqrt_lam, mx[i], D,
                                                 &tmin, &tmax, &pc),
                         1);
        double want = p.m_e * p.m_e * D * D / c.s;
        assert_true(fabs(tmin * tmax / want - 1.0) < 1e-12);
        assert_true(tmin > 0.0 && tmin < tmax);
    }
    /* elastic: the forward end is t = 0 exactly, the backward one -lambda/s */
    double tmin = -1.0, tmax = -1.0, pc;
    mue_ps_recoil_tau_range(c.s, c.rs, mm2, p.m_e, c.sqrt_lam, p.m_mu, 0.0, &tmin, &tmax, &pc);
    assert_true(tmin == 0.0);
    assert_true(fabs(tmax / (c.sqrt_lam * c.sqrt_lam / c.s) - 1.0) < 1e-13);
}

/* The light-cone CM -> lab transformation against a direct boost in long double. */
static void test_lab_transform(void **state)
{
    (void)state;
    mue_params p = mue_params_default();
    mue_collision c = mue_collision_make(p.e_beam, p.m_mu, p.m_e);
    long double ms = p.m_mu, me = p.m_e, E = p.e_beam, P = sqrtl(E * E - ms * ms);
    long double bz = P / (E + me), g = 1.0L / sqrtl(1.0L - bz * bz);
    const double ang[] = {0.001, 0.3, 1.5, 2.9, 3.1, 3.14};
    for (size_t i = 0; i < sizeof ang / sizeof ang[0]; i++) {
        double m = i % 2 ? p.m_e : p.m_mu, pabs = 0.15;
        mue_p4 v = mue_p4_make(sqrt(pabs * pabs + m * m), pabs * sin(ang[i]), 0.0, pabs * cos(ang[i]));
        double e_lab, th_lab;
        mue_collision_to_lab(&c, v, m, &e_lab, &th_lab);
        long double ve = sqrtl((long double)pabs * pabs + (long double)m * m);
        long double vz = (long double)pabs * cosl(ang[i]), vx = (long double)pabs * sinl(ang[i]);
        long double le = g * (ve + bz * vz), lz = g * (vz + bz * ve);
        /* long double keeps ~1e-19; the backward electron (ang ~ pi) is where a plain
         * double boost would lose ~6 digits */
        assert_true(fabsl(e_lab / le - 1.0L) < 1e-13L);
        assert_true(fabsl(th_lab / atan2l(vx, lz) - 1.0L) < 1e-12L);
    }
}

/* Cut (i) of elastic scattering as the tau window of Eq. (2.8), against Eq. (2.1)
 * solved numerically: both ends by Brent roots (mue_elastic_ee_min on the wide-angle
 * branch, mue_elastic_ee_max on the forward one); at several thresholds and beam
 * energies.
 * Measured: 2.3e-10 at worst (1000 GeV), which Eq. (2.1)'s own rounding sets: the
 * closed form agrees with its long-double evaluation to 1e-14. */
static void test_cut_i_tau_window(void **state)
{
    (void)state;
    const double beams[] = {20.0, 150.0, 1000.0};
    double worst = 0.0;
    for (size_t b = 0; b < sizeof beams / sizeof *beams; b++) {
        mue_params p = mue_params_default();
        p.e_beam = beams[b];
        mue_collision c = mue_collision_make(p.e_beam, p.m_mu, p.m_e);
        double thmax = mue_elastic_theta_mu_max(p.e_beam, p.m_mu, p.m_e);
        const double frac[] = {0.01, 0.2, 0.31, 0.6, 0.9, 0.999};
        for (size_t k = 0; k < sizeof frac / sizeof *frac; k++) {
            double th = frac[k] * thmax, lo = 0.0, hi = 0.0;
            assert_true(mue_elastic_tau_window_theta(&c, th, &lo, &hi));
            double elo = p.m_e + lo / (2.0 * p.m_e), ehi = p.m_e + hi / (2.0 * p.m_e);
            double ref_lo = mue_elastic_ee_min(th, p.e_beam, p.m_mu, p.m_e);
            double ref_hi = mue_elastic_ee_max(th, p.e_beam, p.m_mu, p.m_e);
            double d = fmax(fabs(elo / ref_lo - 1.0), fabs(ehi / ref_hi - 1.0));
            worst = fmax(worst, d);
            if (!(d < 1e-9))
                fail_msg("beam %g GeV, theta %g mrad: window %.15g .. %.15g GeV, roots %.15g .. "
                         "%.15g GeV",
                         p.e_beam, 1e3 * th, elo, ehi, ref_lo, ref_hi);
        }
        /* at and above theta_mu^max: no window */
        double lo, hi;
        assert_false(mue_elastic_tau_window_theta(&c, 1.0001 * thmax, &lo, &hi));
    }
    print_message("cut (i) tau window vs roots of Eq. (2.1): worst relative difference %.2g\n", worst);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_numbers_of_physics_md),
        cmocka_unit_test(test_fig1_curve_against_eqs),
        cmocka_unit_test(test_theta_max_is_maximum_of_eq1),
        cmocka_unit_test(test_generator_obeys_eqs_1_and_3),
        cmocka_unit_test(test_ee_min_bounds_generated_events),
        cmocka_unit_test(test_recoil_range_product_identity),
        cmocka_unit_test(test_lab_transform),
        cmocka_unit_test(test_cut_i_tau_window),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
