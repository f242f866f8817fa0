/* The 4-body map of muenn (include/mue/muenn_ps.h): its volume in each channel against
 * an independent nested quadrature (docs/physics.md Eq. (13.3)), and every point on
 * shell, conserving momentum, with the exact photon virtuality of its channel. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <gsl/gsl_integration.h>

#include "backends/cpu_backend.h"
#include "mue/muenn_ps.h"

typedef struct {
    mue_muenn_ps_unit u;
    double x7; /* the channel, fixed */
} vol_ctx;

static double volume_point(const void *vctx, const double *x, const mue_hist_spec *hs, mue_obs *o)
{
    (void)hs;
    (void)o;
    const vol_ctx *c = vctx;
    double y[8];
    for (int d = 0; d < 7; d++)
        y[d] = x[d];
    y[7] = c->x7;
    mue_event ev;
    mue_muenn_ps_point pt;
    /* the map counts each channel twice (it is chosen with probability 1/2) */
    return 0.5 * mue_muenn_ps_map(&c->u, y, &ev, &pt);
}

static double map_volume(const vol_ctx *c, double *err)
{
    mue_cpu_ctx cpu = {volume_point, c, 11, 0};
    mue_vegas_opts o = {200000, 4, 8, 0.0, 1.5, NULL, NULL, NULL, 0, 0.75};
    mue_vegas_result r;
    mue_vegas_state st;
    mue_vegas_state_init(&st, 7, 64);
    assert_int_equal(mue_vegas_run(&st, mue_cpu_iteration, &cpu, &o, &r), 0);
    mue_vegas_state_free(&st);
    *err = r.error;
    return r.integral;
}

/* Phi_3(s; m_mu, q, m_e) as the Dalitz area (1/(128 pi^3 s)) int dm12^2 dm23^2: for fixed
 * m12^2 = (p_mu + Q)^2 the m23^2 range has width 4 |p_Q| |p_e| in the 12 frame. Then
 * Phi_4 = int dq^2/(2 pi) Phi_3 / (8 pi): two GSL quadratures, nothing of the map. */
typedef struct {
    double s, m1, m3, q;
} dal;

static double dalitz_width(double m12sq, void *vp)
{
    const dal *d = vp;
    double m12 = sqrt(m12sq);
    double e2 = (m12sq - d->m1 * d->m1 + d->q * d->q) / (2.0 * m12);
    double e3 = (d->s - m12sq - d->m3 * d->m3) / (2.0 * m12);
    return 4.0 * sqrt(fmax(e2 * e2 - d->q * d->q, 0.0)) * sqrt(fmax(e3 * e3 - d->m3 * d->m3, 0.0));
}

static double phi3(double q2, void *vp)
{
    dal d = *(const dal *)vp;
    d.q = sqrt(q2);
    gsl_function F = {dalitz_width, &d};
    gsl_integration_workspace *w = gsl_integration_workspace_alloc(1000);
    double area, aerr;
    gsl_integration_qag(&F, mue_sq(d.m1 + d.q), mue_sq(sqrt(d.s) - d.m3), 0.0, 1e-11, 1000,
                        GSL_INTEG_GAUSS61, w, &area, &aerr);
    gsl_integration_workspace_free(w);
    return area / (128.0 * MUE_PI * MUE_PI * MUE_PI * d.s);
}

static double phi4_quad(double s, double mm, double me)
{
    dal d = {s, mm, me, 0.0};
    gsl_function F = {phi3, &d};
    gsl_integration_workspace *w = gsl_integration_workspace_alloc(1000);
    double v, verr;
    gsl_integration_qag(&F, 0.0, mue_sq(sqrt(s) - mm - me), 0.0, 1e-10, 1000, GSL_INTEG_GAUSS61, w,
                        &v, &verr);
    gsl_integration_workspace_free(w);
    return v / (2.0 * MUE_PI) / (8.0 * MUE_PI);
}

static vol_ctx make_ctx(double x7)
{
    vol_ctx c;
    mue_params p = mue_params_default();
    p.input[MUE_MUENN_FLAVOURS] = MUE_NU_ALL;
    p.cuts.enabled = 0;
    mue_collision col = mue_collision_make(p.e_beam, p.m_mu, p.m_e);
    mue_muenn_ps_prepare(&p, &col, &c.u);
    c.x7 = x7;
    return c;
}

