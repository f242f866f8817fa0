/* Hardening: the inputs and conditions under which mue once printed a wrong number with
 * exit status 0, crashed, or lost or mixed data. The rule each test holds it to: mue
 * prints a number it can stand behind (with a warning that names the problem where the
 * number is still meaningful), or says why not on one line and exits non-zero. Outputs
 * never hold nan or inf, JSON always parses (jansson, strict), and a failed run leaves
 * the previous files whole. */
#include "cli_run.h"

#include <ctype.h>
#include <jansson.h>
#include <sys/file.h>

#include "run/integrate.h"
#include "physics1d/kinematic_limits.h"
#include "util/afile.h"
#include "mue/process.h"

#define BUDGET "--points", "2e5", "--iterations", "3", "--warmup", "2", "--quiet"
#define TINY "--points", "2e4", "--iterations", "2", "--warmup", "1", "--rel-error", "0", "--quiet"
#define ZP10 "--mass", "10MeV", "--coupling", "5e-4"

/* ------------------------------------------------------------------------------------ */
/* checks */


/* Exit 0 and a finite, non-negative sigma and error. */
static void expect_number(const run_t *r, double *sig, double *err)
{
    expect_success(r);
    CHECK(r, !has_nonfinite_word(r->out), "nan or inf printed");
    CHECK(r, sigma_of(r->out, sig, err), "no sigma line");
    CHECK(r, isfinite(*sig) && *sig >= 0.0 && isfinite(*err) && *err >= 0.0,
          "sigma %g +- %g is not a finite non-negative number", *sig, *err);
}

#define FAIL(r, ...) expect_failure((r), ARGS(__VA_ARGS__))

/* path parses as JSON with a strict parser; the document (caller frees). */
static json_t *expect_json(const char *path)
{
    json_error_t e;
    json_t *j = json_load_file(path, JSON_REJECT_DUPLICATES, &e);
    if (!j) {
        char *t = slurp(path);
        print_error("%s:\n%s\n", path, t ? t : "(missing)");
        free(t);
        fail_msg("%s is not valid JSON: line %d: %s", path, e.line, e.text);
    }
    return j;
}

static void expect_file_finite(const char *path)
{
    char *t = slurp(path);
    assert_non_null(t);
    if (has_nonfinite_word(t))
        fail_msg("%s holds nan or inf:\n%s", path, t);
    free(t);
}

static void write_file(const char *path, const char *text, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
}

/* A pid that no process has: a child that has exited and been reaped. */
static long dead_pid(void)
{
    pid_t p = fork();
    assert_true(p >= 0);
    if (p == 0)
        _exit(0);
    waitpid(p, NULL, 0);
    return (long)p;
}

/* ------------------------------------------------------------------------------------ */
/* 1. no negative cross sections: the ranges mue integrates, and refusal outside them */

static void test_small_masses_and_high_beams_positive(void **state)
{
    (void)state;
    run_t r;
    double s, e;
    RUN(&r, "integrate", "--mass", "1e-6", "--coupling", "5e-4", "--no-cuts", BUDGET);
    expect_number(&r, &s, &e);
    CHECK(&r, s > 0.0 && e < 0.05 * s, "sigma %g +- %g at the smallest mass", s, e);
    run_free(&r);
    RUN(&r, "integrate", "--beam-energy", "1e6", "--mass", "1MeV", "--coupling", "5e-4",
        "--no-cuts", BUDGET);
    expect_number(&r, &s, &e);
    CHECK(&r, s > 0.0 && e < 0.05 * s, "sigma %g +- %g at the highest beam energy", s, e);
    run_free(&r);

    static const char *const small[] = {"1e-9", "1e-12", "1e-300", "1e-7"};
    for (size_t i = 0; i < sizeof small / sizeof *small; i++) {
        RUN(&r, "integrate", "--mass", small[i], "--coupling", "5e-4", "--no-cuts", BUDGET);
        expect_failure(&r, ARGS("--mass", "below"));
        run_free(&r);
    }
    static const char *const high[] = {"1e12", "1e8", "1.1e6"};
    for (size_t i = 0; i < sizeof high / sizeof *high; i++) {
        RUN(&r, "integrate", "--beam-energy", high[i], "--mass", "1MeV", "--coupling", "5e-4",
            "--no-cuts", BUDGET);
        expect_failure(&r, ARGS("--beam-energy", "above"));
        run_free(&r);
    }
}

