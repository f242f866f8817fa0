/* The beam and target model (--beam-model): sigma is the average of sigma(E) over the
 * beam's energy spread, checked against a Gauss-Hermite average of fixed-energy runs;
 * each event carries its own incoming muon, whose energy and angles have the asked
 * spreads, and the cuts hold against that muon's direction (not the beam axis); the
 * HepMC3 vertices lie in the target (read back by pyhepmc); the same file for any
 * thread count; bad models refused. */
#include "cli_run.h"

#include "lhe_read.h"

#define ZP10 "--process", "zprime", "--mass", "10MeV", "--coupling", "1e-3"
#define VENV_PY "build/venv/bin/python"
#define E0 150.0
#define SPREAD 0.05

static double integrate_sigma(const char *energy, const char *model, double *err)
{
    run_t r;
    const char *args[MAXARGS] = {"integrate", ZP10, "--beam-energy", energy, "--rel-error", "3e-4",
                                 "--quiet"};
    int n = 11;
    if (model) {
        args[n++] = "--beam-model";
        args[n++] = model;
    }
    args[n] = NULL;
    run_mue(&r, args, 120.0);
    expect_success(&r);
    double s;
    assert_true(sigma_of(r.out, &s, err));
    run_free(&r);
    return s;
}

/* Eq. (B.2): with a Gaussian spread, sigma is the average of sigma(E) over the beam.
 * Five Gauss-Hermite nodes integrate a polynomial of degree 9 exactly; sigma(E) moves
 * by under 1 % over +-3 spreads, so the rule is exact far below the errors. The model
 * must also differ from the nominal energy's sigma (by 0.7 % here, ten times the error):
 * a beam model that did nothing would fail. */
static void test_sigma_is_beam_average(void **state)
{
    (void)state;
    static const double x[5] = {-2.8569700138728056, -1.3556261799742659, 0.0, 1.3556261799742659,
                                2.8569700138728056};
    static const double w[5] = {0.011257411327720689, 0.22207592200561264, 0.53333333333333333,
                                0.22207592200561264, 0.011257411327720689};
    double avg = 0.0, var = 0.0, e0err = 0.0, s0 = 0.0;
    for (int k = 0; k < 5; k++) {
        char e[64];
        snprintf(e, sizeof e, "%.17g", E0 * (1.0 + SPREAD * x[k]));
        double err, s = integrate_sigma(e, NULL, &err);
        avg += w[k] * s;
        var += w[k] * w[k] * err * err;
        if (k == 2)
            s0 = s, e0err = err;
    }
    double err, bm = integrate_sigma("150", "spread=0.05", &err);
    const double comb = sqrt(var + err * err), pull = (bm - avg) / comb;
    print_message("beam model %.6g +- %.3g fb; Gauss-Hermite average %.6g +- %.3g fb (pull %.2f); "
                  "nominal energy %.6g +- %.3g fb\n",
                  bm, err, avg, sqrt(var), pull, s0, e0err);
    if (!(fabs(pull) < 4.0))
        fail_msg("sigma with the beam model %.6g +- %.3g fb is not the average %.6g +- %.3g fb", bm,
                 err, avg, sqrt(var));
    if (!(fabs(bm - s0) > 5.0 * hypot(err, e0err)))
        fail_msg("the beam model does not move sigma (%.6g against %.6g fb)", bm, s0);
}

static void generate(const char *out, const char *format, const char *threads)
{
    run_t r;
    const char *args[] = {"generate", ZP10, "--events", "3000", "--out", out, "--format", format,
                          "--threads", threads, "--points", "2e5", "--iterations", "3",
                          "--warmup", "2", "--quiet", "--beam-model",
                          "spread=0.05,div_x=2mrad,div_y=1mrad,spot_x=0.01,spot_y=0.02,"
                          "target_z=0.5,target_len=0.015",
                          NULL};
    run_mue(&r, args, 120.0);
    expect_success(&r);
    run_free(&r);
}

static double angle(const double *a, const double *b)
{
    const double cx = a[1] * b[2] - a[2] * b[1], cy = a[2] * b[0] - a[0] * b[2],
                 cz = a[0] * b[1] - a[1] * b[0];
    return atan2(sqrt(cx * cx + cy * cy + cz * cz), a[0] * b[0] + a[1] * b[1] + a[2] * b[2]);
}

/* Each event's incoming muon has the asked spreads (rms to 4/sqrt(2N): 7 % for 3000
 * events), and the cuts hold about it: theta_mu > 1.5 mrad against the incoming muon
 * for every event, while against the beam axis, 2 mrad of divergence brings some below
 * (what a selection about the nominal axis would have cut). */
