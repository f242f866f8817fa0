/* Numbers for the event files, fast: printf's %e costs about ten times more, and an
 * event file is mostly numbers (a signal event is some 40 of them). */
#ifndef MUE_NUMFMT_H
#define MUE_NUMFMT_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The longest text mue_fmt_e writes, without a terminator: "-1.234567890123456e-308". */
#define MUE_FMT_E_MAX 23

/* v in scientific notation with 16 significant digits, as "%.15e" writes it (scaled in
 * long double: the digits are printf's but, rarely, a last digit at a near-tie; the
 * value within 5e-16 relative), at p; returns the end (no terminator written). 0 and -0 give
 * "0.000000000000000e+00"; v must be finite. */
char *mue_fmt_e(char *p, double v);
/* A non-negative integer in decimal at p; returns the end. */
char *mue_fmt_u(char *p, unsigned long long v);
/* An integer in decimal at p, '-' before a negative one (PDG ids of antiparticles). */
char *mue_fmt_i(char *p, long long v);
/* v as the shortest of %.15g, %.16g, %.17g that reads back to v (0.1, not
 * 0.10000000000000001): exact, and the same text for the same double. */
const char *mue_fmt_exact(double v, char *buf, size_t len);
/* A string at p; returns the end. */
char *mue_fmt_s(char *p, const char *s);

#ifdef __cplusplus
}
#endif

#endif
