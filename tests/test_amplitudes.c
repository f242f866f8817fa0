/* The amplitude layer (include/mue/amplitudes.h) and mu e -> mu e gamma written with it
 * (mueg_amp.h), docs/physics.md sections 11-12 and "Checks": the external wave functions
 * (Dirac equation, normalisation, completeness, helicity, polarisation sums), mu e -> mu e
 * and the signal mu e -> mu e Z' built as diagrams against the closed formula (5.1) and
 * the FORM |M|^2, mu e gamma against the explicit Dirac evaluation (tests/me_dirac.h),
 * Ward identities, Lorentz invariance. Points are generic (tests/kin3.h), in the CM. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <float.h>
#include <math.h>
#include <stdio.h>

#include "kin3.h"
#include "me_dirac.h"
#include "mue/amplitudes.h"
#include "mue/elastic.h"
#include "mue/mueg_amp.h"
#include "mue/zprime.h"

#define E_BEAM 150.0
#define MM MUE_M_MU
#define ME MUE_M_E
#define ALPHA MUE_ALPHA0
#define GZ 1e-3

static double reldev(double a, double b) { return fabs(a / b - 1.0); }

/* (pslash + sign m) psi in the chiral representation, through the layer's sigma products */
static mue_spinor slash_plus_m(mue_p4 p, double m, const mue_spinor *s)
{
    mue_cvec P = mue_cvec_from_p4(p);
    mue_cx y0, y1, y2, y3;
    mue_amp_sigma(&P, 0, 0, s->c[2], s->c[3], &y0, &y1);
    mue_amp_sigma(&P, 1, 0, s->c[0], s->c[1], &y2, &y3);
    mue_spinor o = {{mue_cx_add(y0, mue_cx_scale(m, s->c[0])), mue_cx_add(y1, mue_cx_scale(m, s->c[1])),
                     mue_cx_add(y2, mue_cx_scale(m, s->c[2])), mue_cx_add(y3, mue_cx_scale(m, s->c[3]))}};
    return o;
}

static double spinor_norm(const mue_spinor *s)
{
    double n = 0.0;
    for (int i = 0; i < 4; i++)
        n += mue_cx_abs2(s->c[i]);
    return sqrt(n);
}

static mue_cx bar_dot(const mue_spinor *a, const mue_spinor *b)
{
    mue_cx s = mue_cx_real(0.0);
    for (int i = 0; i < 4; i++)
        s = mue_cx_add(s, mue_cx_mul(a->c[i], b->c[i]));
    return s;
}

/* momenta of several kinds: generic, close to +-z, along -z, at rest */
static mue_p4 test_momentum(k3_rng *r, int kind, double m)
{
    double n[3], P = 0.3 * pow(100.0, k3_u(r));
    k3_dir(r, n);
    if (kind == 1)
        n[0] = 1e-9, n[1] = -2e-9, n[2] = -1.0;
    if (kind == 2)
        n[0] = 0.0, n[1] = 0.0, n[2] = -1.0;
    if (kind == 3)
        P = 0.0;
    double l = sqrt(n[0] * n[0] + n[1] * n[1] + n[2] * n[2]);
    return mue_p4_make(sqrt(P * P + m * m), P * n[0] / l, P * n[1] / l, P * n[2] / l);
}

