/* Fuzzing, seeded and with a fixed budget so that every run of `make test` is the same:
 * the unit parser in process (random strings, and numbers written with every unit),
 * and the command line through the built binary (random commands, options and values,
 * with a tiny integration budget appended). Whatever the input, mue must exit 0 with
 * finite numbers and well-formed files, or exit 2 with a reason on stderr; never a
 * signal, a sanitizer report (exit 1 in `make test-asan`), a hang, a temporary left
 * behind or a file holding nan or inf. A failing case prints its argv: add it to the
 * regressions below.
 *
 * Files too: real grids and checkpoints, mutated with knowledge of their structure (a
 * value replaced, removed or repeated, an array cut, the content hash redone so that the
 * mutation reaches the checks behind it) or byte by byte, then loaded.
 *
 * MUE_FUZZ_SEED, MUE_FUZZ_RUNS (command lines), MUE_FUZZ_FILES (mutated files) and
 * MUE_FUZZ_STRINGS (unit-parser strings) change the budget, for a longer hunt by hand
 * (make fuzz-hunt). */
#include "cli_run.h"

#include <ctype.h>
#include <float.h>
#include <jansson.h>

#include "util/hash.h"
#include "util/jsonfile.h"
#include "util/units.h"

static uint64_t rng_state;

/* splitmix64: a small generator whose stream the seed fixes */
static uint64_t rnd(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}
static unsigned pick(unsigned n) { return (unsigned)(rnd() % n); }
static double unif(void) { return (rnd() >> 11) * 0x1.0p-53; }

static long env_long(const char *name, long dflt)
{
    const char *v = getenv(name);
    return v && *v ? strtol(v, NULL, 0) : dflt;
}

#define COUNT(a) (sizeof(a) / sizeof *(a))

/* ------------------------------------------------------------------------------------ */
/* the unit parser */

static const char *const atoms[] = {
    "0", "1", "2", "5", "9", ".", "e", "E", "-", "+", "e-", "e+", "308", "320", "400", "1e",
    "MeV", "GeV", "keV", "eV", "TeV", "mrad", "urad", "rad", "deg", "/fb", "fb^-1", "fb-1",
    "/pb", "/ab", "ab^-1", "/", " ", "\t", "nan", "inf", "infinity", "0x", "p", "x", "_",
    ",", "=", "\xff", "\xc3\xa9", "18446744073709551615", "9007199254740993", "00000000000"};

static void random_string(char *s, size_t len)
{
    size_t n = 0;
    for (unsigned k = pick(7); k-- > 0 && n < len - 1;) {
        const char *a = atoms[pick(COUNT(atoms))];
        char byte[2] = {(char)(1 + pick(255)), 0};
        if (pick(20) == 0)
            a = byte; /* any byte but NUL */
        n += (size_t)snprintf(s + n, len - n, "%s", a);
    }
    if (n >= len)
        s[len - 1] = '\0';
}

static void test_unit_parser_random_strings(void **state)
{
    (void)state;
    long n = env_long("MUE_FUZZ_STRINGS", 200000);
    static const mue_unit_kind kinds[] = {MUE_UNIT_NONE, MUE_UNIT_ENERGY, MUE_UNIT_ANGLE,
                                          MUE_UNIT_LUMI};
    long accepted = 0;
    for (long i = 0; i < n; i++) {
        char s[128];
        random_string(s, sizeof s);
        for (size_t k = 0; k < COUNT(kinds); k++) {
            double v = -12345.0, w = -54321.0;
            int rc = mue_parse_quantity(s, kinds[k], &v);
            if (rc != 0 && rc != -1 && rc != -2 && rc != -3)
                fail_msg("mue_parse_quantity(\"%s\", %d) returned %d", s, (int)kinds[k], rc);
            if (rc == 0 && !(isfinite(v) && (v == 0.0 || isnormal(v))))
                fail_msg("mue_parse_quantity(\"%s\", %d) accepted %g", s, (int)kinds[k], v);
            if (mue_parse_quantity(s, kinds[k], &w) != rc || (rc == 0 && v != w))
                fail_msg("mue_parse_quantity(\"%s\") is not deterministic", s);
            accepted += rc == 0;
        }
        uint64_t c = 0;
        int rc = mue_parse_count(s, &c);
        if (rc != 0 && rc != -1 && rc != -3)
            fail_msg("mue_parse_count(\"%s\") returned %d", s, rc);
        if (rc == 0) {
            /* a count written back in digits reads as the same count */
            char back[32];
            uint64_t c2 = 1;
            snprintf(back, sizeof back, "%llu", (unsigned long long)c);
            if (mue_parse_count(back, &c2) != 0 || c2 != c)
                fail_msg("mue_parse_count(\"%s\") = %s does not read back", s, back);
        }
    }
    /* the alphabet reaches the accepting paths, not only the errors */
    assert_true(accepted > n / 100);
    /* found by this fuzzer: a ratio below the normal doubles was accepted */
    double v;
    assert_int_equal(mue_parse_quantity("1./1e308", MUE_UNIT_NONE, &v), -3);
    assert_int_equal(mue_parse_quantity("0x1p-1074", MUE_UNIT_NONE, &v), -3);
    assert_int_equal(mue_parse_quantity("0x1p-1074GeV", MUE_UNIT_ENERGY, &v), -3);
    assert_int_equal(mue_parse_quantity("1e-300/1e10", MUE_UNIT_NONE, &v), -3);
}

