/* Command-line numbers: strict parsing (the whole string, finite) with the unit
 * suffixes the command line allows; results in GeV, rad, fb^-1. */
#ifndef MUE_UNITS_H
#define MUE_UNITS_H

#include <stdint.h>

typedef enum { MUE_UNIT_NONE, MUE_UNIT_ENERGY, MUE_UNIT_ANGLE, MUE_UNIT_LUMI } mue_unit_kind;

/* 0 on success; a plain number may be written as a ratio, 1/132.507. Else -1 (not a
 * number; for MUE_UNIT_NONE also any other trailing text), -2 (unknown unit suffix) or
 * -3 (out of the range of a double: too large, or below its normal numbers). */
int mue_parse_quantity(const char *s, mue_unit_kind kind, double *out);
/* Non-negative integer: digits (exact up to 2^64 - 1), or written as 1e7 or 2.5e6 (up to
 * 2^53, where a double still holds every integer). 0 on success, -1 not such a number,
 * -3 too large. */
int mue_parse_count(const char *s, uint64_t *out);

#endif
