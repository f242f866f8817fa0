#include "run/generate.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backends/backend.h"
#include "events/event_writer.h"
#include "events/evfile.h"
#include "events/hepmc3_writer.h"
#include "events/lhef.h"
#include "mue/rng.h"
#include "run/beam_config.h"
#include "run/detector_config.h"
#include "run/process_table.h"
#include "util/numfmt.h"
#include "util/version.h"

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Is the Z' written decayed (record.h)? */
static int zprime_decays(const mue_run_config *c)
{
    return mue_process_has_particle(mue_process_info_of(c->process), MUE_PID_ZPRIME) && !c->zprime_stable;
}

/* The survey: weights of whole batches of points through the trained grid (hit or miss
 * off), their maximum or quantile, and what unweighting against it will give
 * (docs/physics.md Eqs. 10.4-10.5). */
static int survey(const mue_run_config *c, const mue_backend *be, void *bctx,
                  const mue_vegas_grid *g, uint64_t npoints, uint32_t *iter, mue_gen_result *r,
                  char *why, size_t len)
{
    mue_gen_batch all = {0}, b = {0};
    const uint64_t nb = (c->survey_points + npoints - 1) / npoints;
    const mue_gen_opts o = {npoints, 0.0, 0};
    for (uint64_t k = 0; k < (nb ? nb : 1); k++) {
        mue_gen_batch_reset(&b);
        if (be->gen(bctx, g, (*iter)++, &o, &b) || mue_gen_batch_append(&all, &b, 0)) {
            const char *e = be->error(bctx);
            snprintf(why, len, "%s", e[0] ? e : "event generation failed: out of memory");
            mue_gen_batch_free(&all);
            mue_gen_batch_free(&b);
            return -1;
        }
    }
    mue_gen_batch_free(&b);
    r->survey_points = all.points;
    r->survey_nonzero = (long long)all.n;
    if (all.n == 0) {
        snprintf(why, len,
                 "no point of the %llu surveyed passed the cuts: there is nothing to generate "
                 "(sigma = %g fb)",
                 (unsigned long long)all.points, r->run.sigma_fb);
        mue_gen_batch_free(&all);
        return -1;
    }
    qsort(all.F, all.n, sizeof *all.F, cmp_double);
    r->survey_max_fb = all.F[all.n - 1];
    if (c->weighted || c->max_mode == MUE_GEN_MAX_TRUE)
        r->fmax_fb = r->survey_max_fb;
    else {
        size_t q = (size_t)ceil(c->quantile * (double)all.n);
        r->fmax_fb = all.F[q == 0 ? 0 : q > all.n ? all.n - 1 : q - 1];
    }
    double sum = 0.0, smin = 0.0, excess = 0.0;
    long long over = 0;
    for (size_t k = 0; k < all.n; k++) {
        double F = all.F[k];
        sum += F;
        smin += F < r->fmax_fb ? F : r->fmax_fb;
        if (F > r->fmax_fb) {
            excess += F - r->fmax_fb;
            over++;
        }
    }
    r->survey_eff = smin / (r->fmax_fb * (double)all.n);
    r->survey_over = (double)over / (double)all.n;
    r->survey_bias = excess / sum;
    /* weights in pb averaging sigma (Eq. 10.6): weighted, F times the nonzero fraction;
     * unweighted, sigma (truncated: every event), or sigma <min(F, fmax)> / <F> for one
     * below the maximum when the overweights keep F / fmax */
    const double sigma_pb = 1e-3 * r->run.sigma_fb;
    r->file_scale = zprime_decays(c) ? mue_zprime_br_invisible(mue_zprime_mass(&c->par), c->par.m_mu, MUE_M_TAU)
                                     : 1.0;
    if (c->weighted)
        r->unit_pb = 1e-3 * (double)all.n / (double)all.points;
    else if (c->truncate)
        r->unit_pb = sigma_pb;
    else
        r->unit_pb = sigma_pb * smin / sum;
    mue_gen_batch_free(&all);
    return 0;
}

/* The last batch holds more events than are still wanted: a batch lists its points box
 * by box, so its first n events would cover only part of the phase space. It keeps
 * instead the n whose points drew the smallest of one more uniform of their own stream
 * (the one after the accept step's, unweight.h): a uniformly random subset, in index
 * order, the same on every thread count and device. */
