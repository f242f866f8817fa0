/* Backends evaluate the points of a VEGAS iteration: the CPU (all cores, OpenMP) and a
 * CUDA GPU, chosen through one table. A backend takes ranges of point indices of an
 * iteration and returns one accumulator per range, summed in an order that the range
 * and the backend's kind fix (the CPU's: the range alone; a GPU's: the range and the GPU
 * model), never the thread count, the other ranges or who else evaluates what. So an
 * iteration cut into ranges, evaluated anywhere and merged in range order, has the
 * same bits however the ranges were spread (iteration.h does that on one backend; a
 * distributed caller can spread them over processes with the same kind of device). */
#ifndef MUE_BACKEND_H
#define MUE_BACKEND_H

#include <stddef.h>
#include <stdint.h>

#include "backends/gen_batch.h"
#include "mue/accum.h"
#include "mue/process.h"
#include "vegas/iteration.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    uint64_t seed;
    int threads;   /* CPU threads; 0: all cores */
    int grid_bins; /* the most grid bins per axis an iteration will use */
    int hist_bins; /* the most histogram bins (0: no histograms) */
} mue_backend_opts;

/* Where the time went: the same fields for every backend. */
typedef struct {
    char device[128];     /* what evaluated: "cpu", or the GPU's name */
    int threads;          /* CPU threads (cpu) */
    double setup_seconds; /* create: device context, allocations */
    double eval_seconds;  /* evaluating points: wall time on the CPU, kernel time on a GPU */
    double call_seconds;  /* wall time inside eval, all calls: eval_seconds + copies, launches */
    long long calls;      /* eval calls */
} mue_backend_stats;

typedef struct mue_backend {
    const char *name; /* "cpu", "gpu": the --device value */
    int built;        /* 0: this build leaves the backend out (a GPU one without nvcc) */
    /* 1 if this build and machine can run it; else 0 with a one-line reason in why */
    int (*usable)(char *why, size_t len);
    /* a backend for process S; NULL with a one-line reason in why */
    void *(*create)(const mue_setup *S, const mue_backend_opts *o, char *why, size_t len);
    void (*destroy)(void *ctx);
    /* The nr ranges of iteration iter through grid g: out[k] gets the sums of range r[k]
     * in the order the range fixes (out[k] cleared by the caller, mue_acc_clear), and
     * g->box_var, where not null, the variance of each box of the ranges; hs != 0
     * fills its histograms. Returns 0, or nonzero with the reason in error(ctx). */
    int (*eval)(void *ctx, const mue_vegas_grid *g, uint32_t iter, const mue_range *r, int nr,
                const mue_hist_spec *hs, mue_acc *out);
    const char *(*error)(const void *ctx);
    mue_backend_stats (*stats)(const void *ctx);
    /* A batch of an event run (mue generate): every point of iteration iter through g
     * (its whole layout), hit or miss as o says; the kept points, in index order, and
     * the batch's sums into out (reset by the caller). The same points and events on
     * any thread count. 0, or nonzero with the reason in error(ctx). */
    int (*gen)(void *ctx, const mue_vegas_grid *g, uint32_t iter, const mue_gen_opts *o,
               mue_gen_batch *out);
} mue_backend;

extern const mue_backend mue_backend_cpu;
/* CUDA (kernels/gpu_backend.cu); in a build without nvcc, host/gpu_none.c, which says so */
extern const mue_backend mue_backend_gpu;

/* Every backend, in the order --device auto tries them; NULL-terminated. */
extern const mue_backend *const mue_backends[];
/* The backend called name (NULL if none). */
const mue_backend *mue_backend_find(const char *name);
/* The first usable backend of the table (the CPU always is). */
const mue_backend *mue_backend_auto(void);
/* What evaluates an iteration's slices on backend be with context ctx. */
mue_evaluator mue_backend_evaluator(const mue_backend *be, void *ctx);

#ifdef __cplusplus
}
#endif

#endif
