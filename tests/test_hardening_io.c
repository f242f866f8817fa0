/* Hardening, the file system: every writer under a file-size limit (ulimit -f, SIGXFSZ at
 * its default, which kills), outputs that name an input, and the rule for symbolic links
 * and read-only files. The promise each test holds mue to: a write that fails is a
 * one-line reason and exit status 2, never a death by signal; no temporary is left
 * behind; an input, or a file the user marked read-only, is never replaced. */
#include "cli_run.h"

#include <jansson.h>

#define TINY "--points", "2e4", "--iterations", "2", "--warmup", "1", "--rel-error", "0", "--quiet"
#define ZP10 "--mass", "10MeV", "--coupling", "5e-4"

/* Exit status 2 (not a signal), one line on stderr holding needle. */
static void expect_write_failure(const run_t *r, const char *needle)
{
    CHECK(r, !r->timed_out, "timed out");
    CHECK(r, !r->signaled, "killed by signal %d (SIGXFSZ is %d)", r->sig, SIGXFSZ);
    CHECK(r, r->exited && r->code == 2, "exit status %d, expected 2", r->code);
    CHECK(r, count_lines(r->err) == 1, "stderr is not one line");
    CHECK(r, strstr(r->err, needle) != NULL, "the message does not name '%s'", needle);
}

/* No ".mue-tmp." left in dir (nor in its subdirectories one level down). */
static void expect_no_temporaries(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    for (struct dirent *e; (e = readdir(d));) {
        if (strstr(e->d_name, ".mue-tmp."))
            fail_msg("a temporary is left in %s: %s", dir, e->d_name);
        if (e->d_name[0] != '.' && e->d_type == DT_DIR) {
            char sub[4400];
            snprintf(sub, sizeof sub, "%s/%s", dir, e->d_name);
            char list[4096];
            dir_entries(sub, list, sizeof list);
            if (strstr(list, ".mue-tmp."))
                fail_msg("a temporary is left in %s: %s", sub, list);
        }
    }
    closedir(d);
}

/* ------------------------------------------------------------------------------------ */
/* 1. the file-size limit: every writer */

