/* `mue generate`: unweighted (or weighted) events into an LHEF or HepMC3 file. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backends/backend.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "run/detector_config.h"
#include "run/generate.h"
#include "run/output.h"
#include "run/process_table.h"
#include "util/version.h"

/* generate's own options (beyond cli.h's, whose numbers stay below 1000) */
enum { G_EVENTS = 1000, G_FORMAT, G_WEIGHTED, G_MAXW, G_OVER, G_SURVEY, G_GZIP };

static const char usage_text[] =
    "usage: mue generate --process NAME [--mass M --coupling G] --events N --out FILE [options]\n"
    "\n"
    "Unweighted events (or weighted, --weighted) for detector simulation: trains the VEGAS\n"
    "grid as mue integrate does (or loads one), surveys the weights through it for the\n"
    "maximum, then keeps points by hit or miss against it, batch after batch on the\n"
    "device, while a writer thread formats and compresses the previous batch. Events are\n"
    "in the lab frame (mu- beam along +z on e- at rest), GeV; the Z' is a final-state\n"
    "particle with PDG id 9900023 (invisible).\n"
    "\n"
    "events:\n"
    "  --events N           events to write, at least 1 (required)\n"
    "  --out FILE           the event file (required); written under a temporary name and\n"
    "                       renamed when complete; a name ending in .gz is gzip-compressed\n"
    "  --format F           lhef (Les Houches Event File 3.0) or hepmc3 (HepMC3 ASCII);\n"
    "                       from the name when omitted: .lhe/.lhef, .hepmc/.hepmc3 (+.gz)\n"
    "  --weighted           every point passing the cuts, with its weight (the weights\n"
    "                       average sigma, in pb); no unweighting\n"
    "  --max-weight M       the maximum for hit or miss: quantile:Q, the Q-quantile of the\n"
    "                       surveyed nonzero weights, or max, the largest [quantile:0.9999]\n"
    "  --overweight O       events whose weight is above the maximum: keep (weight F/F_max\n"
    "                       > 1 in units of the unit weight; unbiased) or truncate (unit\n"
    "                       weight; the bias is estimated and reported) [keep]\n"
    "  --survey N           points surveyed for the maximum, in whole batches [1e6]\n"
    "  --gzip-level L       1 (fastest) .. 9 (smallest) for a .gz name [1]\n"
    "  --load-grid FILE     a grid saved by mue integrate --save-grid (refused when trained\n"
    "                       for another process, mass, beam or cuts)\n"
    "  --force-grid         use a loaded grid even so\n"
    "the grid run (as mue integrate; its sigma goes into the file header):\n"
    "  --points N           points per iteration [1e6]; also the points of one batch\n"
    "  --iterations, --warmup, --rel-error, --seed, --grid-bins, --beta, --no-strata,\n"
    "  --threads, --device (auto, cpu, gpu), and the model, beam and cut options:\n"
    "  --mass, --coupling, --alpha, --beam-energy, --theta-mu-min, --ee-min, --ee-max,\n"
    "  --no-cuts, --flavours, --egamma-min; see mue integrate --help\n"
    "  --detector SPEC      the cuts select measured quantities of this detector model\n"
    "                       (mue integrate --help); the momenta written are the true ones\n"
    "  --quiet              no progress lines\n"
    "\n"
    "The same seed gives the same file, byte for byte, on any number of threads.\n"
    "\n"
    "example: mue generate --process zprime --mass 100MeV --coupling 1e-3 --events 100000 \\\n"
    "           --out ev.lhe.gz\n";

static int ends_with(const char *s, const char *t)
{
    size_t n = strlen(s), m = strlen(t);
    return n >= m && strcmp(s + n - m, t) == 0;
}

static int format_of_name(const char *path, int gz)
{
    char base[4096];
    snprintf(base, sizeof base, "%.*s", (int)(strlen(path) - (gz ? 3 : 0)), path);
    if (ends_with(base, ".lhe") || ends_with(base, ".lhef"))
        return MUE_GEN_LHEF;
    if (ends_with(base, ".hepmc") || ends_with(base, ".hepmc3"))
        return MUE_GEN_HEPMC3;
    return -1;
}