static void test_spinors(void **state)
{
    (void)state;
    k3_rng r = {0xA11CEULL};
    const double masses[] = {ME, MM, 1.0};
    double worst_dirac = 0.0, worst_norm = 0.0, worst_comp = 0.0, worst_hel = 0.0;
    for (int i = 0; i < 400; i++) {
        double m = masses[i % 3];
        mue_p4 p = test_momentum(&r, i % 8 < 5 ? 0 : i % 8 - 4, m);
        mue_cx sum_u[4][4], sum_v[4][4];
        for (int a = 0; a < 4; a++)
            for (int b = 0; b < 4; b++)
                sum_u[a][b] = sum_v[a][b] = mue_cx_real(0.0);
        for (int h = -1; h <= 1; h += 2) {
            mue_spinor u = mue_spinor_u(p, m, h), v = mue_spinor_v(p, m, h);
            mue_spinor ub = mue_spinor_ubar(p, m, h), vb = mue_spinor_vbar(p, m, h);
            /* (pslash - m) u = 0, (pslash + m) v = 0, relative to E |u| */
            mue_spinor du = slash_plus_m(p, -m, &u), dv = slash_plus_m(p, m, &v);
            worst_dirac = fmax(worst_dirac, spinor_norm(&du) / (p.e * spinor_norm(&u)));
            worst_dirac = fmax(worst_dirac, spinor_norm(&dv) / (p.e * spinor_norm(&v)));
            /* ubar u = 2m, vbar v = -2m, ubar v = 0 */
            mue_cx uu = bar_dot(&ub, &u), vv = bar_dot(&vb, &v), uv = bar_dot(&ub, &v);
            worst_norm = fmax(worst_norm, fabs(uu.re - 2.0 * m) / p.e + fabs(uu.im) / p.e);
            worst_norm = fmax(worst_norm, fabs(vv.re + 2.0 * m) / p.e + fabs(vv.im) / p.e);
            worst_norm = fmax(worst_norm, sqrt(mue_cx_abs2(uv)) / p.e);
            for (int a = 0; a < 4; a++)
                for (int b = 0; b < 4; b++) {
                    sum_u[a][b] = mue_cx_add(sum_u[a][b], mue_cx_mul(u.c[a], ub.c[b]));
                    sum_v[a][b] = mue_cx_add(sum_v[a][b], mue_cx_mul(v.c[a], vb.c[b]));
                }
            /* helicity: sigma.phat on both chiral halves gives h u (and -h for v's halves) */
            double P = mue_p4_pabs(p);
            if (P > 0.0) {
                mue_cvec nv = {{mue_cx_real(0.0), mue_cx_real(p.x / P), mue_cx_real(p.y / P),
                                mue_cx_real(p.z / P)}};
                mue_cx y0, y1; /* V.sigmabar with V^0 = 0 is sigma.phat */
                for (int half = 0; half < 2; half++) {
                    mue_amp_sigma(&nv, 1, 0, u.c[2 * half], u.c[2 * half + 1], &y0, &y1);
                    double d = sqrt(mue_cx_abs2(mue_cx_sub(y0, mue_cx_scale(h, u.c[2 * half]))) +
                                    mue_cx_abs2(mue_cx_sub(y1, mue_cx_scale(h, u.c[2 * half + 1]))));
                    worst_hel = fmax(worst_hel, d / sqrt(p.e + P));
                    mue_amp_sigma(&nv, 1, 0, v.c[2 * half], v.c[2 * half + 1], &y0, &y1);
                    d = sqrt(mue_cx_abs2(mue_cx_add(y0, mue_cx_scale(h, v.c[2 * half]))) +
                             mue_cx_abs2(mue_cx_add(y1, mue_cx_scale(h, v.c[2 * half + 1]))));
                    worst_hel = fmax(worst_hel, d / sqrt(p.e + P));
                }
            }
        }
        /* completeness: sum u ubar = pslash + m, sum v vbar = pslash - m (columns of the
         * unit matrix through slash_plus_m) */
        for (int b = 0; b < 4; b++) {
            mue_spinor e = {{mue_cx_real(b == 0), mue_cx_real(b == 1), mue_cx_real(b == 2),
                             mue_cx_real(b == 3)}};
            mue_spinor cu = slash_plus_m(p, m, &e), cv = slash_plus_m(p, -m, &e);
            for (int a = 0; a < 4; a++) {
                worst_comp = fmax(worst_comp, sqrt(mue_cx_abs2(mue_cx_sub(sum_u[a][b], cu.c[a]))) / p.e);
                worst_comp = fmax(worst_comp, sqrt(mue_cx_abs2(mue_cx_sub(sum_v[a][b], cv.c[a]))) / p.e);
            }
        }
    }
    print_message("spinors: Dirac equation %.1e, normalisation %.1e, completeness %.1e, "
                  "helicity %.1e (relative to E)\n",
                  worst_dirac, worst_norm, worst_comp, worst_hel);
    assert_true(worst_dirac < 1e-14);
    assert_true(worst_norm < 1e-14);
    assert_true(worst_comp < 1e-14);
    assert_true(worst_hel < 1e-14);
}

