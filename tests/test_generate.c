/* mue generate: the events against the integration (histograms, cross section), every
 * event's kinematics, the same bytes on any thread count, the files read back by pylhe
 * and pyhepmc, and the bad inputs (one line, exit 2, no file under the name). */
#include "cli_run.h"

#include <gsl/gsl_cdf.h>
#include <limits.h>
#include <zlib.h>

#include "mue/defs.h"
#include "util/numfmt.h"
#include "lhe_read.h"

#define ZP "--process", "zprime", "--mass", "100MeV", "--coupling", "1e-3"
#define VENV_PY "build/venv/bin/python"

/* ---- numbers ---- */

static void test_numfmt(void **state)
{
    (void)state;
    uint64_t x = 88172645463325252ull;
    int differ = 0;
    for (int k = 0; k < 200000; k++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        /* magnitudes from 1e-300 to 1e300, both signs, and round numbers */
        double v = ldexp((double)(x >> 11) / 9007199254740992.0 + 0.5, (int)(x % 1990) - 995);
        if (k % 7 == 0)
            v = (double)(x % 100000) * (k % 2 ? 1e-3 : 1e3);
        if (k % 2)
            v = -v;
        char buf[64];
        char *e = mue_fmt_e(buf, v);
        *e = '\0';
        assert_true(e - buf <= MUE_FMT_E_MAX);
        double back = strtod(buf, NULL);
        /* 16 significant digits: the rounding moves the value by at most half a unit of
         * the 16th digit, 5e-16 relative */
        const double unit = pow(10.0, floor(log10(fabs(v))) - 15.0); /* of the 16th digit */
        if (!(fabs(back - v) <= 0.51 * unit + 4e-16 * fabs(v)))
            fail_msg("%.17g written as %s", v, buf);
        char ref[64];
        snprintf(ref, sizeof ref, "%.15e", v);
        differ += strcmp(buf, ref) != 0;
        /* printf's correctly rounded digits, but for a last digit at a near-tie */
        if (!(fabs(back - strtod(ref, NULL)) <= 1.01 * unit + 4e-16 * fabs(v)))
            fail_msg("%s against printf's %s", buf, ref);
    }
    print_message("  %d of 200000 numbers differ from printf's %%.15e in the last digit\n", differ);
    assert_true(differ < 200);
    char buf[64];
    *mue_fmt_e(buf, 0.0) = '\0';
    assert_string_equal(buf, "0.000000000000000e+00");
    /* next to a power of ten the exponent must come out right, not one low and the
     * digits rounded twice: 1e23 is the double 9.99999999999999991611392e22, which
     * printf writes 9.999999999999999e+22 (mue 0.2.0 wrote 1.000000000000000e+23) */
    *mue_fmt_e(buf, 9.9999999999999999e22) = '\0';
    assert_string_equal(buf, "9.999999999999999e+22");
    int near_differ = 0;
    for (int k = -300; k <= 300; k++) {
        char t[32], ref[64];
        snprintf(t, sizeof t, "1e%d", k);
        const double p = strtod(t, NULL);
        const double vs[4] = {p, nextafter(p, 0.0), nextafter(p, INFINITY), nextafter(nextafter(p, 0.0), 0.0)};
        for (int j = 0; j < 4; j++) {
            *mue_fmt_e(buf, vs[j]) = '\0';
            snprintf(ref, sizeof ref, "%.15e", vs[j]);
            near_differ += strcmp(buf, ref) != 0;
        }
    }
    print_message("  %d of 2404 numbers next to powers of ten differ from printf's (near-ties)\n",
                  near_differ);
    assert_true(near_differ <= 2); /* one at 1e-200: a near-tie in the 17th digit */
    /* integers: PDG ids of both signs, and the ends of the range */
    const long long ints[] = {0, 7, -12, 9900023, -9900023, LLONG_MAX, LLONG_MIN};
    for (size_t k = 0; k < sizeof ints / sizeof ints[0]; k++) {
        char ref[32];
        snprintf(ref, sizeof ref, "%lld", ints[k]);
        *mue_fmt_i(buf, ints[k]) = '\0';
        assert_string_equal(buf, ref);
    }
}

static void generate(const char *out, const char *const *extra)
{
    const char *args[MAXARGS] = {"generate", ZP, "--events"};
    int n = 8;
    for (; extra && *extra; extra++)
        args[n++] = *extra;
    args[n++] = "--out";
    args[n++] = out;
    args[n] = NULL;
    run_t r;
    run_mue(&r, args, 120.0);
    expect_success(&r);
    CHECK(&r, path_exists(out), "no event file");
    run_free(&r);
}