/* Numbers written with each unit: the value in base units, or -3 beyond a double. */
static void test_unit_parser_round_trip(void **state)
{
    (void)state;
    static const struct {
        mue_unit_kind kind;
        const char *name;
        double mul, div;
    } units[] = {{MUE_UNIT_ENERGY, "GeV", 1, 1},  {MUE_UNIT_ENERGY, "MeV", 1, 1e3},
                 {MUE_UNIT_ENERGY, "keV", 1, 1e6}, {MUE_UNIT_ENERGY, "eV", 1, 1e9},
                 {MUE_UNIT_ENERGY, "TeV", 1e3, 1}, {MUE_UNIT_ANGLE, "mrad", 1, 1e3},
                 {MUE_UNIT_ANGLE, "urad", 1, 1e6}, {MUE_UNIT_ANGLE, "rad", 1, 1},
                 {MUE_UNIT_LUMI, "/fb", 1, 1},     {MUE_UNIT_LUMI, "/pb", 1, 1e3},
                 {MUE_UNIT_LUMI, "/ab", 1e3, 1},   {MUE_UNIT_NONE, "", 1, 1}};
    for (int i = 0; i < 100000; i++) {
        double v = (unif() * 9.0 + 1.0) * pow(10.0, (double)pick(620) - 310.0);
        if (!isfinite(v))
            continue;
        if (pick(4) == 0)
            v = -v;
        unsigned k = pick(COUNT(units));
        char s[64];
        snprintf(s, sizeof s, "%.17g%s", v, units[k].name);
        double parsed = strtod(s, NULL), got = 0.0;
        int rc = mue_parse_quantity(s, units[k].kind, &got);
        double want = parsed * units[k].mul / units[k].div;
        int representable = isfinite(want) && isnormal(parsed) && isnormal(want);
        if (representable && (rc != 0 || got != want))
            fail_msg("'%s': rc %d, %.17g instead of %.17g", s, rc, got, want);
        if (!representable && rc != -3)
            fail_msg("'%s' is beyond a double but gave rc %d (%g)", s, rc, got);
    }
}

/* ------------------------------------------------------------------------------------ */
/* the command line */

static const char *const commands[] = {"integrate", "integrate", "integrate", "scan", "scan",
                                       "generate", "generate", "backgrounds", "g2", "kinematics",
                                       "help", "--help", "--version", "frobnicate", "", "-"};

typedef enum { V_NONE, V_ENERGY, V_NUMBER, V_COUNT, V_PATH, V_WORD, V_DETECTOR, V_FLAVOURS,
               V_EVENTS } value_kind;

