// The device side of the CUDA backend: the iteration kernel, the block reduction and
// the test hook's point kernel, plus the two helpers the host driver shares with them.
// Included by kernels/gpu_backend.cu (nvcc) and by tests/gpu_emulation.cpp, which runs
// the same code on CPU threads (MUE_GPU_EMULATION: its own shims for the CUDA
// intrinsics and cuRAND) under the thread and address sanitizers. See gpu_backend.cu
// for the design.
#ifndef MUE_GPU_KERNELS_CUH
#define MUE_GPU_KERNELS_CUH

#include <stdint.h>
#include <string.h>

#ifndef MUE_GPU_EMULATION
#define MUE_GPU_DYNAMIC_SHARED(type, name) extern __shared__ type name[]
#endif

#include "backends/backend.h"
#include "gpu_rng.cuh"
#include "mue/accum.h"
#include "mue/process.h"
#include "mue/vegas_map.h"

#define MUE_GPU_FULL_MASK 0xffffffffu
#define MUE_GPU_MAX_WARPS 8
#define MUE_GPU_THREADS_MAX (32 * MUE_GPU_MAX_WARPS)
// Blocks of 256 threads the compiler must fit on one SM, which caps the registers
// (65536 / (256 * blocks)). Measured on an H200 (tools/gpu_check.sh, 2026-11-30,
// zprime 100 MeV, 5e8 points): without histograms 3 blocks (80 registers, a few
// spills) took 5 % less time than 2 (128), 7 % less than 4 (64) and 37 % less than 1
// (185, no spills); with histograms the shared memory (98.7 KB a block) holds 2
// blocks anyway, so 2.
#ifndef MUE_GPU_MIN_BLOCKS
#define MUE_GPU_MIN_BLOCKS 3
#endif
#ifndef MUE_GPU_MIN_BLOCKS_HIST
#define MUE_GPU_MIN_BLOCKS_HIST 2
#endif
// staged per lane: the grid bin of each axis (entries 0..7), the histogram bin of each
// observable (entries 8..15, -1 outside the range)
#define MUE_GPU_STAGE_HIST MUE_VEGAS_MAXDIM
#define MUE_GPU_STAGE_INTS (MUE_VEGAS_MAXDIM + MUE_MAX_OBS)
#define MUE_GPU_GRID_DOUBLES (sizeof(mue_vegas_grid) / sizeof(double))
// Ranges per launch at most: bounds the memory of the blocks' partial sums.
#define MUE_GPU_RANGES_PER_LAUNCH 16

static_assert(MUE_VEGAS_MAXDIM + 2 * MUE_MAX_OBS <= 32, "one warp lane per binned row");
static_assert(sizeof(mue_vegas_grid) % sizeof(double) == 0, "grid keeps the doubles after it aligned");
static_assert(MUE_VEGAS_MAXDIM <= 8, "lanes 8.. are the histogram lanes");

// ---------------------------------------------------------------------------------
// Device side

// What a kernel made for process P knows at compile time, from the process table: its
// integration variables (mue_process_ndim at run time), how many observables it has
// (the histogram spec's nobs, which the host checks) and the event slots they use.
__host__ __device__ constexpr unsigned mue_gpu_obs_slots(const mue_obs_def *l, int n)
{
    unsigned m = 0;
    for (int k = 0; k < n; k++)
        m |= 1u << l[k].kind.slot;
    return m;
}
template <mue_process_id P> struct mue_gpu_process;
#define MUE_ROW_(ID, name, summary)                                                          \
    template <> struct mue_gpu_process<MUE_PROC_##ID> {                                            \
        static constexpr int ndim = MUE_##ID##_NDIM;                                               \
        static constexpr mue_obs_def obs[] = {MUE_##ID##_OBSERVABLES};                             \
        static constexpr int nobs = sizeof obs / sizeof obs[0];                                    \
        static constexpr unsigned slots = mue_gpu_obs_slots(obs, nobs);                            \
    };
MUE_PROCESSES(MUE_ROW_)
#undef MUE_ROW_
template <mue_process_id P> constexpr int mue_gpu_ndim = mue_gpu_process<P>::ndim;

