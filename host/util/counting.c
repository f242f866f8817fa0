#include "util/counting.h"

#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_roots.h>

/* From this count on the uniform asymptotic expansion below replaces GSL's incomplete
 * gamma function: GSL's fails (and calls the error handler, which aborts) at a million
 * counts a few standard deviations above the mean, is off by up to 3e-7 at 1e5 and takes
 * 1-2 us a call there; the expansion is within 2e-11 of a long double sum from 5000 on
 * (1e-12 from 1e4, its first neglected term falling as 1/n^2) in 0.1 us. */
#define TEMME_N 5000L
/* The integral over z = ln(theta)/sigma: first over |z| < ZCUT (the Gaussian's mass
 * outside is 2e-17), over |z| < ZMAX (below 1e-305 outside) where that gives below 1e-6. */
#define ZCUT 8.5
#define ZMAX 37.5
/* Its panels: DZ wide at most (the Gaussian's scale), and SD_STEP Poisson standard
 * deviations of s + b theta (the step of the cumulative, narrow in z for large n). */
#define DZ 1.0
#define SD_STEP 2.0
/* Poisson standard deviations beyond which P(N <= n | mu) is 1 or 0 within 1e-31 */
#define TAIL_SD 12.0
#define MAX_POINTS 256
#define SQRT_2PI 2.5066282746310002 /* M_PI is not C99 */

const char *mue_counting_strerror(int code)
{
    switch (code) {
    case MUE_COUNTING_OK: return "success";
    case MUE_COUNTING_BAD_N: return "n must be a count, 0 <= n <= 2e9";
    case MUE_COUNTING_BAD_S: return "s must be finite and >= 0";
    case MUE_COUNTING_BAD_B: return "b must be finite, >= 0 and <= 1e9";
    case MUE_COUNTING_BAD_R: return "r must be finite, >= 0 and <= 10";
    case MUE_COUNTING_BAD_CL: return "cl must be in (0, 1)";
    case MUE_COUNTING_BAD_Z: return "z must be > 0 and <= 1000";
    case MUE_COUNTING_NO_BACKGROUND:
        return "no background: the discovery reach is undefined (Z_A is infinite for any s > 0)";
    case MUE_COUNTING_INCOMPATIBLE:
        return "P(N <= n | b) below 1e-15: the count is incompatible with the background";
    case MUE_COUNTING_RANGE: return "the counts needed exceed 2e9";
    case MUE_COUNTING_NO_MEMORY: return "out of memory";
    case MUE_COUNTING_NO_CONVERGENCE: return "the root finder did not converge";
    default: return "unknown error";
    }
}

/* ---- the Poisson cumulative ---- */

/* ln(1 + x) - x without cancelling: with u = x/(2 + x), ln(1 + x) = 2 atanh(u) and
 * 2u - x = -xu, so it is -xu + 2u^3 (1/3 + u^2/5 + u^4/7 + ...) (|u| <= 1/3: 16 terms) */
static double log1p_mx(double x)
{
    if (fabs(x) > 0.5)
        return log1p(x) - x;
    double u = x / (2.0 + x), u2 = u * u, sum = 0.0;
    for (int k = 15; k >= 0; k--)
        sum = 1.0 / (2 * k + 3) + u2 * sum;
    return -x * u + 2.0 * u * u2 * sum;
}

/* Q(a, x), the regularised upper incomplete gamma function, for large a: Temme's uniform
 * expansion, DLMF 8.12.3-8.12.9, to the term c1/a; eps = x/a - 1. */
static double temme_q(double a, double x)
{
    double eps = (x - a) / a, lam = x / a;
    double half_eta2 = -log1p_mx(eps); /* lambda - 1 - ln lambda, no cancelling */
    double eta = copysign(sqrt(2.0 * half_eta2), eps);
    double c0, c1;
    if (fabs(eps) < 1e-3) { /* the series, where 1/eps - 1/eta cancels */
        c0 = -1.0 / 3.0 + eps * (1.0 / 12.0 - eps * (23.0 / 540.0 - eps * (353.0 / 12960.0
                                                                         - eps * 589.0 / 30240.0)));
        c1 = -1.0 / 540.0 - eps / 288.0;
    } else {
        c0 = 1.0 / eps - 1.0 / eta;
        c1 = 1.0 / (eta * eta * eta) - (lam * lam + 10.0 * lam + 1.0) / (12.0 * eps * eps * eps);
    }
    double r = exp(-a * half_eta2) / (SQRT_2PI * sqrt(a)) * (c0 + c1 / a);
    return 0.5 * erfc(eta * sqrt(0.5 * a)) + r;
}

