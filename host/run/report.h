/* What a command hands back: the text it prints and one JSON document (the --json
 * file, and what the library's result reads its numbers from). Every document opens
 * with its schema (docs/schema/<command>.schema.json), the version of mue, the settings
 * of the run (its JSON echo) and their identity. */
#ifndef MUE_REPORT_H
#define MUE_REPORT_H

#include <jansson.h>
#include <stdio.h>

#include "run/integrate.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MUE_SCHEMA_VERSION 1

typedef struct {
    char *text;  /* malloc'd */
    json_t *doc; /* owned */
} mue_report;

void mue_report_free(mue_report *r);
/* {"schema": "mue-<command>", "schema_version", "version", "settings": {...},
 * "identity"}; NULL out of memory. */
json_t *mue_report_doc(const mue_run_config *c);
/* The settings and identity moved to the end of the document, after the results: a
 * reader that takes the first "iterations" of the text finds the result's. Returns o. */
json_t *mue_report_settings_last(json_t *o);
/* k = v in o; a non-finite v fails (returns -1): JSON has no nan or inf. */
int mue_report_real(json_t *o, const char *key, double v);
/* An array of n doubles, NULL if one is not finite. */
json_t *mue_report_reals(const double *v, size_t n);
/* A text stream into r->text (open_memstream); mue_report_text_end closes it. */
FILE *mue_report_text_begin(mue_report *r, size_t *size);
int mue_report_text_end(mue_report *r, FILE *f);

/* integrate: the summary mue prints, and the document (results, warnings, iterations,
 * histograms). 0, or -1 out of memory (or a number that is not finite). */
int mue_integrate_report(const mue_run_config *c, const mue_run_result *r, mue_report *rep);
/* The histograms of r as CSV files in dir, one per observable, written as a set. */
int mue_write_hist_csv(const char *dir, const mue_run_config *c, const mue_run_result *r);
/* "process=zprime mass_gev=0.1 coupling=0.001": the process and its inputs, for file
 * headers. */
const char *mue_report_model_kv(const mue_run_config *c, char *buf, size_t len);

#ifdef __cplusplus
}
#endif

#endif
