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
// Work split (fixed by the range and the GPU model, so a range's sums are added in the
// same order on every run, in any launch, whoever evaluates it; backend.h):
//   ranges             the slices of an iteration (host/iteration.h), at most
//                      MUE_GPU_RANGES_PER_LAUNCH per launch;
//   blocks             per range, what the GPU holds at once (SMs * resident blocks
//                      per SM, occupancy API): one wave, whatever the range's size;
//   threads per block  32 * W, W = 8 warps unless the shared memory below does not
//                      fit the device's per-block opt-in limit (then fewer, and other
//                      bits on that device);
//   chunks             32 consecutive points of a range, or with strata 32 whole boxes;
//                      chunk c goes to the range's warp
//                      c mod (its warps), in rounds of 32 points, lane l the l-th.
// No per-point arrays: memory does not depend on the number of points.
//
// Sums. sum f, sum f^2, the box variances and the two counts live in registers (each
// thread adds its own points, or boxes, in order). The binned sums (per-axis grid bins
// of f^2, and with histograms the histogram bins of f and f^2) go to a per-warp copy in
// shared memory: after each round the lanes with a finite nonzero f stage their bins
// and f, then the warp walks those lanes in increasing lane order; lane d < ndim adds
// to row d of the grid sums, lanes 8 + q to histogram q's sum f, lanes 16 + q to its
// sum f^2 (q < the process's observables, at most MUE_MAX_OBS = 8). Each row belongs to
// one lane, so there is no race and the order of the additions is fixed. A box's
// variance is formed as on the CPU (its points' sums in index order) by the lane
// holding the box's first point of the round, lane 0 going on with a box that spans
// rounds. At the end: register sums by a fixed shuffle tree, then warp by warp; binned
// sums warp copy by warp copy in warp order; one row per block goes to a global buffer
// [blocks][3 + binned], and a second kernel adds a range's blocks in block order. The
// host merges the ranges (iteration.h). No floating-point atomics anywhere. NaN/Inf
// weights are counted, never summed (mue_acc_point's semantics).
//
// Shared memory per block: the grid (sizeof(mue_vegas_grid) = 16488 B) plus per warp
// 8 * binned (its copy) + 64 * 8 (staged F and training weight) + 32 * 16 * 4 (staged
// bins) + 5 * 8 (warp sums) bytes; binned = ndim * nbins (+ 2 * observables *
// histogram bins in production iterations). Default zprime run (ndim 4, 64 bins, 4
// observables of 100 bins): 8 warps, 104 872 B; warm-up (no histograms): 8 warps,
// 53 672 B.
//
// VEGAS+ layouts (boxes of unequal counts): the box counts go up as prefix sums every
// iteration, each lane finds its point's box among its chunk's 32 by bisection, and
// the boxes' variances come back for the next allocation.
//
// Measured on a GPU by tools/gpu_check.sh (parity, sanitizers, benchmark, register
// variants, Nsight Compute); results in bench/results/gpu-<device>.json.
#include <cuda_runtime.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backends/gpu_backend.h"
#include "gpu_kernels.cuh"
#include "gpu_generate.cuh"

#include <cub/device/device_select.cuh>
#include "vegas/iteration.h"

// ---------------------------------------------------------------------------------
// Host side

