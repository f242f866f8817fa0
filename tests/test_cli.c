/* The `mue` command as a user meets it: runs the built binary (build/mue-cpu, or $MUE_BIN)
 * with good and bad arguments and checks exit codes, messages, and the files it writes.
 * Bad input must give a non-zero exit (not a signal), exactly one line on stderr naming
 * the offending option, nothing on stdout, and no files left behind. */
#include "cli_run.h"
#include <jansson.h>
#include "util/version.h"

/* ------------------------------------------------------------------------------------ */
/* bad input: one table entry each */

typedef struct {
    const char *name;
    const char *needles[4];   /* all must appear in the one stderr line */
    const char *args[MAXARGS];
} bad_case;

#define INT "integrate", SMALL, "--quiet"
#define ZP "--mass", "0.1", "--coupling", "1e-3"

static const bad_case bad_cases[] = {
    {"mass zero", {"--mass"}, {INT, "--mass", "0", "--coupling", "1e-3"}},
    {"mass negative", {"--mass"}, {INT, "--mass", "-0.1", "--coupling", "1e-3"}},
    {"mass negative with unit", {"--mass"}, {INT, "--mass", "-5MeV", "--coupling", "1e-3"}},
    {"mass zero glued with =", {"--mass"}, {INT, "--mass=0", "--coupling", "1e-3"}},
    {"coupling zero", {"--coupling"}, {INT, "--mass", "0.1", "--coupling", "0"}},
    {"coupling negative", {"--coupling"}, {INT, "--mass", "0.1", "--coupling", "-1e-3"}},
    {"lumi zero", {"--lumi"}, {INT, ZP, "--lumi", "0"}},
    {"lumi negative", {"--lumi"}, {INT, ZP, "--lumi", "-15"}},
    {"lumi negative with unit", {"--lumi"}, {INT, ZP, "--lumi", "-1/ab"}},
    {"points 0", {"--points"}, {INT, ZP, "--points", "0"}},
    {"points 1", {"--points"}, {INT, ZP, "--points", "1"}},
    {"mass 0.35 GeV above the kinematic limit", {"--mass", "closed", "0.299"},
     {INT, "--mass", "0.35", "--coupling", "1e-3"}},
    {"mass 300MeV above the kinematic limit", {"--mass", "closed", "0.299"},
     {INT, "--mass", "300MeV", "--coupling", "1e-3"}},
    {"mass 0.2994 just above the kinematic limit", {"--mass", "closed", "0.299"},
     {INT, "--mass", "0.2994", "--coupling", "1e-3"}},
    {"E_e thresholds out of order", {"--ee-max", "--ee-min"},
     {INT, ZP, "--ee-min", "30", "--ee-max", "20"}},
    {"ee-min below the electron mass", {"--ee-min"}, {INT, ZP, "--ee-min", "0.0001"}},
    {"ee-min below the electron mass (keV)", {"--ee-min"}, {INT, ZP, "--ee-min", "400keV"}},
    {"unknown option", {"--bogus"}, {INT, ZP, "--bogus"}},
    {"unknown option with value", {"--frobnicate"}, {INT, ZP, "--frobnicate", "3"}},
    {"option missing its value", {"--mass"}, {INT, "--coupling", "1e-3", "--mass"}},
    {"stray argument", {"extra"}, {INT, ZP, "extra"}},
    {"unknown process", {"--process", "muonium"}, {INT, ZP, "--process", "muonium"}},
    {"unknown unit suffix", {"--mass", "parsec"}, {INT, "--mass", "10parsec", "--coupling", "1e-3"}},
    {"angle given an energy unit", {"--theta-mu-min"}, {INT, ZP, "--theta-mu-min", "1.5GeV"}},
    {"mass not a number", {"--mass", "abc"}, {INT, "--mass", "abc", "--coupling", "1e-3"}},
    {"mass empty", {"--mass"}, {INT, "--mass", "", "--coupling", "1e-3"}},
    {"mass nan", {"--mass"}, {INT, "--mass", "nan", "--coupling", "1e-3"}},
    {"mass inf", {"--mass"}, {INT, "--mass", "inf", "--coupling", "1e-3"}},
    {"mass not a number, glued with =", {"--mass"}, {INT, "--mass=abc", "--coupling", "1e-3"}},
    {"coupling with trailing junk", {"--coupling"}, {INT, "--mass", "0.1", "--coupling", "1e-3x"}},
    {"points 1e3.5", {"--points"}, {INT, ZP, "--points", "1e3.5"}},
    {"points 12abc", {"--points"}, {INT, ZP, "--points", "12abc"}},
    {"points 1.5", {"--points"}, {INT, ZP, "--points", "1.5"}},
    {"points negative", {"--points"}, {INT, ZP, "--points", "-100"}},
    {"seed not a number", {"--seed"}, {INT, ZP, "--seed", "x"}},
    {"device gpu without a CUDA backend", {"--device", "CUDA"}, {INT, ZP, "--device", "gpu"}},
    {"device bogus", {"--device", "bogus"}, {INT, ZP, "--device", "bogus"}},
    {"zprime without --mass", {"--mass"}, {INT, "--process", "zprime", "--coupling", "1e-3"}},
    {"zprime without --coupling", {"--coupling"}, {INT, "--process", "zprime", "--mass", "0.1"}},
    {"zprime by default, without --mass", {"--mass"}, {INT, "--coupling", "1e-3"}},
    {"elastic without cuts diverges", {"--no-cuts", "diverges"},
     {INT, "--process", "elastic", "--no-cuts"}},
    {"theta-mu-min negative (mrad)", {"--theta-mu-min"}, {INT, ZP, "--theta-mu-min", "-1mrad"}},
    {"theta-mu-min negative (rad)", {"--theta-mu-min"}, {INT, ZP, "--theta-mu-min", "-0.001"}},
    {"rel-error 2", {"--rel-error"}, {INT, ZP, "--rel-error", "2"}},
    {"rel-error negative", {"--rel-error"}, {INT, ZP, "--rel-error", "-0.1"}},
    {"iterations 0", {"--iterations"}, {INT, ZP, "--iterations", "0"}},
    {"threads -1", {"--threads"}, {INT, ZP, "--threads", "-1"}},
    {"hist-bins 0", {"--hist-bins"}, {INT, ZP, "--hist-bins", "0"}},
    {"hist-range unknown name", {"--hist-range"}, {INT, ZP, "--hist-range", "E_x=0:1"}},
    {"hist-range lo >= hi", {"--hist-range"}, {INT, ZP, "--hist-range", "E_e=5:1"}},
    {"hist-range not a range", {"--hist-range"}, {INT, ZP, "--hist-range", "E_e=0"}},
    {"alpha 0", {"--alpha"}, {INT, ZP, "--alpha", "0"}},
    {"beta above 1", {"--beta"}, {INT, ZP, "--beta", "1.5"}},
    {"beta negative", {"--beta"}, {INT, ZP, "--beta", "-0.25"}},
    {"beta not a number", {"--beta", "abc"}, {INT, ZP, "--beta", "abc"}},
    {"beta nan", {"--beta"}, {INT, ZP, "--beta", "nan"}},
    {"mueg without cuts or a photon-energy cut", {"mueg", "--egamma-min"},
     {INT, "--process", "mueg", "--no-cuts"}},
    {"mueg with a cut (i) that implies no hard photon", {"mueg", "--egamma-min"},
     {INT, "--process", "mueg", "--theta-mu-min", "0"}},
    {"egamma-min negative", {"--egamma-min"}, {INT, "--process", "mueg", "--egamma-min", "-1"}},
    {"egamma-min not a number", {"--egamma-min", "abc"},
     {INT, "--process", "mueg", "--egamma-min", "abc"}},
    {"egamma-min nan", {"--egamma-min"}, {INT, "--process", "mueg", "--egamma-min", "nan"}},
    {"egamma-min above the beam energy", {"--egamma-min"},
     {INT, "--process", "mueg", "--no-cuts", "--egamma-min", "200GeV"}},
    {"force-grid without load-grid", {"--force-grid", "--load-grid"}, {INT, ZP, "--force-grid"}},
    {"load-grid of a missing file", {"--load-grid", "/nonexistent/g.json"},
     {INT, ZP, "--load-grid", "/nonexistent/g.json"}},
    {"grid-bins with load-grid", {"--grid-bins", "--load-grid"},
     {INT, ZP, "--load-grid", "/nonexistent/g.json", "--grid-bins", "32"}},
    {"save-grid unwritable", {"--save-grid", "/nonexistent/d/g.json"},
     {INT, ZP, "--save-grid", "/nonexistent/d/g.json"}},
    {"iterations 0 with json", {"--iterations 0", "--json"},
     {INT, ZP, "--iterations", "0", "--save-grid", "/nonexistent/g.json", "--json", "/nonexistent/r.json"}},
    {"iterations 0 and warmup 0", {"--iterations 0", "--warmup"},
     {INT, ZP, "--iterations", "0", "--warmup", "0", "--save-grid", "/tmp/x.json"}},
    {"hist-range of another process's observable", {"--hist-range", "E_mu"},
     {INT, ZP, "--hist-range", "E_gamma=0:1"}},
    {"scan rejects --save-grid", {"--save-grid"},
     {"scan", "--out", "/nonexistent/s", "--save-grid", "/tmp/g.json"}},
    {"g2 without --mass", {"--mass"}, {"g2", "--coupling", "1e-3"}},
    {"g2 without --coupling", {"--coupling"}, {"g2", "--mass", "0.1"}},
    {"g2 negative coupling", {"--coupling"}, {"g2", "--mass", "0.1", "--coupling", "-1e-3"}},
    {"g2 zero mass", {"--mass"}, {"g2", "--mass", "0", "--coupling", "1e-3"}},
    {"g2 mass not a number", {"--mass", "abc"}, {"g2", "--mass", "abc", "--coupling", "1e-3"}},
    {"g2 unknown option", {"--bogus"}, {"g2", "--mass", "0.1", "--coupling", "1e-3", "--bogus"}},
    {"flavours unknown", {"--flavours", "'x'"}, {INT, "--process", "muenn", "--flavours", "x"}},
    {"flavours empty", {"--flavours"}, {INT, "--process", "muenn", "--flavours", ""}},
    {"flavours repeated", {"--flavours", "e,e"}, {INT, "--process", "muenn", "--flavours", "e,e"}},
    {"flavours trailing comma", {"--flavours"}, {INT, "--process", "muenn", "--flavours", "mu,"}},
    {"flavours upper case", {"--flavours"}, {INT, "--process", "muenn", "--flavours", "E"}},
    {"flavours for zprime", {"--flavours", "no such input", "muenn"}, {INT, ZP, "--flavours", "e"}},
    {"flavours for scan", {"--flavours"}, {"scan", "--out", "/nonexistent/s", "--flavours", "e"}},
    {"unknown command", {"frobnicate"}, {"frobnicate"}},
    {"unknown command that looks like an option", {"--frobnicate"}, {"--frobnicate"}},
    {"detector unknown key", {"--detector", "unknown key", "ecal_x"}, {INT, ZP, "--detector", "ecal_x=1"}},
    {"detector negative constant term", {"--detector", "ecal_b"}, {INT, ZP, "--detector", "ecal_b=-0.01"}},
    {"detector negative stochastic term", {"--detector", "ecal_a"},
     {INT, ZP, "--detector", "ecal_a=-0.028"}},
    {"detector negative theta_mu resolution", {"--detector", "theta_mu_res"},
     {INT, ZP, "--detector", "theta_mu_res=-0.01mrad"}},
    {"detector ECAL larger than physical", {"--detector", "ecal_size", "larger"},
     {INT, ZP, "--detector", "ecal_size=20"}},
    {"detector ECAL at the target", {"--detector", "ecal_dist"}, {INT, ZP, "--detector", "ecal_dist=0"}},
    {"detector veto inefficiency above 1", {"--detector", "veto_ineff"},
     {INT, ZP, "--detector", "veto_ineff=1.5"}},
    {"detector tail fraction nan", {"--detector", "tail_frac"}, {INT, ZP, "--detector", "tail_frac=nan"}},
    {"detector angle with an energy unit", {"--detector", "cluster_dtheta", "unit"},
     {INT, ZP, "--detector", "cluster_dtheta=1GeV"}},
    {"detector item without a value", {"--detector", "KEY=VALUE"}, {INT, ZP, "--detector", "ecal_a"}},
    {"detector empty", {"--detector"}, {INT, ZP, "--detector", ""}},
    {"detector unknown mode", {"--detector", "mode"}, {INT, ZP, "--detector", "mode=fast"}},
    {"detector with --no-cuts", {"--detector", "--no-cuts"},
     {INT, "--process", "elastic", "--no-cuts", "--detector", "default"}},
    {"detector: mueg under cut (i) alone lacks a hard photon", {"mueg", "infinite"},
     {INT, "--process", "mueg", "--detector", "cuts=i"}},
    {"detector: mueg with a 38-width window", {"mueg", "gen_sigmas"},
     {INT, "--process", "mueg", "--detector", "default"}},
    {"backgrounds unknown detector key", {"--detector", "unknown key"},
     {"backgrounds", "--detector", "resolution=0.1"}},
    {"backgrounds negative noise term", {"--detector", "ecal_c"}, {"backgrounds", "--detector", "ecal_c=-1GeV"}},
    {"backgrounds chooses the cuts itself", {"--detector", "cuts="}, {"backgrounds", "--detector", "cuts=i"}},
    {"backgrounds has no --process", {"--process"}, {"backgrounds", "--process", "zprime"}},
    {"backgrounds stray argument", {"extra"}, {"backgrounds", "extra"}},
    {"backgrounds json unwritable", {"--json"}, {"backgrounds", "--json", "/nonexistent/d/b.json"}},
    {"backgrounds markdown unwritable", {"--markdown"}, {"backgrounds", "--markdown", "/nonexistent/d/b.md"}},
    {"backgrounds lumi negative", {"--lumi"}, {"backgrounds", "--lumi", "-15"}},
};
#define NBAD (sizeof bad_cases / sizeof bad_cases[0])

