/* mu e -> mu e gamma (include/mue/mueg.h), docs/physics.md section 12 and "Checks": the
 * two-channel map's volume against a Dalitz integral, paper footnote 4 (the largest photon
 * angle inside (i)+(ii)) against the closed form (12.7) and the paper's 6 mrad, paper
 * Fig. 1 as a lower bound on E_e + E_gamma, the soft (eikonal) and quasi-collinear limits
 * of |M|^2, and sigma inside (i)+(ii) with |M|^2 from explicit Dirac matrices
 * (tests/me_dirac.h) on the same points. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <float.h>
#include <math.h>
#include <stdio.h>

#include <gsl/gsl_integration.h>

#include "backends/cpu_backend.h"
#include "kin3.h"
#include "physics1d/kinematic_limits.h"
#include "me_dirac.h"
#include "mue/process.h"

#define MM MUE_M_MU
#define ME MUE_M_E

static mue_setup setup_of(const mue_params *p)
{
    mue_setup S;
    const char *why;
    assert_true(mue_setup_make(MUE_PROC_MUEG, p, &S, &why));
    return S;
}

/* lab energy and angle of slot i */
static void lab(const mue_setup *S, const mue_event *ev, int i, double *e, double *th)
{
    mue_collision_to_lab(&S->col, ev->p[i], ev->mass[i], e, th);
}

/* ---- phase-space volume ---- */

typedef struct {
    double s, rs, g, b, e0;
} dalitz_ctx;

/* d(volume)/dM^2 at M^2 = m_{mu e}^2: the Dalitz width in m_{e gamma}^2,
 * lambda^{1/2}(M^2, m_mu^2, m_e^2)(s - M^2)/M^2, times the fraction of photon directions
 * with lab energy gamma E*(1 + beta cos) >= e0, E* = (s - M^2)/(2 sqrt(s)) */
static double dalitz_integrand(double M2, void *vp)
{
    const dalitz_ctx *c = vp;
    double l = mue_kallen(M2, MM * MM, ME * ME);
    if (!(l > 0.0))
        return 0.0;
    double es = (c->s - M2) / (2.0 * c->rs), c0 = (c->e0 / (c->g * es) - 1.0) / c->b;
    double f = fmin(fmax(0.5 * (1.0 - c0), 0.0), 1.0);
    return sqrt(l) * (c->s - M2) / M2 * f;
}

/* one channel's dPhi_3/dx on the 4 map variables (x4 fixed inside the channel, whose
 * half of the axis carries dx4 = 1/2) */
typedef struct {
    const mue_setup *S;
    int ch;
} vol_ctx;

static double volume_point(const void *vctx, const double *x4, const mue_hist_spec *hs, mue_obs *o)
{
    (void)hs;
    (void)o;
    const vol_ctx *c = vctx;
    double x[5] = {x4[0], x4[1], x4[2], x4[3], c->ch ? 0.75 : 0.25};
    mue_event ev;
    mue_process_inv inv;
    return 0.5 * mue_process_phase_space(MUE_PROC_MUEG, c->S, x, &ev, &inv);
}

static void test_volume(void **state)
{
    (void)state;
    const double e0s[] = {1.0, 10.0, 60.0};
    for (int ie = 0; ie < 3; ie++) {
        mue_params p = mue_params_default();
        p.cuts.enabled = 0;
        p.input[MUE_MUEG_EGAMMA_MIN] = e0s[ie];
        mue_setup S = setup_of(&p);
        dalitz_ctx dc = {S.col.s, S.col.rs, 0.5 * (S.col.exp_y + S.col.exp_my),
                         (S.col.exp_y - S.col.exp_my) / (S.col.exp_y + S.col.exp_my), e0s[ie]};
        gsl_integration_workspace *w = gsl_integration_workspace_alloc(1000);
        gsl_function F = {dalitz_integrand, &dc};
        double vol, err;
        gsl_integration_qag(&F, mue_sq(MM + ME), S.col.s, 0.0, 1e-10, 1000, GSL_INTEG_GAUSS41, w,
                            &vol, &err);
        gsl_integration_workspace_free(w);
        vol /= 128.0 * MUE_PI * MUE_PI * MUE_PI * S.col.s;
        for (int ch = 0; ch < 2; ch++) {
            vol_ctx vc = {&S, ch};
            mue_cpu_ctx cpu = {volume_point, &vc, 7, 0};
            mue_vegas_opts o = {200000, 3, 10, 0.0, 1.5, NULL, NULL, NULL, 0, 0.0};
            mue_vegas_result res;
            mue_vegas_state st;
            mue_vegas_state_init(&st, 4, 64);
            assert_int_equal(mue_vegas_run(&st, mue_cpu_iteration, &cpu, &o, &res), 0);
            mue_vegas_state_free(&st);
            double pull = (res.integral - vol) / res.error;
            print_message("volume, E_gamma > %g GeV, channel %d: map %.6e +- %.1e, Dalitz %.6e, "
                          "pull %.2f\n", e0s[ie], ch, res.integral, res.error / res.integral, vol, pull);
            assert_true(fabs(pull) < 4.0);
            assert_true(res.error / res.integral < 1e-3);
        }
    }
}

