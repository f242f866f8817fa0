// The CUDA backend: one VEGAS iteration per call (host/gpu_backend.h).
//
// Points. Point i of iteration `iter` draws its uniforms with cuRAND's Philox device
// API, curand_init(seed, subsequence = mue_rng_subsequence(iter, i), 0) followed by
// curand_uniform2_double pairs: the numbers mue_rng_uniforms (include/mue/rng.h) makes
// on the host. They are moved into the point's stratification box
// (mue_vegas_stratify_nd), go through the current grid (mue_vegas_map_nd) into the
// physics (mue_process_integrand): the very headers the CPU backend runs; f = w * jac
// as there. The kernels are instantiated per process, its id and dimension template
// constants, so that the compiler drops the other processes and keeps the event and
// the per-axis arrays in registers (on an H200 that made the signal kernel 19 %
// faster than one kernel for all processes).
//
// Work split (fixed for a given device, problem shape and point count, so the sums
// are added in the same order on every run):
//   threads per block  32 * W, W = 8 warps unless the shared memory below does not
//                      fit the device's per-block opt-in limit (then fewer);
//   chunks             32 consecutive points, or with strata 32 whole boxes
//                      (32 * per_box points); chunk c goes to global warp
//                      c mod (total warps), in rounds of 32 points, lane l the l-th;
//   blocks             min(SMs * resident blocks per SM (occupancy API),
//                      ceil(chunks / W)).
// No per-point arrays: memory does not depend on the number of points.
//
// Sums. sum f, sum f^2, the box variances and the two counts live in registers (each
// thread adds its own points, or boxes, in order). The binned sums (per-axis grid bins
// of f^2, and with histograms the histogram bins of f and f^2) go to a per-warp copy in
// shared memory: after each round the lanes with a finite nonzero f stage their bins
// and f, then the warp walks those lanes in increasing lane order; lane d < ndim adds
// to row d of the grid sums, lanes 8..11 to histogram q's sum f, lanes 12..15 to its
// sum f^2. Each row belongs to one lane, so there is no race and the order of the
// additions is fixed. A box's variance is formed as on the CPU (its points' sums in
// index order) by the lane holding the box's first point of the round, lane 0 going
// on with a box that spans rounds. At the end: register sums by a fixed shuffle tree,
// then warp by warp; binned sums warp copy by warp copy in warp order; one row per
// block goes to a global buffer [blocks][3 + binned], and a second kernel adds the
// blocks in block order. No floating-point atomics anywhere. NaN/Inf weights are
// counted, never summed (mue_acc_point's semantics).
//
// Shared memory per block: the grid (sizeof(mue_vegas_grid) = 16464 B) plus per warp
// 8 * binned (its copy) + 32 * 8 (staged f) + 32 * 12 * 4 (staged bins) + 5 * 8 (warp
// sums) bytes; binned = ndim * nbins (+ 8 * histogram bins in production iterations).
// Default zprime run (ndim 4, 64 bins, 100 histogram bins): 8 warps, 98 704 B; warm-up
// (no histograms): 8 warps, 47 504 B; the largest shape (8 axes x 256 bins, 200
// histogram bins): 6 warps on sm_90 (227 KB opt-in), 4 on sm_80 (163 KB).
//
// Measured on a GPU by tools/gpu_check.sh (parity, sanitizers, benchmark, register
// variants, Nsight Compute); results in bench/results/gpu-<device>.json.
#include <cuda_runtime.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gpu_backend.h"
#include "gpu_kernels.cuh"

// ---------------------------------------------------------------------------------
// Host side

