#include "run/backgrounds.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mue/vegas_map.h"
#include "run/detector_config.h"
#include "run/integrate.h"
#include "util/units.h"

const struct mue_bg_selection mue_bg_selections[MUE_BG_NSEL] = {
    {"(i)", "i", MUE_DET_CUT_I},
    {"(i)+(ii)", "i_ii", MUE_DET_CUT_I | MUE_DET_CUT_II},
    {"(i)+(ii)+(iii)", "i_ii_iii", MUE_DET_CUT_ALL},
};

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

void mue_bg_cell_text(const mue_bg_cell *c, char *buf, size_t len)
{
    if (!c->have)
        snprintf(buf, len, "%s", c->note[0] ? c->note : "-");
    else if (c->n == 0.0 && c->err == 0.0 && c->exact)
        snprintf(buf, len, "0 (exact)");
    else if (c->n == 0.0 && c->err == 0.0)
        snprintf(buf, len, "0 (none passed, < %.2g of phase space, 95 %% CL)", c->frac95);
    else
        snprintf(buf, len, "%.4g +- %.2g", c->n, c->err);
}


typedef struct {
    const mue_run_config *base;
    mue_bg_table *t;
    int run, nruns;
} bg_ctx;

/* The settings of a benchmark ("mass=10MeV,coupling=5e-4") into c's inputs. */
static int apply_benchmark(const mue_benchmark_def *b, const mue_process_info *pi, mue_run_config *c)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", b->settings);
    for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(tok, '=');
        if (!eq)
            return -1;
        *eq = 0;
        int k = 0;
        while (k < pi->ninputs && strcmp(pi->inputs[k].option, tok) != 0)
            k++;
        if (k == pi->ninputs || mue_parse_quantity(eq + 1, pi->inputs[k].kind == MUE_INPUT_MASS ||
                                                                   pi->inputs[k].kind == MUE_INPUT_ENERGY
                                                               ? MUE_UNIT_ENERGY
                                                               : MUE_UNIT_NONE,
                                                   &c->par.input[pi->inputs[k].slot]))
            return -1;
    }
    return 0;
}

/* The run of one cell: the row's process (at its benchmark), the cuts in mask, through
 * det (the expectation over its smearing) or, det NULL, the ideal detector. A run the
 * process refuses is a note, not an error: the row says why it has no number there. */
static int run_cell(bg_ctx *x, const mue_bg_row *row, const mue_detector *det, int mask,
                    const char *what, mue_bg_cell *out, char *why, size_t len)
{
    mue_run_config c;
    /* the table's own settings: beam, luminosity, device; its cuts and sampling */
    mue_settings_inner(x->base, row->process->id, &c);
    c.par.cuts = x->base->par.cuts;
    c.points = x->base->points;
    c.warmup = x->base->warmup;
    c.iterations = x->base->iterations;
    c.rel_error = x->base->rel_error;
    c.grid_bins = x->base->grid_bins;
    c.beta = x->base->beta;
    c.no_strata = x->base->no_strata;
    if (row->bench && apply_benchmark(row->bench, row->process, &c))
        return snprintf(why, len, "backgrounds: %s: benchmark '%s' is not option=value,...",
                        row->process->name, row->bench->settings),
               1;
    if (det) {
        c.par.det = *det;
        c.par.det.enabled = 1;
        c.par.det.mode = MUE_DET_EXPECT;
        c.par.det.cuts = mask;
    } else if (mask == MUE_DET_CUT_I) { /* (i) alone: the electron energy free */
        c.par.cuts.ee_min = c.par.m_e + 1e-6;
        c.par.cuts.ee_max = c.par.e_beam;
    }
    x->run++;
    memset(out, 0, sizeof *out);
    char reason[512];
    if (mue_run_validate(&c, reason, sizeof reason)) {
        /* the process's own refusal, without the option it names and the advice after it
         * (which names options of its runs, not of this table) */
        reason[strcspn(reason, ";,")] = 0;
        const char *r0 = strncmp(reason, "--", 2) == 0 && strstr(reason, ": ") ? strstr(reason, ": ") + 2
                                                                                : reason;
        snprintf(out->note, sizeof out->note, "refused: %.180s", r0);
        mue_run_note(x->base, MUE_NOTE_PROGRESS, "  [%2d/%d] %-48s %s", x->run, x->nruns, what,
                     out->note);
        return 0;
    }
    mue_run_result *r = malloc(sizeof *r);
    double t = now_s();
    if (!r || mue_run_integrate(&c, r, why, len)) {
        if (!r)
            snprintf(why, len, "out of memory");
        free(r);
        char w[512];
        snprintf(w, sizeof w, "%s", why);
        return snprintf(why, len, "backgrounds: %s: %s", what, w), 1;
    }
    out->have = 1;
    out->n = r->events;
    out->err = r->events_err;
    out->exact = r->v.n_nonzero == 0 && r->zero_exact;
    out->frac95 = r->zero_fraction_95;
    for (int k = 0; k < r->nwarnings; k++)
        if (!strstr(r->warnings[k], "is exact")) /* a cut closing the phase space is the answer */
            snprintf(out->note, sizeof out->note, "%.190s", r->warnings[k]);
    free(r);
    mue_run_note(x->base, MUE_NOTE_PROGRESS, "  [%2d/%d] %-48s %.4g +- %.2g events (%.1f s)", x->run,
                 x->nruns, what, out->n, out->err, now_s() - t);
    return 0;
}

