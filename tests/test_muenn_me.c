/* |M|^2 of mu e -> mu e nu nubar (include/mue/muenn_amp.h), docs/physics.md section 13:
 * the photon's Ward identity on both lines (with the WW gamma vertex), Lorentz
 * invariance, the neutral current with Z' couplings against the signal's FORM |M|^2,
 * and the Fermi contact theory (tests/me_contact.h) point by point after the sum over the
 * neutrino pair. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>

#include "me_contact.h"
#include "mue/muenn.h"

static double rnd(uint64_t *st)
{
    *st ^= *st << 13, *st ^= *st >> 7, *st ^= *st << 17;
    return (*st >> 11) * 0x1.0p-53;
}

typedef struct {
    mue_params par;
    mue_collision col;
    mue_muenn_unit u;
} me_ctx;

static me_ctx make_ctx(int cuts, int mu_plus)
{
    me_ctx c;
    c.par = mue_params_default();
    c.par.beam_plus = mu_plus;
    c.par.input[MUE_MUENN_FLAVOURS] = MUE_NU_ALL;
    c.par.cuts.enabled = cuts;
    c.col = mue_collision_make(c.par.e_beam, c.par.m_mu, c.par.m_e);
    const char *why;
    assert_true(mue_muenn_prepare(&c.par, &c.col, &c.u, &why));
    return c;
}

/* The next mapped point (passing the cuts if the setup has them). */
static void next_point(const me_ctx *c, uint64_t *st, mue_muenn_inv *pt)
{
    mue_selection sel = mue_selection_make(&c->par.cuts);
    for (;;) {
        double x[8];
        for (int d = 0; d < 8; d++)
            x[d] = rnd(st);
        mue_event ev;
        if (mue_muenn_phase_space(&c->par, &c->col, &c->u, x, &ev, pt) > 0.0 &&
            mue_selection_pass(&sel, &c->col, &ev))
            return;
    }
}

static void kin_at(const me_ctx *c, const mue_muenn_inv *v, mue_muenn_kin *K)
{
    mue_muenn_kin_make(K, c->par.alpha, c->par.m_mu, c->par.m_e, c->col.p1, c->col.p2, v->p3,
                       v->p4, v->k1, v->k2, v->t_mu, v->t_e, c->par.beam_plus);
}

/* max over helicities of |part| with the photon replaced by P_B, over the same with a
 * vector of that size in other directions; parts: NC and CC of each line */
static void ward_ratios(const mue_muenn_kin *K, double r[4])
{
    const mue_ew *w = &K->ew;
    mue_cvec Zn = mue_amp_ffv_to_v_cms(&K->ubk1, &K->vk2, K->c_zn, K->Q, w->mz2_re, w->mz2_im);
    double num[4] = {0}, den[4] = {0};
    for (int i = 0; i < 16; i++) {
        const int h[4] = {i & 1, i >> 1 & 1, i >> 2 & 1, i >> 3 & 1};
        mue_muenn_amps a, b;
        mue_muenn_amps_at(K, &Zn, h, 1, &a);
        mue_muenn_amps_at(K, &Zn, h, 2, &b);
        const mue_cx *pa[4] = {&a.nc[0], &a.nc[1], &a.cc[0], &a.cc[1]};
        const mue_cx *pb[4] = {&b.nc[0], &b.nc[1], &b.cc[0], &b.cc[1]};
        for (int k = 0; k < 4; k++) {
            num[k] = fmax(num[k], sqrt(mue_cx_abs2(*pa[k])));
            den[k] = fmax(den[k], sqrt(mue_cx_abs2(*pb[k])));
        }
    }
    for (int k = 0; k < 4; k++)
        r[k] = num[k] / den[k];
}

/* Photon Ward identity: the muon-line part (emission off the muon line, the photon from
 * the electron) and the electron-line part, NC and CC (the W diagrams with the WW gamma
 * vertex) each vanish with eps -> P_B. The opposite sign of the WW gamma vertex fails. */
static void ward_identity(int mu_plus)
{
    me_ctx c = make_ctx(0, mu_plus);
    uint64_t st = 77;
    double worst[4] = {0}, wrong = 0.0;
    for (int n = 0; n < 300; n++) {
        mue_muenn_inv v;
        next_point(&c, &st, &v);
        mue_muenn_kin K;
        kin_at(&c, &v, &K);
        double r[4];
        ward_ratios(&K, r);
        for (int k = 0; k < 4; k++)
            worst[k] = fmax(worst[k], r[k]);
        K.s_vvv = -1.0;
        ward_ratios(&K, r);
        wrong = fmax(wrong, fmax(r[2], r[3]));
    }
    print_message("Ward (%s): NC mu %.1e, NC e %.1e, CC mu %.1e, CC e %.1e; WW gamma sign flipped: "
                  "CC up to %.2g\n",
                  mu_plus ? "mu+" : "mu-", worst[0], worst[1], worst[2], worst[3], wrong);
    for (int k = 0; k < 4; k++)
        assert_true(worst[k] < 1e-8);
    assert_true(wrong > 1e6 * fmax(worst[2], worst[3]));
}