static void test_polarisations(void **state)
{
    (void)state;
    k3_rng r = {0xB0B0ULL};
    double worst = 0.0;
    for (int i = 0; i < 300; i++) {
        double M = i % 3 == 0 ? 0.0 : 0.09; /* photon, massive vector */
        mue_p4 k = test_momentum(&r, i % 6 < 4 ? 0 : i % 6 - 3, M);
        if (M == 0.0 && k.e == 0.0)
            continue;
        mue_cvec eps[3];
        int nh = M > 0.0 ? 3 : 2;
        for (int j = 0; j < nh; j++)
            eps[j] = mue_polarisation(k, M, j == 2 ? 0 : 2 * j - 1);
        double scale = fmax(k.e / fmax(M, 1e-300), 1.0);
        if (M == 0.0)
            scale = 1.0;
        for (int a = 0; a < nh; a++) {
            /* eps.k = 0, eps_a.eps_b* = -delta_ab */
            mue_cx ek = mue_cvec_dot_p4(&eps[a], k);
            worst = fmax(worst, sqrt(mue_cx_abs2(ek)) / (k.e * scale));
            for (int b = 0; b < nh; b++) {
                mue_cvec cb = mue_cvec_conj(eps[b]);
                mue_cx d = mue_cvec_dot(&eps[a], &cb);
                worst = fmax(worst, sqrt(mue_cx_abs2(mue_cx_sub(d, mue_cx_real(a == b ? -1.0 : 0.0)))) /
                                        (scale * scale));
            }
        }
        if (M > 0.0) { /* sum_h eps^mu eps^nu* = -g^{mu nu} + k^mu k^nu / M^2 */
            const double kc[4] = {k.e, k.x, k.y, k.z};
            for (int mu = 0; mu < 4; mu++)
                for (int nu = 0; nu < 4; nu++) {
                    mue_cx s = mue_cx_real(0.0);
                    for (int h = 0; h < 3; h++)
                        s = mue_cx_add(s, mue_cx_mul(eps[h].c[mu], mue_cx_conj(eps[h].c[nu])));
                    double g = mu != nu ? 0.0 : (mu == 0 ? 1.0 : -1.0);
                    double want = -g + kc[mu] * kc[nu] / (M * M);
                    worst = fmax(worst, sqrt(mue_cx_abs2(mue_cx_sub(s, mue_cx_real(want)))) /
                                            (scale * scale));
                }
        }
    }
    print_message("polarisations: transversality, orthonormality, completeness %.1e\n", worst);
    assert_true(worst < 1e-14);
}

/* mu e -> mu e as its one diagram: closes the muon line on the electron line's photon. */
static double layer_elastic_msq(const k3_point *p, double alpha)
{
    const mue_ffv_cpl g = mue_ffv_cpl_lr(-1.0, -1.0);
    mue_p4 q = mue_p4_sub(p->p2, p->p4);
    double t = mue_p4_dot(q, q), sum = 0.0;
    for (int h1 = -1; h1 <= 1; h1 += 2)
        for (int h2 = -1; h2 <= 1; h2 += 2)
            for (int h3 = -1; h3 <= 1; h3 += 2)
                for (int h4 = -1; h4 <= 1; h4 += 2) {
                    mue_spinor u1 = mue_spinor_u(p->p1, MM, h1), ub3 = mue_spinor_ubar(p->p3, MM, h3);
                    mue_spinor u2 = mue_spinor_u(p->p2, ME, h2), ub4 = mue_spinor_ubar(p->p4, ME, h4);
                    mue_cvec A = mue_amp_ffv_to_v(&ub4, &u2, g, q, 0.0, 0.0, t);
                    sum += mue_cx_abs2(mue_amp_ffv(&ub3, &u1, &A, g));
                }
    double e2 = 4.0 * MUE_PI * alpha;
    return 0.25 * e2 * e2 * sum;
}

