#include "run/sensitivity.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mue/zprime.h"
#include "run/backgrounds.h"
#include "run/detector_config.h"
#include "run/integrate.h"
#include "run/process_table.h"
#include "util/counting.h"

#define CL 0.95

int mue_sensitivity_background(const mue_run_config *c, mue_sens_background *b, char *why, size_t len)
{
    memset(b, 0, sizeof *b);
    b->syst = c->background_syst;
    if (c->background_given) {
        b->n = c->background;
        snprintf(b->what, sizeof b->what, "given (--background)");
        return 0;
    }
    mue_bg_table *t = malloc(sizeof *t);
    if (!t)
        return snprintf(why, len, "out of memory"), 1;
    mue_run_config bc = *c;
    bc.command = MUE_CMD_BACKGROUNDS;
    bc.leak_scan = 0;
    bc.json = NULL;
    int rc = mue_backgrounds(&bc, t, why, len);
    /* each background process once: through the detector model where the table has it */
    b->computed = 1;
    size_t w = (size_t)snprintf(b->what, sizeof b->what, "mue backgrounds, (i)+(ii)+(iii):");
    for (int i = 0; !rc && i < t->nrows; i++) {
        const mue_bg_row *r = &t->row[i];
        if (r->process->flags & MUE_PROC_SIGNAL)
            continue;
        int other = -1;
        for (int j = 0; j < t->nrows; j++)
            if (j != i && t->row[j].process == r->process)
                other = j;
        if (other >= 0 && !r->smeared && t->row[other].smeared)
            continue;
        const mue_bg_cell *k = &r->c[MUE_BG_NSEL - 1];
        if (!k->have) {
            rc = 1;
            snprintf(why, len, "sensitivity: no background from %s (%s)", r->label, k->note);
            break;
        }
        b->n += k->n;
        b->err = hypot(b->err, k->err);
        if (w < sizeof b->what)
            w += (size_t)snprintf(b->what + w, sizeof b->what - w, " %s %.4g;", r->process->name, k->n);
    }
    free(t);
    return rc;
}

double mue_sensitivity_br(const mue_run_config *c, double mass)
{
    const mue_process_info *pi = mue_process_info_of(c->process);
    if (c->no_br || !mue_process_has_particle(pi, MUE_PID_ZPRIME))
        return 1.0;
    return mue_zprime_br_invisible(mass, c->par.m_mu, MUE_M_TAU);
}

/* g = sqrt(s / S1), S1 the signal per unit g^2 (NAN where there is no signal or no s) */
static double coupling_for(double s, double s1)
{
    return s1 > 0.0 && isfinite(s) ? sqrt(s / s1) : NAN;
}

int mue_sensitivity_row(const mue_run_config *c, const mue_scan_row *r, const mue_sens_background *b,
                        mue_sens_row *o, char *why, size_t len)
{
    const mue_input_def *gi = mue_process_input_of_kind(mue_process_info_of(c->process), MUE_INPUT_COUPLING);
    const double g = gi ? c->par.input[gi->slot] : 1.0;
    memset(o, 0, sizeof *o);
    o->mass = r->mass;
    o->br = mue_sensitivity_br(c, r->mass);
    o->s_per_g2 = r->sigma / (g * g) * c->lumi_fb * o->br;
    o->s_per_g2_err = r->err / (g * g) * c->lumi_fb * o->br;
    int e = mue_counting_expected_limit(b->n, b->syst, CL, o->s95);
    if (e)
        return snprintf(why, len, "sensitivity: the expected limit at B = %g: %s", b->n,
                        mue_counting_strerror(e)),
               1;
    for (int k = 0; k < 5; k++)
        o->g95[k] = coupling_for(o->s95[k], o->s_per_g2);
    o->s3 = o->s5 = NAN;
    if (b->n > 0.0) {
        if ((e = mue_counting_discovery_signal(3.0, b->n, b->syst, &o->s3)) ||
            (e = mue_counting_discovery_signal(5.0, b->n, b->syst, &o->s5)))
            return snprintf(why, len, "sensitivity: the discovery reach at B = %g: %s", b->n,
                            mue_counting_strerror(e)),
                   1;
    }
    o->g3 = coupling_for(o->s3, o->s_per_g2);
    o->g5 = coupling_for(o->s5, o->s_per_g2);
    return 0;
}

