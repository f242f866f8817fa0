/* The event record as a detector simulation reads it: azimuths uniform about the beam
 * (Kolmogorov-Smirnov), the relative azimuth of muon and electron as the physics has it
 * (back to back for mu e -> mu e, transverse momentum balanced by the Z'), with and
 * without the detector model; the Z' decayed to neutrinos by its partial widths (or kept
 * stable), the file's cross section carrying BR(Z' -> invisible). */
#include "cli_run.h"

#include <jansson.h>

#include "events/record.h"
#include "lhe_read.h"
#include "mue/zprime.h"

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

/* ---- the Z' decay ---- */

/* The two-body decay at any speed: a 1 keV Z' of 100 GeV (gamma = 1e8) throws one
 * neutrino backwards with E ~ 2.5e-6 eV, still positive, massless and exact. */
static void test_decay_kinematics_any_speed(void **state)
{
    (void)state;
    const double masses[] = {1e-6, 1e-3, 0.1, 0.25};
    for (size_t im = 0; im < sizeof masses / sizeof masses[0]; im++) {
        const double m = masses[im], pz = 100.0, E = sqrt(pz * pz + m * m);
        const mue_p4 P = mue_p4_make(E, 0.3 * 1e-3, -0.2e-3, sqrt(pz * pz - 0.13e-6));
        for (int k = 0; k <= 20; k++) {
            const double u1 = k == 0 ? 1e-12 : k / 20.0, u2 = 0.37 + 0.01 * k;
            mue_p4 a, b;
            mue_record_decay_massless(P, m, u1, u2, &a, &b);
            const mue_p4 d[2] = {a, b};
            for (int j = 0; j < 2; j++) {
                if (!(d[j].e > 0.0))
                    fail_msg("m = %g, u1 = %g: daughter energy %g", m, u1, d[j].e);
                /* massless: |p| = E to the last digits */
                const double pabs = mue_p4_pabs(d[j]);
                if (!(fabs(pabs - d[j].e) <= 1e-13 * d[j].e))
                    fail_msg("m = %g, u1 = %g: |p| - E = %g of E", m, u1, (pabs - d[j].e) / d[j].e);
            }
            /* the lab energy is gamma E* (1 + beta cos), in long double with 1 - beta =
             * 1 / (gamma^2 (1 + beta)) and 1 + beta cos = (1 + cos) - (1 - beta) cos (a plain
             * double boost loses 5e-5 of the backward energy at u1 = 1e-12, all of it at 1) */
            const long double g = (long double)E / m, be = sqrtl(1.0L - 1.0L / (g * g)),
                              omb = 1.0L / (g * g * (1.0L + be)), c = 2.0L * u1 - 1.0L;
            const long double ea = g * 0.5L * m * (2.0L * u1 - omb * c),
                              eb = g * 0.5L * m * (2.0L * (1.0L - u1) + omb * c);
            if (!(fabsl(a.e - ea) <= 1e-12L * ea && fabsl(b.e - eb) <= 1e-12L * eb))
                fail_msg("m = %g, u1 = %g: energies %g %g, expected %Lg %Lg", m, u1, a.e, b.e, ea, eb);
            const double sum[4] = {a.e + b.e - P.e, a.x + b.x - P.x, a.y + b.y - P.y, a.z + b.z - P.z};
            for (int c4 = 0; c4 < 4; c4++)
                if (!(fabs(sum[c4]) <= 1e-13 * E))
                    fail_msg("m = %g, u1 = %g: component %d not conserved (%g)", m, u1, c4, sum[c4]);
        }
    }
}

typedef struct {
    long n, nmu, ntau;
    double worst_sum, worst_mass;
    double cos_star[NEV];
    int stable_zprime;
} decays;