typedef struct {
    double key;
    size_t k;
} keyed;

static int cmp_key(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    int c = (x->key > y->key) - (x->key < y->key);
    return c ? c : (x->k > y->k) - (x->k < y->k);
}

static int cmp_index(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    return (x->k > y->k) - (x->k < y->k);
}

static int subsample(const mue_run_config *c, int ndim, uint32_t iter, mue_gen_batch *b, size_t n)
{
    keyed *kk = malloc(b->n * sizeof *kk);
    if (!kk)
        return -1;
    for (size_t k = 0; k < b->n; k++) {
        double u[MUE_POINT_MAXU + 2];
        const int na = mue_gen_accept_draw(&c->par, ndim);
        mue_rng_uniforms(c->seed, iter, b->ev[k].index, na + 2, u);
        kk[k].key = u[na + 1];
        kk[k].k = k;
    }
    qsort(kk, b->n, sizeof *kk, cmp_key);
    qsort(kk, n, sizeof *kk, cmp_index);
    for (size_t j = 0; j < n; j++)
        b->ev[j] = b->ev[kk[j].k]; /* kk[j].k >= j: nothing is overwritten before it is read */
    b->n = n;
    free(kk);
    return 0;
}

typedef struct {
    mue_evfile_info *f;
} kv_ctx;

static void header_setting(void *ctx, const mue_setting *s, const char *value)
{
    kv_ctx *k = ctx;
    if (!(s->flags & MUE_SF_MACHINE))
        mue_evfile_kv(k->f, s->json, "%s", value);
}

/* The selection the events passed, in words, true to the run: the detector's cuts on
 * measured quantities when it has one (only those its cuts= names), else (i) and (ii)
 * on the true ones. */
static void selection_words(const mue_params *p, char *buf, size_t len)
{
    char th[32], lo[32], hi[32];
    mue_fmt_exact(p->cuts.theta_mu_min, th, sizeof th);
    mue_fmt_exact(p->cuts.ee_min, lo, sizeof lo);
    mue_fmt_exact(p->cuts.ee_max, hi, sizeof hi);
    if (!p->cuts.enabled) {
        snprintf(buf, len, "none");
        return;
    }
    const int mask = p->det.enabled ? p->det.cuts : MUE_DET_CUT_I | MUE_DET_CUT_II;
    size_t n = (size_t)snprintf(buf, len, "%s", p->det.enabled ? "measured quantities: " : "true quantities: ");
    if ((mask & MUE_DET_CUT_I) && n < len)
        n += (size_t)snprintf(buf + n, len - n, "(i) theta_mu > %s rad", th);
    if ((mask & MUE_DET_CUT_II) && n < len)
        n += (size_t)snprintf(buf + n, len - n, ", (ii) %s GeV < E_e < %s GeV", lo, hi);
    if ((mask & MUE_DET_CUT_III) && n < len) {
        char e[32], q[32];
        snprintf(buf + n, len - n, ", (iii) no separate photon cluster above %s GeV (veto inefficiency %s)",
                 mue_fmt_exact(p->det.veto_emin, e, sizeof e), mue_fmt_exact(p->det.veto_ineff, q, sizeof q));
    }
}

/* The header: what made the file (version, commit, the whole command line), the
 * process and its final state, every setting of the run, and the results a reader
 * needs (sigma, the weights' convention and the survey). */
