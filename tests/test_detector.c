/* The detector model (docs/physics.md, Detector): the smeared energy's mean and width
 * against the model, the analytic window probability against GSL's Gaussian tails and
 * against sampling, cluster merging and the veto on synthetic mu e gamma events, the
 * elastic leak against an independent quadrature, and the smearing's determinism (any
 * thread count, the same bits). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>

#include "backends/cpu_backend.h"
#include "run/detector_config.h"
#include "run/integrate.h"
#include "vegas/iteration.h"
#include "mue/detector_select.h"
#include "mue/elastic.h"
#include "mue/rng.h"

/* ---- smearing against the model ---- */

/* n smeared energies of a cluster of true energy e, from the counter-based stream */
static void smear_moments(const mue_detector *d, double e, int n, double *mean, double *var)
{
    double s1 = 0.0, s2 = 0.0;
    for (int i = 0; i < n; i++) {
        double u[MUE_DET_NU], z0, z1;
        mue_rng_uniforms(11, 0, (uint64_t)i, MUE_DET_NU, u);
        mue_det_normals(u[0], u[1], &z0, &z1);
        double v = mue_ecal_smear(d, e, z0, u[2]) - e;
        s1 += v;
        s2 += v * v;
    }
    *mean = s1 / n;
    *var = s2 / n - *mean * *mean;
}

static void test_smearing_moments(void **state)
{
    (void)state;
    const int n = 400000;
    mue_detector d = mue_detector_default();
    const double es[] = {2.0, 10.0, 40.0};
    for (int t = 0; t < 2; t++) {
        d.tail_frac = t ? 0.05 : 0.0;
        d.tail_scale = 3.0;
        for (int k = 0; k < 3; k++) {
            double s = mue_ecal_sigma(&d, es[k]);
            /* Eq. (14.2): the variance of the mixture */
            double want = s * s * (1.0 - d.tail_frac + d.tail_frac * d.tail_scale * d.tail_scale);
            double mean, var;
            smear_moments(&d, es[k], n, &mean, &var);
            /* standard errors of the mean and of the variance (kurtosis of the mixture
             * at most ~ 3 x 9 for these tails: a generous 4-sigma band from it) */
            double se_mean = sqrt(want / n), se_var = want * sqrt(30.0 / n);
            print_message("E %g GeV, tail %g: mean %.3g (se %.2g), sd %.5g vs model %.5g\n", es[k],
                          d.tail_frac, mean, se_mean, sqrt(var), sqrt(want));
            assert_true(fabs(mean) < 4.0 * se_mean);
            assert_true(fabs(var - want) < 4.0 * se_var);
        }
    }
    /* Eq. (14.1) at 40 GeV: the default model is inside the paper's 2-5 % */
    d = mue_detector_default();
    double r40 = mue_ecal_sigma(&d, 40.0) / 40.0;
    assert_true(r40 > 0.02 && r40 < 0.05);
}

/* The window probability (Eq. 11.3) against GSL's Gaussian tail functions, far into
 * the tails where a difference of two numbers near 1 would lose every digit. */
