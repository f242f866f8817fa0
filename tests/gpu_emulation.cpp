// The CUDA kernels (kernels/gpu_kernels.cuh) run on CPU threads: one std::thread per
// CUDA thread, std::barrier for __syncthreads and for every warp-level intrinsic, and
// cuRAND's Philox rebuilt from curand_kernel.h's code on Random123. It checks on any
// machine, without a GPU or nvcc, what a GPU run would otherwise be the first to
// show: that the warp-synchronous accumulation, the box variances, the block and grid
// reductions and the launch arithmetic reproduce the CPU backend's sums (the weights
// are bit-identical here, so only the order of additions differs), that every
// *_sync call is reached by the whole warp (otherwise the barriers deadlock: a
// watchdog fails the test), and, built with -fsanitize=thread (make test-gpu-emu), that
// the shared-memory traffic has no data race; with -fsanitize=address, no access
// outside the dynamic shared memory or the buffers. Shared memory and the output
// buffers start as NaN/garbage, so reading anything unwritten shows up in the sums.
// What it cannot check: the real cuRAND (test_curand_layout compiles it for the host,
// test_gpu_parity runs it on the device), nvcc's code, timing.
#define MUE_GPU_EMULATION 1

#include <atomic>
#include <barrier>
#include <chrono>
#include <cmath>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <Random123/philox.h>

// ---- CUDA shims ----
#define __host__
#define __device__
#define __global__
#define __forceinline__ inline
#define __grid_constant__
#define __launch_bounds__(...)

struct emu_dim3 {
    unsigned x, y, z;
};
static thread_local emu_dim3 threadIdx, blockIdx, blockDim, gridDim;
static thread_local void *emu_shared;
#define MUE_GPU_DYNAMIC_SHARED(type, name) type *name = reinterpret_cast<type *>(emu_shared)

struct emu_warp {
    std::barrier<> bar{32};
    unsigned long long slot[32];
};
static thread_local emu_warp *emu_this_warp;
static thread_local std::barrier<> *emu_block_bar;
static std::atomic<long> emu_sync_calls{0};

static void emu_full_mask(unsigned mask)
{
    if (mask != 0xffffffffu) {
        fprintf(stderr, "emulation: only full-warp masks are used by the kernels\n");
        abort();
    }
}
static inline void __syncthreads()
{
    emu_sync_calls++;
    emu_block_bar->arrive_and_wait();
}
static inline void __syncwarp(unsigned mask = 0xffffffffu)
{
    emu_full_mask(mask);
    emu_sync_calls++;
    emu_this_warp->bar.arrive_and_wait();
}
static inline unsigned __ballot_sync(unsigned mask, int pred)
{
    emu_full_mask(mask);
    emu_warp *w = emu_this_warp;
    const int lane = threadIdx.x & 31;
    w->slot[lane] = pred != 0;
    w->bar.arrive_and_wait();
    unsigned m = 0;
    for (int l = 0; l < 32; l++)
        m |= (w->slot[l] ? 1u : 0u) << l;
    w->bar.arrive_and_wait();
    return m;
}
template <class T> static inline T emu_shfl(T v, int src, bool valid)
{
    static_assert(sizeof(T) <= 8, "8-byte slots");
    emu_warp *w = emu_this_warp;
    const int lane = threadIdx.x & 31;
    unsigned long long bits = 0;
    memcpy(&bits, &v, sizeof v);
    w->slot[lane] = bits;
    w->bar.arrive_and_wait();
    T r = v;
    if (valid)
        memcpy(&r, &w->slot[src], sizeof r);
    w->bar.arrive_and_wait();
    return r;
}
template <class T> static inline T __shfl_sync(unsigned mask, T v, int src)
{
    emu_full_mask(mask);
    return emu_shfl(v, src & 31, true);
}
template <class T> static inline T __shfl_down_sync(unsigned mask, T v, unsigned off)
{
    emu_full_mask(mask);
    const int s = (int)(threadIdx.x & 31) + (int)off;
    return emu_shfl(v, s < 32 ? s : 0, s < 32);
}
static inline int __ffs(unsigned x) { return __builtin_ffs((int)x); }