static void header_info(const mue_run_config *c, const mue_gen_result *r, mue_evfile_info *f)
{
    const mue_params *p = &c->par;
    const mue_process_info *pi = mue_process_info_of(c->process);
    memset(f, 0, sizeof *f);
    snprintf(f->process, sizeof f->process, "%s", pi->name);
    f->process_id = (int)c->process + 1;
    f->col = mue_collision_make(p->e_beam, p->m_mu, p->m_e);
    f->e_beam = p->e_beam;
    f->m_mu = p->m_mu;
    f->m_e = p->m_e;
    f->alpha = p->alpha;
    f->sigma_pb = 1e-3 * r->run.sigma_fb * r->file_scale;
    f->err_pb = 1e-3 * r->run.sigma_err_fb * r->file_scale;
    f->idwtup = c->weighted || !c->truncate ? 4 : 3;
    f->xmax_pb = (c->weighted ? r->unit_pb * r->fmax_fb : r->unit_pb) * r->file_scale;
    f->beam_pid = p->beam_plus ? -MUE_PID_MUON : MUE_PID_MUON;
    f->zprime_decays = zprime_decays(c);
    f->seed = c->seed;
    f->decay_draw = mue_gen_accept_draw(p, pi->ndim) + 2; /* after the accept and key draws */
    f->bm = p->bm;
    f->beam_draw = mue_point_beam_draw(p, pi->ndim);
    _Static_assert(1 + MUE_GEN_MAXWEIGHTS <= MUE_EVFILE_MAXWEIGHTS, "the weights fit the file's");
    snprintf(f->wname[0], sizeof f->wname[0], "nominal");
    f->wscale[0] = 1.0;
    f->nweights = 1;
    const mue_input_def *gin = mue_process_input_of_kind(pi, MUE_INPUT_COUPLING);
    for (int k = 0; gin && k < c->ncoupling_weights; k++) {
        char g[32];
        snprintf(f->wname[f->nweights], sizeof f->wname[0], "g_%s",
                 mue_fmt_exact(c->coupling_weights[k], g, sizeof g));
        f->wscale[f->nweights++] = mue_sq(c->coupling_weights[k] / p->input[gin->slot]);
    }
    char fs[512];
    mue_evfile_kv(f, "generator", "mue %s (commit %s)", mue_version(), mue_version_commit());
    if (c->command_line)
        mue_evfile_kv(f, "command", "%s", c->command_line);
    mue_evfile_kv(f, "process_summary", "%s: %s", pi->name, pi->summary);
    mue_evfile_kv(f, "final_state", "%s", mue_process_final_state(pi, fs, sizeof fs));
    mue_evfile_kv(f, "beams", "%s (%d) of %.10g GeV on e- (11) at rest, lab frame, along +z",
                  p->beam_plus ? "mu+" : "mu-", f->beam_pid, p->e_beam);
    char sel[512];
    selection_words(p, sel, sizeof sel);
    mue_evfile_kv(f, "selection", "%s", sel);
    /* every setting of the run, as the run description names it */
    kv_ctx k = {f};
    mue_settings_each(c, 0, header_setting, &k);
    if (p->det.enabled) { /* the cuts then select measured quantities; the events are true */
        char d[600];
        mue_evfile_kv(f, "detector_model", "%s; the cuts select measured quantities, the momenta "
                      "written are the true ones", mue_detector_describe(&p->det, d, sizeof d));
    }
    if (p->bm.enabled) {
        char b[400];
        mue_evfile_kv(f, "beam_and_target",
                      "%s; each event has its own incoming muon (written as the event's beam "
                      "particle) and the cuts are taken against its direction; the cross section "
                      "is the average over the beam%s",
                      mue_beam_model_describe(&p->bm, b, sizeof b),
                      c->format == MUE_GEN_HEPMC3
                          ? "; vertex positions (mm) on the vertices"
                          : "; LHEF has no vertex: the vertex positions are in HepMC3 output only");
    }
    if (mue_process_has_particle(pi, MUE_PID_ZPRIME))
        mue_evfile_kv(f, "zprime_decay", "%s",
                      f->zprime_decays
                          ? "invisible: nu_mu nubar_mu or nu_tau nubar_tau (equal widths), isotropic "
                            "in the Z' rest frame; the cross section and the weights carry BR(Z' -> "
                            "invisible)"
                          : "none: the Z' is a final particle (--zprime-stable)");
    if (f->zprime_decays) {
        mue_evfile_kv(f, "br_invisible", "%.10g", r->file_scale);
        mue_evfile_kv(f, "sigma_production_pb", "%.10g", 1e-3 * r->run.sigma_fb);
    }
    mue_evfile_kv(f, "sigma_pb", "%.10g", f->sigma_pb);
    mue_evfile_kv(f, "sigma_err_pb", "%.4g", f->err_pb);
    mue_evfile_kv(f, "weighting", "%s",
                  c->weighted ? "weighted: every point passing the cuts, weights average sigma"
                  : c->truncate
                      ? "unweighted; overweight events truncated to the unit weight (a bias, below)"
                      : "unweighted; overweight events kept with weight F/F_max > 1 in units of "
                        "the unit weight");
    mue_evfile_kv(f, "unit_weight_pb", "%.10g", r->unit_pb * r->file_scale);
    mue_evfile_kv(f, "max_weight_found",
                  "%s of %lld surveyed nonzero weights: %.10g fb (largest seen %.10g fb)",
                  c->weighted || c->max_mode == MUE_GEN_MAX_TRUE ? "maximum" : "quantile",
                  r->survey_nonzero, r->fmax_fb, r->survey_max_fb);
    mue_evfile_kv(f, "survey_efficiency", "%.6g", r->survey_eff);
    mue_evfile_kv(f, "survey_overweight_fraction", "%.6g", r->survey_over);
    mue_evfile_kv(f, "survey_truncation_bias", "%.6g", r->survey_bias);
    mue_evfile_kv(f, "frame", "lab; momenta, energies and masses in GeV");
}

