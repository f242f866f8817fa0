/* The `mue` command: argument handling and printing only; the work is in the
 * modules it calls. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gsl_physics.h"
#include "integrate.h"
#include "output.h"
#include "units.h"
#include "version.h"

static const char usage_main[] =
    "usage: mue <command> [options]\n"
    "\n"
    "GPU-ready Monte Carlo for muon-electron scattering at MUonE (150 GeV mu on e at rest):\n"
    "the L_mu - L_tau Z' signal mu e -> mu e Z' and the elastic process, with the\n"
    "selection of Asai et al., PRD 106, L051702 (2022).\n"
    "\n"
    "commands:\n"
    "  integrate   cross section, event count and lab distributions (VEGAS)\n"
    "  g2          Delta a_mu of the Z' and where it sits in the g-2 bands\n"
    "\n"
    "  mue <command> --help    options of one command\n"
    "  mue --version\n";

static const char usage_integrate[] =
    "usage: mue integrate --process zprime|elastic [--mass M --coupling G] [options]\n"
    "\n"
    "Integrates the cross section with adaptive importance sampling (VEGAS) and prints\n"
    "sigma and the event count N = sigma * L with their Monte Carlo errors.\n"
    "\n"
    "model and beam:\n"
    "  --process NAME       zprime (mu e -> mu e Z') or elastic (mu e -> mu e)   [zprime]\n"
    "  --mass M             Z' mass; GeV, or with a suffix: 100MeV, 0.1GeV       (zprime)\n"
    "  --coupling G         L_mu - L_tau gauge coupling g                        (zprime)\n"
    "  --alpha A            QED coupling [1/137.035999084]; 1/132.507 is MadGraph's sm\n"
    "  --beam-energy E      lab muon energy [150 GeV]; electron target at rest\n"
    "  --lumi L             integrated luminosity in fb^-1 (or /pb, /ab suffix)   [15]\n"
    "selection (lab frame):\n"
    "  --theta-mu-min A     cut (i): muon angle above A [1.5mrad]; rad, or mrad/urad/deg\n"
    "  --ee-min E           cut (ii): electron energy above E [1 GeV]\n"
    "  --ee-max E           cut (ii): electron energy below E [25 GeV]\n"
    "  --no-cuts            no selection at all\n"
    "sampling:\n"
    "  --points N           points per iteration [1e6]\n"
    "  --iterations N       production iterations at most [10]\n"
    "  --warmup N           grid-training iterations before them [5]\n"
    "  --rel-error R        stop once the relative error is below R [1e-3]; 0: never\n"
    "  --seed N             random seed; same seed, same result on any thread count [1]\n"
    "  --grid-bins N        VEGAS bins per axis [64]\n"
    "  --threads N          CPU threads [all cores]\n"
    "  --device D           auto, cpu or gpu [auto]\n"
    "output:\n"
    "  --json FILE          write the result as one JSON object\n"
    "  --hist DIR           write E_e, theta_e, theta_mu, E_mu histograms as CSV in DIR\n"
    "  --hist-bins N        bins per histogram [100]\n"
    "  --quiet              no progress lines (they go to stderr, on a terminal only)\n"
    "\n"
    "example: mue integrate --process zprime --mass 100MeV --coupling 1e-3\n";

static const char usage_g2[] =
    "usage: mue g2 --mass M --coupling G [--json FILE]\n"
    "\n"
    "Delta a_mu = g^2/(8 pi^2) int_0^1 dx 2 m_mu^2 x^2 (1-x) / (x^2 m_mu^2 + (1-x) M^2),\n"
    "and its pull against the measured excess of each preset (physics.md):\n"
    "  wp20: (251 +- 59) x 1e-11, the value the paper used\n"
    "  wp25: (38 +- 63) x 1e-11, 2025 Theory Initiative update with the final E989 average\n";

static int fail(const char *fmt, const char *a, const char *b)
{
    fprintf(stderr, "mue: ");
    fprintf(stderr, fmt, a, b);
    fputc('\n', stderr);
    return 2;
}

/* Parses opt's value into *out; prints the reason on failure. */
static int quantity(const char *opt, const char *val, mue_unit_kind kind, double *out)
{
    int rc = mue_parse_quantity(val, kind, out);
    if (rc == -1)
        return fail("%s: '%s' is not a number", opt, val);
    if (rc == -2)
        return fail("%s: '%s' has an unknown unit suffix", opt, val);
    return 0;
}