static void test_bad_input(void **state)
{
    const bad_case *c = *state;
    run_t r;
    run_mue(&r, c->args, RUN_TIMEOUT);
    expect_failure(&r, c->needles);
    run_free(&r);
}

static void test_no_arguments(void **state)
{
    (void)state;
    run_t r;
    run_mue(&r, (const char *const[]){NULL}, RUN_TIMEOUT);
    CHECK(&r, !r.signaled && r.exited && r.code != 0, "`mue` alone must fail");
    CHECK(&r, r.out[0] == '\0', "usage error printed on stdout");
    CHECK(&r, strstr(r.err, "usage") != NULL, "no usage on stderr");
    run_free(&r);
}

/* ------------------------------------------------------------------------------------ */
/* unwritable outputs: refused before integrating, nothing left behind */

static void test_json_unwritable(void **state)
{
    (void)state;
    char dir[4200], path[4300], list[512];
    make_dir(dir, sizeof dir, "json_unwritable");
    snprintf(path, sizeof path, "%s/nodir/x.json", dir);
    run_t r;
    run_mue(&r, ARGS("integrate", ZP, HUGE, "--quiet", "--json", path), FAST_TIMEOUT);
    expect_failure(&r, (const char *const[]){"--json", path, NULL});
    CHECK(&r, dir_entries(dir, list, sizeof list) == 0, "left behind: %s", list);
    run_free(&r);

    run_mue(&r, ARGS("integrate", ZP, HUGE, "--quiet", "--json", "/nonexistent-dir/x.json"),
            FAST_TIMEOUT);
    expect_failure(&r, (const char *const[]){"--json", "/nonexistent-dir/x.json", NULL});
    CHECK(&r, !path_exists("/nonexistent-dir"), "/nonexistent-dir was created");
    run_free(&r);

    /* an existing directory cannot take the file's name */
    run_mue(&r, ARGS("integrate", ZP, HUGE, "--quiet", "--json", dir), FAST_TIMEOUT);
    expect_failure(&r, (const char *const[]){"--json", NULL});
    CHECK(&r, dir_entries(dir, list, sizeof list) == 0, "left behind: %s", list);
    run_free(&r);
}