/* A finished run in words (stdout and the LHEF trailer). */
void mue_gen_summary(const mue_run_config *c, const mue_gen_result *r, char *s, size_t len)
{
    snprintf(s, len,
             "events %llu of %llu kept from %llu points (%lld passing the cuts) in %d batches\n"
             "efficiency %.6g (kept / points passing the cuts; survey %.6g)\n"
             "overweight events %lld (of the kept: %.3g; survey, of the points passing the "
             "cuts: %.3g; %s)\n"
             "sigma of the events (sum w / N) %.8g +- %.3g pb, hit-or-miss %.8g +- %.3g pb, grid "
             "run %.8g +- %.3g pb\n"
             "time: grid %.3f s, survey %.3f s, events %.3f s (%.4g events/s)",
             (unsigned long long)r->events, (unsigned long long)r->kept, (unsigned long long)r->points,
             r->nonzero, r->batches, r->eff, r->survey_eff, r->over, r->over_frac, r->survey_over,
             c->weighted   ? "weighted events"
             : c->truncate ? "truncated to unit weight"
                           : "kept with weight > 1",
             r->sigma_events_pb, r->sigma_events_err_pb, r->sigma_hm_pb, r->sigma_hm_err_pb,
             1e-3 * r->run.sigma_fb, 1e-3 * r->run.sigma_err_fb, r->train_seconds, r->survey_seconds,
             r->gen_seconds, r->events_per_s);
}

/* Everything an event run holds while it goes. */
typedef struct {
    const mue_run_config *c;
    mue_gen_result *r;
    mue_vegas_state st;
    mue_setup S;
    const mue_backend *be;
    void *bctx;
    mue_vegas_grid *g;
    uint64_t npoints;
    uint32_t iter;
    mue_evfile_info info;
    mue_event_writer *w;
    mue_gen_batch bat[2];
    double *wt[2];
    size_t wcap[2];
    double tg, eval0;
} gen_run;

static void gen_free(gen_run *x)
{
    mue_ew_abort(x->w);
    x->w = NULL;
    for (int k = 0; k < 2; k++) {
        mue_gen_batch_free(&x->bat[k]);
        free(x->wt[k]);
    }
    free(x->g);
    if (x->bctx)
        x->be->destroy(x->bctx);
    mue_evfile_free(&x->info);
    mue_vegas_state_free(&x->st);
}

static int oom(char *why, size_t len)
{
    snprintf(why, len, "event generation failed: out of memory");
    return 1;
}

/* The grid: trained (or loaded and checked) by the integration's own code. */
static int train(gen_run *x, char *why, size_t len)
{
    double t0 = now_s();
    mue_run_config rc = *x->c;
    rc.keep_state = &x->st;
    rc.want_hist = 0;
    if (mue_run_integrate(&rc, &x->r->run, why, len))
        return 1;
    x->r->train_seconds = now_s() - t0;
    if (!(x->r->run.sigma_fb > 0.0)) {
        snprintf(why, len, "sigma = 0: no point passed the cuts, there is nothing to generate%s%.300s%s",
                 x->r->run.nwarnings ? " (" : "", x->r->run.nwarnings ? x->r->run.warnings[0] : "",
                 x->r->run.nwarnings ? ")" : "");
        return 1;
    }
    return 0;
}

/* The backend, and the layout every batch uses: an iteration of --points points
 * through the final grid, drawn as the iterations after the grid run's. */