/* ---- --optimise ---- */

/* The grid searched: cut (i) around the paper's 1.5 mrad (below it the elastic electrons
 * reach down into the window, above it the signal thins out), and the window's edges
 * around (1, 25) GeV; 0.25 GeV is the lowest electron energy taken as measurable */
static const double opt_theta[MUE_SENS_NTHETA] = {0.5e-3, 0.75e-3, 1.0e-3, 1.25e-3, 1.5e-3, 2.0e-3};
static const double opt_eemin[MUE_SENS_NEEMIN] = {0.25, 0.5, 1.0, 2.0};
static const double opt_eemax[MUE_SENS_NEEMAX] = {2.5, 5.0, 7.5, 10.0, 15.0, 25.0};

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

/* An integration of process id at cuts k for the optimisation: the run's beam and
 * device, a budget of its own (2e5 points an iteration, to 1 %) */
static void opt_config(const mue_run_config *c, mue_process_id id, const mue_sens_cuts *k,
                       mue_run_config *o)
{
    mue_settings_inner(c, id, o);
    o->par.cuts.theta_mu_min = k->theta_mu_min;
    o->par.cuts.ee_min = k->ee_min;
    o->par.cuts.ee_max = k->ee_max;
    o->points = 200000;
    o->warmup = 3;
    o->iterations = 6;
    o->rel_error = 1e-2;
}

/* Events of run o. A run the process refuses has none where refused_is_zero (a signal
 * whose cuts close its phase space); elsewhere it has no number (NAN): a background that
 * tree level cannot give there (mu e gamma reaching its soft photon) rules the cell out. */
static int opt_events(const mue_run_config *o, int refused_is_zero, double *n, double *err, char *why,
                      size_t len)
{
    char reason[512];
    *n = *err = 0.0;
    if (mue_run_validate(o, reason, sizeof reason)) {
        if (!refused_is_zero)
            *n = *err = NAN;
        return 0;
    }
    mue_run_result *r = malloc(sizeof *r);
    if (!r)
        return snprintf(why, len, "out of memory"), 1;
    int rc = mue_run_integrate(o, r, why, len);
    if (!rc)
        *n = r->events, *err = r->events_err;
    free(r);
    return rc;
}

int mue_sensitivity_cells(const mue_run_config *c, mue_sens_cells *cells, char *why, size_t len)
{
    const double t0 = now_s();
    int i = 0;
    cells->ruled_out = 0;
    for (int a = 0; a < MUE_SENS_NTHETA; a++)
        for (int b = 0; b < MUE_SENS_NEEMIN; b++)
            for (int d = 0; d < MUE_SENS_NEEMAX; d++, i++) {
                mue_sens_cuts *k = &cells->cuts[i];
                *k = (mue_sens_cuts){opt_theta[a], opt_eemin[b], opt_eemax[d]};
                cells->b[i] = cells->b_err[i] = 0.0;
                /* mu e gamma after the veto, and the elastic leak into the window: each
                 * weighted by its probability to pass the smearing (mode=expect) */
                const mue_process_id ids[2] = {MUE_PROC_MUEG, MUE_PROC_ELASTIC};
                const int masks[2] = {MUE_DET_CUT_ALL, MUE_DET_CUT_I | MUE_DET_CUT_II};
                for (int p = 0; p < 2; p++) {
                    mue_run_config o;
                    opt_config(c, ids[p], k, &o);
                    o.par.det = c->par.det;
                    o.par.det.mode = MUE_DET_EXPECT;
                    o.par.det.cuts = masks[p];
                    /* a photon process generates within 5 widths, as mue backgrounds does:
                     * a wider window would reach the soft photon, where it is infinite */
                    if (mue_process_has_particle(mue_process_info_of(ids[p]), MUE_PID_PHOTON) &&
                        o.par.det.gen_sigmas > 5.0)
                        o.par.det.gen_sigmas = 5.0;
                    double n, e;
                    if (opt_events(&o, 0, &n, &e, why, len))
                        return 1;
                    cells->b[i] += n;
                    cells->b_err[i] = hypot(cells->b_err[i], e);
                }
                if (!isfinite(cells->b[i]))
                    cells->ruled_out++;
                mue_run_note(c, MUE_NOTE_PROGRESS,
                             "  optimise: cell %2d/%d, theta_mu > %.3g mrad, %.3g < E_e < %.3g GeV: "
                             "background %.4g +- %.2g",
                             i + 1, MUE_SENS_NCELLS, 1e3 * k->theta_mu_min, k->ee_min, k->ee_max,
                             cells->b[i], cells->b_err[i]);
            }
    cells->seconds = now_s() - t0;
    return 0;
}

