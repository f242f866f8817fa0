/* Matrix elements against an independent evaluation (tests/me_dirac.h: explicit Dirac
 * matrices, spinors and polarisation vectors, full electron current) on physical points
 * generated here, independently of the production phase-space code.
 * docs/physics.md, "Checks": two |M|^2 evaluations, gauge invariance, Lorentz invariance,
 * soft limit; plus elastic |M|^2 and the vanishing of the k k / m_Z'^2 term. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <float.h>
#include <math.h>
#include <stdio.h>

#include "mue/elastic.h"
#include "mue/zprime.h"
#include "me_dirac.h"

#define E_BEAM 150.0
#define MM MUE_M_MU
#define ME MUE_M_E
#define ALPHA MUE_ALPHA0
#define GZ 1e-3

static const double zmasses[] = {1e-3, 1e-2, 0.1, 0.25};
#define NZMASS ((int)(sizeof zmasses / sizeof zmasses[0]))

/* ---- fixed-seed generator (xorshift64*) ---- */

typedef struct {
    uint64_t s;
} rng_t;

static double rng_u(rng_t *r) /* uniform in (0,1) */
{
    r->s ^= r->s >> 12;
    r->s ^= r->s << 25;
    r->s ^= r->s >> 27;
    return ((r->s * 0x2545F4914F6CDD1DULL >> 11) + 0.5) * 0x1.0p-53;
}

static void rng_dir(rng_t *r, double n[3]) /* isotropic unit vector */
{
    double c = 2.0 * rng_u(r) - 1.0, s = sqrt((1.0 - c) * (1.0 + c)), f = 2.0 * MUE_PI * rng_u(r);
    n[0] = s * cos(f);
    n[1] = s * sin(f);
    n[2] = c;
}

/* ---- kinematics, built here from scratch ---- */

typedef struct {
    double s, rs, E1, E2, P;
    mue_p4 p1, p2; /* CM: muon along +z, electron along -z */
} cm_t;

typedef struct {
    mue_p4 p1, p2, p3, p4, k;
} point_t;

/* two-body momentum of masses a, b in the rest frame of mass M */
static double pstar(double M, double a, double b)
{
    return sqrt((M - a - b) * (M + a + b) * (M - a + b) * (M + a - b)) / (2.0 * M);
}

static cm_t cm_make(void)
{
    cm_t c;
    c.s = MM * MM + ME * ME + 2.0 * ME * E_BEAM;
    c.rs = sqrt(c.s);
    c.E1 = (c.s + MM * MM - ME * ME) / (2.0 * c.rs);
    c.E2 = (c.s + ME * ME - MM * MM) / (2.0 * c.rs);
    c.P = pstar(c.rs, MM, ME);
    c.p1 = mue_p4_make(c.E1, 0.0, 0.0, c.P);
    c.p2 = mue_p4_make(c.E2, 0.0, 0.0, -c.P);
    return c;
}

/* electron energy and momentum in the CM when the muon + Z' system has mass MX */
static void recoil(const cm_t *c, double MX, double *E4, double *P4)
{
    *E4 = (c->s + ME * ME - MX * MX) / (2.0 * c->rs);
    *P4 = pstar(c->rs, ME, MX);
}

/* smallest -t at mass MX (electron keeps its direction): (dP - dE)(dP + dE), with
 * dP - dE = m_e^2/(P4+E4) - m_e^2/(P2+E2) free of cancellation */
static double tau_min_at(const cm_t *c, double MX)
{
    double E4, P4;
    recoil(c, MX, &E4, &P4);
    double a = ME * ME / (P4 + E4) - ME * ME / (c->P + c->E2);
    return a * ((c->P - P4) + (c->E2 - E4));
}

/* p4 at polar angle theta from -z (the incoming electron), azimuth phi; X = p1 + p2 - p4.
 * omc = 1 - cos(theta) is passed directly so that forward angles keep their digits. */
static void electron_and_X(const cm_t *c, double MX, double omc, double phi, mue_p4 *p4,
                           mue_p4 *X)
{
    double E4, P4;
    recoil(c, MX, &E4, &P4);
    double st = sqrt(omc * (2.0 - omc));
    *p4 = mue_p4_make(E4, P4 * st * cos(phi), P4 * st * sin(phi), -P4 * (1.0 - omc));
    *X = mue_p4_make(c->rs - E4, -p4->x, -p4->y, -p4->z);
}