namespace {

struct launch_cfg {
    bool valid;
    int nbins, hb; // the shape it was made for (hb < 0: no histograms)
    int nwarps, nbinned, blocks_per_sm;
    size_t shmem;
};

double now_s()
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

// The kernels are made per process (its id and dimension compile-time constants):
// these pick the one for a run.
const void *iter_kernel(mue_process_id id, bool hist)
{
    if (id == MUE_PROC_ZPRIME)
        return hist ? (const void *)mue_iter_kernel<true, MUE_PROC_ZPRIME>
                    : (const void *)mue_iter_kernel<false, MUE_PROC_ZPRIME>;
    if (id == MUE_PROC_ELASTIC)
        return hist ? (const void *)mue_iter_kernel<true, MUE_PROC_ELASTIC>
                    : (const void *)mue_iter_kernel<false, MUE_PROC_ELASTIC>;
    return NULL;
}

const void *points_kernel(mue_process_id id)
{
    if (id == MUE_PROC_ZPRIME)
        return (const void *)mue_points_kernel<MUE_PROC_ZPRIME>;
    if (id == MUE_PROC_ELASTIC)
        return (const void *)mue_points_kernel<MUE_PROC_ELASTIC>;
    return NULL;
}

} // namespace

struct mue_gpu_ctx {
    mue_setup S;
    uint64_t seed;
    int dev, nsm, smem_optin;
    char name[256];
    char err[512];
    launch_cfg cfg[2]; // [hist]
    mue_vegas_grid *d_grid;
    double *d_part;            // [blocks][MUE_GPU_HEAD + nbinned]
    unsigned long long *d_cnt; // [blocks][2]
    double *d_res;             // [MUE_GPU_HEAD + nbinned] then 2 counts
    size_t part_cap, cnt_cap, res_cap; // in elements
    double *h_res;
    cudaEvent_t ev0, ev1;
    bool events;
    mue_gpu_stats st;
};

#define MUE_GPU_TRY(g, call, what)                                                                 \
    do {                                                                                           \
        cudaError_t e_ = (call);                                                                   \
        if (e_ != cudaSuccess) {                                                                   \
            snprintf((g)->err, sizeof (g)->err, "GPU: %s failed: %s", (what),                      \
                     cudaGetErrorString(e_));                                                      \
            return -1;                                                                             \
        }                                                                                          \
    } while (0)

extern "C" int mue_gpu_device_count(char *why, size_t len)
{
    // asked once per process (scans validate every point)
    static int known = 0, count = 0;
    static char reason[256];
    if (!known) {
        int n = 0;
        cudaError_t e = cudaGetDeviceCount(&n);
        if (e == cudaErrorInsufficientDriver) {
            snprintf(reason, sizeof reason,
                     "no usable CUDA device: no NVIDIA driver, or one older than CUDA %d.%d "
                     "(cudaGetDeviceCount: %s)",
                     CUDART_VERSION / 1000, CUDART_VERSION % 1000 / 10, cudaGetErrorString(e));
            cudaGetLastError();
            n = 0;
        } else if (e != cudaSuccess) {
            snprintf(reason, sizeof reason, "no usable CUDA device (cudaGetDeviceCount: %s)",
                     cudaGetErrorString(e));
            cudaGetLastError(); // not sticky: clear it
            n = 0;
        } else if (n == 0) {
            snprintf(reason, sizeof reason, "no CUDA device found");
        }
        count = n;
        known = 1;
    }
    if (count == 0 && why && len)
        snprintf(why, len, "%s", reason);
    return count;
}

extern "C" const char *mue_gpu_error(const mue_gpu_ctx *g) { return g ? g->err : ""; }
extern "C" const char *mue_gpu_device_name(const mue_gpu_ctx *g) { return g->name; }
extern "C" int mue_gpu_sm_count(const mue_gpu_ctx *g) { return g->nsm; }
extern "C" mue_gpu_stats mue_gpu_get_stats(const mue_gpu_ctx *g) { return g->st; }