static int count(const char *opt, const char *val, uint64_t *out, uint64_t max)
{
    if (mue_parse_count(val, out) || *out > max)
        return fail("%s: '%s' is not a whole number in range", opt, val);
    return 0;
}

static int bad_option(char **argv, const char *cmd)
{
    fprintf(stderr, "mue %s: unknown or incomplete option '%s' (see mue %s --help)\n", cmd,
            argv[optind - 1], cmd);
    return 2;
}

enum {
    O_PROCESS = 256, O_MASS, O_COUPLING, O_ALPHA, O_BEAM, O_LUMI, O_THMU, O_EEMIN, O_EEMAX,
    O_NOCUTS, O_POINTS, O_ITER, O_WARM, O_REL, O_SEED, O_GBINS, O_THREADS, O_DEVICE, O_JSON,
    O_HIST, O_HBINS, O_QUIET, O_HELP
};

static const struct option integrate_opts[] = {
    {"process", 1, 0, O_PROCESS}, {"mass", 1, 0, O_MASS}, {"coupling", 1, 0, O_COUPLING},
    {"alpha", 1, 0, O_ALPHA}, {"beam-energy", 1, 0, O_BEAM}, {"lumi", 1, 0, O_LUMI},
    {"theta-mu-min", 1, 0, O_THMU}, {"ee-min", 1, 0, O_EEMIN}, {"ee-max", 1, 0, O_EEMAX},
    {"no-cuts", 0, 0, O_NOCUTS}, {"points", 1, 0, O_POINTS}, {"iterations", 1, 0, O_ITER},
    {"warmup", 1, 0, O_WARM}, {"rel-error", 1, 0, O_REL}, {"seed", 1, 0, O_SEED},
    {"grid-bins", 1, 0, O_GBINS}, {"threads", 1, 0, O_THREADS}, {"device", 1, 0, O_DEVICE},
    {"json", 1, 0, O_JSON}, {"hist", 1, 0, O_HIST}, {"hist-bins", 1, 0, O_HBINS},
    {"quiet", 0, 0, O_QUIET}, {"help", 0, 0, O_HELP}, {0, 0, 0, 0}};

static void print_result(const mue_run_config *c, const mue_run_result *r)
{
    const mue_params *p = &c->par;
    printf("mue %s  process %s", MUE_VERSION, mue_process_name(c->process));
    if (c->process == MUE_PROC_ZPRIME)
        printf("  m_Z' = %.6g GeV  g = %.4g", p->m_zp, p->coupling);
    printf("\n  beam %.6g GeV on e at rest, alpha = 1/%.6f\n", p->e_beam, 1.0 / p->alpha);
    if (p->cuts.enabled)
        printf("  cuts: theta_mu > %.6g mrad, %.6g GeV < E_e < %.6g GeV\n",
               1e3 * p->cuts.theta_mu_min, p->cuts.ee_min, p->cuts.ee_max);
    else
        printf("  cuts: none\n");
    double rel = r->sigma_fb != 0.0 ? 100.0 * r->sigma_err_fb / fabs(r->sigma_fb) : 0.0;
    printf("  sigma  = %.6g +- %.3g fb  (%.3f%%)\n", r->sigma_fb, r->sigma_err_fb, rel);
    printf("  events = %.6g +- %.3g  for L = %.6g fb^-1\n", r->events, r->events_err, c->lumi_fb);
    printf("  chi2/dof %.3f over %d iterations (+%d warm-up), %llu points, %.2f s on %s (%d "
           "threads), seed %llu\n",
           r->v.chi2_dof, r->v.iterations, r->v.warmup, (unsigned long long)r->v.points,
           r->seconds, r->device, r->threads, (unsigned long long)c->seed);
    if (r->v.n_bad)
        printf("  WARNING: %lld NaN or infinite weights were dropped\n", r->v.n_bad);
}

