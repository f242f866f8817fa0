/* Command-line plumbing shared by the commands: one-line errors, numbers with units,
 * and the options of every integrating command. */
#include "cli/cli.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/backend.h"
#include "run/process_table.h"

int mue_cli_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "mue: ");
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
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
    if (rc == -3)
        return mue_cli_fail("%s: '%s' is out of the range of double precision", opt, val);
    return 0;
}

int mue_cli_count(const char *opt, const char *val, uint64_t *out, uint64_t max)
{
    int rc = mue_parse_count(val, out);
    if (rc == -1)
        return mue_cli_fail("%s: '%s' is not a whole number", opt, val);
    if (rc == -3 || *out > max)
        return mue_cli_fail("%s: '%s' is too large (at most %llu)", opt, val,
                            (unsigned long long)max);
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
    {"no-strata", 0, 0, O_NOSTRATA}, {"beta", 1, 0, O_BETA}, {"quiet", 0, 0, O_QUIET},
    {"flavours", 1, 0, O_FLAVOURS},
    {"help", 0, 0, O_HELP},
    {"egamma-min", 1, 0, O_EGMIN},
    {0, 0, 0, 0}};

int mue_cli_options(struct option *out, int max, const struct option *own)
{
    int n = 0;
    for (const struct option *o = mue_cli_run_opts; o->name; o++)
        if (n < max - 1)
            out[n++] = *o;
        else
            return -1;
    for (const struct option *o = own; o->name; o++)
        if (n < max - 1)
            out[n++] = *o;
        else
            return -1;
    memset(&out[n], 0, sizeof out[n]);
    return 0;
}

int mue_cli_run_option(int o, const char *opt, mue_run_config *c, mue_cli_seen *seen)
{
    uint64_t n;
    int rc = 0;
    switch (o) {
    case O_PROCESS: {
        const mue_process_info *pi = mue_process_find(optarg);
        char names[256];
        if (!pi)
            return mue_cli_fail("--process: unknown process '%s' (known: %s)", optarg,
                                mue_process_names(names, sizeof names));
        c->process = pi->id;
        break;
    }
    case O_MASS:
        rc = mue_cli_quantity(opt, optarg, MUE_UNIT_ENERGY, &c->par.m_zp);
        seen->have_mass = 1;
        break;
    case O_COUPLING:
        rc = mue_cli_quantity(opt, optarg, MUE_UNIT_NONE, &c->par.coupling);
        seen->have_coupling = 1;
        break;
    case O_FLAVOURS:
        c->par.nu_flavours = mue_nu_flavours_parse(optarg);
        if (!c->par.nu_flavours)
            return mue_cli_fail("--flavours: '%s' is not a list of distinct neutrino flavours "
                                "from e, mu, tau (e.g. e,mu,tau)",
                                optarg);
        seen->have_flavours = 1;
        break;
    case O_ALPHA: rc = mue_cli_quantity(opt, optarg, MUE_UNIT_NONE, &c->par.alpha); break;
    case O_BEAM: rc = mue_cli_quantity(opt, optarg, MUE_UNIT_ENERGY, &c->par.e_beam); break;
    case O_LUMI: rc = mue_cli_quantity(opt, optarg, MUE_UNIT_LUMI, &c->lumi_fb); break;
    case O_THMU:
        rc = mue_cli_quantity(opt, optarg, MUE_UNIT_ANGLE, &c->par.cuts.theta_mu_min);
        seen->cut_option = "--theta-mu-min";
        break;
    case O_EEMIN:
        rc = mue_cli_quantity(opt, optarg, MUE_UNIT_ENERGY, &c->par.cuts.ee_min);
        seen->cut_option = "--ee-min";
        break;
    case O_EEMAX:
        rc = mue_cli_quantity(opt, optarg, MUE_UNIT_ENERGY, &c->par.cuts.ee_max);
        seen->cut_option = "--ee-max";
        break;
    case O_NOCUTS: c->par.cuts.enabled = 0; break;
    case O_EGMIN: /* a generation cut of photon processes: allowed with --no-cuts */
        rc = mue_cli_quantity(opt, optarg, MUE_UNIT_ENERGY, &c->par.cuts.egamma_min);
        break;
    case O_NOSTRATA: c->no_strata = 1; break;
    case O_BETA: rc = mue_cli_quantity(opt, optarg, MUE_UNIT_NONE, &c->beta); break;
    case O_POINTS: rc = mue_cli_count(opt, optarg, &c->points, UINT64_MAX); break;
    case O_ITER: rc = mue_cli_count(opt, optarg, &n, 1u << 30); c->iterations = (int)n; break;
    case O_WARM:
        rc = mue_cli_count(opt, optarg, &n, 1u << 30);
        c->warmup = (int)n;
        seen->have_warmup = 1;
        break;
    case O_REL: rc = mue_cli_quantity(opt, optarg, MUE_UNIT_NONE, &c->rel_error); break;
    case O_SEED: rc = mue_cli_count(opt, optarg, &c->seed, UINT64_MAX); break;
    case O_GBINS:
        rc = mue_cli_count(opt, optarg, &n, 1u << 30);
        c->grid_bins = (int)n;
        seen->have_grid_bins = 1;
        break;
    case O_THREADS: rc = mue_cli_count(opt, optarg, &n, 1u << 30); c->threads = (int)n; break;
    case O_DEVICE:
        if (strcmp(optarg, "auto") != 0 && !mue_backend_find(optarg))
            return mue_cli_fail("--device: unknown device '%s' (auto, cpu, gpu)", optarg);
        snprintf(c->device, sizeof c->device, "%s", optarg);
        break;
    default:
        return -1;
    }
    return rc;
}

int mue_cli_model_complete(const mue_run_config *c, const mue_cli_seen *seen, const char *cmd)
{
    const mue_process_info *pi = mue_process_info_of(c->process);
    if ((pi->uses & MUE_USES_MASS) && !seen->have_mass)
        return mue_cli_fail("--mass: missing; %s --process %s needs --mass%s", cmd, pi->name,
                            pi->uses & MUE_USES_COUPLING ? " and --coupling" : "");
    if (!(pi->uses & MUE_USES_FLAVOURS) && seen->have_flavours)
        return mue_cli_fail("--flavours: %s --process %s has no neutrinos (only muenn has)", cmd,
                            pi->name);
    if ((pi->uses & MUE_USES_COUPLING) && !seen->have_coupling)
        return mue_cli_fail("--coupling: missing; %s --process %s needs %s--coupling", cmd,
                            pi->name, pi->uses & MUE_USES_MASS ? "--mass and " : "");
    return 0;
}

int mue_cli_cuts_consistent(const mue_run_config *c, const mue_cli_seen *seen)
{
    if (!c->par.cuts.enabled && seen->cut_option)
        return mue_cli_fail("--no-cuts: contradicts %s (drop one of them)", seen->cut_option);
    return 0;
}

/* "--name" of option o, also when its value was glued on with '=' */
const char *mue_cli_option_name(const struct option *opts, int o, char *buf, size_t len)
{
    while (opts->name && opts->val != o)
        opts++;
    snprintf(buf, len, "--%s", opts->name ? opts->name : "?");
    return buf;
}