static void test_kinematics_range(void **state)
{
    (void)state;
    run_t r;
    RUN(&r, "kinematics", "--beam-energy", "1e20", "--n", "4");
    FAIL(&r, "--beam-energy");
    run_free(&r);
    RUN(&r, "kinematics", "--beam-energy", "1e15", "--n", "4");
    FAIL(&r, "--beam-energy");
    run_free(&r);
    /* at the ends of the range every value is a lab energy: at least m_e */
    static const char *const beams[] = {"1e6", "0.106", "150"};
    for (size_t i = 0; i < sizeof beams / sizeof *beams; i++) {
        RUN(&r, "kinematics", "--beam-energy", beams[i], "--n", "400");
        expect_success(&r);
        CHECK(&r, !has_nonfinite_word(r.out), "nan or inf printed");
        int rows = 0;
        for (const char *l = strchr(r.out, '\n'); l && l[1]; l = strchr(l + 1, '\n')) {
            double th, ee;
            if (sscanf(l + 1, "%lf,%lf", &th, &ee) != 2)
                continue;
            rows++;
            CHECK(&r, ee >= 0.00051099895 && th >= 0.0, "E_e,min = %g at %g mrad", ee, th);
        }
        CHECK(&r, rows == 400, "%d rows, not 400", rows);
        run_free(&r);
    }
}

/* Every weight of every process is finite and >= 0, at the corners of the input ranges
 * and at the edges of the unit cube, where cancellations would show. */
static void test_weights_never_negative(void **state)
{
    (void)state;
    static const double beams[] = {0.1060, 1.0, 150.0, 1e4, MUE_BEAM_MAX};
    static const double masses[] = {1e-6, 1e-4, 0.01, 0.2};
    srand48(7);
    long n_checked = 0;
    for (int id = 0; id < MUE_NPROC; id++)
        for (size_t b = 0; b < sizeof beams / sizeof *beams; b++)
            for (size_t m = 0; m < sizeof masses / sizeof *masses; m++)
                for (int cuts = 0; cuts < 2; cuts++) {
                    /* the process's own inputs: their defaults, a Z''s mass and coupling */
                    mue_run_config d;
                    mue_settings_defaults(MUE_CMD_INTEGRATE, (mue_process_id)id, &d);
                    mue_params p = d.par;
                    p.e_beam = beams[b];
                    if (id == MUE_PROC_ZPRIME) {
                        p.input[MUE_ZPRIME_MASS] = masses[m];
                        p.input[MUE_ZPRIME_COUPLING] = 1.0;
                    }
                    p.cuts.enabled = cuts;
                    if (id == MUE_PROC_MUEG && !cuts) /* its photon floor, which it needs then */
                        p.input[MUE_MUEG_EGAMMA_MIN] = 0.05 * p.e_beam;
                    if (id == MUE_PROC_ZPRIME && p.input[MUE_ZPRIME_MASS] >= mue_zprime_mass_limit(&p))
                        continue;
                    mue_setup S;
                    memset(&S, 0, sizeof S);
                    const char *why;
                    if (!mue_setup_make((mue_process_id)id, &p, &S, &why))
                        continue; /* refused with a reason (elastic without cuts) */
                    for (int k = 0; k < 4000; k++) {
                        double x[MUE_VEGAS_MAXDIM];
                        for (int d = 0; d < S.ndim; d++) {
                            double u = drand48(), v = drand48();
                            /* a third of the coordinates at an edge of the cube */
                            x[d] = u < 0.17 ? 1e-13 * v : u > 0.83 ? 1.0 - 1e-13 * v : v;
                        }
                        mue_event ev;
                        double w = mue_process_point(&S, x, &ev);
                        if (!(isfinite(w) && w >= 0.0))
                            fail_msg("process %d, beam %g GeV, mass %g GeV, cuts %d: weight %g at "
                                     "x = (%g, %g, %g, %g, %g)",
                                     id, p.e_beam, p.input[MUE_ZPRIME_MASS], cuts, w, x[0], x[1], x[2], x[3], x[4]);
                        n_checked++;
                    }
                }
    assert_true(n_checked > 100000);
}

/* ------------------------------------------------------------------------------------ */
/* 2. an iteration with no accepted point is no information, not an exact zero */

