/* `make figures` end to end, with tiny budgets: runs
 *   build/venv/bin/python tools/figures.py --fast --mue build/mue --out TMP
 * (from the repository root, as `make test` does) and checks what it leaves: the four
 * PNGs, the data files with the expected number of rows, numbers.json with every
 * quantity, numbers.md. The venv comes from `make venv`; without it this test fails
 * (it does not skip). MUE_BIN overrides build/mue, MUE_PYTHON the venv's python. */
#define _GNU_SOURCE
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

/* what tools/figures.py --fast asks of mue (keep in step with the script) */
#define KIN_POINTS 200 /* mue kinematics --n */
#define HIST_BINS 100  /* mue integrate --hist-bins */
#define N_MASSES 6     /* mue scan --n-masses under --fast */
#define TIMEOUT_S 300  /* the --fast run takes a few seconds */

static char tmp[4096];
static char python[4096];
static int python_ok, run_status = -1;

static const char *mue_bin(void)
{
    const char *b = getenv("MUE_BIN");
    return b && *b ? b : "build/mue";
}

static void path_in(char *buf, size_t len, const char *rel)
{
    snprintf(buf, len, "%s/%s", tmp, rel);
}

static char *slurp(const char *path, long *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc(n + 1);
    if (s && fread(s, 1, n, f) != (size_t)n) {
        free(s);
        s = 0;
    }
    fclose(f);
    if (s) {
        s[n] = 0;
        if (len)
            *len = n;
    }
    return s;
}

static void print_log(void)
{
    char p[4200];
    path_in(p, sizeof p, "figures.log");
    char *s = slurp(p, 0);
    if (s) {
        print_error("---- tools/figures.py output ----\n%s\n---- end ----\n", s);
        free(s);
    }
}