// Launch configuration for one shape: the most warps (<= 8) whose shared memory fits
// the device, and how many such blocks an SM holds. Depends on the device and the
// shape only, never on timing.
static int make_cfg(mue_gpu_ctx *g, bool hist, int nbins, int hb, launch_cfg *c)
{
    memset(c, 0, sizeof *c);
    c->nbins = nbins;
    c->hb = hist ? hb : -1;
    c->nbinned = g->S.ndim * nbins + (hist ? 2 * MUE_NOBS * hb : 0);
    c->nwarps = 0;
    for (int w = MUE_GPU_MAX_WARPS; w >= 1; w--) {
        mue_gpu_smem lay = {w, c->nbinned};
        if (lay.bytes() <= (size_t)g->smem_optin) {
            c->nwarps = w;
            c->shmem = lay.bytes();
            break;
        }
    }
    if (c->nwarps == 0) {
        snprintf(g->err, sizeof g->err,
                 "GPU: %d grid bins x %d axes%s need more shared memory than the device's %d bytes",
                 nbins, g->S.ndim, hist ? " plus the histograms" : "", g->smem_optin);
        return -1;
    }
    const void *fn = iter_kernel(g->S.id, hist);
    MUE_GPU_TRY(g, cudaFuncSetAttribute(fn, cudaFuncAttributeMaxDynamicSharedMemorySize, (int)c->shmem),
                "cudaFuncSetAttribute(max dynamic shared memory)");
    MUE_GPU_TRY(g,
                cudaOccupancyMaxActiveBlocksPerMultiprocessor(&c->blocks_per_sm, fn, 32 * c->nwarps,
                                                              c->shmem),
                "cudaOccupancyMaxActiveBlocksPerMultiprocessor");
    if (c->blocks_per_sm < 1) {
        snprintf(g->err, sizeof g->err,
                 "GPU: the iteration kernel does not fit on an SM (%d threads, %zu bytes shared)",
                 32 * c->nwarps, c->shmem);
        return -1;
    }
    c->valid = true;
    return 0;
}

// Device buffers at least this large (elements); grown, never per point.
static int reserve(mue_gpu_ctx *g, size_t part, size_t cnt, size_t res)
{
    if (part > g->part_cap) {
        cudaFree(g->d_part);
        g->d_part = NULL;
        g->part_cap = 0;
        MUE_GPU_TRY(g, cudaMalloc((void **)&g->d_part, part * sizeof(double)), "cudaMalloc(partial sums)");
        g->part_cap = part;
    }
    if (cnt > g->cnt_cap) {
        cudaFree(g->d_cnt);
        g->d_cnt = NULL;
        g->cnt_cap = 0;
        MUE_GPU_TRY(g, cudaMalloc((void **)&g->d_cnt, cnt * sizeof(unsigned long long)),
                    "cudaMalloc(partial counts)");
        g->cnt_cap = cnt;
    }
    if (res > g->res_cap) {
        cudaFree(g->d_res);
        g->d_res = NULL;
        free(g->h_res);
        g->h_res = (double *)malloc(res * sizeof(double));
        g->res_cap = 0;
        if (!g->h_res) {
            snprintf(g->err, sizeof g->err, "GPU: out of host memory");
            return -1;
        }
        MUE_GPU_TRY(g, cudaMalloc((void **)&g->d_res, res * sizeof(double)), "cudaMalloc(sums)");
        g->res_cap = res;
    }
    return 0;
}

static const launch_cfg *get_cfg(mue_gpu_ctx *g, bool hist, int nbins, int hb)
{
    launch_cfg *c = &g->cfg[hist];
    if (!c->valid || c->nbins != nbins || c->hb != (hist ? hb : -1))
        if (make_cfg(g, hist, nbins, hb, c)) {
            c->valid = false;
            return NULL;
        }
    size_t blocks = (size_t)g->nsm * c->blocks_per_sm;
    if (reserve(g, blocks * (MUE_GPU_HEAD + c->nbinned), blocks * 2, MUE_GPU_HEAD + c->nbinned + 2))
        return NULL;
    return c;
}

extern "C" void mue_gpu_destroy(mue_gpu_ctx *g)
{
    if (!g)
        return;
    cudaFree(g->d_grid);
    cudaFree(g->d_part);
    cudaFree(g->d_cnt);
    cudaFree(g->d_res);
    if (g->events) {
        cudaEventDestroy(g->ev0);
        cudaEventDestroy(g->ev1);
    }
    free(g->h_res);
    free(g);
}