static void test_file_size_limit_every_writer(void **state)
{
    (void)state;
    char d[4200];
    make_dir(d, sizeof d, "fsize");
    char p[10][4400];
    const char *const names[10] = {"a.json", "hist",  "g.json",  "c.json",     "ev.lhe",
                                   "scan",   "k.csv", "g2.json", "ev.hepmc3.gz", "ev.lhe.gz"};
    for (int k = 0; k < 10; k++)
        snprintf(p[k], sizeof p[k], "%s/%s", d, names[k]);
    struct {
        const char *const *args;
        long limit; /* bytes: below what the run writes */
        const char *needle;
    } cases[] = {
        /* stdout is a file: the results, the help and the version text */
        {ARGS("integrate", ZP10, TINY), 100, "standard output"},
        {ARGS("--help"), 100, "standard output"},
        {ARGS("integrate", "--help"), 100, "standard output"},
        {ARGS("--version"), 10, "standard output"},
        {ARGS("g2", ZP10), 10, "standard output"},
        /* each output file */
        {ARGS("integrate", ZP10, TINY, "--json", p[0]), 1000, "File too large"},
        {ARGS("integrate", ZP10, TINY, "--hist", p[1], "--hist-bins", "200"), 3000, "File too large"},
        {ARGS("integrate", ZP10, TINY, "--save-grid", p[2]), 1000, "File too large"},
        {ARGS("integrate", ZP10, TINY, "--checkpoint", p[3]), 1000, "File too large"},
        {ARGS("generate", ZP10, TINY, "--events", "200", "--out", p[4]), 3000, "File too large"},
        {ARGS("generate", ZP10, TINY, "--events", "2000", "--out", p[8]), 3000, "File too large"},
        {ARGS("generate", ZP10, TINY, "--events", "2000", "--out", p[9], "--gzip-level", "9"), 3000,
         "File too large"},
        {ARGS("scan", "--masses", "0.01,0.02", TINY, "--out", p[5]), 1000, "File too large"},
        {ARGS("kinematics", "--n", "100000", "--csv", p[6]), 3000, "File too large"},
        {ARGS("g2", ZP10, "--json", p[7]), 100, "File too large"},
        {ARGS("backgrounds", TINY, "--json", p[0]), 1000, "File too large"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        run_t r;
        run_fsize = cases[k].limit;
        run_mue(&r, cases[k].args, 60.0);
        run_fsize = 0;
        expect_write_failure(&r, cases[k].needle);
        run_free(&r);
        expect_no_temporaries(d);
    }
    /* the same runs without the limit succeed: it was the limit that failed them */
    run_t r;
    RUN(&r, "integrate", ZP10, TINY, "--json", p[0], "--hist", p[1], "--save-grid", p[2]);
    expect_success(&r);
    run_free(&r);
}

/* A run whose output hits the limit leaves the previous file whole. */
static void test_file_size_limit_keeps_old_file(void **state)
{
    (void)state;
    char d[4200], js[4300];
    make_dir(d, sizeof d, "fsize_old");
    snprintf(js, sizeof js, "%s/r.json", d);
    run_t r;
    RUN(&r, "integrate", ZP10, TINY, "--json", js);
    expect_success(&r);
    run_free(&r);
    char *before = slurp(js);
    assert_non_null(before);
    run_fsize = 500;
    RUN(&r, "integrate", ZP10, TINY, "--seed", "3", "--json", js);
    run_fsize = 0;
    expect_write_failure(&r, "File too large");
    run_free(&r);
    char *after = slurp(js);
    assert_non_null(after);
    if (strcmp(before, after) != 0)
        fail_msg("%s changed although its write failed", js);
    free(before);
    free(after);
    expect_no_temporaries(d);
}

/* ------------------------------------------------------------------------------------ */
/* 2. an output that names an input: by identity, not by spelling */

static void test_outputs_never_replace_inputs(void **state)
{
    (void)state;
    char d[4200], g[4300], ck[4300], h[4300], hg[4400], gl[4300], gdots[4400], ghard[4300];
    make_dir(d, sizeof d, "inputs");
    snprintf(g, sizeof g, "%s/g.json", d);
    snprintf(ck, sizeof ck, "%s/c.json", d);
    snprintf(h, sizeof h, "%s/h", d);
    snprintf(hg, sizeof hg, "%s/E_e.csv", h);
    snprintf(gl, sizeof gl, "%s/link.json", d);
    snprintf(gdots, sizeof gdots, "%s/../inputs/./g.json", d);
    snprintf(ghard, sizeof ghard, "%s/hard.json", d);
    run_t r;
    RUN(&r, "integrate", ZP10, TINY, "--save-grid", g, "--checkpoint", ck);
    expect_success(&r);
    run_free(&r);
    assert_int_equal(symlink("g.json", gl), 0);
    assert_int_equal(link(g, ghard), 0);
    assert_int_equal(mkdir(h, 0700), 0);
    char *grid = slurp(g), *check = slurp(ck);
    assert_non_null(grid);
    assert_non_null(check);
    /* copies of the grid and the checkpoint inside the --hist directory, under the names
     * of histograms */
    FILE *f = fopen(hg, "w");
    assert_non_null(f);
    fputs(grid, f);
    fclose(f);

    struct {
        const char *const *args;
        const char *n1, *n2;
    } cases[] = {
        {ARGS("integrate", ZP10, TINY, "--load-grid", g, "--json", g), "--load-grid", "--json"},
        {ARGS("integrate", ZP10, TINY, "--load-grid", g, "--checkpoint", g), "--load-grid", "--checkpoint"},
        {ARGS("integrate", ZP10, TINY, "--load-grid", g, "--save-grid", gdots), "--load-grid", "--save-grid"},
        {ARGS("integrate", ZP10, TINY, "--load-grid", g, "--json", gl), "--load-grid", "--json"},
        {ARGS("integrate", ZP10, TINY, "--load-grid", g, "--json", ghard), "--load-grid", "--json"},
        {ARGS("integrate", ZP10, TINY, "--resume", ck, "--json", ck), "--resume", "--json"},
        {ARGS("integrate", ZP10, TINY, "--load-grid", hg, "--hist", h), "--load-grid", "--hist"},
        {ARGS("integrate", ZP10, TINY, "--hist", h, "--save-grid", hg), "--save-grid", "--hist"},
        {ARGS("integrate", ZP10, TINY, "--hist", h, "--checkpoint", hg), "--checkpoint", "--hist"},
        {ARGS("generate", ZP10, TINY, "--events", "10", "--format", "lhef", "--load-grid", g, "--out", g), "--load-grid", "--out"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        run_mue(&r, cases[k].args, FAST_TIMEOUT);
        expect_failure(&r, ARGS(cases[k].n1, cases[k].n2));
        run_free(&r);
        char *g_now = slurp(g), *ck_now = slurp(ck), *hg_now = slurp(hg);
        if (!g_now || strcmp(g_now, grid) || !ck_now || strcmp(ck_now, check) || !hg_now ||
            strcmp(hg_now, grid))
            fail_msg("case %zu: an input was replaced", k);
        free(g_now);
        free(ck_now);
        free(hg_now);
    }
    /* a checkpoint that is also the resumed file is the one allowed pair: the run goes on
     * writing the state it read */
    RUN(&r, "integrate", ZP10, TINY, "--resume", ck, "--checkpoint", ck);
    expect_success(&r);
    run_free(&r);
    free(grid);
    free(check);
    expect_no_temporaries(d);
}

/* ------------------------------------------------------------------------------------ */
/* 3. symbolic links are written through; a replaced file keeps its mode; a read-only
 *    file (no write bit) is refused, for root too */

static void test_symlinks_and_modes(void **state)
{
    (void)state;
    char d[4200], target[4300], link_[4300], ro[4300], mode[4300];
    make_dir(d, sizeof d, "modes");
    snprintf(target, sizeof target, "%s/target.json", d);
    snprintf(link_, sizeof link_, "%s/link.json", d);
    snprintf(ro, sizeof ro, "%s/ro.json", d);
    snprintf(mode, sizeof mode, "%s/mode.json", d);
    assert_int_equal(symlink("target.json", link_), 0);
    run_t r;
    RUN(&r, "integrate", ZP10, TINY, "--json", link_);
    expect_success(&r);
    run_free(&r);
    struct stat st;
    assert_int_equal(lstat(link_, &st), 0);
    CHECK(&r, S_ISLNK(st.st_mode), "the symbolic link was replaced by a regular file");
    json_error_t e;
    json_t *j = json_load_file(target, 0, &e);
    CHECK(&r, j != NULL, "the link's target does not hold the result");
    json_decref(j);

    /* a dangling link: its target is created */
    assert_int_equal(unlink(target), 0);
    RUN(&r, "integrate", ZP10, TINY, "--json", link_);
    expect_success(&r);
    run_free(&r);
    assert_int_equal(lstat(link_, &st), 0);
    CHECK(&r, S_ISLNK(st.st_mode) && path_exists(target), "the dangling link was not followed");

    /* a file replaced keeps its permissions */
    FILE *f = fopen(mode, "w");
    assert_non_null(f);
    fclose(f);
    assert_int_equal(chmod(mode, 0640), 0);
    RUN(&r, "integrate", ZP10, TINY, "--json", mode);
    expect_success(&r);
    run_free(&r);
    assert_int_equal(stat(mode, &st), 0);
    CHECK(&r, (st.st_mode & 07777) == 0640, "mode %o after the run, was 0640", st.st_mode & 07777);

    /* read-only: refused before any compute, the file untouched */
    f = fopen(ro, "w");
    assert_non_null(f);
    fputs("keep\n", f);
    fclose(f);
    assert_int_equal(chmod(ro, 0444), 0);
    run_mue(&r, ARGS("integrate", ZP10, "--points", "1e9", "--json", ro), FAST_TIMEOUT);
    expect_failure(&r, ARGS("--json", "read-only"));
    run_free(&r);
    char *t = slurp(ro);
    CHECK(&r, t && strcmp(t, "keep\n") == 0, "the read-only file changed");
    free(t);
    assert_int_equal(stat(ro, &st), 0);
    CHECK(&r, (st.st_mode & 07777) == 0444, "the read-only file's mode changed");
    /* a directory where a file should go */
    run_mue(&r, ARGS("integrate", ZP10, "--points", "1e9", "--json", d), FAST_TIMEOUT);
    expect_failure(&r, ARGS("--json", "not a regular file"));
    run_free(&r);
    expect_no_temporaries(d);
}

/* A name longer than the system's path limit is refused as too long, not as a format. */
static void test_long_paths(void **state)
{
    (void)state;
    static char longp[5000];
    memset(longp, 'a', sizeof longp - 1);
    longp[sizeof longp - 1] = '\0';
    memcpy(longp + sizeof longp - 6, ".lhe", 5);
    run_t r;
    run_mue(&r, ARGS("generate", ZP10, TINY, "--events", "10", "--out", longp), FAST_TIMEOUT);
    expect_failure(&r, ARGS("--out", "longer"));
    CHECK(&r, !strstr(r.err, "format"), "refused for its format");
    run_free(&r);
    run_mue(&r, ARGS("integrate", ZP10, TINY, "--json", longp), FAST_TIMEOUT);
    expect_failure(&r, ARGS("--json", "longer"));
    run_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_file_size_limit_every_writer),
        cmocka_unit_test(test_file_size_limit_keeps_old_file),
        cmocka_unit_test(test_outputs_never_replace_inputs),
        cmocka_unit_test(test_symlinks_and_modes),
        cmocka_unit_test(test_long_paths),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