/* Every event's Z' and its daughters: the sum, the pair's mass, the rest-frame angle. */
static decays read_decays(const char *path, double mz)
{
    static decays d;
    memset(&d, 0, sizeof d);
    gzFile f = gzopen(path, "rb");
    assert_non_null(f);
    lhe_event x;
    while (next_event(f, &x)) {
        int iz = -1;
        for (int k = 0; k < x.n; k++)
            if (x.q[k].id == MUE_PID_ZPRIME)
                iz = k;
        assert_true(iz >= 0);
        if (x.q[iz].st == 1) {
            d.stable_zprime++;
            d.n++;
            continue;
        }
        assert_int_equal(x.q[iz].st, 2);
        int kid[2], nk = 0;
        for (int k = 0; k < x.n; k++)
            if (x.q[k].st == 1 && (x.q[k].id == 14 || x.q[k].id == -14 || x.q[k].id == 16 || x.q[k].id == -16))
                kid[nk < 2 ? nk : 1] = k, nk++;
        assert_int_equal(nk, 2);
        assert_int_equal(x.q[kid[0]].id, -x.q[kid[1]].id);
        d.nmu += abs(x.q[kid[0]].id) == 14;
        d.ntau += abs(x.q[kid[0]].id) == 16;
        const double *Z = x.q[iz].p, *a = x.q[kid[0]].p, *b = x.q[kid[1]].p;
        for (int c = 0; c < 4; c++)
            d.worst_sum = fmax(d.worst_sum, fabs(a[c] + b[c] - Z[c]) / Z[3]);
        /* the pair's mass from the daughters: m^2 = 2 Ea Eb (1 - cos ab) */
        const double cab = (a[0] * b[0] + a[1] * b[1] + a[2] * b[2]) / (a[3] * b[3]);
        const double ang = atan2(sqrt(fmax(0.0, 1.0 - cab * cab)), cab);
        const double m2 = 4.0 * a[3] * b[3] * mue_sq(sin(0.5 * ang));
        d.worst_mass = fmax(d.worst_mass, fabs(sqrt(m2) - mz) / mz);
        /* rest-frame polar angle about the Z' direction: E = gamma (m/2)(1 + beta cos) */
        const double g = Z[3] / mz, be = sqrt(1.0 - 1.0 / (g * g));
        d.cos_star[d.n] = 0.5 * (1.0 + (a[3] / (g * 0.5 * mz) - 1.0) / be); /* (1 + cos)/2 */
        d.n++;
    }
    gzclose(f);
    return d;
}

static void test_zprime_decays_invisible(void **state)
{
    (void)state;
    const double masses[] = {0.1, 0.25};
    for (int im = 0; im < 2; im++) {
        char ev[4300], mass[32];
        snprintf(ev, sizeof ev, "%s/decay%d.lhe", scratch, im);
        snprintf(mass, sizeof mass, "%.17g", masses[im]);
        generate(ev, ARGS("--process", "zprime", "--mass", mass, "--coupling", "1e-3", BUDGET, "--events",
                          "20000", "--seed", "6"));
        decays d = read_decays(ev, masses[im]);
        assert_int_equal(d.n, NEV);
        assert_int_equal(d.stable_zprime, 0);
        /* the two neutrino flavours, equally likely (Eq. D.1): binomial, 4 sigma */
        const double frac = (double)d.nmu / d.n;
        print_message("m_Z' = %g: nu_mu %ld, nu_tau %ld; daughters sum to the Z' to %.2g, pair mass "
                      "to %.2g\n",
                      masses[im], d.nmu, d.ntau, d.worst_sum, d.worst_mass);
        if (!(fabs(frac - 0.5) < 4.0 * sqrt(0.25 / d.n)))
            fail_msg("nu_mu fraction %g, expected 1/2", frac);
        if (!(d.worst_sum < 1e-12 && d.worst_mass < 1e-6))
            fail_msg("the decay does not conserve momentum (%g) or the mass (%g)", d.worst_sum, d.worst_mass);
        /* isotropic in the rest frame: (1 + cos)/2 uniform */
        for (long i = 0; i < d.n; i++)
            d.cos_star[i] *= 2.0 * M_PI;
        const double ks = ks_uniform(d.cos_star, d.n);
        if (!(ks < KS_MAX))
            fail_msg("the decay is not isotropic: KS sqrt(n)D %g", ks);
        /* the header: BR from the widths, and the file's sigma carrying it */
        const double br = header_value(ev, "br_invisible"), sp = header_value(ev, "sigma_production_pb"),
                     s = header_value(ev, "sigma_pb");
        const double want = mue_zprime_br_invisible(masses[im], MUE_M_MU, MUE_M_TAU);
        print_message("  BR(invisible) %.10g (widths: %.10g); sigma %.6g pb of %.6g produced\n", br, want, s, sp);
        if (!(fabs(br - want) < 1e-9 && fabs(s - sp * br) < 1e-9 * s))
            fail_msg("header: BR %g (expected %g), sigma %g vs production %g", br, want, s, sp);
        if (masses[im] < 2.0 * MUE_M_MU ? br != 1.0 : !(br > 0.5 && br < 0.6))
            fail_msg("BR(invisible) %g at %g GeV", br, masses[im]);
    }
}