// ---- cuRAND's Philox4_32_10 device API, as curand_kernel.h / curand_uniform.h write it ----
struct double2 {
    double x, y;
};
struct curandStatePhilox4_32_10_t {
    philox4x32_ctr_t ctr, output;
    philox4x32_key_t key;
    unsigned STATE;
};
static inline void curand_init(unsigned long long seed, unsigned long long subsequence,
                               unsigned long long offset, curandStatePhilox4_32_10_t *s)
{
    if (offset != 0) {
        fprintf(stderr, "emulation: offset 0 only\n");
        abort();
    }
    s->ctr = philox4x32_ctr_t{{0, 0, 0, 0}};
    s->key = philox4x32_key_t{{(uint32_t)seed, (uint32_t)(seed >> 32)}};
    s->STATE = 0;
    // skipahead_sequence -> Philox_State_Incr_hi
    unsigned nlo = (unsigned)subsequence, nhi = (unsigned)(subsequence >> 32);
    s->ctr.v[2] += nlo;
    if (s->ctr.v[2] < nlo)
        nhi++;
    s->ctr.v[3] += nhi;
    s->output = philox4x32(s->ctr, s->key);
    // skipahead(0): nothing moves, output recomputed
}
static inline philox4x32_ctr_t curand4(curandStatePhilox4_32_10_t *s)
{
    philox4x32_ctr_t tmp = s->output;
    if (++s->ctr.v[0] == 0 && ++s->ctr.v[1] == 0 && ++s->ctr.v[2] == 0)
        ++s->ctr.v[3];
    s->output = philox4x32(s->ctr, s->key);
    return tmp; // STATE 0
}
static inline double emu_u53(unsigned x, unsigned y)
{
    unsigned long long z = (unsigned long long)x ^ ((unsigned long long)y << (53 - 32));
    return z * (1.0 / 9007199254740992.0) + (1.0 / 9007199254740992.0) / 2.0;
}
static inline double2 curand_uniform2_double(curandStatePhilox4_32_10_t *s)
{
    philox4x32_ctr_t r = curand4(s);
    return double2{emu_u53(r.v[0], r.v[1]), emu_u53(r.v[2], r.v[3])};
}

#include "../kernels/gpu_kernels.cuh"
#include "../kernels/gpu_generate.cuh"

#include "backends/cpu_backend.h"
#include "vegas/vegas.h"
#include "backends/cpu_generate.h"
#include "mue/rng.h"

// ---- launches ----
static std::atomic<bool> emu_done{false};

template <class F> static void emu_launch(int nblocks, int nthreads, size_t shmem, F body, int ny = 1)
{
    for (int b = 0; b < nblocks * ny; b++) {
        unsigned char *sh = shmem ? (unsigned char *)malloc(shmem) : nullptr;
        if (sh)
            memset(sh, 0xff, shmem); // NaN doubles, -1 ints: unwritten reads show
        std::barrier<> block_bar(nthreads);
        std::vector<std::unique_ptr<emu_warp>> warps;
        for (int w = 0; w < nthreads / 32; w++)
            warps.emplace_back(new emu_warp);
        std::vector<std::thread> th;
        for (int t = 0; t < nthreads; t++)
            th.emplace_back([&, t] {
                threadIdx = {(unsigned)t, 0, 0};
                blockIdx = {(unsigned)(b % nblocks), (unsigned)(b / nblocks), 0};
                blockDim = {(unsigned)nthreads, 1, 1};
                gridDim = {(unsigned)nblocks, (unsigned)ny, 1};
                emu_shared = sh;
                emu_this_warp = warps[t / 32].get();
                emu_block_bar = &block_bar;
                body();
            });
        for (auto &t : th)
            t.join();
        free(sh);
    }
}

static const uint64_t SEED = 77;

struct emu_cfg {
    int nwarps;
    int nranges; // the iteration cut into this many uneven ranges of whole boxes
    int bpr;     // blocks per range (on a GPU: SMs * resident blocks per SM)
};