/* mu e -> mu e Z' as its two diagrams (Z' from the outgoing and the incoming muon, vector
 * coupling g Q', Q' = 1); eps_mode 1 replaces eps* by k (Ward identity), returning the
 * largest |k.M| over the largest |M| of the helicity amplitudes. */
static double layer_zprime(const k3_point *p, double mz, double alpha, double gz, int eps_mode)
{
    const mue_ffv_cpl g = mue_ffv_cpl_lr(-1.0, -1.0), gp = mue_ffv_cpl_va(1.0, 0.0);
    mue_p4 q = mue_p4_sub(p->p2, p->p4);
    double t = mue_p4_dot(q, q), sum = 0.0, amax = 0.0, wmax = 0.0;
    double D3 = 2.0 * mue_p4_dot(p->p3, p->k) + mz * mz, D1 = mz * mz - 2.0 * mue_p4_dot(p->p1, p->k);
    for (int hz = -1; hz <= 1; hz++)
        for (int h1 = -1; h1 <= 1; h1 += 2)
            for (int h2 = -1; h2 <= 1; h2 += 2)
                for (int h3 = -1; h3 <= 1; h3 += 2)
                    for (int h4 = -1; h4 <= 1; h4 += 2) {
                        mue_spinor u1 = mue_spinor_u(p->p1, MM, h1), ub3 = mue_spinor_ubar(p->p3, MM, h3);
                        mue_spinor u2 = mue_spinor_u(p->p2, ME, h2), ub4 = mue_spinor_ubar(p->p4, ME, h4);
                        mue_cvec A = mue_amp_ffv_to_v(&ub4, &u2, g, q, 0.0, 0.0, t);
                        mue_cvec eps = mue_polarisation_out(p->k, mz, hz), kv = mue_cvec_from_p4(p->k);
                        mue_cx amp[2];
                        for (int w = 0; w < 2; w++) {
                            const mue_cvec *E = w ? &kv : &eps;
                            mue_spinor f3 = mue_amp_ffv_to_fbar(&ub3, E, gp, mue_p4_add(p->p3, p->k), MM, D3);
                            mue_spinor f1 = mue_amp_ffv_to_f(&u1, E, gp, mue_p4_sub(p->p1, p->k), MM, D1);
                            amp[w] = mue_cx_add(mue_amp_ffv(&f3, &u1, &A, g), mue_amp_ffv(&ub3, &f1, &A, g));
                        }
                        sum += mue_cx_abs2(amp[0]);
                        amax = fmax(amax, sqrt(mue_cx_abs2(amp[0])));
                        wmax = fmax(wmax, sqrt(mue_cx_abs2(amp[1])));
                    }
    if (eps_mode)
        return wmax / (amax * p->k.e);
    double e2 = 4.0 * MUE_PI * alpha;
    return 0.25 * e2 * e2 * gz * gz * sum;
}

static void test_elastic(void **state)
{
    (void)state;
    k3_rng r = {0xE1A5ULL};
    double worst = 0.0;
    for (int i = 0; i < 500; i++) {
        k3_point p;
        k3_beams(E_BEAM, MM, ME, &p.p1, &p.p2);
        double rs = p.p1.e + p.p2.e, n[3];
        k3_dir(&r, n);
        k3_split(mue_p4_make(rs, 0.0, 0.0, 0.0), rs, MM, ME, n, &p.p3, &p.p4);
        mue_p4 q = mue_p4_sub(p.p2, p.p4);
        double s = rs * rs, t = mue_p4_dot(q, q);
        worst = fmax(worst, reldev(layer_elastic_msq(&p, ALPHA), mue_elastic_msq(s, t, MM, ME, ALPHA)));
    }
    print_message("elastic: layer vs Eq. (5.1), max rel dev %.2e\n", worst);
    assert_true(worst < 1e-12);
}