static int create(mue_gpu_ctx *g, int nbins, int hist_nbins)
{
    MUE_GPU_TRY(g, cudaGetDevice(&g->dev), "cudaGetDevice");
    cudaDeviceProp p;
    MUE_GPU_TRY(g, cudaGetDeviceProperties(&p, g->dev), "cudaGetDeviceProperties");
    snprintf(g->name, sizeof g->name, "%s", p.name);
    g->nsm = p.multiProcessorCount;
    MUE_GPU_TRY(g, cudaDeviceGetAttribute(&g->smem_optin, cudaDevAttrMaxSharedMemoryPerBlockOptin, g->dev),
                "cudaDeviceGetAttribute(shared memory per block)");
    // fails here, before any integration, when the binary has no code for this GPU
    cudaFuncAttributes fa;
    MUE_GPU_TRY(g, cudaFuncGetAttributes(&fa, iter_kernel(g->S.id, false)),
                "loading the kernels for this GPU");
    MUE_GPU_TRY(g, cudaMalloc((void **)&g->d_grid, sizeof(mue_vegas_grid)), "cudaMalloc(grid)");
    MUE_GPU_TRY(g, cudaEventCreate(&g->ev0), "cudaEventCreate");
    MUE_GPU_TRY(g, cudaEventCreate(&g->ev1), "cudaEventCreate");
    g->events = true;
    if (nbins >= 1 && !get_cfg(g, false, nbins, 0))
        return -1;
    if (nbins >= 1 && hist_nbins > 0 && !get_cfg(g, true, nbins, hist_nbins))
        return -1;
    return 0;
}

extern "C" mue_gpu_ctx *mue_gpu_create(const mue_setup *S, uint64_t seed, int nbins, int hist_nbins,
                                       char *why, size_t len)
{
    double t0 = now_s();
    if (!iter_kernel(S->id, false) || S->ndim != mue_process_ndim(S->id) ||
        nbins > MUE_VEGAS_MAXBINS || hist_nbins > MUE_HIST_MAXBINS) {
        snprintf(why, len, "GPU: unsupported shape (%d axes, %d bins, %d histogram bins)", S->ndim,
                 nbins, hist_nbins);
        return NULL;
    }
    char reason[256];
    if (mue_gpu_device_count(reason, sizeof reason) < 1) {
        snprintf(why, len, "GPU: %s", reason);
        return NULL;
    }
    mue_gpu_ctx *g = (mue_gpu_ctx *)calloc(1, sizeof *g);
    if (!g) {
        snprintf(why, len, "GPU: out of host memory");
        return NULL;
    }
    g->S = *S;
    g->seed = seed;
    if (create(g, nbins, hist_nbins)) {
        snprintf(why, len, "%s", g->err);
        mue_gpu_destroy(g);
        return NULL;
    }
    g->st.setup_seconds = now_s() - t0;
    return g;
}

