/* `mue integrate`: one cross section, its event count and histograms. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backends/backend.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "run/detector_config.h"
#include "run/output.h"
#include "run/process_table.h"
#include "util/version.h"

static const char usage_head[] =
    "usage: mue integrate --process NAME [--mass M --coupling G] [options]\n"
    "\n"
    "Integrates the cross section with adaptive importance sampling (VEGAS) and prints\n"
    "sigma and the event count N = sigma * L with their Monte Carlo errors.\n"
    "\n"
    "processes (--process) [zprime]:\n";

static const char usage_body[] =
    "model and beam:\n"
    "  --mass M             mass of the new particle; GeV, or with a suffix: 100MeV;\n"
    "                       1 keV up to the kinematic limit\n"
    "  --coupling G         its coupling (zprime: the L_mu - L_tau gauge coupling g);\n"
    "                       1e-20 .. 10 (sigma ~ g^2: scale a result for others)\n"
    "  --alpha A            QED coupling [1/137.035999084], 1e-4 .. 1; 1/132.507 is\n"
    "                       MadGraph's sm\n"
    "  --flavours LIST      muenn: neutrino flavours to sum, from e,mu,tau [e,mu,tau]\n"
    "  --beam-energy E      lab muon energy [150 GeV], up to 1e6 GeV; electron at rest\n"
    "  --lumi L             integrated luminosity in fb^-1 (or /pb, /ab suffix) [15],\n"
    "                       up to 1e10\n"
    "selection (lab frame):\n"
    "  --theta-mu-min A     cut (i): muon angle above A [1.5mrad]; rad, or mrad/urad/deg\n"
    "  --ee-min E           cut (ii): electron energy above E [1 GeV]\n"
    "  --ee-max E           cut (ii): electron energy below E [25 GeV]\n"
    "  --no-cuts            no selection at all\n"
    "  --egamma-min E       processes with a photon (mueg): lab photon energy above E\n"
    "                       [none; cuts (i)+(ii) imply 12.9 GeV at the defaults]; kept\n"
    "                       with --no-cuts, where mueg needs it\n"
    "sampling:\n"
    "  --points N           points per iteration [1e6], at least 100; stratification\n"
    "                       may use a few % less (a whole number in each box)\n"
    "  --iterations N       production iterations at most [10]; 0 with --save-grid:\n"
    "                       train a grid only\n"
    "  --warmup N           grid-training iterations before them [5; 0 with --load-grid]\n"
    "  --rel-error R        stop once the relative error is below R [1e-3]; 0: never\n"
    "  --seed N             random seed; same seed, same result on any thread count [1]\n"
    "  --grid-bins N        VEGAS bins per axis [64]\n"
    "  --beta B             VEGAS+ (Lepage 2021): each iteration moves points into the\n"
    "                       boxes with the largest errors, n_h ~ sigma_h^B [0.75];\n"
    "                       0: classic VEGAS, the same count in every box\n"
    "  --no-strata          plain importance sampling (default: also stratified, two or\n"
    "                       more points in each of n^dim equal boxes, as Lepage's VEGAS)\n"
    "  --threads N          CPU threads [all cores]\n"
    "  --device D           auto, cpu or gpu [auto]; auto takes a GPU when there is one\n"
    "the grid:\n"
    "  --save-grid FILE     write the trained grid (JSON) at the end\n"
    "  --load-grid FILE     start from a saved grid, with no warm-up unless --warmup;\n"
    "                       refused if it was trained for another process, mass, beam,\n"
    "                       cuts or --egamma-min (the coupling and alpha only scale the\n"
    "                       integrand)\n"
    "  --force-grid         use a loaded grid even so\n"
    "checkpoint and restart:\n"
    "  --checkpoint FILE    write the run's state (JSON) after every iteration, atomically\n"
    "  --resume FILE        go on from a checkpoint of a run with the same options (a\n"
    "                       --load-grid is then not read); the result has the bits of\n"
    "                       the run never stopped. FILE may also be the --checkpoint\n"
    "  --checkpoint-every S at most one checkpoint per S seconds, and the last\n"
    "                       iteration's [0: after every iteration]\n"
    "output:\n"
    "  --json FILE          write the result as one JSON object\n"
    "  --hist DIR           write one CSV histogram per observable of the process in DIR\n"
    "  --hist-bins N        bins per histogram [100]\n"
    "  --hist-range N=LO:HI range of histogram N (an observable of the process) in its\n"
    "                       unit, GeV or rad\n"
    "  --quiet              no progress lines (they go to stderr, on a terminal only)\n"
    "detector:\n"
    "  --detector SPEC      apply the cuts to measured quantities through a detector\n"
    "                       model: 'default' or KEY=VALUE,... (keys below)\n"
    "\n"
    "Outside the ranges above mue refuses the input (exit 2) instead of printing a number\n"
    "double precision cannot give. A result whose error is rough (an iteration with\n"
    "fewer than 100 points passing the cuts) or that dropped NaN weights carries a\n"
    "WARNING line, and \"warnings\" in the JSON.\n"
    "\n"
    "example: mue integrate --process zprime --mass 100MeV --coupling 1e-3\n";

static void usage(void)
{
    fputs(usage_head, stdout);
    for (int i = 0; i < MUE_NPROC; i++) {
        const mue_process_info *p = &mue_process_table[i];
        printf("  %-10s %s%s\n", p->name, p->summary,
               p->uses & MUE_USES_MASS ? "; needs --mass and --coupling" : "");
        printf("  %-10s histograms:", "");
        for (int k = 0; k < p->nobs; k++)
            printf(" %s [%g:%g %s]", p->obs[k].name, p->obs[k].lo, p->obs[k].hi, p->obs[k].unit);
        printf("\n");
    }
    fputs(usage_body, stdout);
    fputs(mue_detector_help, stdout);
    printf("this build's devices:");
    for (const mue_backend *const *b = mue_backends; *b; b++)
        if ((*b)->built)
            printf(" %s", (*b)->name);
    printf("\n");
}

/* --hist-range NAME=LO:HI, in the observable's unit (GeV or rad); the name is checked
 * against the process once the command line is read */
