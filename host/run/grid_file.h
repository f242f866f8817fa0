/* A trained VEGAS grid on disk, so that one run trains it and later ones use it
 * without a warm-up. JSON (format "mue-vegas-grid", version 2; version 1 files are
 * read too), documented in the README: the settings the grid was trained for
 * (process, model point, beam, cuts, seed), how many iterations it has seen, the bin
 * edges of every axis and, after VEGAS+ iterations, what the last one measured in each
 * box ("strata"), written with 17 significant digits so that a loaded grid is the
 * saved one bit for bit. */
#ifndef MUE_GRID_FILE_H
#define MUE_GRID_FILE_H

#include <stddef.h>
#include <stdint.h>

#include "mue/params.h"
#include "vegas/vegas.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MUE_GRID_FORMAT "mue-vegas-grid"
#define MUE_GRID_FORMAT_VERSION 2

/* What a grid was trained for. */
typedef struct {
    char process[32];
    mue_params par; /* model point, beam and cuts */
    uint64_t seed;
} mue_grid_meta;

/* Writes the state atomically (a temporary file, then a rename); 0, or -1 with the
 * reason in why. */
int mue_grid_save(const char *path, const mue_vegas_state *s, const mue_grid_meta *m, char *why,
                  size_t len);

/* Reads a grid file into *s and *m; 0, or -1 with a one-line reason in why (a missing
 * or unreadable file, another format or version, edges that are not a map of [0, 1]). */
int mue_grid_load(const char *path, mue_vegas_state *s, mue_grid_meta *m, char *why, size_t len);

/* The same as a JSON object (a checkpoint holds one, checkpoint.h), and back: opt and
 * path name the source in the reasons; o is not consumed. */
typedef struct json_t json_t;
json_t *mue_grid_json(const mue_vegas_state *s, const mue_grid_meta *m);
/* o into path as indented JSON with every digit, through a temporary renamed when
 * complete (output.h, mue_afile): 0, or -1 with nothing left under the name. */
int mue_json_write_file(const char *path, const json_t *o);
int mue_grid_parse(json_t *o, const char *opt, const char *path, mue_vegas_state *s,
                   mue_grid_meta *m, char *why, size_t len);

#ifdef __cplusplus
}
#endif

#endif