/* X -> mu(p3) Z'(k) with the Z' along unit vector n in the X rest frame */
static void decay_X(mue_p4 X, double MX, double mz, const double n[3], mue_p4 *p3, mue_p4 *k)
{
    double Ek = (MX * MX + mz * mz - MM * MM) / (2.0 * MX), Pk = pstar(MX, MM, mz);
    mue_p4 kx = mue_p4_make(Ek, Pk * n[0], Pk * n[1], Pk * n[2]);
    mue_p4 p3x = mue_p4_make(MX - Ek, -kx.x, -kx.y, -kx.z);
    double bx = X.x / X.e, by = X.y / X.e, bz = X.z / X.e;
    *k = mue_p4_boost(kx, bx, by, bz);
    *p3 = mue_p4_boost(p3x, bx, by, bz);
}

/* generic point: M_X uniform over its range, electron and Z' directions isotropic */
static point_t gen_generic(const cm_t *c, rng_t *r, double mz)
{
    point_t p = {c->p1, c->p2, c->p1, c->p2, c->p1}; /* p3, p4, k set below */
    double lo = MM + mz, hi = c->rs - ME;
    double MX = lo + (hi - lo) * (0.02 + 0.96 * rng_u(r));
    double n[3];
    mue_p4 X;
    electron_and_X(c, MX, 2.0 * rng_u(r), 2.0 * MUE_PI * rng_u(r), &p.p4, &X);
    rng_dir(r, n);
    decay_X(X, MX, mz, n, &p.p3, &p.k);
    return p;
}

/* MUonE-like point: -t = tau (log-uniform in [tau_lo, tau_hi], raised to what M_X = m_mu +
 * m_Z' allows), M_X below the value where tau is the kinematic minimum. With collinear
 * set, the Z' is within 1-100 mrad of the muon beam in the X frame (initial-state
 * collinear region, where D2 is small). */
static point_t gen_tiny_t(const cm_t *c, rng_t *r, double mz, double tau_lo, double tau_hi,
                          int collinear)
{
    point_t p = {c->p1, c->p2, c->p1, c->p2, c->p1}; /* p3, p4, k set below */
    double mlo = MM + mz, mhi = c->rs - ME;
    tau_lo = fmax(tau_lo, 1.5 * tau_min_at(c, mlo));
    double tau = tau_lo * pow(tau_hi / tau_lo, rng_u(r));
    /* largest M_X with tau_min(M_X) < tau, by bisection (tau_min grows with M_X) */
    double a = mlo, b = mhi;
    if (tau_min_at(c, b) > tau)
        for (int i = 0; i < 200; i++) {
            double m = 0.5 * (a + b);
            if (tau_min_at(c, m) < tau)
                a = m;
            else
                b = m;
        }
    double MX = mlo + (b - mlo) * (0.01 + 0.98 * rng_u(r));
    double E4, P4;
    recoil(c, MX, &E4, &P4);
    double omc = (tau - tau_min_at(c, MX)) / (2.0 * c->P * P4);
    mue_p4 X;
    electron_and_X(c, MX, omc, 2.0 * MUE_PI * rng_u(r), &p.p4, &X);
    double n[3];
    if (collinear) {
        /* p1 direction in the X frame, then a small random tilt */
        mue_p4 p1x = mue_p4_boost(c->p1, -X.x / X.e, -X.y / X.e, -X.z / X.e);
        double l = mue_p4_pabs(p1x), th = 1e-3 * pow(100.0, rng_u(r)), f = 2 * MUE_PI * rng_u(r);
        mue_p4 d = mue_p4_make(1.0, sin(th) * cos(f), sin(th) * sin(f), cos(th));
        d = mue_p4_rotate_from_axis(d, p1x.x / l, p1x.y / l, p1x.z / l);
        n[0] = d.x, n[1] = d.y, n[2] = d.z;
    } else {
        rng_dir(r, n);
    }
    decay_X(X, MX, mz, n, &p.p3, &p.k);
    return p;
}