/* ---- footnote 4 and Fig. 1 ---- */

/* docs/physics.md Eq. (12.7): for a lab muon (E_mu, theta_mu) the e + gamma system Y is
 * fixed; its photon makes the angle alpha with Y, cos alpha = E_Y/|p_Y| - (M_Y^2 - m_e^2) /
 * (2 |p_Y| E_gamma) (paper Eq. 4), largest for the softest photon, E_gamma = E_Y - E_e,max;
 * the photon angle to the beam is at most theta_Y + alpha. Returns that bound, or -1 where
 * no electron of E_e <= E_e,max exists. */
static double footnote4_bound(const mue_params *p, double emu, double th)
{
    const double eb = p->e_beam, pb = sqrt((eb - MM) * (eb + MM)), pmu = sqrt((emu - MM) * (emu + MM));
    const double ey = eb + ME - emu, pyx = pmu * sin(th), pyz = pb - pmu * cos(th);
    const double py = hypot(pyx, pyz);
    /* M_Y^2 = (p_b + p_e - p_mu)^2, with p_b.p_mu = E_b E_mu - P_b p_mu cos free of cancellation */
    double near = MM * MM * (eb * eb + emu * emu - MM * MM) / (eb * emu + pb * pmu);
    double bmu = near + pb * pmu * 2.0 * mue_sq(sin(0.5 * th));
    double my2 = 2.0 * MM * MM + ME * ME + 2.0 * ME * eb - 2.0 * bmu - 2.0 * ME * emu;
    double eg = ey - p->cuts.ee_max;
    if (!(eg > 0.0) || !(my2 > ME * ME))
        return -1.0;
    double omc = (my2 - ME * ME) / (2.0 * py * eg) - my2 / ((ey + py) * py); /* 1 - cos alpha */
    if (omc < 0.0)
        return -1.0;
    double alpha = omc >= 2.0 ? MUE_PI : 2.0 * asin(sqrt(0.5 * omc));
    return atan2(pyx, pyz) + alpha;
}

/* the largest bound over the muon's (E_mu, theta_mu > theta_min): a grid, then a local search */
static double footnote4_max(const mue_params *p)
{
    double best = -1.0, be = 0.0, bt = 0.0;
    const double emax = p->e_beam + ME - p->cuts.ee_max;
    for (int i = 1; i < 400; i++)
        for (int j = 0; j < 400; j++) {
            double e = MM + (emax - MM) * i / 400.0;
            double t = p->cuts.theta_mu_min * pow(20.0, j / 399.0);
            double v = footnote4_bound(p, e, t);
            if (v > best)
                best = v, be = e, bt = t;
        }
    for (double de = 0.01 * (emax - MM), dt = 0.01 * bt; de > 1e-9; de *= 0.7, dt *= 0.7)
        for (int k = 0; k < 9; k++) {
            double e = be + de * (k % 3 - 1), t = fmax(bt + dt * (k / 3 - 1), p->cuts.theta_mu_min);
            double v = footnote4_bound(p, e, t);
            if (v > best)
                best = v, be = e, bt = t;
        }
    print_message("footnote 4: largest bound at E_mu = %.4f GeV, theta_mu = %.4f mrad\n", be, 1e3 * bt);
    return best;
}

/* the lab photon angle of the map's point x if it passes the cuts (else -1); *worst keeps
 * the largest ratio of a point's angle to its own bound (12.7). With *soft set, a point
 * that fails cut (i) or (ii) by a little returns its angle minus a penalty (for the climb
 * below, which then can slide along the cut boundary where the maximum lies). */
