/* Models set on the command line as KEY=VALUE,... (--detector, --beam-model): one
 * parser, one range check and one canonical text over a table of the model's numeric
 * keys, so that every such option reads, refuses and prints the same way. */
#ifndef MUE_KEYVALS_H
#define MUE_KEYVALS_H

#include <stddef.h>

#include "util/units.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    const char *key;
    mue_unit_kind kind;
    size_t off;    /* of the double in the model */
    double lo, hi; /* allowed: lo <= v <= hi */
    const char *what;
} mue_keyval_def;

typedef struct {
    const char *option; /* "--detector" */
    const mue_keyval_def *keys;
    size_t nkeys;
    /* keys that are words, not numbers (may be null): 1 if key is one (then 0 or a
     * reason in why from setting it), 0 if not */
    int (*word)(const char *key, const char *val, void *model, int *rc, char *why, size_t len);
    const char *words; /* their names for the error that lists the keys ("mode, cuts") */
} mue_keyval_table;

/* Applies spec (comma-separated KEY=VALUE, none empty) to model; 0, or nonzero with a
 * one-line reason in why naming the option and the key. */
int mue_keyvals_parse(const mue_keyval_table *t, const char *spec, void *model, char *why, size_t len);
/* Every numeric key within its range; 0, or nonzero with the reason. */
int mue_keyvals_validate(const mue_keyval_table *t, const void *model, char *why, size_t len);
/* Every numeric key as KEY=VALUE, each followed by a comma, doubles to 17 digits;
 * returns the length written. */
size_t mue_keyvals_canonical(const mue_keyval_table *t, const void *model, char *buf, size_t len);

#ifdef __cplusplus
}
#endif

#endif
