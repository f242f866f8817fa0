/* mue-mpi (`make mpi`; host/mpi_main.c, dist_iteration.c) against the single-process
 * mue: `mpirun -np 1, 2, 3` give the bits of build/mue-cpu with the same seed, on
 * integrate (VEGAS+, classic strata, no strata; the final checkpoints byte for byte,
 * the histograms, the JSON result) and on a short scan, with iterations of 3 slices, so
 * that 2 ranks split them unevenly; a rank killed mid-run ends the job (no hang) with a
 * checkpoint that a job of another size resumes to the same bits; ranks started with
 * other arguments, or whose settings differ (test-only hook MUE_TEST_MPI_PERTURB_RANK),
 * are refused with one line and exit 2; a leader that stops early does not leave the
 * others waiting. Without mpirun or build/mue-mpi every test says why and is skipped. */
#include "cli_run.h"
#include "same_output.h"

#define MPI_TIMEOUT 180.0
/* 3 slices per iteration (3.2e6 points, iteration.h: 2^20 points at least per slice);
 * elastic, histograms */
#define ELASTIC "integrate", "--process", "elastic", "--theta-mu-min", "0.3mrad", "--seed", "5", \
                "--quiet", "--points", "3.2e6", "--rel-error", "0"

static char mpirun[4096], mue_mpi[4096] = "build/mue-mpi", why_skip[4400];
static char ref_ck[4200]; /* the single-process VEGAS+ run's final state */

static int find_mpirun(void)
{
    const char *e = getenv("MPIRUN");
    if (e && *e) {
        snprintf(mpirun, sizeof mpirun, "%s", e);
        return access(mpirun, X_OK) == 0;
    }
    const char *path = getenv("PATH");
    for (const char *p = path ? path : ""; *p;) {
        size_t n = strcspn(p, ":");
        snprintf(mpirun, sizeof mpirun, "%.*s/mpirun", (int)n, p);
        if (n && access(mpirun, X_OK) == 0)
            return 1;
        p += n + (p[n] == ':');
    }
    return 0;
}

static int setup(void **state)
{
    if (group_setup(state))
        return -1;
    const char *m = getenv("MUE_MPI_BIN");
    if (m && *m)
        snprintf(mue_mpi, sizeof mue_mpi, "%s", m);
    if (!find_mpirun())
        snprintf(why_skip, sizeof why_skip, "mpirun not found (make deps-mpi installs OpenMPI)");
    else if (access(mue_mpi, X_OK))
        snprintf(why_skip, sizeof why_skip, "%s not built (make mpi; needs mpicc)", mue_mpi);
    if (why_skip[0])
        printf("SKIP MPI tests: %s\n", why_skip);
    /* CI runs as root; a 2-core machine runs 3 ranks */
    setenv("OMPI_ALLOW_RUN_AS_ROOT", "1", 1);
    setenv("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1", 1);
    setenv("OMPI_MCA_rmaps_base_oversubscribe", "1", 1);
    snprintf(ref_ck, sizeof ref_ck, "%s/ref.ck", scratch);
    return 0;
}

static void need_mpi(void)
{
    if (why_skip[0])
        skip();
}

/* The single-process build: build/mue-cpu */
static void run_single(run_t *r, const char *const *args)
{
    setenv("MUE_BIN", "build/mue-cpu", 1);
    run_mue(r, args, MPI_TIMEOUT);
}

/* mpirun -np n [-x VAR] mue-mpi args: the whole line in MUE_BIN's place */
static void run_ranks(run_t *r, int n, const char *env_var, const char *const *args)
{
    const char *argv[MAXARGS + 1];
    char np[16];
    snprintf(np, sizeof np, "%d", n);
    int k = 0;
    argv[k++] = "-np";
    argv[k++] = np;
    argv[k++] = "--bind-to";
    argv[k++] = "none";
    if (env_var) {
        argv[k++] = "-x";
        argv[k++] = env_var;
    }
    argv[k++] = mue_mpi;
    for (; *args; args++) {
        assert_true(k < MAXARGS);
        argv[k++] = *args;
    }
    argv[k] = NULL;
    setenv("MUE_BIN", mpirun, 1);
    run_mue(r, argv, MPI_TIMEOUT);
}

static void scratch_path(char *out, size_t len, const char *fmt, int n)
{
    char name[64];
    snprintf(name, sizeof name, fmt, n);
    snprintf(out, len, "%s/%s", scratch, name);
}

