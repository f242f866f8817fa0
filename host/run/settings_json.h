/* The settings of a run as JSON (settings_json.c): the echo in every JSON output, and
 * the identity section of grid files and checkpoints, checked against a run. */
#ifndef MUE_SETTINGS_JSON_H
#define MUE_SETTINGS_JSON_H

#include <jansson.h>

#include "run/settings.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The rows of c with a flag in mask (0: every row with a JSON key), by JSON key; NULL
 * out of memory. */
json_t *mue_settings_json(const mue_run_config *c, unsigned mask);
/* One row's value as JSON (numbers, counts, booleans, texts). */
json_t *mue_setting_json_value(const mue_setting *s, const mue_run_config *c);
/* recorded (an object mue_settings_json wrote, read from source) against c's rows of
 * mask: 0 when they agree, else 1 and why names the first setting that differs, with
 * both values: "mass (the grid 'g.json' says 0.1, this run has 0.2)". */
int mue_settings_differ(const mue_run_config *c, unsigned mask, const json_t *recorded,
                        const char *source, char *why, size_t len);

#ifdef __cplusplus
}
#endif

#endif
