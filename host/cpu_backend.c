#include "cpu_backend.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "mue/process.h"
#include "mue/rng.h"

#define BATCH_CHUNKS 64
#define RNG_BATCH 16

double mue_cpu_physics_point(const void *setup, const double *x, mue_obs *o)
{
    return mue_integrand((const mue_setup *)setup, x, o);
}

int mue_cpu_max_threads(void)
{
#ifdef _OPENMP
    return omp_get_max_threads();
#else
    return 1;
#endif
}

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
        double w = c->f(c->fctx, x, hs ? &o : NULL);
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

int mue_cpu_iteration(void *ctx, const mue_vegas_grid *g, uint32_t iter, uint64_t npoints,
                      const mue_hist_spec *hs, mue_acc *out)
{
    const mue_cpu_ctx *c = ctx;
    /* chunks hold whole boxes, so each box's variance is formed inside one chunk */
    uint64_t chunk = MUE_CPU_CHUNK;
    if (g->nstrat > 1)
        chunk = g->per_box * (MUE_CPU_CHUNK > g->per_box ? MUE_CPU_CHUNK / g->per_box : 1);
    uint64_t nchunks = (npoints + chunk - 1) / chunk;
    int nt = c->threads > 0 ? c->threads : mue_cpu_max_threads();
    /* chunks are merged in index order whatever the batch, so the batch may grow with
     * the thread count (to keep many cores busy between merges) without changing bits */
    int batch = BATCH_CHUNKS > 8 * nt ? BATCH_CHUNKS : 8 * nt;
    mue_acc *slot = malloc(sizeof(mue_acc) * batch);
    if (!slot)
        return -1;
    for (uint64_t b0 = 0; b0 < nchunks; b0 += batch) {
        int nb = (int)(nchunks - b0 < (uint64_t)batch ? nchunks - b0 : (uint64_t)batch);
#pragma omp parallel for schedule(dynamic, 1) num_threads(nt)
        for (int j = 0; j < nb; j++) {
            uint64_t first = (b0 + j) * chunk;
            uint64_t last = first + chunk < npoints ? first + chunk : npoints;
            memset(&slot[j], 0, sizeof slot[j]);
            run_chunk(c, g, iter, first, last, hs, &slot[j]);
        }
        for (int j = 0; j < nb; j++)
            mue_acc_merge(out, &slot[j], g, hs);
    }
    free(slot);
    return 0;
}
