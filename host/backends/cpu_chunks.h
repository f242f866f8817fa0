/* How the CPU cuts an iteration or an event batch into tasks for its threads: chunks
 * of whole boxes (or of MUE_CPU_CHUNK points without strata), so that each box's
 * variance is formed inside one chunk and the chunks merge in index order, whatever the
 * thread count. Shared by the integration (cpu_backend.c) and the event batches
 * (cpu_generate.c). */
#ifndef MUE_CPU_CHUNKS_H
#define MUE_CPU_CHUNKS_H

#include <stdint.h>

#include "mue/vegas_map.h"

#define MUE_CPU_CHUNK 4096

/* Boxes per chunk for grid g with strata (about MUE_CPU_CHUNK points, at least one
 * box); MUE_CPU_CHUNK points per chunk without. */
static inline uint64_t mue_cpu_chunk_size(const mue_vegas_grid *g)
{
    if (g->nstrat <= 1)
        return MUE_CPU_CHUNK;
    const uint64_t npoints = mue_vegas_box_first(g, g->nboxes);
    uint64_t cb = npoints ? MUE_CPU_CHUNK * g->nboxes / npoints : 1;
    return cb < 1 ? 1 : cb;
}

#endif