static void test_zprime(void **state)
{
    (void)state;
    const double zm[] = {1e-3, 1e-2, 0.1, 0.25};
    k3_rng r = {0x2E7AULL};
    for (int im = 0; im < 4; im++) {
        double worst = 0.0, ward = 0.0, wd = 0.0, wf = 0.0;
        for (int i = 0; i < 200; i++) {
            k3_point p = k3_generic(&r, E_BEAM, MM, ME, zm[im], 0);
            double a = layer_zprime(&p, zm[im], ALPHA, GZ, 0);
            double b = mue_zprime_msq_momenta(p.p1, p.p2, p.p3, p.p4, p.k, MM, ME, zm[im], ALPHA, GZ);
            double d = dirac_zprime_msq(p.p1, p.p2, p.p3, p.p4, p.k, MM, ME, zm[im], ALPHA, GZ);
            /* the FORM polynomial loses ~20 eps s/tau (docs/physics.md section 4.4): the
             * tolerance is 1e-12 plus 30 times that, as in test_matrix_element */
            mue_p4 q = mue_p4_sub(p.p2, p.p4);
            double cnd = DBL_EPSILON * mue_sq(p.p1.e + p.p2.e) / -mue_p4_dot(q, q);
            worst = fmax(worst, reldev(a, b) / (1e-12 + 30.0 * cnd));
            wd = fmax(wd, reldev(a, d));
            wf = fmax(wf, reldev(b, d));
            ward = fmax(ward, layer_zprime(&p, zm[im], ALPHA, GZ, 1));
        }
        print_message("zprime m = %g: layer vs FORM %.2f of tolerance (layer vs Dirac %.2e, FORM vs "
                      "Dirac %.2e); Ward |k.M|/(E_k max|M|) %.1e\n",
                      zm[im], worst, wd, wf, ward);
        assert_true(worst < 1.0);
        assert_true(wd < 1e-13);
        assert_true(ward < 1e-13);
    }
}

static double mueg_layer(const k3_point *p, double *mu, double *e)
{
    mue_mueg_kin K = mue_mueg_kin_make(p->p1, p->p2, p->p3, p->p4, p->k, MM, ME);
    return mue_mueg_msq_sum(&K, MM, ME, 0, mu, e);
}

static void test_mueg_dirac(void **state)
{
    (void)state;
    k3_rng r = {0xD1ACULL};
    double worst = 0.0;
    for (int i = 0; i < 300; i++) {
        k3_point p = k3_generic(&r, E_BEAM, MM, ME, 0.0, i % 2);
        double mu, e, dmu, de;
        double a = mueg_layer(&p, &mu, &e);
        double b = dirac_mueg_msq_sum(p.p1, p.p2, p.p3, p.p4, p.k, MM, ME, &dmu, &de);
        worst = fmax(worst, fmax(reldev(a, b), fmax(reldev(mu, dmu), reldev(e, de))));
    }
    print_message("mueg: layer vs explicit Dirac matrices, whole and both halves: %.2e\n", worst);
    assert_true(worst < 1e-12);
}

/* mu+(p1) e-(p2) -> mu+(p3) e-(p4) gamma(k) written out with antiparticle spinors: the
 * antimuon line is vbar(p1) ... v(p3), its fermion arrow against the momenta, so an
 * internal line carries -(p3 + k) or k - p1 along the arrow. Spin-summed, units of e^6. */
