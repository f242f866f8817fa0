/* `mue backgrounds`: the signal benchmarks against the Standard Model backgrounds of
 * the search, cut by cut, through one detector model (docs/physics.md, Detector and
 * Backgrounds): the table, the veto inefficiency at which mu e gamma equals the 10 MeV
 * signal, and the elastic leak against the ECAL resolution. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "run/detector_config.h"
#include "run/output.h"
#include "run/process_table.h"
#include "util/version.h"

static const char usage_head[] =
    "usage: mue backgrounds [--detector SPEC] [--lumi L] [--json FILE] [--markdown FILE] [options]\n"
    "\n"
    "Events at luminosity L after cut (i), (i)+(ii) and (i)+(ii)+(iii) for both signal\n"
    "benchmarks (m_Z' = 10 MeV, g = 5e-4; 100 MeV, g = 1e-3), elastic mu e -> mu e ideal\n"
    "and through the detector, mu e -> mu e gamma and mu e -> mu e nu nubar (ideal\n"
    "detector) where this build has them; the veto\n"
    "inefficiency at which mu e gamma equals the 10 MeV signal; the elastic leak into\n"
    "(i)+(ii) against the ECAL resolution. Every detector-level number weights each\n"
    "event with its probability to pass after smearing (--detector mode=expect), so a\n"
    "1e-20 Gaussian tail is computed, not sampled. Tree level.\n"
    "\n"
    "options:\n"
    "  --detector SPEC      the detector model, KEY=VALUE,... over the defaults (below)\n"
    "  --lumi L             integrated luminosity in fb^-1 (or /pb, /ab suffix) [15]\n"
    "  --theta-mu-min A     cut (i) [1.5mrad]\n"
    "  --ee-min E, --ee-max E  cut (ii) [1 GeV, 25 GeV]\n"
    "  --beam-energy E      lab muon energy [150 GeV]\n"
    "  --alpha A            QED coupling [1/137.035999084]\n"
    "  --points N           points per iteration of each run [200000]\n"
    "  --iterations N, --warmup N, --rel-error R [10, 5, 2e-3]\n"
    "  --seed N, --threads N, --device D, --grid-bins N, --beta B  as mue integrate\n"
    "  --no-leak-scan       leave out the elastic leak against the resolution\n"
    "  --json FILE          write everything as one JSON object\n"
    "  --markdown FILE      write the tables as markdown\n"
    "  --quiet              no progress lines on stderr\n"
    "\n";

enum { O_NO_LEAK = 1000 };

typedef struct {
    int have;           /* 0: not computed (note says why) */
    double n, err;      /* events at the luminosity */
    char note[160];
} cell;

typedef struct {
    const char *label, *key;
    int present;
    char why[200]; /* why the row is absent */
    cell c[3];     /* after (i), (i)+(ii), (i)+(ii)+(iii) */
} row;

typedef struct {
    const char *label;
    double ecal_b, tail_frac, tail_scale, theta_mu_res;
    cell c;
} leak_row;

typedef struct {
    mue_run_config base;
    mue_detector det;
    int quiet, nruns, run;
    double t0;
} bg;

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

/* One integration: process id at (m, g); det == NULL is the ideal detector (the cuts
 * on true quantities), else det with its cuts `mask` (expectation over the smearing).
 * 0, or an exit code after a one-line message. */
static int run_one(bg *b, const char *what, mue_process_id id, double m, double g,
                   const mue_detector *det, int mask, cell *out)
{
    mue_run_config c = b->base;
    c.process = id;
    c.par.m_zp = m;
    c.par.coupling = g;
    c.par.det.enabled = 0;
    if (det) {
        c.par.det = *det;
        c.par.det.enabled = 1;
        c.par.det.mode = MUE_DET_EXPECT;
        c.par.det.cuts = mask;
    } else if (mask == MUE_DET_CUT_I) { /* (i) alone: the electron energy free */
        c.par.cuts.ee_min = c.par.m_e + 1e-6;
        c.par.cuts.ee_max = c.par.e_beam;
    }
    char why[512];
    b->run++;
    if (mue_run_validate(&c, why, sizeof why))
        return mue_cli_fail("backgrounds: %s: %s", what, why);
    mue_run_result r;
    double t = now_s();
    if (mue_run_integrate(&c, &r, why, sizeof why))
        return mue_cli_fail("backgrounds: %s: %s", what, why);
    out->have = 1;
    out->n = r.events;
    out->err = r.events_err;
    out->note[0] = 0;
    for (int k = 0; k < r.nwarnings; k++)
        if (!strstr(r.warnings[k], "is exact")) /* a cut closing the phase space is the answer */
            snprintf(out->note, sizeof out->note, "%s", r.warnings[k]);
    if (!b->quiet)
        fprintf(stderr, "  [%2d/%d] %-48s %.4g +- %.2g events (%.1f s)\n", b->run, b->nruns, what,
                out->n, out->err, now_s() - t);
    return 0;
}