static void test_hist_unwritable(void **state)
{
    (void)state;
    char dir[4200], file[4300], sub[4400], json[4300], list[512];
    make_dir(dir, sizeof dir, "hist_unwritable");
    snprintf(file, sizeof file, "%s/plain", dir);
    FILE *f = fopen(file, "w");
    assert_non_null(f);
    fputs("not a directory\n", f);
    fclose(f);
    snprintf(sub, sizeof sub, "%s/sub", file);
    snprintf(json, sizeof json, "%s/r.json", dir);

    run_t r;
    run_mue(&r, ARGS("integrate", ZP, HUGE, "--quiet", "--hist", sub), FAST_TIMEOUT);
    expect_failure(&r, (const char *const[]){"--hist", NULL});
    run_free(&r);

    run_mue(&r, ARGS("integrate", ZP, HUGE, "--quiet", "--hist", file), FAST_TIMEOUT);
    expect_failure(&r, (const char *const[]){"--hist", NULL});
    run_free(&r);

    /* a good --json beside a bad --hist: still refused up front, no JSON written */
    run_mue(&r, ARGS("integrate", ZP, HUGE, "--quiet", "--json", json, "--hist", sub),
            FAST_TIMEOUT);
    expect_failure(&r, (const char *const[]){"--hist", NULL});
    CHECK(&r, dir_entries(dir, list, sizeof list) == 1, "left behind: %s", list);
    char *text = slurp(file);
    assert_non_null(text);
    CHECK(&r, strcmp(text, "not a directory\n") == 0, "the regular file was changed");
    free(text);
    run_free(&r);
}