static double photon_angle(const mue_setup *S, const mue_params *p, const double *x, double *worst,
                           double *soft)
{
    mue_event ev;
    mue_process_inv inv;
    if (soft)
        *soft = -1.0;
    if (mue_process_phase_space(MUE_PROC_MUEG, S, x, &ev, &inv) == 0.0)
        return -1.0;
    double eg, thg, emu, thmu, ee = ME + ev.tau / (2.0 * ME);
    lab(S, &ev, 2, &eg, &thg);
    lab(S, &ev, MUE_EV_MUON, &emu, &thmu);
    int pass = mue_selection_pass(&S->sel, &S->col, &ev);
    if (soft)
        *soft = thg - 10.0 * fmax(p->cuts.theta_mu_min - thmu, 0.0) -
                1e-2 * (fmax(ee - p->cuts.ee_max, 0.0) + fmax(p->cuts.ee_min - ee, 0.0));
    if (!pass)
        return -1.0;
    *worst = fmax(*worst, thg / footnote4_bound(p, emu, thmu));
    return thg;
}

/* Points of the production map inside (i)+(ii): the largest photon angle against the
 * bound, each point against its own bound (12.7). Then, with cut (i) only: every point
 * passing it has E_e + E_gamma >= E_e^min(theta_mu) (Fig. 1; past theta_mu^max, its end). */
static void test_footnote4_fig1(void **state)
{
    (void)state;
    mue_params p = mue_params_default();
    mue_setup S = setup_of(&p);
    double bound = footnote4_max(&p), mc = 0.0, worst_pt = -1.0;
    k3_rng r = {0xF004ULL};
    long pass = 0;
    /* the largest angle sits in a thin corner (theta_mu = theta_min, E_e = E_e,max, photon
     * in the plane): 8 times, the best of 50 000 random points (the penalised angle), then a
     * climb by random steps whose size grows on success and shrinks on failure (the 1/5
     * rule of evolution strategies), keeping the largest angle of a point that passes */
    double mc0 = 0.0;
    for (int trial = 0; trial < 8; trial++) {
        double xbest[5] = {0}, fcur = -1.0, step = 0.01;
        for (int i = 0; i < 50000; i++) {
            double x[5] = {k3_u(&r), k3_u(&r), k3_u(&r), k3_u(&r), k3_u(&r)}, f;
            double thg = photon_angle(&S, &p, x, &worst_pt, &f);
            pass += thg >= 0.0;
            mc0 = fmax(mc0, thg);
            if (f > fcur) {
                fcur = f;
                for (int d = 0; d < 5; d++)
                    xbest[d] = x[d];
            }
        }
        for (int it = 0; it < 20000; it++) {
            double x[5], f;
            for (int d = 0; d < 5; d++)
                x[d] = fmin(fmax(xbest[d] + step * (2.0 * k3_u(&r) - 1.0), 1e-12), 1.0 - 1e-12);
            double thg = photon_angle(&S, &p, x, &worst_pt, &f);
            mc = fmax(mc, thg);
            if (f > fcur) {
                fcur = f, step *= 2.0;
                for (int d = 0; d < 5; d++)
                    xbest[d] = x[d];
            } else if ((step *= 0.85) < 1e-10) {
                step = 0.01; /* restart the step size, keeping the point */
            }
        }
    }
    mc = fmax(mc, mc0);
    print_message("footnote 4: largest theta_gamma of the random points %.4f mrad\n", 1e3 * mc0);
    print_message("footnote 4: largest theta_gamma in (i)+(ii) over %ld points %.4f mrad, bound "
                  "(12.7) %.4f mrad, paper <~ 6 mrad; worst point / its own bound %.6f\n",
                  pass, 1e3 * mc, 1e3 * bound, worst_pt);
    assert_true(pass > 20000);
    assert_true(worst_pt <= 1.0 + 1e-9);
    assert_true(mc <= bound * (1.0 + 1e-9));
    /* the bound is sharp point by point (some point comes within 1e-3 of its own), and
     * mue's largest angle reaches the largest bound */
    assert_true(worst_pt > 0.999);
    assert_true(mc >= 0.999 * bound);
    assert_true(bound > 5.0e-3 && bound < 6.5e-3);

    /* Fig. 1 under cut (i) alone (cut (ii) opened to the whole range), photons above 1 GeV */
    p.cuts.ee_min = 1.0001 * ME;
    p.cuts.ee_max = p.e_beam;
    p.input[MUE_MUEG_EGAMMA_MIN] = 1.0;
    S = setup_of(&p);
    const double thmax = mue_elastic_theta_mu_max(p.e_beam, MM, ME);
    double margin = INFINITY;
    pass = 0;
    for (int i = 0; i < 300000; i++) {
        double x[5] = {k3_u(&r), k3_u(&r), k3_u(&r), k3_u(&r), k3_u(&r)};
        mue_event ev;
        if (mue_integrand(&S, x, &ev) == 0.0)
            continue;
        pass++;
        double eg, thg, emu, thmu;
        lab(&S, &ev, 2, &eg, &thg);
        lab(&S, &ev, MUE_EV_MUON, &emu, &thmu);
        double ee = ME + ev.tau / (2.0 * ME);
        double emin = mue_elastic_ee_min(fmin(thmu, thmax * (1.0 - 1e-9)), p.e_beam, MM, ME);
        margin = fmin(margin, (ee + eg) / emin - 1.0);
    }
    print_message("Fig. 1: %ld points passing (i); smallest (E_e + E_gamma)/E_e^min(theta_mu) - 1 = "
                  "%.3e\n", pass, margin);
    assert_true(pass > 10000);
    assert_true(margin > -1e-9);
}