static const struct {
    const char *name;
    value_kind kind;
} options[] = {
    {"--process", V_WORD},      {"--mass", V_ENERGY},       {"--coupling", V_NUMBER},
    {"--alpha", V_NUMBER},      {"--beam-energy", V_ENERGY}, {"--lumi", V_NUMBER},
    {"--theta-mu-min", V_NUMBER}, {"--ee-min", V_ENERGY},   {"--ee-max", V_ENERGY},
    {"--no-cuts", V_NONE},      {"--points", V_COUNT},      {"--iterations", V_COUNT},
    {"--warmup", V_COUNT},      {"--rel-error", V_NUMBER},  {"--seed", V_COUNT},
    {"--grid-bins", V_COUNT},   {"--threads", V_COUNT},     {"--device", V_WORD},
    {"--no-strata", V_NONE},    {"--quiet", V_NONE},        {"--json", V_PATH},
    {"--hist", V_PATH},         {"--hist-bins", V_COUNT},   {"--hist-range", V_WORD},
    {"--masses", V_WORD},       {"--n-masses", V_COUNT},    {"--mass-min", V_ENERGY},
    {"--mass-mid", V_ENERGY},   {"--out", V_PATH},          {"--g2", V_WORD},
    {"--restart", V_NONE},      {"--csv", V_PATH},          {"--n", V_COUNT},
    {"--save-grid", V_PATH},    {"--load-grid", V_PATH},    {"--force-grid", V_NONE},
    {"--help", V_NONE},         {"--mas", V_ENERGY},        {"-m", V_ENERGY},
    {"--", V_NONE},             {"-", V_NONE},
    /* the newer inputs: the detector, the small processes, checkpoints, events */
    {"--detector", V_DETECTOR}, {"--detector", V_DETECTOR}, {"--flavours", V_FLAVOURS},
    {"--egamma-min", V_ENERGY}, {"--beta", V_NUMBER},       {"--checkpoint", V_PATH},
    {"--resume", V_PATH},       {"--checkpoint-every", V_NUMBER}, {"--markdown", V_PATH},
    {"--no-leak-scan", V_NONE}, {"--events", V_COUNT},      {"--format", V_EVENTS},
    {"--weighted", V_NONE},     {"--max-weight", V_EVENTS}, {"--overweight", V_EVENTS},
    {"--survey", V_COUNT},      {"--gzip-level", V_COUNT},
};

static const char *const energies[] = {"10MeV", "0.1", "0.2994", "1e-6", "1e-7", "1keV",
                                       "300MeV", "150", "1e6", "1.1e6", "0.1057", "0.106",
                                       "5GeV", "25", "1", "0.0005", "2mrad", "1e-320"};
static const char *const numbers[] = {"5e-4", "1e-3", "10", "11", "1e-20", "1e-21", "1/137",
                                      "1/0", "0.5", "2", "1.5mrad", "6mrad", "0.2rad", "90deg",
                                      "15", "1/ab", "1e10", "1e11", "-0", "0.003", "1e308"};
static const char *const counts[] = {"0", "1", "2", "3", "99", "100", "500", "1e3", "2000",
                                     "1.5", "1e3.5", "18446744073709551615",
                                     "18446744073709551616", "9007199254740993", "4096",
                                     "4097", "+5", " 5", "2e9"};
static const char *const words[] = {"zprime", "elastic", "muonium", "cpu", "gpu", "auto",
                                    "wp20", "wp25", "2.5e-9,6e-10", "1,2", "0.01,0.05",
                                    "0.01,0.01", "0.05,0.01", "0.3", "E_e=1:25", "E_e=5:1",
                                    "E_mu=0:150", "theta_mu=0:0.005", "E_gamma=0:1", "E_e=0",
                                    "E_e=-1e7:1e7", "x=1:2"};
static const char *const detector_items[] = {
    "default", "ecal_a=0.028", "ecal_b=0.1", "ecal_b=-1", "ecal_c=0", "tail_frac=0.01",
    "tail_frac=1.5", "tail_scale=3", "tail_scale=0", "ecal_size=1", "ecal_size=6",
    "ecal_dist=0", "ecal_dist=1e300", "cluster_dtheta=1mrad", "cluster_dtheta=nan",
    "theta_mu_res=0", "theta_mu_res=0.1mrad", "veto_emin=1", "veto_emin=1e-320",
    "veto_ineff=1e-3", "veto_ineff=2", "mode=sample", "mode=expect", "mode=x", "cuts=i",
    "cuts=i+ii", "cuts=i+ii+iii", "cuts=ii", "cuts=", "gen_sigmas=38", "gen_sigmas=0",
    "gen_sigmas=1e9", "ecal_a", "=1", "x=1", "", " ", "ecal_a=0.028=1", "\xff=1"};
