/* The automatic schedule (host/vegas/schedule.h; mue integrate with only --rel-error):
 * the rule itself on numbers worked by hand, how the settings turn it on and off, and
 * that the runs it makes are honest and land on their target: for every process, 60
 * seeds against a reference, the pulls of the runs that do not flag their error as
 * unreliable must have an rms near 1 and a mean near 0 (as tests/test_error_honesty.c
 * asks of the fixed schedule), and every such run must reach its --rel-error. The points
 * each case spends are printed (bench_peer.py's user race measures the cost).
 * References: long fixed runs, or docs/physics.md's (the ones test_error_honesty uses),
 * or quadrature (elastic). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "physics1d/elastic_quad.h"
#include "run/integrate.h"
#include "run/settings.h"
#include "vegas/schedule.h"
#include "pulls.h"

#define NSEED 60
#define SEED0 9100u

/* Training: doubles from the floor; ends once it has cost 15 % of what the target
 * needs, or when the grid stops improving, never before the fourth iteration. */
static void test_training_rule(void **state)
{
    (void)state;
    mue_schedule s;
    mue_schedule_init(&s, 1e-3, 20000, 1u << 30, 12);
    assert_int_equal(s.next, 20000);
    assert_true(s.training);
    /* kappa = 0.5 (rel. error 0.5/sqrt(n)): P = 2.5e5 at 1e-3, 8 % of it 2e4: paid from
     * the first, but three are too few to judge */
    const uint64_t n[4] = {20000, 40000, 80000, 160000};
    for (int k = 0; k < 3; k++) {
        mue_schedule_trained(&s, n[k], 10.0, 25.0 / (double)n[k], 1);
        assert_true(s.training);
        assert_int_equal(s.next, 2 * n[k]);
    }
    mue_schedule_trained(&s, n[3], 10.0, 25.0 / (double)n[3], 1);
    assert_false(s.training);
    assert_int_equal(s.next, 125000); /* min(4 n, P / 2) */
    /* at 1e-4, P = 2.5e7: 3e5 trained is 1.2 % of it; then 4 n */
    mue_schedule_init(&s, 1e-4, 20000, 1u << 30, 5);
    for (int k = 0; k < 4; k++) {
        mue_schedule_trained(&s, n[k], 10.0, 25.0 / (double)n[k], 1);
        assert_true(s.training == (k < 3)); /* converged at the fourth: kappa did not fall */
    }
    assert_int_equal(s.next, 640000);

    /* converged: kappa falls by less than 10 % from the fourth iteration on */
    mue_schedule_init(&s, 1e-5, 20000, 1u << 30, 12);
    double kap[5] = {3.0, 2.0, 1.5, 1.2, 1.1};
    uint64_t m = 20000;
    for (int k = 0; k < 5; k++) {
        mue_schedule_trained(&s, m, 1.0, kap[k] * kap[k] / (double)m, 1);
        assert_true(s.training == (k < 4));
        m *= 2;
    }
    /* an iteration with too few nonzero points measures nothing: training goes on */
    mue_schedule_init(&s, 1e-3, 20000, 1u << 30, 12);
    for (int k = 0; k < 6; k++)
        mue_schedule_trained(&s, 20000u << k, 1.0, 1e-12, 0);
    assert_true(s.training);
    assert_int_equal(s.next, 20000u << 6);
    /* the cap on iterations and on points */
    mue_schedule_init(&s, 1e-3, 20000, 50000, 12);
    mue_schedule_trained(&s, 20000, 1.0, 1e-12, 0);
    assert_int_equal(s.next, 40000);
    mue_schedule_trained(&s, 40000, 1.0, 1e-12, 0);
    assert_int_equal(s.next, 50000);
    mue_schedule_trained(&s, 50000, 1.0, 1e-12, 0);
    assert_false(s.training);
}

/* Production: the points that bring E + m kappa^2 to t^2 (N + m)^2, plus 10 %, within
 * [n, 2n] of the last iteration's n. */