static void fmt_cell(const cell *c, char *buf, size_t len)
{
    if (!c->have)
        snprintf(buf, len, "%s", c->note[0] ? c->note : "-");
    else if (c->n == 0.0 && c->err == 0.0)
        snprintf(buf, len, "0 (exact)");
    else
        snprintf(buf, len, "%.4g +- %.2g", c->n, c->err);
}

/* "below 1e-X events" for a leak that small, the tightest power of ten above n + 2 err */
static void leak_words(const cell *c, double lumi, char *buf, size_t len)
{
    double up = c->n + 2.0 * c->err;
    if (c->have && up > 0.0 && up < 1e-3)
        snprintf(buf, len, "below 1e%d events at %g fb^-1", (int)ceil(log10(up)), lumi);
    else
        buf[0] = 0;
}

/* The veto inefficiency eps at which mu e gamma after (iii), N0 + eps N1, equals the
 * 10 MeV signal S: N0 from the run with eps = 0 (no separate photon above threshold),
 * N0 + N1 the count after (i)+(ii). Returns 1 with eps and its error (the inputs'
 * errors added in quadrature, as independent), 0 when no eps in [0, 1] gives it. */
static int veto_crossing(const cell *ii, const cell *n0c, const cell *sig, double *eps, double *err)
{
    if (!ii->have || !n0c->have || !sig->have)
        return 0;
    double n1 = ii->n - n0c->n;
    if (!(n1 > 0.0))
        return 0;
    double e = (sig->n - n0c->n) / n1;
    if (!(e >= 0.0 && e <= 1.0))
        return 0;
    *eps = e;
    /* d eps/dS = 1/n1, d/dN0 = (S - ii)/n1^2, d/d(ii) = -(S - N0)/n1^2 */
    double a = sig->err / n1, bb = n0c->err * (sig->n - ii->n) / (n1 * n1),
           cc = ii->err * (sig->n - n0c->n) / (n1 * n1);
    *err = sqrt(a * a + bb * bb + cc * cc);
    return 1;
}

static const char *cut_names[3] = {"(i)", "(i)+(ii)", "(i)+(ii)+(iii)"};