static const char *const flavour_items[] = {"e", "mu", "tau", "e", "x", "", " ", "E", "mu mu"};
static const char *const event_words[] = {"lhef", "hepmc3", "csv", "", "quantile:0.9999", "max",
                                          "quantile:1", "quantile:0", "quantile:1.5", "quantile:",
                                          "quantile:nan", "keep", "truncate", "drop"};
static const char *const garbage[] = {"", " ", "nan", "inf", "-inf", "-1", "abc", "--mass",
                                      "1e999", "0x1p-1074", "\xff\xfe", "1,,2", "=", "%s%n"};

/* A value for option o: usually of its kind, sometimes garbage. Paths lie in run_dir
 * (a fresh directory per case) or are absent, empty, or a directory. */
static const char *value_for(value_kind kind, const char *run_dir, char *buf, size_t len)
{
    if (pick(8) == 0)
        return garbage[pick(COUNT(garbage))];
    switch (kind) {
    case V_ENERGY: return energies[pick(COUNT(energies))];
    case V_NUMBER: return numbers[pick(COUNT(numbers))];
    case V_COUNT: return counts[pick(COUNT(counts))];
    case V_WORD: return words[pick(COUNT(words))];
    case V_EVENTS: return event_words[pick(COUNT(event_words))];
    case V_DETECTOR:
    case V_FLAVOURS: {
        /* a comma list of items, now and then with a separator doubled or at an end */
        const int det = kind == V_DETECTOR;
        size_t n = 0;
        for (unsigned k = 1 + pick(det ? 5 : 4); k-- > 0 && n < len - 64;) {
            const char *item = det ? detector_items[pick(COUNT(detector_items))]
                                   : flavour_items[pick(COUNT(flavour_items))];
            n += (size_t)snprintf(buf + n, len - n, "%s%s", item, k ? (pick(10) ? "," : ",,") : "");
        }
        if (pick(10) == 0 && n < len - 2)
            buf[n++] = ',', buf[n] = '\0';
        return buf;
    }
    case V_PATH: {
        static const char *const names[] = {"a.json", "b", "b/c.json", "", ".", "sub/",
                                            "no/such/dir/x", "a.json/x"};
        snprintf(buf, len, "%s/%s", run_dir, names[pick(COUNT(names))]);
        return buf;
    }
    default: return "";
    }
}

/* The files a case asked for in a format other than JSON (--csv, --out, --markdown):
 * a name ending in .json does not make them JSON. */
static const char *not_json[8];
static int n_not_json;

static void note_not_json(const char *const *args)
{
    static const char *const opts[] = {"--csv", "--out", "--markdown"};
    n_not_json = 0;
    for (int i = 0; args[i] && n_not_json < 8; i++)
        for (size_t k = 0; k < COUNT(opts); k++) {
            size_t n = strlen(opts[k]);
            if (strcmp(args[i], opts[k]) == 0 && args[i + 1])
                not_json[n_not_json++] = args[i + 1];
            else if (strncmp(args[i], opts[k], n) == 0 && args[i][n] == '=')
                not_json[n_not_json++] = args[i] + n + 1;
        }
}

static int is_not_json(const char *path)
{
    for (int k = 0; k < n_not_json; k++)
        if (strcmp(not_json[k], path) == 0)
            return 1;
    return 0;
}

/* Whatever a finished case wrote: JSON parses, no nan/inf, no temporary left. */
static int check_files(const char *dir, char *why, size_t len)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int bad = 0;
    for (struct dirent *e; !bad && (e = readdir(d));) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char p[8192];
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        struct stat st;
        if (lstat(p, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            bad = check_files(p, why, len);
            continue;
        }
        if (strncmp(e->d_name, ".mue-tmp.", 9) == 0) {
            snprintf(why, len, "temporary left behind: %s", p);
            bad = 1;
            continue;
        }
        char *t = slurp(p);
        if (!t)
            continue;
        if (has_nonfinite_word(t))
            bad = snprintf(why, len, "%s holds nan or inf", p) > 0;
        size_t n = strlen(e->d_name);
        if (!bad && n > 5 && strcmp(e->d_name + n - 5, ".json") == 0 && !is_not_json(p)) {
            json_error_t je;
            json_t *j = json_loads(t, JSON_REJECT_DUPLICATES, &je);
            if (!j)
                bad = snprintf(why, len, "%s is not valid JSON: %s", p, je.text) > 0;
            json_decref(j);
        }
        free(t);
    }
    closedir(d);
    return bad;
}