static void test_production_rule(void **state)
{
    (void)state;
    mue_schedule s;
    mue_schedule_init(&s, 1e-4, 20000, 1u << 30, 0);
    assert_false(s.training);
    /* one iteration of 1e6 at kappa 0.2: error 2e-4; kappa stays: N + m = 4e6 */
    const double I = 5.0, n = 1e6, kap = 0.2, e = kap / sqrt(n) * I;
    mue_schedule_produced(&s, (uint64_t)n, I, e, I, e, (uint64_t)n);
    assert_int_equal(s.next, 2000000); /* 3.3e6 wanted, 2 n at most */
    /* at 1.3e-4 the same iteration needs m with 4e4 + 0.04 m = t^2 (1e6 + m)^2 */
    const double t = 1.3e-4, E = n * kap * kap;
    const double b = 2 * t * t * n - kap * kap, c = t * t * n * n - E;
    const double want = 1.1 * (-b + sqrt(b * b - 4 * t * t * c)) / (2 * t * t);
    mue_schedule_init(&s, t, 20000, 1u << 30, 0);
    mue_schedule_produced(&s, (uint64_t)n, I, e, I, e, (uint64_t)n);
    assert_true(want > n && want < 2 * n);
    assert_true(fabs((double)s.next - want) <= 1.0);
    /* the combined error with them at kappa 0.2 is at the target, or below */
    const double m = (double)s.next;
    assert_true(sqrt(E + m * kap * kap) / (n + m) <= t);
    /* nearly there: still no fewer points than the last iteration (a smaller one
     * samples worse, and a run of ever smaller ones crawls to the target) */
    mue_schedule_produced(&s, 1000000, I, 0.2e-3 * I, I, 1.31e-4 * I, 2000000);
    assert_int_equal(s.next, 1000000);
    /* already there: one more of a quarter of the size (a second one is needed for chi2) */
    mue_schedule_produced(&s, 1000000, I, 1e-5 * I, I, 1e-5 * I, 1000000);
    assert_int_equal(s.next, 250000);
}

/* The settings: auto only with --rel-error alone */
static int resolve(const mue_option *o, int n, mue_run_config *c, char *why)
{
    return mue_settings_resolve(MUE_CMD_INTEGRATE, o, n, c, why, 512);
}

static void test_settings(void **state)
{
    (void)state;
    static mue_run_config c;
    char why[512];
    mue_option o[5] = {{"mass", "100MeV"}, {"coupling", "1e-3"}, {"rel-error", "1e-3"}};
    assert_int_equal(resolve(o, 3, &c, why), 0);
    assert_int_equal(c.schedule, MUE_SCHEDULE_AUTO);
    assert_int_equal(c.points, MUE_AUTO_FIRST_POINTS);
    assert_int_equal(c.warmup, MUE_AUTO_MAX_TRAINING);
    const char *fixing[] = {"points", "warmup", "iterations"};
    const char *vals[] = {"1e5", "3", "4"};
    for (int k = 0; k < 3; k++) {
        o[3] = (mue_option){fixing[k], vals[k]};
        assert_int_equal(resolve(o, 4, &c, why), 0);
        assert_int_equal(c.schedule, MUE_SCHEDULE_FIXED);
        o[4] = (mue_option){"schedule", "auto"};
        assert_int_equal(resolve(o, 5, &c, why), 1);
        assert_non_null(strstr(why, fixing[k]));
    }
    o[3] = (mue_option){"checkpoint", "/tmp/x.json"};
    assert_int_equal(resolve(o, 4, &c, why), 0);
    assert_int_equal(c.schedule, MUE_SCHEDULE_FIXED);
    o[2] = (mue_option){"rel-error", "0"};
    assert_int_equal(resolve(o, 3, &c, why), 0);
    assert_int_equal(c.schedule, MUE_SCHEDULE_FIXED);
    o[3] = (mue_option){"schedule", "auto"};
    assert_int_equal(resolve(o, 4, &c, why), 1);
    assert_non_null(strstr(why, "rel-error"));
    o[3] = (mue_option){"schedule", "sometimes"};
    assert_int_equal(resolve(o, 4, &c, why), 1);
    /* the process's own floor: mueg needs 2e4 per iteration, as the default start */
    o[0] = (mue_option){"process", "mueg"};
    assert_int_equal(resolve(o, 1, &c, why), 0);
    assert_int_equal(c.schedule, MUE_SCHEDULE_AUTO);
    assert_true(c.points >= 20000);
}

typedef struct {
    const char *name;
    mue_option opt[4];
    int nopt;
    const char *target;
    double ref, ref_err;
} auto_case;

/* NSEED seeds of c at the automatic schedule: pulls, and each run's error on target */
static void coverage(const auto_case *pc)
{
    static mue_run_config c;
    static mue_run_result r;
    char why[512], seed[32];
    mue_option o[8];
    memcpy(o, pc->opt, sizeof o[0] * pc->nopt);
    int n = pc->nopt;
    o[n++] = (mue_option){"rel-error", pc->target};
    o[n++] = (mue_option){"seed", seed};
    double pts = 0.0, it = 0.0, tr = 0.0;
    pull_rms pr = {0};
    for (int s = 0; s < NSEED; s++) {
        snprintf(seed, sizeof seed, "%u", SEED0 + (unsigned)s);
        if (resolve(o, n, &c, why) || mue_run_integrate(&c, &r, why, sizeof why))
            fail_msg("%s: %s", pc->name, why);
        assert_int_equal(c.schedule, MUE_SCHEDULE_AUTO);
        pts += (double)r.v.points;
        it += r.v.iterations;
        tr += r.v.warmup;
        if (r.error_unreliable)
            continue;
        /* the target reached */
        if (!(r.sigma_err_fb <= c.rel_error * r.sigma_fb))
            fail_msg("%s seed %s: relative error %.3g above the target %g", pc->name, seed,
                     r.sigma_err_fb / r.sigma_fb, c.rel_error);
        pull_rms_add(&pr, (r.sigma_fb - pc->ref) / hypot(r.sigma_err_fb, pc->ref_err));
    }
    print_message("%-22s target %-5s: %.3g points, %.1f training + %.1f iterations on average; "
                  "%d of %d without a warning",
                  pc->name, pc->target, pts / NSEED, tr / NSEED, it / NSEED, pr.n, NSEED);
    /* a schedule that flags most of its own runs is no schedule */
    if (pr.n < NSEED * 2 / 3)
        fail_msg("%s: only %d of %d runs without a warning on their error", pc->name, pr.n, NSEED);
    char what[96];
    snprintf(what, sizeof what, "%s to %s", pc->name, pc->target);
    pull_rms_check(&pr, what);
}