/* P(N <= n) for N ~ Poisson(mu) = Q(n + 1, mu) */
static double pois_cdf(long n, double mu)
{
    if (mu <= 0.0)
        return 1.0;
    if (n < TEMME_N)
        return gsl_cdf_poisson_P((unsigned)n, mu);
    return temme_q(n + 1.0, mu);
}

/* ---- averaged over theta = exp(sigma z), z ~ N(0, 1) ---- */

typedef struct {
    long n;
    double s, b, sigma;
} marg;

static double integrand(double z, void *p)
{
    const marg *m = p;
    return pois_cdf(m->n, m->s + m->b * exp(m->sigma * z)) * exp(-0.5 * z * z) / SQRT_2PI;
}

/* z where s + b theta = mu (mu > s) */
static double z_of_mu(const marg *m, double mu)
{
    return log((mu - m->s) / m->b) / m->sigma;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The panel ends in [za, zb], sorted (at most 2 ZMAX/DZ + 2 TAIL_SD/SD_STEP + 60/SD_STEP
 * + 4 = 141 of them); their count. */
static int panel_ends(const marg *m, double za, double zb, double *pt)
{
    int k = 0;
    pt[k++] = za;
    for (double z = ceil(za / DZ) * DZ; z < zb; z += DZ)
        pt[k++] = z;
    double h = SD_STEP * sqrt(m->n + 1.0);
    for (int i = 0; i <= (int)((2.0 * TAIL_SD * sqrt(m->n + 1.0) + 60.0) / h); i++) {
        double mu = m->n - TAIL_SD * sqrt(m->n + 1.0) + i * h;
        if (mu > m->s) {
            double z = z_of_mu(m, mu);
            if (z > za && z < zb)
                pt[k++] = z;
        }
    }
    pt[k++] = zb;
    qsort(pt, (size_t)k, sizeof *pt, cmp_double);
    return k;
}

/* Gauss-Kronrod 21 on [a, b], halved until its error estimate is below tol */
static double refine(gsl_function *f, double a, double b, double tol, int depth)
{
    double r, err, rabs, rasc;
    gsl_integration_qk21(f, a, b, &r, &err, &rabs, &rasc);
    if (err <= tol || depth == 0)
        return r;
    double c = 0.5 * (a + b);
    return refine(f, a, c, 0.5 * tol, depth - 1) + refine(f, c, b, 0.5 * tol, depth - 1);
}

/* P(N <= n | s + b theta) averaged over theta. Where s + b theta < n - 12 sd the
 * cumulative is 1 (the Gaussian's integral Phi(za)); above n + 12 sd + 60 it is below
 * 1e-31 and dropped. Panels as above, each refined until its Kronrod error is below
 * 1e-10 of the whole over the number of panels. */
static double marginal_on(long n, double s, double b, double sigma, double zmax)
{
    marg m = {n, s, b, sigma};
    double h = sqrt(n + 1.0), mu_lo = n - TAIL_SD * h, mu_hi = n + TAIL_SD * h + 60.0;
    if (mu_hi <= s)
        return 0.0;
    double za = mu_lo > s ? z_of_mu(&m, mu_lo) : -zmax, zb = z_of_mu(&m, mu_hi);
    double below = mu_lo > s ? gsl_cdf_ugaussian_P(za) : 0.0;
    za = fmax(za, -zmax);
    zb = fmin(zb, zmax);
    if (za >= zb)
        return below;
    double pt[MAX_POINTS], val[MAX_POINTS], err[MAX_POINTS], rabs, rasc, total = below;
    int k = panel_ends(&m, za, zb, pt);
    gsl_function f = {integrand, &m};
    for (int i = 0; i + 1 < k; i++) {
        gsl_integration_qk21(&f, pt[i], pt[i + 1], &val[i], &err[i], &rabs, &rasc);
        total += val[i];
    }
    if (!(total > 1e-300))
        return total;
    double tol = 1e-10 * total / k, sum = below;
    for (int i = 0; i + 1 < k; i++)
        sum += err[i] <= tol ? val[i] : refine(&f, pt[i], pt[i + 1], tol, 10);
    return sum;
}

static double marginal_cdf(long n, double s, double b, double sigma)
{
    if (b == 0.0 || sigma == 0.0)
        return pois_cdf(n, s + b);
    double p = marginal_on(n, s, b, sigma, ZCUT);
    return p >= 1e-6 ? p : marginal_on(n, s, b, sigma, ZMAX);
}

/* ---- input checks ---- */

static int check_b(double b) { return isfinite(b) && b >= 0.0 && b <= MUE_COUNTING_B_MAX; }
static int check_r(double r) { return isfinite(r) && r >= 0.0 && r <= MUE_COUNTING_R_MAX; }
static int check_cl(double cl) { return cl > 0.0 && cl < 1.0; } /* false for NaN */
static double log_sigma(double r) { return sqrt(log1p(r * r)); }

static int check_nsbr(long n, double s, double b, double r)
{
    if (n < 0 || n > MUE_COUNTING_N_MAX)
        return MUE_COUNTING_BAD_N;
    if (!isfinite(s) || s < 0.0)
        return MUE_COUNTING_BAD_S;
    if (!check_b(b))
        return MUE_COUNTING_BAD_B;
    return check_r(r) ? MUE_COUNTING_OK : MUE_COUNTING_BAD_R;
}

/* ---- roots ---- */

/* The root of f in [lo, hi] (f changes sign there) by Brent's method, to 1e-10 relative */
static int solve(double (*fn)(double, void *), void *par, double lo, double hi, double *root)
{
    gsl_root_fsolver *sv = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    if (!sv)
        return MUE_COUNTING_NO_MEMORY;
    gsl_function f = {fn, par};
    gsl_root_fsolver_set(sv, &f, lo, hi);
    int status = GSL_CONTINUE;
    for (int it = 0; it < 200 && status == GSL_CONTINUE; it++) {
        if (gsl_root_fsolver_iterate(sv) != GSL_SUCCESS)
            break;
        status = gsl_root_test_interval(gsl_root_fsolver_x_lower(sv),
                                        gsl_root_fsolver_x_upper(sv), 1e-12, 1e-10);
    }
    *root = gsl_root_fsolver_root(sv);
    gsl_root_fsolver_free(sv);
    return status == GSL_SUCCESS ? MUE_COUNTING_OK : MUE_COUNTING_NO_CONVERGENCE;
}

/* ---- limits ---- */

typedef struct {
    long n;
    double b, sigma, den, alpha;
} cls_par;

static double cls_minus_alpha(double s, void *p)
{
    const cls_par *c = p;
    return marginal_cdf(c->n, s, c->b, c->sigma) / c->den - c->alpha;
}

int mue_counting_cdf(long n, double s, double b, double r, double *p)
{
    int e = check_nsbr(n, s, b, r);
    if (e)
        return e;
    *p = marginal_cdf(n, s, b, log_sigma(r));
    return MUE_COUNTING_OK;
}

int mue_counting_cls(long n, double s, double b, double r, double *cls)
{
    int e = check_nsbr(n, s, b, r);
    if (e)
        return e;
    double sigma = log_sigma(r), den = marginal_cdf(n, 0.0, b, sigma);
    if (!(den >= MUE_COUNTING_P_MIN))
        return MUE_COUNTING_INCOMPATIBLE;
    *cls = marginal_cdf(n, s, b, sigma) / den;
    return MUE_COUNTING_OK;
}

/* CLs falls from 1 at s = 0 to 0. The bracket's upper end starts a few standard
 * deviations (Poisson and background) above n - b, and doubles until CLs is below. */
static int limit_sigma(long n, double b, double sigma, double alpha, double *s_up)
{
    cls_par c = {n, b, sigma, marginal_cdf(n, 0.0, b, sigma), alpha};
    if (!(c.den >= MUE_COUNTING_P_MIN))
        return MUE_COUNTING_INCOMPATIBLE;
    double hi = fmax(n - b, 0.0) + 3.0 * (sqrt(n + 1.0) + sigma * n + 1.0);
    while (cls_minus_alpha(hi, &c) >= 0.0)
        hi *= 2.0;
    return solve(cls_minus_alpha, &c, 0.0, hi, s_up);
}

int mue_counting_limit(long n, double b, double r, double cl, double *s_up)
{
    int e = check_nsbr(n, 0.0, b, r);
    if (e)
        return e;
    if (!check_cl(cl))
        return MUE_COUNTING_BAD_CL;
    return limit_sigma(n, b, log_sigma(r), 1.0 - cl, s_up);
}

/* The least n with P(N <= n | b) >= q: a bracket lo < n <= hi grown in doubling steps
 * from a guess (about a standard deviation of N first), then bisection. */
static int quantile(double b, double sigma, double q, long *out)
{
    double z = gsl_cdf_ugaussian_Pinv(q), step = sqrt(b) + sigma * b + 1.0;
    double guess = fmin(fmax(b * exp(sigma * z) + z * sqrt(b), 0.0), MUE_COUNTING_N_MAX);
    long lo = -1, hi = (long)guess; /* P(N <= -1) = 0 < q */
    if (marginal_cdf(hi, 0.0, b, sigma) >= q) {
        for (; hi - step >= 0.0; step *= 2.0) {
            long t = hi - (long)step;
            if (marginal_cdf(t, 0.0, b, sigma) < q) {
                lo = t;
                break;
            }
            hi = t;
        }
    } else {
        for (lo = hi; ; lo = hi, step *= 2.0) {
            if (hi >= MUE_COUNTING_N_MAX)
                return MUE_COUNTING_RANGE;
            hi = (long)fmin(hi + step, MUE_COUNTING_N_MAX);
            if (marginal_cdf(hi, 0.0, b, sigma) >= q)
                break;
        }
    }
    while (hi - lo > 1) {
        long mid = lo + (hi - lo) / 2;
        if (marginal_cdf(mid, 0.0, b, sigma) >= q)
            hi = mid;
        else
            lo = mid;
    }
    *out = hi;
    return MUE_COUNTING_OK;
}

int mue_counting_expected_limit(double b, double r, double cl, double out[5])
{
    if (!check_b(b))
        return MUE_COUNTING_BAD_B;
    if (!check_r(r))
        return MUE_COUNTING_BAD_R;
    if (!check_cl(cl))
        return MUE_COUNTING_BAD_CL;
    double sigma = log_sigma(r);
    for (int i = 0; i < 5; i++) {
        long n = 0;
        int e = b > 0.0 ? quantile(b, sigma, gsl_cdf_ugaussian_P(i - 2.0), &n) : 0;
        if (!e)
            e = limit_sigma(n, b, sigma, 1.0 - cl, &out[i]);
        if (e)
            return e;
    }
    return MUE_COUNTING_OK;
}

/* ---- discovery ---- */

/* Z_A^2 / 2: q0/2 of the Asimov data, n = s + b and (r > 0) the auxiliary count
 * m = tau b = 1/r^2, tau = 1/(r^2 b). Cowan 2012's (s + b) ln((s + b)(b + sb^2)/(b^2 +
 * (s + b) sb^2)) - (b^2/sb^2) ln(1 + sb^2 s/(b (b + sb^2))) is n ln(1 + A) + m ln(1 - B)
 * with A = tau s/(n + m), B = s/(n + m); as n A - m B = A s, it is A s + n f(A) + m f(-B),
 * f(y) = ln(1 + y) - y, which keeps every digit where s << b or r b^2 >> b (the printed
 * form loses all of them at b = 1e8, r = 10). r = 0 (Eq. (97) of Cowan et al. 2011):
 * (s + b) ln(1 + s/b) - s = s^2/b + n f(s/b), its r -> 0 limit. */
static double half_za2(double s, double b, double r)
{
    double n = s + b, m = 1.0 / (r * r);
    if (!isfinite(m)) /* r = 0, or r^2 below the doubles */
        return s * (s / b) + n * log1p_mx(s / b);
    double tau = m / b, a = tau * s / (n + m), c = s / (n + m);
    return a * s + n * log1p_mx(a) + m * log1p_mx(-c);
}

static int check_zbr(double b, double r)
{
    if (!check_b(b))
        return MUE_COUNTING_BAD_B;
    if (!check_r(r))
        return MUE_COUNTING_BAD_R;
    return b > 0.0 ? MUE_COUNTING_OK : MUE_COUNTING_NO_BACKGROUND;
}

int mue_counting_asimov_z(double s, double b, double r, double *z)
{
    int e = check_zbr(b, r);
    if (e)
        return e;
    if (!isfinite(s) || s < 0.0)
        return MUE_COUNTING_BAD_S;
    *z = sqrt(fmax(0.0, 2.0 * half_za2(s, b, r))); /* rounding can leave -1e-17 at s ~ 0 */
    return MUE_COUNTING_OK;
}

typedef struct {
    double b, r, half_z2;
} za_par;

static double za_minus(double s, void *p)
{
    const za_par *a = p;
    return half_za2(s, a->b, a->r) - a->half_z2;
}

/* Z_A rises from 0 at s = 0 without bound; the bracket's upper end doubles until above. */
int mue_counting_discovery_signal(double z, double b, double r, double *s)
{
    int e = check_zbr(b, r);
    if (e)
        return e;
    if (!isfinite(z) || z <= 0.0 || z > 1e3)
        return MUE_COUNTING_BAD_Z;
    za_par a = {b, r, 0.5 * z * z};
    double hi = z * sqrt(b) * (1.0 + r * sqrt(b)) + z * z;
    while (za_minus(hi, &a) <= 0.0)
        hi *= 2.0;
    return solve(za_minus, &a, 0.0, hi, s);
}