static void print_text(FILE *f, const bg *b, row *rows, int nrows, leak_row *leak, int nleak,
                       int have_x, double eps, double eps_err, const cell *n0)
{
    char d[600], s[3][200];
    fprintf(f, "mue %s  backgrounds at L = %g fb^-1 (tree level), beam %g GeV\n", MUE_VERSION,
            b->base.lumi_fb, b->base.par.e_beam);
    fprintf(f, "  cuts: (i) theta_mu > %g mrad, (ii) %g GeV < E_e < %g GeV, (iii) photon veto\n",
            1e3 * b->base.par.cuts.theta_mu_min, b->base.par.cuts.ee_min, b->base.par.cuts.ee_max);
    fprintf(f, "  detector: %s\n", mue_detector_describe(&b->det, d, sizeof d));
    fprintf(f, "%-38s %-26s %-22s %-22s\n", "events", cut_names[0], cut_names[1], cut_names[2]);
    for (int i = 0; i < nrows; i++) {
        if (!rows[i].present) {
            fprintf(f, "%-38s %s\n", rows[i].label, rows[i].why);
            continue;
        }
        for (int k = 0; k < 3; k++)
            fmt_cell(&rows[i].c[k], s[k], sizeof s[k]);
        fprintf(f, "%-38s %-26s %-22s %-22s\n", rows[i].label, s[0], s[1], s[2]);
    }
    if (n0) {
        fmt_cell(n0, s[0], sizeof s[0]);
        fprintf(f, "mu e gamma with no separate photon above %g GeV in the ECAL (unvetoable): %s\n",
                b->det.veto_emin, s[0]);
        if (have_x)
            fprintf(f, "mu e gamma equals the 10 MeV signal at veto inefficiency %.3g +- %.2g\n", eps,
                    eps_err);
        else
            fprintf(f, "mu e gamma equals the 10 MeV signal at no veto inefficiency in [0, 1]\n");
    }
    if (nleak) {
        fprintf(f, "elastic leak into (i)+(ii), measured (ECAL sigma/E at 40 GeV; tails; theta_mu "
                   "resolution):\n");
        for (int i = 0; i < nleak; i++) {
            fmt_cell(&leak[i].c, s[0], sizeof s[0]);
            leak_words(&leak[i].c, b->base.lumi_fb, s[1], sizeof s[1]);
            fprintf(f, "  %-58s %-24s %s\n", leak[i].label, s[0], s[1]);
        }
    }
}

static void md_value(FILE *f, const cell *c, const char *end);
static void md_cell(FILE *f, const cell *c) { md_value(f, c, " |"); }

static void md_value(FILE *f, const cell *c, const char *end)
{
    char s[200];
    fmt_cell(c, s, sizeof s);
    for (char *p = s; *p; p++)
        if (*p == '|')
            *p = '/';
    char *pm = strstr(s, " +- ");
    if (pm)
        fprintf(f, " %.*s ± %s%s", (int)(pm - s), s, pm + 4, end);
    else
        fprintf(f, " %s%s", s, end);
}

static int write_markdown(const char *path, const bg *b, row *rows, int nrows, leak_row *leak,
                          int nleak, int have_x, double eps, double eps_err, const cell *n0)
{
    mue_afile a;
    if (mue_afile_open(&a, path))
        return -1;
    FILE *f = a.f;
    char d[600], w[100];
    fprintf(f, "Events at L = %g fb⁻¹ (tree level, `mue backgrounds`, mue %s). Detector: %s.\n\n",
            b->base.lumi_fb, MUE_VERSION, mue_detector_describe(&b->det, d, sizeof d));
    fprintf(f, "| process | after (i) | (i)+(ii) | (i)+(ii)+(iii) |\n| --- | --- | --- | --- |\n");
    for (int i = 0; i < nrows; i++) {
        fprintf(f, "| %s |", rows[i].label);
        if (!rows[i].present)
            fprintf(f, " %s | | |\n", rows[i].why);
        else {
            for (int k = 0; k < 3; k++)
                md_cell(f, &rows[i].c[k]);
            fputc('\n', f);
        }
    }
    if (n0) {
        fprintf(f, "\nμe → μeγ with no separate photon above %g GeV in the ECAL (no veto can remove "
                   "it):",
                b->det.veto_emin);
        md_value(f, n0, "");
        fprintf(f, " events. ");
        if (have_x)
            fprintf(f, "μeγ equals the 10 MeV signal at a veto inefficiency of **%.3g ± %.2g**.\n",
                    eps, eps_err);
        else
            fprintf(f, "No veto inefficiency in [0, 1] makes μeγ equal the 10 MeV signal.\n");
    }
    if (nleak) {
        fprintf(f, "\nElastic leak into (i)+(ii) (measured quantities):\n\n"
                   "| ECAL model | events | |\n| --- | --- | --- |\n");
        for (int i = 0; i < nleak; i++) {
            fprintf(f, "| %s |", leak[i].label);
            md_cell(f, &leak[i].c);
            leak_words(&leak[i].c, b->base.lumi_fb, w, sizeof w);
            fprintf(f, " %s |\n", w);
        }
    }
    return mue_afile_commit(&a);
}

static void json_cell(FILE *f, const cell *c)
{
    if (!c->have) {
        fprintf(f, "null");
        return;
    }
    fprintf(f, "{\"events\": ");
    mue_json_num(f, c->n);
    fprintf(f, ", \"error\": ");
    mue_json_num(f, c->err);
    fprintf(f, "}");
}