/* mu- and mu+ (the conjugated W diagrams of the antimuon line) */
static void test_ward_identity(void **state)
{
    (void)state;
    ward_identity(0);
    ward_identity(1);
}

/* <|M|^2> in the CM frame and after a boost of every momentum (beta = 0.7 along an
 * oblique axis): the helicity spinors differ, the spin sum may not. */
static void lorentz_invariance(int mu_plus)
{
    me_ctx c = make_ctx(1, mu_plus);
    uint64_t st = 4242;
    double worst = 0.0;
    for (int n = 0; n < 200; n++) {
        mue_muenn_inv v;
        next_point(&c, &st, &v);
        mue_muenn_kin K;
        kin_at(&c, &v, &K);
        double m0, m1, p0[2], p1[2];
        mue_muenn_msq(&K, MUE_NU_ALL, &m0, p0);
        const double bx = 0.3, by = -0.4, bz = 0.51;
#define B(p) mue_p4_boost(p, bx, by, bz)
        mue_muenn_kin_make(&K, c.par.alpha, c.par.m_mu, c.par.m_e, B(c.col.p1), B(c.col.p2),
                           B(v.p3), B(v.p4), B(v.k1), B(v.k2), v.t_mu, v.t_e, c.par.beam_plus);
#undef B
        mue_muenn_msq(&K, MUE_NU_ALL, &m1, p1);
        worst = fmax(worst, fabs(m1 / m0 - 1.0));
        worst = fmax(worst, fabs(p1[0] / p0[0] - 1.0));
        worst = fmax(worst, fabs(p1[1] / p0[1] - 1.0));
    }
    print_message("boosted / CM (%s): %.1e at most\n", mu_plus ? "mu+" : "mu-", worst);
    assert_true(worst < 1e-11);
}

static void test_lorentz_invariance(void **state)
{
    (void)state;
    lorentz_invariance(0);
    lorentz_invariance(1);
}

/* int dPhi_2 of f over the neutrino directions in the Q rest frame: Gauss-Legendre in
 * cos (6 nodes) times 6 azimuths; exact for the polynomials of degree <= 5 in the
 * direction that the contact limit gives (degree 2). */
typedef double (*pair_fn)(const me_ctx *c, const mue_muenn_inv *v, void *arg);

static double pair_integral(const me_ctx *c, const mue_muenn_inv *v0, pair_fn f, void *arg)
{
    static const double x[6] = {-0.9324695142031521, -0.6612093864662645, -0.2386191860831969,
                                0.2386191860831969,  0.6612093864662645,  0.9324695142031521};
    static const double wt[6] = {0.1713244923791704, 0.3607615730481386, 0.4679139345726910,
                                 0.4679139345726910, 0.3607615730481386, 0.1713244923791704};
    mue_p4 Q = mue_p4_add(v0->k1, v0->k2);
    double q = sqrt(mue_p4_dot(Q, Q)), h = 0.5 * q, sum = 0.0;
    mue_boost b = mue_boost_make(Q, 1.0 / q);
    for (int i = 0; i < 6; i++)
        for (int j = 0; j < 6; j++) {
            double ph = 2.0 * MUE_PI * (j + 0.25) / 6.0, st = sqrt(1.0 - x[i] * x[i]);
            mue_muenn_inv v = *v0;
            v.k1 = mue_boost_apply(&b, mue_p4_make(h, h * st * cos(ph), h * st * sin(ph), h * x[i]), 1.0);
            v.k2 = mue_p4_sub(Q, v.k1);
            sum += wt[i] * (2.0 * MUE_PI / 6.0) * f(c, &v, arg);
        }
    return sum / (32.0 * MUE_PI * MUE_PI);
}

/* the neutral current of the muon line with the Z' couplings: vector g on the muon,
 * g nu_L, none on the electron; the pair's line of mass^2 M2 and no width */
typedef struct {
    double g, M2;
} zp_arg;

static double nc_zprime(const me_ctx *c, const mue_muenn_inv *v, void *varg)
{
    const zp_arg *a = varg;
    mue_muenn_kin K;
    kin_at(c, v, &K);
    K.c_zl[0] = mue_ffv_cpl_lr(a->g, a->g);
    K.c_zl[1] = mue_ffv_cpl_lr(0.0, 0.0);
    K.c_zn = mue_ffv_cpl_lr(a->g, 0.0);
    K.ew.mz2_re = a->M2;
    K.ew.mz2_im = 0.0;
    mue_cvec Zn = mue_amp_ffv_to_v_cms(&K.ubk1, &K.vk2, K.c_zn, K.Q, K.ew.mz2_re, K.ew.mz2_im);
    double s = 0.0;
    for (int i = 0; i < 16; i++) {
        const int h[4] = {i & 1, i >> 1 & 1, i >> 2 & 1, i >> 3 & 1};
        mue_muenn_amps m;
        mue_muenn_amps_at(&K, &Zn, h, 0, &m);
        s += mue_cx_abs2(m.nc[0]);
    }
    return 0.25 * s;
}