static int open_backend(gen_run *x, char *why, size_t len)
{
    const mue_run_config *c = x->c;
    x->be = strcmp(c->device, "auto") == 0 ? mue_backend_auto() : mue_backend_find(c->device);
    const char *reason;
    mue_setup_make(c->process, &c->par, &x->S, &reason); /* validated by the grid run */
    if (!x->be->gen)
        return snprintf(why, len, "--device %s: this backend cannot generate events", x->be->name), 1;
    mue_backend_opts bo = {c->seed, c->threads, x->st.grid.nbins, 0};
    if (!(x->bctx = x->be->create(&x->S, &bo, why, len)))
        return 1;
    x->npoints = mue_vegas_layout(&x->st, c->points, !c->no_strata, c->beta);
    x->g = malloc(sizeof *x->g);
    if (!x->npoints || !x->g)
        return oom(why, len);
    *x->g = x->st.grid;
    x->g->box_var = NULL; /* nothing measured: the layout stays the same for every batch */
    x->iter = x->st.iterations;
    return 0;
}

/* The file: its header from the run and the survey, the writer threads started. */
static int open_file(gen_run *x, char *why, size_t len)
{
    const mue_run_config *c = x->c;
    header_info(c, x->r, &x->info);
    if (x->info.full)
        return oom(why, len);
    const int lhef = c->format == MUE_GEN_LHEF;
    x->w = mue_ew_open(c->out, c->gzip ? c->gzip_level : 0, c->single_writer ? 1 : c->threads,
                       c->single_writer ? MUE_EW_ZLIB : 0, lhef ? mue_lhef_event : mue_hepmc3_event,
                       &x->info, why, len);
    if (!x->w)
        return 1;
    char *text = lhef ? mue_lhef_header(&x->info) : mue_hepmc3_header(&x->info);
    if (!text)
        return oom(why, len);
    int rc = mue_ew_text(x->w, text, why, len);
    free(text);
    return rc;
}

/* The weights of the n events written from batch b into buffer cur (pb, averaging
 * sigma, Eq. 10.6). */
static int weigh(gen_run *x, int cur, const mue_gen_batch *b, size_t n)
{
    const mue_run_config *c = x->c;
    mue_gen_result *r = x->r;
    if (n > x->wcap[cur]) {
        double *nw = realloc(x->wt[cur], n * sizeof *nw);
        if (!nw)
            return -1;
        x->wt[cur] = nw;
        x->wcap[cur] = n;
    }
    for (size_t k = 0; k < n; k++) {
        const double F = b->ev[k].F;
        double w = c->weighted                      ? F * r->unit_pb
                   : F > r->fmax_fb && !c->truncate ? r->unit_pb * (F / r->fmax_fb)
                                                    : r->unit_pb;
        x->wt[cur][k] = w * r->file_scale;
        r->sum_w += w;
        r->sum_w2 += w * w;
    }
    return 0;
}

/* One batch on the backend, its events handed to the writer (which formats the
 * previous batch's meanwhile). */
static int one_batch(gen_run *x, int cur, int *empty, char *why, size_t len)
{
    const mue_run_config *c = x->c;
    mue_gen_result *r = x->r;
    mue_gen_batch *b = &x->bat[cur];
    mue_gen_batch_reset(b);
    const mue_gen_opts o = {x->npoints, c->weighted ? 0.0 : r->fmax_fb, 1};
    if (x->be->gen(x->bctx, x->g, x->iter++, &o, b)) {
        const char *e = x->be->error(x->bctx);
        return snprintf(why, len, "%s", e[0] ? e : "event generation failed: out of memory"), 1;
    }
    r->batches++;
    r->points += b->points;
    r->nonzero += b->n_nonzero;
    r->bad += b->n_bad;
    /* a run whose batches keep nothing would never end */
    *empty = b->n ? 0 : *empty + 1;
    if (*empty >= 1000)
        return snprintf(why, len, "1000 batches in a row kept no event: the efficiency is too low"), 1;
    /* the hit-or-miss estimate of sigma over every point (Eq. 10.7): each kept point
     * counts fmax, or F when over it; weighted, F */
    for (size_t k = 0; k < b->n; k++) {
        const double F = b->ev[k].F, y = c->weighted || F > r->fmax_fb ? F : r->fmax_fb;
        r->sum_y += y;
        r->sum_y2 += y * y;
        r->over += !c->weighted && F > r->fmax_fb;
    }
    r->kept += b->n;
    size_t n = b->n < c->events - r->events ? b->n : (size_t)(c->events - r->events);
    if ((n < b->n && subsample(c, x->S.ndim, x->iter - 1, b, n)) || weigh(x, cur, b, n))
        return oom(why, len);
    for (size_t k = 0; k < n; k++)
        b->ev[k].iter = x->iter - 1; /* the point's stream, for the decays (record.h) */
    if (mue_ew_submit(x->w, b->ev, x->wt[cur], n, r->events, why, len))
        return 1;
    r->events += n;
    mue_run_note(c, MUE_NOTE_PROGRESS, "  events %llu/%llu", (unsigned long long)r->events,
                 (unsigned long long)c->events);
    return 0;
}