/* the histograms of mue integrate (same process and cuts), sigma per bin, from its CSV */
static int read_hist(const char *csv, double *lo, double *hi, double *s, double *e, int max)
{
    FILE *f = fopen(csv, "r");
    assert_non_null(f);
    char line[512];
    int n = 0;
    while (fgets(line, sizeof line, f))
        if (line[0] != '#' && line[0] != 'l' && n < max &&
            sscanf(line, "%lf,%lf,%lf,%lf", &lo[n], &hi[n], &s[n], &e[n]) == 4)
            n++;
    fclose(f);
    return n;
}

/* chi2 of N events' counts against the shape of the weighted histogram, over the bins
 * where at least 20 events are expected; returns Q = P(chi2' >= chi2). */
static double shape_q(const double *cnt, const double *s, const double *e, int nb, double N, int *ndof)
{
    double tot = 0.0;
    for (int b = 0; b < nb; b++)
        tot += s[b];
    double chi2 = 0.0;
    int used = 0;
    for (int b = 0; b < nb; b++) {
        double mu = N * s[b] / tot, var = mu + mue_sq(N * e[b] / tot);
        if (mu < 20.0)
            continue;
        chi2 += mue_sq(cnt[b] - mu) / var;
        used++;
    }
    *ndof = used - 1;
    return gsl_cdf_chisq_Q(chi2, used - 1);
}

/* 1e5 unweighted signal events: every one conserves momentum and is on shell; the
 * distributions of E_e, theta_e, theta_mu and E_mu follow the weighted histograms of
 * mue integrate; the mean weight is sigma. */
static void test_events_match_integration(void **state)
{
    (void)state;
    char ev[4200], hist[4200];
    snprintf(ev, sizeof ev, "%s/ev.lhe.gz", scratch);
    snprintf(hist, sizeof hist, "%s/hist", scratch);
    generate(ev, ARGS("100000", "--seed", "3"));
    run_t r;
    RUN(&r, "integrate", ZP, "--seed", "5", "--hist", hist, "--quiet");
    expect_success(&r);
    run_free(&r);

    const char *obs[4] = {"E_e", "theta_e", "theta_mu", "E_mu"};
    static double lo[4][200], hi[4][200], s[4][200], e[4][200], cnt[4][200];
    int nb[4];
    for (int k = 0; k < 4; k++) {
        char csv[4300];
        snprintf(csv, sizeof csv, "%s/%s.csv", hist, obs[k]);
        nb[k] = read_hist(csv, lo[k], hi[k], s[k], e[k], 200);
        assert_int_equal(nb[k], 100);
        memset(cnt[k], 0, sizeof cnt[k]);
    }
    gzFile f = gzopen(ev, "rb");
    assert_non_null(f);
    lhe_event x;
    long n = 0;
    double sw = 0.0, worst_p = 0.0, worst_m = 0.0;
    while (next_event(f, &x)) {
        n++;
        sw += x.w[0];
        assert_int_equal(x.q[0].id, 13);
        assert_int_equal(x.q[1].id, 11);
        assert_int_equal(x.q[0].st, -1);
        double d[4] = {0, 0, 0, 0};
        int mu = -1, el = -1;
        for (int k = 0; k < x.n; k++) {
            /* the beams in, the final particles out; a decayed one (status 2) is its
             * daughters (test_event_record checks the decays) */
            double sg = x.q[k].st < 0 ? -1.0 : x.q[k].st == 1 ? 1.0 : 0.0;
            for (int c = 0; c < 4; c++)
                d[c] += sg * x.q[k].p[c];
            /* on shell: E^2 - p^2 = m^2 */
            double p2 = mue_sq(x.q[k].p[0]) + mue_sq(x.q[k].p[1]) + mue_sq(x.q[k].p[2]);
            double off = fabs(mue_sq(x.q[k].p[3]) - p2 - mue_sq(x.q[k].p[4]));
            worst_m = fmax(worst_m, off / fmax(1.0, mue_sq(x.q[k].p[3])));
            if (x.q[k].st == 1 && x.q[k].id == 13)
                mu = k;
            if (x.q[k].st == 1 && x.q[k].id == 11)
                el = k;
        }
        for (int c = 0; c < 4; c++)
            worst_p = fmax(worst_p, fabs(d[c]));
        assert_true(mu >= 0 && el >= 0);
        const double v[4] = {x.q[el].p[3], atan2(hypot(x.q[el].p[0], x.q[el].p[1]), x.q[el].p[2]),
                             atan2(hypot(x.q[mu].p[0], x.q[mu].p[1]), x.q[mu].p[2]), x.q[mu].p[3]};
        for (int k = 0; k < 4; k++) {
            int b = (int)((v[k] - lo[k][0]) / (hi[k][0] - lo[k][0]));
            if (b >= 0 && b < nb[k])
                cnt[k][b] += 1.0;
        }
    }
    gzclose(f);
    assert_int_equal(n, 100000);
    if (!(worst_p <= 1e-9))
        fail_msg("momentum not conserved: %g GeV", worst_p);
    if (!(worst_m <= 1e-12))
        fail_msg("a particle off shell: |E^2 - p^2 - m^2| / max(1, E^2) = %g", worst_m);
    for (int k = 0; k < 4; k++) {
        int ndof;
        double q = shape_q(cnt[k], s[k], e[k], nb[k], (double)n, &ndof);
        print_message("  %-8s chi2 over %d dof: Q = %.3g\n", obs[k], ndof, q);
        assert_true(ndof >= 10);
        if (!(q > 1e-4))
            fail_msg("%s: the events do not follow mue integrate's histogram (Q = %g)", obs[k], q);
        /* the check can fail: the same counts one bin over are refused */
        double shifted[200] = {0};
        for (int b = 1; b < nb[k]; b++)
            shifted[b] = cnt[k][b - 1];
        assert_true(shape_q(shifted, s[k], e[k], nb[k], (double)n, &ndof) < 1e-6);
    }
    /* keep mode: weights average sigma (the header's), within the weights' spread */
    double sigma = header_value(ev, "sigma_pb"), err = header_value(ev, "sigma_err_pb");
    assert_true(sigma > 0.0);
    if (!(fabs(sw / n - sigma) <= 4.0 * err + 1e-3 * sigma))
        fail_msg("mean weight %.8g pb, sigma %.8g +- %.3g pb", sw / n, sigma, err);
}