static void test_zprime_stable(void **state)
{
    (void)state;
    char ev[4300];
    snprintf(ev, sizeof ev, "%s/stable.lhe", scratch);
    generate(ev, ARGS("--process", "zprime", "--mass", "0.25", "--coupling", "1e-3", BUDGET, "--events", "2000",
                      "--zprime-stable"));
    decays d = read_decays(ev, 0.25);
    assert_int_equal(d.stable_zprime, 2000);
    const double s = header_value(ev, "sigma_pb");
    assert_true(s > 0.0 && isnan(header_value(ev, "br_invisible")));
    /* elastic has no Z': the option is refused, naming the process it belongs to */
    run_t r;
    RUN(&r, "generate", "--process", "elastic", "--zprime-stable", "--events", "5", "--out", ev);
    expect_failure(&r, ARGS("--zprime-stable", "zprime"));
    run_free(&r);
}

/* ---- the beam's charge ---- */

/* Elastic and the Z': |M|^2 is even in the muon's charge, so mu+ gives the very bits of
 * mu- (same seed); mueg's interference changes sign (test_amplitudes checks the |M|^2
 * point by point against antiparticle spinors): the sigmas differ by many errors; so do
 * muenn's, whose W diagrams on the muon line are charge-conjugated (test_muenn_me checks
 * them point by point: Ward identity, contact limit). */
static void test_mu_plus_beam(void **state)
{
    (void)state;
    const char *const *procs[] = {
        ARGS("--process", "elastic", "--theta-mu-min", "0.3mrad"),
        ARGS(ZP10),
        ARGS("--process", "mueg"),
        ARGS("--process", "muenn"),
    };
    for (int k = 0; k < 4; k++) {
        double s[2], e[2];
        for (int b = 0; b < 2; b++) {
            const char *args[MAXARGS] = {"integrate", "--beam", b ? "mu+" : "mu-", BUDGET};
            int n = 10;
            for (const char *const *a = procs[k]; *a; a++)
                args[n++] = *a;
            args[n] = NULL;
            run_t r;
            run_mue(&r, args, 120.0);
            expect_success(&r);
            CHECK(&r, sigma_of(r.out, &s[b], &e[b]), "no sigma line");
            run_free(&r);
        }
        print_message("%s: mu- %.8g +- %.3g, mu+ %.8g +- %.3g fb\n", procs[k][1], s[0], e[0], s[1], e[1]);
        if (k < 2 && !(s[0] == s[1] && e[0] == e[1]))
            fail_msg("%s: mu+ and mu- differ", procs[k][1]);
        if (k == 2 && !(fabs(s[1] - s[0]) > 10.0 * hypot(e[0], e[1])))
            fail_msg("mueg: mu+ and mu- agree: the interference did not change sign");
        if (k == 3 && !(fabs(s[1] - s[0]) > 5.0 * hypot(e[0], e[1])))
            fail_msg("muenn: mu+ and mu- agree: the W diagrams were not conjugated");
    }
    run_t r;
    RUN(&r, "integrate", ZP10, "--beam", "mu");
    expect_failure(&r, ARGS("--beam", "mu- or mu+"));
    run_free(&r);
}