// The ranges of an iteration through g of n points (whole boxes): 1, 2 or 3 uneven ones.
static std::vector<mue_range> emu_ranges(const mue_vegas_grid *g, uint64_t n, int nr)
{
    const bool strat = g->nstrat > 1;
    const uint64_t boxes = strat ? g->nboxes : n;
    const double cut[][3] = {{1.0, 1.0, 1.0}, {0.3, 1.0, 1.0}, {0.15, 0.7, 1.0}};
    std::vector<mue_range> r;
    uint64_t b0 = 0;
    for (int k = 0; k < nr; k++) {
        uint64_t b1 = k == nr - 1 ? boxes : (uint64_t)(cut[nr - 1][k] * boxes);
        if (strat)
            r.push_back({mue_vegas_box_first(g, b0), mue_vegas_box_first(g, b1) - mue_vegas_box_first(g, b0),
                         b0, b1 - b0});
        else
            r.push_back({b0, b1 - b0, 0, 1});
        b0 = b1;
    }
    return r;
}

// mue_gpu_eval's arithmetic around the two kernels, then the ranges merged in order.
static void emu_iteration(const mue_setup &S, const mue_vegas_grid *grid, uint32_t iter,
                          const std::vector<mue_range> &ranges, const mue_hist_spec *hs, emu_cfg cfg,
                          mue_acc *out, int *blocks_out)
{
    const int nbinned = grid->ndim * grid->nbins + (hs ? 2 * hs->nobs * hs->nbins : 0);
    const mue_gpu_smem lay = {cfg.nwarps, nbinned};
    const int nr = (int)ranges.size();
    const int blocks = nr * cfg.bpr;
    const int len = MUE_GPU_HEAD + nbinned;
    *blocks_out = blocks;
    // device copies: the grid rows in use only (as the driver copies them), the rest garbage
    std::unique_ptr<mue_vegas_grid> dgrid(new mue_vegas_grid);
    memset(dgrid.get(), 0xff, sizeof *dgrid);
    memcpy(dgrid.get(), grid, offsetof(mue_vegas_grid, edge) + sizeof(grid->edge[0]) * grid->ndim);
    std::vector<double> part((size_t)blocks * len, NAN), res((size_t)nr * (len + 2), NAN);
    std::vector<unsigned long long> cnt((size_t)blocks * 2, 0xdeadbeefull);
    mue_hist_spec h;
    memset(&h, 0, sizeof h);
    if (hs)
        h = *hs;
    emu_launch(blocks, 32 * cfg.nwarps, lay.bytes(), [&] {
        // the kernel made for this process, as gpu_backend.cu picks it
        switch (S.id) {
#define MUE_ROW_(ID, name, summary)                                                          \
    case MUE_PROC_##ID:                                                                            \
        if (hs)                                                                                    \
            mue_iter_kernel<true, MUE_PROC_##ID>(S, dgrid.get(), h, SEED, iter, ranges.data(),     \
                                                 cfg.bpr, nbinned, part.data(), cnt.data());       \
        else                                                                                       \
            mue_iter_kernel<false, MUE_PROC_##ID>(S, dgrid.get(), h, SEED, iter, ranges.data(),    \
                                                  cfg.bpr, nbinned, part.data(), cnt.data());      \
        break;
            MUE_PROCESSES(MUE_ROW_)
#undef MUE_ROW_
        default:
            abort();
        }
    });
    emu_launch((len + 255) / 256, 256, 0,
               [&] { mue_reduce_kernel(part.data(), cnt.data(), cfg.bpr, len, res.data()); }, nr);
    std::unique_ptr<mue_acc> one(new mue_acc);
    for (int k = 0; k < nr; k++) {
        mue_acc_clear(one.get(), grid, hs);
        mue_gpu_unpack(&res[(size_t)k * (len + 2)], len, grid, hs, one.get());
        mue_acc_merge(out, one.get(), grid, hs);
    }
}

// ---- checks ----
static int n_pass = 0, n_fail = 0;
static long long n_bad_seen = 0;

__attribute__((format(printf, 3, 4))) static void check(bool ok, const char *what, const char *fmt, ...)
{
    if (!ok || getenv("EMU_VERBOSE")) {
        printf("%s %s", ok ? "ok  " : "FAIL", what);
        va_list ap;
        va_start(ap, fmt);
        printf(": ");
        vprintf(fmt, ap);
        va_end(ap);
        printf("\n");
        fflush(stdout);
    }
    ok ? n_pass++ : n_fail++;
}

static double reldiff(double a, double b)
{
    if (a == b || (std::isnan(a) && std::isnan(b)))
        return 0.0;
    return fabs(a - b) / fmax(fabs(a), fabs(b));
}