static double mueg_antimuon_direct(const k3_point *p)
{
    const mue_mueg_kin K = mue_mueg_kin_make(p->p1, p->p2, p->p3, p->p4, p->k, MM, ME);
    const mue_ffv_cpl g = mue_ffv_cpl_lr(-1.0, -1.0);
    mue_spinor vb1[2], v3[2], u2[2], ub4[2];
    for (int h = 0; h < 2; h++) {
        vb1[h] = mue_spinor_vbar(p->p1, MM, 2 * h - 1);
        v3[h] = mue_spinor_v(p->p3, MM, 2 * h - 1);
        u2[h] = mue_spinor_u(p->p2, ME, 2 * h - 1);
        ub4[h] = mue_spinor_ubar(p->p4, ME, 2 * h - 1);
    }
    mue_cvec Je[2][2], Jm[2][2];
    for (int a = 0; a < 2; a++)
        for (int b = 0; b < 2; b++) {
            Je[a][b] = mue_amp_ffv_to_v(&ub4[b], &u2[a], g, mue_p4_sub(p->p2, p->p4), 0.0, 0.0, K.te);
            Jm[a][b] = mue_amp_ffv_to_v(&vb1[a], &v3[b], g, mue_p4_sub(p->p1, p->p3), 0.0, 0.0, K.tm);
        }
    const mue_p4 A = mue_p4_sub(mue_p4_make(0.0, 0.0, 0.0, 0.0), mue_p4_add(p->p3, p->k));
    const mue_p4 B = mue_p4_sub(p->k, p->p1);
    const mue_p4 P4k = mue_p4_add(p->p4, p->k), P2k = mue_p4_sub(p->p2, p->k);
    double sum = 0.0;
    for (int pol = 0; pol < 2; pol++) {
        mue_cvec eps = mue_polarisation_out(p->k, 0.0, 2 * pol - 1);
        mue_spinor fa[2], fb[2], f4[2], f2[2];
        for (int h = 0; h < 2; h++) {
            fa[h] = mue_amp_ffv_to_f(&v3[h], &eps, g, A, MM, 2.0 * K.p3k);
            fb[h] = mue_amp_ffv_to_fbar(&vb1[h], &eps, g, B, MM, -2.0 * K.p1k);
            f4[h] = mue_amp_ffv_to_fbar(&ub4[h], &eps, g, P4k, ME, 2.0 * K.p4k);
            f2[h] = mue_amp_ffv_to_f(&u2[h], &eps, g, P2k, ME, -2.0 * K.p2k);
        }
        for (int h1 = 0; h1 < 2; h1++)
            for (int h3 = 0; h3 < 2; h3++)
                for (int h2 = 0; h2 < 2; h2++)
                    for (int h4 = 0; h4 < 2; h4++) {
                        const mue_cvec *je = &Je[h2][h4], *jm = &Jm[h1][h3];
                        mue_cx a = mue_amp_ffv(&vb1[h1], &fa[h3], je, g);
                        a = mue_cx_add(a, mue_amp_ffv(&fb[h1], &v3[h3], je, g));
                        a = mue_cx_add(a, mue_amp_ffv(&f4[h4], &u2[h2], jm, g));
                        a = mue_cx_add(a, mue_amp_ffv(&ub4[h4], &f2[h2], jm, g));
                        sum += mue_cx_abs2(a);
                    }
    }
    return sum;
}

/* A mu+ beam: the production code flips the sign of the electron line's half (C
 * invariance, mueg_amp.h); written out with antiparticle spinors it must agree, and differ
 * from the mu- |M|^2 by twice the interference. */