static point_t boost_point(point_t p, const double b[3])
{
    point_t o;
    o.p1 = mue_p4_boost(p.p1, b[0], b[1], b[2]);
    o.p2 = mue_p4_boost(p.p2, b[0], b[1], b[2]);
    o.p3 = mue_p4_boost(p.p3, b[0], b[1], b[2]);
    o.p4 = mue_p4_boost(p.p4, b[0], b[1], b[2]);
    o.k = mue_p4_boost(p.k, b[0], b[1], b[2]);
    return o;
}

static double tau_of(point_t p)
{
    mue_p4 q = mue_p4_sub(p.p2, p.p4);
    return -mue_p4_dot(q, q);
}

static double prod_msq(point_t p, double mz)
{
    return mue_zprime_msq_momenta(p.p1, p.p2, p.p3, p.p4, p.k, MM, ME, mz, ALPHA, GZ);
}

/* The same formula fed with invariants computed without cancellation: D1 = 2 p3.k + m_Z'^2,
 * D2 = m_Z'^2 - 2 p1.k instead of (p3+k)^2 - m^2, which loses ~DBL_EPSILON s/|D| for a
 * soft or collinear Z' (the momenta wrapper does the latter). */
static double prod_msq_inv(point_t p, double mz)
{
    double D1 = 2.0 * mue_p4_dot(p.p3, p.k) + mz * mz;
    double D2 = mz * mz - 2.0 * mue_p4_dot(p.p1, p.k);
    return mue_zprime_msq(-tau_of(p), D1, D2, mue_p4_dot(p.p1, p.p2), mue_p4_dot(p.p2, p.k), MM,
                          ME, mz, ALPHA, GZ);
}

static double dirac_msq(point_t p, double mz, int mode)
{
    return dirac_zprime_msq_pol(p.p1, p.p2, p.p3, p.p4, p.k, MM, ME, mz, ALPHA, GZ, mode);
}

static double reldev(double a, double b) { return fabs(a / b - 1.0); }

/* Rounding scale of a |M|^2 at -t = tau. Measured below (and with points built in long
 * double): the production formula's terms are O(s/tau) times its result (the photon is
 * nearly real, |M|^2 ~ 1/|t| from a T/t^2 whose T is O(t)), so its relative error grows
 * like DBL_EPSILON * s/tau, ~1e-8 at tau = 1e-8 GeV^2; the boosted vectors lose digits
 * in t the same way. Tolerances are FLOOR + K * cond(tau), FLOOR and K set a few times
 * above the worst measured value (printed by each test). */
static double cond(const cm_t *c, double tau) { return DBL_EPSILON * c->s / tau; }

typedef struct {
    double dev, frac; /* worst deviation, worst deviation / tolerance */
} worst_t;

/* record dev and return whether it is within base + k * cnd */
static int within(worst_t *w, double dev, double base, double k, double cnd)
{
    double tol = base + k * cnd;
    w->dev = fmax(w->dev, dev);
    w->frac = fmax(w->frac, dev / tol);
    return dev < tol;
}

/* ---- sanity of the generated points ---- */

static void test_points_physical(void **state)
{
    (void)state;
    cm_t c = cm_make();
    rng_t r = {0x1234567ULL};
    double wcons = 0.0, wshell = 0.0;
    for (int im = 0; im < NZMASS; im++)
        for (int i = 0; i < 200; i++) {
            double mz = zmasses[im];
            point_t p = i % 2 ? gen_generic(&c, &r, mz) : gen_tiny_t(&c, &r, mz, 1e-8, 1e-3, i % 4);
            mue_p4 d = mue_p4_sub(mue_p4_add(p.p1, p.p2), mue_p4_add(mue_p4_add(p.p3, p.p4), p.k));
            wcons = fmax(wcons, fmax(fmax(fabs(d.e), fabs(d.x)), fmax(fabs(d.y), fabs(d.z))));
            /* p^2 - m^2 on the scale s of the boosts that built them */
            wshell = fmax(wshell, fabs(mue_p4_dot(p.p3, p.p3) - MM * MM) / c.s);
            wshell = fmax(wshell, fabs(mue_p4_dot(p.p4, p.p4) - ME * ME) / c.s);
            wshell = fmax(wshell, fabs(mue_p4_dot(p.k, p.k) - mz * mz) / c.s);
            /* and the generator really reaches the tiny-|t| region it claims */
            if (i % 2 == 0)
                assert_true(tau_of(p) < 1.01e-3);
        }
    print_message("points: momentum conservation %.2e GeV, |p^2 - m^2|/s %.2e\n", wcons, wshell);
    assert_true(wcons < 8 * DBL_EPSILON);
    assert_true(wshell < 8 * DBL_EPSILON);
}