/* ------------------------------------------------------------------------------------ */
/* good input */

static void test_help_and_version(void **state)
{
    (void)state;
    static const char *const helps[][3] = {{"--help", NULL, NULL}, {"-h", NULL, NULL},
                                           {"help", NULL, NULL},   {"integrate", "--help", NULL},
                                           {"g2", "--help", NULL}};
    for (size_t k = 0; k < sizeof helps / sizeof helps[0]; k++) {
        run_t r;
        run_mue(&r, helps[k], RUN_TIMEOUT);
        expect_success(&r);
        CHECK(&r, strstr(r.out, "usage: mue") != NULL, "no usage on stdout");
        CHECK(&r, r.err[0] == '\0', "help wrote to stderr");
        run_free(&r);
    }
    run_t r;
    RUN(&r, "integrate", "--help");
    CHECK(&r, strstr(r.out, "--mass") && strstr(r.out, "--json") && strstr(r.out, "--hist"),
          "integrate --help misses options");
    run_free(&r);

    RUN(&r, "--version");
    expect_success(&r);
    char want[64];
    snprintf(want, sizeof want, "mue %s (commit ", mue_version());
    CHECK(&r, strncmp(r.out, want, strlen(want)) == 0 && strstr(r.out, "backends: cpu"),
          "--version prints '%s'", r.out);
    CHECK(&r, r.err[0] == '\0', "--version wrote to stderr");
    run_free(&r);
}

/* The line of stdout that starts with prefix (after blanks), as a new string. */
static char *line_with(const char *text, const char *prefix)
{
    for (const char *p = text; p && *p;) {
        const char *q = p;
        while (*q == ' ')
            q++;
        const char *end = strchr(p, '\n');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (strncmp(q, prefix, strlen(prefix)) == 0)
            return strndup(p, n);
        p = end ? end + 1 : NULL;
    }
    return NULL;
}

/* Runs a small integration and returns its sigma and events lines. */
static void small_run(const char *const *extra, char **sigma, char **events, run_t *keep)
{
    const char *args[MAXARGS] = {"integrate", SMALL, "--quiet", "--seed", "3"};
    size_t n = 0;
    while (args[n])
        n++;
    for (; *extra; extra++) {
        assert_true(n + 1 < MAXARGS);
        args[n++] = *extra;
    }
    args[n] = NULL;
    run_t r;
    run_mue(&r, args, RUN_TIMEOUT);
    expect_success(&r);
    *sigma = line_with(r.out, "sigma");
    *events = line_with(r.out, "events");
    CHECK(&r, *sigma && *events, "no sigma/events lines");
    CHECK(&r, !contains_ci(*sigma, "nan") && !contains_ci(*sigma, "inf"), "sigma is not finite");
    CHECK(&r, r.err[0] == '\0', "--quiet run wrote to stderr");
    if (keep)
        *keep = r;
    else
        run_free(&r);
}

static void same_result(const char *const *a, const char *const *b, int also_events)
{
    char *sa, *ea, *sb, *eb;
    small_run(a, &sa, &ea, NULL);
    small_run(b, &sb, &eb, NULL);
    if (strcmp(sa, sb) != 0)
        fail_msg("different sigma:\n%s\n%s", sa, sb);
    if (also_events && strcmp(ea, eb) != 0)
        fail_msg("different events:\n%s\n%s", ea, eb);
    free(sa);
    free(ea);
    free(sb);
    free(eb);
}

static void test_unit_suffixes(void **state)
{
    (void)state;
    same_result(ARGS("--mass", "100MeV", "--coupling", "1e-3"),
                ARGS("--mass", "0.1", "--coupling", "1e-3"), 1);
    same_result(ARGS("--mass", "9MeV", "--coupling", "1e-3"),
                ARGS("--mass", "0.009", "--coupling", "1e-3"), 1);
    same_result(ARGS("--mass", "0.1GeV", "--coupling", "1e-3"),
                ARGS("--mass=0.1", "--coupling", "1e-3"), 1);
    /* the default cut (i) is 1.5 mrad */
    same_result(ARGS(ZP, "--theta-mu-min", "1.5mrad"), ARGS(ZP), 1);
    same_result(ARGS(ZP, "--theta-mu-min", "1500urad"), ARGS(ZP, "--theta-mu-min", "0.0015"), 1);
    /* luminosity suffixes: the default is 15 fb^-1 */
    same_result(ARGS(ZP, "--lumi", "15000/pb"), ARGS(ZP), 1);
    same_result(ARGS(ZP, "--lumi", "15fb^-1"), ARGS(ZP, "--lumi", "15"), 1);
    /* energy cut suffixes */
    same_result(ARGS(ZP, "--ee-min", "1000MeV", "--ee-max", "25GeV"), ARGS(ZP), 1);
}

static void test_threads_same_result(void **state)
{
    (void)state;
    same_result(ARGS(ZP, "--threads", "1"), ARGS(ZP, "--threads", "2"), 1);
}

/* The number after "key": in a JSON text; NAN if absent. */
static double json_num(const char *text, const char *key)
{
    char pat[128];
    snprintf(pat, sizeof pat, "\"%s\":", key);
    const char *p = strstr(text, pat);
    if (!p)
        return NAN;
    char *end;
    double v = strtod(p + strlen(pat), &end);
    return end == p + strlen(pat) ? NAN : v;
}

static int json_str_is(const char *text, const char *key, const char *value)
{
    char pat[256];
    snprintf(pat, sizeof pat, "\"%s\": \"%s\"", key, value);
    return strstr(text, pat) != NULL;
}