static void test_empty_iteration_not_exact(void **state)
{
    (void)state;
    char dir[4200], js[4300];
    make_dir(dir, sizeof dir, "empty_iteration");
    snprintf(js, sizeof js, "%s/a.json", dir);
    run_t r;
    double s, e;
    /* classic VEGAS, as when the issue was found (VEGAS+ finds the corner: below) */
    RUN(&r, "integrate", "--mass", "0.277337", "--coupling", "1e-3", "--points", "5e5",
        "--iterations", "10", "--warmup", "5", "--rel-error", "3e-3", "--seed", "2", "--quiet",
        "--beta", "0", "--json", js);
    expect_number(&r, &s, &e);
    const double s_pooled = s, e_pooled = e;
    CHECK(&r, s > 0.0 && e > 0.0, "sigma %g +- %g: an empty iteration was taken as exact", s, e);
    CHECK(&r, strstr(r.out, "WARNING") && strstr(r.out, "pooled"), "no warning");
    json_t *j = expect_json(js);
    CHECK(&r, json_is_true(json_object_get(j, "pooled")), "JSON does not say pooled");
    CHECK(&r, json_array_size(json_object_get(j, "warnings")) >= 1, "JSON has no warnings");
    json_decref(j);
    run_free(&r);

    RUN(&r, "integrate", "--mass", "0.2773", "--coupling", "5e-4", "--points", "1e4",
        "--iterations", "10", "--warmup", "2", "--rel-error", "0", "--seed", "1", "--quiet",
        "--beta", "0");
    expect_number(&r, &s, &e);
    CHECK(&r, s > 0.0 && e > 0.0, "sigma %g +- %g: an empty iteration was taken as exact", s, e);
    CHECK(&r, strstr(r.out, "WARNING"), "no warning");
    run_free(&r);

    /* VEGAS+ (the default) moves points into the corner: the same sigma, within the
     * pooled error, and to better than 1 % */
    double s2, e2;
    RUN(&r, "integrate", "--mass", "0.277337", "--coupling", "1e-3", "--points", "5e5",
        "--iterations", "10", "--warmup", "5", "--rel-error", "3e-3", "--seed", "2", "--quiet");
    expect_number(&r, &s2, &e2);
    CHECK(&r, e2 < 0.01 * s2 && fabs(s2 - s_pooled) < 3.0 * hypot(e_pooled, e2),
          "VEGAS+ %g +- %g against the pooled %g +- %g", s2, e2, s_pooled, e_pooled);
    run_free(&r);

    /* a run with enough points per iteration has no warning */
    RUN(&r, "integrate", ZP10, BUDGET);
    expect_number(&r, &s, &e);
    CHECK(&r, !strstr(r.out, "WARNING"), "a warning on a healthy run");
    run_free(&r);
}

/* ------------------------------------------------------------------------------------ */
/* 3. couplings: a stated range, and sigma exactly proportional to g^2 inside it */

static void test_coupling_range(void **state)
{
    (void)state;
    run_t r;
    static const char *const bad[] = {"1e80", "1e300", "1e-100", "11", "9e-21"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        RUN(&r, "integrate", "--mass", "10MeV", "--coupling", bad[i], BUDGET);
        expect_failure(&r, ARGS("--coupling", "outside"));
        run_free(&r);
    }
    /* alpha: a tiny one underflowed every weight to sigma = 0 ("alpha = 1/inf") */
    static const char *const alphas[] = {"1e-300", "0x1p-1074", "5e-5", "1"};
    for (size_t i = 0; i < sizeof alphas / sizeof *alphas; i++) {
        RUN(&r, "integrate", "--mass", "10MeV", "--coupling", "5e-4", "--alpha", alphas[i], BUDGET);
        FAIL(&r, "--alpha");
        run_free(&r);
    }
    char dir[4200];
    snprintf(dir, sizeof dir, "%s/scan_tiny_g", scratch);
    RUN(&r, "scan", "--masses", "0.01", "--coupling", "1e-200", "--out", dir, TINY);
    FAIL(&r, "--coupling");
    CHECK(&r, !path_exists(dir), "the refused scan created its directory");
    run_free(&r);

    /* the ends of the range: same seed, sigma scales as g^2 to the last digits */
    char j1[4300], j2[4300];
    snprintf(j1, sizeof j1, "%s/g_hi.json", scratch);
    snprintf(j2, sizeof j2, "%s/g_lo.json", scratch);
    RUN(&r, "integrate", "--mass", "10MeV", "--coupling", "10", BUDGET, "--json", j1);
    expect_success(&r);
    run_free(&r);
    RUN(&r, "integrate", "--mass", "10MeV", "--coupling", "1e-20", BUDGET, "--json", j2);
    expect_success(&r);
    run_free(&r);
    json_t *a = expect_json(j1), *b = expect_json(j2);
    double sa = json_number_value(json_object_get(a, "sigma_fb"));
    double sb = json_number_value(json_object_get(b, "sigma_fb"));
    double ea = json_number_value(json_object_get(a, "sigma_err_fb"));
    double eb = json_number_value(json_object_get(b, "sigma_err_fb"));
    assert_true(sa > 0.0 && sb > 0.0 && ea > 0.0 && eb > 0.0);
    assert_true(fabs(sa / sb / 1e42 - 1.0) < 1e-8);
    assert_true(fabs(ea / eb / 1e42 - 1.0) < 1e-8);
    json_decref(a);
    json_decref(b);
}

