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

#define MUE_RNG_ITER_SHIFT 40 /* up to 2^40 points per iteration */

MUE_FN uint64_t mue_rng_subsequence(uint32_t iter, uint64_t index)
{
    return ((uint64_t)iter << MUE_RNG_ITER_SHIFT) | index;
}

/* cuRAND's _curand_uniform_double_hq: 53 bits from two words, in (0, 1]. */
MUE_FN double mue_rng_u53(uint32_t x, uint32_t y)
{
    uint64_t z = (uint64_t)x ^ ((uint64_t)y << 21);
    const double inv = 1.0 / 9007199254740992.0; /* 2^-53 */
    return (double)z * inv + inv / 2.0;
}

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
