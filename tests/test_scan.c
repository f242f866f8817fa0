/* The (m, g) scan: it equals single integrations, its g^2 scaling equals a direct run
 * at another coupling, and an interrupted scan resumes without redoing masses. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "run/scan.h"

static char dir[256];

static mue_run_config base(void)
{
    mue_run_config c = mue_run_config_default();
    c.par.input[MUE_ZPRIME_COUPLING] = 1e-3;
    c.points = 60000;
    c.warmup = 2;
    c.iterations = 3;
    c.rel_error = 0.0;
    return c;
}

static int nresumed;
static void count_resumed(int i, int n, const mue_scan_row *r, int resumed)
{
    (void)i, (void)n, (void)r;
    nresumed += resumed;
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/mue-test-scan-%ld", (long)getpid());
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd);
}

/* Same settings and seed: every scan row is bit-identical to `mue integrate`. */
static void test_scan_equals_single_runs(void **state)
{
    (void)state;
    mue_run_config c = base();
    const double m[3] = {0.005, 0.05, 0.2};
    mue_scan_row rows[3];
    char why[256];
    assert_int_equal(mue_scan_run(&c, m, 3, dir, 1, rows, NULL, NULL, NULL, why, sizeof why), 0);
    for (int i = 0; i < 3; i++) {
        mue_run_config d = c;
        d.par.input[MUE_ZPRIME_MASS] = m[i];
        mue_run_result r;
        assert_int_equal(mue_run_integrate(&d, &r, why, sizeof why), 0);
        assert_true(rows[i].sigma == r.sigma_fb);
        assert_true(rows[i].err == r.sigma_err_fb);
    }
}

/* N(m, g) = sigma(m, g_ref) (g/g_ref)^2: a direct run at g = 2.7e-4 agrees to
 * rounding, since the weights scale exactly and the grid adapts to their shape. */
static void test_g2_scaling_against_direct_run(void **state)
{
    (void)state;
    mue_run_config c = base();
    const double m[1] = {0.03};
    mue_scan_row row;
    char why[256];
    assert_int_equal(mue_scan_run(&c, m, 1, dir, 1, &row, NULL, NULL, NULL, why, sizeof why), 0);
    mue_run_config d = c;
    d.par.input[MUE_ZPRIME_MASS] = m[0];
    d.par.input[MUE_ZPRIME_COUPLING] = 2.7e-4;
    mue_run_result r;
    assert_int_equal(mue_run_integrate(&d, &r, why, sizeof why), 0);
    double scaled = row.sigma * (2.7e-4 / 1e-3) * (2.7e-4 / 1e-3);
    assert_true(fabs(r.sigma_fb / scaled - 1.0) < 1e-12);
    /* and the coupling for N events follows from it */
    double g10 = mue_scan_coupling_for(&row, 1e-3, c.lumi_fb, 10.0);
    assert_true(fabs(row.sigma * (g10 / 1e-3) * (g10 / 1e-3) * c.lumi_fb / 10.0 - 1.0) < 1e-12);
}

/* A scan cut short resumes: the masses done are read back, not recomputed; other
 * settings are refused. */
static void test_resume(void **state)
{
    (void)state;
    mue_run_config c = base();
    const double m[4] = {0.002, 0.02, 0.1, 0.25};
    mue_scan_row first[2], all[4];
    char why[256];
    assert_int_equal(mue_scan_run(&c, m, 2, dir, 1, first, NULL, NULL, NULL, why, sizeof why), 0);
    nresumed = 0;
    assert_int_equal(mue_scan_run(&c, m, 4, dir, 0, all, NULL, NULL, count_resumed, why, sizeof why), 0);
    assert_int_equal(nresumed, 2);
    for (int i = 0; i < 2; i++)
        assert_true(fabs(all[i].sigma / first[i].sigma - 1.0) < 1e-9); /* through %.10g */
    char path[300], line[4096];
    snprintf(path, sizeof path, "%s/scan.csv", dir);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    int rows = 0;
    while (fgets(line, sizeof line, f))
        rows += line[0] >= '0' && line[0] <= '9';
    fclose(f);
    assert_int_equal(rows, 4);
    mue_run_config other = c;
    other.par.cuts.ee_min = 2.0;
    assert_int_not_equal(mue_scan_run(&other, m, 4, dir, 0, all, NULL, NULL, NULL, why, sizeof why), 0);
    assert_non_null(strstr(why, "other settings"));
    /* plain importance sampling gives other numbers: its rows are not stratified ones */
    other = c;
    other.no_strata = 1;
    assert_int_not_equal(mue_scan_run(&other, m, 4, dir, 0, all, NULL, NULL, NULL, why, sizeof why), 0);
    assert_non_null(strstr(why, "other settings"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scan_equals_single_runs),
        cmocka_unit_test(test_g2_scaling_against_direct_run),
        cmocka_unit_test(test_resume),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