/* ---- elastic: Dirac vs the closed form ---- */

static void test_elastic(void **state)
{
    (void)state;
    cm_t c = cm_make();
    /* tau = -t from 1e-8 GeV^2 to the backward end 4 P^2 */
    const double taus[] = {1e-8, 1e-6, 1e-4, 1e-3, 1e-2, 0.05, 0.1, 0.99 * 4 * c.P * c.P};
    double worst = 0.0;
    for (size_t i = 0; i < sizeof taus / sizeof taus[0]; i++) {
        double omc = taus[i] / (2.0 * c.P * c.P);
        mue_p4 p4, X;
        electron_and_X(&c, MM, omc, 0.3 + i, &p4, &X); /* X is the outgoing muon */
        mue_p4 q = mue_p4_sub(c.p2, p4);               /* q.e = 0 exactly: t has no cancellation */
        double t = mue_p4_dot(q, q);
        double d = dirac_elastic_msq(c.p1, c.p2, X, p4, MM, ME, ALPHA);
        double f = mue_elastic_msq(c.s, t, MM, ME, ALPHA);
        worst = fmax(worst, reldev(d, f));
    }
    print_message("elastic Dirac vs formula: max rel dev %.2e\n", worst);
    /* measured 1e-15: nothing cancels in either form */
    assert_true(worst < 1e-14);
}

/* ---- 2->3: Dirac vs production ---- */

static void compare_points(const cm_t *c, rng_t *r, int tiny, const char *what)
{
    for (int im = 0; im < NZMASS; im++) {
        double mz = zmasses[im];
        worst_t w = {0.0, 0.0}, wi = {0.0, 0.0};
        for (int i = 0; i < 400; i++) {
            point_t p = tiny ? gen_tiny_t(c, r, mz, 1e-8, 1e-3, i % 2) : gen_generic(c, r, mz);
            double d = dirac_zprime_msq(p.p1, p.p2, p.p3, p.p4, p.k, MM, ME, mz, ALPHA, GZ);
            double cnd = cond(c, tau_of(p));
            /* measured: generic <= 2e-13 except at tau ~ 1e-5..1e-4 (<= 2.1e-12, ~12 cond);
             * tiny |t| up to 1.1e-8 at tau = 3e-8 (16 cond). With points built in long
             * double the formula matches the Dirac sum to 2e-14, so this is rounding. */
            assert_true(within(&w, reldev(prod_msq(p, mz), d), 3e-13, 30.0, cnd));
            assert_true(within(&wi, reldev(prod_msq_inv(p, mz), d), 3e-13, 30.0, cnd));
        }
        print_message("%s, m_Z' = %g GeV: production vs Dirac max rel dev %.2e (%.2f of tol), "
                      "stable invariants %.2e (%.2f)\n",
                      what, mz, w.dev, w.frac, wi.dev, wi.frac);
    }
}

static void test_zprime_generic(void **state)
{
    (void)state;
    cm_t c = cm_make();
    rng_t r = {0xC0FFEEULL};
    compare_points(&c, &r, 0, "generic");
}

static void test_zprime_tiny_t(void **state)
{
    (void)state;
    cm_t c = cm_make();
    rng_t r = {0xBADC0DEULL};
    compare_points(&c, &r, 1, "tiny |t|");
}

/* ---- gauge invariance ---- */

