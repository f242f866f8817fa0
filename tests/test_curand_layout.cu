// The GPU's random numbers without a GPU: cuRAND's device API is compiled for the host
// (its QUALIFIERS macro is made __host__ __device__) and the kernels' own draw,
// mue_gpu_uniforms in kernels/gpu_rng.cuh, is checked bit for bit against the CPU
// path's Random123 draw (include/mue/rng.h). This is what makes "the GPU and the CPU
// draw the same numbers for the same seed" true before any GPU run; test_gpu_parity
// then checks the device's own code. Built by nvcc; `make test` runs it where nvcc is.
#define QUALIFIERS static __forceinline__ __host__ __device__
#define MUE_GPU_RNG_FN static inline __host__ __device__
#include "../kernels/gpu_rng.cuh"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
extern "C" {
#include <cmocka.h>
}

extern "C" void mue_test_rng_reference(uint64_t seed, uint32_t iter, uint64_t index, int n,
                                       double *u);

#define NMAX 8 // MUE_VEGAS_MAXDIM: the most uniforms one point draws

// Uniforms of point (seed, iter, index) from cuRAND that differ from Random123's at
// (seed, iter, index + shift), bit for bit; shift != 0 is the check's negative control.
static int mismatches(uint64_t seed, uint32_t iter, uint64_t index, int n, uint64_t shift)
{
    double g[NMAX], c[NMAX];
    mue_gpu_uniforms(seed, iter, index, n, g);
    mue_test_rng_reference(seed, iter, index + shift, n, c);
    int bad = 0;
    for (int d = 0; d < n; d++) {
        bad += memcmp(&g[d], &c[d], sizeof(double)) != 0;
        if (!(g[d] > 0.0 && g[d] <= 1.0)) // cuRAND's range is (0, 1]
            bad++;
    }
    return bad;
}

// Keys where a layout slip would show: seed halves, the 2^32 carry inside the
// subsequence, the last index of an iteration (2^40 - 1), large iteration numbers,
// and every number of uniforms a point can ask for (odd ones drop half a pair).
static void test_edge_keys(void **state)
{
    (void)state;
    const uint64_t seeds[] = {0ull, 1ull, 12345ull, 0xffffffffull, 0x100000000ull,
                              0xdeadbeefcafebabeull, ~0ull};
    const uint32_t iters[] = {0u, 1u, 7u, 0xffffu, 0xffffffu};
    const uint64_t idx[] = {0ull, 1ull, 31ull, 0xffffffffull, 0x100000000ull,
                            0x123456789aull, (1ull << 40) - 1};
    long checked = 0, bad = 0;
    for (uint64_t s : seeds)
        for (uint32_t it : iters)
            for (uint64_t i : idx)
                for (int n = 1; n <= NMAX; n++) {
                    bad += mismatches(s, it, i, n, 0);
                    checked += n;
                }
    printf("cuRAND vs Random123 at edge keys: %ld uniforms, %ld differ\n", checked, bad);
    assert_int_equal(bad, 0);
}

// The first 1e5 points of one iteration, as test_gpu_parity compares their weights.
static void test_first_points(void **state)
{
    (void)state;
    long bad = 0;
    for (uint64_t i = 0; i < 100000; i++)
        bad += mismatches(20261127ull, 3u, i, NMAX, 0);
    printf("cuRAND vs Random123, points 0..99999: %d uniforms each, %ld differ\n", NMAX, bad);
    assert_int_equal(bad, 0);
}

// The comparison can fail: a neighbouring point, another iteration or the seed's halves
// swapped give other numbers.
static void test_detects_wrong_layout(void **state)
{
    (void)state;
    int bad_index = 0, bad_iter = 0, bad_seed = 0;
    for (uint64_t i = 0; i < 100; i++)
        bad_index += mismatches(42ull, 0u, i, 2, 1) > 0;
    double g[2], c[2];
    for (uint64_t i = 0; i < 100; i++) {
        mue_gpu_uniforms(42ull, 1u, i, 2, g);
        mue_test_rng_reference(42ull, 2u, i, 2, c);
        bad_iter += memcmp(g, c, sizeof g) != 0;
        mue_gpu_uniforms(0x0000000100000002ull, 0u, i, 2, g);
        mue_test_rng_reference(0x0000000200000001ull, 0u, i, 2, c);
        bad_seed += memcmp(g, c, sizeof g) != 0;
    }
    assert_int_equal(bad_index, 100);
    assert_int_equal(bad_iter, 100);
    assert_int_equal(bad_seed, 100);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_edge_keys),
        cmocka_unit_test(test_first_points),
        cmocka_unit_test(test_detects_wrong_layout),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