/* Weighted events into file name: sum w / N estimates sigma within the errors. */
static void weighted_sum(const char *name, double nev, const char *const *args)
{
    char ev[4200];
    snprintf(ev, sizeof ev, "%s/%s", scratch, name);
    generate(ev, args);
    gzFile f = gzopen(ev, "rb");
    assert_non_null(f);
    lhe_event x;
    double n = 0, sw = 0, sw2 = 0;
    while (next_event(f, &x)) {
        n++;
        sw += x.w[0];
        sw2 += x.w[0] * x.w[0];
        assert_true(x.w[0] > 0.0);
    }
    gzclose(f);
    assert_true(n == nev);
    double mean = sw / n, err = sqrt((sw2 / n - mean * mean) / (n - 1));
    double sigma = header_value(ev, "sigma_pb"), serr = header_value(ev, "sigma_err_pb");
    print_message("  sum w / N = %.6g +- %.2g pb, sigma = %.6g +- %.2g pb\n", mean, err, sigma, serr);
    if (!(fabs(mean - sigma) <= 4.0 * hypot(err, serr)))
        fail_msg("sum w / N = %.8g +- %.3g pb against sigma %.8g +- %.3g pb", mean, err, sigma, serr);
}

static void test_weighted_sum(void **state)
{
    (void)state;
    weighted_sum("w.lhe", 50000, ARGS("50000", "--weighted", "--points", "300000", "--seed", "7"));
}

/* Through a detector model (smearing sampled from each point's stream, after the map's
 * uniforms and before the accept step's): the same check, and the header names it. */
static void test_weighted_sum_detector(void **state)
{
    (void)state;
    weighted_sum("wd.lhe", 20000, ARGS("20000", "--weighted", "--points", "300000", "--seed", "5",
                                        "--detector", "tail_frac=0.05"));
    char ev[4200], line[1024];
    snprintf(ev, sizeof ev, "%s/wd.lhe", scratch);
    gzFile f = gzopen(ev, "rb");
    assert_non_null(f);
    int found = 0;
    while (!found && gzgets(f, line, sizeof line) && strncmp(line, "</header>", 9) != 0)
        found = strncmp(line, "detector_model = ECAL", 21) == 0;
    gzclose(f);
    assert_true(found);
}