static long n_results, n_refused;
static int last_dropped_nan; /* the last case reported dropped non-finite weights */

/* One command line: the properties every run of mue must have. */
static void check_case(const char *const *args, const char *run_dir)
{
    run_t r;
    run_mue(&r, args, 60.0);
    CHECK(&r, !r.timed_out, "hung (killed after 60 s)");
    CHECK(&r, !r.signaled, "killed by signal %d", r.sig);
    CHECK(&r, r.exited && (r.code == 0 || r.code == 2),
          "exit status %d (0: a result, 2: refused; 1 is a sanitizer's report)", r.code);
    /* help texts may name NaN; results may not */
    /* the one place a result may name NaN: the count of weights it dropped */
    last_dropped_nan = strstr(r.out, "NaN or infinite weights were dropped") != NULL;
    char *text = strdup(r.out);
    assert_non_null(text);
    for (char *w; (w = strstr(text, "NaN or infinite weights were dropped"));)
        memcpy(w, "non-finite", 10);
    CHECK(&r, strncmp(r.out, "usage:", 6) == 0 || !has_nonfinite_word(text), "nan or inf on stdout");
    free(text);
    n_results += r.code == 0;
    n_refused += r.code == 2;
    if (r.code == 2) {
        size_t n = strlen(r.err);
        CHECK(&r, n > 0 && r.err[n - 1] == '\n', "refused without a reason on stderr");
        const char *last = r.err + n - 1;
        while (last > r.err && last[-1] != '\n')
            last--;
        CHECK(&r, strncmp(last, "mue", 3) == 0 || strncmp(last, "usage", 5) == 0 ||
                      strstr(r.err, "usage: mue"),
              "the reason is not mue's");
    }
    char why[8400];
    note_not_json(args);
    CHECK(&r, !check_files(run_dir, why, sizeof why), "%s", why);
    run_free(&r);
}

/* Command lines that once broke mue, kept as they were found. */
static const char *const regressions[][24] = {
    {"integrate", "--mass", "1e-300", "--coupling", "5e-4", "--no-cuts", "--points", "2e3"},
    {"integrate", "--beam-energy", "1e12", "--mass", "1MeV", "--coupling", "5e-4", "--no-cuts"},
    {"kinematics", "--beam-energy", "1e20", "--n", "4"},
    {"integrate", "--mass", "10MeV", "--coupling", "1e80", "--points", "2e3"},
    {"scan", "--masses", "0.01", "--coupling", "1e-200", "--out", "@/s"},
    {"integrate", "--mass", "10MeV", "--coupling", "5e-4", "--lumi", "1e308", "--points", "2e3"},
    {"integrate", "--mass", "10MeV", "--coupling", "5e-4", "--hist-range",
     "E_e=-1e308:1e308", "--hist", "@/h", "--points", "2e3"},
    {"g2", "--mass", "10MeV", "--coupling", "1e200", "--json", "@/g.json"},
    {"g2", "--mass", "1e-200", "--coupling", "1e-3"},
    {"g2", "--mass", "1e4", "--coupling", "10", "--json", "@/g.json"},
    {"integrate", "--mass", "10MeV", "--coupling", "5e-4", "--points", "2"},
    {"integrate", "--mass", "10MeV", "--coupling", "5e-4", "--seed", "18446744073709551615",
     "--points", "2e3"},
    {"integrate", "--mass", "10MeV", "--coupling", "5e-4", "--json", "", "--points", "2e3"},
    {"integrate", "--mass", "10MeV", "--coupling", "5e-4", "--json", "@/x", "--hist", "@/x",
     "--points", "2e3"},
    {"scan", "--json", "x.json"},
    {"integrate", "--mass", "1e-320", "--coupling", "1e-3"},
    /* found by the fuzzer: a subnormal alpha gave "alpha = 1/inf" and sigma = 0 */
    {"integrate", "--mass", "0.1", "--coupling", "5e-4", "--alpha", "0x1p-1074", "--points",
     "500", "--iterations", "1", "--warmup", "1", "--quiet"},
    {"integrate", "--mass", "0.1", "--coupling", "5e-4", "--alpha", "1e-300", "--points", "500",
     "--iterations", "1", "--warmup", "1", "--quiet"},
};

