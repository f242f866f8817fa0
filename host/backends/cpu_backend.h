/* The CPU backend: every core (OpenMP); each range cut into chunks of whole boxes that
 * threads evaluate in any order and that are merged in index order, so a seed gives
 * the same bits for any thread count. Also usable with any integrand (the tests'
 * analytic ones) through mue_cpu_ctx. */
#ifndef MUE_CPU_BACKEND_H
#define MUE_CPU_BACKEND_H

#include "backends/backend.h"
#include "util/threads.h"
#include "vegas/vegas.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Weight at x in (0,1)^ndim; with hs, the values of its observables in *o. */
typedef double (*mue_point_fn)(const void *fctx, const double *x, const mue_hist_spec *hs,
                               mue_obs *o);

typedef struct {
    mue_point_fn f;
    const void *fctx;
    uint64_t seed;
    int threads; /* 0: all cores */
} mue_cpu_ctx;


/* The backend's eval for the integrand of c (backend.h). 0, or -1 out of memory. */
int mue_cpu_eval(const mue_cpu_ctx *c, const mue_vegas_grid *g, uint32_t iter, const mue_range *r,
                 int nr, const mue_hist_spec *hs, mue_acc *out);

/* A mue_vegas_iteration_fn (ctx: a mue_cpu_ctx): the iteration's slices
 * (iteration.h), evaluated and merged in order. */
int mue_cpu_iteration(void *ctx, const mue_vegas_grid *g, uint32_t iter, uint64_t npoints,
                      const mue_hist_spec *hs, mue_acc *out);

/* The physics integrand (fctx: a mue_setup). */
double mue_cpu_physics_point(const void *setup, const double *x, const mue_hist_spec *hs, mue_obs *o);

#ifdef __cplusplus
}
#endif

#endif
