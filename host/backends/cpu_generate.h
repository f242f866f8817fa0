/* The CPU backend's batches of an event run (backend.h, gen): chunks of whole boxes on
 * every core, each keeping its own points, appended in chunk order, so the events and
 * the sums have the same bits for any thread count. */
#ifndef MUE_CPU_GENERATE_H
#define MUE_CPU_GENERATE_H

#include "backends/backend.h"

#ifdef __cplusplus
extern "C" {
#endif

/* 0, or -1 out of memory. threads: 0 for all cores. */
int mue_cpu_generate(const mue_setup *S, uint64_t seed, int threads, const mue_vegas_grid *g,
                     uint32_t iter, const mue_gen_opts *o, mue_gen_batch *out);

#ifdef __cplusplus
}
#endif

#endif
