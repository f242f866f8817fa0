/* `mue scan`: the (m_Z', g) plane, with the g-2 bands (paper Fig. 3). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "physics1d/g2.h"
#include "physics1d/kinematic_limits.h"
#include "run/output.h"
#include "run/scan.h"
#include "util/version.h"

static const char usage_scan[] =
    "usage: mue scan --out DIR [--masses M1,M2,... | --n-masses N] [options of integrate]\n"
    "\n"
    "N_sig over the (m_Z', g) plane for zprime: one integration per mass at the reference\n"
    "coupling --coupling [1e-3]; tree-level sigma is exactly proportional to g^2, so\n"
    "N(m, g) = sigma(m, g_ref) (g/g_ref)^2 L. Writes DIR/scan.csv after every mass (a rerun\n"
    "with the same settings resumes where it stopped), DIR/scan.json at the end, and the\n"
    "g-2 band DIR/g2_band_NAME.csv.\n"
    "\n"
    "  --out DIR            output directory (created if missing)\n"
    "  --masses LIST        comma-separated masses, units allowed (10MeV,0.1)\n"
    "  --n-masses N         automatic grid: N masses, 2/3 log-spaced from --mass-min to\n"
    "                       --mass-mid, 1/3 crowding the kinematic limit [48]\n"
    "  --mass-min M         [1MeV]     --mass-mid M   [0.15GeV]\n"
    "  --g2 NAME|V,E        g-2 band: wp20 (the paper's 2021 excess), wp25 (2025), or\n"
    "                       Delta a_mu = V +- E given as numbers [wp20]\n"
    "  --restart            ignore an existing DIR/scan.csv\n"
    "  --quiet              no progress lines\n"
    "and every model, cut and sampling option of `mue integrate` (not --json/--hist);\n"
    "scan defaults: --points 5e5 --rel-error 3e-3.\n";

/* Δa_mu band couplings on a log mass grid for one g-2 choice. */
static int write_g2_band(const char *dir, const char *name, double central, double sigma)
{
    char path[4096];
    if (snprintf(path, sizeof path, "%s/g2_band_%s.csv", dir, name) >= (int)sizeof path)
        return -1;
    mue_afile a;
    if (mue_afile_open(&a, path))
        return -1;
    fprintf(a.f, "# mue %s: couplings where the Z' gives Delta a_mu = (%.4g +- %.4g) within 1 and 2 "
                 "sigma (%s); mass in GeV; lower edge 0 where the band reaches Delta a_mu <= 0\n",
            MUE_VERSION, central, sigma, name);
    fprintf(a.f, "mass_gev,g_central,g_1sigma_lo,g_1sigma_hi,g_2sigma_lo,g_2sigma_hi\n");
    for (int i = 0; i <= 240; i++) {
        double m = 1e-4 * pow(1e4, i / 240.0);
        fprintf(a.f, "%.6g,%.6g,%.6g,%.6g,%.6g,%.6g\n", m, mue_g2_coupling_for(m, central, MUE_M_MU),
                mue_g2_coupling_for(m, central - sigma, MUE_M_MU),
                mue_g2_coupling_for(m, central + sigma, MUE_M_MU),
                mue_g2_coupling_for(m, central - 2.0 * sigma, MUE_M_MU),
                mue_g2_coupling_for(m, central + 2.0 * sigma, MUE_M_MU));
    }
    return mue_afile_commit(&a);
}

static int write_scan_json(const char *dir, const mue_run_config *c, const mue_scan_row *rows, int n)
{
    char path[4096];
    if (snprintf(path, sizeof path, "%s/scan.json", dir) >= (int)sizeof path)
        return -1;
    double g = c->par.coupling;
    /* JSON has no nan or inf: the rows were checked when read and made; make sure */
    for (int i = 0; i < n; i++)
        if (!isfinite(rows[i].sigma / (g * g)) || !isfinite(rows[i].err / (g * g)) ||
            !isfinite(rows[i].chi2))
            return -1;
    mue_afile a;
    if (mue_afile_open(&a, path))
        return -1;
    char settings[1024];
    mue_scan_settings(c, settings, sizeof settings);
    fprintf(a.f, "{\n  \"version\": \"%s\",\n  \"settings\": \"%s\",\n  \"g_ref\": %.10g,\n  "
                 "\"lumi_fb\": %.10g,\n  \"kinematic_limit_gev\": %.10g,\n  "
                 "\"cut_i_endpoint_gev\": %.10g,\n  \"rows\": [\n",
            MUE_VERSION, settings, g, c->lumi_fb, mue_zprime_mass_limit(&c->par),
            mue_zprime_mass_endpoint(&c->par));
    for (int i = 0; i < n; i++)
        fprintf(a.f,
                "    {\"mass_gev\": %.10g, \"sigma_fb\": %.10g, \"sigma_err_fb\": %.6g, "
                "\"sigma_over_g2_fb\": %.10g, \"sigma_over_g2_err_fb\": %.6g, \"chi2_per_dof\": "
                "%.4g, \"points\": %llu, \"nan_weights\": %lld}%s\n",
                rows[i].mass, rows[i].sigma, rows[i].err, rows[i].sigma / (g * g),
                rows[i].err / (g * g), rows[i].chi2, (unsigned long long)rows[i].points,
                rows[i].nbad, i + 1 < n ? "," : "");
    fprintf(a.f, "  ]\n}\n");
    return mue_afile_commit(&a);
}