namespace {

struct launch_cfg {
    bool valid;
    int nbins, hb, nobs; // the shape it was made for (hb < 0: no histograms)
    int nwarps, nbinned, blocks_per_sm;
    size_t shmem;
};

double now_s()
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

// The kernels are made per process of the table (its id and dimension compile-time
// constants): these pick the one for a run.
const void *iter_kernel(mue_process_id id, bool hist)
{
    switch (id) {
#define MUE_ROW_(ID, name, summary)                                                          \
    case MUE_PROC_##ID:                                                                            \
        return hist ? (const void *)mue_iter_kernel<true, MUE_PROC_##ID>                           \
                    : (const void *)mue_iter_kernel<false, MUE_PROC_##ID>;
        MUE_PROCESSES(MUE_ROW_)
#undef MUE_ROW_
    default:
        return NULL;
    }
}

// The number of observables the kernels of a process histogram (its table row).
int kernel_nobs(mue_process_id id)
{
    switch (id) {
#define MUE_ROW_(ID, name, summary)                                                          \
    case MUE_PROC_##ID:                                                                            \
        return mue_gpu_process<MUE_PROC_##ID>::nobs;
        MUE_PROCESSES(MUE_ROW_)
#undef MUE_ROW_
    default:
        return -1;
    }
}

const void *points_kernel(mue_process_id id)
{
    switch (id) {
#define MUE_ROW_(ID, name, summary)                                                          \
    case MUE_PROC_##ID:                                                                            \
        return (const void *)mue_points_kernel<MUE_PROC_##ID>;
        MUE_PROCESSES(MUE_ROW_)
#undef MUE_ROW_
    default:
        return NULL;
    }
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
    uint64_t *d_offset;        // [box_cap + 1]: a VEGAS+ layout's prefix sums
    double *d_box_var;         // [box_cap]: the boxes' variances
    uint64_t box_cap;
    mue_range *d_ranges;       // [MUE_SLICES_MAX]
    double *d_part;            // [blocks][MUE_GPU_HEAD + nbinned]
    unsigned long long *d_cnt; // [blocks][2]
    double *d_res;             // [ranges][MUE_GPU_HEAD + nbinned + 2 counts]
    size_t part_cap, cnt_cap, res_cap; // in elements
    double *h_res;
    cudaEvent_t ev0, ev1;
    bool events;
    mue_gpu_stats st;
    // an event run's batch (mue_gpu_generate): per point, then the kept ones
    uint64_t gen_cap;          // points the per-point buffers hold
    unsigned char *d_flag;     // [gen_cap]
    double *d_F, *d_Fsel;      // [gen_cap] weights (survey)
    mue_gen_event *d_rec, *d_sel; // [gen_cap] records (events)
    double *d_gsums;           // [blocks][MUE_GPU_GEN_SUMS]
    double *h_gsums;
    unsigned long long *d_nsel;
    void *d_temp;              // cub's scratch
    size_t temp_bytes;
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
static int make_cfg(mue_gpu_ctx *g, bool hist, int nbins, int hb, int nobs, launch_cfg *c)
{
    memset(c, 0, sizeof *c);
    c->nbins = nbins;
    c->hb = hist ? hb : -1;
    c->nobs = hist ? nobs : 0;
    c->nbinned = g->S.ndim * nbins + (hist ? 2 * nobs * hb : 0);
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

// The grid header and rows (bytes of it) up to the device, with the host's per-box
// arrays replaced by device copies: the prefix sums of a VEGAS+ layout go up, and
// box_var points at device memory that download_box_var brings back.
static int upload_grid(mue_gpu_ctx *g, const mue_vegas_grid *grid, size_t bytes)
{
    static mue_vegas_grid hdr; // 16 kB: not on the stack
    memcpy(&hdr, grid, bytes);
    if ((grid->offset || grid->box_var) && grid->nboxes > g->box_cap) {
        cudaFree(g->d_offset);
        cudaFree(g->d_box_var);
        g->d_offset = NULL;
        g->d_box_var = NULL;
        g->box_cap = 0;
        MUE_GPU_TRY(g, cudaMalloc((void **)&g->d_offset, (grid->nboxes + 1) * sizeof(uint64_t)),
                    "cudaMalloc(box counts)");
        MUE_GPU_TRY(g, cudaMalloc((void **)&g->d_box_var, grid->nboxes * sizeof(double)),
                    "cudaMalloc(box variances)");
        g->box_cap = grid->nboxes;
    }
    if (grid->offset) {
        MUE_GPU_TRY(g,
                    cudaMemcpy(g->d_offset, grid->offset, (grid->nboxes + 1) * sizeof(uint64_t),
                               cudaMemcpyHostToDevice),
                    "copying the box counts");
        hdr.offset = g->d_offset;
    }
    hdr.box_var = grid->box_var ? g->d_box_var : NULL;
    MUE_GPU_TRY(g, cudaMemcpy(g->d_grid, &hdr, bytes, cudaMemcpyHostToDevice), "copying the grid");
    return 0;
}

// The variances of the boxes of the ranges, down into grid->box_var (adjacent ranges in
// one copy).
static int download_box_var(mue_gpu_ctx *g, const mue_vegas_grid *grid, const mue_range *r, int nr)
{
    if (!grid->box_var || grid->nstrat <= 1)
        return 0;
    for (int k = 0; k < nr;) {
        uint64_t b0 = r[k].box, b1 = r[k].box + r[k].nbox;
        for (k++; k < nr && r[k].box == b1; k++)
            b1 = r[k].box + r[k].nbox;
        MUE_GPU_TRY(g,
                    cudaMemcpy(grid->box_var + b0, g->d_box_var + b0, (b1 - b0) * sizeof(double),
                               cudaMemcpyDeviceToHost),
                    "copying the box variances back");
    }
    return 0;
}

static const launch_cfg *get_cfg(mue_gpu_ctx *g, bool hist, int nbins, int hb, int nobs, int nranges)
{
    launch_cfg *c = &g->cfg[hist];
    if (!c->valid || c->nbins != nbins || c->hb != (hist ? hb : -1) || c->nobs != (hist ? nobs : 0))
        if (make_cfg(g, hist, nbins, hb, nobs, c)) {
            c->valid = false;
            return NULL;
        }
    // partial sums for one launch (at most MUE_GPU_RANGES_PER_LAUNCH ranges), the sums
    // of every range
    const int per_launch = nranges < MUE_GPU_RANGES_PER_LAUNCH ? nranges : MUE_GPU_RANGES_PER_LAUNCH;
    size_t blocks = (size_t)per_launch * g->nsm * c->blocks_per_sm;
    if (reserve(g, blocks * (MUE_GPU_HEAD + c->nbinned), blocks * 2,
                (size_t)nranges * (MUE_GPU_HEAD + c->nbinned + 2)))
        return NULL;
    return c;
}

extern "C" void mue_gpu_destroy(mue_gpu_ctx *g)
{
    if (!g)
        return;
    cudaFree(g->d_grid);
    cudaFree(g->d_offset);
    cudaFree(g->d_box_var);
    cudaFree(g->d_ranges);
    cudaFree(g->d_part);
    cudaFree(g->d_cnt);
    cudaFree(g->d_res);
    if (g->events) {
        cudaEventDestroy(g->ev0);
        cudaEventDestroy(g->ev1);
    }
    free(g->h_res);
    cudaFree(g->d_flag);
    cudaFree(g->d_F);
    cudaFree(g->d_Fsel);
    cudaFree(g->d_rec);
    cudaFree(g->d_sel);
    cudaFree(g->d_gsums);
    cudaFree(g->d_nsel);
    cudaFree(g->d_temp);
    free(g->h_gsums);
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
    MUE_GPU_TRY(g, cudaMalloc((void **)&g->d_ranges, sizeof(mue_range) * MUE_SLICES_MAX),
                "cudaMalloc(ranges)");
    MUE_GPU_TRY(g, cudaEventCreate(&g->ev0), "cudaEventCreate");
    MUE_GPU_TRY(g, cudaEventCreate(&g->ev1), "cudaEventCreate");
    g->events = true;
    if (nbins >= 1 && !get_cfg(g, false, nbins, 0, 0, 1))
        return -1;
    if (nbins >= 1 && hist_nbins > 0 && !get_cfg(g, true, nbins, hist_nbins, MUE_MAX_OBS, 1))
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

extern "C" int mue_gpu_eval(mue_gpu_ctx *g, const mue_vegas_grid *grid, uint32_t iter,
                            const mue_range *ranges, int nr, const mue_hist_spec *hs, mue_acc *out)
{
    double t0 = now_s();
    const bool hist = hs != NULL;
    if (grid->ndim != g->S.ndim || grid->nbins < 1 || grid->nbins > MUE_VEGAS_MAXBINS ||
        (hist && (hs->nbins < 1 || hs->nbins > MUE_HIST_MAXBINS || hs->nobs != kernel_nobs(g->S.id))) ||
        (grid->nstrat > 1 && grid->per_box < 1 && !grid->offset) || nr < 0 || nr > MUE_SLICES_MAX) {
        snprintf(g->err, sizeof g->err, "GPU: grid, ranges or histograms do not match the process");
        return -1;
    }
    if (nr == 0)
        return 0;
    const launch_cfg *c = get_cfg(g, hist, grid->nbins, hist ? hs->nbins : 0, hist ? hs->nobs : 0, nr);
    if (!c)
        return -1;
    const int len = MUE_GPU_HEAD + c->nbinned;

    // the grid rows in use and the ranges, up
    const size_t grid_bytes = offsetof(mue_vegas_grid, edge) + sizeof(grid->edge[0]) * grid->ndim;
    double tc = now_s();
    if (upload_grid(g, grid, grid_bytes))
        return -1;
    MUE_GPU_TRY(g, cudaMemcpy(g->d_ranges, ranges, sizeof(mue_range) * nr, cudaMemcpyHostToDevice),
                "copying the ranges");
    double copy = now_s() - tc;

    mue_hist_spec hz;
    memset(&hz, 0, sizeof hz);
    const mue_hist_spec &h = hist ? *hs : hz;
    unsigned long long seed = g->seed;
    int nbinned = c->nbinned;
    int bpr = g->nsm * c->blocks_per_sm;
    int blocks = 0;
    // the groups of ranges run one after the other on the stream (each group's reduction
    // done before the next group reuses the partial sums), with no wait in between
    MUE_GPU_TRY(g, cudaEventRecord(g->ev0), "cudaEventRecord");
    for (int k0 = 0; k0 < nr; k0 += MUE_GPU_RANGES_PER_LAUNCH) {
        const int n = nr - k0 < MUE_GPU_RANGES_PER_LAUNCH ? nr - k0 : MUE_GPU_RANGES_PER_LAUNCH;
        const mue_range *d_r = g->d_ranges + k0;
        void *args[] = {&g->S, &g->d_grid, (void *)&h, &seed, &iter, &d_r, &bpr, &nbinned, &g->d_part,
                        &g->d_cnt};
        blocks = n * bpr;
        MUE_GPU_TRY(g,
                    cudaLaunchKernel(iter_kernel(g->S.id, hist), dim3(blocks), dim3(32 * c->nwarps), args,
                                     c->shmem, 0),
                    "launching the iteration kernel");
        mue_reduce_kernel<<<dim3((len + 255) / 256, n), 256>>>(g->d_part, g->d_cnt, bpr, len,
                                                                g->d_res + (size_t)k0 * (len + 2));
        MUE_GPU_TRY(g, cudaGetLastError(), "launching the reduction kernel");
    }
    MUE_GPU_TRY(g, cudaEventRecord(g->ev1), "cudaEventRecord");
    MUE_GPU_TRY(g, cudaEventSynchronize(g->ev1), "the iteration kernels");
    float ms = 0.0f;
    MUE_GPU_TRY(g, cudaEventElapsedTime(&ms, g->ev0, g->ev1), "cudaEventElapsedTime");
    const double kernel = 1e-3 * ms;

    // the sums of every range, down
    tc = now_s();
    MUE_GPU_TRY(g,
                cudaMemcpy(g->h_res, g->d_res, (size_t)nr * (len + 2) * sizeof(double),
                           cudaMemcpyDeviceToHost),
                "copying the sums back");
    if (download_box_var(g, grid, ranges, nr))
        return -1;
    copy += now_s() - tc;
    for (int k = 0; k < nr; k++)
        mue_gpu_unpack(g->h_res + (size_t)k * (len + 2), len, grid, hs, &out[k]);

    g->st.kernel_seconds += kernel;
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
    if (upload_grid(g, grid, sizeof *grid)) {
        cudaFree(d_f);
        cudaFree(d_u);
        return -1;
    }
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

// ---------------------------------------------------------------------------------
// An event run's batch (backend.h, gen; kernels/gpu_generate.cuh)

static const void *gen_kernel(mue_process_id id)
{
    switch (id) {
#define MUE_ROW_(ID, name, summary)                                                          \
    case MUE_PROC_##ID:                                                                            \
        return (const void *)mue_gen_kernel<MUE_PROC_##ID>;
        MUE_PROCESSES(MUE_ROW_)
#undef MUE_ROW_
    default:
        return NULL;
    }
}

// The per-point buffers for n points (grown, never shrunk).
static int gen_reserve(mue_gpu_ctx *g, uint64_t n)
{
    if (n <= g->gen_cap)
        return 0;
    cudaFree(g->d_flag);
    cudaFree(g->d_F);
    cudaFree(g->d_Fsel);
    cudaFree(g->d_rec);
    cudaFree(g->d_sel);
    cudaFree(g->d_gsums);
    cudaFree(g->d_temp);
    free(g->h_gsums);
    g->d_flag = NULL;
    g->d_F = g->d_Fsel = g->d_gsums = NULL;
    g->d_rec = g->d_sel = NULL;
    g->d_temp = NULL;
    g->h_gsums = NULL;
    g->gen_cap = 0;
    const uint64_t blocks = (n + MUE_GPU_GEN_THREADS - 1) / MUE_GPU_GEN_THREADS;
    MUE_GPU_TRY(g, cudaMalloc((void **)&g->d_flag, n), "cudaMalloc(event flags)");
    MUE_GPU_TRY(g, cudaMalloc((void **)&g->d_F, n * sizeof(double)), "cudaMalloc(event weights)");
    MUE_GPU_TRY(g, cudaMalloc((void **)&g->d_Fsel, n * sizeof(double)), "cudaMalloc(event weights)");
    MUE_GPU_TRY(g, cudaMalloc((void **)&g->d_rec, n * sizeof(mue_gen_event)), "cudaMalloc(events)");
    MUE_GPU_TRY(g, cudaMalloc((void **)&g->d_sel, n * sizeof(mue_gen_event)), "cudaMalloc(events)");
    MUE_GPU_TRY(g, cudaMalloc((void **)&g->d_gsums, blocks * MUE_GPU_GEN_SUMS * sizeof(double)),
                "cudaMalloc(batch sums)");
    if (!g->d_nsel)
        MUE_GPU_TRY(g, cudaMalloc((void **)&g->d_nsel, sizeof(unsigned long long)), "cudaMalloc(count)");
    // cub's scratch for the larger of the two selections
    size_t t1 = 0, t2 = 0;
    MUE_GPU_TRY(g, cub::DeviceSelect::Flagged(NULL, t1, g->d_rec, g->d_flag, g->d_sel, g->d_nsel, (int64_t)n),
                "sizing the selection");
    MUE_GPU_TRY(g, cub::DeviceSelect::Flagged(NULL, t2, g->d_F, g->d_flag, g->d_Fsel, g->d_nsel, (int64_t)n),
                "sizing the selection");
    g->temp_bytes = t1 > t2 ? t1 : t2;
    MUE_GPU_TRY(g, cudaMalloc(&g->d_temp, g->temp_bytes), "cudaMalloc(selection scratch)");
    g->h_gsums = (double *)malloc(blocks * MUE_GPU_GEN_SUMS * sizeof(double));
    if (!g->h_gsums) {
        snprintf(g->err, sizeof g->err, "GPU: out of host memory");
        return -1;
    }
    g->gen_cap = n;
    return 0;
}

// Every point of the batch on the device; only the kept records (or weights) and the
// blocks' sums come back. The sums are added on the host in block order.
extern "C" int mue_gpu_generate(mue_gpu_ctx *g, const mue_vegas_grid *grid, uint32_t iter,
                                const mue_gen_opts *o, mue_gen_batch *out)
{
    double t0 = now_s();
    const uint64_t n = o->npoints;
    if (grid->ndim != g->S.ndim || n == 0 || n > (1ull << MUE_RNG_ITER_SHIFT)) {
        snprintf(g->err, sizeof g->err, "GPU: the batch does not match the process");
        return -1;
    }
    if (gen_reserve(g, n) || upload_grid(g, grid, sizeof *grid))
        return -1;
    unsigned long long seed = g->seed;
    uint64_t npoints = n;
    double fmax = o->fmax;
    int with_events = o->with_events;
    const uint64_t blocks = (n + MUE_GPU_GEN_THREADS - 1) / MUE_GPU_GEN_THREADS;
    void *args[] = {&g->S, &g->d_grid, &seed, &iter, &npoints, &fmax, &with_events,
                    &g->d_flag, &g->d_F, &g->d_rec, &g->d_gsums};
    MUE_GPU_TRY(g, cudaEventRecord(g->ev0), "cudaEventRecord");
    MUE_GPU_TRY(g,
                cudaLaunchKernel(gen_kernel(g->S.id), dim3((unsigned)blocks), dim3(MUE_GPU_GEN_THREADS),
                                 args, MUE_GPU_GEN_SHMEM, 0),
                "launching the event kernel");
    size_t tb = g->temp_bytes;
    if (with_events)
        MUE_GPU_TRY(g, cub::DeviceSelect::Flagged(g->d_temp, tb, g->d_rec, g->d_flag, g->d_sel, g->d_nsel, (int64_t)n),
                    "selecting the kept events");
    else
        MUE_GPU_TRY(g, cub::DeviceSelect::Flagged(g->d_temp, tb, g->d_F, g->d_flag, g->d_Fsel, g->d_nsel, (int64_t)n),
                    "selecting the kept weights");
    MUE_GPU_TRY(g, cudaEventRecord(g->ev1), "cudaEventRecord");
    MUE_GPU_TRY(g, cudaEventSynchronize(g->ev1), "the event kernel");
    float ms = 0.0f;
    MUE_GPU_TRY(g, cudaEventElapsedTime(&ms, g->ev0, g->ev1), "cudaEventElapsedTime");
    double tc = now_s();
    unsigned long long nsel = 0;
    MUE_GPU_TRY(g, cudaMemcpy(&nsel, g->d_nsel, sizeof nsel, cudaMemcpyDeviceToHost), "copying the count back");
    if (mue_gen_batch_reserve(out, nsel, with_events)) {
        snprintf(g->err, sizeof g->err, "GPU: out of host memory for %llu events", nsel);
        return -1;
    }
    if (with_events)
        MUE_GPU_TRY(g, cudaMemcpy(out->ev + out->n, g->d_sel, nsel * sizeof(mue_gen_event), cudaMemcpyDeviceToHost),
                    "copying the events back");
    else
        MUE_GPU_TRY(g, cudaMemcpy(out->F + out->n, g->d_Fsel, nsel * sizeof(double), cudaMemcpyDeviceToHost),
                    "copying the weights back");
    MUE_GPU_TRY(g, cudaMemcpy(g->h_gsums, g->d_gsums, blocks * MUE_GPU_GEN_SUMS * sizeof(double), cudaMemcpyDeviceToHost),
                "copying the batch sums back");
    out->n += nsel;
    out->points += n;
    for (uint64_t b = 0; b < blocks; b++) {
        const double *r = g->h_gsums + b * MUE_GPU_GEN_SUMS;
        out->sum_f += r[0];
        out->sum_min += r[1];
        out->n_nonzero += (long long)r[2];
        out->n_over += (long long)r[3];
        out->n_bad += (long long)r[4];
    }
    g->st.kernel_seconds += 1e-3 * ms;
    g->st.copy_seconds += now_s() - tc;
    g->st.calls++;
    g->st.call_seconds += now_s() - t0;
    return 0;
}

// ---------------------------------------------------------------------------------
// The entry of the backend table (host/backend.h)

static int gpu_usable(char *why, size_t len) { return mue_gpu_device_count(why, len) > 0; }

static void *gpu_create(const mue_setup *S, const mue_backend_opts *o, char *why, size_t len)
{
    return mue_gpu_create(S, o->seed, o->grid_bins, o->hist_bins, why, len);
}

static void gpu_destroy(void *ctx) { mue_gpu_destroy((mue_gpu_ctx *)ctx); }

static int gpu_eval(void *ctx, const mue_vegas_grid *g, uint32_t iter, const mue_range *r, int nr,
                    const mue_hist_spec *hs, mue_acc *out)
{
    return mue_gpu_eval((mue_gpu_ctx *)ctx, g, iter, r, nr, hs, out);
}

static const char *gpu_error(const void *ctx) { return mue_gpu_error((const mue_gpu_ctx *)ctx); }

static mue_backend_stats gpu_stats(const void *ctx)
{
    const mue_gpu_ctx *g = (const mue_gpu_ctx *)ctx;
    mue_backend_stats s;
    memset(&s, 0, sizeof s);
    snprintf(s.device, sizeof s.device, "%s", g->name);
    s.setup_seconds = g->st.setup_seconds;
    s.eval_seconds = g->st.kernel_seconds;
    s.call_seconds = g->st.call_seconds;
    s.calls = g->st.calls;
    return s;
}

static int gpu_gen(void *ctx, const mue_vegas_grid *g, uint32_t iter, const mue_gen_opts *o,
                   mue_gen_batch *out)
{
    return mue_gpu_generate((mue_gpu_ctx *)ctx, g, iter, o, out);
}

extern "C" const mue_backend mue_backend_gpu = {"gpu",    1,         gpu_usable, gpu_create, gpu_destroy,
                                                gpu_eval, gpu_error, gpu_stats,  gpu_gen};