/* ------------------------------------------------------------------------------------ */
/* 4. no nan or inf in any output; every JSON writer parses strictly */

static void test_no_nonfinite_outputs(void **state)
{
    (void)state;
    run_t r;
    char h[4200];
    snprintf(h, sizeof h, "%s/nonfinite_hist", scratch);
    RUN(&r, "integrate", ZP10, "--lumi", "1e308", BUDGET);
    FAIL(&r, "--lumi");
    run_free(&r);
    RUN(&r, "integrate", ZP10, "--hist-range", "E_e=-1e308:1e308", "--hist", h, BUDGET);
    FAIL(&r, "--hist-range");
    CHECK(&r, !path_exists(h), "the refused run created its histogram directory");
    run_free(&r);
    RUN(&r, "g2", "--mass", "10MeV", "--coupling", "1e200", "--json", h);
    FAIL(&r, "--coupling");
    run_free(&r);
    RUN(&r, "g2", "--mass", "1e-200", "--coupling", "1e-3");
    FAIL(&r, "--mass");
    run_free(&r);

    /* g2 at the corners of its range */
    static const char *const corner[][2] = {
        {"1e-6", "10"}, {"1e-6", "1e-20"}, {"1e4", "10"}, {"1e4", "1e-20"}};
    for (size_t i = 0; i < sizeof corner / sizeof *corner; i++) {
        char js[4300];
        snprintf(js, sizeof js, "%s/g2_%zu.json", scratch, i);
        RUN(&r, "g2", "--mass", corner[i][0], "--coupling", corner[i][1], "--json", js);
        expect_success(&r);
        CHECK(&r, !has_nonfinite_word(r.out), "nan or inf printed");
        json_t *j = expect_json(js);
        double d = json_number_value(json_object_get(j, "delta_amu"));
        CHECK(&r, isfinite(d) && d > 0.0, "delta_amu = %g", d);
        json_decref(j);
        run_free(&r);
    }

    /* integrate at a corner of every range at once: the JSON, the histograms */
    char js[4300];
    snprintf(js, sizeof js, "%s/corner.json", scratch);
    RUN(&r, "integrate", "--mass", "1e-6", "--coupling", "10", "--no-cuts", "--beam-energy",
        "1e6", "--lumi", "1e10", "--hist", h, "--hist-range", "E_e=-1e6:1e6", BUDGET, "--json",
        js);
    double s, e;
    expect_number(&r, &s, &e);
    json_decref(expect_json(js));
    static const char *const obs[] = {"E_e", "E_mu", "theta_e", "theta_mu"};
    for (size_t i = 0; i < sizeof obs / sizeof *obs; i++) {
        char p[4400];
        snprintf(p, sizeof p, "%s/%s.csv", h, obs[i]);
        expect_file_finite(p);
    }
    run_free(&r);
}

/* ------------------------------------------------------------------------------------ */
/* 5. a resumed scan trusts no row it did not write; 14. nor a file that is no scan */

