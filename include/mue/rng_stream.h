/* Where each point's random numbers come from, without the generator itself: the
 * cuRAND subsequence of a point and cuRAND's double from two 32-bit words. Split from
 * rng.h so CUDA code can use it next to curand_kernel.h (whose Philox helpers clash
 * with Random123's by name). */
#ifndef MUE_RNG_STREAM_H
#define MUE_RNG_STREAM_H

#include <stdint.h>

#include "mue/defs.h"

#define MUE_RNG_ITER_SHIFT 40 /* up to 2^40 points per iteration */
#define MUE_RNG_ITER_MAX (1u << 24) /* and 2^24 iterations, all runs of a grid together */

MUE_FN uint64_t mue_rng_subsequence(uint32_t iter, uint64_t index)
{
    return ((uint64_t)iter << MUE_RNG_ITER_SHIFT) | index;
}

/* cuRAND's _curand_uniform_double_hq: 53 bits from two words, in (0, 1]. z < 2^53,
 * so converting it as a signed integer gives the same double; x86-64 has a single
 * instruction for that, while an unsigned 64-bit conversion needs a branch. */
MUE_FN double mue_rng_u53(uint32_t x, uint32_t y)
{
    uint64_t z = (uint64_t)x ^ ((uint64_t)y << 21);
    const double inv = 1.0 / 9007199254740992.0; /* 2^-53 */
    return (double)(int64_t)z * inv + inv / 2.0;
}

#endif