/* the median expected limit on g for background b and signal s1 per g^2 */
static double g95_median(double b, double r, double s1)
{
    double s[5];
    if (!(s1 > 0.0) || mue_counting_expected_limit(b, r, CL, s))
        return NAN;
    return sqrt(s[2] / s1);
}

int mue_sensitivity_optimise(const mue_run_config *c, double mass, const mue_sens_cells *cells,
                             const char *grid_path, mue_sens_opt *out, char *why, size_t len)
{
    const double t0 = now_s();
    const mue_process_info *pi = mue_process_info_of(c->process);
    const mue_input_def *mi = mue_process_input_of_kind(pi, MUE_INPUT_MASS),
                        *gi = mue_process_input_of_kind(pi, MUE_INPUT_COUPLING);
    const double g = gi ? c->par.input[gi->slot] : 1.0, br = mue_sensitivity_br(c, mass);
    /* the grid, trained at the run's own cuts */
    const mue_sens_cuts own = {c->par.cuts.theta_mu_min, c->par.cuts.ee_min, c->par.cuts.ee_max};
    mue_run_config o;
    opt_config(c, c->process, &own, &o);
    o.par.det = c->par.det; /* the signal through the detector, as the scan's */
    memcpy(o.par.input, c->par.input, sizeof o.par.input);
    o.par.input[mi->slot] = mass;
    o.save_grid = grid_path;
    o.iterations = 2;
    o.rel_error = 0.0;
    double n, e;
    if (opt_events(&o, 1, &n, &e, why, len))
        return 1;
    memset(out, 0, sizeof *out);
    out->g95 = NAN;
    /* the run's own cuts with the background of the same budget: the cell it matches */
    out->g95_run = NAN;
    for (int i = 0; i < MUE_SENS_NCELLS; i++) {
        const mue_sens_cuts *k = &cells->cuts[i];
        opt_config(c, c->process, k, &o);
        o.par.det = c->par.det;
        memcpy(o.par.input, c->par.input, sizeof o.par.input);
        o.par.input[mi->slot] = mass;
        o.load_grid = grid_path;
        o.force_grid = 1;
        o.warmup = 0;
        o.iterations = 2;
        o.rel_error = 0.0;
        if (opt_events(&o, 1, &n, &e, why, len))
            return 1;
        if (!isfinite(cells->b[i])) /* no background at tree level: not a cell to choose */
            continue;
        const double s1 = n / (g * g) * br, g95 = g95_median(cells->b[i], c->background_syst, s1);
        if (k->theta_mu_min == own.theta_mu_min && k->ee_min == own.ee_min && k->ee_max == own.ee_max)
            out->g95_run = g95;
        if (isfinite(g95) && !(g95 >= out->g95)) {
            out->g95 = g95;
            out->best = *k;
            out->background = cells->b[i];
            out->s_per_g2 = s1;
        }
    }
    out->gain = out->g95_run / out->g95;
    out->seconds = now_s() - t0;
    return 0;
}