/* What the events say of sigma (Eqs. 10.6, 10.7), the trailer, the file in place. */
static int close_file(gen_run *x, char *why, size_t len)
{
    const mue_run_config *c = x->c;
    mue_gen_result *r = x->r;
    r->eval_seconds = x->be->stats(x->bctx).eval_seconds - x->eval0;
    r->eff = (double)r->kept / (double)r->nonzero;
    r->over_frac = (double)r->over / (double)r->kept;
    const double N = (double)r->events, P = (double)r->points;
    r->sigma_events_pb = r->sum_w / N;
    r->sigma_events_err_pb = N > 1 ? sqrt(fmax(r->sum_w2 / N - mue_sq(r->sum_w / N), 0.0) / (N - 1)) : 0.0;
    if (!c->weighted) {
        /* unweighted: the event count itself fluctuates (binomially per point); the error
         * of sum w / N for a fixed N is that of the weights plus that of the unit weight's
         * normalisation, sigma's own */
        r->sigma_events_err_pb = sqrt(mue_sq(r->sigma_events_err_pb) + mue_sq(1e-3 * r->run.sigma_err_fb));
    }
    r->sigma_hm_pb = 1e-3 * r->sum_y / P;
    r->sigma_hm_err_pb = 1e-3 * sqrt(fmax(r->sum_y2 / P - mue_sq(r->sum_y / P), 0.0) / (P - 1.0));
    r->gen_seconds = now_s() - x->tg;
    r->events_per_s = N / r->gen_seconds;
    char sum[1024];
    mue_gen_summary(c, r, sum, sizeof sum);
    char *text = c->format == MUE_GEN_LHEF ? mue_lhef_trailer(sum) : mue_hepmc3_trailer();
    if (!text)
        return oom(why, len);
    int rc = mue_ew_finish(x->w, text, &r->bytes, &r->writer_busy_seconds, why, len);
    x->w = NULL;
    free(text);
    r->gen_seconds = now_s() - x->tg;
    r->events_per_s = N / r->gen_seconds;
    return rc;
}

int mue_generate(const mue_run_config *c, mue_gen_result *r, char *why, size_t len)
{
    memset(r, 0, sizeof *r);
    if (c->events < 1 || c->events > MUE_GEN_EVENTS_MAX)
        return snprintf(why, len, "--events: must be between 1 and %llu", MUE_GEN_EVENTS_MAX), 1;
    gen_run x;
    memset(&x, 0, sizeof x);
    x.c = c;
    x.r = r;
    int rc = train(&x, why, len) || open_backend(&x, why, len);
    double ts = now_s();
    rc = rc || survey(c, x.be, x.bctx, x.g, x.npoints, &x.iter, r, why, len);
    if (!rc) {
        x.tg = now_s();
        r->survey_seconds = x.tg - ts;
        x.eval0 = x.be->stats(x.bctx).eval_seconds;
    }
    rc = rc || open_file(&x, why, len);
    for (int cur = 0, empty = 0; !rc && r->events < c->events; cur ^= 1) {
        if (mue_run_cancelled(c))
            rc = 1, snprintf(why, len, "interrupted");
        else
            rc = one_batch(&x, cur, &empty, why, len);
    }
    rc = rc || close_file(&x, why, len);
    gen_free(&x);
    return rc;
}