// One point of process P (S->id): uniforms from cuRAND's Philox, moved into the
// point's stratification box h, through the grid, into the physics. P and its
// dimension are compile-time constants here, so the per-axis arrays and the event stay
// in registers; the arithmetic is the CPU's, operation for operation. Returns f = w *
// jac (0 where w is 0), before the box's scale; bin[] and, with hs (and the point
// passing), *o are filled. u_out (may be null) receives the uniforms as drawn.
template <mue_process_id P>
__device__ __forceinline__ double mue_gpu_eval_point(const mue_setup *S, const mue_vegas_grid *g,
                                                      unsigned long long seed, uint32_t iter,
                                                      uint64_t i, uint64_t h, const mue_hist_spec *hs,
                                                      int *bin, mue_obs *o, double *u_out)
{
    constexpr int nd = mue_gpu_ndim<P>;
    // with a detector or a beam model, more uniforms of the point's stream follow the
    // integration variables in x (process.h), as on the CPU
    const bool extra = mue_point_extra(&S->par) > 0;
    double u[nd + MUE_POINT_NX], x[nd + MUE_POINT_NX];
    if (extra) // two calls, each with a constant count: the draws stay unrolled
        mue_gpu_uniforms(seed, iter, i, nd + MUE_POINT_NX, u);
    else
        mue_gpu_uniforms(seed, iter, i, nd, u);
    if (u_out)
        for (int d = 0; d < nd; d++)
            u_out[d] = u[d];
    mue_vegas_stratify_in_nd(g, nd, h, u);
    double jac = mue_vegas_map_nd(g, nd, u, x, bin);
    if (extra)
        for (int k = nd; k < nd + MUE_POINT_NX; k++)
            x[k] = u[k];
    mue_event ev;
    double w = mue_process_integrand(P, S, x, hs ? &ev : NULL);
    if (w == 0.0)
        return 0.0;
    if (hs)
        mue_observables(&S->col, &ev, mue_gpu_process<P>::nobs, hs->what, mue_gpu_process<P>::slots, o);
    return w * jac;
}

// The head of every row of sums: sum f, sum f^2, sum over boxes of the box variance.
#define MUE_GPU_HEAD 3

// Shared memory layout of mue_iter_kernel (offsets in doubles, then ints at the end).
struct mue_gpu_smem {
    int nwarps, nbinned;
    __host__ __device__ size_t copies() const { return MUE_GPU_GRID_DOUBLES; }
    // per warp 32 F, then 32 training weights
    __host__ __device__ size_t staged_f() const { return copies() + (size_t)nwarps * nbinned; }
    // per warp MUE_GPU_HEAD doubles, then per warp 2 counts (unsigned long long)
    __host__ __device__ size_t warp_sums() const { return staged_f() + (size_t)nwarps * 64; }
    __host__ __device__ size_t staged_bins() const
    {
        return warp_sums() + (size_t)nwarps * (MUE_GPU_HEAD + 2);
    }
    __host__ __device__ size_t bytes() const
    {
        return staged_bins() * sizeof(double) + (size_t)nwarps * 32 * MUE_GPU_STAGE_INTS * sizeof(int);
    }
};

// The steps of mue_iter_kernel, each inlined into it: what they share stays in
// registers and shared memory as when they were one body.

// The block's copy of the grid in shared memory (the rows in use; the others are never
// read) and its zeroed warp copies of the binned sums.
__device__ __forceinline__ void mue_gpu_block_start(mue_vegas_grid *g, const mue_vegas_grid *grid,
                                                    int ndim, double *copies, int ncopies)
{
    const int nbins = grid->nbins;
    if (threadIdx.x == 0) {
        g->ndim = ndim;
        g->nbins = nbins;
        g->nstrat = grid->nstrat;
        g->per_box = grid->per_box;
        g->nboxes = grid->nboxes;
        g->offset = grid->offset;
        g->box_var = grid->box_var;
    }
    for (int j = threadIdx.x; j < ndim * (nbins + 1); j += blockDim.x)
        g->edge[j / (nbins + 1)][j % (nbins + 1)] = grid->edge[j / (nbins + 1)][j % (nbins + 1)];
    for (int j = threadIdx.x; j < ncopies; j += blockDim.x)
        copies[j] = 0.0;
    __syncthreads();
}