static int hist_range(const char *val, mue_run_config *c)
{
    const char *eq = strchr(val, '=');
    if (eq && eq > val && (size_t)(eq - val) < sizeof c->hist_range[0].name &&
        c->n_hist_ranges < MUE_MAX_OBS) {
        char *end;
        double lo = strtod(eq + 1, &end);
        if (end != eq + 1 && *end == ':') {
            const char *hi_s = end + 1;
            double hi = strtod(hi_s, &end);
            if (end != hi_s && *end == '\0' && isfinite(lo) && isfinite(hi) && hi > lo) {
                mue_hist_range *h = &c->hist_range[c->n_hist_ranges++];
                snprintf(h->name, sizeof h->name, "%.*s", (int)(eq - val), val);
                h->lo = lo;
                h->hi = hi;
                return 0;
            }
        }
    }
    return mue_cli_fail("--hist-range: '%s' is not NAME=LO:HI with LO < HI and NAME an "
                        "observable of the process (at most %d ranges)",
                        val, MUE_MAX_OBS);
}

static void print_result(const mue_run_config *c, const mue_run_result *r)
{
    const mue_params *p = &c->par;
    const mue_process_info *pi = mue_process_info_of(c->process);
    printf("mue %s  process %s", MUE_VERSION, pi->name);
    if (pi->uses & MUE_USES_MASS)
        printf("  m_Z' = %.6g GeV", p->m_zp);
    if (pi->uses & MUE_USES_COUPLING)
        printf("  g = %.4g", p->coupling);
    if (pi->uses & MUE_USES_FLAVOURS) {
        char fl[32];
        printf("  nu flavours %s", mue_nu_flavours_str(p->nu_flavours, fl, sizeof fl));
    }
    printf("\n  beam %.6g GeV on e at rest, alpha = 1/%.6f\n", p->e_beam, 1.0 / p->alpha);
    if (p->cuts.enabled)
        printf("  cuts: theta_mu > %.6g mrad, %.6g GeV < E_e < %.6g GeV\n",
               1e3 * p->cuts.theta_mu_min, p->cuts.ee_min, p->cuts.ee_max);
    else
        printf("  cuts: none\n");
    if (p->det.enabled) {
        char d[512];
        printf("  cuts on measured quantities; detector: %s\n",
               mue_detector_describe(&p->det, d, sizeof d));
    }
    if (c->process == MUE_PROC_MUEG) { /* the photon floor the run used (docs/physics.md Eq. 12.6) */
        mue_setup S;
        const char *why;
        if (mue_setup_make(c->process, p, &S, &why))
            printf("  photon: E_gamma > %.6g GeV (%s)\n", S.u.mueg.eg_min,
                   S.u.mueg.eg_min > p->cuts.egamma_min ? "implied by cuts (i)+(ii)" : "--egamma-min");
    }
    if (r->v.iterations == 0) {
        printf("  grid trained: %d warm-up iterations, %llu points, %.2f s on %s; saved to %s\n",
               r->v.warmup, (unsigned long long)r->v.points, r->seconds, r->device_name,
               c->save_grid);
        return;
    }
    double rel = r->sigma_fb != 0.0 ? 100.0 * r->sigma_err_fb / fabs(r->sigma_fb) : 0.0;
    printf("  sigma  = %.6g +- %.3g fb  (%.3f%%)\n", r->sigma_fb, r->sigma_err_fb, rel);
    printf("  events = %.6g +- %.3g  for L = %.6g fb^-1\n", r->events, r->events_err, c->lumi_fb);
    printf("  chi2/dof %.3f (Q = %.2f) over %d iterations (+%d warm-up), %llu points, %.2f s on %s",
           r->v.chi2_dof, r->v.q, r->v.iterations, r->v.warmup, (unsigned long long)r->v.points,
           r->seconds, r->device);
    if (strcmp(r->device, "cpu") != 0)
        printf(" (%s: evaluation %.2f s, host %.2f s, setup %.2f s)", r->device_name,
               r->eval_seconds, r->host_seconds, r->setup_seconds);
    else
        printf(" (%d threads)", r->threads);
    printf(", seed %llu\n", (unsigned long long)c->seed);
    for (int k = 0; k < r->nwarnings; k++)
        printf("  WARNING: %s\n", r->warnings[k]);
}