/* "@" at the start of an argument stands for the case's directory. */
static void run_case(const char *const *argv, int n, int index)
{
    char run_dir[4300], store[MAXARGS][4400];
    const char *args[MAXARGS + 1];
    snprintf(run_dir, sizeof run_dir, "%s/case%d", scratch, index);
    assert_int_equal(mkdir(run_dir, 0700), 0);
    int k = 0;
    for (int i = 0; i < n && k < MAXARGS; i++, k++) {
        if (argv[i][0] == '@') {
            snprintf(store[k], sizeof store[k], "%s%s", run_dir, argv[i] + 1);
            args[k] = store[k];
        } else
            args[k] = argv[i];
    }
    args[k] = NULL;
    /* in the case's own directory: a relative name the fuzzer made up ("abc", "-1",
     * "--json=@/a.json") lands there, is checked with the rest, and goes with it */
    assert_int_equal(chdir(run_dir), 0);
    check_case(args, run_dir);
    assert_int_equal(chdir(scratch), 0);
    nftw(run_dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* The scratch directory, and mue named by an absolute path: the cases run from
 * directories of their own, never from the caller's (the repository, in make test). */
static int fuzz_setup(void **state)
{
    if (group_setup(state))
        return -1;
    char abs[4096];
    if (!realpath(mue_bin(), abs) || setenv("MUE_BIN", abs, 1) || chdir(scratch))
        return -1;
    return 0;
}

static void test_regressions(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(regressions); i++) {
        int n = 0;
        while (n < 24 && regressions[i][n])
            n++;
        run_case(regressions[i], n, 100000 + (int)i);
    }
}

static void test_command_line_fuzz(void **state)
{
    (void)state;
    n_results = n_refused = 0;
    long runs = env_long("MUE_FUZZ_RUNS", 250);
    for (long i = 0; i < runs; i++) {
        char run_dir[4300], bufs[16][4400];
        const char *argv[MAXARGS];
        int n = 0;
        snprintf(run_dir, sizeof run_dir, "@");
        const char *cmd = commands[pick(COUNT(commands))];
        argv[n++] = cmd;
        /* a valid model most of the time, so that cases reach the integration */
        if (pick(3) != 0) {
            argv[n++] = "--mass";
            argv[n++] = pick(2) ? "10MeV" : "0.1";
            argv[n++] = "--coupling";
            argv[n++] = "5e-4";
        }
        for (unsigned k = pick(7); k-- > 0 && n < MAXARGS - 18;) {
            unsigned o = pick(COUNT(options));
            int glue = pick(6) == 0;
            const char *v = options[o].kind == V_NONE
                                ? NULL
                                : value_for(options[o].kind, run_dir, bufs[n % 16], sizeof bufs[0]);
            if (glue && v) {
                char *g = bufs[(n + 8) % 16];
                snprintf(g, sizeof bufs[0], "%s=%s", options[o].name, v);
                argv[n++] = g;
            } else {
                argv[n++] = options[o].name;
                if (v && pick(12) != 0)
                    argv[n++] = v; /* and sometimes the value is missing */
            }
        }
        /* a tiny budget, last, so that it wins over the fuzzed one */
        if (strcmp(cmd, "integrate") == 0 || strcmp(cmd, "scan") == 0 || strcmp(cmd, "generate") == 0 ||
            strcmp(cmd, "backgrounds") == 0) {
            static const char *const budget[] = {"--points", "500", "--iterations", "1",
                                                 "--warmup", "1", "--rel-error", "0",
                                                 "--quiet"};
            for (size_t b = 0; b < COUNT(budget); b++)
                argv[n++] = budget[b];
        }
        if (strcmp(cmd, "generate") == 0 && pick(4) != 0) {
            static const char *const ev[] = {"--events", "3", "--survey", "2e4", "--out", "@/ev.lhe"};
            for (size_t b = 0; b < COUNT(ev); b++)
                argv[n++] = ev[b];
        }
        if (strcmp(cmd, "backgrounds") == 0)
            argv[n++] = "--no-leak-scan";
        run_case(argv, n, (int)i);
    }
    print_message("%ld command lines: %ld results, %ld refused\n", runs, n_results, n_refused);
    /* the generator reaches the integrations, not only the parser's refusals */
    assert_true(n_results >= runs / 10);
}

/* ------------------------------------------------------------------------------------ */
/* mutated grid and checkpoint files */

#define FILE_BUDGET "--points", "500", "--iterations", "2", "--warmup", "1", "--rel-error", "0", "--quiet"

/* Every node of a JSON tree below the root: its parent, and its key or index. */
typedef struct {
    json_t *parent;
    const char *key;
    size_t index;
} json_slot;

static size_t collect_slots(json_t *node, json_slot *out, size_t n, size_t max)
{
    if (json_is_object(node)) {
        const char *k;
        json_t *v;
        json_object_foreach(node, k, v)
        {
            if (n < max)
                out[n++] = (json_slot){node, k, 0};
            n = collect_slots(v, out, n, max);
        }
    } else if (json_is_array(node)) {
        for (size_t i = 0; i < json_array_size(node); i++) {
            if (n < max)
                out[n++] = (json_slot){node, NULL, i};
            n = collect_slots(json_array_get(node, i), out, n, max);
        }
    }
    return n;
}

static json_t *random_json_value(void)
{
    static const double reals[] = {0.0, -0.0, 1.0, -1.0, 0.5, 1e-300, 4.9e-324, 1e308, -1e308,
                                   1e15, 1.0000000000000002, 64.0, 65.0, 0.999999999999};
    static const json_int_t ints[] = {0, 1, -1, 2, 3, 63, 64, 65, 256, 1 << 24, (1 << 24) + 1,
                                      2147483647LL, -2147483648LL, 9007199254740993LL,
                                      9223372036854775807LL};
    switch (pick(8)) {
    case 0: return json_real(reals[pick(COUNT(reals))]);
    case 1: return json_integer(ints[pick(COUNT(ints))]);
    case 2: return json_string(pick(2) ? "" : "mue-checkpoint");
    case 3: return json_null();
    case 4: return json_boolean(pick(2));
    case 5: return json_array();
    case 6: return json_object();
    default: return json_real((unif() - 0.5) * 200.0);
    }
}

/* One structure-aware change of doc: replace, remove, repeat or nudge a value, or cut an
 * array. */
static void mutate_json(json_t *doc)
{
    static json_slot slots[20000];
    size_t n = collect_slots(doc, slots, 0, COUNT(slots));
    if (!n)
        return;
    json_slot s = slots[pick((unsigned)n)];
    json_t *v = s.key ? json_object_get(s.parent, s.key) : json_array_get(s.parent, s.index);
    switch (pick(5)) {
    case 0: /* replace */
        if (s.key)
            json_object_set_new(s.parent, s.key, random_json_value());
        else
            json_array_set_new(s.parent, s.index, random_json_value());
        break;
    case 1: /* remove */
        if (s.key)
            json_object_del(s.parent, s.key);
        else
            json_array_remove(s.parent, s.index);
        break;
    case 2: /* repeat an element */
        if (!s.key)
            json_array_insert_new(s.parent, s.index, json_deep_copy(v));
        break;
    case 3: /* nudge a number */
        if (json_is_real(v))
            json_real_set(v, json_real_value(v) * (1.0 + (pick(2) ? 1e-15 : -1e-3)));
        else if (json_is_integer(v))
            json_integer_set(v, json_integer_value(v) + (pick(2) ? 1 : -1));
        break;
    default: /* cut an array */
        if (json_is_array(v) && json_array_size(v))
            json_array_remove(v, pick((unsigned)json_array_size(v)));
        break;
    }
}

/* Rewrites the checkpoint's content hash for the mutated content, as mue computes it. */
static void rehash(json_t *doc)
{
    json_object_del(doc, "content_hash");
    char *text = json_dumps(doc, MUE_JSON_FLAGS);
    if (!text)
        return;
    char h[32];
    snprintf(h, sizeof h, "%016llx", (unsigned long long)mue_hash_str(MUE_HASH_INIT, text));
    free(text);
    json_object_set_new(doc, "content_hash", json_string(h));
}

/* Flips, drops or inserts bytes of the file's text, or cuts it. */
static void mutate_bytes(char *t, size_t *n, size_t cap)
{
    for (unsigned k = 1 + pick(4); k-- > 0 && *n;) {
        size_t at = pick((unsigned)*n);
        switch (pick(4)) {
        case 0: t[at] ^= (char)(1u << pick(8)); break;
        case 1: memmove(t + at, t + at + 1, *n - at - 1), (*n)--; break;
        case 2:
            if (*n + 1 < cap) {
                memmove(t + at + 1, t + at, *n - at);
                t[at] = "0123456789.-e\"{}[],:"[pick(21)];
                (*n)++;
            }
            break;
        default: *n = at; break;
        }
    }
}

static void test_mutated_files(void **state)
{
    (void)state;
    /* the seeds: a grid and a checkpoint of the same run */
    char seed_dir[4300], grid[4400], ck[4400];
    snprintf(seed_dir, sizeof seed_dir, "%s/seeds", scratch);
    assert_int_equal(mkdir(seed_dir, 0700), 0);
    snprintf(grid, sizeof grid, "%s/g.json", seed_dir);
    snprintf(ck, sizeof ck, "%s/c.json", seed_dir);
    run_t r;
    run_mue(&r, ARGS("integrate", "--mass", "10MeV", "--coupling", "5e-4", FILE_BUDGET, "--save-grid", grid,
                     "--checkpoint", ck),
            60.0);
    expect_success(&r);
    run_free(&r);
    json_error_t e;
    json_t *seeds[2] = {json_load_file(grid, 0, &e), json_load_file(ck, 0, &e)};
    assert_non_null(seeds[0]);
    assert_non_null(seeds[1]);
    long files = env_long("MUE_FUZZ_FILES", 120);
    n_results = n_refused = 0;
    char path[4400];
    snprintf(path, sizeof path, "%s/mutant.json", scratch);
    for (long i = 0; i < files; i++) {
        const int is_ck = pick(2);
        json_t *doc = json_deep_copy(seeds[is_ck]);
        for (unsigned k = 1 + pick(3); k-- > 0;)
            mutate_json(doc);
        if (is_ck && pick(4) != 0)
            rehash(doc);
        char *text = json_dumps(doc, MUE_JSON_FLAGS);
        json_decref(doc);
        assert_non_null(text);
        size_t n = strlen(text), cap = n + 64;
        text = realloc(text, cap);
        assert_non_null(text);
        if (pick(4) == 0)
            mutate_bytes(text, &n, cap);
        FILE *f = fopen(path, "wb");
        assert_non_null(f);
        assert_int_equal(fwrite(text, 1, n, f), n);
        assert_int_equal(fclose(f), 0);
        free(text);
        /* the run that wrote the seeds, with the mutant as its grid or checkpoint; now and
         * then writing a new checkpoint or grid from it too */
        const char *argv[MAXARGS] = {"integrate", "--mass", "10MeV", "--coupling", "5e-4", FILE_BUDGET,
                                     is_ck ? "--resume" : "--load-grid", path};
        int na = 16;
        if (pick(3) == 0)
            argv[na++] = "--checkpoint", argv[na++] = "@/c.json";
        if (pick(3) == 0)
            argv[na++] = "--save-grid", argv[na++] = "@/g.json";
        if (!is_ck && pick(3) == 0)
            argv[na++] = "--force-grid";
        run_case(argv, na, 200000 + (int)i);
        /* a file that loads yet gives non-finite weights: kept for a look (MUE_FUZZ_KEEP) */
        const char *keep = getenv("MUE_FUZZ_KEEP");
        if (last_dropped_nan && keep && *keep) {
            char dst[4400], cmd[9000];
            snprintf(dst, sizeof dst, "%s/nan-%ld.json", keep, i);
            snprintf(cmd, sizeof cmd, "cp '%s' '%s'", path, dst);
            if (system(cmd) == 0)
                print_message("non-finite weights from %s\n", dst);
        }
    }
    unlink(path);
    print_message("%ld mutated files: %ld loaded, %ld refused\n", files, n_results, n_refused);
    /* the mutations reach past the parser: some files still load */
    assert_true(n_results >= files / 20);
    json_decref(seeds[0]);
    json_decref(seeds[1]);
}

int main(void)
{
    rng_state = (uint64_t)env_long("MUE_FUZZ_SEED", 20261130);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unit_parser_random_strings),
        cmocka_unit_test(test_unit_parser_round_trip),
        cmocka_unit_test(test_regressions),
        cmocka_unit_test(test_command_line_fuzz),
        cmocka_unit_test(test_mutated_files),
    };
    return cmocka_run_group_tests(tests, fuzz_setup, group_teardown);
}
