/* mue sensitivity: with no background the expected 95 % CL limit is N = -ln 0.05 =
 * 2.996 signal events, so g95 = sqrt(2.996 / (sigma/g^2 L BR)); checked against
 * independent `mue integrate` runs and a branching ratio computed here from the partial
 * widths, below and above 2 m_mu. A background and its uncertainty move the limit the
 * way the counting statistics say (tests/test_counting.c checks those against Poisson
 * toys); the JSON holds every field, null where a number is undefined; bad input is
 * refused. */
#include "cli_run.h"

#include <jansson.h>

#define M_MU 0.1056583755
#define M_TAU 1.77693

/* docs/physics.md Eqs. (D.1)-(D.3), written again from the formulas: BR(Z' -> nu nubar) */
static double br_invisible(double m)
{
    double nn = 2.0 * m / (24.0 * M_PI), ll = 0.0;
    const double ml[2] = {M_MU, M_TAU};
    for (int k = 0; k < 2; k++) {
        const double r = ml[k] * ml[k] / (m * m);
        if (4.0 * r < 1.0)
            ll += m / (12.0 * M_PI) * (1.0 + 2.0 * r) * sqrt(1.0 - 4.0 * r);
    }
    return nn / (nn + ll);
}

static double sigma_at(const char *mass, double *err)
{
    run_t r;
    RUN(&r, "integrate", "--process", "zprime", "--mass", mass, "--coupling", "1e-3", "--rel-error",
        "1e-3", "--seed", "7", "--quiet");
    expect_success(&r);
    double s;
    assert_true(sigma_of(r.out, &s, err));
    run_free(&r);
    return s;
}

static json_t *sensitivity(const char *dir, const char *const *extra)
{
    char js[4300];
    snprintf(js, sizeof js, "%s/s.json", dir);
    const char *args[MAXARGS] = {"sensitivity", "--out", dir, "--json", js, "--masses", "0.01,0.15,0.25",
                                 "--quiet"};
    int n = 8;
    for (; extra && *extra; extra++)
        args[n++] = *extra;
    args[n] = NULL;
    run_t r;
    run_mue(&r, args, 120.0);
    expect_success(&r);
    run_free(&r);
    json_error_t e;
    json_t *j = json_load_file(js, 0, &e);
    if (!j)
        fail_msg("%s: %s", js, e.text);
    return j;
}

static double num(const json_t *o, const char *key)
{
    const json_t *v = json_object_get(o, key);
    if (!json_is_number(v))
        fail_msg("sensitivity JSON: %s is not a number", key);
    return json_number_value(v);
}

/* B = 0: the closed form to 0.5 % (MC errors of 0.1-0.3 % on sigma, half that on g) */
static void test_no_background_closed_form(void **state)
{
    (void)state;
    char dir[4200];
    make_dir(dir, sizeof dir, "b0");
    json_t *j = sensitivity(dir, ARGS("--background", "0"));
    const json_t *rows = json_object_get(j, "rows");
    assert_int_equal(json_array_size(rows), 3);
    const char *mass[3] = {"0.01", "0.15", "0.25"};
    for (int i = 0; i < 3; i++) {
        const json_t *r = json_array_get(rows, i);
        double err, s = sigma_at(mass[i], &err);
        const double m = atof(mass[i]), br = br_invisible(m);
        const double g95 = sqrt(-log(0.05) / (s / 1e-6 * 15.0 * br));
        print_message("m = %s GeV: BR %.6f (mue %.6f), g95 %.6g, closed form %.6g (%.3f %%)\n", mass[i],
                      br, num(r, "br_invisible"), num(r, "g95"), g95, 100.0 * (num(r, "g95") / g95 - 1.0));
        assert_true(fabs(num(r, "br_invisible") / br - 1.0) < 1e-12);
        assert_true(fabs(num(r, "g95") / g95 - 1.0) < 5e-3);
        assert_true(m < 2.0 * M_MU ? br == 1.0 : br < 0.7);
        /* no background: every band edge is the median, no discovery reach */
        const json_t *band = json_object_get(r, "g95_band");
        assert_int_equal(json_array_size(band), 5);
        for (int k = 0; k < 5; k++)
            assert_true(json_number_value(json_array_get(band, k)) == num(r, "g95"));
        assert_true(json_is_null(json_object_get(r, "g_3sigma")) && json_is_null(json_object_get(r, "g_5sigma")));
        assert_true(num(r, "background") == 0.0 && num(r, "mass_gev") == m);
        assert_true(num(r, "signal_per_g2") > 0.0);
    }
    json_decref(j);
    /* --no-br: the paper's N_sig, the same below 2 m_mu, weaker BR-free limits above */
    make_dir(dir, sizeof dir, "nobr");
    json_t *k = sensitivity(dir, ARGS("--background", "0", "--no-br"));
    const json_t *r = json_array_get(json_object_get(k, "rows"), 2);
    assert_true(num(r, "br_invisible") == 1.0);
    json_decref(k);
}