static void cpu_iter(const mue_setup &S, const mue_vegas_grid *g, uint32_t iter, uint64_t n,
                     const mue_hist_spec *hs, mue_acc *a)
{
    // one thread: libgomp is not instrumented for the thread sanitizer
    mue_cpu_ctx cpu = {mue_cpu_physics_point, &S, SEED, 1};
    memset(a, 0, sizeof *a);
    if (mue_cpu_iteration(&cpu, g, iter, n, hs, a)) {
        fprintf(stderr, "out of memory\n");
        exit(2);
    }
}

// The CPU backend over the same ranges, merged in order.
static void cpu_ranges(const mue_setup &S, const mue_vegas_grid *g, uint32_t iter,
                       const std::vector<mue_range> &r, const mue_hist_spec *hs, mue_acc *a)
{
    mue_cpu_ctx cpu = {mue_cpu_physics_point, &S, SEED, 1};
    std::vector<mue_acc> part(r.size());
    for (auto &x : part)
        mue_acc_clear(&x, g, hs);
    if (mue_cpu_eval(&cpu, g, iter, r.data(), (int)r.size(), hs, part.data())) {
        fprintf(stderr, "out of memory\n");
        exit(2);
    }
    memset(a, 0, sizeof *a);
    for (auto &x : part)
        mue_acc_merge(a, &x, g, hs);
}

static void compare(const char *what, const mue_acc *c, const mue_acc *g, const mue_vegas_grid *grid,
                    const mue_hist_spec *hs)
{
    const double tol = 1e-12; // same weights, another order of additions
    double worst = 0.0;
    const char *where = "-";
    int bad = 0;
    auto cmp = [&](const char *name, double a, double b) {
        double r = reldiff(a, b);
        if (r > worst) {
            worst = r;
            where = name;
        }
        bad += r > tol || (std::isnan(a) != std::isnan(b));
    };
    cmp("sum_f", c->sum_f, g->sum_f);
    cmp("sum_f2", c->sum_f2, g->sum_f2);
    cmp("var_sum", c->var_sum, g->var_sum);
    for (int d = 0; d < grid->ndim; d++)
        for (int b = 0; b < grid->nbins; b++)
            cmp("grid bins", c->d[d][b], g->d[d][b]);
    // bins that must stay untouched
    for (int d = grid->ndim; d < MUE_VEGAS_MAXDIM; d++)
        for (int b = 0; b < MUE_VEGAS_MAXBINS; b++)
            bad += g->d[d][b] != 0.0;
    if (hs)
        for (int k = 0; k < hs->nobs; k++)
            for (int b = 0; b < hs->nbins; b++) {
                cmp("histogram f", c->h[k][b], g->h[k][b]);
                cmp("histogram f^2", c->h2[k][b], g->h2[k][b]);
            }
    n_bad_seen += c->n_bad;
    check(bad == 0 && c->n_nonzero == g->n_nonzero && c->n_bad == g->n_bad, what,
          "sum_f %.17g vs %.17g, var_sum %.17g vs %.17g; worst rel %.3g (%s), %d bad; nonzero "
          "%lld vs %lld; non-finite %lld vs %lld",
          c->sum_f, g->sum_f, c->var_sum, g->var_sum, worst, where, bad, c->n_nonzero,
          g->n_nonzero, c->n_bad, g->n_bad);
}

