/* The CUDA backend (kernels/gpu_backend.cu, built only when nvcc exists): the GPU
 * entry of the backend table (backend.h), and what the GPU tests and benchmark reach
 * beyond it. Points drawn with cuRAND's Philox exactly as mue_rng_uniforms draws them
 * on the host, the same physics headers, and per range a reduction in a fixed order
 * (no floating-point atomics), so a range's sums have the same bits on any GPU of the
 * same code and run after run. Plain C interface; every function reports CUDA errors
 * as one line. */
#ifndef MUE_GPU_BACKEND_H
#define MUE_GPU_BACKEND_H

#include <stddef.h>
#include <stdint.h>

#include "backends/backend.h"
#include "mue/process.h"
#include "vegas/vegas.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct mue_gpu_ctx mue_gpu_ctx;

/* Number of usable CUDA devices; 0 with the reason in why (no driver, no device). */
int mue_gpu_device_count(char *why, size_t len);

/* Sets up device 0 for one process: copies S, allocates the partial sums (their size
 * depends on ndim, nbins and the histogram bins, never on the number of points).
 * hist_nbins: the most histogram bins an iteration will ask for (0: none).
 * NULL on failure, with a one-line reason in why. */
mue_gpu_ctx *mue_gpu_create(const mue_setup *S, uint64_t seed, int nbins, int hist_nbins, char *why,
                            size_t len);
void mue_gpu_destroy(mue_gpu_ctx *g);

/* The backend's eval (backend.h): ranges r[0..nr-1] of iteration iter into out[k].
 * Returns nonzero on a CUDA error; mue_gpu_error() then says what failed. */
int mue_gpu_eval(mue_gpu_ctx *g, const mue_vegas_grid *grid, uint32_t iter, const mue_range *r,
                 int nr, const mue_hist_spec *hs, mue_acc *out);

/* A batch of an event run (backend.h, gen; kernels/gpu_generate.cuh): every point on
 * the device, the kept ones (in index order) and the batch's sums back. 0, or nonzero
 * with the reason in mue_gpu_error(). */
int mue_gpu_generate(mue_gpu_ctx *g, const mue_vegas_grid *grid, uint32_t iter, const mue_gen_opts *o,
                     mue_gen_batch *out);

const char *mue_gpu_error(const mue_gpu_ctx *g);
const char *mue_gpu_device_name(const mue_gpu_ctx *g);
int mue_gpu_sm_count(const mue_gpu_ctx *g);

typedef struct {
    double setup_seconds;  /* mue_gpu_create: context, copies, allocations */
    double kernel_seconds; /* both kernels of every call (CUDA events) */
    double call_seconds;   /* wall time inside mue_gpu_eval, all calls */
    double copy_seconds;   /* grid up + sums down, inside the calls */
    long long calls;       /* eval calls */
    /* launch configuration of the last call */
    int blocks, threads_per_block, warps_per_block;
    size_t shared_bytes;
} mue_gpu_stats;

mue_gpu_stats mue_gpu_get_stats(const mue_gpu_ctx *g);

/* Test hook: the weights f = w * jac (what the accumulator sees; 0 outside the cuts)
 * of points first .. first+n-1 of iteration iter through grid, one per point, and
 * when u is not NULL their ndim uniforms (u[i * ndim + d]). Runs the same device
 * function as the iteration kernel. 0 on success. */
int mue_gpu_point_weights(mue_gpu_ctx *g, const mue_vegas_grid *grid, uint32_t iter,
                          uint64_t first, uint64_t n, double *f, double *u);

#ifdef __cplusplus
}
#endif

#endif