static void test_mueg_antimuon(void **state)
{
    (void)state;
    k3_rng r = {0xA471ULL};
    double worst = 0.0;
    for (int i = 0; i < 300; i++) {
        k3_point p = k3_generic(&r, E_BEAM, MM, ME, 0.0, i % 2);
        mue_mueg_kin K = mue_mueg_kin_make(p.p1, p.p2, p.p3, p.p4, p.k, MM, ME);
        double mu, e, mu2, e2;
        const double minus = mue_mueg_msq_sum(&K, MM, ME, 0, &mu, &e);
        const double plus = mue_mueg_msq_sum_q(&K, MM, ME, 0, -1.0, &mu2, &e2);
        const double direct = mueg_antimuon_direct(&p);
        worst = fmax(worst, reldev(plus, direct));
        /* the halves do not know the charge; the sum of both beams is twice theirs */
        assert_true(mu2 == mu && e2 == e);
        assert_true(reldev(plus + minus, 2.0 * (mu + e)) < 1e-12);
    }
    print_message("mueg mu+: flipped-sign layer vs antiparticle spinors %.2e\n", worst);
    assert_true(worst < 1e-12);
}

/* eps* -> k: |k.M|^2 summed over spins, against |M|^2 E_k^2 (k is not a unit vector) */
static void test_mueg_ward(void **state)
{
    (void)state;
    k3_rng r = {0x3A2DULL};
    double worst = 0.0, worst_half = 0.0;
    for (int i = 0; i < 300; i++) {
        k3_point p = k3_generic(&r, E_BEAM, MM, ME, 0.0, i % 2);
        mue_mueg_kin K = mue_mueg_kin_make(p.p1, p.p2, p.p3, p.p4, p.k, MM, ME);
        double mu, e, wmu, we;
        double m = mue_mueg_msq_sum(&K, MM, ME, 0, &mu, &e);
        double w = mue_mueg_msq_sum(&K, MM, ME, 1, &wmu, &we);
        double ek2 = p.k.e * p.k.e;
        worst = fmax(worst, sqrt(w / (m * ek2)));
        worst_half = fmax(worst_half, fmax(sqrt(wmu / (mu * ek2)), sqrt(we / (e * ek2))));
    }
    print_message("mueg Ward: |k.M|/(E_k |M|) %.1e whole, %.1e each line\n", worst, worst_half);
    assert_true(worst < 1e-13);
    assert_true(worst_half < 1e-13);
}

static void test_lorentz(void **state)
{
    (void)state;
    k3_rng r = {0x10BEULL};
    double wm = 0.0, wz = 0.0, we = 0.0;
    for (int i = 0; i < 200; i++) {
        double n[3];
        k3_dir(&r, n);
        const double b[3] = {0.5 * n[0], 0.5 * n[1], 0.5 * n[2]};
        k3_point p = k3_generic(&r, E_BEAM, MM, ME, 0.0, i % 2), q = k3_boost(p, b);
        double a1, a2;
        wm = fmax(wm, reldev(mueg_layer(&q, &a1, &a2), mueg_layer(&p, &a1, &a2)));
        k3_point z = k3_generic(&r, E_BEAM, MM, ME, 0.05, 0), zq = k3_boost(z, b);
        wz = fmax(wz, reldev(layer_zprime(&zq, 0.05, ALPHA, GZ, 0), layer_zprime(&z, 0.05, ALPHA, GZ, 0)));
        k3_point el;
        k3_beams(E_BEAM, MM, ME, &el.p1, &el.p2);
        double rs = el.p1.e + el.p2.e;
        k3_dir(&r, n);
        k3_split(mue_p4_make(rs, 0.0, 0.0, 0.0), rs, MM, ME, n, &el.p3, &el.p4);
        k3_point elq = k3_boost(el, b);
        we = fmax(we, reldev(layer_elastic_msq(&elq, ALPHA), layer_elastic_msq(&el, ALPHA)));
    }
    print_message("Lorentz, beta = 0.5 any direction: mueg %.2e, zprime %.2e, elastic %.2e\n", wm, wz, we);
    assert_true(wm < 1e-12);
    assert_true(wz < 1e-12);
    assert_true(we < 1e-12);
}

/* e-(p1) nubar_e(p2) -> W-(q) gamma(k): the photon from the electron (t channel) and from
 * the W (s channel, triple gauge vertex). Returns max |M(eps_gamma* -> k)| / (E_k max |M|)
 * over helicities, for the WW gamma coupling gww (the electron's is -e). */