/* mue backgrounds (and so the background of mue sensitivity) runs its cells with the
 * table's beam: mu+ moves mueg by its interference, and leaves the Z' as it is. */
static void test_mu_plus_backgrounds(void **state)
{
    (void)state;
    double n[2], e[2], z[2];
    for (int b = 0; b < 2; b++) {
        char js[4300];
        snprintf(js, sizeof js, "%s/bg%d.json", scratch, b);
        run_t r;
        RUN(&r, "backgrounds", "--beam", b ? "mu+" : "mu-", "--no-leak-scan", "--points", "100000",
            "--iterations", "2", "--warmup", "1", "--rel-error", "0", "--quiet", "--json", js);
        expect_success(&r);
        run_free(&r);
        json_error_t err;
        json_t *j = json_load_file(js, 0, &err);
        assert_non_null(j);
        size_t k;
        json_t *row;
        json_array_foreach(json_object_get(j, "rows"), k, row)
        {
            const char *key = json_string_value(json_object_get(row, "key"));
            json_t *c = json_object_get(row, "i_ii");
            if (strcmp(key, "mueg") == 0) {
                n[b] = json_number_value(json_object_get(c, "events"));
                e[b] = json_number_value(json_object_get(c, "error"));
            } else if (strcmp(key, "zprime_10MeV") == 0)
                z[b] = json_number_value(json_object_get(c, "events"));
        }
        json_decref(j);
    }
    print_message("backgrounds, mueg (i)+(ii): mu- %.5g +- %.2g, mu+ %.5g +- %.2g events\n", n[0], e[0],
                  n[1], e[1]);
    assert_true(z[0] == z[1]);
    if (!(fabs(n[1] - n[0]) > 5.0 * hypot(e[0], e[1])))
        fail_msg("mue backgrounds --beam mu+: mueg as for mu- (the cells did not take the beam)");
}

/* mu+ events: the beam and the outgoing muon are -13, in the header and in both formats. */
static void test_mu_plus_events(void **state)
{
    (void)state;
    char ev[4300], hep[4300];
    snprintf(ev, sizeof ev, "%s/plus.lhe", scratch);
    snprintf(hep, sizeof hep, "%s/plus.hepmc3", scratch);
    generate(ev, ARGS(ZP10, BUDGET, "--events", "200", "--beam", "mu+"));
    generate(hep, ARGS(ZP10, BUDGET, "--events", "200", "--beam", "mu+"));
    gzFile f = gzopen(ev, "rb");
    assert_non_null(f);
    lhe_event x;
    long n = 0;
    while (next_event(f, &x)) {
        n++;
        assert_int_equal(x.q[0].id, -13);
        assert_int_equal(x.q[0].st, -1);
        int muons = 0;
        for (int k = 1; k < x.n; k++) {
            assert_true(x.q[k].id != 13);
            muons += x.q[k].id == -13;
        }
        assert_int_equal(muons, 1);
    }
    gzclose(f);
    assert_int_equal(n, 200);
    char *t = slurp(ev), *h = slurp(hep);
    assert_non_null(t);
    assert_non_null(h);
    if (!strstr(t, "\n -13 11 ") || !strstr(t, "beams = mu+ (-13)"))
        fail_msg("the LHEF init or header does not say mu+");
    if (!strstr(h, "P 1 0 -13 ") || strstr(h, " 0 13 "))
        fail_msg("the HepMC3 beam is not -13");
    free(t);
    free(h);
}

/* ---- named weights ---- */

/* Every event carries its nominal weight (= XWGTUP) and, for the Z', the weights at other
 * couplings, (g_k/g)^2 times it (tree level: exact); HepMC3 the same, with a cross section
 * per weight. */