static void test_scan_resume_validates(void **state)
{
    (void)state;
    char dir[4200], csv[4300], js[4300];
    make_dir(dir, sizeof dir, "resume");
    snprintf(csv, sizeof csv, "%s/scan.csv", dir);
    snprintf(js, sizeof js, "%s/scan.json", dir);
    run_t r;
    RUN(&r, "scan", "--masses", "0.01,0.05", "--out", dir, TINY);
    expect_success(&r);
    run_free(&r);
    char *good = slurp(csv);
    assert_non_null(good);
    /* the first data row: after the header line that starts "mass_gev," */
    char *row = strstr(good, "\nmass_gev,");
    assert_non_null(row);
    row = strchr(row + 1, '\n') + 1;
    char *sigma = strchr(row, ',') + 1, *sigma_end = strchr(sigma, ',');
    static const char *const bad[] = {"nan", "-5", "1e999", "inf", "abc"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char text[16384];
        int n = snprintf(text, sizeof text, "%.*s%s%s", (int)(sigma - good), good, bad[i],
                         sigma_end);
        assert_true(n > 0 && n < (int)sizeof text);
        write_file(csv, text, (size_t)n);
        RUN(&r, "scan", "--masses", "0.01,0.05", "--out", dir, TINY);
        expect_failure(&r, ARGS("line", "damaged", "--restart"));
        char *after = slurp(csv);
        CHECK(&r, after && strcmp(after, text) == 0, "the refused resume changed scan.csv");
        free(after);
        run_free(&r);
    }
    write_file(csv, good, strlen(good));

    /* a resume with other masses: scan.json holds every row scan.csv holds */
    RUN(&r, "scan", "--masses", "0.01,0.1", "--out", dir, TINY);
    expect_success(&r);
    json_t *j = expect_json(js);
    json_t *rows = json_object_get(j, "rows");
    CHECK(&r, json_array_size(rows) == 3, "scan.json has %zu rows, not 3", json_array_size(rows));
    double want[3] = {0.01, 0.05, 0.1};
    for (size_t k = 0; k < 3 && k < json_array_size(rows); k++)
        CHECK(&r, fabs(json_number_value(json_object_get(json_array_get(rows, k), "mass_gev")) -
                       want[k]) < 1e-12,
              "row %zu of scan.json", k);
    json_decref(j);
    char *now_csv = slurp(csv);
    int data_rows = 0;
    for (char *l = strstr(now_csv, "\nmass_gev,"); l && (l = strchr(l + 1, '\n')) && l[1];)
        data_rows++;
    CHECK(&r, data_rows == 3, "scan.csv has %d rows", data_rows);
    free(now_csv);
    run_free(&r);
    free(good);

    /* files that are no scan: said so, not "other settings" */
    write_file(csv, "", 0);
    RUN(&r, "scan", "--masses", "0.01", "--out", dir, TINY);
    expect_failure(&r, ARGS("not a mue scan"));
    run_free(&r);
    write_file(csv, "\x7f" "ELF\x01\x00\xff\xfe garbage\n", 16);
    RUN(&r, "scan", "--masses", "0.01", "--out", dir, TINY);
    expect_failure(&r, ARGS("not a mue scan"));
    run_free(&r);
    unlink(csv);
    assert_int_equal(mkdir(csv, 0700), 0);
    RUN(&r, "scan", "--masses", "0.01", "--out", dir, TINY);
    expect_failure(&r, ARGS("not a file"));
    run_free(&r);
    rmdir(csv);
}

/* ------------------------------------------------------------------------------------ */
/* 6. too few points */

static void test_too_few_points(void **state)
{
    (void)state;
    run_t r;
    static const char *const few[] = {"2", "10", "99"};
    for (size_t i = 0; i < sizeof few / sizeof *few; i++) {
        RUN(&r, "integrate", ZP10, "--points", few[i], "--iterations", "3", "--quiet");
        expect_failure(&r, ARGS("--points", "100"));
        run_free(&r);
    }
    /* the fewest allowed: a number, with the warning that its error is rough */
    RUN(&r, "integrate", ZP10, "--points", "100", "--iterations", "3", "--warmup", "1", "--quiet");
    double s, e;
    expect_number(&r, &s, &e);
    CHECK(&r, s > 0.0 && e > 0.0 && strstr(r.out, "WARNING"), "no warning at 100 points");
    run_free(&r);
}

/* ------------------------------------------------------------------------------------ */
/* 7. write errors on stdout */

static void test_stdout_write_errors(void **state)
{
    (void)state;
    run_t r;
    for (int mode = 1; mode <= 2; mode++) {
        run_stdout_mode = mode;
        RUN(&r, "kinematics", "--n", "100000");
        expect_failure(&r, ARGS("standard output"));
        run_free(&r);
        RUN(&r, "integrate", ZP10, TINY);
        expect_failure(&r, ARGS("standard output"));
        run_free(&r);
        RUN(&r, "--version");
        expect_failure(&r, ARGS("standard output"));
        run_free(&r);
    }
    run_stdout_mode = 0;

    /* stdout closed: a result file must not take its descriptor */
    char js[4300];
    snprintf(js, sizeof js, "%s/closed_stdout.json", scratch);
    run_stdout_mode = 2;
    RUN(&r, "integrate", ZP10, TINY, "--json", js);
    run_stdout_mode = 0;
    CHECK(&r, r.exited && r.code != 0, "exit 0 with stdout closed");
    if (path_exists(js))
        json_decref(expect_json(js));
    run_free(&r);

    /* a file system that fills up: the output cut short is an error */
    run_fsize = 20000;
    RUN(&r, "kinematics", "--n", "100000");
    run_fsize = 0;
    CHECK(&r, !r.signaled && r.exited && r.code != 0, "exit status 0 with the output cut short");
    CHECK(&r, count_lines(r.err) == 1 && strstr(r.err, "standard output"), "no one-line reason");
    run_free(&r);
}