static int cmd_integrate(int argc, char **argv)
{
    mue_run_config c = mue_run_config_default();
    const char *json = 0, *hist = 0;
    int quiet = 0, have_mass = 0, have_coupling = 0, rc = 0;
    uint64_t n;

    optind = 1;
    opterr = 0;
    for (int o; (o = getopt_long(argc, argv, "", integrate_opts, 0)) != -1;) {
        const char *name = argv[optind - 1];
        const char *opt = name;
        char buf[64];
        /* name the option in messages even when its value was glued on with = */
        const struct option *it = integrate_opts;
        while (it->name && it->val != o)
            it++;
        if (it->name) {
            snprintf(buf, sizeof buf, "--%s", it->name);
            opt = buf;
        }
        switch (o) {
        case O_PROCESS:
            if (mue_process_from_name(optarg, &c.process))
                return fail("--process: unknown process '%s' (known: elastic, zprime)%s", optarg, "");
            break;
        case O_MASS: rc = quantity(opt, optarg, MUE_UNIT_ENERGY, &c.par.m_zp); have_mass = 1; break;
        case O_COUPLING: rc = quantity(opt, optarg, MUE_UNIT_NONE, &c.par.coupling); have_coupling = 1; break;
        case O_ALPHA: rc = quantity(opt, optarg, MUE_UNIT_NONE, &c.par.alpha); break;
        case O_BEAM: rc = quantity(opt, optarg, MUE_UNIT_ENERGY, &c.par.e_beam); break;
        case O_LUMI: rc = quantity(opt, optarg, MUE_UNIT_LUMI, &c.lumi_fb); break;
        case O_THMU: rc = quantity(opt, optarg, MUE_UNIT_ANGLE, &c.par.cuts.theta_mu_min); break;
        case O_EEMIN: rc = quantity(opt, optarg, MUE_UNIT_ENERGY, &c.par.cuts.ee_min); break;
        case O_EEMAX: rc = quantity(opt, optarg, MUE_UNIT_ENERGY, &c.par.cuts.ee_max); break;
        case O_NOCUTS: c.par.cuts.enabled = 0; break;
        case O_POINTS: rc = count(opt, optarg, &c.points, UINT64_MAX); break;
        case O_ITER: rc = count(opt, optarg, &n, 1u << 30); c.iterations = (int)n; break;
        case O_WARM: rc = count(opt, optarg, &n, 1u << 30); c.warmup = (int)n; break;
        case O_REL: rc = quantity(opt, optarg, MUE_UNIT_NONE, &c.rel_error); break;
        case O_SEED: rc = count(opt, optarg, &c.seed, UINT64_MAX); break;
        case O_GBINS: rc = count(opt, optarg, &n, 1u << 30); c.grid_bins = (int)n; break;
        case O_THREADS: rc = count(opt, optarg, &n, 1u << 30); c.threads = (int)n; break;
        case O_HBINS: rc = count(opt, optarg, &n, 1u << 30); c.hist.nbins = (int)n; break;
        case O_DEVICE:
            if (strcmp(optarg, "auto") == 0) c.device = MUE_DEVICE_AUTO;
            else if (strcmp(optarg, "cpu") == 0) c.device = MUE_DEVICE_CPU;
            else if (strcmp(optarg, "gpu") == 0) c.device = MUE_DEVICE_GPU;
            else return fail("--device: unknown device '%s' (auto, cpu, gpu)%s", optarg, "");
            break;
        case O_JSON: json = optarg; break;
        case O_HIST: hist = optarg; break;
        case O_QUIET: quiet = 1; break;
        case O_HELP: fputs(usage_integrate, stdout); return 0;
        default: return bad_option(argv, "integrate");
        }
        if (rc)
            return rc;
    }
    if (optind < argc)
        return fail("integrate: unexpected argument '%s'%s", argv[optind], "");
    if (c.process == MUE_PROC_ZPRIME && !have_mass)
        return fail("--mass: missing; --process zprime needs --mass and --coupling%s%s", "", "");
    if (c.process == MUE_PROC_ZPRIME && !have_coupling)
        return fail("--coupling: missing; --process zprime needs --mass and --coupling%s%s", "",
                    "");
    char why[512];
    if (mue_run_validate(&c, why, sizeof why))
        return fail("%s%s", why, "");
    /* refuse unwritable outputs before spending the integration time */
    if (json && !mue_path_writable(json))
        return fail("--json: cannot write '%s'%s", json, "");
    if (hist && mue_dir_ready(hist))
        return fail("--hist: '%s' is not a writable directory%s", hist, "");
    c.want_hist = hist != 0;
    c.progress = !quiet && isatty(STDERR_FILENO);
    if (c.device == MUE_DEVICE_AUTO && !quiet)
        fprintf(stderr, "mue: --device auto: no CUDA backend in this build, running on the CPU\n");
    mue_run_result r;
    if (mue_run_integrate(&c, &r, why, sizeof why))
        return fail("%s%s", why, "");
    print_result(&c, &r);
    if (json && mue_write_json(json, &c, &r))
        return fail("--json: writing '%s' failed%s", json, "");
    if (hist && mue_write_hist_csv(hist, &c, &r))
        return fail("--hist: writing into '%s' failed%s", hist, "");
    return 0;
}