/* The veto inefficiency eps at which a background after (iii), N0 + eps N1, equals the
 * signal S: N0 from the run with eps = 0 (no separate photon above threshold), N0 + N1
 * the count after (i)+(ii). Returns 1 with eps and its error (the inputs' errors added
 * in quadrature, as independent), 0 when no eps in [0, 1] gives it. */
static int veto_crossing(const mue_bg_cell *ii, const mue_bg_cell *n0c, const mue_bg_cell *sig,
                         double *eps, double *err)
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
    double a = sig->err / n1, b = n0c->err * (sig->n - ii->n) / (n1 * n1),
           c = ii->err * (sig->n - n0c->n) / (n1 * n1);
    *err = sqrt(a * a + b * b + c * c);
    return 1;
}

static mue_bg_row *add_row(mue_bg_table *t, const mue_process_info *pi, const mue_benchmark_def *b,
                           int smeared, const char *suffix_key, const char *suffix_label)
{
    if (t->nrows >= MUE_BG_MAXROWS)
        return NULL;
    mue_bg_row *r = &t->row[t->nrows++];
    memset(r, 0, sizeof *r);
    r->process = pi;
    r->bench = b;
    r->smeared = smeared;
    r->photon = mue_process_has_particle(pi, MUE_PID_PHOTON);
    snprintf(r->key, sizeof r->key, "%s%s%s", pi->name, b ? "_" : suffix_key, b ? b->key : "");
    snprintf(r->label, sizeof r->label, "%s%s%s", pi->title, b ? " " : suffix_label, b ? b->label : "");
    return r;
}

/* The rows, from the process table. */
static void plan_rows(mue_bg_table *t)
{
    t->nrows = 0;
    t->signal = -1;
    for (int p = 0; p < MUE_NPROC; p++) {
        const mue_process_info *pi = &mue_process_table[p];
        if (!(pi->flags & MUE_PROC_SIGNAL))
            continue;
        for (int b = 0; b < pi->nbenchmarks; b++) {
            if (t->signal < 0)
                t->signal = t->nrows;
            add_row(t, pi, &pi->benchmarks[b], 1, "", "");
        }
    }
    for (int p = 0; p < MUE_NPROC; p++) {
        const mue_process_info *pi = &mue_process_table[p];
        if (pi->flags & MUE_PROC_SIGNAL)
            continue;
        const int ideal = !mue_process_has_particle(pi, MUE_PID_PHOTON);
        if (ideal)
            add_row(t, pi, NULL, 0, "_ideal", ", ideal detector");
        add_row(t, pi, NULL, 1, ideal ? "_smeared" : "", ideal ? ", smeared" : "");
    }
}

/* The leak scan: a background that no cut passes at truth level reaches the table only
 * through the resolution: its count against the ECAL's constant term, with and without
 * a wider tail, and against the muon-angle resolution. */
static int plan_leak(mue_bg_table *t, const mue_detector *det, const mue_process_info *pi)
{
    static const double bs[] = {0.02, 0.035, 0.05, 0.10};
    static const double th[] = {0.0, 1e-5, 1e-4};
    for (int tail = 0; tail < 2; tail++)
        for (int i = 0; i < 4 && t->nleak < MUE_BG_MAXLEAK; i++) {
            mue_bg_leak *l = &t->leak[t->nleak++];
            memset(l, 0, sizeof *l);
            l->process = pi;
            l->ecal_b = bs[i];
            l->tail_frac = tail ? 0.01 : 0.0;
            l->tail_scale = 3.0;
            l->theta_mu_res = det->theta_mu_res;
            mue_detector d = *det;
            d.ecal_b = bs[i];
            snprintf(l->label, sizeof l->label, "%s: b = %g (%.2g %% at 40 GeV), %s", pi->name, bs[i],
                     100.0 * mue_ecal_sigma(&d, 40.0) / 40.0, tail ? "1 % of clusters 3x wider" : "Gaussian");
        }
    for (int i = 0; i < 3 && t->nleak < MUE_BG_MAXLEAK; i++) {
        mue_bg_leak *l = &t->leak[t->nleak++];
        memset(l, 0, sizeof *l);
        l->process = pi;
        l->ecal_b = det->ecal_b;
        l->tail_scale = 3.0;
        l->theta_mu_res = th[i];
        snprintf(l->label, sizeof l->label, "%s: b = %g Gaussian, theta_mu resolution %g mrad", pi->name,
                 det->ecal_b, 1e3 * th[i]);
    }
    return 0;
}