/* ------------------------------------------------------------------------------------ */
/* 8. a run's histograms are a set: a failure leaves the old set whole */

static void test_hist_set_is_atomic(void **state)
{
    (void)state;
    char dir[4200];
    make_dir(dir, sizeof dir, "hist_set");
    static const char *const obs[] = {"E_e", "E_mu", "theta_e", "theta_mu"};
    char *old[4];
    run_t r;
    RUN(&r, "integrate", ZP10, TINY, "--hist", dir, "--hist-bins", "100");
    expect_success(&r);
    run_free(&r);
    for (int i = 0; i < 4; i++) {
        char p[4400];
        snprintf(p, sizeof p, "%s/%s.csv", dir, obs[i]);
        old[i] = slurp(p);
        assert_non_null(old[i]);
        assert_true(strlen(old[i]) < 5000);
    }
    /* E_e over empty bins is short and written first; the others are over the limit */
    run_fsize = 5000;
    RUN(&r, "integrate", ZP10, TINY, "--seed", "7", "--hist", dir, "--hist-bins", "200",
        "--hist-range", "E_e=100:200");
    run_fsize = 0;
    /* sigma itself is sound and printed; the run fails for its files */
    CHECK(&r, !r.signaled && r.exited && r.code != 0, "exit status 0 with the files unwritten");
    CHECK(&r, count_lines(r.err) == 1 && strstr(r.err, "--hist"), "no one-line reason");
    run_free(&r);
    char list[1024];
    CHECK(&r, dir_entries(dir, list, sizeof list) == 4, "the directory holds: %s", list);
    for (int i = 0; i < 4; i++) {
        char p[4400];
        snprintf(p, sizeof p, "%s/%s.csv", dir, obs[i]);
        char *now_text = slurp(p);
        if (!now_text || strcmp(now_text, old[i]) != 0)
            fail_msg("%s changed although the run failed: the set is mixed", p);
        free(now_text);
        free(old[i]);
    }
}

/* ------------------------------------------------------------------------------------ */
/* 9. temporaries: outside the user's names, and those of dead runs cleaned */

static void test_stale_temporaries_removed(void **state)
{
    (void)state;
    char dir[4200], host[64], dead[4400], live[4400], other[4400], mine[4400], js[4300];
    make_dir(dir, sizeof dir, "stale");
    assert_int_equal(gethostname(host, sizeof host), 0);
    host[sizeof host - 1] = '\0';
    snprintf(dead, sizeof dead, "%s/.mue-tmp.%s.%ld.0", dir, host, dead_pid());
    snprintf(live, sizeof live, "%s/.mue-tmp.%s.%ld.0", dir, host, (long)getpid());
    snprintf(other, sizeof other, "%s/.mue-tmp.no-such-host-xyz.%ld.0", dir, dead_pid());
    snprintf(mine, sizeof mine, "%s/scan.csv.tmp.123", dir);
    write_file(dead, "half a file", 11);
    write_file(live, "being written", 13);
    write_file(other, "another machine's", 17);
    write_file(mine, "a user's file", 13);
    snprintf(js, sizeof js, "%s/r.json", dir);
    run_t r;
    RUN(&r, "integrate", ZP10, TINY, "--json", js);
    expect_success(&r);
    run_free(&r);
    assert_false(path_exists(dead));
    assert_true(path_exists(live));
    assert_true(path_exists(other));
    assert_true(path_exists(mine));
    json_decref(expect_json(js));

    /* a scan leaves nothing but its three files */
    char sd[4200], list[1024];
    make_dir(sd, sizeof sd, "stale_scan");
    snprintf(dead, sizeof dead, "%s/.mue-tmp.%s.%ld.3", sd, host, dead_pid());
    write_file(dead, "x", 1);
    RUN(&r, "scan", "--masses", "0.01", "--out", sd, TINY);
    expect_success(&r);
    run_free(&r);
    CHECK(&r, dir_entries(sd, list, sizeof list) == 3, "the scan directory holds: %s", list);
}

/* ------------------------------------------------------------------------------------ */
/* 10. output directories are locked, and the message names the holder */