/* ---- soft and quasi-collinear limits ---- */

/* mu(p1) e(p2) -> mu(p3) e(p4) gamma(k), k of energy w along n in the CM, the pair in its
 * rest frame along d; masses mm, me */
static k3_point soft_point(double e_beam, double mm, double me, double w, const double n[3],
                           const double d[3])
{
    k3_point p;
    k3_beams(e_beam, mm, me, &p.p1, &p.p2);
    double rs = p.p1.e + p.p2.e;
    p.k = mue_p4_make(w, w * n[0], w * n[1], w * n[2]);
    mue_p4 Q = mue_p4_make(rs - w, -p.k.x, -p.k.y, -p.k.z);
    k3_split(Q, sqrt(mue_p4_dot(Q, Q)), mm, me, d, &p.p3, &p.p4);
    return p;
}

static void test_soft_limit(void **state)
{
    (void)state;
    const double n[3] = {0.6, -0.48, 0.64}, d[3] = {0.28, 0.0, 0.96}, d2[3] = {-0.6, 0.0, -0.8};
    for (int dir = 0; dir < 2; dir++) {
        double dev[2];
        for (int iw = 0; iw < 2; iw++) {
            double w = iw ? 1e-6 : 1e-5;
            k3_point p = soft_point(150.0, MM, ME, w, n, dir ? d2 : d);
            mue_mueg_kin K = mue_mueg_kin_make(p.p1, p.p2, p.p3, p.p4, p.k, MM, ME);
            double a, b;
            double m = 0.25 * mue_mueg_msq_sum(&K, MM, ME, 0, &a, &b);
            /* eikonal: -J.J, J = sum eta Q p/(p.k), all charges -1, eta = +1 out, -1 in */
            const mue_p4 ps[4] = {p.p1, p.p2, p.p3, p.p4};
            const double pk[4] = {K.p1k, K.p2k, K.p3k, K.p4k}, eta[4] = {-1, -1, 1, 1};
            double J2 = 0.0;
            for (int i = 0; i < 4; i++)
                for (int j = 0; j < 4; j++)
                    J2 += eta[i] * eta[j] * mue_p4_dot(ps[i], ps[j]) / (pk[i] * pk[j]);
            mue_p4 q = mue_p4_sub(p.p2, p.p4);
            double el = mue_elastic_msq(mue_sq(p.p1.e + p.p2.e), mue_p4_dot(q, q), MM, ME,
                                        1.0 / (4.0 * MUE_PI));
            dev[iw] = m / (-J2 * el) - 1.0;
        }
        print_message("soft: |M|^2 / (eikonal x elastic) - 1 = %.3e, %.3e at E_gamma* = 1e-5, "
                      "1e-6 GeV\n", dev[0], dev[1]);
        /* next-to-soft: linear in the photon energy */
        assert_true(fabs(dev[1]) < 1e-3);
        assert_true(fabs(dev[0] / dev[1]) > 8.0 && fabs(dev[0] / dev[1]) < 12.0);
    }
}

/* The photon quasi-collinear with the outgoing electron: electron mass lam m0, e + gamma
 * mass^2 m^2 + lam^2 D0, the photon at a fixed angle to the pair's direction in its rest
 * frame. |M|^2 -> 8 pi alpha/(2 p4.k) [(1 + z^2)/(1 - z) - m^2/(p4.k)] |M_el|^2, z = E_e /
 * (E_e + E_gamma) (Catani, Dittmaier, Trocsanyi 2001), corrections O(lam). */
