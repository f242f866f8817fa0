// The uniforms of one GPU point: cuRAND's Philox4_32_10 device API in the layout of
// include/mue/rng.h, curand_init(seed, subsequence = mue_rng_subsequence(iter, i), 0)
// and then curand_uniform2_double pairs. Its own file so that
// tests/test_curand_layout.cu can compile this very function, with cuRAND's own code,
// for the host and check it against Random123 bit for bit (no GPU needed).
#ifndef MUE_GPU_RNG_CUH
#define MUE_GPU_RNG_CUH

#include <stdint.h>

#ifndef MUE_GPU_EMULATION // tests/gpu_emulation.cpp brings its own cuRAND
#include <curand_kernel.h>
#endif

#include "mue/rng_stream.h" // not rng.h: Random123 and curand_kernel.h clash

#ifndef MUE_GPU_RNG_FN
#define MUE_GPU_RNG_FN __device__ __forceinline__
#endif

MUE_GPU_RNG_FN void mue_gpu_uniforms(unsigned long long seed, uint32_t iter, uint64_t i, int n,
                                     double *u)
{
    curandStatePhilox4_32_10_t st;
    curand_init(seed, mue_rng_subsequence(iter, i), 0ull, &st);
    for (int j = 0; 2 * j < n; j++) {
        double2 r = curand_uniform2_double(&st);
        u[2 * j] = r.x;
        if (2 * j + 1 < n)
            u[2 * j + 1] = r.y;
    }
}

#endif