static void test_output_directory_locks(void **state)
{
    (void)state;
    char dir[4200], pid[32];
    make_dir(dir, sizeof dir, "locked");
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    assert_true(fd >= 0);
    assert_int_equal(flock(fd, LOCK_EX | LOCK_NB), 0);
    snprintf(pid, sizeof pid, "pid %ld", (long)getpid());
    run_t r;
    run_mue(&r, ARGS("scan", "--masses", "0.01", "--out", dir, HUGE), FAST_TIMEOUT);
    expect_failure(&r, ARGS("--out", "in use", pid));
    run_free(&r);
    run_mue(&r, ARGS("integrate", ZP10, HUGE, "--hist", dir), FAST_TIMEOUT);
    expect_failure(&r, ARGS("--hist", "in use", pid));
    run_free(&r);
    char list[256];
    CHECK(&r, dir_entries(dir, list, sizeof list) == 0, "written into a locked directory: %s", list);
    close(fd);
    RUN(&r, "scan", "--masses", "0.01", "--out", dir, TINY);
    expect_success(&r);
    run_free(&r);

    /* racing creators of one directory all succeed */
    char racy[4200];
    for (int round = 0; round < 20; round++) {
        snprintf(racy, sizeof racy, "%s/racy%d", scratch, round);
        pid_t kids[8];
        for (int k = 0; k < 8; k++) {
            kids[k] = fork();
            assert_true(kids[k] >= 0);
            if (kids[k] == 0)
                _exit(mue_dir_ready(racy) == 0 ? 0 : 1);
        }
        for (int k = 0; k < 8; k++) {
            int st;
            waitpid(kids[k], &st, 0);
            assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
        }
    }
}

/* ------------------------------------------------------------------------------------ */
/* 11. seeds are integers */

static void test_seeds_are_integers(void **state)
{
    (void)state;
    char js[4300];
    snprintf(js, sizeof js, "%s/seed.json", scratch);
    run_t r, q;
    RUN(&r, "integrate", ZP10, TINY, "--seed", "9007199254740993", "--json", js);
    expect_success(&r);
    CHECK(&r, strstr(r.out, "seed 9007199254740993\n"), "the seed printed is not the one given");
    char *t = slurp(js);
    CHECK(&r, t && strstr(t, "\"seed\": 9007199254740993,"), "the JSON records another seed");
    free(t);
    RUN(&q, "integrate", ZP10, TINY, "--seed", "9007199254740992");
    expect_success(&q);
    double s1, e1, s2, e2;
    assert_true(sigma_of(r.out, &s1, &e1) && sigma_of(q.out, &s2, &e2));
    CHECK(&q, s1 != s2, "seeds 2^53 and 2^53 + 1 gave the same sigma");
    run_free(&r);
    run_free(&q);
    RUN(&r, "integrate", ZP10, TINY, "--seed", "18446744073709551615");
    expect_success(&r);
    CHECK(&r, strstr(r.out, "seed 18446744073709551615\n"), "2^64 - 1 not kept");
    run_free(&r);
    RUN(&r, "integrate", ZP10, TINY, "--seed", "18446744073709551616");
    FAIL(&r, "--seed");
    run_free(&r);
    RUN(&r, "integrate", ZP10, TINY, "--seed", "1e30");
    FAIL(&r, "--seed");
    run_free(&r);
}

/* ------------------------------------------------------------------------------------ */
/* 12. the thread limit applies to OMP_NUM_THREADS too */

static void test_omp_num_threads_capped(void **state)
{
    (void)state;
    run_t r;
    double s, e, s0, e0;
    RUN(&r, "integrate", ZP10, TINY);
    expect_number(&r, &s0, &e0);
    run_free(&r);
    run_env = "OMP_NUM_THREADS=100000";
    RUN(&r, "integrate", ZP10, TINY);
    run_env = NULL;
    expect_number(&r, &s, &e);
    CHECK(&r, s == s0 && e == e0, "another thread count gave another result");
    CHECK(&r, strstr(r.out, "(4096 threads)"), "the thread count is not the cap");
    run_free(&r);
}

/* ------------------------------------------------------------------------------------ */
/* 13. every output is checked before the compute is spent */