int mue_cmd_generate(int argc, char **argv)
{
    static const struct option own[] = {
        {"events", 1, 0, G_EVENTS},       {"out", 1, 0, O_OUT},
        {"format", 1, 0, G_FORMAT},       {"weighted", 0, 0, G_WEIGHTED},
        {"max-weight", 1, 0, G_MAXW},     {"overweight", 1, 0, G_OVER},
        {"survey", 1, 0, G_SURVEY},       {"gzip-level", 1, 0, G_GZIP},
        {"load-grid", 1, 0, O_LOAD_GRID}, {"force-grid", 0, 0, O_FORCE_GRID},
        {"detector", 1, 0, O_DETECTOR},   {0, 0, 0, 0}};
    struct option opts[64];
    mue_cli_options(opts, 64, own);
    mue_gen_config c = mue_gen_config_default();
    mue_cli_seen seen = {0, 0, 0, 0, 0, NULL};
    const char *format = NULL;
    int quiet = 0, rc = 0, have_events = 0, have_gzip = 0, have_maxw = 0, have_over = 0;
    uint64_t n;

    optind = 1;
    opterr = 0;
    for (int o; (o = getopt_long(argc, argv, "", opts, 0)) != -1;) {
        char buf[64];
        const char *opt = mue_cli_option_name(opts, o, buf, sizeof buf);
        switch (o) {
        case G_EVENTS:
            rc = mue_cli_count(opt, optarg, &c.events, MUE_GEN_EVENTS_MAX);
            have_events = 1;
            break;
        case O_OUT: c.out = optarg; break;
        case O_DETECTOR: {
            char dw[512];
            if (mue_detector_parse(optarg, &c.run.par.det, dw, sizeof dw))
                return mue_cli_fail("%s", dw);
            break;
        }
        case G_FORMAT: format = optarg; break;
        case G_WEIGHTED: c.weighted = 1; break;
        case G_MAXW:
            have_maxw = 1;
            if (strcmp(optarg, "max") == 0)
                c.max_mode = MUE_GEN_MAX_TRUE;
            else {
                char *end;
                const char *q = strncmp(optarg, "quantile:", 9) == 0 ? optarg + 9 : NULL;
                c.quantile = q ? strtod(q, &end) : NAN;
                if (!q || end == q || *end || !(c.quantile > 0.0 && c.quantile < 1.0))
                    return mue_cli_fail("--max-weight: '%s' is not max or quantile:Q with 0 < Q < 1",
                                        optarg);
                c.max_mode = MUE_GEN_MAX_QUANTILE;
            }
            break;
        case G_OVER:
            have_over = 1;
            if (strcmp(optarg, "keep") == 0)
                c.truncate = 0;
            else if (strcmp(optarg, "truncate") == 0)
                c.truncate = 1;
            else
                return mue_cli_fail("--overweight: '%s' is not keep or truncate", optarg);
            break;
        case G_SURVEY:
            rc = mue_cli_count(opt, optarg, &c.survey_points, 1ull << 40);
            if (!rc && c.survey_points < 1)
                return mue_cli_fail("--survey: at least 1 point");
            break;
        case G_GZIP:
            rc = mue_cli_count(opt, optarg, &n, 1u << 20);
            if (!rc && (n < 1 || n > 9))
                return mue_cli_fail("--gzip-level: '%s' is not 1 .. 9", optarg);
            c.gzip_level = (int)n;
            have_gzip = 1;
            break;
        case O_LOAD_GRID: c.run.load_grid = optarg; break;
        case O_FORCE_GRID: c.run.force_grid = 1; break;
        case O_QUIET: quiet = 1; break;
        case O_HELP: fputs(usage_text, stdout); return 0;
        default:
            rc = mue_cli_run_option(o, opt, &c.run, &seen);
            if (rc < 0)
                return mue_cli_bad_option(argv, "generate");
        }
        if (rc)
            return rc;
    }
    if (optind < argc)
        return mue_cli_fail("generate: unexpected argument '%s'", argv[optind]);
    if ((rc = mue_cli_model_complete(&c.run, &seen, "generate")) ||
        (rc = mue_cli_cuts_consistent(&c.run, &seen)))
        return rc;
    if (!have_events)
        return mue_cli_fail("--events: missing; how many events to write (at least 1)");
    if (c.events < 1)
        return mue_cli_fail("--events: 0 events is no event file; ask for at least 1");
    if (!c.out)
        return mue_cli_fail("--out: missing; the event file to write");
    if (!c.out[0] || (c.run.load_grid && !c.run.load_grid[0]))
        return mue_cli_fail("%s: an empty name", !c.out[0] ? "--out" : "--load-grid");
    const int gz = ends_with(c.out, ".gz");
    if (format) {
        if (strcmp(format, "lhef") == 0 || strcmp(format, "lhe") == 0)
            c.format = MUE_GEN_LHEF;
        else if (strcmp(format, "hepmc3") == 0 || strcmp(format, "hepmc") == 0)
            c.format = MUE_GEN_HEPMC3;
        else
            return mue_cli_fail("--format: '%s' is not lhef or hepmc3", format);
    } else if ((c.format = format_of_name(c.out, gz)) < 0)
        return mue_cli_fail("--out: cannot tell the format from '%s' (.lhe, .lhef, .hepmc, "
                            ".hepmc3, each optionally .gz); give --format lhef or hepmc3",
                            c.out);
    if (have_gzip && !gz)
        return mue_cli_fail("--gzip-level: '%s' does not end in .gz, so it is not compressed",
                            c.out);
    c.gzip_level = gz ? c.gzip_level : 0;
    if (c.weighted && (have_maxw || have_over))
        return mue_cli_fail("%s: weighted events are not unweighted (drop --weighted or it)",
                            have_maxw ? "--max-weight" : "--overweight");
    if (c.run.force_grid && !c.run.load_grid)
        return mue_cli_fail("--force-grid: only with --load-grid");
    if (c.run.load_grid) {
        if (seen.have_grid_bins)
            return mue_cli_fail("--grid-bins: a loaded grid brings its own bins (--load-grid)");
        if (!seen.have_warmup)
            c.run.warmup = 0;
        if (mue_same_file(c.out, c.run.load_grid))
            return mue_cli_fail("--out and --load-grid: both name '%s'", c.out);
    }
    char why[512];
    if (mue_run_validate(&c.run, why, sizeof why))
        return mue_cli_fail("%s", why);
    /* refuse an unwritable output before spending the grid run */
    if (!mue_path_writable(c.out))
        return mue_cli_fail("--out: cannot write '%s'", c.out);
    c.run.progress = !quiet && isatty(STDERR_FILENO);
    char cmdline[1024] = "mue";
    for (int k = 0; k < argc; k++)
        snprintf(cmdline + strlen(cmdline), sizeof cmdline - strlen(cmdline), " %s", argv[k]);
    c.command_line = cmdline;

    mue_gen_result *r = malloc(sizeof *r);
    if (!r)
        return mue_cli_fail("out of memory");
    if (mue_generate(&c, r, why, sizeof why)) {
        free(r);
        return mue_cli_fail("%s", why);
    }
    const mue_process_info *pi = mue_process_info_of(c.run.process);
    const mue_params *p = &c.run.par;
    printf("mue %s  generate  process %s", MUE_VERSION, pi->name);
    if (pi->uses & MUE_USES_MASS)
        printf("  m_Z' = %.6g GeV", p->m_zp);
    if (pi->uses & MUE_USES_COUPLING)
        printf("  g = %.4g", p->coupling);
    printf("\n  sigma  = %.6g +- %.3g pb (grid run: %d iterations, %s)\n", 1e-3 * r->run.sigma_fb,
           1e-3 * r->run.sigma_err_fb, r->run.v.iterations,
           c.run.load_grid ? "loaded grid" : "grid trained here");
    if (c.weighted)
        printf("  weighted events; the largest surveyed weight %.6g fb\n", r->survey_max_fb);
    else
        printf("  max weight %.6g fb (%s of %lld surveyed weights; largest %.6g fb)\n"
               "  unweighting efficiency %.4g (survey %.4g), overweight fraction %.3g of the events "
               "(survey: %.3g of the points passing the cuts), %s\n",
               r->fmax_fb, c.max_mode == MUE_GEN_MAX_TRUE ? "maximum" : "quantile",
               r->survey_nonzero, r->survey_max_fb, r->eff, r->survey_eff, r->over_frac,
               r->survey_over,
               c.truncate ? "truncated to unit weight" : "kept with weight > 1 (no bias)");
    if (!c.weighted && c.truncate)
        printf("  truncation bias: the overweights' excess is %.3g of sigma (survey)\n",
               r->survey_bias);
    printf("  sigma from the events: sum w / N = %.6g +- %.3g pb; hit or miss %.6g +- %.3g pb\n",
           r->sigma_events_pb, r->sigma_events_err_pb, r->sigma_hm_pb, r->sigma_hm_err_pb);
    printf("  %llu events written to %s (%s%s, %.3g MB) in %.2f s: %.4g events/s on %s (%d "
           "threads); grid %.2f s, survey %.2f s; seed %llu\n",
           (unsigned long long)r->events, c.out, c.format == MUE_GEN_LHEF ? "LHEF 3.0" : "HepMC3 ASCII",
           c.gzip_level ? ", gzip" : "", 1e-6 * (double)r->bytes, r->gen_seconds, r->events_per_s,
           r->run.device, r->run.threads, r->train_seconds, r->survey_seconds,
           (unsigned long long)c.run.seed);
    if (r->bad)
        printf("  WARNING: %lld points had a NaN or infinite weight and were dropped\n", r->bad);
    for (int k = 0; k < r->run.nwarnings; k++)
        printf("  WARNING: %s\n", r->run.warnings[k]);
    free(r);
    return 0;
}