// A round's binned sums into the warp's copy: the good lanes (mask m) in increasing lane
// order, one row per lane: lane d < ndim the grid axis d (training weights st), lanes
// MUE_GPU_STAGE_HIST + q and + MUE_MAX_OBS + q histogram q's sum f and sum f^2.
template <bool HIST, int ndim, int nobs>
__device__ __forceinline__ void mue_gpu_binned_sums(int lane, unsigned m, double *wcopy, int nbins,
                                                    int hb, const int *sb, const double *sf,
                                                    const double *st)
{
    if (lane < ndim) {
        double *row = wcopy + lane * nbins;
        for (unsigned r = m; r; r &= r - 1) {
            const int l = __ffs(r) - 1;
            row[sb[l * MUE_GPU_STAGE_INTS + lane]] += st[l];
        }
    } else if (HIST && lane >= MUE_GPU_STAGE_HIST && lane < MUE_GPU_STAGE_HIST + 2 * MUE_MAX_OBS &&
               (lane - MUE_GPU_STAGE_HIST) % MUE_MAX_OBS < nobs) {
        const int q = (lane - MUE_GPU_STAGE_HIST) % MUE_MAX_OBS;
        const bool sq = lane >= MUE_GPU_STAGE_HIST + MUE_MAX_OBS;
        double *row = wcopy + ndim * nbins + (sq ? nobs * hb : 0) + q * hb;
        for (unsigned r = m; r; r &= r - 1) {
            const int l = __ffs(r) - 1;
            const int b = sb[l * MUE_GPU_STAGE_INTS + MUE_GPU_STAGE_HIST + q];
            if (b >= 0) {
                const double fl = sf[l];
                row[b] += sq ? fl * fl : fl;
            }
        }
    }
}

// A round's box variances, as the CPU: s1, s2 (b1, b2) over the box's finite F (zeros
// too) in index order, then mue_vegas_box_term once the box is whole; the box open at
// lane 31 goes on in lane 0 next round (within a chunk: a chunk ends with its last box,
// and the next starts a new one, which resets what lane 0 gets here).
__device__ __forceinline__ void mue_gpu_box_variances(const mue_vegas_grid *g, int lane, int nv,
                                                      uint64_t rb, uint64_t i, uint64_t h, uint64_t bs,
                                                      uint64_t be, const double *sf, double &b1,
                                                      double &b2, double &var_sum)
{
    if (lane < nv && (lane == 0 || i == bs)) {
        if (i == bs) { // a new box; else lane 0 goes on with the carried one
            b1 = 0.0;
            b2 = 0.0;
        }
        int l = lane;
        for (; l < nv && rb + l < be; l++) {
            const double v = sf[l];
            b1 += v;
            b2 += v * v;
        }
        if (rb + l == be) {
            double var;
            var_sum += mue_vegas_box_term(b1, b2, (double)(be - bs), &var);
            if (g->box_var)
                g->box_var[h] = var;
            b1 = 0.0;
            b2 = 0.0;
        }
    }
    const uint64_t h31 = __shfl_sync(MUE_GPU_FULL_MASK, h, 31);
    const uint64_t s31 = nv == 32 ? mue_vegas_box_first(g, h31) : rb;
    const int cl = s31 > rb ? (int)(s31 - rb) : 0;
    const double t1 = __shfl_sync(MUE_GPU_FULL_MASK, b1, cl);
    const double t2 = __shfl_sync(MUE_GPU_FULL_MASK, b2, cl);
    if (lane == 0) {
        b1 = t1;
        b2 = t2;
    }
}