/* The same seed gives the same events on 1 and 2 threads, in both formats. */
static void test_threads_identical(void **state)
{
    (void)state;
    const char *names[2] = {"t.lhe.gz", "t.hepmc3"};
    for (int k = 0; k < 2; k++) {
        char a[4200], b[4200];
        snprintf(a, sizeof a, "%s/1%s", scratch, names[k]);
        snprintf(b, sizeof b, "%s/2%s", scratch, names[k]);
        generate(a, ARGS("20000", "--points", "200000", "--threads", "1", "--seed", "11"));
        generate(b, ARGS("20000", "--points", "200000", "--threads", "2", "--seed", "11"));
        /* the files hold the command line, which names the thread count, and the LHEF
         * trailer the run times: every other line must be the same */
        gzFile fa = gzopen(a, "rb"), fb = gzopen(b, "rb");
        assert_non_null(fa);
        assert_non_null(fb);
        long n = 0;
        char la[4096], lb[4096];
        for (;; n++) {
            char *ra = gzgets(fa, la, sizeof la), *rb = gzgets(fb, lb, sizeof lb);
            if (!ra || !rb) {
                assert_true(!ra && !rb);
                break;
            }
            if ((strstr(la, "command") && strstr(lb, "command")) ||
                (strncmp(la, "time:", 5) == 0 && strncmp(lb, "time:", 5) == 0))
                continue;
            if (strcmp(la, lb) != 0)
                fail_msg("%s: 1 and 2 threads differ at line %ld:\n%s%s", names[k], n + 1, la, lb);
        }
        gzclose(fa);
        gzclose(fb);
        assert_true(n > 100000); /* lines */
    }
}

/* pylhe reads the LHEF file and pyhepmc the HepMC3 one: beams, sigma, count, momenta.
 * The names hold a control byte, a byte that is not UTF-8 and XML's specials: the
 * header quotes the command line, which must stay readable XML (and HepMC3 text). */
static void test_external_readers(void **state)
{
    (void)state;
    if (access(VENV_PY, X_OK) != 0)
        fail_msg("%s missing: make test builds it (make venv installs pylhe and pyhepmc)", VENV_PY);
    const char *names[2] = {"r\x01\xff<&>\"]]>.lhe.gz", "r\x01\xff<&>\"]]>.hepmc3.gz"};
    for (int k = 0; k < 2; k++) {
        char path[4200];
        snprintf(path, sizeof path, "%s/%s", scratch, names[k]);
        generate(path, ARGS("3000", "--points", "200000"));
        char lhe[4200];
        snprintf(lhe, sizeof lhe, "%s/%s", scratch, names[0]);
        double sigma = header_value(lhe, "sigma_pb"), err = header_value(lhe, "sigma_err_pb");
        char cmd[9000];
        snprintf(cmd, sizeof cmd, "%s tests/check_event_files.py %s '%s' 3000 %.17g %.17g 2>&1", VENV_PY,
                 k ? "hepmc3" : "lhef", path, sigma, err);
        char out[4096];
        int rc = run_checker(cmd, out, sizeof out);
        print_message("  %s", out);
        if (rc != 0)
            fail_msg("%s: %s", names[k], out);
    }
}

/* ---- bad input ---- */

static int temporaries(const char *dir)
{
    char list[8192];
    dir_entries(dir, list, sizeof list);
    return strstr(list, ".mue-tmp.") != NULL;
}

