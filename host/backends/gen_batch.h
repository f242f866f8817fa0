/* What a backend hands back from one batch of an event run (mue generate): the points
 * it kept, in index order, and the sums over all its points. Plain C, filled by the
 * CPU threads (cpu_generate.c) or copied back from the GPU (gpu_backend.cu). */
#ifndef MUE_GEN_BATCH_H
#define MUE_GEN_BATCH_H

#include <stddef.h>
#include <stdint.h>

#include "mue/unweight.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    uint64_t npoints; /* of the batch, as mue_vegas_layout laid them out */
    double fmax;     /* hit-or-miss against it; <= 0: every nonzero weight (weighted, survey) */
    int with_events; /* 0: only the weights of the kept points (the survey) */
} mue_gen_opts;

typedef struct {
    size_t n, cap;
    mue_gen_event *ev; /* with events: the kept points, in index order */
    double *F;         /* without: their weights, in index order */
    /* over every point of the batch */
    uint64_t points;
    double sum_f;      /* sum of the finite F: sum_f / points estimates sigma (fb) */
    double sum_min;    /* sum of min(F, fmax): what hit-or-miss keeps */
    long long n_nonzero, n_over, n_bad; /* F != 0; F > fmax; F not finite */
} mue_gen_batch;

/* Empties b for the next batch (keeps its memory). */
void mue_gen_batch_reset(mue_gen_batch *b);
void mue_gen_batch_free(mue_gen_batch *b);
/* Room for n more entries: 0, or -1 out of memory. */
int mue_gen_batch_reserve(mue_gen_batch *b, size_t n, int with_events);
/* dst += src: the entries after dst's, and the sums (merged in the caller's order). */
int mue_gen_batch_append(mue_gen_batch *dst, const mue_gen_batch *src, int with_events);

#ifdef __cplusplus
}
#endif

#endif
