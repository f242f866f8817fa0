/* The 3-body map: its volume against the Dalitz-plot area (GSL quadrature) and the
 * massless closed form, momentum conservation, and the invariants it hands |M|^2. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <gsl/gsl_integration.h>

#include "backends/cpu_backend.h"
#include "mue/process.h"

typedef struct {
    mue_params par;
    mue_collision col;
    mue_zprime_unit u;
} ps_ctx;

static double volume_point(const void *vctx, const double *x, const mue_hist_spec *hs, mue_obs *o)
{
    (void)hs;
    (void)o;
    const ps_ctx *c = vctx;
    mue_event ev;
    mue_zprime_inv inv;
    return mue_zprime_phase_space(&c->par, &c->col, &c->u, x, &ev, &inv);
}

/* Integral of dPhi_3 over the unit cube by our VEGAS; *err its error. */
static double map_volume(const ps_ctx *c, double *err)
{
    mue_cpu_ctx cpu = {volume_point, c, 7, 0};
    mue_vegas_opts o = {400000, 3, 10, 0.0, 1.5, NULL, NULL, NULL, 0, 0.0};
    mue_vegas_result r;
    mue_vegas_state st;
    mue_vegas_state_init(&st, 4, 64);
    assert_int_equal(mue_vegas_run(&st, mue_cpu_iteration, &cpu, &o, &r), 0);
    *err = r.error;
    return r.integral;
}

/* Dalitz: Phi_3 = (1/(128 pi^3 s)) int dm12^2 dm23^2; for fixed m12^2 the m23^2 range
 * has width 4 |p2*| |p3*| (momenta in the 12 rest frame). Particles: 1 = mu, 2 = Z',
 * 3 = e, so m12 is our M_X, an independent route to the same number. */
typedef struct {
    double s, m1, m2, m3;
} dalitz_par;

static double dalitz_width(double m12sq, void *vp)
{
    const dalitz_par *d = vp;
    double m12 = sqrt(m12sq);
    double e2 = (m12sq - d->m1 * d->m1 + d->m2 * d->m2) / (2.0 * m12);
    double e3 = (d->s - m12sq - d->m3 * d->m3) / (2.0 * m12);
    double p2 = sqrt(fmax(e2 * e2 - d->m2 * d->m2, 0.0)), p3 = sqrt(fmax(e3 * e3 - d->m3 * d->m3, 0.0));
    return 4.0 * p2 * p3;
}

static double dalitz_volume(double s, double m1, double m2, double m3)
{
    dalitz_par d = {s, m1, m2, m3};
    gsl_function F = {dalitz_width, &d};
    gsl_integration_workspace *w = gsl_integration_workspace_alloc(1000);
    double area, aerr;
    gsl_integration_qag(&F, (m1 + m2) * (m1 + m2), (sqrt(s) - m3) * (sqrt(s) - m3), 0.0, 1e-12,
                        1000, GSL_INTEG_GAUSS61, w, &area, &aerr);
    gsl_integration_workspace_free(w);
    return area / (128.0 * MUE_PI * MUE_PI * MUE_PI * s);
}

static ps_ctx make_ctx(double e_beam, double mm, double me, double mz)
{
    ps_ctx c;
    c.par = mue_params_default();
    c.par.cuts.enabled = 0;
    c.par.e_beam = e_beam;
    c.par.m_mu = mm;
    c.par.m_e = me;
    c.par.input[MUE_ZPRIME_MASS] = mz;
    c.col = mue_collision_make(e_beam, mm, me);
    const char *why;
    mue_zprime_prepare(&c.par, &c.col, &c.u, &why);
    return c;
}

static void test_volume_massive(void **state)
{
    (void)state;
    const double mz[] = {0.001, 0.1, 0.25};
    for (int i = 0; i < 3; i++) {
        ps_ctx c = make_ctx(150.0, MUE_M_MU, MUE_M_E, mz[i]);
        double err, v = map_volume(&c, &err);
        double want = dalitz_volume(c.col.s, MUE_M_MU, mz[i], MUE_M_E);
        print_message("m_Z' = %g: map %.8e +- %.1e, Dalitz %.8e (pull %.2f)\n", mz[i], v, err,
                      want, (v - want) / err);
        /* 4 sigma: the MC error is the only error (GSL's is ~1e-12) */
        assert_true(fabs(v - want) < 4.0 * err);
        assert_true(err < 1e-3 * want);
    }
}

/* Massless: s / (256 pi^3). Masses of 1e-5 sqrt(s) change it by O(1e-10); the beam
 * energy is chosen to keep s of the real collision. */