static void test_ward(void **state)
{
    (void)state;
    cm_t c = cm_make();
    rng_t r = {0xFEEDULL};
    for (int im = 0; im < NZMASS; im++) {
        double mz = zmasses[im], wz = 0.0, wg = 0.0;
        for (int i = 0; i < 200; i++) {
            point_t p = i % 2 ? gen_generic(&c, &r, mz) : gen_tiny_t(&c, &r, mz, 1e-8, 1e-3, i % 4);
            wz = fmax(wz, dirac_zprime_ward(p.p1, p.p2, p.p3, p.p4, p.k, MM, ME, mz, ALPHA, GZ,
                                            DIRAC_WARD_ZPRIME));
            wg = fmax(wg, dirac_zprime_ward(p.p1, p.p2, p.p3, p.p4, p.k, MM, ME, mz, ALPHA, GZ,
                                            DIRAC_WARD_PHOTON));
        }
        print_message("Ward, m_Z' = %g GeV: Z' index %.2e, photon index %.2e\n", mz, wz, wg);
        /* measured <= 4.2e-13, worst at tau ~ 2e-8 where |M| itself is a cancellation
         * (J.j ~ sqrt(tau) |J||j|) */
        assert_true(wz < 1e-12);
        assert_true(wg < 1e-12);
    }
}

/* ---- the k k / m^2 term of the polarisation sum vanishes ---- */

static void test_kk_term(void **state)
{
    (void)state;
    cm_t c = cm_make();
    rng_t r = {0xABCDEFULL};
    const double mz = 0.1;
    double wm = 0.0, wp = 0.0;
    for (int i = 0; i < 400; i++) {
        point_t p = i % 2 ? gen_generic(&c, &r, mz) : gen_tiny_t(&c, &r, mz, 1e-8, 1e-3, i % 4);
        double ex = dirac_msq(p, mz, DIRAC_POL_EXPLICIT);
        wm = fmax(wm, reldev(dirac_msq(p, mz, DIRAC_POL_METRIC), ex));
        wp = fmax(wp, reldev(dirac_msq(p, mz, DIRAC_POL_PROCA), ex));
    }
    print_message("m_Z' = 0.1: explicit vs -g %.2e, explicit vs -g+kk/m^2 %.2e\n", wm, wp);
    /* measured 1.7e-13 for both: |M^nu k_nu|^2 / m^2 is ~1e-27 of the sum with explicit
     * spinors (it is the trace form where it costs digits), so -g and -g + kk/m^2 agree
     * to the last bit and both match the three explicit vectors to rounding */
    assert_true(wm < 5e-13);
    assert_true(wp < 5e-13);
}

/* ---- Lorentz invariance ---- */

static void test_lorentz(void **state)
{
    (void)state;
    cm_t c = cm_make();
    rng_t r = {0x5EEDULL};
    for (int im = 0; im < NZMASS; im++) {
        double mz = zmasses[im];
        worst_t wd[2] = {{0.0, 0.0}, {0.0, 0.0}}, wp[2] = {{0.0, 0.0}, {0.0, 0.0}};
        for (int i = 0; i < 400; i++) {
            int gen = i % 2; /* 1: generic, 0: tiny |t| */
            point_t p = gen ? gen_generic(&c, &r, mz) : gen_tiny_t(&c, &r, mz, 1e-8, 1e-3, i % 4);
            double n[3];
            rng_dir(&r, n);
            const double b[3] = {0.5 * n[0], 0.5 * n[1], 0.5 * n[2]};
            point_t q = boost_point(p, b);
            double cnd = cond(&c, tau_of(p));
            double dd = reldev(dirac_msq(q, mz, DIRAC_POL_EXPLICIT),
                               dirac_msq(p, mz, DIRAC_POL_EXPLICIT));
            double dp = reldev(prod_msq(q, mz), prod_msq(p, mz));
            /* measured: Dirac <= 1.9e-13 where cond < 1e-13 (the ~1e-12 one might expect), else
             * <= 2.7 cond (4e-10 at tau ~ 1e-8: the rounding of the boosted vectors);
             * production <= 7e-13, else <= 19 cond (1e-8 at tau ~ 1e-8: t from boosted
             * vectors and the formula's own 1/tau conditioning) */
            assert_true(within(&wd[gen], dd, 3e-13, 5.0, cnd));
            assert_true(within(&wp[gen], dp, 1e-12, 30.0, cnd));
        }
        for (int gen = 1; gen >= 0; gen--)
            print_message("boost beta=0.5, m_Z' = %g, %s: Dirac %.2e (%.2f of tol), production "
                          "%.2e (%.2f of tol)\n",
                          mz, gen ? "generic" : "tiny |t|", wd[gen].dev, wd[gen].frac,
                          wp[gen].dev, wp[gen].frac);
    }
}

