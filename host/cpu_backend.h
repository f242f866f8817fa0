/* The CPU reference backend: every core (OpenMP), points in fixed chunks merged in
 * index order, so a seed gives the same bits for any thread count. */
#ifndef MUE_CPU_BACKEND_H
#define MUE_CPU_BACKEND_H

#include "vegas.h"

/* Weight after cuts at x in (0,1)^ndim, observables in *o when nonzero. */
typedef double (*mue_point_fn)(const void *fctx, const double *x, mue_obs *o);

typedef struct {
    mue_point_fn f;
    const void *fctx;
    uint64_t seed;
    int threads; /* 0: all cores */
} mue_cpu_ctx;

#define MUE_CPU_CHUNK 4096

int mue_cpu_iteration(void *ctx, const mue_vegas_grid *g, uint32_t iter, uint64_t npoints,
                      const mue_hist_spec *hs, mue_acc *out);

/* The physics integrand (fctx: a mue_setup). */
double mue_cpu_physics_point(const void *setup, const double *x, mue_obs *o);

int mue_cpu_max_threads(void);

#endif