static void json_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++)
        if (*s == '"' || *s == '\\')
            fprintf(f, "\\%c", *s);
        else if ((unsigned char)*s < 0x20)
            fprintf(f, "\\u%04x", *s);
        else
            fputc(*s, f);
    fputc('"', f);
}

static int write_json(const char *path, const bg *b, row *rows, int nrows, leak_row *leak, int nleak,
                      int have_x, double eps, double eps_err, const cell *n0)
{
    mue_afile a;
    if (mue_afile_open(&a, path))
        return -1;
    FILE *f = a.f;
    const mue_detector *d = &b->det;
    char desc[600];
    fprintf(f, "{\n  \"lumi_fb\": ");
    mue_json_num(f, b->base.lumi_fb);
    fprintf(f, ",\n  \"beam_energy_gev\": ");
    mue_json_num(f, b->base.par.e_beam);
    fprintf(f, ",\n  \"cuts\": {\"theta_mu_min_rad\": %.10g, \"ee_min_gev\": %.10g, \"ee_max_gev\": "
               "%.10g},\n",
            b->base.par.cuts.theta_mu_min, b->base.par.cuts.ee_min, b->base.par.cuts.ee_max);
    fprintf(f, "  \"detector\": {\"description\": ");
    json_str(f, mue_detector_describe(d, desc, sizeof desc));
    fprintf(f, ", \"ecal_a\": %.10g, \"ecal_b\": %.10g, \"ecal_c_gev\": %.10g, \"tail_frac\": %.10g, "
               "\"tail_scale\": %.10g, \"ecal_size_m\": %.10g, \"ecal_dist_m\": %.10g, "
               "\"cluster_dtheta_rad\": %.10g, \"theta_mu_res_rad\": %.10g, \"veto_emin_gev\": "
               "%.10g, \"veto_ineff\": %.10g},\n",
            d->ecal_a, d->ecal_b, d->ecal_c, d->tail_frac, d->tail_scale, d->ecal_size, d->ecal_dist,
            d->cluster_dtheta, d->theta_mu_res, d->veto_emin, d->veto_ineff);
    fprintf(f, "  \"rows\": [\n");
    for (int i = 0; i < nrows; i++) {
        fprintf(f, "    {\"key\": \"%s\", \"label\": ", rows[i].key);
        json_str(f, rows[i].label);
        fprintf(f, ", \"present\": %s", rows[i].present ? "true" : "false");
        if (!rows[i].present) {
            fprintf(f, ", \"why\": ");
            json_str(f, rows[i].why);
        } else
            for (int k = 0; k < 3; k++) {
                static const char *key[3] = {"i", "i_ii", "i_ii_iii"};
                fprintf(f, ", \"%s\": ", key[k]);
                json_cell(f, &rows[i].c[k]);
            }
        fprintf(f, "}%s\n", i + 1 < nrows ? "," : "");
    }
    fprintf(f, "  ],\n  \"mueg_unvetoable\": ");
    if (n0)
        json_cell(f, n0);
    else
        fprintf(f, "null");
    fprintf(f, ",\n  \"veto_ineff_equal_10MeV\": ");
    if (have_x) {
        fprintf(f, "{\"value\": ");
        mue_json_num(f, eps);
        fprintf(f, ", \"error\": ");
        mue_json_num(f, eps_err);
        fprintf(f, "}");
    } else
        fprintf(f, "null");
    fprintf(f, ",\n  \"elastic_leak\": [\n");
    for (int i = 0; i < nleak; i++) {
        fprintf(f, "    {\"label\": ");
        json_str(f, leak[i].label);
        fprintf(f, ", \"ecal_b\": %.10g, \"tail_frac\": %.10g, \"tail_scale\": %.10g, "
                   "\"theta_mu_res_rad\": %.10g, \"result\": ",
                leak[i].ecal_b, leak[i].tail_frac, leak[i].tail_scale, leak[i].theta_mu_res);
        json_cell(f, &leak[i].c);
        fprintf(f, "}%s\n", i + 1 < nleak ? "," : "");
    }
    fprintf(f, "  ],\n  \"version\": \"%s\"\n}\n", MUE_VERSION);
    return mue_afile_commit(&a);
}