static double wgamma_ward(const mue_p4 *p1, const mue_p4 *p2, const mue_p4 *q, const mue_p4 *k,
                          double gww)
{
    const double e = 0.3, gw = 0.65, mw = 80.4, me = 1e-3;
    const mue_ffv_cpl ce = mue_ffv_cpl_lr(-e, -e), cw = mue_ffv_cpl_lr(gw / sqrt(2.0), 0.0);
    mue_p4 s12 = mue_p4_add(*p1, *p2), mq = mue_p4_make(-q->e, -q->x, -q->y, -q->z);
    mue_p4 mk = mue_p4_make(-k->e, -k->x, -k->y, -k->z);
    double amax = 0.0, wmax = 0.0;
    for (int h1 = -1; h1 <= 1; h1 += 2)
        for (int h2 = -1; h2 <= 1; h2 += 2) {
            mue_spinor u1 = mue_spinor_u(*p1, me, h1), vb2 = mue_spinor_vbar(*p2, 0.0, h2);
            mue_cvec JW = mue_amp_ffv_to_v(&vb2, &u1, cw, s12, mw, 0.0, mue_amp_den(s12, mw));
            for (int hw = -1; hw <= 1; hw++) {
                mue_cvec ew = mue_polarisation_out(*q, mw, hw);
                for (int w = 0; w < 3; w++) {
                    mue_cvec eg = w < 2 ? mue_polarisation_out(*k, 0.0, 2 * w - 1) : mue_cvec_from_p4(*k);
                    mue_spinor f1 = mue_amp_ffv_to_f(&u1, &eg, ce, mue_p4_sub(*p1, *k), me,
                                                     -2.0 * mue_p4_dot_massless(*p1, me, *k));
                    mue_cx a = mue_cx_add(mue_amp_ffv(&vb2, &f1, &ew, cw),
                                          mue_amp_vvv(&JW, s12, &ew, mq, &eg, mk, gww));
                    double m = sqrt(mue_cx_abs2(a));
                    if (w < 2)
                        amax = fmax(amax, m);
                    else
                        wmax = fmax(wmax, m);
                }
            }
        }
    return wmax / (amax * k->e);
}

/* The triple gauge vertex through the Ward identity of e- nubar -> W- gamma: it holds with
 * g_WWgamma = e Q_W- = -e and fails with the other sign (Eq. (11.10)). */
static void test_vvv_ward(void **state)
{
    (void)state;
    k3_rng r = {0x3A7ULL};
    double good = 0.0, wrong = 1.0;
    for (int i = 0; i < 100; i++) {
        double rs = 100.0 + 400.0 * k3_u(&r), n[3];
        mue_p4 p1 = mue_p4_make(0.5 * rs, 0.0, 0.0, sqrt(0.25 * rs * rs - 1e-6));
        mue_p4 p2 = mue_p4_make(0.5 * rs, 0.0, 0.0, -p1.z), q, k;
        k3_dir(&r, n);
        k3_split(mue_p4_make(rs, 0.0, 0.0, 0.0), rs, 80.4, 0.0, n, &q, &k);
        good = fmax(good, wgamma_ward(&p1, &p2, &q, &k, -0.3));
        wrong = fmin(wrong, wgamma_ward(&p1, &p2, &q, &k, 0.3));
    }
    print_message("W gamma Ward: |k.M|/(E_k max|M|) %.1e with g_WWgamma = -e, %.1e with +e\n", good, wrong);
    assert_true(good < 1e-12);
    assert_true(wrong > 1e-3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spinors),    cmocka_unit_test(test_polarisations),
        cmocka_unit_test(test_elastic),    cmocka_unit_test(test_zprime),
        cmocka_unit_test(test_mueg_dirac), cmocka_unit_test(test_mueg_ward),
        cmocka_unit_test(test_mueg_antimuon),
        cmocka_unit_test(test_lorentz),    cmocka_unit_test(test_vvv_ward),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