static void test_events_about_their_muon(void **state)
{
    (void)state;
    char ev[4300];
    snprintf(ev, sizeof ev, "%s/bm.lhe", scratch);
    generate(ev, "lhef", "2");
    gzFile f = gzopen(ev, "rb");
    assert_non_null(f);
    lhe_event x;
    long n = 0, below_axis = 0;
    double se = 0.0, se2 = 0.0, stx2 = 0.0, sty2 = 0.0, worst_cut = 1.0, worst_p = 0.0;
    const double z[3] = {0.0, 0.0, 1.0};
    while (next_event(f, &x)) {
        assert_true(x.q[0].st == -1 && x.q[0].id == 13);
        const double *in = x.q[0].p, *out = NULL;
        double sum[4] = {0};
        for (int k = 0; k < x.n; k++) {
            const double sg = x.q[k].st == -1 ? -1.0 : x.q[k].st == 1 ? 1.0 : 0.0;
            for (int c = 0; c < 4; c++)
                sum[c] += sg * x.q[k].p[c];
            if (x.q[k].st == 1 && x.q[k].id == 13)
                out = x.q[k].p;
        }
        assert_non_null(out);
        for (int c = 0; c < 4; c++)
            worst_p = fmax(worst_p, fabs(sum[c]) / in[3]);
        const double de = in[3] / E0 - 1.0;
        se += de, se2 += de * de;
        stx2 += (in[0] / in[2]) * (in[0] / in[2]), sty2 += (in[1] / in[2]) * (in[1] / in[2]);
        worst_cut = fmin(worst_cut, angle(out, in));
        below_axis += angle(out, z) < 1.5e-3;
        n++;
    }
    gzclose(f);
    assert_int_equal(n, 3000);
    const double rms_e = sqrt(se2 / n - (se / n) * (se / n)), rms_x = sqrt(stx2 / n), rms_y = sqrt(sty2 / n);
    const double tol = 4.0 / sqrt(2.0 * n);
    print_message("%ld events: E rms %.4g, theta_x rms %.4g mrad, theta_y %.4g mrad; smallest "
                  "theta_mu about the muon %.4g mrad, %ld events below 1.5 mrad about the axis; "
                  "momentum balance %.2g\n",
                  n, rms_e, 1e3 * rms_x, 1e3 * rms_y, 1e3 * worst_cut, below_axis, worst_p);
    assert_true(fabs(rms_e / SPREAD - 1.0) < tol);
    assert_true(fabs(rms_x / 2e-3 - 1.0) < tol && fabs(rms_y / 1e-3 - 1.0) < tol);
    if (!(worst_cut > 1.5e-3 * (1.0 - 1e-9)))
        fail_msg("an event has theta_mu %.6g mrad about its own muon, below the cut", 1e3 * worst_cut);
    assert_true(below_axis > 0);
    assert_true(worst_p < 1e-12);
    /* LHEF has no vertex: the header says where they are */
    char *t = slurp(ev);
    assert_non_null(t);
    assert_non_null(strstr(t, "LHEF has no vertex"));
    free(t);
}

/* The same events for any thread count, the vertices in the target (pyhepmc reads them:
 * tests/check_event_files.py, uniform in z by Kolmogorov-Smirnov, the spot's rms). */
static void test_hepmc3_vertices_and_threads(void **state)
{
    (void)state;
    char a[4300], b[4300];
    snprintf(a, sizeof a, "%s/bm1.hepmc3", scratch);
    snprintf(b, sizeof b, "%s/bm2.hepmc3", scratch);
    generate(a, "hepmc3", "1");
    generate(b, "hepmc3", "2");
    char *ta = slurp(a), *tb = slurp(b);
    assert_non_null(ta);
    assert_non_null(tb);
    const char *sg = strstr(ta, "\nA mue_sigma_pb ");
    assert_non_null(sg);
    const double sigma_pb = strtod(sg + 16, NULL);
    const char *ea = strstr(ta, "\nE 1 "), *eb = strstr(tb, "\nE 1 ");
    assert_non_null(ea);
    assert_non_null(eb);
    if (strcmp(ea, eb) != 0)
        fail_msg("1 and 2 threads write other events with a beam model");
    assert_non_null(strstr(ea, "V -1 0 [1,2] @ "));
    free(ta);
    free(tb);
    if (access(VENV_PY, X_OK) != 0)
        fail_msg("%s missing: make test builds it (make venv installs pyhepmc)", VENV_PY);
    char cmd[9000];
    snprintf(cmd, sizeof cmd,
             "%s tests/check_event_files.py hepmc3 '%s' 3000 %.17g 0 "
             "--beam 150,0.05,2e-3,1e-3,0.01,0.02,0.5,0.015 2>&1",
             VENV_PY, a, sigma_pb);
    char out[4096];
    int rc = run_checker(cmd, out, sizeof out);
    print_message("  %s", out);
    if (rc != 0)
        fail_msg("%s", out);
}

static void test_bad_models_refused(void **state)
{
    (void)state;
    run_t r;
    RUN(&r, "integrate", ZP10, "--beam-model", "spread=0.2");
    expect_failure(&r, ARGS("--beam-model", "spread"));
    run_free(&r);
    RUN(&r, "integrate", ZP10, "--beam-model", "pitch=1");
    expect_failure(&r, ARGS("--beam-model", "pitch"));
    run_free(&r);
    RUN(&r, "integrate", ZP10, "--beam-model", "spread=0.01,,div_x=1");
    expect_failure(&r, ARGS("--beam-model", "empty"));
    run_free(&r);
    RUN(&r, "integrate", ZP10, "--beam-model", "div_x=-1mrad");
    expect_failure(&r, ARGS("--beam-model", "div_x"));
    run_free(&r);
    /* a muon 8.6 spreads low must stay above m_mu */
    RUN(&r, "integrate", "--process", "elastic", "--beam-energy", "0.5", "--no-cuts", "--beam-model",
        "spread=0.1");
    expect_failure(&r, ARGS("--beam-model", "muon mass"));
    run_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sigma_is_beam_average),
        cmocka_unit_test(test_events_about_their_muon),
        cmocka_unit_test(test_hepmc3_vertices_and_threads),
        cmocka_unit_test(test_bad_models_refused),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