static void test_coupling_weights(void **state)
{
    (void)state;
    char ev[4300], hep[4300];
    snprintf(ev, sizeof ev, "%s/w.lhe", scratch);
    snprintf(hep, sizeof hep, "%s/w.hepmc3", scratch);
    generate(ev, ARGS(ZP10, BUDGET, "--events", "500", "--coupling-weights", "1e-4,2e-3"));
    gzFile f = gzopen(ev, "rb");
    assert_non_null(f);
    lhe_event x;
    long n = 0;
    const double scale[2] = {mue_sq(1e-4 / 5e-4), mue_sq(2e-3 / 5e-4)};
    while (next_event(f, &x)) {
        n++;
        assert_int_equal(x.nw, 3);
        assert_string_equal(x.wid[0], "nominal");
        assert_string_equal(x.wid[1], "g_0.0001");
        assert_string_equal(x.wid[2], "g_0.002");
        if (x.w[1] != x.w[0])
            fail_msg("the nominal weight %.17g is not XWGTUP %.17g", x.w[1], x.w[0]);
        for (int k = 0; k < 2; k++)
            if (!(fabs(x.w[2 + k] / (x.w[0] * scale[k]) - 1.0) < 1e-15))
                fail_msg("weight %s = %.17g, expected %.17g", x.wid[1 + k], x.w[2 + k], x.w[0] * scale[k]);
    }
    gzclose(f);
    assert_int_equal(n, 500);
    generate(hep, ARGS(ZP10, BUDGET, "--events", "20", "--coupling-weights", "1e-4,2e-3"));
    char *t = slurp(hep);
    assert_non_null(t);
    if (!strstr(t, "\nW nominal g_0.0001 g_0.002\n"))
        fail_msg("the HepMC3 header does not name the weights");
    double w0, w1, w2, s0, e0, s1, e1, s2, e2;
    const char *l = strstr(t, "\nW "), *a = strstr(t, "A 0 GenCrossSection ");
    l = l ? strstr(l + 1, "\nW ") : NULL; /* the first event's */
    assert_non_null(l);
    assert_non_null(a);
    assert_int_equal(sscanf(l, "\nW %lf %lf %lf", &w0, &w1, &w2), 3);
    assert_int_equal(sscanf(a, "A 0 GenCrossSection %lf %lf -1 -1 %lf %lf %lf %lf", &s0, &e0, &s1, &e1, &s2, &e2), 6);
    assert_true(fabs(w1 / (w0 * scale[0]) - 1.0) < 1e-15 && fabs(w2 / (w0 * scale[1]) - 1.0) < 1e-15);
    assert_true(fabs(s1 / (s0 * scale[0]) - 1.0) < 1e-15 && fabs(e2 / (e0 * scale[1]) - 1.0) < 1e-15);
    free(t);
    run_t r;
    RUN(&r, "generate", ZP10, "--events", "5", "--out", ev, "--coupling-weights", "0");
    expect_failure(&r, ARGS("--coupling-weights", "range"));
    run_free(&r);
    RUN(&r, "generate", ZP10, "--events", "5", "--out", ev, "--coupling-weights", "1,2,3,4,5,6,7,8,9");
    expect_failure(&r, ARGS("--coupling-weights", "8"));
    run_free(&r);
    RUN(&r, "generate", "--process", "mueg", "--events", "5", "--out", ev, "--coupling-weights", "1e-3");
    expect_failure(&r, ARGS("--coupling-weights", "zprime"));
    run_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_azimuth_uniform_zprime),
        cmocka_unit_test(test_azimuth_elastic_back_to_back),
        cmocka_unit_test(test_azimuth_with_detector),
        cmocka_unit_test(test_decay_kinematics_any_speed),
        cmocka_unit_test(test_zprime_decays_invisible),
        cmocka_unit_test(test_zprime_stable),
        cmocka_unit_test(test_mu_plus_beam),
        cmocka_unit_test(test_mu_plus_backgrounds),
        cmocka_unit_test(test_mu_plus_events),
        cmocka_unit_test(test_coupling_weights),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
