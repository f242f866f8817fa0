#include "backends/cpu_backend.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "backends/cpu_chunks.h"
#include "backends/cpu_generate.h"
#include "vegas/iteration.h"
#include "mue/process.h"
#include "mue/rng.h"
#include "util/threads.h"

#define BATCH_CHUNKS 64
#define RNG_BATCH 16

double mue_cpu_physics_point(const void *setup, const double *x, const mue_hist_spec *hs, mue_obs *o)
{
    const mue_setup *S = setup;
    mue_event ev;
    double w = mue_integrand(S, x, hs ? &ev : NULL);
    if (hs && w != 0.0)
        mue_observables(&S->col, &ev, hs->nobs, hs->what, ~0u, o);
    return w;
}

/* Uniforms a point draws beyond the integration variables: the physics integrand with
 * a detector or a beam model reads more of the point's stream (process.h) */
static int extra_uniforms(const mue_cpu_ctx *c)
{
    if (c->f != mue_cpu_physics_point)
        return 0;
    return mue_point_extra(&((const mue_setup *)c->fctx)->par);
}

/* Points first .. last-1 into *a, in index order: whole boxes, the first of them box
 * h (with strata). */
static void run_chunk(const mue_cpu_ctx *c, const mue_vegas_grid *g, uint32_t iter, uint64_t first,
                      uint64_t last, uint64_t h, const mue_hist_spec *hs, mue_acc *a)
{
    double u[MUE_POINT_MAXU], x[MUE_POINT_MAXU];
    int bin[MUE_VEGAS_MAXDIM];
    const int strat = g->nstrat > 1;
    const uint64_t npoints = strat ? mue_vegas_box_first(g, g->nboxes) : 0;
    double s1 = 0.0, s2 = 0.0; /* sums of F over the current box (zeros included) */
    double scale = 1.0, n = 0.0;
    uint64_t box_end = last;
    uint32_t box[MUE_VEGAS_MAXDIM];
    double ub[RNG_BATCH][MUE_POINT_MAXU];
    const int nd = g->ndim, nu = nd + extra_uniforms(c);
    for (uint64_t i = first; i < last; i++) {
        /* the generator runs ahead for a batch of points: its rounds then overlap
         * from point to point instead of waiting behind the integrand's long chain
         * of dependent divisions, roots and exponentials */
        uint64_t j = (i - first) % RNG_BATCH;
        if (j == 0)
            for (uint64_t m = 0; m < RNG_BATCH && i + m < last; m++)
                mue_rng_uniforms(c->seed, iter, i + m, nu, ub[m]);
        memcpy(u, ub[j], sizeof u);
        if (strat) {
            if (i == first || i == box_end) { /* a new box: chunks start on one */
                if (i != first) {
                    h++;
                    mue_vegas_box_next_nd(g, g->ndim, box);
                } else
                    mue_vegas_box_coords_nd(g, g->ndim, h, box);
                uint64_t b0 = mue_vegas_box_first(g, h);
                box_end = mue_vegas_box_first(g, h + 1);
                n = (double)(box_end - b0);
                scale = g->offset ? mue_vegas_box_scale(npoints, g->nboxes, box_end - b0) : 1.0;
            }
            mue_vegas_stratify_box(g, box, u);
        }
        double jac = mue_vegas_map(g, u, x, bin);
        for (int k = nd; k < nu; k++)
            x[k] = u[k];
        mue_obs o;
        double w = c->f(c->fctx, x, hs, &o);
        double f = w == 0.0 ? 0.0 : w * jac, F = f * scale;
        mue_acc_point(a, g->ndim, bin, F, F * f, &o, hs);
        if (strat) {
            if (isfinite(F)) {
                s1 += F;
                s2 += F * F;
            }
            if (i + 1 == box_end) {
                double var;
                a->var_sum += mue_vegas_box_term(s1, s2, n, &var);
                if (g->box_var)
                    g->box_var[h] = var;
                s1 = s2 = 0.0;
            }
        }
    }
}