static void test_json_output(void **state)
{
    (void)state;
    char dir[4200], path[4300], list[512];
    make_dir(dir, sizeof dir, "json");
    snprintf(path, sizeof path, "%s/result.json", dir);
    run_t r;
    RUN(&r, "integrate", ZP, SMALL, "--quiet", "--seed", "7", "--threads", "2", "--lumi", "30",
        "--json", path);
    expect_success(&r);
    CHECK(&r, dir_entries(dir, list, sizeof list) == 1, "directory holds: %s", list);
    char *j = slurp(path);
    CHECK(&r, j != NULL, "no JSON file %s", path);
    static const char *const keys[] = {
        "process", "mass_gev", "coupling", "lumi_fb", "cuts", "sigma_fb", "sigma_err_fb",
        "events", "events_err", "chi2_per_dof", "iterations", "points", "nan_weights",
        "seconds", "device", "threads", "seed", "version"};
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        char pat[64];
        snprintf(pat, sizeof pat, "\"%s\":", keys[k]);
        if (!strstr(j, pat))
            fail_msg("JSON lacks key %s:\n%s", keys[k], j);
    }
    /* values, not keys ("nan_weights"): no nan, inf, or the null a non-finite one becomes */
    static const char *const nonfinite[] = {": nan", ": -nan", ": inf", ": -inf", "null",
                                            "[nan", "[inf", "[-nan", "[-inf", " nan]", " inf]"};
    for (size_t k = 0; k < sizeof nonfinite / sizeof nonfinite[0]; k++)
        if (contains_ci(j, nonfinite[k]))
            fail_msg("JSON holds a non-finite value (%s):\n%s", nonfinite[k], j);
    /* shape: one object, braces balanced */
    size_t n = strlen(j);
    int depth = 0, bad = 0;
    for (size_t k = 0; k < n; k++) {
        depth += j[k] == '{' || j[k] == '[';
        depth -= j[k] == '}' || j[k] == ']';
        bad |= depth < 0;
    }
    if (j[0] != '{' || n < 2 || strcmp(j + n - 2, "}\n") != 0 || depth != 0 || bad)
        fail_msg("JSON is not one object:\n%s", j);
    if (!json_str_is(j, "process", "zprime") || !json_str_is(j, "device", "cpu") ||
        !json_str_is(j, "version", mue_version()))
        fail_msg("JSON process/device/version wrong:\n%s", j);
    if (json_num(j, "mass_gev") != 0.1 || json_num(j, "coupling") != 1e-3 ||
        json_num(j, "lumi_fb") != 30.0 || json_num(j, "seed") != 7.0 ||
        json_num(j, "threads") != 2.0 || json_num(j, "iterations") != 2.0 ||
        json_num(j, "points_per_iteration") != 20000.0 || json_num(j, "nan_weights") != 0.0)
        fail_msg("JSON does not echo the run's parameters:\n%s", j);
    double s = json_num(j, "sigma_fb"), se = json_num(j, "sigma_err_fb");
    double ev = json_num(j, "events"), eve = json_num(j, "events_err");
    if (!(s > 0.0 && se > 0.0 && se < s) || fabs(ev - 30.0 * s) > 1e-8 * ev ||
        fabs(eve - 30.0 * se) > 1e-6 * eve)
        fail_msg("JSON sigma/events inconsistent:\n%s", j);
    /* agrees with what was printed */
    char *line = line_with(r.out, "sigma");
    CHECK(&r, line != NULL, "no sigma line");
    double printed = strtod(strchr(line, '=') + 1, NULL);
    if (fabs(printed - s) > 1e-5 * s)
        fail_msg("printed sigma %g, JSON %g", printed, s);
    free(line);
    free(j);
    run_free(&r);

    /* a second run replaces the file, still no temporary left */
    RUN(&r, "integrate", ZP, SMALL, "--quiet", "--json", path);
    expect_success(&r);
    CHECK(&r, dir_entries(dir, list, sizeof list) == 1, "directory holds: %s", list);
    run_free(&r);
}

/* A grid trained and saved by one run, loaded by the next (no warm-up): the second
 * gives the sigma of one run doing both; other settings are refused unless forced. */
static void test_grid_files(void **state)
{
    (void)state;
    char dir[4200], grid[4300], bad[4300], list[512];
    make_dir(dir, sizeof dir, "grid");
    snprintf(grid, sizeof grid, "%s/g.json", dir);
    snprintf(bad, sizeof bad, "%s/bad.json", dir);
    run_t r;
    RUN(&r, "integrate", ZP, "--points", "20000", "--warmup", "3", "--iterations", "0",
        "--save-grid", grid, "--quiet");
    expect_success(&r);
    CHECK(&r, strstr(r.out, "grid trained") && strstr(r.out, grid), "no 'grid trained' line");
    CHECK(&r, !strstr(r.out, "sigma"), "a train-only run printed a sigma");
    CHECK(&r, dir_entries(dir, list, sizeof list) == 1, "directory holds: %s", list);
    char *g = slurp(grid);
    CHECK(&r, g && strstr(g, "\"format\": \"mue-vegas-grid\"") && strstr(g, "\"format_version\": 3") &&
                  strstr(g, "\"iterations\": 3") && strstr(g, "\"edges\""),
          "grid file lacks its format, version, iterations or edges:\n%s", g ? g : "(none)");
    free(g);
    run_free(&r);

    char *s_load, *e_load, *s_one, *e_one;
    small_run(ARGS(ZP, "--seed", "1", "--warmup", "0", "--load-grid", grid), &s_load, &e_load, NULL);
    small_run(ARGS(ZP, "--seed", "1", "--warmup", "3"), &s_one, &e_one, NULL);
    if (strcmp(s_load, s_one) != 0 || strcmp(e_load, e_one) != 0)
        fail_msg("trained + loaded differs from one run:\n%s\n%s", s_load, s_one);
    free(s_load);
    free(e_load);
    free(s_one);
    free(e_one);

    /* another mass: refused, naming what differs and the way out; forced: runs */
    RUN(&r, "integrate", "--mass", "0.2", "--coupling", "1e-3", SMALL, "--load-grid", grid, "--quiet");
    expect_failure(&r, ARGS("--load-grid", "mass", "--force-grid"));
    run_free(&r);
    RUN(&r, "integrate", "--mass", "0.2", "--coupling", "1e-3", SMALL, "--load-grid", grid,
        "--force-grid", "--quiet");
    expect_success(&r);
    run_free(&r);
    /* another coupling only scales the integrand: accepted */
    RUN(&r, "integrate", "--mass", "0.1", "--coupling", "3e-4", SMALL, "--load-grid", grid, "--quiet");
    expect_success(&r);
    run_free(&r);
    /* another process: not even forced (it has another dimension) */
    RUN(&r, "integrate", "--process", "elastic", SMALL, "--load-grid", grid, "--force-grid", "--quiet");
    expect_failure(&r, ARGS("--load-grid", "axes"));
    run_free(&r);
    /* a damaged file */
    FILE *f = fopen(bad, "w");
    assert_non_null(f);
    fputs("{\"format\": \"mue-vegas-grid\", \"format_version\": 1, \"edges\": [", f);
    fclose(f);
    RUN(&r, "integrate", ZP, SMALL, "--load-grid", bad, "--quiet");
    expect_failure(&r, ARGS("--load-grid", "bad.json"));
    run_free(&r);
}