// The block's row: the register sums by a fixed shuffle tree within the warp, then warp
// by warp; the binned sums warp copy by warp copy, in warp order.
__device__ __forceinline__ void mue_gpu_block_sums(int lane, int warp, int nwarps,
                                                   const double *head_in,
                                                   unsigned long long n_nonzero,
                                                   unsigned long long n_bad, double *wsum,
                                                   unsigned long long *wcnt, const double *copies,
                                                   int nbinned, double *row, unsigned long long *cnt)
{
    double head[MUE_GPU_HEAD];
    for (int j = 0; j < MUE_GPU_HEAD; j++)
        head[j] = head_in[j];
    for (int off = 16; off > 0; off >>= 1) {
        for (int j = 0; j < MUE_GPU_HEAD; j++)
            head[j] += __shfl_down_sync(MUE_GPU_FULL_MASK, head[j], off);
        n_nonzero += __shfl_down_sync(MUE_GPU_FULL_MASK, n_nonzero, off);
        n_bad += __shfl_down_sync(MUE_GPU_FULL_MASK, n_bad, off);
    }
    if (lane == 0) {
        for (int j = 0; j < MUE_GPU_HEAD; j++)
            wsum[MUE_GPU_HEAD * warp + j] = head[j];
        wcnt[2 * warp] = n_nonzero;
        wcnt[2 * warp + 1] = n_bad;
    }
    __syncthreads(); // warp copies and warp sums complete
    if (threadIdx.x == 0) {
        double h[MUE_GPU_HEAD] = {0.0, 0.0, 0.0};
        unsigned long long c0 = 0, c1 = 0;
        for (int w = 0; w < nwarps; w++) {
            for (int j = 0; j < MUE_GPU_HEAD; j++)
                h[j] += wsum[MUE_GPU_HEAD * w + j];
            c0 += wcnt[2 * w];
            c1 += wcnt[2 * w + 1];
        }
        for (int j = 0; j < MUE_GPU_HEAD; j++)
            row[j] = h[j];
        cnt[0] = c0;
        cnt[1] = c1;
    }
    for (int j = threadIdx.x; j < nbinned; j += blockDim.x) {
        double s = 0.0;
        for (int w = 0; w < nwarps; w++)
            s += copies[(size_t)w * nbinned + j];
        row[MUE_GPU_HEAD + j] = s;
    }
}