static void test_outputs_checked_first(void **state)
{
    (void)state;
    char dir[4200], x[4300], name[4600];
    make_dir(dir, sizeof dir, "names");
    snprintf(x, sizeof x, "%s/X", dir);
    run_t r;
    run_mue(&r, ARGS("integrate", ZP10, HUGE, "--json", ""), FAST_TIMEOUT);
    expect_failure(&r, ARGS("--json", "empty"));
    run_free(&r);
    run_mue(&r, ARGS("integrate", ZP10, HUGE, "--hist", ""), FAST_TIMEOUT);
    expect_failure(&r, ARGS("--hist", "empty"));
    run_free(&r);
    run_mue(&r, ARGS("integrate", ZP10, HUGE, "--json", x, "--hist", x), FAST_TIMEOUT);
    expect_failure(&r, ARGS("--json", "--hist"));
    run_free(&r);
    run_mue(&r, ARGS("integrate", ZP10, HUGE, "--json", x, "--save-grid", x), FAST_TIMEOUT);
    expect_failure(&r, ARGS("--json", "--save-grid"));
    run_free(&r);
    run_mue(&r, ARGS("scan", "--out", "", HUGE), FAST_TIMEOUT);
    expect_failure(&r, ARGS("--out"));
    run_free(&r);
    char list[256];
    CHECK(&r, dir_entries(dir, list, sizeof list) == 0, "left behind: %s", list);

    /* the longest name a file may have (255 bytes) is written; one byte more is refused */
    int n = snprintf(name, sizeof name, "%s/", dir);
    memset(name + n, 'a', 250);
    strcpy(name + n + 250, ".json");
    RUN(&r, "integrate", ZP10, TINY, "--json", name);
    expect_success(&r);
    json_decref(expect_json(name));
    run_free(&r);
    memset(name + n, 'b', 251);
    strcpy(name + n + 251, ".json");
    run_mue(&r, ARGS("integrate", ZP10, HUGE, "--json", name), FAST_TIMEOUT);
    expect_failure(&r, ARGS("--json"));
    run_free(&r);
}

/* ------------------------------------------------------------------------------------ */
/* 14. messages that name the problem */

static void test_messages_name_the_problem(void **state)
{
    (void)state;
    run_t r;
    RUN(&r, "scan", "--json", "x.json");
    FAIL(&r, "--json");
    run_free(&r);
    RUN(&r, "integrate", "--mass", "1e-320", "--coupling", "1e-3", BUDGET);
    expect_failure(&r, ARGS("--mass", "range"));
    CHECK(&r, !strstr(r.err, "not a number"), "1e-320 is a number");
    run_free(&r);
    /* 1001 masses */
    static char list[1001 * 8];
    size_t n = 0;
    for (int i = 0; i < 1001; i++)
        n += (size_t)snprintf(list + n, sizeof list - n, "%s%.4f", i ? "," : "", 0.001 + 1e-4 * i);
    RUN(&r, "scan", "--masses", list, "--out", "/nonexistent/s", TINY);
    expect_failure(&r, ARGS("--masses", "1000"));
    run_free(&r);
    RUN(&r, "integrate", ZP10, "--no-cuts", "--ee-min", "2", BUDGET);
    expect_failure(&r, ARGS("--no-cuts", "--ee-min"));
    run_free(&r);
    RUN(&r, "integrate", ZP10, "--theta-mu-min", "2mrad", "--no-cuts", BUDGET);
    expect_failure(&r, ARGS("--no-cuts", "--theta-mu-min"));
    run_free(&r);
    /* a cut no event can pass: sigma = 0, and the reason */
    double s, e;
    RUN(&r, "integrate", ZP10, "--theta-mu-min", "6mrad", TINY);
    expect_number(&r, &s, &e);
    CHECK(&r, s == 0.0 && strstr(r.out, "theta_mu^max = 4.836"), "no reason for sigma = 0");
    run_free(&r);
    RUN(&r, "integrate", ZP10, "--ee-min", "145", "--ee-max", "300", TINY);
    expect_number(&r, &s, &e);
    CHECK(&r, s == 0.0 && strstr(r.out, "largest electron energy"), "no reason for sigma = 0");
    run_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_small_masses_and_high_beams_positive),
        cmocka_unit_test(test_kinematics_range),
        cmocka_unit_test(test_weights_never_negative),
        cmocka_unit_test(test_empty_iteration_not_exact),
        cmocka_unit_test(test_coupling_range),
        cmocka_unit_test(test_no_nonfinite_outputs),
        cmocka_unit_test(test_scan_resume_validates),
        cmocka_unit_test(test_too_few_points),
        cmocka_unit_test(test_stdout_write_errors),
        cmocka_unit_test(test_hist_set_is_atomic),
        cmocka_unit_test(test_stale_temporaries_removed),
        cmocka_unit_test(test_output_directory_locks),
        cmocka_unit_test(test_seeds_are_integers),
        cmocka_unit_test(test_omp_num_threads_capped),
        cmocka_unit_test(test_outputs_checked_first),
        cmocka_unit_test(test_messages_name_the_problem),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
