/* The Random123 side of tests/test_curand_layout.cu, in a translation unit of its own:
 * Random123's and cuRAND's Philox helpers share names. */
#include "mue/rng.h"

void mue_test_rng_reference(uint64_t seed, uint32_t iter, uint64_t index, int n, double *u)
{
    mue_rng_uniforms(seed, iter, index, n, u);
}
