/* A long run's state on disk after every iteration (--checkpoint FILE), so that
 * --resume FILE goes on after a crash or a batch system's time limit and gives the bits
 * of a run that was never stopped. JSON, format "mue-checkpoint" version 2
 * (docs/clusters.md): the settings that fix the numbers (the run description's
 * MUE_SF_RESULT rows, and their identity hash), the grid and VEGAS+ allocation as a grid file holds them (grid_file.h), the
 * run's next iteration, and the estimate so far (each production iteration's sums and
 * histograms). Doubles are written with 17 significant digits, which read back to the
 * same bits. Written atomically (a temporary, then a rename) by rank 0 only. */
#ifndef MUE_CHECKPOINT_H
#define MUE_CHECKPOINT_H

#include <stddef.h>
#include <stdint.h>

#include "run/settings.h"
#include "vegas/vegas.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MUE_CHECKPOINT_FORMAT "mue-checkpoint"
#define MUE_CHECKPOINT_VERSION 2

/* Writes the state s and progress p of the run c (histograms hs, may be 0); 0, or -1
 * with a one-line reason. */
int mue_checkpoint_save(const char *path, const mue_run_config *c, const mue_vegas_state *s,
                        const mue_vegas_progress *p, const mue_hist_spec *hs, char *why,
                        size_t len);

typedef struct {
    mue_vegas_state st;
    mue_vegas_result *r;
    double *hist;
    mue_vegas_progress p; /* points into r and hist */
} mue_checkpoint;

/* Reads a checkpoint of the run c: 0, or -1 with a one-line reason (missing, not a
 * checkpoint, written for other settings, damaged). */
int mue_checkpoint_load(const char *path, const mue_run_config *c, mue_checkpoint *k, char *why,
                        size_t len);
void mue_checkpoint_free(mue_checkpoint *k);

#ifdef __cplusplus
}
#endif

#endif
