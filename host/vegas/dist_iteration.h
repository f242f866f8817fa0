/* One VEGAS iteration shared by the ranks of a job (comm.h): the slices of the
 * iteration (iteration.h, fixed by the grid and the point count alone) are dealt out
 * in contiguous runs, rank k taking slices [k n / R, (k+1) n / R) of n (uneven where R
 * does not divide n; a rank may get none), each rank evaluates its slices on its own
 * backend, and rank 0 gathers their accumulators and merges all slices in slice order,
 * as mue_local_iterate does on one backend. The sums, so the whole run, then have the
 * bits of a single-process run with the same seed, for any number of ranks (on the
 * same kind of device: backend.h).
 *
 * Rank 0 runs the VEGAS driver (vegas.c: layout, refinement, VEGAS+ allocation) and
 * sends each iteration's grid and box layout before it; the followers only evaluate
 * (mue_dist_serve) until rank 0 says the run is over. Per iteration that is one grid
 * and, with VEGAS+, the box offsets down, and a few accumulators and the box variances
 * up. */
#ifndef MUE_DIST_ITERATION_H
#define MUE_DIST_ITERATION_H

#include "vegas/comm.h"
#include "vegas/iteration.h"
#include "vegas/vegas.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    mue_comm *comm;
    mue_evaluator ev;
    const mue_hist_spec *hs; /* the histograms of production iterations (followers) */
    mue_acc *slot;           /* MUE_SLICES_MAX accumulators */
    mue_vegas_grid grid;     /* followers: rank 0's grid of the iteration */
    uint64_t *offset;        /* followers: its VEGAS+ box offsets */
    double *box_var;         /* followers: the variances of their boxes */
    uint64_t cap;            /* boxes offset and box_var hold */
    unsigned char *buf;      /* packed accumulators */
    size_t bufcap;
    int kill_iter;           /* test hook MUE_TEST_KILL_RANK=RANK:ITER, else -1 */
    char err[400];
} mue_dist_iteration;

int mue_dist_iteration_init(mue_dist_iteration *d, mue_comm *c, mue_evaluator ev,
                            const mue_hist_spec *hs);
void mue_dist_iteration_free(mue_dist_iteration *d);
/* Rank 0: a mue_vegas_iteration_fn over all ranks. On failure d->err says why (the
 * first failing rank's backend error). */
int mue_dist_iterate(void *ctx, const mue_vegas_grid *g, uint32_t iter, uint64_t npoints,
                     const mue_hist_spec *hs, mue_acc *out);
/* Rank 0: the run is over (failed: it ended on an error); the followers' serve returns. */
int mue_dist_stop(mue_dist_iteration *d, int failed);
/* The followers: evaluate what rank 0 sends until it stops; 0, or -1 when rank 0
 * ended the run on an error or the exchange failed. */
int mue_dist_serve(mue_dist_iteration *d);

#ifdef __cplusplus
}
#endif

#endif