static int scan_quiet;

static void scan_progress(int i, int n, const mue_scan_row *r, int resumed)
{
    if (scan_quiet || !isatty(STDERR_FILENO))
        return;
    fprintf(stderr, "  [%d/%d] m = %.5g GeV: sigma = %.5g +- %.2g fb%s\n", i + 1, n, r->mass,
            r->sigma, r->err, resumed ? " (from the existing scan)" : "");
}

/* Parses "a,b,c" with energy units into out; returns the count, -1 (not such a list)
 * or -2 (more than max). */
static int parse_mass_list(const char *s, double *out, int max)
{
    char *buf = strdup(s);
    if (!buf)
        return -1;
    int n = 0;
    char *save = NULL;
    for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        if (n >= max) {
            n = -2;
            break;
        }
        if (mue_parse_quantity(tok, MUE_UNIT_ENERGY, &out[n])) {
            n = -1;
            break;
        }
        n++;
    }
    free(buf);
    return n;
}

int mue_cmd_scan(int argc, char **argv)
{
    static const struct option own[] = {
        {"masses", 1, 0, O_MASSES}, {"n-masses", 1, 0, O_NMASS}, {"mass-min", 1, 0, O_MASS_MIN},
        {"mass-mid", 1, 0, O_MASS_MID}, {"out", 1, 0, O_OUT}, {"g2", 1, 0, O_G2},
        {"restart", 0, 0, O_RESTART}, {0, 0, 0, 0}};
    struct option opts[64];
    mue_cli_options(opts, 64, own);

    mue_run_config c = mue_scan_config_default();
    static double mass[MUE_SCAN_MAXMASS];
    int nmass = -1, nauto = 48, restart = 0, rc = 0;
    mue_cli_seen seen = {0, 0, 0, 0, 0, NULL};
    double m_lo = 1e-3, m_mid = 0.15, g2c = 0.0, g2s = 0.0;
    const char *out = 0, *g2name = "wp20";
    uint64_t n;
    scan_quiet = 0;
    optind = 1;
    opterr = 0;
    for (int o; (o = getopt_long(argc, argv, "", opts, 0)) != -1;) {
        char buf[64];
        const char *opt = mue_cli_option_name(opts, o, buf, sizeof buf);
        switch (o) {
        case O_MASSES:
            nmass = parse_mass_list(optarg, mass, MUE_SCAN_MAXMASS);
            if (nmass == -2)
                return mue_cli_fail("--masses: more than %d masses", MUE_SCAN_MAXMASS);
            if (nmass < 1)
                return mue_cli_fail("--masses: '%s' is not a comma-separated list of masses", optarg);
            break;
        case O_NMASS:
            rc = mue_cli_count(opt, optarg, &n, MUE_SCAN_MAXMASS);
            nauto = (int)n;
            if (!rc && nauto < 3)
                return mue_cli_fail("--n-masses: need at least 3 masses");
            break;
        case O_MASS_MIN: rc = mue_cli_quantity(opt, optarg, MUE_UNIT_ENERGY, &m_lo); break;
        case O_MASS_MID: rc = mue_cli_quantity(opt, optarg, MUE_UNIT_ENERGY, &m_mid); break;
        case O_OUT: out = optarg; break;
        case O_G2: g2name = optarg; break;
        case O_RESTART: restart = 1; break;
        case O_QUIET: scan_quiet = 1; break;
        case O_HELP: fputs(usage_scan, stdout); return 0;
        default:
            rc = mue_cli_run_option(o, opt, &c, &seen);
            if (rc < 0)
                return mue_cli_bad_option(argv, "scan");
        }
        if (rc)
            return rc;
    }
    if (optind < argc)
        return mue_cli_fail("scan: unexpected argument '%s'", argv[optind]);
    if (!out)
        return mue_cli_fail("--out: missing; scan needs an output directory");
    if (!out[0])
        return mue_cli_fail("--out: an empty name");
    if ((rc = mue_cli_cuts_consistent(&c, &seen)))
        return rc;
    if (c.process != MUE_PROC_ZPRIME)
        return mue_cli_fail("--process: scan is for zprime only");
    if (seen.have_mass)
        return mue_cli_fail("--mass: scan takes --masses or --n-masses");
    if (seen.have_flavours)
        return mue_cli_fail("--flavours: scan is for zprime, which has no neutrino option");
    const mue_g2_preset *pre = mue_g2_preset_find(g2name);
    if (pre) {
        g2c = pre->central;
        g2s = pre->sigma;
    } else {
        char *end;
        g2c = strtod(g2name, &end);
        if (end == g2name || *end != ',' || (g2s = strtod(end + 1, &end), *end != '\0') ||
            !isfinite(g2c) || !(g2s > 0.0) || !isfinite(g2s))
            return mue_cli_fail("--g2: '%s' is neither wp20, wp25 nor VALUE,ERROR with ERROR > 0", g2name);
        g2name = "custom";
    }
    if (nmass < 0) {
        double lim = mue_zprime_mass_limit(&c.par);
        if (!(m_lo > 0.0 && m_mid > m_lo && m_mid < lim))
            return mue_cli_fail("--mass-min/--mass-mid: need 0 < min < mid < %.5g GeV", lim);
        nmass = mue_scan_auto_masses(&c.par, m_lo, m_mid, nauto, mass);
    }
    char why[512];
    if (mue_run_validate(&c, why, sizeof why) && !strstr(why, "--mass"))
        return mue_cli_fail("%s", why);
    /* one scan writes a directory at a time; the lock lasts until the process ends */
    if (mue_dir_ready(out))
        return mue_cli_fail("--out: '%s' is not a writable directory", out);
    if (mue_dir_lock(out, why, sizeof why) < 0)
        return mue_cli_fail("--out: %s", why);
    c.progress = 0;
    static mue_scan_row rows[MUE_SCAN_MAXMASS], all[MUE_SCAN_MAXMASS];
    int nall = 0;
    if (mue_scan_run(&c, mass, nmass, out, restart, rows, all, &nall, scan_progress, why, sizeof why))
        return mue_cli_fail("%s", why);
    /* scan.json holds what scan.csv holds: every mass of this scan, earlier runs' too */
    if (write_scan_json(out, &c, all, nall) || write_g2_band(out, g2name, g2c, g2s))
        return mue_cli_fail("--out: writing into '%s' failed", out);
    double g = c.par.coupling, secs = 0.0;
    printf("mue %s scan: zprime, %d masses, g_ref = %.4g, L = %.6g fb^-1 -> %s/scan.csv\n",
           MUE_VERSION, nmass, g, c.lumi_fb, out);
    printf("  %-12s %-26s %-12s %s\n", "m_Z' [GeV]", "sigma/g^2 [fb]", "N(g_ref)", "g for N=1");
    double last_open = 0.0, first_closed = 0.0;
    for (int i = 0; i < nmass; i++) {
        const mue_scan_row *r = &rows[i];
        double g1 = mue_scan_coupling_for(r, g, c.lumi_fb, 1.0);
        printf("  %-12.5g %11.5g +- %-11.2g %-12.5g ", r->mass, r->sigma / (g * g), r->err / (g * g),
               r->sigma * c.lumi_fb);
        if (g1 > 0.0)
            printf("%.4g\n", g1);
        else
            printf("-\n");
        secs += r->seconds;
        if (r->sigma > 0.0 && r->mass > last_open)
            last_open = r->mass;
    }
    for (int i = 0; i < nmass; i++)
        if (rows[i].sigma == 0.0 && rows[i].mass > last_open &&
            (first_closed == 0.0 || rows[i].mass < first_closed))
            first_closed = rows[i].mass;
    if (first_closed > 0.0)
        printf("  signal vanishes between m_Z' = %.5g and %.5g GeV with these cuts\n", last_open,
               first_closed);
    printf("  end point of cut (i): %.5g GeV (muon recoiling against e + Z'); kinematic limit "
           "%.5g GeV\n",
           mue_zprime_mass_endpoint(&c.par), mue_zprime_mass_limit(&c.par));
    if (nall > nmass)
        printf("  %s/scan.csv and scan.json also hold %d masses of earlier runs of this scan\n", out,
               nall - nmass);
    printf("  integration time %.2f s; g-2 band (%s) in %s/g2_band_%s.csv\n", secs, g2name, out,
           g2name);
    return 0;
}
