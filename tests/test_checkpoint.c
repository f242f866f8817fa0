/* Checkpoint and restart (--checkpoint, --resume; host/checkpoint.c) in the
 * single-process build: a run killed after iteration k (SIGKILL, by the test-only hook
 * MUE_TEST_KILL_AFTER_CHECKPOINT=k) and resumed from its checkpoint ends with the bits
 * of a run never stopped: the same final checkpoint byte for byte (17-digit doubles:
 * the grid, the VEGAS+ allocation, every iteration's sums and histograms), the same
 * histogram files, the same JSON result. And the bad inputs of both options. */
#include "cli_run.h"
#include "same_output.h"

/* elastic, VEGAS+ by default, histograms: a few hundredths of a second per run */
#define ELASTIC "integrate", "--process", "elastic", "--theta-mu-min", "0.3mrad", "--seed", "11", \
                "--quiet"
#define BUDGET "--points", "60000", "--warmup", "2", "--iterations", "3", "--rel-error", "0"

static void path_in(char *out, size_t len, const char *name)
{
    snprintf(out, len, "%s/%s", scratch, name);
}

/* kill after iteration k of 5 (2 warm-up, 3 production), resume, compare with the
 * uninterrupted run; extra: further options of both runs (NULL: none) */
static void kill_and_resume(int k, const char *extra, const char *extra_val)
{
    char ref_ck[4200], ref_json[4200], ref_hist[4200], ck[4200], json[4200], hist[4200], env[64];
    path_in(ref_ck, sizeof ref_ck, "ref.ck");
    path_in(ref_json, sizeof ref_json, "ref.json");
    path_in(ref_hist, sizeof ref_hist, "ref_hist");
    path_in(ck, sizeof ck, "run.ck");
    path_in(json, sizeof json, "run.json");
    path_in(hist, sizeof hist, "run_hist");
    unlink(ref_ck);
    unlink(ck);
    const char *x = extra ? extra : "--quiet", *xv = extra ? extra_val : "--quiet";
    run_t r = {0};
    run_free(&r);
    RUN(&r, ELASTIC, BUDGET, x, xv, "--checkpoint", ref_ck, "--json", ref_json, "--hist", ref_hist);
    expect_success(&r);

    snprintf(env, sizeof env, "MUE_TEST_KILL_AFTER_CHECKPOINT=%d", k);
    run_env = env;
    run_free(&r);
    RUN(&r, ELASTIC, BUDGET, x, xv, "--checkpoint", ck, "--hist", hist);
    run_env = NULL;
    CHECK(&r, r.signaled && r.sig == SIGKILL, "the hook did not kill the run after iteration %d", k);
    char *text = slurp(ck);
    char want[64];
    snprintf(want, sizeof want, "\"next_iteration\": %d,", k);
    CHECK(&r, text && strstr(text, want), "the checkpoint is not the one after iteration %d", k);
    free(text);

    /* the same options, --resume added; the checkpoint goes on in the same file. The
     * hook stays set: a run that started over instead would be killed again */
    run_env = env;
    run_free(&r);
    RUN(&r, ELASTIC, BUDGET, x, xv, "--resume", ck, "--checkpoint", ck, "--json", json, "--hist", hist);
    run_env = NULL;
    expect_success(&r);
    CHECK(&r, files_equal(ref_ck, ck), "the resumed run's state differs from the uninterrupted one");
    CHECK(&r, results_equal(ref_json, json), "the resumed result differs");
    CHECK(&r, hists_equal(ref_hist, hist), "the resumed histograms differ");
    run_free(&r);
}

static void test_killed_in_warmup(void **state)
{
    (void)state;
    kill_and_resume(1, NULL, NULL);
}

static void test_killed_in_production(void **state)
{
    (void)state;
    kill_and_resume(3, NULL, NULL);
    kill_and_resume(4, NULL, NULL);
}

static void test_classic_and_unstratified(void **state)
{
    (void)state;
    kill_and_resume(3, "--beta", "0");
    kill_and_resume(2, "--no-strata", "--quiet");
}

/* a run that stopped at --rel-error: resuming its last checkpoint runs nothing more and
 * prints the same result */
static void test_resume_finished_run(void **state)
{
    (void)state;
    char ck[4200], a[4200], b[4200];
    path_in(ck, sizeof ck, "done.ck");
    path_in(a, sizeof a, "done_a.json");
    path_in(b, sizeof b, "done_b.json");
    run_t r = {0};
    run_free(&r);
    RUN(&r, ELASTIC, "--points", "60000", "--warmup", "1", "--iterations", "50", "--rel-error",
        "1e-6", "--checkpoint", ck, "--json", a);
    expect_success(&r);
    char *text = slurp(ck);
    CHECK(&r, text && strstr(text, "\"finished\": true"), "the last checkpoint is not marked finished");
    free(text);
    run_free(&r);
    RUN(&r, ELASTIC, "--points", "60000", "--warmup", "1", "--iterations", "50", "--rel-error",
        "1e-6", "--resume", ck, "--json", b);
    expect_success(&r);
    CHECK(&r, results_equal(a, b), "resuming a finished run changed its result");
    run_free(&r);
}