static void test_volume_massless_limit(void **state)
{
    (void)state;
    double s = MUE_M_MU * MUE_M_MU + MUE_M_E * MUE_M_E + 2.0 * MUE_M_E * 150.0;
    double m = 1e-5 * sqrt(s);
    ps_ctx c = make_ctx((s - 2.0 * m * m) / (2.0 * m), m, m, m);
    assert_true(fabs(c.col.s / s - 1.0) < 1e-12);
    double err, v = map_volume(&c, &err);
    double want = s / (256.0 * MUE_PI * MUE_PI * MUE_PI);
    print_message("massless: map %.8e +- %.1e, s/(256 pi^3) %.8e\n", v, err, want);
    assert_true(fabs(v - want) < 4.0 * err);
    assert_true(err < 1e-3 * want);
}

/* Every mapped point conserves momentum, is on shell, and hands |M|^2 invariants that
 * agree with those recomputed from its vectors. Its production weight, with the
 * constants folded once per setup, is flux x the |M|^2 that test_matrix_element checks
 * against the Dirac evaluation. */
static void test_points_are_physical(void **state)
{
    (void)state;
    ps_ctx c = make_ctx(150.0, MUE_M_MU, MUE_M_E, 0.05);
    c.par.input[MUE_ZPRIME_COUPLING] = 1e-3;
    const char *why;
    mue_zprime_prepare(&c.par, &c.col, &c.u, &why);
    uint64_t st = 12345;
    int n = 0;
    double weight_dev = 0.0;
    for (int i = 0; i < 20000; i++) {
        double x[4];
        for (int d = 0; d < 4; d++) {
            st ^= st << 13, st ^= st >> 7, st ^= st << 17;
            x[d] = (st >> 11) * 0x1.0p-53;
        }
        mue_event ev;
        mue_zprime_inv v;
        double w = mue_zprime_phase_space(&c.par, &c.col, &c.u, x, &ev, &v);
        if (w == 0.0)
            continue;
        assert_true(w > 0.0 && isfinite(w));
        mue_p4 tot = mue_p4_add(mue_p4_add(ev.p[0], ev.p[1]), ev.p[2]);
        mue_p4 in = mue_p4_add(c.col.p1, c.col.p2);
        /* sums of O(0.2 GeV) components: a few ulps */
        assert_true(fabs(tot.e - in.e) < 1e-14 && fabs(tot.x) < 1e-14 && fabs(tot.y) < 1e-14 &&
                    fabs(tot.z - in.z) < 1e-14);
        for (int k = 0; k < 3; k++)
            assert_true(fabs(mue_p4_dot(ev.p[k], ev.p[k]) - ev.mass[k] * ev.mass[k]) < 1e-15);
        mue_p4 p3 = ev.p[0], p4 = ev.p[1], k = ev.p[2];
        mue_p4 q = mue_p4_sub(c.col.p2, p4);
        double t = mue_p4_dot(q, q);
        double D1 = mue_p4_dot(mue_p4_add(p3, k), mue_p4_add(p3, k)) - c.par.m_mu * c.par.m_mu;
        double D2 = mue_p4_dot(mue_p4_sub(c.col.p1, k), mue_p4_sub(c.col.p1, k)) -
                    c.par.m_mu * c.par.m_mu;
        /* recomputing from vectors loses ~1e-17 GeV^2 absolutely: that is the
         * cancellation the map avoids */
        assert_true(fabs(t - v.t) < 1e-16 + 1e-9 * fabs(v.t));
        assert_true(fabs(D1 - v.D1) < 1e-16 + 1e-10 * fabs(v.D1));
        assert_true(fabs(D2 - v.D2) < 1e-16 + 1e-9 * fabs(v.D2));
        assert_true(fabs(mue_p4_dot(c.col.p2, k) - v.P2K) < 1e-16 + 1e-9 * v.P2K);
        double msq = mue_zprime_msq(v.t, v.D1, v.D2, v.P12, v.P2K, c.par.m_mu, c.par.m_e,
                                    c.par.input[MUE_ZPRIME_MASS], c.par.alpha, c.par.input[MUE_ZPRIME_COUPLING]);
        double want = MUE_GEV2_TO_FB * c.col.flux * msq;
        weight_dev = fmax(weight_dev, fabs(mue_zprime_weight(&c.par, &c.col, &c.u, &v) / want - 1.0));
        n++;
    }
    print_message("production weight vs flux x |M|^2: %.1e relative at most\n", weight_dev);
    assert_true(n > 19000);
    assert_true(weight_dev < 1e-14);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_points_are_physical),
        cmocka_unit_test(test_volume_massive),
        cmocka_unit_test(test_volume_massless_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