static void iteration_case(const char *name, const mue_setup &S, const mue_vegas_grid *g0,
                           uint64_t npoints, int stratify, bool hist, emu_cfg cfg, uint32_t iter)
{
    // the process's own observables (a kernel made for it histograms exactly those)
    const mue_obs_def *obs = nullptr;
    int nobs = 0;
    switch (S.id) {
#define MUE_ROW_(ID, name, summary)                                                          \
    case MUE_PROC_##ID: {                                                                          \
        static const mue_obs_def l[] = {MUE_##ID##_OBSERVABLES};                                   \
        obs = l;                                                                                   \
        nobs = (int)(sizeof l / sizeof l[0]);                                                      \
        break;                                                                                     \
    }
        MUE_PROCESSES(MUE_ROW_)
#undef MUE_ROW_
    default:
        abort();
    }
    mue_hist_spec hs;
    memset(&hs, 0, sizeof hs);
    hs.nbins = 37;
    hs.nobs = nobs;
    for (int k = 0; k < hs.nobs; k++) {
        hs.what[k] = obs[k].kind;
        hs.lo[k] = obs[k].lo;
        hs.hi[k] = obs[k].hi;
    }
    mue_vegas_grid g = *g0;
    uint64_t n = stratify >= 0 ? mue_vegas_stratify_points(&g, npoints, stratify) : npoints;
    if (g.nstrat > 1 && !g.offset) { // whole boxes, as the driver's iterations are
        g.nboxes = n / g.per_box;
        n = g.nboxes * g.per_box;
    }
    if (g.offset)
        n = g.offset[g.nboxes];
    const uint64_t units = g.nstrat > 1 ? g.nboxes : n;
    const int nr = units >= (uint64_t)cfg.nranges ? cfg.nranges : 1;
    std::vector<mue_range> ranges = emu_ranges(&g, n, nr);
    // the boxes' variances: the CPU's and the emulated GPU's each into its own copy
    std::vector<double> var_cpu, var_gpu;
    mue_vegas_grid gg = g;
    if (g.box_var) {
        var_cpu.assign(g.nboxes, NAN);
        var_gpu.assign(g.nboxes, NAN);
        g.box_var = var_cpu.data();
        gg.box_var = var_gpu.data();
    }
    std::unique_ptr<mue_acc> a(new mue_acc), b(new mue_acc), b2(new mue_acc);
    if (nr == 1)
        cpu_iter(S, &g, iter, n, hist ? &hs : nullptr, a.get()); // the driver's own path
    else
        cpu_ranges(S, &g, iter, ranges, hist ? &hs : nullptr, a.get());
    memset(b.get(), 0, sizeof *b);
    memset(b2.get(), 0, sizeof *b2);
    int blocks = 0;
    if (n > 0)
        emu_iteration(S, &gg, iter, ranges, hist ? &hs : nullptr, cfg, b.get(), &blocks);
    char what[300];
    snprintf(what, sizeof what,
             "%s: %llu points in %d ranges, strata %u^%d x %s, %s, %d warps x %d blocks per range",
             name, (unsigned long long)n, nr, g.nstrat, g.ndim,
             g.offset ? "VEGAS+ counts" : std::to_string(g.per_box).c_str(),
             hist ? "histograms" : "no histograms", cfg.nwarps, cfg.bpr);
    compare(what, a.get(), b.get(), &g, hist ? &hs : nullptr);
    if (g.box_var) {
        // every box written, with the CPU's bits (a box's sums run in index order on both)
        long differ = 0;
        for (uint64_t h = 0; h < g.nboxes; h++)
            differ += memcmp(&var_cpu[h], &var_gpu[h], sizeof(double)) != 0 || std::isnan(var_gpu[h]);
        char w2[400];
        snprintf(w2, sizeof w2, "%s: box variances", what);
        check(differ == 0, w2, "%ld of %llu boxes differ", differ, (unsigned long long)g.nboxes);
    }
    if (n % 3 == 0 && n > 0) { // determinism, now and then (the emulation is slow)
        emu_iteration(S, &gg, iter, ranges, hist ? &hs : nullptr, cfg, b2.get(), &blocks);
        snprintf(what + strlen(what), sizeof what - strlen(what), ", twice");
        check(memcmp(b.get(), b2.get(), sizeof *b) == 0, what, "sum_f %.17g vs %.17g", b->sum_f,
              b2->sum_f);
    }
}

