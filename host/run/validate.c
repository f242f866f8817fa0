/* What a run must satisfy beyond its rows (settings_resolve.c): the ranges again (a
 * run built in C, by a test or by the scan, passes here too), then what needs the
 * physics: a usable backend, the detector's room in a point, the process's own
 * refusal, the histogram names. */
#include "run/settings.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "backends/backend.h"
#include "run/beam_config.h"
#include "run/detector_config.h"
#include "run/process_table.h"

#define BAD(...) return snprintf(why, len, __VA_ARGS__), 1

mue_run_config mue_run_config_default(void)
{
    mue_run_config c;
    mue_settings_defaults(MUE_CMD_INTEGRATE, MUE_PROC_ZPRIME, &c);
    c.par.input[MUE_ZPRIME_MASS] = 0.1;
    c.par.input[MUE_ZPRIME_COUPLING] = 1e-3;
    return c;
}

int mue_run_hist_spec(const mue_run_config *c, mue_hist_spec *hs, char *why, size_t len)
{
    const mue_process_info *pi = mue_process_info_of(c->process);
    memset(hs, 0, sizeof *hs);
    if (!pi)
        BAD("--process: unknown process");
    hs->nbins = c->hist_bins;
    hs->nobs = pi->nobs;
    for (int k = 0; k < pi->nobs; k++) {
        hs->what[k] = pi->obs[k].kind;
        hs->lo[k] = pi->obs[k].lo;
        hs->hi[k] = pi->obs[k].hi;
    }
    for (int j = 0; j < c->n_hist_ranges; j++) {
        const mue_hist_range *h = &c->hist_range[j];
        int k = mue_process_obs_index(pi, h->name);
        if (k < 0) {
            snprintf(why, len, "--hist-range: %s has no observable '%s' (it has:", pi->name, h->name);
            for (int q = 0; q < pi->nobs; q++)
                snprintf(why + strlen(why), len - strlen(why), " %s", pi->obs[q].name);
            snprintf(why + strlen(why), len - strlen(why), ")");
            return 1;
        }
        if (!(fabs(h->lo) <= MUE_HIST_EDGE_MAX && fabs(h->hi) <= MUE_HIST_EDGE_MAX))
            BAD("--hist-range: %s=%g:%g reaches beyond +-%g", h->name, h->lo, h->hi, MUE_HIST_EDGE_MAX);
        hs->lo[k] = h->lo;
        hs->hi[k] = h->hi;
    }
    return 0;
}

static int detector_valid(const mue_run_config *c, char *why, size_t len)
{
    const mue_params *p = &c->par;
    if (!p->cuts.enabled)
        BAD("--detector: applies the selection to measured quantities; --no-cuts leaves none to "
            "apply");
    return mue_detector_validate(&p->det, why, len);
}

int mue_run_validate(const mue_run_config *c, char *why, size_t len)
{
    const mue_params *p = &c->par;
    const mue_process_info *pi = mue_process_info_of(c->process);
    if (!pi)
        BAD("--process: unknown process");
    if (mue_settings_check_ranges(c, why, len))
        return 1;
    if (c->iterations < (c->save_grid ? 0 : 1))
        BAD("--iterations: must be between 1 and %d (0 only to train a grid for --save-grid)",
            MUE_VEGAS_MAXITER);
    if (c->iterations == 0 && c->warmup == 0)
        BAD("--iterations 0: with no --warmup either there is nothing to run");
    if (p->cuts.enabled && !(p->cuts.ee_max > p->cuts.ee_min))
        BAD("--ee-max: %g GeV must exceed --ee-min %g GeV", p->cuts.ee_max, p->cuts.ee_min);
    if (c->schedule == MUE_SCHEDULE_AUTO && !(c->rel_error > 0.0))
        BAD("--schedule auto: needs a --rel-error above 0 to aim at");
    if (c->schedule == MUE_SCHEDULE_AUTO && (c->checkpoint || c->resume))
        BAD("--schedule auto: a checkpoint records a fixed schedule; give --points, --warmup and "
            "--iterations with --%s",
            c->checkpoint ? "checkpoint" : "resume");
    if (strcmp(c->device, "auto") != 0) {
        const mue_backend *be = mue_backend_find(c->device);
        char bw[256];
        if (!be)
            BAD("--device: unknown device '%s' (auto, cpu, gpu)", c->device);
        if (!be->usable(bw, sizeof bw))
            BAD("--device %s: %s (use --device cpu or auto)", c->device, bw);
    }
    if (p->det.enabled && detector_valid(c, why, len))
        return 1;
    if (p->bm.enabled && mue_beam_model_validate(&p->bm, p->e_beam, p->m_mu, why, len))
        return 1;
    if (p->beam_plus && !(mue_process_info_of(c->process)->flags & MUE_PROC_MU_PLUS))
        BAD("--beam mu+: %s is written for a mu- beam only (its amplitudes do not yet know the "
            "muon's charge)",
            mue_process_name(c->process));
    /* what the process itself refuses (its prepare) */
    mue_setup S;
    const char *reason;
    if (!mue_setup_make(c->process, p, &S, &reason)) {
        if (p->det.enabled) /* the process saw the widened generation window (detector_select.h) */
            BAD("%s (--detector: the process generates %g widths past each cut edge; a smaller "
                "gen_sigmas, e.g. 5, may keep what it needs)",
                reason, p->det.gen_sigmas);
        BAD("%s", reason);
    }
    mue_hist_spec hs;
    return mue_run_hist_spec(c, &hs, why, len);
}

const char *mue_run_model_line(const mue_run_config *c, char *buf, size_t len)
{
    const mue_process_info *pi = mue_process_info_of(c->process);
    size_t n = 0;
    buf[0] = 0;
    for (int k = 0; pi && k < pi->ninputs && n < len; k++) {
        const mue_input_def *in = &pi->inputs[k];
        const double v = c->par.input[in->slot];
        char fl[32];
        if (in->kind == MUE_INPUT_MASS)
            n += (size_t)snprintf(buf + n, len - n, "%s%s = %.6g GeV", n ? "  " : "", in->label, v);
        else if (in->kind == MUE_INPUT_COUPLING)
            n += (size_t)snprintf(buf + n, len - n, "%s%s = %.4g", n ? "  " : "", in->label, v);
        else if (in->kind == MUE_INPUT_FLAVOURS)
            n += (size_t)snprintf(buf + n, len - n, "%s%s %s", n ? "  " : "", in->label,
                                  mue_nu_flavours_str((int)v, fl, sizeof fl));
        else if (v > 0.0)
            n += (size_t)snprintf(buf + n, len - n, "%s%s = %.6g GeV", n ? "  " : "", in->label, v);
    }
    return buf;
}