static int run_figures(const char *mue, const char *out, const char *extra, const char *logname)
{
    char cmd[40000];
    snprintf(cmd, sizeof cmd,
             "timeout %d '%s' tools/figures.py --fast --mue '%s' --out '%s' %s > '%s/%s' 2>&1",
             TIMEOUT_S, python, mue, out, extra, tmp, logname);
    int st = system(cmd);
    return st == -1 ? -1 : WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static int setup(void **state)
{
    (void)state;
    const char *py = getenv("MUE_PYTHON");
    snprintf(python, sizeof python, "%s", py && *py ? py : "build/venv/bin/python");
    python_ok = access(python, X_OK) == 0;
    snprintf(tmp, sizeof tmp, "/tmp/mue_test_figures_XXXXXX");
    if (!mkdtemp(tmp))
        return -1;
    if (!python_ok)
        return 0;
    /* an exclusion curve, to exercise --exclude FILE:LABEL */
    char p[4200], out[4200], ex[8400];
    path_in(p, sizeof p, "exclusion.csv");
    FILE *f = fopen(p, "w");
    if (!f)
        return -1;
    fputs("m_gev,g\n0.001,0.004\n0.01,0.003\n0.1,0.002\n0.3,0.002\n", f);
    fclose(f);
    path_in(out, sizeof out, "out");
    snprintf(ex, sizeof ex, "--exclude '%s:Example limit'", p);
    run_status = run_figures(mue_bin(), out, ex, "figures.log");
    return 0;
}

static int rm_one(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(p);
}

static int teardown(void **state)
{
    (void)state;
    if (tmp[0])
        nftw(tmp, rm_one, 16, FTW_DEPTH | FTW_PHYS);
    return 0;
}

static void test_venv_python_present(void **state)
{
    (void)state;
    if (!python_ok)
        fail_msg("%s is missing: run `make venv` first (it creates build/venv with matplotlib); "
                 "tools/figures.py needs it",
                 python);
}

static void test_figures_script_succeeds(void **state)
{
    (void)state;
    if (!python_ok)
        fail_msg("not run: %s is missing (make venv)", python);
    if (run_status != 0) {
        print_log();
        fail_msg("tools/figures.py --fast exited with status %d%s", run_status,
                 run_status == 124 ? " (timed out)" : "");
    }
}

static void check_png(const char *rel)
{
    char p[4200];
    path_in(p, sizeof p, rel);
    long n = 0;
    char *s = slurp(p, &n);
    if (!s)
        fail_msg("%s: missing", rel);
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    int png = n >= 8 && memcmp(s, sig, 8) == 0;
    free(s);
    if (!png)
        fail_msg("%s: not a PNG file", rel);
    if (n <= 10 * 1024)
        fail_msg("%s: only %ld bytes (expected a drawn figure, > 10 kB)", rel, n);
}

static void test_pngs(void **state)
{
    (void)state;
    check_png("out/fig1_ee_min.png");
    check_png("out/fig2_ee_distribution.png");
    check_png("out/fig3_sensitivity_wp20.png");
    check_png("out/fig3_sensitivity_wp25.png");
    check_png("out/fig4_muenn_ee.png");
    check_png("out/fig_backgrounds_veto.png");
    /* the backgrounds table docs/guide.md shows: its header and rows */
    char p[4200];
    path_in(p, sizeof p, "out/backgrounds.md");
    char *md = slurp(p, 0);
    if (!md)
        fail_msg("out/backgrounds.md: missing");
    int rows = 0;
    for (const char *l = md; (l = strstr(l, "\n| ")) != NULL; l++)
        rows++;
    assert_non_null(strstr(md, "| process | after (i) | (i)+(ii) | (i)+(ii)+(iii) |"));
    assert_true(rows >= 1 + 5);
    free(md);
}

/* lines in the file, and the data rows: lines that are neither '#' comments nor the header */
static void count_lines(const char *rel, int *lines, int *rows)
{
    char p[4200];
    path_in(p, sizeof p, rel);
    char *s = slurp(p, 0);
    if (!s)
        fail_msg("%s: missing", rel);
    *lines = *rows = 0;
    int header_seen = 0;
    for (char *l = s; *l;) {
        char *e = strchr(l, '\n');
        size_t len = e ? (size_t)(e - l) : strlen(l);
        if (len) {
            (*lines)++;
            if (l[0] != '#') {
                if (header_seen)
                    (*rows)++;
                header_seen = 1;
            }
        }
        l += len + (e ? 1 : 0);
    }
    free(s);
}

static void expect_lines(const char *rel, int want)
{
    int lines, rows;
    count_lines(rel, &lines, &rows);
    if (lines != want)
        fail_msg("%s: %d lines, expected %d", rel, lines, want);
}

static void expect_exists(const char *rel)
{
    char p[4200];
    struct stat st;
    path_in(p, sizeof p, rel);
    if (stat(p, &st) != 0 || st.st_size == 0)
        fail_msg("%s: missing or empty", rel);
}

static void test_kinematics_data(void **state)
{
    (void)state;
    expect_lines("out/data/kinematics.csv", KIN_POINTS + 2);
}

static void test_histogram_data(void **state)
{
    (void)state;
    const char *bench[] = {"m10MeV", "m100MeV"};
    const char *cuts[] = {"cut_i", "cut_i_ii"};
    const char *obs[] = {"E_e", "theta_e", "theta_mu", "E_mu"};
    for (int b = 0; b < 2; b++)
        for (int c = 0; c < 2; c++) {
            char rel[512];
            snprintf(rel, sizeof rel, "out/data/bench_%s/%s/result.json", bench[b], cuts[c]);
            expect_exists(rel);
            for (int k = 0; k < 4; k++) {
                snprintf(rel, sizeof rel, "out/data/bench_%s/%s/%s.csv", bench[b], cuts[c], obs[k]);
                /* two header lines (the second: the sigma outside the range) and the columns */
                expect_lines(rel, HIST_BINS + 3);
            }
        }
}

static void test_scan_data(void **state)
{
    (void)state;
    int lines, rows;
    count_lines("out/data/scan/scan.csv", &lines, &rows);
    if (rows != N_MASSES)
        fail_msg("out/data/scan/scan.csv: %d mass rows, expected %d", rows, N_MASSES);
    count_lines("out/data/scan/g2_band_wp20.csv", &lines, &rows);
    assert_true(rows > 10);
    count_lines("out/data/scan/g2_band_wp25.csv", &lines, &rows);
    assert_true(rows > 10);
    expect_exists("out/data/scan/scan.json");
}

/* "value" of a quantity in numbers.json (as json.dump(indent=2) writes it) */
static double json_value(const char *s, const char *key)
{
    char pat[256];
    snprintf(pat, sizeof pat, "\"%s\": {", key);
    const char *p = strstr(s, pat);
    if (!p)
        return -1e300;
    p = strstr(p, "\"value\": ");
    return p ? strtod(p + 9, 0) : -1e300;
}

static void test_numbers(void **state)
{
    (void)state;
    char p[4200];
    path_in(p, sizeof p, "out/numbers.json");
    char *s = slurp(p, 0);
    if (!s)
        fail_msg("out/numbers.json: missing");
    const char *keys[] = {"events_m10MeV", "events_muenn",
                          "events_m100MeV",
                          "keep_ee3_m10MeV",
                          "keep_ee3_m100MeV",
                          "keep_ee5_m10MeV",
                          "keep_ee5_m100MeV",
                          "theta_e_lt_20mrad_m10MeV",
                          "theta_e_lt_20mrad_m100MeV",
                          "vanish_mass",
                          "g_one_event",
                          "g2",
                          "ee_min_at_1p5mrad_gev",
                          "paper",
                          "meta"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        char pat[128];
        snprintf(pat, sizeof pat, "\"%s\":", keys[i]);
        if (!strstr(s, pat)) {
            free(s);
            fail_msg("out/numbers.json: no \"%s\"", keys[i]);
        }
    }
    /* loose sanity, even with --fast budgets: E_e^min(1.5 mrad) = 37.94 GeV, and the
     * benchmark counts of the right order (paper ~600 and ~1200) */
    double e = json_value(s, "ee_min_at_1p5mrad_gev");
    double n10 = json_value(s, "events_m10MeV"), n100 = json_value(s, "events_m100MeV");
    free(s);
    if (!(e > 37.8 && e < 38.1))
        fail_msg("E_e^min(1.5 mrad) = %g GeV, expected 37.94", e);
    if (!(n10 > 300 && n10 < 1200) || !(n100 > 600 && n100 < 2400))
        fail_msg("benchmark event counts %g and %g are far from the paper's ~600 and ~1200", n10,
                 n100);

    path_in(p, sizeof p, "out/numbers.md");
    s = slurp(p, 0);
    if (!s)
        fail_msg("out/numbers.md: missing");
    int table = strstr(s, "| quantity | paper |") != 0;
    free(s);
    assert_true(table);
}

/* a failing mue command must stop the script with a non-zero status, naming the command */
static void test_failure_is_loud(void **state)
{
    (void)state;
    if (!python_ok)
        fail_msg("not run: %s is missing (make venv)", python);
    char out[4200];
    path_in(out, sizeof out, "out_fail");
    int rc = run_figures("/bin/false", out, "", "fail.log");
    char p[4200];
    path_in(p, sizeof p, "fail.log");
    char *s = slurp(p, 0);
    int named = s && strstr(s, "command failed") && strstr(s, "/bin/false kinematics");
    if (rc == 0 || !named) {
        print_error("%s\n", s ? s : "(no output)");
        free(s);
        fail_msg("figures.py with a failing mue: status %d, message %s", rc,
                 named ? "ok" : "does not name the command");
    }
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_venv_python_present), cmocka_unit_test(test_figures_script_succeeds),
        cmocka_unit_test(test_pngs),                cmocka_unit_test(test_kinematics_data),
        cmocka_unit_test(test_histogram_data),      cmocka_unit_test(test_scan_data),
        cmocka_unit_test(test_numbers),             cmocka_unit_test(test_failure_is_loud),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
