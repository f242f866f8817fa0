/* Command-line plumbing shared by the commands: one-line errors, numbers with units,
 * and the options of every integrating command. */
#include "cli.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "units.h"

int mue_cli_fail(const char *fmt, const char *a, const char *b)
{
    fprintf(stderr, "mue: ");
    fprintf(stderr, fmt, a, b);
    fputc('\n', stderr);
    return 2;
}

/* Parses opt's value into *out; prints the reason on failure. */
int mue_cli_quantity(const char *opt, const char *val, mue_unit_kind kind, double *out)
{
    int rc = mue_parse_quantity(val, kind, out);
    if (rc == -1)
        return mue_cli_fail("%s: '%s' is not a number", opt, val);
    if (rc == -2)
        return mue_cli_fail("%s: '%s' has an unknown unit suffix", opt, val);
    return 0;
}

int mue_cli_count(const char *opt, const char *val, uint64_t *out, uint64_t max)
{
    if (mue_parse_count(val, out) || *out > max)
        return mue_cli_fail("%s: '%s' is not a whole number in range", opt, val);
    return 0;
}

int mue_cli_bad_option(char **argv, const char *cmd)
{
    fprintf(stderr, "mue %s: unknown or incomplete option '%s' (see mue %s --help)\n", cmd,
            argv[optind - 1], cmd);
    return 2;
}



const struct option mue_cli_run_opts[] = {
    {"process", 1, 0, O_PROCESS}, {"mass", 1, 0, O_MASS}, {"coupling", 1, 0, O_COUPLING},
    {"alpha", 1, 0, O_ALPHA}, {"beam-energy", 1, 0, O_BEAM}, {"lumi", 1, 0, O_LUMI},
    {"theta-mu-min", 1, 0, O_THMU}, {"ee-min", 1, 0, O_EEMIN}, {"ee-max", 1, 0, O_EEMAX},
    {"no-cuts", 0, 0, O_NOCUTS}, {"points", 1, 0, O_POINTS}, {"iterations", 1, 0, O_ITER},
    {"warmup", 1, 0, O_WARM}, {"rel-error", 1, 0, O_REL}, {"seed", 1, 0, O_SEED},
    {"grid-bins", 1, 0, O_GBINS}, {"threads", 1, 0, O_THREADS}, {"device", 1, 0, O_DEVICE},
    {"json", 1, 0, O_JSON}, {"hist", 1, 0, O_HIST}, {"hist-bins", 1, 0, O_HBINS},
    {"quiet", 0, 0, O_QUIET}, {"help", 0, 0, O_HELP}, {"no-strata", 0, 0, O_NOSTRATA},
    {"hist-range", 1, 0, O_HRANGE}, {0, 0, 0, 0}};

/* --hist-range NAME=LO:HI, in the observable's unit (GeV or rad) */
static int hist_range(const char *val, mue_hist_spec *hs)
{
    const char *eq = strchr(val, '=');
    for (int k = 0; k < MUE_NOBS && eq; k++) {
        size_t len = strlen(mue_obs_names[k]);
        if ((size_t)(eq - val) != len || strncmp(val, mue_obs_names[k], len) != 0)
            continue;
        char *end;
        double lo = strtod(eq + 1, &end);
        if (end == eq + 1 || *end != ':')
            break;
        const char *hi_s = end + 1;
        double hi = strtod(hi_s, &end);
        if (end == hi_s || *end != '\0' || !isfinite(lo) || !isfinite(hi) || !(hi > lo))
            break;
        hs->lo[k] = lo;
        hs->hi[k] = hi;
        return 0;
    }
    return mue_cli_fail("--hist-range: '%s' is not NAME=LO:HI with LO < HI and NAME one of E_e, "
                        "theta_e, theta_mu, E_mu%s",
                        val, "");
}

/* The options every integrating command shares (model, beam, cuts, sampling).
 * Returns 0 when handled, an exit code on a bad value, -1 if o is not one of them. */
int mue_cli_run_option(int o, const char *opt, mue_run_config *c, int *have_mass,
                      int *have_coupling)
{
    uint64_t n;
    int rc = 0;
    switch (o) {
    case O_PROCESS:
        if (mue_process_from_name(optarg, &c->process))
            return mue_cli_fail("--process: unknown process '%s' (known: elastic, zprime)%s", optarg, "");
        break;
    case O_MASS: rc = mue_cli_quantity(opt, optarg, MUE_UNIT_ENERGY, &c->par.m_zp); *have_mass = 1; break;
    case O_COUPLING: rc = mue_cli_quantity(opt, optarg, MUE_UNIT_NONE, &c->par.coupling); *have_coupling = 1; break;
    case O_ALPHA: rc = mue_cli_quantity(opt, optarg, MUE_UNIT_NONE, &c->par.alpha); break;
    case O_BEAM: rc = mue_cli_quantity(opt, optarg, MUE_UNIT_ENERGY, &c->par.e_beam); break;
    case O_LUMI: rc = mue_cli_quantity(opt, optarg, MUE_UNIT_LUMI, &c->lumi_fb); break;
    case O_THMU: rc = mue_cli_quantity(opt, optarg, MUE_UNIT_ANGLE, &c->par.cuts.theta_mu_min); break;
    case O_EEMIN: rc = mue_cli_quantity(opt, optarg, MUE_UNIT_ENERGY, &c->par.cuts.ee_min); break;
    case O_EEMAX: rc = mue_cli_quantity(opt, optarg, MUE_UNIT_ENERGY, &c->par.cuts.ee_max); break;
    case O_NOCUTS: c->par.cuts.enabled = 0; break;
    case O_NOSTRATA: c->no_strata = 1; break;
    case O_POINTS: rc = mue_cli_count(opt, optarg, &c->points, UINT64_MAX); break;
    case O_ITER: rc = mue_cli_count(opt, optarg, &n, 1u << 30); c->iterations = (int)n; break;
    case O_WARM: rc = mue_cli_count(opt, optarg, &n, 1u << 30); c->warmup = (int)n; break;
    case O_REL: rc = mue_cli_quantity(opt, optarg, MUE_UNIT_NONE, &c->rel_error); break;
    case O_SEED: rc = mue_cli_count(opt, optarg, &c->seed, UINT64_MAX); break;
    case O_GBINS: rc = mue_cli_count(opt, optarg, &n, 1u << 30); c->grid_bins = (int)n; break;
    case O_THREADS: rc = mue_cli_count(opt, optarg, &n, 1u << 30); c->threads = (int)n; break;
    case O_HBINS: rc = mue_cli_count(opt, optarg, &n, 1u << 30); c->hist.nbins = (int)n; break;
    case O_HRANGE: rc = hist_range(optarg, &c->hist); break;
    case O_DEVICE:
        if (strcmp(optarg, "auto") == 0) c->device = MUE_DEVICE_AUTO;
        else if (strcmp(optarg, "cpu") == 0) c->device = MUE_DEVICE_CPU;
        else if (strcmp(optarg, "gpu") == 0) c->device = MUE_DEVICE_GPU;
        else return mue_cli_fail("--device: unknown device '%s' (auto, cpu, gpu)%s", optarg, "");
        break;
    default:
        return -1;
    }
    return rc;
}

/* "--name" of option o, also when its value was glued on with '=' */
const char *mue_cli_option_name(const struct option *opts, int o, char *buf, size_t len)
{
    while (opts->name && opts->val != o)
        opts++;
    snprintf(buf, len, "--%s", opts->name ? opts->name : "?");
    return buf;
}