/* ---- soft limit ---- */

/* Massless Z' of rest-frame energy eps*sqrt(s) in the X = mu + Z' frame, electron at -t = tau:
 * as eps -> 0 the point goes to an elastic one at the same t. */
static point_t soft_point(const cm_t *c, double eps, double tau, const double n[3])
{
    point_t p = {c->p1, c->p2, c->p1, c->p2, c->p1}; /* p3, p4, k set below */
    double Ek = eps * c->rs;
    double MX = Ek + sqrt(Ek * Ek + MM * MM); /* (MX^2 - m^2)/(2 MX) = Ek */
    double E4, P4;
    recoil(c, MX, &E4, &P4);
    double omc = (tau - tau_min_at(c, MX)) / (2.0 * c->P * P4);
    mue_p4 X;
    electron_and_X(c, MX, omc, 0.7, &p.p4, &X);
    decay_X(X, MX, 0.0, n, &p.p3, &p.k);
    return p;
}

/* -g^2-contracted eikonal factor -(p1/p1.k - p3/p3.k)^2 (positive) */
static double eikonal(point_t p)
{
    double a = mue_p4_dot(p.p1, p.k), b = mue_p4_dot(p.p3, p.k);
    return 2.0 * mue_p4_dot(p.p1, p.p3) / (a * b) - MM * MM / (a * a) - MM * MM / (b * b);
}

static void test_soft_limit(void **state)
{
    (void)state;
    cm_t c = cm_make();
    const double taus[] = {1e-4, 1e-3, 1e-2, 0.1};
    const double n[3] = {0.6, -0.48, 0.64}; /* away from both muons */
    const double epss[2] = {1e-4, 1e-5};
    double wmom = 0.0, winv = 0.0;
    for (size_t it = 0; it < sizeof taus / sizeof taus[0]; it++) {
        double dev[2][2];
        for (int ie = 0; ie < 2; ie++) {
            point_t p = soft_point(&c, epss[ie], taus[it], n);
            double fact = mue_elastic_msq(c.s, -tau_of(p), MM, ME, ALPHA) * GZ * GZ * eikonal(p);
            double mp = prod_msq_inv(p, 0.0), md = dirac_msq(p, 0.0, DIRAC_POL_METRIC);
            dev[0][ie] = mp / fact - 1.0;
            dev[1][ie] = md / fact - 1.0;
            /* production vs Dirac at soft points: with stable invariants measured <= 3e-14;
             * through the momenta wrapper, whose D1 = (p3+k)^2 - m^2 cancels, 3.3e-11
             * (growing ~1/eps: 1.5e-9 at eps = 1e-7) */
            winv = fmax(winv, reldev(mp, md));
            wmom = fmax(wmom, reldev(prod_msq(p, 0.0), md));
        }
        print_message("soft, -t = %g: deviation from eikonal x elastic, production %.3e %.3e, "
                      "Dirac(-g) %.3e %.3e (eps 1e-4, 1e-5)\n",
                      taus[it], dev[0][0], dev[0][1], dev[1][0], dev[1][1]);
        for (int k = 0; k < 2; k++) {
            /* next-to-soft: linear in eps, measured ratio 10.0-10.6 between the decades
             * (the eps^2 term matters most at small tau, where p.k/tau sets the scale) */
            double ratio = dev[k][0] / dev[k][1];
            assert_true(ratio > 9.0 && ratio < 11.0);
            assert_true(fabs(dev[k][1]) < 1.5e-4); /* measured <= 7.3e-5 */
        }
    }
    print_message("soft: production vs Dirac(-g) max rel dev %.2e (stable invariants), %.2e "
                  "(momenta wrapper)\n",
                  winv, wmom);
    assert_true(winv < 1e-13);
    assert_true(wmom < 1e-10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_points_physical), cmocka_unit_test(test_elastic),
        cmocka_unit_test(test_zprime_generic),  cmocka_unit_test(test_zprime_tiny_t),
        cmocka_unit_test(test_ward),            cmocka_unit_test(test_kk_term),
        cmocka_unit_test(test_lorentz),         cmocka_unit_test(test_soft_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
