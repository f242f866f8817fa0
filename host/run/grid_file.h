/* A trained VEGAS grid on disk, so that one run trains it and later ones use it
 * without a warm-up. JSON, format "mue-vegas-grid" version 3 (docs/guide.md, Grids):
 * the settings of the integrand it was trained for (the run description's MUE_SF_GRID
 * rows, and their identity hash), the seed, how many iterations it has seen, the bin
 * edges of every axis and, after VEGAS+ iterations, what the last one measured in each
 * box ("strata"), written with 17 significant digits so that a loaded grid is the
 * saved one bit for bit. Versions 1 and 2 are read too. */
#ifndef MUE_GRID_FILE_H
#define MUE_GRID_FILE_H

#include <stddef.h>
#include <stdint.h>

#include "run/settings.h"
#include "vegas/vegas.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MUE_GRID_FORMAT "mue-vegas-grid"
#define MUE_GRID_FORMAT_VERSION 3
/* A bin narrower than this is a damaged (or forged) grid, not a trained one. */
#define MUE_GRID_MIN_BIN 1e-15

/* Writes the state of run c atomically (a temporary file, then a rename); 0, or -1
 * with the reason in why. */
int mue_grid_save(const char *path, const mue_run_config *c, const mue_vegas_state *s, char *why,
                  size_t len);

/* Reads a grid file for run c into *s: refused when it is not a grid of ndim axes, or
 * (unless c->force_grid) when it was trained for other settings of the integrand,
 * naming the first that differs. 0, or -1 with a one-line reason in why. */
int mue_grid_load(const char *path, const mue_run_config *c, int ndim, mue_vegas_state *s,
                  char *why, size_t len);

/* The same as a JSON object (a checkpoint holds one, checkpoint.h), and back: opt and
 * path name the source in the reasons; o is not consumed. mue_grid_parse gives the
 * settings the grid records (owned by the caller), legacy files' converted. */
typedef struct json_t json_t;
json_t *mue_grid_json(const mue_vegas_state *s, const mue_run_config *c);
int mue_grid_parse(json_t *o, const char *opt, const char *path, mue_vegas_state *s,
                   json_t **settings, uint64_t *seed, char *why, size_t len);

#ifdef __cplusplus
}
#endif

#endif