// The sums of ranges of an iteration: block b works on range b / bpr as its (b % bpr)-th
// block and writes one row [MUE_GPU_HEAD + nbinned] to part[b] and the counts (nonzero,
// non-finite) to cnt[2 b]. bpr, the blocks of a range, is what the GPU holds at once
// (one wave): it depends on the device, never on the other ranges of the launch or on
// how an iteration was cut, so a range's sums have the same bits on every GPU of the
// model, whoever evaluates it. Launch: nranges * bpr blocks, blockDim.x = 32 * nwarps
// (1 <= nwarps <= 8), dynamic shared memory mue_gpu_smem{nwarps, nbinned}.bytes();
// grid->ndim, grid->nbins, grid->nstrat, grid->per_box or grid->offset as the host
// checked them; grid->offset and grid->box_var device pointers (or null).
//
// Work in a range: chunks of 32 points (with strata: 32 whole boxes, of per_box points
// each or as grid->offset lays them out) from its first point, chunk c to the range's
// warp c mod (its warps), 32 consecutive points per round, point rb + l to lane l,
// which finds its box among the chunk's. A box's variance is summed in index order by
// the lane holding its first point of the round; a box still open at the end of a
// round is carried to lane 0 (boxes never cross chunks); the lane that closes it
// writes it to grid->box_var.
template <bool HIST, mue_process_id P>
__global__ void __launch_bounds__(MUE_GPU_THREADS_MAX, HIST ? MUE_GPU_MIN_BLOCKS_HIST : MUE_GPU_MIN_BLOCKS)
    mue_iter_kernel(const __grid_constant__ mue_setup S, const mue_vegas_grid *__restrict__ grid,
                    const __grid_constant__ mue_hist_spec hs, unsigned long long seed, uint32_t iter,
                    const mue_range *__restrict__ ranges, int bpr, int nbinned,
                    double *__restrict__ part, unsigned long long *__restrict__ cnt)
{
    MUE_GPU_DYNAMIC_SHARED(double, smem);
    const int nwarps = blockDim.x >> 5, warp = threadIdx.x >> 5, lane = threadIdx.x & 31;
    const mue_range range = ranges[blockIdx.x / bpr];
    const int rblock = blockIdx.x % bpr;
    constexpr int ndim = mue_gpu_ndim<P>; // = grid->ndim, as the host checked
    constexpr int nobs = mue_gpu_process<P>::nobs; // = hs.nobs with histograms, likewise
    const int nbins = grid->nbins;
    const int hb = HIST ? hs.nbins : 0;
    const mue_gpu_smem lay = {nwarps, nbinned};

    mue_vegas_grid *g = reinterpret_cast<mue_vegas_grid *>(smem);
    double *copies = smem + lay.copies();
    double *wcopy = copies + (size_t)warp * nbinned;
    double *sf = smem + lay.staged_f() + (size_t)warp * 64; // F of each lane
    double *st = sf + 32;                                  // its training weight F f
    double *wsum = smem + lay.warp_sums();
    unsigned long long *wcnt = reinterpret_cast<unsigned long long *>(wsum + MUE_GPU_HEAD * nwarps);
    int *sb = reinterpret_cast<int *>(smem + lay.staged_bins()) + (size_t)warp * 32 * MUE_GPU_STAGE_INTS;

    mue_gpu_block_start(g, grid, ndim, copies, nwarps * nbinned);

    const bool strat = grid->nstrat > 1;
    // the units of the chunks: whole boxes with strata, else points
    const uint64_t npoints = strat ? mue_vegas_box_first(g, g->nboxes) : 0;
    const uint64_t end = range.first + range.count;
    const uint64_t nchunks = ((strat ? range.nbox : range.count) + 31) / 32;
    const uint64_t warps_total = (uint64_t)bpr * nwarps;

    double sum_f = 0.0, sum_f2 = 0.0, var_sum = 0.0;
    double b1 = 0.0, b2 = 0.0; // sums of F over the open box (its leading lane's)
    unsigned long long n_nonzero = 0, n_bad = 0;
    // every bound below depends on the warp only: all lanes run every round, so the
    // *_sync calls always see the full warp
    for (uint64_t c = (uint64_t)rblock * nwarps + warp; c < nchunks; c += warps_total) {
        uint64_t c0, c1, hb0 = 0, hb1 = 0;
        if (strat) {
            hb0 = range.box + 32 * c;
            hb1 = range.box + range.nbox - hb0 < 32 ? range.box + range.nbox : hb0 + 32;
            c0 = mue_vegas_box_first(g, hb0);
            c1 = mue_vegas_box_first(g, hb1);
        } else {
            c0 = range.first + 32 * c;
            c1 = end - c0 < 32 ? end : c0 + 32;
        }
        for (uint64_t rb = c0; rb < c1; rb += 32) {
            const int nv = (int)(c1 - rb < 32 ? c1 - rb : 32); // lanes with a point
            const uint64_t i = rb + lane;
            uint64_t h = 0, bs = 0, be = 0; // the point's box, its first and end point
            double scale = 1.0;
            if (strat && lane < nv) {
                h = mue_vegas_box_of(g, i, hb0, hb1);
                bs = mue_vegas_box_first(g, h);
                be = mue_vegas_box_first(g, h + 1);
                if (g->offset)
                    scale = mue_vegas_box_scale(npoints, g->nboxes, be - bs);
            }
            int bin[ndim] = {0};
            mue_obs o;
            double f = 0.0;
            if (lane < nv)
                f = mue_gpu_eval_point<P>(&S, g, seed, iter, i, h, HIST ? &hs : NULL, bin, &o, NULL);
            const double F = f * scale;
            const bool fin = isfinite(F);
            const bool good = F != 0.0 && fin;
            if (good) {
                sum_f += F;
                sum_f2 += F * F;
                n_nonzero++;
            } else if (!fin) {
                n_bad++;
            }
            const unsigned m = __ballot_sync(MUE_GPU_FULL_MASK, good);
            sf[lane] = fin ? F : 0.0; // lanes without a point have F = 0
            st[lane] = good ? F * f : 0.0;
            if (good) {
                int *b = sb + lane * MUE_GPU_STAGE_INTS;
                for (int d = 0; d < ndim; d++)
                    b[d] = bin[d];
                if (HIST)
                    for (int q = 0; q < nobs; q++)
                        b[MUE_GPU_STAGE_HIST + q] = mue_hist_bin(&hs, q, o.v[q]);
            }
            __syncwarp();
            mue_gpu_binned_sums<HIST, ndim, nobs>(lane, m, wcopy, nbins, hb, sb, sf, st);
            if (strat)
                mue_gpu_box_variances(g, lane, nv, rb, i, h, bs, be, sf, b1, b2, var_sum);
            __syncwarp(); // the staging area is rewritten next round
        }
    }

    const double head[MUE_GPU_HEAD] = {sum_f, sum_f2, var_sum};
    mue_gpu_block_sums(lane, warp, nwarps, head, n_nonzero, n_bad, wsum, wcnt, copies, nbinned,
                       part + (size_t)blockIdx.x * (MUE_GPU_HEAD + nbinned), cnt + 2 * blockIdx.x);
}