extern "C" int mue_gpu_iteration(void *ctx, const mue_vegas_grid *grid, uint32_t iter,
                                 uint64_t npoints, const mue_hist_spec *hs, mue_acc *out)
{
    mue_gpu_ctx *g = (mue_gpu_ctx *)ctx;
    double t0 = now_s();
    const bool hist = hs != NULL;
    if (grid->ndim != g->S.ndim || grid->nbins < 1 || grid->nbins > MUE_VEGAS_MAXBINS ||
        (hist && (hs->nbins < 1 || hs->nbins > MUE_HIST_MAXBINS)) ||
        (grid->nstrat > 1 && grid->per_box < 1)) {
        snprintf(g->err, sizeof g->err, "GPU: grid or histograms do not match the process");
        return -1;
    }
    if (npoints == 0)
        return 0;
    const launch_cfg *c = get_cfg(g, hist, grid->nbins, hist ? hs->nbins : 0);
    if (!c)
        return -1;
    // blocks: as many as the SMs hold, fewer when there are not enough chunks of work
    const int blocks = mue_gpu_blocks(npoints, grid, c->nwarps, (uint64_t)g->nsm * c->blocks_per_sm);
    const int len = MUE_GPU_HEAD + c->nbinned;

    // the grid rows in use, up
    const size_t grid_bytes = offsetof(mue_vegas_grid, edge) + sizeof(grid->edge[0]) * grid->ndim;
    double tc = now_s();
    MUE_GPU_TRY(g, cudaMemcpy(g->d_grid, grid, grid_bytes, cudaMemcpyHostToDevice), "copying the grid");
    double copy = now_s() - tc;

    mue_hist_spec hz;
    memset(&hz, 0, sizeof hz);
    const mue_hist_spec &h = hist ? *hs : hz;
    unsigned long long seed = g->seed;
    int nbinned = c->nbinned;
    void *args[] = {&g->S, &g->d_grid, (void *)&h, &seed, &iter, &npoints, &nbinned, &g->d_part, &g->d_cnt};
    MUE_GPU_TRY(g, cudaEventRecord(g->ev0), "cudaEventRecord");
    MUE_GPU_TRY(g,
                cudaLaunchKernel(iter_kernel(g->S.id, hist), dim3(blocks), dim3(32 * c->nwarps), args,
                                 c->shmem, 0),
                "launching the iteration kernel");
    mue_reduce_kernel<<<(len + 255) / 256, 256>>>(g->d_part, g->d_cnt, blocks, len, g->d_res);
    MUE_GPU_TRY(g, cudaGetLastError(), "launching the reduction kernel");
    MUE_GPU_TRY(g, cudaEventRecord(g->ev1), "cudaEventRecord");
    MUE_GPU_TRY(g, cudaEventSynchronize(g->ev1), "the iteration kernels");
    float ms = 0.0f;
    MUE_GPU_TRY(g, cudaEventElapsedTime(&ms, g->ev0, g->ev1), "cudaEventElapsedTime");

    // the sums, down
    tc = now_s();
    MUE_GPU_TRY(g, cudaMemcpy(g->h_res, g->d_res, (size_t)(len + 2) * sizeof(double), cudaMemcpyDeviceToHost),
                "copying the sums back");
    copy += now_s() - tc;

    mue_gpu_unpack(g->h_res, len, grid, hs, out);

    g->st.kernel_seconds += 1e-3 * ms;
    g->st.copy_seconds += copy;
    g->st.calls++;
    g->st.blocks = blocks;
    g->st.threads_per_block = 32 * c->nwarps;
    g->st.warps_per_block = c->nwarps;
    g->st.shared_bytes = c->shmem;
    g->st.call_seconds += now_s() - t0;
    return 0;
}

extern "C" int mue_gpu_point_weights(mue_gpu_ctx *g, const mue_vegas_grid *grid, uint32_t iter,
                                     uint64_t first, uint64_t n, double *f, double *u)
{
    if (grid->ndim != g->S.ndim) {
        snprintf(g->err, sizeof g->err, "GPU: grid does not match the process");
        return -1;
    }
    if (n == 0)
        return 0;
    double *d_f = NULL, *d_u = NULL;
    int rc = -1;
    cudaError_t e;
    const char *what = "cudaMalloc(point weights)";
    if ((e = cudaMalloc((void **)&d_f, n * sizeof(double))) != cudaSuccess)
        goto done;
    if (u && (e = cudaMalloc((void **)&d_u, n * grid->ndim * sizeof(double))) != cudaSuccess)
        goto done;
    what = "copying the grid";
    if ((e = cudaMemcpy(g->d_grid, grid, sizeof *grid, cudaMemcpyHostToDevice)) != cudaSuccess)
        goto done;
    {
        unsigned long long seed = g->seed;
        void *args[] = {&g->S, &g->d_grid, &seed, &iter, &first, &n, &d_f, &d_u};
        what = "launching the point kernel";
        e = cudaLaunchKernel(points_kernel(g->S.id), dim3((unsigned)((n + 127) / 128)), dim3(128), args,
                             0, 0);
        if (e != cudaSuccess)
            goto done;
    }
    what = "copying the point weights back";
    if ((e = cudaMemcpy(f, d_f, n * sizeof(double), cudaMemcpyDeviceToHost)) != cudaSuccess)
        goto done;
    if (u && (e = cudaMemcpy(u, d_u, n * grid->ndim * sizeof(double), cudaMemcpyDeviceToHost)) !=
                 cudaSuccess)
        goto done;
    rc = 0;
done:
    if (rc)
        snprintf(g->err, sizeof g->err, "GPU: %s failed: %s", what, cudaGetErrorString(e));
    cudaFree(d_f);
    cudaFree(d_u);
    return rc;
}