static void test_window_probability(void **state)
{
    (void)state;
    const double lo = 1.0, hi = 25.0, s = 1.3;
    const double xs[] = {-3.0, 0.5, 1.2, 13.0, 24.0, 26.0, 30.0, 38.0, 45.0, 60.0};
    for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++) {
        double x = xs[i];
        double ref = x >= hi   ? gsl_cdf_gaussian_Q(x - hi, s) - gsl_cdf_gaussian_Q(x - lo, s)
                     : x <= lo ? gsl_cdf_gaussian_Q(lo - x, s) - gsl_cdf_gaussian_Q(hi - x, s)
                               : 1.0 - gsl_cdf_gaussian_Q(x - lo, s) - gsl_cdf_gaussian_Q(hi - x, s);
        double p = mue_det_p_window(x, lo, hi, s);
        print_message("x = %g: P = %.15g, GSL %.15g\n", x, p, ref);
        assert_true(p > 0.0 && p <= 1.0);
        assert_true(fabs(p - ref) <= 1e-12 * ref);
    }
    assert_true(mue_det_p_window(30.0, lo, hi, 0.0) == 0.0 && mue_det_p_window(3.0, lo, hi, 0.0) == 1.0);

    /* and against the sampled smearing: the share of draws that land inside */
    mue_detector d = mue_detector_default();
    d.tail_frac = 0.1;
    const double es[] = {0.8, 25.5, 27.0};
    for (size_t k = 0; k < 3; k++) {
        const int n = 200000;
        int in = 0;
        for (int i = 0; i < n; i++) {
            double u[MUE_DET_NU], z0, z1;
            mue_rng_uniforms(12, 1, (uint64_t)i, MUE_DET_NU, u);
            mue_det_normals(u[0], u[1], &z0, &z1);
            double v = mue_ecal_smear(&d, es[k], z0, u[2]);
            in += v > lo && v < hi;
        }
        double p = mue_ecal_p_window(&d, es[k], lo, hi), f = (double)in / n;
        print_message("E %g: sampled %.5f, expected %.5f\n", es[k], f, p);
        assert_true(fabs(f - p) < 4.0 * sqrt(p * (1.0 - p) / n));
    }
}

/* ---- clusters and the veto on synthetic events ---- */

static mue_collision col(void) { return mue_collision_make(150.0, MUE_M_MU, MUE_M_E); }

/* A lab momentum (energy e, angle th, azimuth ph) of mass m, as the CM four-vector an
 * event holds: the inverse of Eq. (1.6) */
static mue_p4 cm_from_lab(const mue_collision *c, double e, double th, double ph, double m)
{
    double p = sqrt((e - m) * (e + m));
    double px = p * sin(th) * cos(ph), py = p * sin(th) * sin(ph), pz = p * cos(th);
    double pp = (e + pz) * c->exp_my, pm = (e - pz) * c->exp_y;
    return mue_p4_make(0.5 * (pp + pm), px, py, 0.5 * (pp - pm));
}

/* muon at 2 mrad, electron ee at the_e, and a photon when eg > 0 */
static mue_event synthetic(const mue_collision *c, double th_mu, double ee, double th_e,
                           double eg, double th_g, double ph_g)
{
    mue_event ev;
    memset(&ev, 0, sizeof ev);
    ev.n = eg > 0.0 ? 3 : 2;
    mue_event_set(&ev, MUE_EV_MUON, MUE_PID_MUON, MUE_M_MU, cm_from_lab(c, 100.0, th_mu, 0.0, MUE_M_MU));
    mue_event_set(&ev, MUE_EV_ELECTRON, MUE_PID_ELECTRON, MUE_M_E, cm_from_lab(c, ee, th_e, 0.0, MUE_M_E));
    ev.tau = 2.0 * MUE_M_E * (ee - MUE_M_E); /* Eq. (2.5) */
    if (eg > 0.0)
        mue_event_set(&ev, 2, MUE_PID_PHOTON, 0.0, cm_from_lab(c, eg, th_g, ph_g, 0.0));
    return ev;
}

static mue_detector perfect(void)
{
    mue_detector d = mue_detector_default();
    d.ecal_a = d.ecal_b = d.ecal_c = 0.0;
    d.theta_mu_res = 0.0;
    d.mode = MUE_DET_EXPECT;
    d.veto_ineff = 0.25;
    return d;
}

