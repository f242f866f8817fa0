// The device side of an event run's batch (backend.h, gen): one thread per point, the
// same uniforms (cuRAND's Philox in mue_rng_uniforms's layout, then the detector's and
// the accept step's, unweight.h), box, map, physics and hit-or-miss as the CPU threads run them
// (include/mue/unweight.h); each thread writes its point's flag and record, each block
// its sums in a fixed tree. The host side (gpu_backend.cu) keeps the flagged records
// in index order (cub's stable select) and brings back only those. Launch: one thread
// per point, MUE_GPU_GEN_THREADS a block, MUE_GPU_GEN_SHMEM bytes of dynamic shared
// memory. tests/gpu_emulation.cpp runs it on CPU threads against the CPU backend.
#ifndef MUE_GPU_GENERATE_CUH
#define MUE_GPU_GENERATE_CUH

#include "gpu_kernels.cuh"
#include "mue/unweight.h"

#define MUE_GPU_GEN_THREADS 256
// per block: sum F, sum min(F, fmax), then the counts nonzero, over, non-finite
#define MUE_GPU_GEN_SUMS 5
// dynamic shared memory of a block: sum F and sum min per thread, then 3 counts each
#define MUE_GPU_GEN_SHMEM ((size_t)MUE_GPU_GEN_THREADS * (2 * sizeof(double) + 3 * sizeof(unsigned long long)))

template <mue_process_id P>
__global__ void __launch_bounds__(MUE_GPU_GEN_THREADS)
    mue_gen_kernel(const __grid_constant__ mue_setup S, const mue_vegas_grid *__restrict__ grid,
                   unsigned long long seed, uint32_t iter, uint64_t npoints, double fmax,
                   int with_events, unsigned char *__restrict__ flag, double *__restrict__ Fout,
                   mue_gen_event *__restrict__ rec, double *__restrict__ sums)
{
    constexpr int nd = mue_gpu_ndim<P>;
    MUE_GPU_DYNAMIC_SHARED(double, smem); // MUE_GPU_GEN_SHMEM bytes
    double *s_f = smem, *s_m = smem + MUE_GPU_GEN_THREADS;
    unsigned long long(*s_c)[MUE_GPU_GEN_THREADS] =
        reinterpret_cast<unsigned long long(*)[MUE_GPU_GEN_THREADS]>(smem + 2 * MUE_GPU_GEN_THREADS);
    const uint64_t i = (uint64_t)blockIdx.x * MUE_GPU_GEN_THREADS + threadIdx.x;
    double f = 0.0, m = 0.0;
    unsigned long long nz = 0, over = 0, bad = 0;
    if (i < npoints) {
        // the map's, the detector's (or the azimuth alone), the beam's, the accept step's (unweight.h)
        double u[nd + MUE_POINT_NX + 1];
        const int na = mue_gen_accept_draw(&S.par, nd);
        if (na > nd + 1) // two calls, each with a constant count: the draws stay unrolled
            mue_gpu_uniforms(seed, iter, i, nd + MUE_POINT_NX + 1, u);
        else
            mue_gpu_uniforms(seed, iter, i, nd + 2, u);
        double scale = 1.0;
        if (grid->nstrat > 1) {
            const uint64_t h = mue_vegas_box_of(grid, i, 0, grid->nboxes);
            if (grid->offset) {
                const uint64_t b0 = mue_vegas_box_first(grid, h), b1 = mue_vegas_box_first(grid, h + 1);
                scale = mue_vegas_box_scale(mue_vegas_box_first(grid, grid->nboxes), grid->nboxes, b1 - b0);
            }
            mue_vegas_stratify_in_nd(grid, nd, h, u);
        }
        mue_event ev;
        const double F = mue_gen_point(P, &S, grid, nd, u, scale, &ev);
        const int keep = mue_gen_accept(F, fmax, u[na]);
        if (F != 0.0 && !isfinite(F))
            bad = 1;
        else if (F != 0.0) {
            nz = 1;
            f = F;
            m = fmax > 0.0 && F > fmax ? fmax : F;
            over = fmax > 0.0 && F > fmax;
        }
        flag[i] = (unsigned char)keep;
        if (with_events) {
            if (keep) {
                rec[i].index = i;
                rec[i].F = F;
                rec[i].ev = ev;
            }
        } else
            Fout[i] = F;
    }
    s_f[threadIdx.x] = f;
    s_m[threadIdx.x] = m;
    s_c[0][threadIdx.x] = nz;
    s_c[1][threadIdx.x] = over;
    s_c[2][threadIdx.x] = bad;
    __syncthreads();
    for (int off = MUE_GPU_GEN_THREADS / 2; off > 0; off >>= 1) {
        if ((int)threadIdx.x < off) {
            s_f[threadIdx.x] += s_f[threadIdx.x + off];
            s_m[threadIdx.x] += s_m[threadIdx.x + off];
            for (int k = 0; k < 3; k++)
                s_c[k][threadIdx.x] += s_c[k][threadIdx.x + off];
        }
        __syncthreads();
    }
    if (threadIdx.x == 0) {
        double *row = sums + (size_t)blockIdx.x * MUE_GPU_GEN_SUMS;
        row[0] = s_f[0];
        row[1] = s_m[0];
        for (int k = 0; k < 3; k++)
            row[2 + k] = (double)s_c[k][0];
    }
}

#endif