static void test_integrate_any_ranks(void **state)
{
    (void)state;
    need_mpi();
    char json[4200], hist[4200], ck[4200], rjson[4200], rhist[4200];
    scratch_path(rjson, sizeof rjson, "ref.json", 0);
    scratch_path(rhist, sizeof rhist, "ref_hist", 0);
    run_t r = {0};
    run_free(&r);
    run_single(&r, ARGS(ELASTIC, "--warmup", "1", "--iterations", "2", "--json", rjson, "--hist", rhist,
                        "--checkpoint", ref_ck));
    expect_success(&r);
    for (int n = 1; n <= 3; n++) {
        scratch_path(json, sizeof json, "np%d.json", n);
        scratch_path(hist, sizeof hist, "np%d_hist", n);
        scratch_path(ck, sizeof ck, "np%d.ck", n);
        run_free(&r);
        run_ranks(&r, n, NULL, ARGS(ELASTIC, "--warmup", "1", "--iterations", "2", "--json", json,
                                    "--hist", hist, "--checkpoint", ck));
        expect_success(&r);
        CHECK(&r, strstr(r.out, "sigma  =") && count_lines(r.out) >= 5,
              "rank 0 did not print the result");
        CHECK(&r, files_equal(ref_ck, ck), "%d ranks: the state differs from one process's", n);
        CHECK(&r, results_equal(rjson, json), "%d ranks: the result differs", n);
        CHECK(&r, hists_equal(rhist, hist), "%d ranks: the histograms differ", n);
    }
    run_free(&r);
}

/* classic VEGAS strata (fixed counts per box) and no strata cut their slices otherwise */
static void test_other_layouts(void **state)
{
    (void)state;
    need_mpi();
    static const char *const layout[][2] = {{"--beta", "0"}, {"--no-strata", "--quiet"}};
    for (int k = 0; k < 2; k++) {
        char a[4200], b[4200];
        scratch_path(a, sizeof a, "layout%d_single.ck", k);
        scratch_path(b, sizeof b, "layout%d_ranks.ck", k);
        run_t r = {0};
        run_single(&r, ARGS(ELASTIC, "--warmup", "0", "--iterations", "2", layout[k][0], layout[k][1],
                            "--checkpoint", a));
        expect_success(&r);
        run_free(&r);
        run_ranks(&r, 2 + k, NULL, ARGS(ELASTIC, "--warmup", "0", "--iterations", "2", layout[k][0],
                                        layout[k][1], "--checkpoint", b));
        expect_success(&r);
        CHECK(&r, files_equal(a, b), "%s: %d ranks differ from one process", layout[k][0], 2 + k);
        run_free(&r);
    }
}

static void test_scan_any_ranks(void **state)
{
    (void)state;
    need_mpi();
    char ref[4200], dir[4200], a[4300], b[4300];
    scratch_path(ref, sizeof ref, "scan_single", 0);
    run_t r = {0};
#define SCAN "scan", "--masses", "20MeV,0.2", "--points", "3.2e6", "--warmup", "1", "--iterations", \
             "1", "--rel-error", "0", "--quiet", "--seed", "3"
    run_free(&r);
    run_single(&r, ARGS(SCAN, "--out", ref));
    expect_success(&r);
    snprintf(a, sizeof a, "%s/scan.json", ref);
    for (int n = 2; n <= 3; n++) {
        scratch_path(dir, sizeof dir, "scan_np%d", n);
        run_free(&r);
        run_ranks(&r, n, NULL, ARGS(SCAN, "--out", dir));
        expect_success(&r);
        snprintf(b, sizeof b, "%s/scan.json", dir);
        CHECK(&r, results_equal(a, b), "scan on %d ranks differs from one process", n);
    }
    run_free(&r);
}

/* rank 1 dies (SIGKILL) when iteration 2 reaches it: the job ends at once with the
 * launcher's message; the checkpoint after iteration 2 resumes on 3 ranks to the bits
 * of the uninterrupted single-process run (test_integrate_any_ranks) */
static void test_rank_dies_then_resume(void **state)
{
    (void)state;
    need_mpi();
    char ck[4200], hist[4200];
    scratch_path(ck, sizeof ck, "killed.ck", 0);
    scratch_path(hist, sizeof hist, "killed_hist", 0);
    run_t r = {0};
    setenv("MUE_TEST_KILL_RANK", "1:2", 1);
    double t0 = now();
    run_free(&r);
    run_ranks(&r, 2, "MUE_TEST_KILL_RANK", ARGS(ELASTIC, "--warmup", "1", "--iterations", "2",
                                                "--hist", hist, "--checkpoint", ck));
    unsetenv("MUE_TEST_KILL_RANK");
    CHECK(&r, !r.timed_out && now() - t0 < 60.0, "the job hung after a rank died");
    CHECK(&r, !(r.exited && r.code == 0), "the job succeeded with a dead rank");
    CHECK(&r, strstr(r.err, "rank 1") || strstr(r.err, "signal 9"),
          "the job's end does not say which rank died");
    char *text = slurp(ck);
    CHECK(&r, text && strstr(text, "\"next_iteration\": 2,"), "no checkpoint of iteration 2");
    free(text);
    run_free(&r);
    run_ranks(&r, 3, NULL, ARGS(ELASTIC, "--warmup", "1", "--iterations", "2", "--hist", hist,
                                "--resume", ck, "--checkpoint", ck));
    expect_success(&r);
    CHECK(&r, files_equal(ref_ck, ck), "the resumed job's state differs from the uninterrupted run");
    run_free(&r);
}

