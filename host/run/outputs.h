/* The files a run names, checked before it computes (outputs.c). */
#ifndef MUE_OUTPUTS_H
#define MUE_OUTPUTS_H

#include <stddef.h>

#include "run/settings.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MUE_OUTPUTS_MAXLOCK 4

/* The output directories the run holds locked. */
typedef struct {
    int lock[MUE_OUTPUTS_MAXLOCK];
    int nlocks;
} mue_outputs;

/* Every output of c writable, its directories ready and locked (into o), no two files
 * the same: 0, or nonzero with a one-line reason naming the option. */
int mue_outputs_prepare(const mue_run_config *c, mue_outputs *o, char *why, size_t len);
/* The run is over: its directories unlocked. */
void mue_outputs_release(mue_outputs *o);

#ifdef __cplusplus
}
#endif

#endif