static void test_volume(void **state)
{
    (void)state;
    mue_params p = mue_params_default();
    p.input[MUE_MUENN_FLAVOURS] = MUE_NU_ALL;
    mue_collision col = mue_collision_make(p.e_beam, p.m_mu, p.m_e);
    double want = phi4_quad(col.s, p.m_mu, p.m_e);
    const char *name[2] = {"muon", "electron"};
    for (int ch = 0; ch < 2; ch++) {
        vol_ctx c = make_ctx(ch ? 0.75 : 0.25);
        assert_true(c.u.open);
        assert_true(fabs(sqrt(c.u.q2_max) / (col.rs - p.m_mu - p.m_e) - 1.0) < 1e-12);
        double err, v = map_volume(&c, &err);
        print_message("channel %s: map %.8e +- %.1e, quadrature %.8e (pull %.2f)\n", name[ch], v,
                      err, want, (v - want) / err);
        /* the tau floor removes ~1e-8 of the volume; the MC error is the error */
        assert_true(fabs(v - want) < 4.0 * err);
        assert_true(err < 2e-3 * want);
    }
}

static double rnd(uint64_t *st)
{
    *st ^= *st << 13, *st ^= *st >> 7, *st ^= *st << 17;
    return (*st >> 11) * 0x1.0p-53;
}

/* Points of both channels, with and without cuts: on shell, momentum conserved, and
 * the virtualities handed to |M|^2 equal to those of the vectors. */
static void test_points_are_physical(void **state)
{
    (void)state;
    uint64_t st = 987654321;
    for (int cuts = 0; cuts < 2; cuts++) {
        mue_params p = mue_params_default();
        p.input[MUE_MUENN_FLAVOURS] = MUE_NU_ALL;
        p.cuts.enabled = cuts;
        mue_collision col = mue_collision_make(p.e_beam, p.m_mu, p.m_e);
        mue_muenn_ps_unit u;
        mue_muenn_ps_prepare(&p, &col, &u);
        int n[2] = {0, 0};
        for (int i = 0; i < 20000; i++) {
            double x[8];
            for (int d = 0; d < 8; d++)
                x[d] = rnd(&st);
            mue_event ev;
            mue_muenn_ps_point pt;
            double w = mue_muenn_ps_map(&u, x, &ev, &pt);
            if (w == 0.0)
                continue;
            assert_true(w > 0.0 && isfinite(w));
            n[pt.channel]++;
            mue_p4 tot = mue_p4_add(mue_p4_add(pt.p3, pt.p4), mue_p4_add(pt.k1, pt.k2));
            mue_p4 in = mue_p4_add(col.p1, col.p2);
            assert_true(fabs(tot.e - in.e) < 1e-14 && fabs(tot.x) < 1e-14 && fabs(tot.y) < 1e-14 &&
                        fabs(tot.z - in.z) < 1e-14);
            const mue_p4 *P[4] = {&pt.p3, &pt.p4, &pt.k1, &pt.k2};
            const double m[4] = {p.m_mu, p.m_e, 0.0, 0.0};
            for (int k = 0; k < 4; k++) {
                assert_true(fabs(mue_p4_dot(*P[k], *P[k]) - m[k] * m[k]) < 1e-15);
                assert_true(fabs(ev.p[k].e - P[k]->e) == 0.0 && ev.mass[k] == m[k]);
            }
            mue_p4 de = mue_p4_sub(col.p2, pt.p4), dm = mue_p4_sub(col.p1, pt.p3);
            double te = mue_p4_dot(de, de), tm = mue_p4_dot(dm, dm);
            assert_true(fabs(te - pt.t_e) < 1e-16 + 1e-9 * fabs(te));
            assert_true(fabs(tm - pt.t_mu) < 1e-16 + 1e-9 * fabs(tm));
            assert_true(ev.tau == -pt.t_e);
            if (cuts) /* channel muon samples inside the E_e window only */
                assert_true(pt.channel == 1 || (-pt.t_e >= 2.0 * p.m_e * (p.cuts.ee_min - p.m_e) *
                                                              (1 - 1e-12)));
        }
        print_message("cuts %d: %d muon-channel and %d electron-channel points\n", cuts, n[0], n[1]);
        assert_true(n[0] > 5000 && n[1] > 5000);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_points_are_physical),
        cmocka_unit_test(test_volume),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