static int run_row(bg_ctx *x, mue_bg_row *row, const mue_detector *det, char *why, size_t len)
{
    /* a soft photon makes a photon process infinite; a generation window 38 widths wide
     * would reach it, so such a process generates within 5 (Phi(-5) = 3e-7 of an
     * event's weight at most) */
    mue_detector d = *det;
    if (row->photon && d.gen_sigmas > 5.0)
        d.gen_sigmas = 5.0;
    const mue_detector *dp = row->smeared ? &d : NULL;
    for (int k = 0; k < MUE_BG_NSEL; k++) {
        char what[256];
        snprintf(what, sizeof what, "%.180s %s", row->label, mue_bg_selections[k].name);
        if (k == MUE_BG_NSEL - 1 && !row->photon) {
            row->c[k] = row->c[k - 1]; /* the veto acts on photons: none here */
            continue;
        }
        if (k == MUE_BG_NSEL - 1 && !row->smeared) {
            snprintf(row->c[k].note, sizeof row->c[k].note, "the veto needs the detector model");
            continue;
        }
        if (run_cell(x, row, dp, mue_bg_selections[k].cuts, what, &row->c[k], why, len))
            return 1;
    }
    if (row->photon && row->smeared) {
        char what[256];
        snprintf(what, sizeof what, "%.180s (iii), perfect veto", row->label);
        d.veto_ineff = 0.0;
        if (run_cell(x, row, &d, MUE_DET_CUT_ALL, what, &row->unvetoable, why, len))
            return 1;
    }
    return 0;
}

int mue_backgrounds(const mue_run_config *c, mue_bg_table *t, char *why, size_t len)
{
    memset(t, 0, sizeof *t);
    bg_ctx x = {c, t, 0, 0};
    plan_rows(t);
    /* the processes whose leak is scanned: ideal and smeared rows, no photon */
    const mue_process_info *leak_of[MUE_NPROC];
    int nleakp = 0;
    for (int i = 0; i < t->nrows; i++) {
        const mue_bg_row *r = &t->row[i];
        x.nruns += r->photon && r->smeared ? 4 : 2;
        if (c->leak_scan && r->smeared && !r->bench && !r->photon && i > 0 &&
            t->row[i - 1].process == r->process && !t->row[i - 1].smeared)
            leak_of[nleakp++] = r->process;
    }
    x.nruns += 11 * nleakp;
    double t0 = now_s();
    mue_run_note(c, MUE_NOTE_PROGRESS, "mue backgrounds: %d integrations", x.nruns);
    for (int i = 0; i < t->nrows; i++)
        if (mue_run_cancelled(c))
            return snprintf(why, len, "interrupted"), 1;
        else if (run_row(&x, &t->row[i], &c->par.det, why, len))
            return 1;
    for (int i = 0; i < t->nrows && t->signal >= 0; i++) {
        mue_bg_row *r = &t->row[i];
        if (r->photon && r->smeared)
            r->have_x = veto_crossing(&r->c[1], &r->unvetoable, &t->row[t->signal].c[MUE_BG_NSEL - 1],
                                      &r->eps, &r->eps_err);
    }
    for (int p = 0; p < nleakp; p++) {
        /* only where the cuts remove it at truth level: else the leak is the table's row */
        const mue_bg_row *ideal = NULL;
        for (int i = 0; i < t->nrows; i++)
            if (t->row[i].process == leak_of[p] && !t->row[i].smeared)
                ideal = &t->row[i];
        if (!ideal || !ideal->c[1].have || ideal->c[1].n != 0.0)
            continue;
        int first = t->nleak;
        plan_leak(t, &c->par.det, leak_of[p]);
        for (int i = first; i < t->nleak; i++) {
            mue_bg_leak *l = &t->leak[i];
            mue_detector d = c->par.det;
            d.ecal_b = l->ecal_b;
            d.tail_frac = l->tail_frac;
            d.tail_scale = l->tail_scale;
            d.theta_mu_res = l->theta_mu_res;
            mue_bg_row row = *ideal;
            row.smeared = 1;
            char what[160];
            snprintf(what, sizeof what, "leak: %.60s", l->label);
            if (mue_run_cancelled(c))
                return snprintf(why, len, "interrupted"), 1;
            if (run_cell(&x, &row, &d, MUE_DET_CUT_I | MUE_DET_CUT_II, what, &l->c, why, len))
                return 1;
        }
    }
    mue_run_note(c, MUE_NOTE_PROGRESS, "mue backgrounds: done in %.1f s", now_s() - t0);
    return 0;
}