static void check_hist_dir(const char *dir, int nbins, double sigma_fb)
{
    static const char *const names[] = {"E_e", "theta_e", "theta_mu", "E_mu"};
    static const char *const units[] = {"GeV", "rad", "rad", "GeV"};
    char list[512];
    int ne = dir_entries(dir, list, sizeof list);
    if (ne != 4)
        fail_msg("%s holds %d entries, expected the 4 CSVs: %s", dir, ne, list);
    for (int k = 0; k < 4; k++) {
        char path[4400];
        snprintf(path, sizeof path, "%s/%s.csv", dir, names[k]);
        char *t = slurp(path);
        if (!t)
            fail_msg("missing %s", path);
        if (count_lines(t) != nbins + 3)
            fail_msg("%s has %d lines, expected %d + 3 header lines", path, count_lines(t), nbins);
        char *hdr = line_with(t, "#");
        if (t[0] != '#' || !hdr || !strstr(hdr, units[k]) || !strstr(hdr, "fb") ||
            !strstr(hdr, names[k]))
            fail_msg("%s: first line is not a '#' header with the units:\n%s", path, t);
        char *outside = strchr(t, '\n') + 1;
        if (strncmp(outside, "# outside the range: ", 21) != 0)
            fail_msg("%s: the second line does not give the sigma outside the range:\n%s", path, t);
        char *cols = strchr(outside, '\n') + 1;
        char *colhdr = strndup(cols, (size_t)(strchr(cols, '\n') - cols));
        if (strncmp(colhdr, "lo_", 3) != 0 || !strstr(colhdr, units[k]) ||
            !strstr(colhdr, "sigma_fb"))
            fail_msg("%s: second line is not the column header: %s", path, colhdr);
        free(colhdr);
        const char *row = strchr(cols, '\n') + 1;
        double prev_hi = NAN, sum = 0.0;
        for (int b = 0; b < nbins; b++) {
            double v[6];
            const char *p = row;
            for (int c = 0; c < 6; c++) {
                char *end;
                v[c] = strtod(p, &end);
                if (end == p || !isfinite(v[c]) || *end != (c < 5 ? ',' : '\n'))
                    fail_msg("%s: data row %d is not 6 finite numbers", path, b + 1);
                p = end + 1;
            }
            if (!(v[1] > v[0]) || (b > 0 && fabs(v[0] - prev_hi) > 1e-7 * fabs(v[1])) ||
                v[2] < 0.0 || v[3] < 0.0)
                fail_msg("%s: bad row %d", path, b + 1);
            prev_hi = v[1];
            sum += v[2];
            row = p;
        }
        /* the cut window 1 < E_e < 25 GeV lies inside the E_e histogram's range */
        if (k == 0 && fabs(sum - sigma_fb) > 1e-4 * sigma_fb)
            fail_msg("%s: bins sum to %g fb, sigma is %g fb", path, sum, sigma_fb);
        free(hdr);
        free(t);
    }
}

static void test_hist_output(void **state)
{
    (void)state;
    char dir[4200], hdir[4300], jpath[4300];
    make_dir(dir, sizeof dir, "hist");
    snprintf(hdir, sizeof hdir, "%s/h7", dir); /* does not exist yet: created */
    snprintf(jpath, sizeof jpath, "%s/r.json", dir);
    run_t r;
    RUN(&r, "integrate", ZP, SMALL, "--quiet", "--hist", hdir, "--hist-bins", "7", "--json",
        jpath);
    expect_success(&r);
    char *j = slurp(jpath);
    CHECK(&r, j != NULL, "no JSON");
    check_hist_dir(hdir, 7, json_num(j, "sigma_fb"));
    free(j);
    run_free(&r);

    snprintf(hdir, sizeof hdir, "%s/h100", dir);
    assert_int_equal(mkdir(hdir, 0700), 0); /* exists already: fine too */
    RUN(&r, "integrate", ZP, SMALL, "--quiet", "--hist", hdir, "--json", jpath);
    expect_success(&r);
    j = slurp(jpath);
    CHECK(&r, j != NULL, "no JSON");
    check_hist_dir(hdir, 100, json_num(j, "sigma_fb"));
    free(j);
    run_free(&r);

    /* --hist-range moves the edges of one histogram and leaves the others */
    snprintf(hdir, sizeof hdir, "%s/hr", dir);
    RUN(&r, "integrate", ZP, SMALL, "--quiet", "--hist", hdir, "--hist-bins", "10",
        "--hist-range", "E_e=2:12");
    expect_success(&r);
    char path[4400];
    snprintf(path, sizeof path, "%s/E_e.csv", hdir);
    char *t = slurp(path);
    CHECK(&r, t && strstr(t, "\n2,3,") && strstr(t, "\n11,12,"), "E_e edges not 2..12 in steps of 1");
    free(t);
    snprintf(path, sizeof path, "%s/E_mu.csv", hdir);
    t = slurp(path);
    CHECK(&r, t && strstr(t, "\n0,15,") && strstr(t, "\n135,150,"), "E_mu edges moved");
    free(t);
    run_free(&r);
}