static int cmd_g2(int argc, char **argv)
{
    static const struct option opts[] = {{"mass", 1, 0, O_MASS}, {"coupling", 1, 0, O_COUPLING},
                                         {"json", 1, 0, O_JSON}, {"help", 0, 0, O_HELP},
                                         {0, 0, 0, 0}};
    double m = NAN, g = NAN;
    const char *json = 0;
    int rc = 0;
    optind = 1;
    opterr = 0;
    for (int o; (o = getopt_long(argc, argv, "", opts, 0)) != -1;) {
        switch (o) {
        case O_MASS: rc = quantity("--mass", optarg, MUE_UNIT_ENERGY, &m); break;
        case O_COUPLING: rc = quantity("--coupling", optarg, MUE_UNIT_NONE, &g); break;
        case O_JSON: json = optarg; break;
        case O_HELP: fputs(usage_g2, stdout); return 0;
        default: return bad_option(argv, "g2");
        }
        if (rc)
            return rc;
    }
    if (optind < argc)
        return fail("g2: unexpected argument '%s'%s", argv[optind], "");
    if (isnan(m))
        return fail("--mass: missing; g2 needs --mass and --coupling%s%s", "", "");
    if (isnan(g))
        return fail("--coupling: missing; g2 needs --mass and --coupling%s%s", "", "");
    if (!(m > 0.0))
        return fail("--mass: the Z' mass must be positive%s%s", "", "");
    if (!(g > 0.0))
        return fail("--coupling: must be positive%s%s", "", "");
    if (json && !mue_path_writable(json))
        return fail("--json: cannot write '%s'%s", json, "");
    double err, da = mue_g2_delta_amu(m, g, MUE_M_MU, &err);
    printf("m_Z' = %.6g GeV  g = %.4g\n  Delta a_mu = %.6e\n", m, g, da);
    for (const mue_g2_preset *p = mue_g2_presets; p->name; p++)
        printf("  %s: excess (%.0f +- %.0f) x 1e-11, Z' gives %+.2f sigma from it (%s)\n", p->name,
               p->central * 1e11, p->sigma * 1e11, (da - p->central) / p->sigma, p->note);
    if (json) {
        mue_afile a;
        if (mue_afile_open(&a, json))
            return fail("--json: cannot write '%s'%s", json, "");
        fprintf(a.f, "{\"mass_gev\": %.10g, \"coupling\": %.10g, \"delta_amu\": %.10g", m, g, da);
        for (const mue_g2_preset *p = mue_g2_presets; p->name; p++)
            fprintf(a.f, ", \"pull_%s\": %.6g", p->name, (da - p->central) / p->sigma);
        fprintf(a.f, ", \"version\": \"%s\"}\n", MUE_VERSION);
        if (mue_afile_commit(&a))
            return fail("--json: writing '%s' failed%s", json, "");
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage_main, stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        fputs(usage_main, stdout);
        return 0;
    }
    if (strcmp(cmd, "--version") == 0) {
        printf("mue %s\n", MUE_VERSION);
        return 0;
    }
    if (strcmp(cmd, "integrate") == 0)
        return cmd_integrate(argc - 1, argv + 1);
    if (strcmp(cmd, "g2") == 0)
        return cmd_g2(argc - 1, argv + 1);
    return fail("unknown command '%s' (see mue --help)%s", cmd, "");
}