/* Every output names its own file: a JSON file that is the histogram directory or one
 * of its CSVs, or the saved grid, would be overwritten by another output of the run. */
static int outputs_distinct(const mue_run_config *c, const char *json, const char *hist)
{
    const mue_process_info *pi = mue_process_info_of(c->process);
    const char *const files[][2] = {{"--json", json}, {"--save-grid", c->save_grid}};
    if (json && c->save_grid && mue_same_file(json, c->save_grid))
        return mue_cli_fail("--json and --save-grid: both name '%s'", json);
    for (size_t k = 0; k < 2 && hist; k++) {
        const char *f = files[k][1];
        if (!f)
            continue;
        if (mue_same_file(f, hist))
            return mue_cli_fail("%s and --hist: both name '%s'", files[k][0], f);
        for (int q = 0; q < pi->nobs; q++) {
            char csv[4096];
            snprintf(csv, sizeof csv, "%s/%s.csv", hist, pi->obs[q].name);
            if (mue_same_file(f, csv))
                return mue_cli_fail("%s: '%s' is one of the --hist files", files[k][0], f);
        }
    }
    return 0;
}

int mue_cmd_integrate(int argc, char **argv)
{
    static const struct option own[] = {
        {"json", 1, 0, O_JSON},           {"hist", 1, 0, O_HIST},
        {"hist-bins", 1, 0, O_HBINS},     {"hist-range", 1, 0, O_HRANGE},
        {"save-grid", 1, 0, O_SAVE_GRID}, {"load-grid", 1, 0, O_LOAD_GRID},
        {"force-grid", 0, 0, O_FORCE_GRID}, {"detector", 1, 0, O_DETECTOR},
        {"checkpoint", 1, 0, O_CHECKPOINT}, {"resume", 1, 0, O_RESUME},
        {"checkpoint-every", 1, 0, O_CKEVERY}, {0, 0, 0, 0}};
    struct option opts[64];
    mue_cli_options(opts, 64, own);
    mue_run_config c = mue_run_config_default();
    mue_cli_seen seen = {0, 0, 0, 0, 0, NULL};
    const char *json = 0, *hist = 0;
    int quiet = 0, rc = 0;

    optind = 1;
    opterr = 0;
    for (int o; (o = getopt_long(argc, argv, "", opts, 0)) != -1;) {
        char buf[64];
        const char *opt = mue_cli_option_name(opts, o, buf, sizeof buf);
        uint64_t n;
        switch (o) {
        case O_JSON: json = optarg; break;
        case O_HIST: hist = optarg; break;
        case O_HBINS: rc = mue_cli_count(opt, optarg, &n, 1u << 30); c.hist_bins = (int)n; break;
        case O_HRANGE: rc = hist_range(optarg, &c); break;
        case O_SAVE_GRID: c.save_grid = optarg; break;
        case O_LOAD_GRID: c.load_grid = optarg; break;
        case O_FORCE_GRID: c.force_grid = 1; break;
        case O_DETECTOR: {
            char dw[512];
            if (mue_detector_parse(optarg, &c.par.det, dw, sizeof dw))
                return mue_cli_fail("%s", dw);
            break;
        }
        case O_CHECKPOINT: c.checkpoint = optarg; break;
        case O_RESUME: c.resume = optarg; break;
        case O_CKEVERY: rc = mue_cli_count(opt, optarg, &c.checkpoint_every, 1ull << 40); break;
        case O_QUIET: quiet = 1; break;
        case O_HELP: usage(); return 0;
        default:
            rc = mue_cli_run_option(o, opt, &c, &seen);
            if (rc < 0)
                return mue_cli_bad_option(argv, "integrate");
        }
        if (rc)
            return rc;
    }
    if (optind < argc)
        return mue_cli_fail("integrate: unexpected argument '%s'", argv[optind]);
    if ((rc = mue_cli_model_complete(&c, &seen, "integrate")) || (rc = mue_cli_cuts_consistent(&c, &seen)))
        return rc;
    const char *const named[][2] = {{"--json", json}, {"--hist", hist}, {"--save-grid", c.save_grid},
                                    {"--load-grid", c.load_grid}, {"--checkpoint", c.checkpoint},
                                    {"--resume", c.resume}};
    for (size_t k = 0; k < sizeof named / sizeof named[0]; k++)
        if (named[k][1] && !named[k][1][0])
            return mue_cli_fail("%s: an empty name", named[k][0]);
    if ((rc = outputs_distinct(&c, json, hist)))
        return rc;
    if (c.checkpoint && ((json && mue_same_file(json, c.checkpoint)) ||
                         (c.save_grid && mue_same_file(c.save_grid, c.checkpoint))))
        return mue_cli_fail("--checkpoint: '%s' is also the %s file", c.checkpoint,
                            json && mue_same_file(json, c.checkpoint) ? "--json" : "--save-grid");
    if (c.load_grid) {
        if (seen.have_grid_bins)
            return mue_cli_fail("--grid-bins: a loaded grid brings its own bins (--load-grid)");
        if (!seen.have_warmup)
            c.warmup = 0;
    }
    if (c.checkpoint_every && !c.checkpoint)
        return mue_cli_fail("--checkpoint-every: only with --checkpoint");
    if (c.force_grid && !c.load_grid)
        return mue_cli_fail("--force-grid: only with --load-grid");
    if (c.iterations == 0 && (json || hist))
        return mue_cli_fail("--iterations 0 only trains a grid: no result for %s",
                            json ? "--json" : "--hist");
    char why[512];
    if (mue_run_validate(&c, why, sizeof why))
        return mue_cli_fail("%s", why);
    /* refuse unwritable outputs before spending the integration time */
    if (json && !mue_path_writable(json))
        return mue_cli_fail("--json: cannot write '%s'", json);
    if (c.save_grid && !mue_path_writable(c.save_grid))
        return mue_cli_fail("--save-grid: cannot write '%s'", c.save_grid);
    if (c.checkpoint && !mue_path_writable(c.checkpoint))
        return mue_cli_fail("--checkpoint: cannot write '%s'", c.checkpoint);
    if (hist && mue_dir_ready(hist))
        return mue_cli_fail("--hist: '%s' is not a writable directory", hist);
    /* one run writes a --hist directory at a time; the lock lasts until the process ends */
    if (hist && mue_dir_lock(hist, why, sizeof why) < 0)
        return mue_cli_fail("--hist: %s", why);
    c.want_hist = hist != 0;
    c.progress = !quiet && isatty(STDERR_FILENO);
    if (strcmp(c.device, "auto") == 0 && !quiet) {
        /* say why each device ahead of the one taken was passed over */
        const mue_backend *be = mue_backend_auto();
        char gw[256];
        for (const mue_backend *const *b = mue_backends; *b != be; b++)
            if (!(*b)->usable(gw, sizeof gw))
                fprintf(stderr, "mue: --device auto: %s, running on the %s\n", gw,
                        be == &mue_backend_cpu ? "CPU" : be->name);
    }
    mue_run_result r;
    if (mue_run_integrate(&c, &r, why, sizeof why))
        return mue_cli_fail("%s", why);
    print_result(&c, &r);
    if (json && mue_write_json(json, &c, &r))
        return mue_cli_fail("--json: writing '%s' failed", json);
    if (hist && mue_write_hist_csv(hist, &c, &r))
        return mue_cli_fail("--hist: writing into '%s' failed", hist);
    return 0;
}