static void test_quasi_collinear(void **state)
{
    (void)state;
    const double lams[3] = {1e-2, 1e-3, 1e-4}, m0 = 0.05, D0 = 0.004;
    const double dmu[3] = {0.6, 0.0, 0.8}, ct = 0.3;
    double dev[3];
    for (int il = 0; il < 3; il++) {
        double me = lams[il] * m0, D = lams[il] * lams[il] * D0;
        k3_point p;
        k3_beams(150.0, MM, MUE_M_E, &p.p1, &p.p2); /* the beams keep s */
        double rs = p.p1.e + p.p2.e, P = k3_pstar(rs, MM, me);
        p.p1 = mue_p4_make(sqrt(P * P + MM * MM), 0.0, 0.0, P);
        p.p2 = mue_p4_make(sqrt(P * P + me * me), 0.0, 0.0, -P);
        rs = p.p1.e + p.p2.e;
        double MY = sqrt(me * me + D);
        mue_p4 Y;
        k3_split(mue_p4_make(rs, 0.0, 0.0, 0.0), rs, MM, MY, dmu, &p.p3, &Y);
        /* photon direction in the Y frame: angle acos(ct) to Y's flight direction */
        double py = mue_p4_pabs(Y), u[3] = {Y.x / py, Y.y / py, Y.z / py};
        double v[3] = {u[2], 0.0, -u[0]}, st = sqrt(1.0 - ct * ct);
        double nk[3] = {ct * u[0] + st * v[0], ct * u[1] + st * v[1], ct * u[2] + st * v[2]};
        k3_split(Y, MY, 0.0, me, nk, &p.k, &p.p4);
        mue_mueg_kin K = mue_mueg_kin_make(p.p1, p.p2, p.p3, p.p4, p.k, MM, me);
        double a, b;
        double m = 0.25 * mue_mueg_msq_sum(&K, MM, me, 0, &a, &b);
        double z = p.p4.e / (p.p4.e + p.k.e);
        mue_p4 q = mue_p4_sub(p.p1, p.p3);
        double el = mue_elastic_msq(rs * rs, mue_p4_dot(q, q), MM, me, 1.0 / (4.0 * MUE_PI));
        double split = 2.0 / (2.0 * K.p4k) * ((1.0 + z * z) / (1.0 - z) - me * me / K.p4k);
        dev[il] = m / (split * el) - 1.0;
    }
    print_message("quasi-collinear: ratio - 1 = %.3e, %.3e, %.3e at lambda = 1e-2, 1e-3, 1e-4\n",
                  dev[0], dev[1], dev[2]);
    assert_true(fabs(dev[2]) < 1e-3);
    for (int i = 0; i < 2; i++) /* linear in lambda */
        assert_true(fabs(dev[i] / dev[i + 1]) > 7.0 && fabs(dev[i] / dev[i + 1]) < 13.0);
}

/* ---- sigma inside (i)+(ii) with the Dirac |M|^2 ---- */

static void test_sigma_dirac(void **state)
{
    (void)state;
    mue_params p = mue_params_default();
    mue_setup S = setup_of(&p);
    const mue_mueg_unit *u = &S.u.mueg;
    k3_rng r = {0x5164ULL};
    const int n = 20000;
    double sp = 0.0, sd = 0.0, sd2 = 0.0;
    int pass = 0;
    for (int i = 0; i < n; i++) {
        double x[5] = {k3_u(&r), k3_u(&r), k3_u(&r), k3_u(&r), k3_u(&r)};
        mue_event ev;
        mue_process_inv inv;
        double w = mue_integrand(&S, x, &ev);
        sp += w;
        double dphi = mue_process_phase_space(MUE_PROC_MUEG, &S, x, &ev, &inv);
        if (dphi == 0.0 || !mue_selection_pass(&S.sel, &S.col, &ev))
            continue;
        pass++;
        double dmu, de;
        double m = dirac_mueg_msq_sum(S.col.p1, S.col.p2, ev.p[0], ev.p[1], ev.p[2], MM, ME, &dmu, &de);
        double e2 = 4.0 * MUE_PI * p.alpha, alpha_c = (inv.mueg.channel ? de : dmu) / (dmu + de);
        double wd = MUE_GEV2_TO_FB * S.col.flux * 0.25 * e2 * e2 * e2 * m * alpha_c * dphi;
        sd += wd;
        sd2 += wd * wd;
    }
    double mean = sd / n, err = sqrt((sd2 / n - mean * mean) / (n - 1));
    print_message("sigma (i)+(ii), %d points (%d pass), plain MC: production %.6e fb, Dirac %.6e "
                  "+- %.1e fb, ratio - 1 = %.2e; photon floor %.4f GeV\n",
                  n, pass, sp / n, mean, err, sp / sd - 1.0, u->eg_min);
    assert_true(pass > 1000);
    assert_true(fabs(sp / sd - 1.0) < 1e-11);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_volume),        cmocka_unit_test(test_footnote4_fig1),
        cmocka_unit_test(test_soft_limit),    cmocka_unit_test(test_quasi_collinear),
        cmocka_unit_test(test_sigma_dirac),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