static void test_bad_input(void **state)
{
    (void)state;
    char dir[4200], out[4300], grid[4300];
    make_dir(dir, sizeof dir, "bad");
    snprintf(out, sizeof out, "%s/ev.lhe", dir);
    run_t r;
#define REFUSED(needle, ...)                                                                       \
    do {                                                                                           \
        run_mue(&r, ARGS(__VA_ARGS__), RUN_TIMEOUT);                                               \
        expect_failure(&r, ARGS(needle));                                                          \
        CHECK(&r, r.code == 2, "exit %d, expected 2", r.code);                                     \
        CHECK(&r, !path_exists(out) && !temporaries(dir), "a file was left behind");              \
        run_free(&r);                                                                              \
    } while (0)
    REFUSED("--events", "generate", ZP, "--events", "0", "--out", out);
    REFUSED("--events", "generate", ZP, "--out", out);
    REFUSED("--events", "generate", ZP, "--events", "-5", "--out", out);
    REFUSED("--out", "generate", ZP, "--events", "10");
    REFUSED("cannot write", "generate", ZP, "--events", "10", "--out", "/nonexistent/dir/ev.lhe");
    REFUSED("not a regular file", "generate", ZP, "--events", "10", "--out", dir, "--format", "lhef");
    REFUSED("format", "generate", ZP, "--events", "10", "--out", "ev.txt");
    REFUSED("--format", "generate", ZP, "--events", "10", "--out", out, "--format", "root");
    REFUSED("--max-weight", "generate", ZP, "--events", "10", "--out", out, "--max-weight", "quantile:1.5");
    REFUSED("--max-weight", "generate", ZP, "--events", "10", "--out", out, "--max-weight", "big");
    REFUSED("--overweight", "generate", ZP, "--events", "10", "--out", out, "--overweight", "drop");
    REFUSED("--gzip-level", "generate", ZP, "--events", "10", "--out", out, "--gzip-level", "5");
    REFUSED("--max-weight", "generate", ZP, "--events", "10", "--out", out, "--weighted", "--max-weight", "max");
    REFUSED("--mass", "generate", "--process", "zprime", "--events", "10", "--out", out);
    /* a grid trained for another process (and another mass) is refused */
    snprintf(grid, sizeof grid, "%s/elastic.json", scratch);
    RUN(&r, "integrate", "--process", "elastic", "--theta-mu-min", "0", SMALL, "--save-grid", grid, "--quiet");
    expect_success(&r);
    run_free(&r);
    REFUSED("zprime integrates over 4", "generate", ZP, "--events", "10", "--out", out, "--load-grid", grid);
    snprintf(grid, sizeof grid, "%s/zp.json", scratch);
    RUN(&r, "integrate", ZP, SMALL, "--save-grid", grid, "--quiet");
    expect_success(&r);
    run_free(&r);
    REFUSED("another mass", "generate", "--process", "zprime", "--mass", "200MeV", "--coupling",
            "1e-3", "--events", "10", "--out", out, "--load-grid", grid);
    /* ... and one for this process is used */
    run_mue(&r, ARGS("generate", ZP, "--events", "100", "--out", out, "--load-grid", grid, "--points",
                     "100000", "--quiet"),
            RUN_TIMEOUT);
    expect_success(&r);
    CHECK(&r, strstr(r.out, "loaded grid") != NULL, "the loaded grid is not reported");
    run_free(&r);
    assert_int_equal(unlink(out), 0);
    /* a cut set that leaves nothing: refused, no file */
    REFUSED("nothing to generate", "generate", "--process", "elastic", "--events", "10", "--out", out,
            SMALL);
    /* a full disk: the file-size limit makes writes fail as ENOSPC would */
    run_fsize = 200000;
    REFUSED("writing", "generate", ZP, "--events", "20000", "--points", "200000", "--out", out);
    run_fsize = 0;
#undef REFUSED
}

/* A real full file system where the machine lets us mount a small tmpfs. */
static void test_full_tmpfs(void **state)
{
    (void)state;
    char dir[4200], out[4300], cmd[9000];
    make_dir(dir, sizeof dir, "tmpfs");
    snprintf(cmd, sizeof cmd, "mount -t tmpfs -o size=64k tmpfs %s 2>/dev/null", dir);
    if (system(cmd) != 0) {
        print_message("  SKIP full-disk test on tmpfs: cannot mount one here (not root, or no "
                      "permission); the RLIMIT_FSIZE case in test_bad_input stands in\n");
        skip();
    }
    snprintf(out, sizeof out, "%s/ev.lhe.gz", dir);
    run_t r;
    run_mue(&r, ARGS("generate", ZP, "--events", "20000", "--points", "200000", "--out", out), RUN_TIMEOUT);
    snprintf(cmd, sizeof cmd, "umount %s", dir);
    int left = path_exists(out) || temporaries(dir);
    expect_failure(&r, ARGS("No space left on device"));
    CHECK(&r, r.code == 2 && !left, "exit %d or a file left behind", r.code);
    run_free(&r);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_numfmt),
        cmocka_unit_test(test_events_match_integration),
        cmocka_unit_test(test_weighted_sum),
        cmocka_unit_test(test_weighted_sum_detector),
        cmocka_unit_test(test_threads_identical),
        cmocka_unit_test(test_external_readers),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_full_tmpfs),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