static int has_progress(const char *err)
{
    return strstr(err, "iter ") || strstr(err, "warm-up ");
}

static void test_quiet_and_device(void **state)
{
    (void)state;
    run_t r;
    /* stderr is a file here, not a terminal: never progress lines */
    RUN(&r, "integrate", ZP, SMALL, "--quiet");
    expect_success(&r);
    CHECK(&r, r.err[0] == '\0', "--quiet printed on stderr");
    run_free(&r);

    RUN(&r, "integrate", ZP, SMALL, "--device", "cpu");
    expect_success(&r);
    CHECK(&r, r.err[0] == '\0', "progress lines although stderr is not a terminal");
    run_free(&r);

    /* auto: falls back to the CPU and says so, once */
    RUN(&r, "integrate", ZP, SMALL, "--device", "auto");
    expect_success(&r);
    CHECK(&r, count_lines(r.err) == 1 && contains_ci(r.err, "cpu") && strstr(r.err, "auto"),
          "--device auto does not say, in one line, that it runs on the CPU");
    CHECK(&r, !has_progress(r.err), "progress lines although stderr is not a terminal");
    CHECK(&r, strstr(r.out, "on cpu") != NULL, "result does not say it ran on the cpu");
    run_free(&r);

    RUN(&r, "integrate", ZP, SMALL, "--device", "auto", "--quiet");
    expect_success(&r);
    CHECK(&r, r.err[0] == '\0', "--device auto --quiet printed on stderr");
    run_free(&r);
}

static void test_progress_on_terminal(void **state)
{
    (void)state;
    run_t r;
    if (!run_mue_ex(&r, ARGS("integrate", ZP, SMALL, "--device", "cpu"), RUN_TIMEOUT, 1)) {
        skip();
        return;
    }
    expect_success(&r);
    CHECK(&r, has_progress(r.err), "no progress lines on a terminal");
    run_free(&r);

    assert_true(run_mue_ex(&r, ARGS("integrate", ZP, SMALL, "--quiet"), RUN_TIMEOUT, 1));
    expect_success(&r);
    CHECK(&r, !has_progress(r.err) && r.err[0] == '\0', "--quiet printed on a terminal");
    run_free(&r);
}

static void test_elastic_runs(void **state)
{
    (void)state;
    run_t r;
    RUN(&r, "integrate", "--process", "elastic", SMALL, "--quiet");
    expect_success(&r);
    CHECK(&r, strstr(r.out, "process elastic") != NULL, "not an elastic run");
    CHECK(&r, !contains_ci(r.out, "nan") && !contains_ci(r.out, "inf"), "nan/inf printed");
    run_free(&r);
}

/* mue backgrounds on a small budget: the table, valid JSON with every row, the
 * markdown; elastic without a detector exactly 0 inside (i)+(ii); the leak below the
 * 10 MeV signal at the default resolution; the mueg row and its crossing; the muenn row */
static void test_backgrounds_runs(void **state)
{
    (void)state;
    char dir[4200], js[4300], md[4300];
    make_dir(dir, sizeof dir, "backgrounds");
    snprintf(js, sizeof js, "%s/b.json", dir);
    snprintf(md, sizeof md, "%s/b.md", dir);
    run_t r;
    RUN(&r, "backgrounds", "--points", "20000", "--iterations", "3", "--warmup", "2", "--rel-error", "0",
        "--no-leak-scan", "--quiet", "--json", js, "--markdown", md);
    expect_success(&r);
    CHECK(&r, strstr(r.out, "0 (exact)") != NULL, "elastic ideal not exactly 0");
    /* a number, never nan or inf (a note may say "infinite") */
    CHECK(&r, !contains_ci(r.out, "nan") && !contains_ci(r.out, " inf ") && !contains_ci(r.out, "+- inf"),
          "nan/inf printed");
    json_error_t e;
    json_t *j = json_load_file(js, 0, &e);
    CHECK(&r, j != NULL, "invalid JSON: %s", e.text);
    json_t *rows = json_object_get(j, "rows");
    CHECK(&r, json_array_size(rows) == 7, "rows");
    double sig = json_number_value(json_object_get(json_object_get(json_array_get(rows, 0), "i_ii"), "events"));
    double el = json_number_value(json_object_get(json_object_get(json_array_get(rows, 2), "i_ii"), "events"));
    double leak = json_number_value(json_object_get(json_object_get(json_array_get(rows, 3), "i_ii"), "events"));
    CHECK(&r, sig > 400 && sig < 700, "10 MeV signal %g", sig);
    CHECK(&r, el == 0.0, "elastic ideal %g", el);
    CHECK(&r, leak > 0.0 && leak < 1e-6 * sig, "leak %g", leak);
    /* mu e nu nubar: the irreducible background, ~1e-6 events, the same after the veto;
     * through the ideal detector and smeared, which agree to a few per cent */
    double nn2[2];
    for (int k = 0; k < 2; k++) {
        json_t *nn = json_array_get(rows, 5 + k);
        const char *key = json_string_value(json_object_get(nn, "key"));
        CHECK(&r, key && strcmp(key, k ? "muenn_smeared" : "muenn_ideal") == 0, "row %d is %s", 5 + k,
              key ? key : "(none)");
        double n2 = json_number_value(json_object_get(json_object_get(nn, "i_ii"), "events"));
        double n3 = json_number_value(json_object_get(json_object_get(nn, "i_ii_iii"), "events"));
        CHECK(&r, n2 > 1e-7 && n2 < 1e-5 && n3 == n2, "muenn %g, after the veto %g", n2, n3);
        nn2[k] = n2;
    }
    CHECK(&r, fabs(nn2[1] / nn2[0] - 1.0) < 0.05, "muenn smeared %g against ideal %g", nn2[1], nn2[0]);
    json_t *mg = json_array_get(rows, 4);
    CHECK(&r, json_object_get(json_object_get(mg, "veto_ineff_equal_signal"), "value") != NULL,
          "no crossing");
    CHECK(&r, strcmp(json_string_value(json_object_get(json_object_get(mg, "veto_ineff_equal_signal"), "signal")),
                     "zprime_10MeV") == 0,
          "the crossing is not against the 10 MeV signal");
    json_decref(j);
    FILE *f = fopen(md, "r");
    CHECK(&r, f != NULL, "no markdown");
    char line[1024];
    int table = 0;
    while (f && fgets(line, sizeof line, f))
        table += strncmp(line, "| process |", 11) == 0;
    if (f)
        fclose(f);
    CHECK(&r, table == 1, "markdown table header");
    run_free(&r);
}

