#include "cpu_backend.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "iteration.h"
#include "mue/process.h"
#include "mue/rng.h"

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

int mue_cpu_max_threads(void)
{
#ifdef _OPENMP
    /* OMP_NUM_THREADS too: libgomp crashes when asked for 100000 threads */
    int n = omp_get_max_threads();
    return n > MUE_CPU_THREADS_MAX ? MUE_CPU_THREADS_MAX : n;
#else
    return 1;
#endif
}

/* Points first .. last-1 (whole boxes) into *a, in index order. */
static void run_chunk(const mue_cpu_ctx *c, const mue_vegas_grid *g, uint32_t iter, uint64_t first,
                      uint64_t last, const mue_hist_spec *hs, mue_acc *a)
{
    double u[MUE_VEGAS_MAXDIM], x[MUE_VEGAS_MAXDIM];
    int bin[MUE_VEGAS_MAXDIM];
    double s1 = 0.0, s2 = 0.0; /* sums of f over the current box (zeros included) */
    const double k = g->per_box;
    uint32_t box[MUE_VEGAS_MAXDIM];
    double ub[RNG_BATCH][MUE_VEGAS_MAXDIM];
    for (uint64_t i = first; i < last; i++) {
        /* the generator runs ahead for a batch of points: its rounds then overlap
         * from point to point instead of waiting behind the integrand's long chain
         * of dependent divisions, roots and exponentials */
        uint64_t j = (i - first) % RNG_BATCH;
        if (j == 0)
            for (uint64_t m = 0; m < RNG_BATCH && i + m < last; m++)
                mue_rng_uniforms(c->seed, iter, i + m, g->ndim, ub[m]);
        memcpy(u, ub[j], sizeof u);
        if (g->nstrat > 1) {
            if (i == first || i % g->per_box == 0) /* a new box: chunks start on one */
                mue_vegas_box(g, i, box);
            mue_vegas_stratify_box(g, box, u);
        }
        double jac = mue_vegas_map(g, u, x, bin);
        mue_obs o;
        double w = c->f(c->fctx, x, hs, &o);
        double f = w == 0.0 ? 0.0 : w * jac;
        mue_acc_point(a, g->ndim, bin, f, &o, hs);
        if (g->nstrat > 1) {
            if (isfinite(f)) {
                s1 += f;
                s2 += f * f;
            }
            if ((i + 1) % g->per_box == 0) {
                a->var_sum += fmax((s2 - s1 * s1 / k) / (k - 1.0), 0.0);
                s1 = s2 = 0.0;
            }
        }
    }
}

int mue_cpu_eval(const mue_cpu_ctx *c, const mue_vegas_grid *g, uint32_t iter, const mue_range *r,
                 int nr, const mue_hist_spec *hs, mue_acc *out)
{
    /* chunks hold whole boxes, so each box's variance is formed inside one chunk; the
     * chunks of range k are tasks start[k] .. start[k+1]-1, counted from its first point */
    uint64_t chunk = MUE_CPU_CHUNK;
    if (g->nstrat > 1)
        chunk = g->per_box * (MUE_CPU_CHUNK > g->per_box ? MUE_CPU_CHUNK / g->per_box : 1);
    uint64_t *start = malloc(sizeof(uint64_t) * (nr + 1));
    int nt = c->threads > 0 ? c->threads : mue_cpu_max_threads();
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
        start[k + 1] = start[k] + (r[k].count + chunk - 1) / chunk;
    const uint64_t ntasks = start[nr];
    for (uint64_t b0 = 0; b0 < ntasks; b0 += batch) {
        int nb = (int)(ntasks - b0 < (uint64_t)batch ? ntasks - b0 : (uint64_t)batch);
#pragma omp parallel for schedule(dynamic, 1) num_threads(nt)
        for (int j = 0; j < nb; j++) {
            const uint64_t t = b0 + j;
            int k = 0;
            while (start[k + 1] <= t)
                k++;
            const uint64_t end = r[k].first + r[k].count;
            const uint64_t first = r[k].first + (t - start[k]) * chunk;
            const uint64_t last = first + chunk < end ? first + chunk : end;
            mue_acc_clear(&slot[j], g, hs);
            run_chunk(c, g, iter, first, last, hs, &slot[j]);
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
    b->st.threads = o->threads > 0 ? o->threads : mue_cpu_max_threads();
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

const mue_backend mue_backend_cpu = {"cpu",    1,         cpu_usable, cpu_create, cpu_destroy,
                                     cpu_eval, cpu_error, cpu_stats};
