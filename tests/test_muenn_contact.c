/* The cross section of mu e -> mu e nu nubar two ways, docs/physics.md Eq. (13.15):
 * the full calculation (mue_run_integrate, process muenn: 40 diagrams with the W and Z
 * propagators, the neutrinos generated) and the Fermi contact theory (tests/me_contact.h:
 * the production of the vector and axial currents times the pair's spectral tensor,
 * integrated over q^2 and the 3-body phase space by our VEGAS), per flavour, inside cuts
 * (i)+(ii). They must agree within the errors: the O(q^2/M_W^2) differences are < 2e-5.
 * MUE_LONG=1 runs more points and the sum of the flavours too (docs/guide.md's figures). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>

#include "backends/cpu_backend.h"
#include "run/integrate.h"
#include "me_contact.h"
#include "mue/muenn.h"

typedef struct {
    mue_params par;
    mue_collision col;
    mue_muenn_unit u;
    mue_selection sel;
    int flavours;
} ct_ctx;

/* the contact weight of the point: flux x int dPhi_2 <|M|^2> x the share of its channel
 * (the same partition of unity as muenn.h, with the contact theory's line parts) */
static double contact_point(const void *vctx, const double *x, const mue_hist_spec *hs, mue_obs *o)
{
    (void)hs;
    (void)o;
    const ct_ctx *c = vctx;
    mue_event ev;
    mue_muenn_inv v;
    double dphi = mue_muenn_phase_space(&c->par, &c->col, &c->u, x, &ev, &v);
    if (dphi == 0.0 || !mue_selection_pass(&c->sel, &c->col, &ev))
        return 0.0;
    /* the neutrino directions are not used: the spectral tensor integrated over them, so
     * dPhi_4 / dPhi_2 = dPhi_3 dq^2/(2 pi), the pair's volume 1/(8 pi) put back */
    contact_ctx cc = contact_setup(c->col.p1, c->col.p2, v.p3, v.p4, mue_p4_add(v.k1, v.k2),
                                   c->par.m_mu, c->par.m_e, c->par.alpha, v.t_mu, v.t_e,
                                   c->par.beam_plus);
    double msq[3], parts[3][2], m = 0.0, pa = 0.0, pb = 0.0;
    contact_msq(&cc, msq, parts);
    for (int l = 0; l < 3; l++)
        if (c->flavours >> l & 1) {
            m += msq[l];
            pa += parts[l][0];
            pb += parts[l][1];
        }
    double share = (v.channel == MUE_MUENN_CH_MUON ? pa : pb) / (pa + pb);
    return MUE_GEV2_TO_FB * c->col.flux * m * share * dphi * (8.0 * MUE_PI);
}

static int long_run(void) { return getenv("MUE_LONG") && atoi(getenv("MUE_LONG")) > 0; }

static double contact_sigma(int flavours, uint64_t points, double *err)
{
    ct_ctx c;
    c.par = mue_params_default();
    c.par.input[MUE_MUENN_FLAVOURS] = flavours;
    c.col = mue_collision_make(c.par.e_beam, c.par.m_mu, c.par.m_e);
    const char *why;
    assert_true(mue_muenn_prepare(&c.par, &c.col, &c.u, &why));
    c.sel = mue_selection_make(&c.par.cuts);
    c.flavours = flavours;
    mue_cpu_ctx cpu = {contact_point, &c, 99, 0};
    mue_vegas_opts o = {points, 4, 6, 0.0, 1.5, NULL, NULL, NULL, 0, 0.75};
    mue_vegas_result r;
    mue_vegas_state st;
    mue_vegas_state_init(&st, MUE_MUENN_NDIM, 64);
    assert_int_equal(mue_vegas_run(&st, mue_cpu_iteration, &cpu, &o, &r), 0);
    mue_vegas_state_free(&st);
    *err = r.error;
    return r.integral;
}

static double full_sigma(int flavours, uint64_t points, double *err)
{
    static mue_run_result r;
    mue_run_config c = mue_run_config_default();
    c.process = MUE_PROC_MUENN;
    c.par.input[MUE_MUENN_FLAVOURS] = flavours;
    c.points = points;
    c.warmup = 4;
    c.iterations = 6;
    c.rel_error = 0.0;
    c.seed = 7;
    char why[256];
    if (mue_run_integrate(&c, &r, why, sizeof why))
        fail_msg("%s", why);
    *err = r.sigma_err_fb;
    return r.sigma_fb;
}

static void test_full_vs_contact(void **state)
{
    (void)state;
    const int fl[4] = {MUE_NU_E, MUE_NU_MU, MUE_NU_TAU, MUE_NU_ALL};
    const char *name[4] = {"nu_e", "nu_mu", "nu_tau", "all"};
    /* the full weights carry the neutrino directions and have the longer tail: below
     * ~5e4 points an iteration their errors come out too small (pulls of -3 seen) */
    uint64_t nc = long_run() ? 100000 : 15000, nf = long_run() ? 300000 : 50000;
    for (int k = 0; k < (long_run() ? 4 : 3); k++) {
        double ef, ec, f = full_sigma(fl[k], nf, &ef), c = contact_sigma(fl[k], nc, &ec);
        double pull = (f - c) / hypot(ef, ec);
        print_message("%-6s full %.5e +- %.1e fb, contact %.5e +- %.1e fb, ratio %.4f +- %.4f "
                      "(pull %.2f)\n",
                      name[k], f, ef, c, ec, f / c, hypot(ef / f, ec / c) * f / c, pull);
        assert_true(fabs(pull) < 4.0);
        assert_true(ef < 0.02 * f && ec < 0.02 * c);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full_vs_contact),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