/* mu e -> mu e gamma: inside (i)+(ii) with no photon option (the cuts keep it hard), and
 * without cuts with --egamma-min; a number, no nan or inf */
static void test_mueg_runs(void **state)
{
    (void)state;
    run_t r;
    RUN(&r, "integrate", "--process", "mueg", SMALL, "--quiet");
    expect_success(&r);
    CHECK(&r, strstr(r.out, "process mueg") != NULL, "not a mueg run");
    CHECK(&r, !contains_ci(r.out, "nan") && !contains_ci(r.out, "inf"), "nan/inf printed");
    run_free(&r);
    RUN(&r, "integrate", "--process", "mueg", SMALL, "--quiet", "--no-cuts", "--egamma-min", "10GeV");
    expect_success(&r);
    CHECK(&r, !contains_ci(r.out, "nan") && !contains_ci(r.out, "inf"), "nan/inf printed");
    run_free(&r);
    /* a grid trained with a photon-energy cut is refused by a run without it */
    char dir[4200], grid[4300];
    make_dir(dir, sizeof dir, "mueg_grid");
    snprintf(grid, sizeof grid, "%s/g.json", dir);
    RUN(&r, "integrate", "--process", "mueg", SMALL, "--quiet", "--egamma-min", "20", "--save-grid", grid);
    expect_success(&r);
    run_free(&r);
    RUN(&r, "integrate", "--process", "mueg", SMALL, "--quiet", "--load-grid", grid);
    const char *const needles[] = {"--load-grid", "--egamma-min", NULL};
    expect_failure(&r, needles);
    run_free(&r);
}

/* muenn sums or selects neutrino flavours; the output says which */
static void test_muenn_runs(void **state)
{
    (void)state;
    run_t r;
    RUN(&r, "integrate", "--process", "muenn", "--flavours", "tau,e", SMALL, "--quiet");
    expect_success(&r);
    CHECK(&r, strstr(r.out, "process muenn  nu flavours e,tau") != NULL, "flavours not printed");
    CHECK(&r, !contains_ci(r.out, "nan") && !contains_ci(r.out, "inf"), "nan/inf printed");
    run_free(&r);
}

static void test_g2_good(void **state)
{
    (void)state;
    char dir[4200], path[4300], list[512];
    make_dir(dir, sizeof dir, "g2");
    snprintf(path, sizeof path, "%s/g2.json", dir);
    run_t r;
    RUN(&r, "g2", "--mass", "100MeV", "--coupling", "1e-3", "--json", path);
    expect_success(&r);
    CHECK(&r, strstr(r.out, "Delta a_mu") && strstr(r.out, "wp20") && strstr(r.out, "wp25"),
          "g2 output incomplete");
    CHECK(&r, !contains_ci(r.out, "nan") && !contains_ci(r.out, "inf"), "nan/inf printed");
    CHECK(&r, r.err[0] == '\0', "g2 wrote to stderr");
    CHECK(&r, dir_entries(dir, list, sizeof list) == 1, "directory holds: %s", list);
    char *j = slurp(path);
    CHECK(&r, j != NULL, "no g2 JSON");
    if (json_num(j, "mass_gev") != 0.1 || json_num(j, "coupling") != 1e-3 ||
        !(json_num(j, "delta_amu") > 0.0) || !json_str_is(j, "version", mue_version()))
        fail_msg("g2 JSON wrong:\n%s", j);
    free(j);
    run_free(&r);
}

int main(void)
{
    static struct CMUnitTest tests[NBAD + 16];
    size_t n = 0;
    for (size_t k = 0; k < NBAD; k++)
        tests[n++] = (struct CMUnitTest){bad_cases[k].name, test_bad_input, NULL, NULL,
                                         (void *)&bad_cases[k]};
    const struct CMUnitTest good[] = {
        cmocka_unit_test(test_no_arguments),
        cmocka_unit_test(test_json_unwritable),
        cmocka_unit_test(test_hist_unwritable),
        cmocka_unit_test(test_help_and_version),
        cmocka_unit_test(test_unit_suffixes),
        cmocka_unit_test(test_threads_same_result),
        cmocka_unit_test(test_json_output),
        cmocka_unit_test(test_hist_output),
        cmocka_unit_test(test_quiet_and_device),
        cmocka_unit_test(test_progress_on_terminal),
        cmocka_unit_test(test_elastic_runs),
        cmocka_unit_test(test_backgrounds_runs),
        cmocka_unit_test(test_mueg_runs),
        cmocka_unit_test(test_muenn_runs),
        cmocka_unit_test(test_g2_good),
        cmocka_unit_test(test_grid_files),
    };
    for (size_t k = 0; k < sizeof good / sizeof good[0]; k++)
        tests[n++] = good[k];
    return _cmocka_run_group_tests("mue command line", tests, n, group_setup, group_teardown);
}