/* a long fixed run of the same settings as the reference */
static void with_long_reference(auto_case *pc)
{
    static mue_run_config c;
    static mue_run_result r;
    char why[512];
    mue_option o[8];
    memcpy(o, pc->opt, sizeof o[0] * pc->nopt);
    int n = pc->nopt;
    o[n++] = (mue_option){"points", "2e6"};
    o[n++] = (mue_option){"iterations", "10"};
    o[n++] = (mue_option){"rel-error", "0"};
    o[n++] = (mue_option){"seed", "424242"};
    if (resolve(o, n, &c, why) || mue_run_integrate(&c, &r, why, sizeof why))
        fail_msg("%s: %s", pc->name, why);
    pc->ref = r.sigma_fb;
    pc->ref_err = r.sigma_err_fb;
    coverage(pc);
}

static void test_zprime(void **state)
{
    (void)state;
    auto_case z100 = {"zprime 100 MeV", {{"mass", "100MeV"}, {"coupling", "1e-3"}}, 2, "1e-3", 0, 0};
    with_long_reference(&z100);
    /* where production is sized by the rule, not by the floor: 2e6 points a run */
    z100.target = "2e-4";
    coverage(&z100);
    auto_case z10 = {"zprime 10 MeV", {{"mass", "10MeV"}, {"coupling", "1e-3"}}, 2, "1e-3", 0, 0};
    with_long_reference(&z10);
    /* the peaked case of test_error_honesty, its reference */
    const auto_case z1 = {"zprime 1 MeV", {{"mass", "1MeV"}, {"coupling", "1e-3"}}, 2, "2e-3", 146.558,
                          0.0263};
    coverage(&z1);
}

static void test_elastic(void **state)
{
    (void)state;
    auto_case el = {"elastic, cut (ii)", {{"process", "elastic"}, {"theta-mu-min", "0"}}, 2, "1e-4", 0, 0};
    mue_params p = mue_params_default();
    p.cuts.theta_mu_min = 0.0;
    el.ref = mue_elastic_sigma_quad(&p, p.cuts.ee_min, p.cuts.ee_max, &el.ref_err);
    coverage(&el);
}

static void test_backgrounds(void **state)
{
    (void)state;
    /* test_error_honesty's references (docs/physics.md) */
    const auto_case mueg = {"mueg", {{"process", "mueg"}}, 1, "1e-2", 3.3859e7, 3.2e4};
    coverage(&mueg);
    const auto_case muenn = {"muenn", {{"process", "muenn"}}, 1, "2e-2", 1.0619e-7, 0.0011e-7};
    coverage(&muenn);
}

/* the rule reads only the iterations' sums: the same bits on any thread count */
static void test_threads(void **state)
{
    (void)state;
    static mue_run_config c;
    static mue_run_result r1, r2;
    char why[512];
    mue_option o[4] = {{"mass", "10MeV"}, {"coupling", "1e-3"}, {"rel-error", "1e-3"}, {"threads", "1"}};
    assert_int_equal(resolve(o, 4, &c, why), 0);
    assert_int_equal(mue_run_integrate(&c, &r1, why, sizeof why), 0);
    o[3].value = "2";
    assert_int_equal(resolve(o, 4, &c, why), 0);
    assert_int_equal(mue_run_integrate(&c, &r2, why, sizeof why), 0);
    assert_true(r1.sigma_fb == r2.sigma_fb && r1.sigma_err_fb == r2.sigma_err_fb);
    assert_int_equal(r1.v.points, r2.v.points);
    assert_int_equal(r1.v.warmup, r2.v.warmup);
    assert_true(r1.v.warmup >= 4 && r1.v.iterations >= 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_training_rule), cmocka_unit_test(test_production_rule),
        cmocka_unit_test(test_settings),      cmocka_unit_test(test_threads),
        cmocka_unit_test(test_elastic),       cmocka_unit_test(test_zprime),
        cmocka_unit_test(test_backgrounds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
