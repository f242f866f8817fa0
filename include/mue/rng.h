/* Counter-based random numbers: point `index` of iteration `iter` under `seed` gets
 * its own Philox4x32-10 stream, so any point is reproducible on its own and the
 * result does not depend on how points are split among threads or GPU blocks.
 * The layout is cuRAND's: curand_init(seed, subsequence = iter * 2^40 + index, 0)
 * then curand_uniform2_double, so a GPU kernel draws the same numbers. */
#ifndef MUE_RNG_H
#define MUE_RNG_H

#include <stdint.h>
#include <Random123/philox.h>

#include "mue/defs.h"
#include "mue/rng_stream.h"

/* n uniforms of one point, two per Philox block as curand_uniform2_double gives them. */
MUE_FN void mue_rng_uniforms(uint64_t seed, uint32_t iter, uint64_t index, int n, double *u)
{
    uint64_t sub = mue_rng_subsequence(iter, index);
    philox4x32_key_t key = {{(uint32_t)seed, (uint32_t)(seed >> 32)}};
    for (int j = 0; 2 * j < n; j++) {
        philox4x32_ctr_t ctr = {{(uint32_t)j, 0u, (uint32_t)sub, (uint32_t)(sub >> 32)}};
        philox4x32_ctr_t r = philox4x32(ctr, key);
        u[2 * j] = mue_rng_u53(r.v[0], r.v[1]);
        if (2 * j + 1 < n)
            u[2 * j + 1] = mue_rng_u53(r.v[2], r.v[3]);
    }
}

#endif