int mue_cpu_eval(const mue_cpu_ctx *c, const mue_vegas_grid *g, uint32_t iter, const mue_range *r,
                 int nr, const mue_hist_spec *hs, mue_acc *out)
{
    /* chunks hold whole boxes (cb of them), so each box's variance is formed inside one
     * chunk; the chunks of range k are tasks start[k] .. start[k+1]-1, counted from its
     * first box (or point, without strata) */
    const int strat = g->nstrat > 1;
    const uint64_t cb = mue_cpu_chunk_size(g);
    uint64_t *start = malloc(sizeof(uint64_t) * (nr + 1));
    int nt = mue_cpu_threads(c->threads);
    /* tasks are merged in index order whatever the batch, so the batch may grow with
     * the thread count (to keep many cores busy between merges) without changing bits */
    int batch = BATCH_CHUNKS > 8 * nt ? BATCH_CHUNKS : 8 * nt;
    mue_acc *slot = malloc(sizeof(mue_acc) * batch);
    if (!slot || !start) {
        free(slot);
        free(start);
        return -1;
    }
    start[0] = 0;
    for (int k = 0; k < nr; k++)
        start[k + 1] = start[k] + ((strat ? r[k].nbox : r[k].count) + cb - 1) / cb;
    const uint64_t ntasks = start[nr];
    for (uint64_t b0 = 0; b0 < ntasks; b0 += batch) {
        int nb = (int)(ntasks - b0 < (uint64_t)batch ? ntasks - b0 : (uint64_t)batch);
#pragma omp parallel for schedule(dynamic, 1) num_threads(nt)
        for (int j = 0; j < nb; j++) {
            const uint64_t t = b0 + j;
            int k = 0;
            while (start[k + 1] <= t)
                k++;
            uint64_t first, last, h = 0;
            if (strat) {
                const uint64_t hend = r[k].box + r[k].nbox;
                h = r[k].box + (t - start[k]) * cb;
                first = mue_vegas_box_first(g, h);
                last = mue_vegas_box_first(g, h + cb < hend ? h + cb : hend);
            } else {
                const uint64_t end = r[k].first + r[k].count;
                first = r[k].first + (t - start[k]) * cb;
                last = first + cb < end ? first + cb : end;
            }
            mue_acc_clear(&slot[j], g, hs);
            run_chunk(c, g, iter, first, last, h, hs, &slot[j]);
        }
        int k = 0;
        for (int j = 0; j < nb; j++) {
            while (start[k + 1] <= b0 + j)
                k++;
            mue_acc_merge(&out[k], &slot[j], g, hs);
        }
    }
    free(slot);
    free(start);
    return 0;
}

int mue_cpu_iteration(void *ctx, const mue_vegas_grid *g, uint32_t iter, uint64_t npoints,
                      const mue_hist_spec *hs, mue_acc *out)
{
    mue_range r[MUE_SLICES_MAX];
    int nr = mue_iteration_slices(g, npoints, r);
    mue_acc *slot = malloc(sizeof(mue_acc) * (nr ? nr : 1));
    if (!slot)
        return -1;
    for (int k = 0; k < nr; k++)
        mue_acc_clear(&slot[k], g, hs);
    int rc = mue_cpu_eval(ctx, g, iter, r, nr, hs, slot);
    for (int k = 0; !rc && k < nr; k++)
        mue_acc_merge(out, &slot[k], g, hs);
    free(slot);
    return rc;
}

/* ---- the table's entry ---- */

typedef struct {
    mue_setup S;
    mue_cpu_ctx cpu;
    mue_backend_stats st;
    char err[128];
} cpu_backend;

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

static int cpu_usable(char *why, size_t len)
{
    (void)why;
    (void)len;
    return 1;
}

static void *cpu_create(const mue_setup *S, const mue_backend_opts *o, char *why, size_t len)
{
    cpu_backend *b = calloc(1, sizeof *b);
    if (!b) {
        snprintf(why, len, "out of memory");
        return NULL;
    }
    b->S = *S;
    b->cpu = (mue_cpu_ctx){mue_cpu_physics_point, &b->S, o->seed, o->threads};
    snprintf(b->st.device, sizeof b->st.device, "cpu");
    b->st.threads = mue_cpu_threads(o->threads);
    return b;
}

static void cpu_destroy(void *ctx) { free(ctx); }

static int cpu_eval(void *ctx, const mue_vegas_grid *g, uint32_t iter, const mue_range *r, int nr,
                    const mue_hist_spec *hs, mue_acc *out)
{
    cpu_backend *b = ctx;
    double t0 = now_s();
    int rc = mue_cpu_eval(&b->cpu, g, iter, r, nr, hs, out);
    if (rc)
        snprintf(b->err, sizeof b->err, "integration failed: out of memory");
    double dt = now_s() - t0;
    b->st.eval_seconds += dt;
    b->st.call_seconds += dt;
    b->st.calls++;
    return rc;
}

static const char *cpu_error(const void *ctx) { return ((const cpu_backend *)ctx)->err; }

static mue_backend_stats cpu_stats(const void *ctx) { return ((const cpu_backend *)ctx)->st; }

static int cpu_gen(void *ctx, const mue_vegas_grid *g, uint32_t iter, const mue_gen_opts *o,
                   mue_gen_batch *out)
{
    cpu_backend *b = ctx;
    double t0 = now_s();
    int rc = mue_cpu_generate(&b->S, b->cpu.seed, b->cpu.threads, g, iter, o, out);
    if (rc)
        snprintf(b->err, sizeof b->err, "event generation failed: out of memory");
    double dt = now_s() - t0;
    b->st.eval_seconds += dt;
    b->st.call_seconds += dt;
    b->st.calls++;
    return rc;
}

const mue_backend mue_backend_cpu = {"cpu",    1,         cpu_usable, cpu_create, cpu_destroy,
                                     cpu_eval, cpu_error, cpu_stats, cpu_gen};