/* A background: the limit grows with B and its uncertainty, the bands open and are
 * ordered, and the discovery reach is defined, 5 sigma above 3 sigma above the limit
 * scale; for B = 100 without uncertainty the median limit is about 2 sqrt(B) = 20
 * events (21.4 here): between 15 and 25 */
static void test_background_moves_the_reach(void **state)
{
    (void)state;
    char dir[4200];
    make_dir(dir, sizeof dir, "b100");
    json_t *a = sensitivity(dir, ARGS("--background", "100"));
    make_dir(dir, sizeof dir, "b100s");
    json_t *b = sensitivity(dir, ARGS("--background", "100", "--background-syst", "0.3"));
    const json_t *ra = json_array_get(json_object_get(a, "rows"), 0),
                 *rb = json_array_get(json_object_get(b, "rows"), 0);
    const double s1 = num(ra, "signal_per_g2"), s95 = s1 * num(ra, "g95") * num(ra, "g95");
    print_message("B = 100: s95 %.4g events, g95 %.4g (syst 0.3: %.4g), g3 %.4g, g5 %.4g\n", s95,
                  num(ra, "g95"), num(rb, "g95"), num(ra, "g_3sigma"), num(ra, "g_5sigma"));
    assert_true(s95 > 15.0 && s95 < 25.0);
    assert_true(num(rb, "g95") > num(ra, "g95"));
    const json_t *band = json_object_get(ra, "g95_band");
    for (int k = 0; k < 4; k++)
        assert_true(json_number_value(json_array_get(band, k)) < json_number_value(json_array_get(band, k + 1)));
    assert_true(num(ra, "g_5sigma") > num(ra, "g_3sigma") && num(ra, "g_3sigma") > 0.0);
    json_decref(a);
    json_decref(b);
}

static void test_bad_input(void **state)
{
    (void)state;
    char dir[4200];
    make_dir(dir, sizeof dir, "bad");
    run_t r;
    RUN(&r, "sensitivity", "--out", dir, "--masses", "0.01");
    expect_failure(&r, ARGS("--background", "--detector"));
    run_free(&r);
    RUN(&r, "sensitivity", "--out", dir, "--masses", "0.01", "--background", "-1");
    expect_failure(&r, ARGS("--background"));
    run_free(&r);
    RUN(&r, "sensitivity", "--out", dir, "--masses", "0.01", "--background", "1", "--background-syst", "nan");
    expect_failure(&r, ARGS("--background-syst"));
    run_free(&r);
    RUN(&r, "sensitivity", "--out", dir, "--masses", "0.01", "--background", "1", "--optimise");
    expect_failure(&r, ARGS("--optimise"));
    run_free(&r);
    RUN(&r, "sensitivity", "--out", dir, "--process", "mueg", "--background", "1");
    expect_failure(&r, ARGS("--process", "mass"));
    run_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_background_closed_form),
        cmocka_unit_test(test_background_moves_the_reach),
        cmocka_unit_test(test_bad_input),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