// The rows of range r (blockIdx.y): res[r][j] = sum over its bpr blocks k = 0, 1, ... of
// part[r * bpr + k][j] (j < len), in block order; the counts after them,
// ((unsigned long long *)(res[r] + len))[0..1]. Rows of res: len + 2.
__global__ void mue_reduce_kernel(const double *__restrict__ part,
                                  const unsigned long long *__restrict__ cnt, int bpr, int len,
                                  double *__restrict__ res)
{
    const int j = blockIdx.x * blockDim.x + threadIdx.x, r = blockIdx.y;
    const size_t b0 = (size_t)r * bpr;
    double *out = res + (size_t)r * (len + 2);
    if (j < len) {
        double s = 0.0;
        for (int k = 0; k < bpr; k++)
            s += part[(b0 + k) * len + j];
        out[j] = s;
    }
    if (j < 2) {
        unsigned long long c = 0;
        for (int k = 0; k < bpr; k++)
            c += cnt[2 * (b0 + k) + j];
        reinterpret_cast<unsigned long long *>(out + len)[j] = c;
    }
}

// Test hook: f (before the box's scale) and the uniforms of points first .. first+n-1,
// one thread each.
template <mue_process_id P>
__global__ void mue_points_kernel(const __grid_constant__ mue_setup S,
                                  const mue_vegas_grid *__restrict__ grid, unsigned long long seed,
                                  uint32_t iter, uint64_t first, uint64_t n, double *__restrict__ f,
                                  double *__restrict__ u)
{
    const uint64_t k = (uint64_t)blockIdx.x * blockDim.x + threadIdx.x;
    if (k >= n)
        return;
    int bin[mue_gpu_ndim<P>];
    mue_obs o;
    const uint64_t i = first + k;
    const uint64_t h = grid->nstrat > 1 ? mue_vegas_box_of(grid, i, 0, grid->nboxes) : 0;
    f[k] = mue_gpu_eval_point<P>(&S, grid, seed, iter, i, h, NULL, bin, &o, u ? u + k * grid->ndim : NULL);
}

// Host and device agree on this one.

// Adds the reduced row r (len = MUE_GPU_HEAD + binned doubles, then the two counts) to out.
__host__ __device__ inline void mue_gpu_unpack(const double *r, int len, const mue_vegas_grid *grid,
                                               const mue_hist_spec *hs, mue_acc *out)
{
    unsigned long long counts[2];
    memcpy(counts, r + len, sizeof counts);
    out->sum_f += r[0];
    out->sum_f2 += r[1];
    out->var_sum += r[2];
    out->n_nonzero += (long long)counts[0];
    out->n_bad += (long long)counts[1];
    const int nb = grid->nbins, nd = grid->ndim * nb;
    for (int d = 0; d < grid->ndim; d++)
        for (int b = 0; b < nb; b++)
            out->d[d][b] += r[MUE_GPU_HEAD + d * nb + b];
    if (hs) {
        const int hb = hs->nbins;
        for (int k = 0; k < hs->nobs; k++)
            for (int b = 0; b < hb; b++) {
                out->h[k][b] += r[MUE_GPU_HEAD + nd + k * hb + b];
                out->h2[k][b] += r[MUE_GPU_HEAD + nd + hs->nobs * hb + k * hb + b];
            }
    }
}

#endif
