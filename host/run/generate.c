#include "run/generate.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backends/backend.h"
#include "backends/cpu_backend.h"
#include "run/detector_config.h"
#include "events/event_writer.h"
#include "events/evfile.h"
#include "events/hepmc3_writer.h"
#include "events/lhef.h"
#include "mue/rng.h"
#include "run/process_table.h"
#include "util/version.h"

mue_gen_config mue_gen_config_default(void)
{
    mue_gen_config c;
    memset(&c, 0, sizeof c);
    c.run = mue_run_config_default();
    c.events = 10000;
    c.format = MUE_GEN_LHEF;
    c.gzip_level = MUE_GEN_GZIP_DEFAULT;
    c.max_mode = MUE_GEN_MAX_QUANTILE;
    c.quantile = 0.9999;
    c.survey_points = 1000000;
    return c;
}

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

/* The survey: weights of whole batches of points through the trained grid (hit or miss
 * off), their maximum or quantile, and what unweighting against it will give
 * (docs/physics.md Eqs. 10.4-10.5). */
static int survey(const mue_gen_config *c, const mue_backend *be, void *bctx,
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

static int subsample(const mue_gen_config *c, int ndim, uint32_t iter, mue_gen_batch *b, size_t n)
{
    keyed *kk = malloc(b->n * sizeof *kk);
    if (!kk)
        return -1;
    for (size_t k = 0; k < b->n; k++) {
        double u[MUE_VEGAS_MAXDIM + 2];
        const int na = mue_gen_accept_draw(&c->run.par, ndim);
        mue_rng_uniforms(c->run.seed, iter, b->ev[k].index, na + 2, u);
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

static void header_info(const mue_gen_config *c, const mue_gen_result *r, mue_evfile_info *f)
{
    const mue_run_config *rc = &c->run;
    const mue_params *p = &rc->par;
    const mue_process_info *pi = mue_process_info_of(rc->process);
    memset(f, 0, sizeof *f);
    snprintf(f->process, sizeof f->process, "%s", pi->name);
    f->process_id = (int)rc->process + 1;
    f->col = mue_collision_make(p->e_beam, p->m_mu, p->m_e);
    f->e_beam = p->e_beam;
    f->m_mu = p->m_mu;
    f->m_e = p->m_e;
    f->alpha = p->alpha;
    f->sigma_pb = 1e-3 * r->run.sigma_fb;
    f->err_pb = 1e-3 * r->run.sigma_err_fb;
    f->idwtup = c->weighted || !c->truncate ? 4 : 3;
    f->xmax_pb = c->weighted ? r->unit_pb * r->fmax_fb : r->unit_pb;
    mue_evfile_kv(f, "generator", "mue %s", MUE_VERSION);
    if (c->command_line)
        mue_evfile_kv(f, "command", "%s", c->command_line);
    mue_evfile_kv(f, "process", "%s: %s", pi->name, pi->summary);
    if (pi->uses & MUE_USES_MASS)
        mue_evfile_kv(f, "mass_GeV", "%.10g", p->m_zp);
    if (pi->uses & MUE_USES_COUPLING)
        mue_evfile_kv(f, "coupling", "%.10g", p->coupling);
    if (pi->uses & MUE_USES_FLAVOURS) {
        char fl[32];
        mue_evfile_kv(f, "nu_flavours", "%s", mue_nu_flavours_str(p->nu_flavours, fl, sizeof fl));
    }
    mue_evfile_kv(f, "alpha", "%.12g", p->alpha);
    mue_evfile_kv(f, "beams", "mu- (13) of %.10g GeV on e- (11) at rest, lab frame, along +z",
                  p->e_beam);
    if (p->cuts.enabled)
        mue_evfile_kv(f, "cuts", "theta_mu > %.10g rad, %.10g GeV < E_e < %.10g GeV",
                      p->cuts.theta_mu_min, p->cuts.ee_min, p->cuts.ee_max);
    else
        mue_evfile_kv(f, "cuts", "none");
    if (p->cuts.egamma_min > 0.0)
        mue_evfile_kv(f, "egamma_min_GeV", "%.10g", p->cuts.egamma_min);
    if (p->det.enabled) { /* the cuts then select measured quantities; the events are true */
        char d[600];
        mue_evfile_kv(f, "detector", "%s; the cuts select measured quantities, the momenta "
                      "written are the true ones", mue_detector_describe(&p->det, d, sizeof d));
    }
    mue_evfile_kv(f, "seed", "%llu", (unsigned long long)rc->seed);
    mue_evfile_kv(f, "sigma_pb", "%.10g", f->sigma_pb);
    mue_evfile_kv(f, "sigma_err_pb", "%.4g", f->err_pb);
    mue_evfile_kv(f, "events", "%llu", (unsigned long long)c->events);
    mue_evfile_kv(f, "weighting", "%s",
                  c->weighted ? "weighted: every point passing the cuts, weights average sigma"
                  : c->truncate
                      ? "unweighted; overweight events truncated to the unit weight (a bias, below)"
                      : "unweighted; overweight events kept with weight F/F_max > 1 in units of "
                        "the unit weight");
    mue_evfile_kv(f, "unit_weight_pb", "%.10g", r->unit_pb);
    mue_evfile_kv(f, "max_weight",
                  "%s of %lld surveyed nonzero weights: %.10g fb (largest seen %.10g fb)",
                  c->weighted || c->max_mode == MUE_GEN_MAX_TRUE ? "maximum" : "quantile",
                  r->survey_nonzero, r->fmax_fb, r->survey_max_fb);
    if (!c->weighted && c->max_mode == MUE_GEN_MAX_QUANTILE)
        mue_evfile_kv(f, "max_weight_quantile", "%.10g", c->quantile);
    mue_evfile_kv(f, "survey_efficiency", "%.6g", r->survey_eff);
    mue_evfile_kv(f, "survey_overweight_fraction", "%.6g", r->survey_over);
    mue_evfile_kv(f, "survey_truncation_bias", "%.6g", r->survey_bias);
    mue_evfile_kv(f, "frame", "lab; momenta, energies and masses in GeV");
    mue_evfile_kv(f, "zprime_pdg", "9900023 (invisible, final state)");
}

/* A finished run in words (stdout and the LHEF trailer). */
static void summary(const mue_gen_config *c, const mue_gen_result *r, char *s, size_t len)
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
             r->nonzero, r->batches,
             r->eff, r->survey_eff, r->over, r->over_frac, r->survey_over,
             c->weighted ? "weighted events"
             : c->truncate
                 ? "truncated to unit weight"
                 : "kept with weight > 1",
             r->sigma_events_pb, r->sigma_events_err_pb, r->sigma_hm_pb, r->sigma_hm_err_pb,
             1e-3 * r->run.sigma_fb,
             1e-3 * r->run.sigma_err_fb, r->train_seconds, r->survey_seconds, r->gen_seconds,
             r->events_per_s);
}

int mue_generate(const mue_gen_config *c, mue_gen_result *r, char *why, size_t len)
{
    memset(r, 0, sizeof *r);
    if (c->events < 1 || c->events > MUE_GEN_EVENTS_MAX)
        return snprintf(why, len, "--events: must be between 1 and %llu", MUE_GEN_EVENTS_MAX), 1;
    double t0 = now_s();
    /* the grid: trained (or loaded and checked) by the integration's own code */
    mue_vegas_state st;
    memset(&st, 0, sizeof st);
    mue_run_config rc = c->run;
    rc.keep_state = &st;
    rc.want_hist = 0;
    if (mue_run_integrate(&rc, &r->run, why, len)) {
        mue_vegas_state_free(&st);
        return 1;
    }
    r->train_seconds = now_s() - t0;
    if (!(r->run.sigma_fb > 0.0)) {
        snprintf(why, len, "sigma = 0: no point passed the cuts, there is nothing to generate%s%s",
                 r->run.nwarnings ? " (" : "", r->run.nwarnings ? r->run.warnings[0] : "");
        if (r->run.nwarnings)
            snprintf(why + strlen(why), len - strlen(why), ")");
        mue_vegas_state_free(&st);
        return 1;
    }

    const mue_backend *be =
        strcmp(rc.device, "auto") == 0 ? mue_backend_auto() : mue_backend_find(rc.device);
    mue_setup S;
    const char *reason;
    mue_setup_make(rc.process, &rc.par, &S, &reason); /* validated by the grid run */
    mue_backend_opts bo = {rc.seed, rc.threads, st.grid.nbins, 0};
    void *bctx = be->gen ? be->create(&S, &bo, why, len) : NULL;
    if (!bctx) {
        if (!be->gen)
            snprintf(why, len, "--device %s: this backend cannot generate events", be->name);
        mue_vegas_state_free(&st);
        return 1;
    }
    /* every batch is an iteration of --points points through the final grid and
     * layout, drawn as the iterations after the grid run's */
    const uint64_t npoints = mue_vegas_layout(&st, rc.points, !rc.no_strata, rc.beta);
    mue_vegas_grid *g = malloc(sizeof *g);
    mue_gen_batch bat[2] = {{0}, {0}};
    double *wt[2] = {NULL, NULL};
    size_t wcap[2] = {0, 0};
    mue_event_writer *w = NULL;
    char *text = NULL;
    int rcode = 1;
    if (!npoints || !g) {
        snprintf(why, len, "event generation failed: out of memory");
        goto done;
    }
    *g = st.grid;
    g->box_var = NULL; /* nothing measured: the layout stays the same for every batch */
    uint32_t iter = st.iterations;

    double ts = now_s();
    if (survey(c, be, bctx, g, npoints, &iter, r, why, len))
        goto done;
    double tg = now_s();
    r->survey_seconds = tg - ts;
    const double eval0 = be->stats(bctx).eval_seconds;

    mue_evfile_info info;
    header_info(c, r, &info);
    const int lhef = c->format == MUE_GEN_LHEF;
    w = mue_ew_open(c->out, c->gzip_level, rc.threads, lhef ? mue_lhef_event : mue_hepmc3_event,
                    &info, why, len);
    if (!w)
        goto done;
    text = lhef ? mue_lhef_header(&info) : mue_hepmc3_header(&info);
    if (!text) {
        snprintf(why, len, "event generation failed: out of memory");
        goto done;
    }
    if (mue_ew_text(w, text, why, len))
        goto done;
    free(text);
    text = NULL;

    const mue_gen_opts o = {npoints, c->weighted ? 0.0 : r->fmax_fb, 1};
    int cur = 0, empty = 0;
    while (r->events < c->events) {
        mue_gen_batch *b = &bat[cur];
        mue_gen_batch_reset(b);
        if (be->gen(bctx, g, iter++, &o, b)) {
            const char *e = be->error(bctx);
            snprintf(why, len, "%s", e[0] ? e : "event generation failed: out of memory");
            goto done;
        }
        r->batches++;
        r->points += b->points;
        r->nonzero += b->n_nonzero;
        r->bad += b->n_bad;
        /* a run whose batches keep nothing would never end */
        empty = b->n ? 0 : empty + 1;
        if (empty >= 1000) {
            snprintf(why, len, "1000 batches in a row kept no event: the efficiency is too low");
            goto done;
        }
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
        if (n < b->n && subsample(c, S.ndim, iter - 1, b, n)) {
            snprintf(why, len, "event generation failed: out of memory");
            goto done;
        }
        if (n > wcap[cur]) {
            double *nw = realloc(wt[cur], n * sizeof *nw);
            if (!nw) {
                snprintf(why, len, "event generation failed: out of memory");
                goto done;
            }
            wt[cur] = nw;
            wcap[cur] = n;
        }
        for (size_t k = 0; k < n; k++) {
            const double F = b->ev[k].F;
            double x = c->weighted ? F * r->unit_pb
                       : F > r->fmax_fb && !c->truncate ? r->unit_pb * (F / r->fmax_fb)
                                                        : r->unit_pb;
            wt[cur][k] = x;
            r->sum_w += x;
            r->sum_w2 += x * x;
        }
        if (mue_ew_submit(w, b->ev, wt[cur], n, r->events, why, len))
            goto done;
        r->events += n;
        if (rc.progress)
            fprintf(stderr, "  events %llu/%llu\n", (unsigned long long)r->events,
                    (unsigned long long)c->events);
        cur ^= 1;
    }
    r->eval_seconds = be->stats(bctx).eval_seconds - eval0;
    r->eff = (double)r->kept / (double)r->nonzero;
    r->over_frac = (double)r->over / (double)r->kept;
    const double N = (double)r->events;
    r->sigma_events_pb = r->sum_w / N;
    r->sigma_events_err_pb = N > 1 ? sqrt(fmax(r->sum_w2 / N - mue_sq(r->sum_w / N), 0.0) / (N - 1)) : 0.0;
    if (!c->weighted) {
        /* unweighted: the event count itself fluctuates (binomially per point); the error
         * of sum w / N for a fixed N is that of the weights plus that of the unit weight's
         * normalisation, sigma's own */
        r->sigma_events_err_pb = sqrt(mue_sq(r->sigma_events_err_pb) +
                                      mue_sq(1e-3 * r->run.sigma_err_fb));
    }
    r->sigma_hm_pb = 1e-3 * r->sum_y / (double)r->points;
    r->sigma_hm_err_pb = 1e-3 * sqrt(fmax(r->sum_y2 / (double)r->points - mue_sq(r->sum_y / (double)r->points), 0.0) /
                                     ((double)r->points - 1.0));
    r->gen_seconds = now_s() - tg;
    r->events_per_s = N / r->gen_seconds;
    char sum[1024];
    summary(c, r, sum, sizeof sum);
    text = lhef ? mue_lhef_trailer(sum) : mue_hepmc3_trailer();
    if (!text) {
        snprintf(why, len, "event generation failed: out of memory");
        goto done;
    }
    int frc = mue_ew_finish(w, text, &r->bytes, &r->writer_busy_seconds, why, len);
    w = NULL;
    if (frc)
        goto done;
    r->gen_seconds = now_s() - tg;
    r->events_per_s = N / r->gen_seconds;
    rcode = 0;
done:
    mue_ew_abort(w);
    free(text);
    for (int k = 0; k < 2; k++) {
        mue_gen_batch_free(&bat[k]);
        free(wt[k]);
    }
    free(g);
    be->destroy(bctx);
    mue_vegas_state_free(&st);
    return rcode;
}

void mue_gen_summary(const mue_gen_config *c, const mue_gen_result *r, char *s, size_t len)
{
    summary(c, r, s, len);
}