static void points_case(const char *name, const mue_setup &S, const mue_vegas_grid *g, uint32_t iter,
                        uint64_t first, uint64_t n)
{
    std::vector<double> f(n, NAN), u(n * S.ndim, NAN);
    emu_launch((int)((n + 127) / 128), 128, 0, [&] {
        switch (S.id) {
#define MUE_ROW_(ID, name, summary)                                                          \
    case MUE_PROC_##ID:                                                                            \
        mue_points_kernel<MUE_PROC_##ID>(S, g, SEED, iter, first, n, f.data(), u.data());          \
        break;
            MUE_PROCESSES(MUE_ROW_)
#undef MUE_ROW_
        default:
            abort();
        }
    });
    long ubad = 0, fbad = 0;
    for (uint64_t k = 0; k < n; k++) {
        double ur[MUE_POINT_MAXU], x[MUE_POINT_MAXU];
        int bin[MUE_VEGAS_MAXDIM];
        // with a detector or a beam model the point's stream goes on past the
        // integration variables
        const int nu = S.ndim + mue_point_extra(&S.par);
        mue_rng_uniforms(SEED, iter, first + k, nu, ur);
        ubad += memcmp(ur, &u[k * S.ndim], S.ndim * sizeof(double)) != 0;
        mue_vegas_stratify_point(g, first + k, ur);
        double jac = mue_vegas_map(g, ur, x, bin);
        for (int d = S.ndim; d < nu; d++)
            x[d] = ur[d];
        double w = mue_cpu_physics_point(&S, x, nullptr, nullptr);
        double fc = w == 0.0 ? 0.0 : w * jac;
        fbad += memcmp(&fc, &f[k], sizeof fc) != 0;
    }
    char what[200];
    snprintf(what, sizeof what, "%s: point kernel, points %llu..%llu, uniforms and weights bit-identical",
             name, (unsigned long long)first, (unsigned long long)(first + n - 1));
    check(ubad == 0 && fbad == 0, what, "%ld uniforms, %ld weights differ", ubad, fbad);
}

// An event run's batch (kernels/gpu_generate.cuh) against the CPU backend's
// (host/cpu_generate.c): the kept points, selected in index order as cub's stable
// select does on the device, with bit-identical weights and events, and the sums.
static void gen_case(const char *name, const mue_setup &S, const mue_vegas_grid *g, uint32_t iter,
                     uint64_t n, double fmax, int with_events)
{
    std::vector<unsigned char> flag(n, 0xff);
    std::vector<double> F(n, NAN);
    std::vector<mue_gen_event> rec(n);
    const uint64_t blocks = (n + MUE_GPU_GEN_THREADS - 1) / MUE_GPU_GEN_THREADS;
    std::vector<double> sums(blocks * MUE_GPU_GEN_SUMS, NAN);
    emu_launch((int)blocks, MUE_GPU_GEN_THREADS, MUE_GPU_GEN_SHMEM, [&] {
        switch (S.id) {
#define MUE_ROW_(ID, name, summary)                                                          \
    case MUE_PROC_##ID:                                                                            \
        mue_gen_kernel<MUE_PROC_##ID>(S, g, SEED, iter, n, fmax, with_events, flag.data(), F.data(), \
                                      rec.data(), sums.data());                                     \
        break;
            MUE_PROCESSES(MUE_ROW_)
#undef MUE_ROW_
        default:
            abort();
        }
    });
    mue_gen_batch cpu = {};
    const mue_gen_opts o = {n, fmax, with_events};
    if (mue_cpu_generate(&S, SEED, 2, g, iter, &o, &cpu)) {
        check(false, name, "mue_cpu_generate failed");
        return;
    }
    size_t kept = 0, differ = 0;
    for (uint64_t i = 0; i < n; i++) {
        if (flag[i] > 1) {
            differ++;
            continue;
        }
        if (!flag[i])
            continue;
        if (kept >= cpu.n) {
            differ++;
            continue;
        }
        if (with_events)
            differ += rec[i].index != cpu.ev[kept].index || memcmp(&rec[i].F, &cpu.ev[kept].F, sizeof(double)) ||
                      memcmp(rec[i].ev.p, cpu.ev[kept].ev.p, sizeof(mue_p4) * rec[i].ev.n) ||
                      rec[i].ev.n != cpu.ev[kept].ev.n;
        else
            differ += memcmp(&F[i], &cpu.F[kept], sizeof(double)) != 0;
        kept++;
    }
    double sf = 0.0, sm = 0.0;
    long long nz = 0, over = 0, bad = 0;
    for (uint64_t b = 0; b < blocks; b++) {
        sf += sums[b * MUE_GPU_GEN_SUMS];
        sm += sums[b * MUE_GPU_GEN_SUMS + 1];
        nz += (long long)sums[b * MUE_GPU_GEN_SUMS + 2];
        over += (long long)sums[b * MUE_GPU_GEN_SUMS + 3];
        bad += (long long)sums[b * MUE_GPU_GEN_SUMS + 4];
    }
    char what[200];
    snprintf(what, sizeof what, "%s: event kernel, %llu points, fmax %g, %s", name, (unsigned long long)n,
             fmax, with_events ? "events" : "weights");
    check(differ == 0 && kept == cpu.n && kept > 0 && nz == cpu.n_nonzero && over == cpu.n_over &&
              bad == cpu.n_bad && reldiff(sf, cpu.sum_f) < 1e-12 && reldiff(sm, cpu.sum_min) < 1e-12,
          what, "%zu kept (cpu %zu), %zu differ, sums %.17g/%.17g, %lld/%lld nonzero", kept, cpu.n, differ,
          sf, cpu.sum_f, nz, cpu.n_nonzero);
    mue_gen_batch_free(&cpu);
}

