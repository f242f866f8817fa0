/* Command-line numbers: strict parsing (the whole string, finite) with the unit
 * suffixes the command line allows; results in GeV, rad, fb^-1. */
#ifndef MUE_UNITS_H
#define MUE_UNITS_H

#include <stdint.h>

typedef enum { MUE_UNIT_NONE, MUE_UNIT_ENERGY, MUE_UNIT_ANGLE, MUE_UNIT_LUMI } mue_unit_kind;

/* 0 on success; a plain number may be written as a ratio, 1/132.507. Else -1 (not a
 * number; for MUE_UNIT_NONE also any other trailing text) or
 * -2 (unknown unit suffix). */
int mue_parse_quantity(const char *s, mue_unit_kind kind, double *out);
/* Non-negative integer, also written as 1e7 or 2.5e6; 0 on success. */
int mue_parse_count(const char *s, uint64_t *out);

#endif
