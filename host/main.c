/* The `mue` command: argument handling and printing only; the work is in the
 * modules it calls. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
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
    "  scan        N_sig over the (m_Z', g) plane, with the g-2 bands (paper Fig. 3)\n"
    "  kinematics  E_e^min against the muon-angle threshold (paper Fig. 1)\n"
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
    "  --points N           points per iteration [1e6]; stratification may use a few %\n"
    "                       less (a whole number of points in each box)\n"
    "  --iterations N       production iterations at most [10]\n"
    "  --warmup N           grid-training iterations before them [5]\n"
    "  --rel-error R        stop once the relative error is below R [1e-3]; 0: never\n"
    "  --seed N             random seed; same seed, same result on any thread count [1]\n"
    "  --grid-bins N        VEGAS bins per axis [64]\n"
    "  --no-strata          plain importance sampling (default: also stratified, two or\n"
    "                       more points in each of n^dim equal boxes, as Lepage's VEGAS)\n"
    "  --threads N          CPU threads [all cores]\n"
    "  --device D           auto, cpu or gpu [auto]; auto takes a GPU when there is one\n"
#ifdef MUE_HAVE_CUDA
    "                       (this build has the CUDA backend)\n"
#else
    "                       (this build is CPU only)\n"
#endif
    "output:\n"
    "  --json FILE          write the result as one JSON object\n"
    "  --hist DIR           write E_e, theta_e, theta_mu, E_mu histograms as CSV in DIR\n"
    "  --hist-bins N        bins per histogram [100]\n"
    "  --hist-range N=LO:HI range of histogram N (E_e, theta_e, theta_mu, E_mu) in GeV or\n"
    "                       rad [E_e=0:50 theta_e=0:0.05 theta_mu=0:0.01 E_mu=0:150]\n"
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
    printf("  chi2/dof %.3f over %d iterations (+%d warm-up), %llu points, %.2f s on %s",
           r->v.chi2_dof, r->v.iterations, r->v.warmup, (unsigned long long)r->v.points,
           r->seconds, r->device);
    if (strcmp(r->device, "gpu") == 0)
        printf(" (%s: kernels %.2f s, host %.2f s, setup %.2f s)", r->device_name,
               r->gpu_kernel_seconds, r->gpu_host_seconds, r->gpu_setup_seconds);
    else
        printf(" (%d threads)", r->threads);
    printf(", seed %llu\n", (unsigned long long)c->seed);
    if (r->v.n_bad)
        printf("  WARNING: %lld NaN or infinite weights were dropped\n", r->v.n_bad);
}

static int cmd_integrate(int argc, char **argv)
{
    mue_run_config c = mue_run_config_default();
    const char *json = 0, *hist = 0;
    int quiet = 0, have_mass = 0, have_coupling = 0, rc = 0;

    optind = 1;
    opterr = 0;
    for (int o; (o = getopt_long(argc, argv, "", mue_cli_run_opts, 0)) != -1;) {
        char buf[64];
        const char *opt = mue_cli_option_name(mue_cli_run_opts, o, buf, sizeof buf);
        switch (o) {
        case O_JSON: json = optarg; break;
        case O_HIST: hist = optarg; break;
        case O_QUIET: quiet = 1; break;
        case O_HELP: fputs(usage_integrate, stdout); return 0;
        default:
            rc = mue_cli_run_option(o, opt, &c, &have_mass, &have_coupling);
            if (rc < 0)
                return mue_cli_bad_option(argv, "integrate");
        }
        if (rc)
            return rc;
    }
    if (optind < argc)
        return mue_cli_fail("integrate: unexpected argument '%s'%s", argv[optind], "");
    if (c.process == MUE_PROC_ZPRIME && !have_mass)
        return mue_cli_fail("--mass: missing; --process zprime needs --mass and --coupling%s%s", "", "");
    if (c.process == MUE_PROC_ZPRIME && !have_coupling)
        return mue_cli_fail("--coupling: missing; --process zprime needs --mass and --coupling%s%s", "",
                    "");
    char why[512];
    if (mue_run_validate(&c, why, sizeof why))
        return mue_cli_fail("%s%s", why, "");
    /* refuse unwritable outputs before spending the integration time */
    if (json && !mue_path_writable(json))
        return mue_cli_fail("--json: cannot write '%s'%s", json, "");
    if (hist && mue_dir_ready(hist))
        return mue_cli_fail("--hist: '%s' is not a writable directory%s", hist, "");
    c.want_hist = hist != 0;
    c.progress = !quiet && isatty(STDERR_FILENO);
    if (c.device == MUE_DEVICE_AUTO && !quiet) {
        char gw[256];
        if (!mue_gpu_usable(gw, sizeof gw))
            fprintf(stderr, "mue: --device auto: %s, running on the CPU\n", gw);
    }
    mue_run_result r;
    if (mue_run_integrate(&c, &r, why, sizeof why))
        return mue_cli_fail("%s%s", why, "");
    print_result(&c, &r);
    if (json && mue_write_json(json, &c, &r))
        return mue_cli_fail("--json: writing '%s' failed%s", json, "");
    if (hist && mue_write_hist_csv(hist, &c, &r))
        return mue_cli_fail("--hist: writing into '%s' failed%s", hist, "");
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
        case O_MASS: rc = mue_cli_quantity("--mass", optarg, MUE_UNIT_ENERGY, &m); break;
        case O_COUPLING: rc = mue_cli_quantity("--coupling", optarg, MUE_UNIT_NONE, &g); break;
        case O_JSON: json = optarg; break;
        case O_HELP: fputs(usage_g2, stdout); return 0;
        default: return mue_cli_bad_option(argv, "g2");
        }
        if (rc)
            return rc;
    }
    if (optind < argc)
        return mue_cli_fail("g2: unexpected argument '%s'%s", argv[optind], "");
    if (isnan(m))
        return mue_cli_fail("--mass: missing; g2 needs --mass and --coupling%s%s", "", "");
    if (isnan(g))
        return mue_cli_fail("--coupling: missing; g2 needs --mass and --coupling%s%s", "", "");
    if (!(m > 0.0))
        return mue_cli_fail("--mass: the Z' mass must be positive%s%s", "", "");
    if (!(g > 0.0))
        return mue_cli_fail("--coupling: must be positive%s%s", "", "");
    if (json && !mue_path_writable(json))
        return mue_cli_fail("--json: cannot write '%s'%s", json, "");
    double err, da = mue_g2_delta_amu(m, g, MUE_M_MU, &err);
    printf("m_Z' = %.6g GeV  g = %.4g\n  Delta a_mu = %.6e\n", m, g, da);
    for (const mue_g2_preset *p = mue_g2_presets; p->name; p++)
        printf("  %s: excess (%.0f +- %.0f) x 1e-11, Z' gives %+.2f sigma from it (%s)\n", p->name,
               p->central * 1e11, p->sigma * 1e11, (da - p->central) / p->sigma, p->note);
    if (json) {
        mue_afile a;
        if (mue_afile_open(&a, json))
            return mue_cli_fail("--json: cannot write '%s'%s", json, "");
        fprintf(a.f, "{\"mass_gev\": %.10g, \"coupling\": %.10g, \"delta_amu\": %.10g", m, g, da);
        for (const mue_g2_preset *p = mue_g2_presets; p->name; p++)
            fprintf(a.f, ", \"pull_%s\": %.6g", p->name, (da - p->central) / p->sigma);
        fprintf(a.f, ", \"version\": \"%s\"}\n", MUE_VERSION);
        if (mue_afile_commit(&a))
            return mue_cli_fail("--json: writing '%s' failed%s", json, "");
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
    if (strcmp(cmd, "scan") == 0)
        return mue_cmd_scan(argc - 1, argv + 1);
    if (strcmp(cmd, "kinematics") == 0)
        return mue_cmd_kinematics(argc - 1, argv + 1);
    return mue_cli_fail("unknown command '%s' (see mue --help)%s", cmd, "");
}