int main(int argc, char **argv)
{
    const bool quick = argc > 1 && strcmp(argv[1], "--quick") == 0;
    // a deadlock (a *_sync not reached by the whole warp) fails instead of hanging
    std::thread watchdog([] {
        for (int s = 0; s < 1200 && !emu_done; s++)
            std::this_thread::sleep_for(std::chrono::milliseconds(500));
        if (!emu_done) {
            printf("FAIL gpu-emulation: no progress for 10 minutes (a barrier never released?)\n");
            fflush(stdout);
            _Exit(1);
        }
    });
    mue_params pz = mue_params_default();
    pz.input[MUE_ZPRIME_MASS] = 0.1;
    pz.input[MUE_ZPRIME_COUPLING] = 1e-3;
    mue_params pe = mue_params_default();
    pe.cuts.theta_mu_min = 0.0;
    mue_params pg = mue_params_default(); // mu e gamma inside (i)+(ii)
    // and the signal through the detector, its smearing sampled from the point's stream
    mue_params pd = pz;
    pd.input[MUE_ZPRIME_MASS] = 0.01;
    pd.input[MUE_ZPRIME_COUPLING] = 5e-4;
    pd.det.enabled = 1;
    pd.det.tail_frac = 0.05;
    // and through a beam model too: each point's muon energy after the detector's draws
    mue_params pb = pd;
    pb.bm.enabled = 1;
    pb.bm.spread = 0.05;
    mue_setup Sz, Se, Sg, Sd, Sb;
    const char *why;
    if (!mue_setup_make(MUE_PROC_ZPRIME, &pz, &Sz, &why) || !mue_setup_make(MUE_PROC_ELASTIC, &pe, &Se, &why) ||
        !mue_setup_make(MUE_PROC_MUEG, &pg, &Sg, &why) || !mue_setup_make(MUE_PROC_ZPRIME, &pd, &Sd, &why) ||
        !mue_setup_make(MUE_PROC_ZPRIME, &pb, &Sb, &why)) {
        printf("FAIL setup\n");
        return 1;
    }
    struct {
        const char *name;
        const mue_setup *S;
    } procs[5] = {{"zprime", &Sz}, {"elastic", &Se}, {"mueg", &Sg}, {"zprime+detector", &Sd},
                  {"zprime+detector+beam model", &Sb}};
    for (auto &p : procs) {
        const mue_setup &S = *p.S;
        mue_vegas_grid flat, trained;
        mue_vegas_grid_init(&flat, S.ndim, 64);
        trained = flat;
        {
            std::unique_ptr<mue_acc> a(new mue_acc);
            for (uint32_t it = 0; it < 2; it++) {
                uint64_t n = mue_vegas_stratify_points(&trained, 20000, 1);
                cpu_iter(S, &trained, it, n, nullptr, a.get());
                mue_vegas_refine(&trained, a.get(), 1.5);
            }
        }
        points_case(p.name, S, &flat, 0, 0, 300);
        points_case(p.name, S, &trained, 3, 1000, 300);

        const uint64_t counts[] = {1, 2, 31, 33, 100, 1000, 3001};
        const emu_cfg cfgs[] = {{8, 3, 3}, {3, 2, 2}, {1, 1, 5}, {2, 3, 1}};
        int k = 0;
        for (uint64_t n : counts)
            for (int strat = 0; strat <= 1; strat++) {
                const emu_cfg &c = cfgs[k++ % 4];
                iteration_case(p.name, S, &trained, n, strat, (k & 1) != 0, c, 2 + k);
            }
        // boxes set by hand: longer than a round, or not dividing it
        const uint32_t boxes[][2] = {{2, 50}, {3, 37}, {2, 64}, {5, 7}, {2, 33}, {4, 31}};
        for (auto &bx : boxes) {
            mue_vegas_grid g = trained;
            g.nstrat = bx[0];
            g.per_box = bx[1];
            g.nboxes = 1;
            for (int d = 0; d < g.ndim; d++)
                g.nboxes *= bx[0];
            uint64_t n = bx[1] * g.nboxes;
            if (quick && n > 5000)
                continue;
            k++;
            iteration_case(p.name, S, &g, n, -1, true, cfgs[k % 4], 20 + k);
            // and cut short: the last box incomplete (the CPU drops it too)
            k++;
            iteration_case(p.name, S, &g, n - 5, -1, false, cfgs[k % 4], 20 + k);
        }
        // VEGAS+ layouts: counts that follow a measured iteration (from 2 to hundreds a
        // box), for the point kernel and the iteration
        {
            mue_vegas_state st;
            mue_vegas_state_init(&st, S.ndim, 64);
            st.grid = trained;
            st.grid.offset = nullptr;
            st.grid.box_var = nullptr;
            std::unique_ptr<mue_acc> a(new mue_acc);
            const uint64_t want = quick ? 3000 : 20000;
            for (uint32_t it = 0; it < 2; it++) {
                uint64_t n = mue_vegas_layout(&st, want, 1, 0.75);
                cpu_iter(S, &st.grid, 30 + it, n, nullptr, a.get());
                mue_vegas_measure_boxes(&st, 0.75);
            }
            mue_vegas_layout(&st, want, 1, 0.75);
            uint64_t lo = UINT64_MAX, hi = 0;
            for (uint64_t h = 0; h < st.grid.nboxes; h++) {
                uint64_t c = st.grid.offset[h + 1] - st.grid.offset[h];
                lo = c < lo ? c : lo;
                hi = c > hi ? c : hi;
            }
            check(st.grid.offset && lo >= 2 && hi > 2 * lo, "VEGAS+ layout: unequal counts",
                  "%llu boxes, %llu to %llu points", (unsigned long long)st.grid.nboxes,
                  (unsigned long long)lo, (unsigned long long)hi);
            points_case(p.name, S, &st.grid, 5, 0, 300);
            iteration_case(p.name, S, &st.grid, 0, -1, true, {8, 3, 3}, 60);
            {
                // the events of a batch: hit or miss at a tenth of the mean weight's
                // scale, so that some are over it, and the survey's weights-only pass
                mue_vegas_grid eg = st.grid;
                eg.box_var = nullptr;
                const uint64_t n = mue_vegas_box_first(&eg, eg.nboxes);
                mue_gen_batch w = {};
                const mue_gen_opts wo = {n, 0.0, 0};
                mue_cpu_generate(&S, SEED, 1, &eg, 70, &wo, &w);
                const double fmax = w.n ? 3.0 * w.sum_f / (double)w.n : 1.0;
                mue_gen_batch_free(&w);
                gen_case(p.name, S, &eg, 70, n, fmax, 1);
                gen_case(p.name, S, &eg, 71, n, 0.0, 0);
            }
            iteration_case(p.name, S, &st.grid, 0, -1, false, {2, 2, 5}, 61);
            mue_vegas_state_free(&st);
        }
        if (!quick) {
            iteration_case(p.name, S, &trained, 20000, 1, true, {8, 3, 4}, 40);
            iteration_case(p.name, S, &flat, 20000, 0, true, {8, 2, 4}, 41);
        }
        // non-finite weights: a coupling so large that part of the weights overflow to
        // inf (and inf * 0 -> NaN); counted, never summed, on both sides
        mue_setup Sbig = S;
        if (S.id == MUE_PROC_ZPRIME)
            Sbig.par.input[MUE_ZPRIME_COUPLING] = 1e147;
        else
            Sbig.par.alpha = 1e145;
        iteration_case(p.name, Sbig, &trained, 3000, 0, true, {4, 3, 3}, 50);
        iteration_case(p.name, Sbig, &trained, 3000, 1, false, {4, 2, 3}, 51);
    }
    check(n_bad_seen > 0, "the non-finite path was exercised", "%lld non-finite weights in all",
          n_bad_seen);
    emu_done = true;
    watchdog.join();
    printf("gpu-emulation: %d passed, %d failed (%ld barrier waits)\n", n_pass, n_fail,
           (long)emu_sync_calls);
    return n_fail ? 1 : 0;
}