int mue_cmd_backgrounds(int argc, char **argv)
{
    static const struct option opts[] = {
        {"detector", 1, 0, O_DETECTOR},   {"lumi", 1, 0, O_LUMI},
        {"theta-mu-min", 1, 0, O_THMU},   {"ee-min", 1, 0, O_EEMIN},
        {"ee-max", 1, 0, O_EEMAX},        {"beam-energy", 1, 0, O_BEAM},
        {"alpha", 1, 0, O_ALPHA},         {"points", 1, 0, O_POINTS},
        {"iterations", 1, 0, O_ITER},     {"warmup", 1, 0, O_WARM},
        {"rel-error", 1, 0, O_REL},       {"seed", 1, 0, O_SEED},
        {"threads", 1, 0, O_THREADS},     {"device", 1, 0, O_DEVICE},
        {"grid-bins", 1, 0, O_GBINS},     {"beta", 1, 0, O_BETA},
        {"no-leak-scan", 0, 0, O_NO_LEAK}, {"json", 1, 0, O_JSON},
        {"markdown", 1, 0, O_MARKDOWN},   {"quiet", 0, 0, O_QUIET},
        {"help", 0, 0, O_HELP},           {0, 0, 0, 0}};
    bg b;
    memset(&b, 0, sizeof b);
    b.base = mue_run_config_default();
    b.base.points = 200000;
    b.base.rel_error = 2e-3;
    b.det = mue_detector_default();
    mue_cli_seen seen = {0, 0, 0, 0, 0, NULL};
    const char *json = 0, *md = 0;
    int leak_scan = 1, rc = 0;
    char why[512];

    optind = 1;
    opterr = 0;
    for (int o; (o = getopt_long(argc, argv, "", opts, 0)) != -1;) {
        char buf[64];
        const char *opt = mue_cli_option_name(opts, o, buf, sizeof buf);
        switch (o) {
        case O_DETECTOR:
            if (mue_detector_parse(optarg, &b.det, why, sizeof why))
                return mue_cli_fail("%s", why);
            break;
        case O_NO_LEAK: leak_scan = 0; break;
        case O_JSON: json = optarg; break;
        case O_MARKDOWN: md = optarg; break;
        case O_QUIET: b.quiet = 1; break;
        case O_HELP:
            fputs(usage_head, stdout);
            fputs(mue_detector_help, stdout);
            return 0;
        default:
            if (o == '?' || o == ':')
                return mue_cli_bad_option(argv, "backgrounds");
            rc = mue_cli_run_option(o, opt, &b.base, &seen);
            if (rc < 0)
                return mue_cli_bad_option(argv, "backgrounds");
        }
        if (rc)
            return rc;
    }
    if (optind < argc)
        return mue_cli_fail("backgrounds: unexpected argument '%s'", argv[optind]);
    if (b.det.cuts != MUE_DET_CUT_ALL || b.det.mode != MUE_DET_SAMPLE)
        return mue_cli_fail("--detector: backgrounds chooses the cuts and mode of each run itself; "
                            "leave out cuts= and mode=");
    const char *const named[][2] = {{"--json", json}, {"--markdown", md}};
    for (size_t k = 0; k < 2; k++)
        if (named[k][1] && !named[k][1][0])
            return mue_cli_fail("%s: an empty name", named[k][0]);
    if (json && md && mue_same_file(json, md))
        return mue_cli_fail("--json and --markdown: both name '%s'", json);
    if (json && !mue_path_writable(json))
        return mue_cli_fail("--json: cannot write '%s'", json);
    if (md && !mue_path_writable(md))
        return mue_cli_fail("--markdown: cannot write '%s'", md);
    /* the shared settings, checked once on a process every build has */
    b.base.process = mue_process_find("elastic")->id;
    if (mue_run_validate(&b.base, why, sizeof why))
        return mue_cli_fail("%s", why);
    b.det.enabled = 1;
    b.det.mode = MUE_DET_EXPECT; /* as every run here (run_one) */
    {
        mue_run_config t = b.base;
        t.par.det = b.det;
        if (mue_run_validate(&t, why, sizeof why))
            return mue_cli_fail("%s", why);
    }

    const mue_process_info *zp = mue_process_find("zprime"), *el = mue_process_find("elastic"),
                           *mg = mue_process_find("mueg"), *nn = mue_process_find("muenn");
    row rows[6];
    memset(rows, 0, sizeof rows);
    rows[0].label = "Z' 10 MeV, g = 5e-4";
    rows[0].key = "zprime_10MeV";
    rows[1].label = "Z' 100 MeV, g = 1e-3";
    rows[1].key = "zprime_100MeV";
    rows[2].label = "mu e -> mu e, ideal detector";
    rows[2].key = "elastic_ideal";
    rows[3].label = "mu e -> mu e, smeared";
    rows[3].key = "elastic_smeared";
    rows[4].label = "mu e -> mu e gamma";
    rows[4].key = "mueg";
    for (int i = 0; i < 4; i++)
        rows[i].present = 1;
    /* mu e nu nubar has no photon and passes the cuts on true quantities by itself; it
     * goes through the ideal detector because its 8 variables leave no room for the
     * detector's uniforms (MUE_VEGAS_MAXDIM) */
    rows[5].label = "mu e -> mu e nu nubar, ideal detector";
    rows[5].key = "muenn";
    rows[4].present = mg != NULL;
    rows[5].present = nn != NULL;
    for (int i = 4; i < 6; i++)
        if (!rows[i].present)
            snprintf(rows[i].why, sizeof rows[i].why, "not in this build's process table");

    leak_row leak[11];
    int nleak = 0;
    if (leak_scan) {
        static const double bs[] = {0.02, 0.035, 0.05, 0.10};
        static char labels[11][80];
        for (int t = 0; t < 2; t++)
            for (int i = 0; i < 4; i++) {
                leak_row *l = &leak[nleak];
                l->ecal_b = bs[i];
                l->tail_frac = t ? 0.01 : 0.0;
                l->tail_scale = 3.0;
                l->theta_mu_res = b.det.theta_mu_res;
                mue_detector d = b.det;
                d.ecal_b = bs[i];
                snprintf(labels[nleak], sizeof labels[0], "b = %g (%.2g %% at 40 GeV), %s", bs[i],
                         100.0 * mue_ecal_sigma(&d, 40.0) / 40.0,
                         t ? "1 % of clusters 3x wider" : "Gaussian");
                l->label = labels[nleak++];
            }
        static const double th[] = {0.0, 1e-5, 1e-4};
        for (int i = 0; i < 3; i++) {
            leak_row *l = &leak[nleak];
            l->ecal_b = b.det.ecal_b;
            l->tail_frac = 0.0;
            l->tail_scale = 3.0;
            l->theta_mu_res = th[i];
            snprintf(labels[nleak], sizeof labels[0], "b = %g Gaussian, theta_mu resolution %g mrad",
                     b.det.ecal_b, 1e3 * th[i]);
            l->label = labels[nleak++];
        }
    }
    b.nruns = 4 + 2 + 2 + (mg ? 3 : 0) + (nn ? 2 : 0) + nleak;
    b.t0 = now_s();
    if (!b.quiet)
        fprintf(stderr, "mue backgrounds: %d integrations\n", b.nruns);

    /* signals: cut (iii) removes nothing from mu e Z' (no photon), so (iii) = (i)+(ii) */
    static const double mz[2] = {0.010, 0.100}, gz[2] = {5e-4, 1e-3};
    for (int i = 0; i < 2; i++) {
        char what[80];
        snprintf(what, sizeof what, "%s (i)", rows[i].label);
        if ((rc = run_one(&b, what, zp->id, mz[i], gz[i], &b.det, MUE_DET_CUT_I, &rows[i].c[0])))
            return rc;
        snprintf(what, sizeof what, "%s (i)+(ii)", rows[i].label);
        if ((rc = run_one(&b, what, zp->id, mz[i], gz[i], &b.det, MUE_DET_CUT_I | MUE_DET_CUT_II,
                          &rows[i].c[1])))
            return rc;
        rows[i].c[2] = rows[i].c[1];
    }
    if ((rc = run_one(&b, "elastic ideal (i)", el->id, 0, 0, NULL, MUE_DET_CUT_I, &rows[2].c[0])) ||
        (rc = run_one(&b, "elastic ideal (i)+(ii)", el->id, 0, 0, NULL, MUE_DET_CUT_ALL, &rows[2].c[1])))
        return rc;
    rows[2].c[2] = rows[2].c[1];
    if ((rc = run_one(&b, "elastic smeared (i)", el->id, 0, 0, &b.det, MUE_DET_CUT_I, &rows[3].c[0])) ||
        (rc = run_one(&b, "elastic smeared (i)+(ii)", el->id, 0, 0, &b.det,
                      MUE_DET_CUT_I | MUE_DET_CUT_II, &rows[3].c[1])))
        return rc;
    rows[3].c[2] = rows[3].c[1];

    cell n0 = {0, 0, 0, ""};
    int have_x = 0;
    double eps = 0, eps_err = 0;
    if (mg) {
        /* without (ii) the photon may be soft: tree-level mu e gamma is infrared
         * divergent there; and a generation window 38 widths wide would reach it, so
         * mu e gamma generates within 5 (Phi(-5) = 3e-7 of an event's weight at most) */
        mue_detector dg = b.det;
        dg.gen_sigmas = dg.gen_sigmas < 5.0 ? dg.gen_sigmas : 5.0;
        snprintf(rows[4].c[0].note, sizeof rows[4].c[0].note, "IR divergent without (ii)");
        if ((rc = run_one(&b, "mu e gamma (i)+(ii)", mg->id, 0, 0, &dg, MUE_DET_CUT_I | MUE_DET_CUT_II,
                          &rows[4].c[1])) ||
            (rc = run_one(&b, "mu e gamma (i)+(ii)+(iii)", mg->id, 0, 0, &dg, MUE_DET_CUT_ALL,
                          &rows[4].c[2])))
            return rc;
        dg.veto_ineff = 0.0;
        if ((rc = run_one(&b, "mu e gamma (i)+(ii)+(iii), perfect veto", mg->id, 0, 0, &dg,
                          MUE_DET_CUT_ALL, &n0)))
            return rc;
        have_x = veto_crossing(&rows[4].c[1], &n0, &rows[0].c[2], &eps, &eps_err);
    }
    if (nn) {
        if ((rc = run_one(&b, "mu e nu nubar (i)", nn->id, 0, 0, NULL, MUE_DET_CUT_I, &rows[5].c[0])) ||
            (rc = run_one(&b, "mu e nu nubar (i)+(ii)", nn->id, 0, 0, NULL, MUE_DET_CUT_ALL,
                          &rows[5].c[1])))
            return rc;
        rows[5].c[2] = rows[5].c[1];
    }
    for (int i = 0; i < nleak; i++) {
        mue_detector d = b.det;
        d.ecal_b = leak[i].ecal_b;
        d.tail_frac = leak[i].tail_frac;
        d.tail_scale = leak[i].tail_scale;
        d.theta_mu_res = leak[i].theta_mu_res;
        char what[120];
        snprintf(what, sizeof what, "leak: %.40s", leak[i].label);
        if ((rc = run_one(&b, what, el->id, 0, 0, &d, MUE_DET_CUT_I | MUE_DET_CUT_II, &leak[i].c)))
            return rc;
    }
    if (!b.quiet)
        fprintf(stderr, "mue backgrounds: done in %.1f s\n", now_s() - b.t0);
    print_text(stdout, &b, rows, 6, leak, nleak, have_x, eps, eps_err, mg ? &n0 : NULL);
    if (json && write_json(json, &b, rows, 6, leak, nleak, have_x, eps, eps_err, mg ? &n0 : NULL))
        return mue_cli_fail("--json: writing '%s' failed", json);
    if (md && write_markdown(md, &b, rows, 6, leak, nleak, have_x, eps, eps_err, mg ? &n0 : NULL))
        return mue_cli_fail("--markdown: writing '%s' failed", md);
    return 0;
}
