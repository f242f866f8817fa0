/* The event record as a detector simulation reads it: azimuths uniform about the beam
 * (Kolmogorov-Smirnov), the relative azimuth of muon and electron as the physics has it
 * (back to back for mu e -> mu e, transverse momentum balanced by the Z'), with and
 * without the detector model. */
#include "cli_run.h"

#include <gsl/gsl_cdf.h>

#include "lhe_read.h"

#define ZP10 "--process", "zprime", "--mass", "10MeV", "--coupling", "5e-4"
#define BUDGET "--points", "2e5", "--iterations", "3", "--warmup", "2", "--quiet"
#define NEV 20000

static void generate(const char *out, const char *const *extra)
{
    const char *args[MAXARGS] = {"generate", "--out", out};
    int n = 3;
    for (; extra && *extra; extra++)
        args[n++] = *extra;
    args[n] = NULL;
    run_t r;
    run_mue(&r, args, 120.0);
    expect_success(&r);
    run_free(&r);
}

static int cmp_double(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* sqrt(n) D of the Kolmogorov-Smirnov test of n angles against the uniform [0, 2 pi). */
static double ks_uniform(double *phi, long n)
{
    qsort(phi, (size_t)n, sizeof *phi, cmp_double);
    double d = 0.0;
    for (long i = 0; i < n; i++) {
        const double f = phi[i] / (2.0 * M_PI);
        d = fmax(d, fmax((double)(i + 1) / n - f, f - (double)i / n));
    }
    return sqrt((double)n) * d;
}

static double azimuth(const double *p) { return fmod(atan2(p[1], p[0]) + 2.0 * M_PI, 2.0 * M_PI); }

typedef struct {
    long n;
    double ks_e, ks_mu;   /* sqrt(n) D */
    double mean_cos_dphi; /* <cos(phi_mu - phi_e)> */
    double worst_pt;      /* largest |sum of final transverse momenta| over the scale */
    double worst_back;    /* largest |dphi - pi| where the event has two final particles */
} azimuths;

static azimuths read_azimuths(const char *path)
{
    static double pe[NEV], pm[NEV];
    azimuths a = {0};
    gzFile f = gzopen(path, "rb");
    assert_non_null(f);
    lhe_event x;
    double sc = 0.0;
    while (next_event(f, &x)) {
        assert_true(a.n < NEV);
        const double *mu = NULL, *el = NULL;
        double px = 0.0, py = 0.0, scale = 0.0;
        int nfinal = 0;
        for (int k = 0; k < x.n; k++) {
            if (x.q[k].st != 1)
                continue;
            nfinal++;
            px += x.q[k].p[0], py += x.q[k].p[1];
            scale = fmax(scale, hypot(x.q[k].p[0], x.q[k].p[1]));
            if (x.q[k].id == 13 || x.q[k].id == -13)
                mu = x.q[k].p;
            else if (x.q[k].id == 11)
                el = x.q[k].p;
        }
        assert_non_null(mu);
        assert_non_null(el);
        pe[a.n] = azimuth(el);
        pm[a.n] = azimuth(mu);
        const double dphi = pm[a.n] - pe[a.n];
        sc += cos(dphi);
        a.worst_pt = fmax(a.worst_pt, hypot(px, py) / scale);
        if (nfinal == 2)
            a.worst_back = fmax(a.worst_back, fabs(fabs(remainder(dphi, 2.0 * M_PI)) - M_PI));
        a.n++;
    }
    gzclose(f);
    a.mean_cos_dphi = sc / a.n;
    a.ks_e = ks_uniform(pe, a.n);
    a.ks_mu = ks_uniform(pm, a.n);
    return a;
}

/* sqrt(n) D above 1.95 has probability 0.001 for uniform angles: the seeds are fixed,
 * so this fails only if the azimuths are not uniform (today's all at 0 give ~141). */
#define KS_MAX 1.95

static void expect_uniform(const char *what, const azimuths *a)
{
    print_message("%s: %ld events, KS sqrt(n)D: e %.3f, mu %.3f; <cos dphi> %.4f; |sum pT| %.2g; "
                  "back to back %.2g\n",
                  what, a->n, a->ks_e, a->ks_mu, a->mean_cos_dphi, a->worst_pt, a->worst_back);
    assert_int_equal(a->n, NEV);
    if (!(a->ks_e < KS_MAX && a->ks_mu < KS_MAX))
        fail_msg("%s: azimuths not uniform (KS sqrt(n)D e %.3f, mu %.3f)", what, a->ks_e, a->ks_mu);
    /* the record balances transverse momentum to its printed digits */
    if (!(a->worst_pt < 1e-8))
        fail_msg("%s: transverse momentum off by %g of the largest", what, a->worst_pt);
}

static void test_azimuth_uniform_zprime(void **state)
{
    (void)state;
    char ev[4300];
    snprintf(ev, sizeof ev, "%s/zp.lhe.gz", scratch);
    generate(ev, ARGS(ZP10, BUDGET, "--events", "20000", "--seed", "2"));
    azimuths a = read_azimuths(ev);
    expect_uniform("zprime 10 MeV", &a);
    /* the muon recoils against the electron and the Z': mostly opposite, not always */
    if (!(a.mean_cos_dphi < -0.3 && a.mean_cos_dphi > -0.99))
        fail_msg("<cos(phi_mu - phi_e)> = %g: not the recoil of a 2 -> 3 process", a.mean_cos_dphi);
}

static void test_azimuth_elastic_back_to_back(void **state)
{
    (void)state;
    char ev[4300];
    snprintf(ev, sizeof ev, "%s/el.lhe.gz", scratch);
    generate(ev, ARGS("--process", "elastic", "--theta-mu-min", "0.3mrad", "--ee-max", "140", BUDGET,
                      "--events", "20000", "--seed", "3"));
    azimuths a = read_azimuths(ev);
    expect_uniform("elastic", &a);
    /* two bodies: exactly opposite in azimuth, to the file's digits */
    if (!(a.worst_back < 1e-7))
        fail_msg("elastic: |dphi - pi| up to %g", a.worst_back);
}

/* With the detector the integrand turns the event before the square ECAL face sees it:
 * the same uniformity, and the same events on 1 and 2 threads. */
static void test_azimuth_with_detector(void **state)
{
    (void)state;
    char ev[4300], ev1[4300];
    snprintf(ev, sizeof ev, "%s/det.lhe", scratch);
    snprintf(ev1, sizeof ev1, "%s/det1.lhe", scratch);
    generate(ev, ARGS(ZP10, BUDGET, "--events", "20000", "--seed", "4", "--detector", "default"));
    generate(ev1, ARGS(ZP10, BUDGET, "--events", "20000", "--seed", "4", "--detector", "default", "--threads",
                       "1"));
    azimuths a = read_azimuths(ev);
    expect_uniform("zprime with the detector", &a);
    char *t2 = slurp(ev), *t1 = slurp(ev1);
    assert_non_null(t1);
    assert_non_null(t2);
    /* the headers name the command lines, the trailer the times; the events between are
     * the same bytes */
    char *e1 = strstr(t1, "</init>"), *e2 = strstr(t2, "</init>");
    char *z1 = e1 ? strstr(e1, "\ntime: ") : NULL, *z2 = e2 ? strstr(e2, "\ntime: ") : NULL;
    if (z1 && z2)
        *z1 = *z2 = '\0';
    if (!e1 || !e2 || strcmp(e1, e2) != 0)
        fail_msg("1 and 2 threads wrote other events");
    free(t1);
    free(t2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_azimuth_uniform_zprime),
        cmocka_unit_test(test_azimuth_elastic_back_to_back),
        cmocka_unit_test(test_azimuth_with_detector),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