/* Eq. (13.17): with the Z' couplings, int dPhi_2 <|M_NC|^2> = g^2 q^2 / (12 pi (q^2 - M^2)^2)
 * x <|M|^2> of mu e -> mu e Z' at m_Z' = q, the FORM result, at every point. */
static void test_nc_is_zprime(void **state)
{
    (void)state;
    me_ctx c = make_ctx(0, 0);
    uint64_t st = 31337;
    zp_arg a = {1e-3, 4.0};
    double worst = 0.0;
    for (int n = 0; n < 300; n++) {
        mue_muenn_inv v;
        next_point(&c, &st, &v);
        if (v.channel != MUE_MUENN_CH_MUON) /* t_e exact: the FORM |M|^2 needs it */
            continue;
        mue_p4 Q = mue_p4_add(v.k1, v.k2);
        double q2 = mue_p4_dot(Q, Q), q = sqrt(q2);
        double got = pair_integral(&c, &v, nc_zprime, &a);
        double zp = mue_zprime_msq_momenta(c.col.p1, c.col.p2, v.p3, v.p4, Q, c.par.m_mu, c.par.m_e,
                                           q, c.par.alpha, a.g);
        double want = a.g * a.g * q2 / (12.0 * MUE_PI * mue_sq(q2 - a.M2)) * zp;
        worst = fmax(worst, fabs(got / want - 1.0));
    }
    print_message("NC with Z' couplings / (spectral factor x FORM Z' |M|^2): %.1e at most\n", worst);
    assert_true(worst < 1e-9);
}

typedef struct {
    int flavours;
    double part[2];
} full_arg;

static double full_msq(const me_ctx *c, const mue_muenn_inv *v, void *varg)
{
    full_arg *a = varg;
    mue_muenn_kin K;
    kin_at(c, v, &K);
    double m, p[2];
    mue_muenn_msq(&K, a->flavours, &m, p);
    return m;
}

/* Eq. (13.16): the full |M|^2 summed over the pair equals the Fermi theory's up to
 * O(q^2/M_W^2, t/M_W^2) < 2e-5 inside the cuts; each flavour, both channels. */
static void contact_pointwise(int mu_plus, double worst_out[3])
{
    me_ctx c = make_ctx(1, mu_plus);
    uint64_t st = 2718;
    double worst[3] = {0}, mean[3] = {0};
    int n = 0;
    for (; n < 150; n++) {
        mue_muenn_inv v;
        next_point(&c, &st, &v);
        mue_p4 Q = mue_p4_add(v.k1, v.k2);
        contact_ctx cc = contact_setup(c.col.p1, c.col.p2, v.p3, v.p4, Q, c.par.m_mu, c.par.m_e,
                                       c.par.alpha, v.t_mu, v.t_e, c.par.beam_plus);
        double cm[3], cp[3][2];
        contact_msq(&cc, cm, cp);
        for (int l = 0; l < 3; l++) {
            full_arg a = {1 << l, {0, 0}};
            double got = pair_integral(&c, &v, full_msq, &a), want = cm[l];
            worst[l] = fmax(worst[l], fabs(got / want - 1.0));
            mean[l] += got / want - 1.0;
        }
    }
    print_message("full / contact - 1 (%s): nu_e %.1e, nu_mu %.1e, nu_tau %.1e at most; means %.1e "
                  "%.1e %.1e\n",
                  mu_plus ? "mu+" : "mu-", worst[0], worst[1], worst[2], mean[0] / n, mean[1] / n,
                  mean[2] / n);
    for (int l = 0; l < 3; l++) {
        assert_true(worst[l] < 1e-4);
        worst_out[l] = worst[l];
    }
}

/* The contact theory with the antimuon's own spinors (tests/me_contact.h, explicit Dirac
 * matrices, v(p) built there) against the full mu+ amplitudes: the conjugated W diagrams
 * hold to O(q^2/M_W^2) as the mu- ones do. And mu+ is not mu- with other labels: the
 * muon line's W (nu_mu) and the Z's axial coupling make the two differ point by point. */
static void test_contact_pointwise(void **state)
{
    (void)state;
    double w[2][3];
    contact_pointwise(0, w[0]);
    contact_pointwise(1, w[1]);
    me_ctx a = make_ctx(1, 0), b = make_ctx(1, 1);
    uint64_t st = 99;
    double most = 0.0;
    for (int n = 0; n < 50; n++) {
        mue_muenn_inv v;
        next_point(&a, &st, &v);
        mue_muenn_kin Ka, Kb;
        kin_at(&a, &v, &Ka);
        kin_at(&b, &v, &Kb);
        double ma, mb, pa[2], pb[2];
        mue_muenn_msq(&Ka, 2, &ma, pa); /* nu_mu */
        mue_muenn_msq(&Kb, 2, &mb, pb);
        most = fmax(most, fabs(mb / ma - 1.0));
    }
    print_message("nu_mu: |M|^2 of mu+ and mu- differ by up to %.2g at the same point\n", most);
    assert_true(most > 1e-3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ward_identity),
        cmocka_unit_test(test_lorentz_invariance),
        cmocka_unit_test(test_nc_is_zprime),
        cmocka_unit_test(test_contact_pointwise),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
