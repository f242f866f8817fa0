/* Are the errors of the runs without a warning about them honest? For the peaked
 * processes at small budgets (mueg and muenn at 2e3, 5e3 and 2e4 points per iteration,
 * the Z' at 1 MeV with 2e4), 30 seeds each at the defaults (5 warm-up, 10 production
 * iterations) against a reference: among the runs that do not flag their error as
 * unreliable (mue_run_result.error_unreliable: disagreeing iterations, pooled lean
 * iterations, few effective points, fewer points than the process needs), the pulls must
 * have an rms near 1 and a mean near 0. A budget where every run flags itself passes
 * for that reason, and says so. References: long runs (docs/physics.md and
 * docs/guide.md quote them), their errors added in quadrature. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "run/integrate.h"
#include "run/settings.h"
#include "pulls.h"

#define NSEED 30
#define SEED0 7000u

typedef struct {
    const char *name;
    mue_option opt[4];
    int nopt;
    double ref, ref_err;
} process_case;

static void honesty(const process_case *pc, const char *points)
{
    static mue_run_config c;
    static mue_run_result r;
    char why[512], seed[32];
    mue_option o[8];
    memcpy(o, pc->opt, sizeof o[0] * pc->nopt);
    int n = pc->nopt;
    o[n++] = (mue_option){"points", points};
    o[n++] = (mue_option){"rel-error", "0"};
    o[n++] = (mue_option){"seed", seed};
    pull_rms pr = {0};
    int flagged = 0;
    for (int s = 0; s < NSEED; s++) {
        snprintf(seed, sizeof seed, "%u", SEED0 + (unsigned)s);
        if (mue_settings_resolve(MUE_CMD_INTEGRATE, o, n, &c, why, sizeof why) ||
            mue_run_integrate(&c, &r, why, sizeof why))
            fail_msg("%s: %s", pc->name, why);
        if (r.error_unreliable) {
            flagged++;
            continue;
        }
        pull_rms_add(&pr, (r.sigma_fb - pc->ref) / hypot(r.sigma_err_fb, pc->ref_err));
    }
    print_message("%-7s %6s points: %2d of %d seeds without a warning on their error", pc->name, points,
                  pr.n, NSEED);
    if (pr.n < 10) {
        print_message(" (too few to judge: the budget is flagged as too small)\n");
        /* what is not judged must at least be flagged, every one of them */
        assert_true(pr.n + flagged == NSEED);
        return;
    }
    char what[96];
    snprintf(what, sizeof what, "%s at %s points", pc->name, points);
    pull_rms_check(&pr, what);
}

static const process_case mueg = {"mueg", {{"process", "mueg"}}, 1, 3.3859e7, 3.2e4};
static const process_case muenn = {"muenn", {{"process", "muenn"}}, 1, 1.0619e-7, 0.0011e-7};
static const process_case light = {"zprime", {{"process", "zprime"}, {"mass", "1MeV"}, {"coupling", "1e-3"}},
                                   3, 146.558, 0.0263};

static void test_mueg(void **state)
{
    (void)state;
    honesty(&mueg, "2e3");
    honesty(&mueg, "5e3");
    honesty(&mueg, "2e4");
}

static void test_muenn(void **state)
{
    (void)state;
    honesty(&muenn, "2e3");
    honesty(&muenn, "5e3");
    honesty(&muenn, "2e4");
}

static void test_light_zprime(void **state)
{
    (void)state;
    honesty(&light, "2e4");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mueg),
        cmocka_unit_test(test_muenn),
        cmocka_unit_test(test_light_zprime),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