/* --checkpoint-every: the iterations between are not written (the kill hook of
 * iteration 2 never fires), the last one is, with the same bits */
static void test_checkpoint_every(void **state)
{
    (void)state;
    char a[4200], b[4200];
    path_in(a, sizeof a, "every_iter.ck");
    path_in(b, sizeof b, "every_hour.ck");
    run_t r = {0};
    run_free(&r);
    RUN(&r, ELASTIC, BUDGET, "--checkpoint", a);
    expect_success(&r);
    run_env = "MUE_TEST_KILL_AFTER_CHECKPOINT=2";
    run_free(&r);
    RUN(&r, ELASTIC, BUDGET, "--checkpoint", b, "--checkpoint-every", "3600");
    run_env = NULL;
    expect_success(&r);
    CHECK(&r, files_equal(a, b), "the last checkpoint differs");
    run_free(&r);
    RUN(&r, ELASTIC, BUDGET, "--checkpoint", b, "--checkpoint-every", "-1");
    expect_failure(&r, ARGS("--checkpoint-every", "-1"));
    run_free(&r);
    RUN(&r, ELASTIC, BUDGET, "--checkpoint-every", "10");
    expect_failure(&r, ARGS("--checkpoint-every", "only with --checkpoint"));
    run_free(&r);
}

static void test_bad_checkpoint_inputs(void **state)
{
    (void)state;
    char ck[4200], grid[4200], bad[4200], json[4200], nodir[4200];
    path_in(ck, sizeof ck, "bad_src.ck");
    path_in(grid, sizeof grid, "grid.json");
    path_in(bad, sizeof bad, "truncated.ck");
    path_in(json, sizeof json, "same.json");
    path_in(nodir, sizeof nodir, "no/such/dir/x.ck");
    run_t r = {0};
    run_free(&r);
    RUN(&r, ELASTIC, BUDGET, "--checkpoint", ck, "--save-grid", grid);
    expect_success(&r);

    run_free(&r);
    RUN(&r, ELASTIC, BUDGET, "--resume", "/nonexistent/x.ck");
    expect_failure(&r, ARGS("--resume", "/nonexistent/x.ck"));
    CHECK(&r, r.code == 2, "exit status %d, expected 2", r.code);
    /* other settings: another seed; the checkpoint is left as it was */
    char *before = slurp(ck);
    run_free(&r);
    RUN(&r, "integrate", "--process", "elastic", "--theta-mu-min", "0.3mrad", "--seed", "12",
        "--quiet", BUDGET, "--resume", ck, "--checkpoint", ck);
    expect_failure(&r, ARGS("--resume", "another seed", "--seed"));
    char *after = slurp(ck);
    CHECK(&r, before && after && strcmp(before, after) == 0, "a refused resume changed the checkpoint");
    free(before);
    free(after);
    /* a grid file is not a checkpoint */
    run_free(&r);
    RUN(&r, ELASTIC, BUDGET, "--resume", grid);
    expect_failure(&r, ARGS("--resume", "not a mue checkpoint"));
    /* a damaged (half) checkpoint */
    char *text = slurp(ck);
    assert_non_null(text);
    FILE *f = fopen(bad, "w");
    assert_non_null(f);
    fwrite(text, 1, strlen(text) / 2, f);
    fclose(f);
    free(text);
    run_free(&r);
    RUN(&r, ELASTIC, BUDGET, "--resume", bad);
    expect_failure(&r, ARGS("--resume", "truncated.ck"));
    run_free(&r);
    RUN(&r, ELASTIC, BUDGET, "--checkpoint", nodir);
    expect_failure(&r, ARGS("--checkpoint", "cannot write"));
    run_free(&r);
    RUN(&r, ELASTIC, BUDGET, "--checkpoint", json, "--json", json);
    expect_failure(&r, ARGS("--checkpoint", "--json"));
    run_free(&r);
    RUN(&r, ELASTIC, BUDGET, "--checkpoint", "");
    expect_failure(&r, ARGS("--checkpoint", "empty"));
    run_free(&r);
    RUN(&r, ELASTIC, BUDGET, "--resume", "");
    expect_failure(&r, ARGS("--resume", "empty"));
    run_free(&r);
    RUN(&r, ELASTIC, BUDGET, "--resume");
    expect_failure(&r, ARGS("--resume"));
    CHECK(&r, !path_exists(json), "a refused run wrote its --json file");
    run_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_killed_in_warmup),
        cmocka_unit_test(test_killed_in_production),
        cmocka_unit_test(test_classic_and_unstratified),
        cmocka_unit_test(test_resume_finished_run),
        cmocka_unit_test(test_checkpoint_every),
        cmocka_unit_test(test_bad_checkpoint_inputs),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