static void test_mismatch_refused(void **state)
{
    (void)state;
    need_mpi();
#define SMALL_ELASTIC "integrate", "--process", "elastic", "--theta-mu-min", "0.3mrad", "--quiet", \
                      "--points", "20000", "--warmup", "1", "--iterations", "2"
    run_t r = {0};
    /* MPMD: the second rank gets another seed */
    setenv("MUE_BIN", mpirun, 1);
    run_free(&r);
    run_mue(&r, ARGS("-np", "1", mue_mpi, SMALL_ELASTIC, "--seed", "1", ":", "-np", "1", mue_mpi,
                     SMALL_ELASTIC, "--seed", "2"),
            MPI_TIMEOUT);
    CHECK(&r, r.exited && r.code == 2, "exit status %d, expected 2", r.code);
    char *m = strstr(r.err, "mue: the MPI ranks do not run the same job: rank 1:");
    CHECK(&r, m && !strstr(m + 1, "mue: "), "not one line naming rank 1");
    CHECK(&r, r.out[0] == 0, "a refused job printed a result");
    /* MPMD with the newer settings: a detector, neutrino flavours, a photon cut */
    const char *const *const other[][2] = {
        {ARGS("--process", "elastic", "--detector", "cuts=i"), ARGS("--process", "elastic", "--detector", "cuts=i+ii")},
        {ARGS("--process", "muenn", "--flavours", "e"), ARGS("--process", "muenn", "--flavours", "mu")},
        {ARGS("--process", "mueg", "--egamma-min", "20"), ARGS("--process", "mueg", "--egamma-min", "21")},
    };
    for (size_t k = 0; k < sizeof other / sizeof other[0]; k++) {
        const char *argv[MAXARGS];
        int n = 0;
        for (int side = 0; side < 2; side++) {
            static const char *const head[] = {"integrate", "--quiet", "--points", "20000", "--warmup", "1",
                                               "--iterations", "2"};
            argv[n++] = "-np", argv[n++] = "1", argv[n++] = mue_mpi;
            for (size_t i = 0; i < sizeof head / sizeof head[0]; i++)
                argv[n++] = head[i];
            for (const char *const *a = other[k][side]; *a; a++)
                argv[n++] = *a;
            if (side == 0)
                argv[n++] = ":";
        }
        argv[n] = NULL;
        run_free(&r);
        run_mue(&r, argv, MPI_TIMEOUT);
        CHECK(&r, r.exited && r.code == 2, "exit status %d, expected 2", r.code);
        CHECK(&r, strstr(r.err, "mue: the MPI ranks do not run the same job: rank 1:"), "rank 1 not named");
        CHECK(&r, r.out[0] == 0, "a refused job printed a result");
    }
    /* the same arguments, settings that differ on rank 2 (as another build's would) */
    setenv("MUE_TEST_MPI_PERTURB_RANK", "2", 1);
    run_free(&r);
    run_ranks(&r, 3, "MUE_TEST_MPI_PERTURB_RANK", ARGS(SMALL_ELASTIC, "--seed", "1"));
    unsetenv("MUE_TEST_MPI_PERTURB_RANK");
    CHECK(&r, r.exited && r.code == 2, "exit status %d, expected 2", r.code);
    m = strstr(r.err, "mue: rank 2: its build of mue or its integration settings differ");
    CHECK(&r, m && !strstr(m + 1, "mue: "), "not one line naming rank 2 and the settings");
    run_free(&r);
}

/* rank 0 refuses an output the others do not check: they are told to quit */
static void test_leader_stops_early(void **state)
{
    (void)state;
    need_mpi();
    run_t r = {0};
    run_free(&r);
    run_ranks(&r, 2, NULL, ARGS(SMALL_ELASTIC, "--json", "/nonexistent/dir/x.json"));
    CHECK(&r, !r.timed_out, "the followers hung");
    CHECK(&r, r.exited && r.code == 2, "exit status %d, expected 2", r.code);
    char *m = strstr(r.err, "mue: --json: cannot write");
    CHECK(&r, m && !strstr(m + 1, "mue: "), "not one line about --json");
    run_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_integrate_any_ranks),
        cmocka_unit_test(test_other_layouts),
        cmocka_unit_test(test_scan_any_ranks),
        cmocka_unit_test(test_rank_dies_then_resume),
        cmocka_unit_test(test_mismatch_refused),
        cmocka_unit_test(test_leader_stops_early),
    };
    return cmocka_run_group_tests(tests, setup, group_teardown);
}
