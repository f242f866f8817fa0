/* One VEGAS iteration cut into slices: the unit of work a backend evaluates and, in
 * range order, the unit of every merge. The slices depend on the grid's strata and the
 * number of points only, so the sums of an iteration have the same bits whether one
 * backend evaluates all slices or many processes share them. */
#ifndef MUE_ITERATION_H
#define MUE_ITERATION_H

#include "vegas/vegas.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Points first .. first+count-1 of an iteration: the whole boxes box .. box+nbox-1 of
 * the grid (no box is split; without strata, box 0 and nbox 1 hold any points). */
typedef struct {
    uint64_t first, count;
    uint64_t box, nbox;
} mue_range;

/* What evaluates slices: a backend's eval and error (backends/backend.h), and its
 * context. eval puts the sums of range r[k] into out[k] (cleared by the caller) in the
 * order the range fixes; 0, or nonzero with the reason in error(ctx). */
typedef struct {
    int (*eval)(void *ctx, const mue_vegas_grid *g, uint32_t iter, const mue_range *r, int nr,
                const mue_hist_spec *hs, mue_acc *out);
    const char *(*error)(const void *ctx);
    void *ctx;
} mue_evaluator;

/* Slices hold whole boxes and at least this many points where there are enough, and
 * there are at most MUE_SLICES_MAX of them (also the most processes an iteration can
 * be shared among), cut at the same share of the boxes. An iteration of fewer than
 * 2 MUE_SLICE_MIN_POINTS points is one slice: on the CPU, its sums are then those of
 * one chain of chunks in index order. */
#define MUE_SLICE_MIN_POINTS (1u << 20)
#define MUE_SLICES_MAX 256

/* The slices of an iteration of npoints points through g (its boxes, as the VEGAS
 * driver laid them out: mue_vegas_layout), into r[MUE_SLICES_MAX]; returns their
 * number (0 when npoints is 0). */
int mue_iteration_slices(const mue_vegas_grid *g, uint64_t npoints, mue_range *r);

/* A mue_vegas_iteration_fn that evaluates every slice on one evaluator and merges the
 * slices in order. */
typedef struct {
    mue_evaluator ev;
    mue_acc *slot; /* MUE_SLICES_MAX accumulators */
} mue_local_iteration;

int mue_local_iteration_init(mue_local_iteration *li, mue_evaluator ev);
void mue_local_iteration_free(mue_local_iteration *li);
int mue_local_iterate(void *ctx, const mue_vegas_grid *g, uint32_t iter, uint64_t npoints,
                      const mue_hist_spec *hs, mue_acc *out);

#ifdef __cplusplus
}
#endif

#endif