static void test_merging_and_veto(void **state)
{
    (void)state;
    const mue_collision c = col();
    mue_detector d = perfect();
    const double u[MUE_DET_NU] = {0.5, 0.5, 0.5};
    struct {
        const char *what;
        double th_mu, ee, th_e, eg, th_g, ph_g;
        int cuts;
        double keep;
    } cases[] = {
        {"no photon, inside (i)+(ii)", 2e-3, 20.0, 5e-3, 0, 0, 0, MUE_DET_CUT_ALL, 1.0},
        {"muon below cut (i)", 1.4e-3, 20.0, 5e-3, 0, 0, 0, MUE_DET_CUT_ALL, 0.0},
        {"photon 0.5 mrad from the electron: merged, 40 GeV fails (ii)", 2e-3, 20.0, 5e-3, 20.0,
         5.5e-3, 0.0, MUE_DET_CUT_ALL, 0.0},
        {"same azimuthal offset of 0.75 mrad: merged", 2e-3, 20.0, 5e-3, 20.0, 5e-3, 0.15,
         MUE_DET_CUT_ALL, 0.0},
        {"small merged photon: 20 + 3 GeV passes (ii)", 2e-3, 20.0, 5e-3, 3.0, 5.5e-3, 0.0,
         MUE_DET_CUT_ALL, 1.0},
        {"small merged photon: 23 + 3 GeV fails (ii)", 2e-3, 23.0, 5e-3, 3.0, 5.5e-3, 0.0,
         MUE_DET_CUT_ALL, 0.0},
        {"photon 2 mrad away, hard: vetoed up to the inefficiency", 2e-3, 20.0, 5e-3, 20.0, 7e-3, 0.0,
         MUE_DET_CUT_ALL, 0.25},
        {"photon 2 mrad away, hard, veto not applied", 2e-3, 20.0, 5e-3, 20.0, 7e-3, 0.0,
         MUE_DET_CUT_I | MUE_DET_CUT_II, 1.0},
        {"photon 2 mrad away below the veto threshold", 2e-3, 20.0, 5e-3, 0.5, 7e-3, 0.0,
         MUE_DET_CUT_ALL, 1.0},
        {"photon outside the ECAL (0.6 rad): unseen", 2e-3, 20.0, 5e-3, 20.0, 0.6, 0.0,
         MUE_DET_CUT_ALL, 1.0},
        {"electron outside the ECAL: (ii) not measured", 2e-3, 20.0, 0.6, 0, 0, 0, MUE_DET_CUT_ALL, 0.0},
        {"electron outside, cut (i) only", 2e-3, 20.0, 0.6, 0, 0, 0, MUE_DET_CUT_I, 1.0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mue_event ev = synthetic(&c, cases[i].th_mu, cases[i].ee, cases[i].th_e, cases[i].eg,
                                 cases[i].th_g, cases[i].ph_g);
        d.cuts = cases[i].cuts;
        for (int mode = 0; mode < 2; mode++) {
            d.mode = mode ? MUE_DET_EXPECT : MUE_DET_SAMPLE;
            double k = mue_detector_keep(&d, &c, &ev, u);
            print_message("%s (%s): keep %g\n", cases[i].what, mode ? "expect" : "sample", k);
            assert_true(k == cases[i].keep);
        }
    }
    /* the cluster energy and the opening angle themselves */
    d.cuts = MUE_DET_CUT_ALL;
    mue_event ev = synthetic(&c, 2e-3, 20.0, 5e-3, 3.0, 5e-3, 0.15);
    mue_det_clusters k = mue_det_make_clusters(&d, &c, &ev);
    assert_true(fabs(k.e_cluster - 23.0) < 1e-9 && k.electron_in && !k.veto);
    double pe, ze, pg, zg;
    mue_det_lab(&c, ev.p[1], MUE_M_E, &pe, &ze);
    mue_det_lab(&c, ev.p[2], 0.0, &pg, &zg);
    double open = mue_det_opening(ev.p[1].x, ev.p[1].y, ze, ev.p[2].x, ev.p[2].y, zg);
    /* two directions at 5 mrad, 0.15 rad apart in azimuth: 2 asin(sin 5 mrad sin 0.075) */
    assert_true(fabs(open - 2.0 * asin(sin(5e-3) * sin(0.075))) < 1e-12);
    /* the resolution decides: at 0.5 mrad the same pair is two clusters */
    d.cluster_dtheta = 0.5e-3;
    k = mue_det_make_clusters(&d, &c, &ev);
    assert_true(fabs(k.e_cluster - 20.0) < 1e-9 && k.veto);
}

/* ---- the elastic leak against an independent quadrature ---- */

typedef struct {
    mue_detector d;
    double beta; /* of the lab electron, Eq. (2.2) */
    mue_collision c;
} leak_ctx;

/* dN/dE_e / L of elastic events passing (i) and (ii) measured: dsigma/dtau (Eq. 5.2)
 * times 2 m_e, times the Gaussian probabilities from GSL; theta_mu from Eqs. (2.1) and
 * (2.2) (not the tau window of the generator) */
static double leak_integrand(double e, void *p)
{
    const leak_ctx *L = p;
    const double me = MUE_M_E, mm = MUE_M_MU;
    double tau = 2.0 * me * (e - me);
    double c2 = (e - me) / (L->beta * L->beta * (e + me));
    if (!(c2 > 0.0 && c2 < 1.0))
        return 0.0;
    double th_e = acos(sqrt(c2));
    double th_mu = mue_elastic_theta_mu(th_e, 150.0, mm, me);
    const mue_detector *d = &L->d;
    double pth = gsl_cdf_gaussian_P(th_mu - d->theta_mu_min, d->theta_mu_res);
    double s = sqrt(d->ecal_a * d->ecal_a * e + d->ecal_b * d->ecal_b * e * e + d->ecal_c * d->ecal_c);
    double pe = 0.0;
    for (int t = 0; t < 2; t++) {
        double w = t ? d->tail_frac : 1.0 - d->tail_frac, st = t ? d->tail_scale * s : s;
        if (w > 0.0) /* e is above the window here: both tails from above */
            pe += w * (gsl_cdf_gaussian_Q(e - d->ee_max, st) - gsl_cdf_gaussian_Q(e - d->ee_min, st));
    }
    return MUE_GEV2_TO_FB * mue_elastic_dsigma_dt(L->c.s, -tau, mm, me, MUE_ALPHA0) * 2.0 * me * pth * pe;
}

static double leak_quadrature(const mue_detector *d)
{
    leak_ctx L = {*d, sqrt((150.0 - MUE_M_MU) * (150.0 + MUE_M_MU)) / (150.0 + MUE_M_E), col()};
    L.d.theta_mu_min = 1.5e-3;
    L.d.ee_min = 1.0;
    L.d.ee_max = 25.0;
    gsl_set_error_handler_off();
    gsl_integration_workspace *w = gsl_integration_workspace_alloc(2000);
    gsl_function F = {leak_integrand, &L};
    /* pieces around the edge of cut (i) (37.94 GeV) and up the falling tail */
    const double edges[] = {30.0, 37.0, 37.9, 38.0, 39.0, 42.0, 50.0, 70.0, 139.8};
    double sum = 0.0, esum = 0.0;
    for (size_t i = 0; i + 1 < sizeof edges / sizeof edges[0]; i++) {
        double r, err;
        int st = gsl_integration_qag(&F, edges[i], edges[i + 1], 0.0, 1e-11, 2000, GSL_INTEG_GAUSS61,
                                     w, &r, &err);
        (void)st;
        sum += r;
        esum += err;
    }
    /* a piece that stops on roundoff still has its error estimate: the total's is what
     * the comparison needs */
    assert_true(esum < 1e-7 * sum);
    gsl_integration_workspace_free(w);
    return sum;
}

static void test_leak_vs_quadrature(void **state)
{
    (void)state;
    struct {
        double b, frac, res;
    } models[] = {{0.035, 0.0, 1e-5}, {0.05, 0.0, 1e-5}, {0.035, 0.01, 1e-5}, {0.05, 0.0, 1e-6}};
    for (size_t i = 0; i < sizeof models / sizeof models[0]; i++) {
        mue_run_config c = mue_run_config_default();
        c.process = MUE_PROC_ELASTIC;
        c.points = 100000;
        c.rel_error = 1e-4;
        c.par.det = mue_detector_default();
        c.par.det.enabled = 1;
        c.par.det.mode = MUE_DET_EXPECT;
        c.par.det.cuts = MUE_DET_CUT_I | MUE_DET_CUT_II;
        c.par.det.ecal_b = models[i].b;
        c.par.det.tail_frac = models[i].frac;
        c.par.det.theta_mu_res = models[i].res;
        mue_run_result r;
        char why[256];
        assert_int_equal(mue_run_integrate(&c, &r, why, sizeof why), 0);
        double q = leak_quadrature(&c.par.det);
        double pull = (r.sigma_fb - q) / r.sigma_err_fb;
        print_message("b %g, tail %g, theta res %g: MC %.10g +- %.3g fb, quadrature %.10g fb, pull %.2f\n",
                      models[i].b, models[i].frac, models[i].res, r.sigma_fb, r.sigma_err_fb, q, pull);
        assert_true(q > 0.0 && r.sigma_fb > 0.0);
        assert_true(fabs(pull) < 5.0 || fabs(r.sigma_fb - q) < 1e-6 * q);
        assert_true(fabs(r.sigma_fb - q) < 1e-3 * q);
    }
}

/* ---- determinism and consistency ---- */

static mue_setup zprime_det(int mode)
{
    mue_params p = mue_params_default();
    p.input[MUE_ZPRIME_MASS] = 0.01;
    p.input[MUE_ZPRIME_COUPLING] = 5e-4;
    p.det.enabled = 1;
    p.det.mode = mode;
    p.det.tail_frac = 0.05;
    mue_setup S;
    const char *why;
    assert_true(mue_setup_make(MUE_PROC_ZPRIME, &p, &S, &why));
    return S;
}

/* the sampled smearing: same bits on 1 and 2 threads, and in any split of the slices */
static void test_threads_bit_identical(void **state)
{
    (void)state;
    mue_setup S = zprime_det(MUE_DET_SAMPLE);
    mue_vegas_grid g;
    mue_vegas_grid_init(&g, S.ndim, 64);
    uint64_t n = mue_vegas_stratify_points(&g, 3000000, 1);
    mue_acc *a = calloc(1, sizeof *a), *b = calloc(1, sizeof *b);
    mue_cpu_ctx one = {mue_cpu_physics_point, &S, 9, 1}, two = {mue_cpu_physics_point, &S, 9, 2};
    assert_int_equal(mue_cpu_iteration(&one, &g, 2, n, NULL, a), 0);
    assert_int_equal(mue_cpu_iteration(&two, &g, 2, n, NULL, b), 0);
    print_message("%llu points: sum %.17g, %lld nonzero\n", (unsigned long long)n, a->sum_f, a->n_nonzero);
    assert_true(a->sum_f > 0.0 && a->n_nonzero > 0);
    assert_memory_equal(a, b, sizeof *a);
    /* and the detector's draws are used: another seed moves the smeared sum */
    mue_cpu_ctx other = {mue_cpu_physics_point, &S, 10, 2};
    memset(b, 0, sizeof *b);
    assert_int_equal(mue_cpu_iteration(&other, &g, 2, n, NULL, b), 0);
    assert_true(a->sum_f != b->sum_f);
    free(a);
    free(b);
}

/* The point draws its detector uniforms after its integration variables: the
 * integrand seen by the backend is the physics with exactly those uniforms */
static void test_point_uses_its_stream(void **state)
{
    (void)state;
    mue_setup S = zprime_det(MUE_DET_SAMPLE);
    mue_vegas_grid g;
    mue_vegas_grid_init(&g, S.ndim, 64);
    g.nstrat = 1;
    mue_range r = {0, 1, 0, 1};
    int differ = 0, nonzero = 0;
    for (uint64_t i = 0; i < 3000; i++) {
        r.first = i;
        mue_acc *a = calloc(1, sizeof *a);
        mue_cpu_ctx one = {mue_cpu_physics_point, &S, 21, 1};
        assert_int_equal(mue_cpu_eval(&one, &g, 3, &r, 1, NULL, a), 0);
        double u[MUE_VEGAS_MAXDIM], x[MUE_VEGAS_MAXDIM];
        int bin[MUE_VEGAS_MAXDIM];
        mue_rng_uniforms(21, 3, i, S.ndim + MUE_DET_NU, u);
        double jac = mue_vegas_map(&g, u, x, bin);
        for (int k = S.ndim; k < S.ndim + MUE_DET_NU; k++)
            x[k] = u[k];
        double w = mue_integrand(&S, x, NULL) * jac;
        differ += memcmp(&w, &a->sum_f, sizeof w) != 0;
        nonzero += w != 0.0;
        free(a);
    }
    print_message("3000 points, %d nonzero: %d differ\n", nonzero, differ);
    assert_int_equal(differ, 0);
    assert_true(nonzero > 50);
}

static mue_run_result run(mue_run_config *c)
{
    mue_run_result r;
    char why[256];
    int rc = mue_run_integrate(c, &r, why, sizeof why);
    if (rc)
        print_error("%s\n", why);
    assert_int_equal(rc, 0);
    return r;
}

/* sampled and expected smearing estimate the same sigma; a detector of zero widths
 * and full acceptance gives the ideal selection's sigma (the same points) */
static void test_modes_agree(void **state)
{
    (void)state;
    mue_run_config c = mue_run_config_default();
    c.par.input[MUE_ZPRIME_MASS] = 0.01;
    c.par.input[MUE_ZPRIME_COUPLING] = 5e-4;
    c.points = 200000;
    c.rel_error = 1e-3;
    mue_run_result ideal = run(&c);
    c.par.det = mue_detector_default();
    c.par.det.enabled = 1;
    c.par.det.tail_frac = 0.05;
    mue_run_result smp = run(&c);
    c.par.det.mode = MUE_DET_EXPECT;
    mue_run_result exp = run(&c);
    double pull = (smp.sigma_fb - exp.sigma_fb) / hypot(smp.sigma_err_fb, exp.sigma_err_fb);
    print_message("ideal %.6g, sampled %.6g +- %.2g, expected %.6g +- %.2g fb: pull %.2f\n",
                  ideal.sigma_fb, smp.sigma_fb, smp.sigma_err_fb, exp.sigma_fb, exp.sigma_err_fb, pull);
    assert_true(fabs(pull) < 4.0);
    /* zero widths: the generation window is the cut window (to 1e-12), the weights the
     * ideal ones */
    c.par.det = mue_detector_default();
    c.par.det.enabled = 1;
    c.par.det.ecal_a = c.par.det.ecal_b = c.par.det.ecal_c = 0.0;
    c.par.det.theta_mu_res = 0.0;
    c.par.det.ecal_size = MUE_ECAL_SIZE_MAX;
    c.par.det.ecal_dist = 0.01;
    mue_run_result zero = run(&c);
    print_message("zero widths %.12g, ideal %.12g\n", zero.sigma_fb, ideal.sigma_fb);
    assert_true(fabs(zero.sigma_fb - ideal.sigma_fb) < 1e-6 * ideal.sigma_fb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_smearing_moments),   cmocka_unit_test(test_window_probability),
        cmocka_unit_test(test_merging_and_veto),   cmocka_unit_test(test_leak_vs_quadrature),
        cmocka_unit_test(test_threads_bit_identical), cmocka_unit_test(test_point_uses_its_stream),
        cmocka_unit_test(test_modes_agree),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
