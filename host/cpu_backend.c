#include "cpu_backend.h"

#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "mue/process.h"
#include "mue/rng.h"

#define BATCH_CHUNKS 64

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
    for (uint64_t i = first; i < last; i++) {
        mue_rng_uniforms(c->seed, iter, i, g->ndim, u);
        double jac = mue_vegas_map(g, u, x, bin);
        mue_obs o;
        double w = c->f(c->fctx, x, hs ? &o : NULL);
        mue_acc_point(a, g->ndim, bin, w == 0.0 ? 0.0 : w * jac, &o, hs);
    }
}

int mue_cpu_iteration(void *ctx, const mue_vegas_grid *g, uint32_t iter, uint64_t npoints,
                      const mue_hist_spec *hs, mue_acc *out)
{
    const mue_cpu_ctx *c = ctx;
    uint64_t nchunks = (npoints + MUE_CPU_CHUNK - 1) / MUE_CPU_CHUNK;
    mue_acc *slot = malloc(sizeof(mue_acc) * BATCH_CHUNKS);
    if (!slot)
        return -1;
    int nt = c->threads > 0 ? c->threads : mue_cpu_max_threads();
    (void)nt;
    for (uint64_t b0 = 0; b0 < nchunks; b0 += BATCH_CHUNKS) {
        int nb = (int)(nchunks - b0 < BATCH_CHUNKS ? nchunks - b0 : BATCH_CHUNKS);
#pragma omp parallel for schedule(dynamic, 1) num_threads(nt)
        for (int j = 0; j < nb; j++) {
            uint64_t first = (b0 + j) * MUE_CPU_CHUNK;
            uint64_t last = first + MUE_CPU_CHUNK < npoints ? first + MUE_CPU_CHUNK : npoints;
            memset(&slot[j], 0, sizeof slot[j]);
            run_chunk(c, g, iter, first, last, hs, &slot[j]);
        }
        for (int j = 0; j < nb; j++)
            mue_acc_merge(out, &slot[j], g, hs);
    }
    free(slot);
    return 0;
}
