#include "util/units.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <strings.h>

/* value in base units = number * mul / div.  Sub-units divide by an exact power of ten,
 * so "100MeV", "9MeV" and "1.5mrad" give the same double as "0.1", "0.009" and
 * "1.5e-3" (multiplying by the inexact 1e-3 would not, for 9MeV for instance). */
typedef struct {
    const char *name;
    double mul, div;
} unit;

static const unit energy_units[] = {{"GeV", 1.0, 1.0}, {"MeV", 1.0, 1e3}, {"keV", 1.0, 1e6},
                                    {"eV", 1.0, 1e9},  {"TeV", 1e3, 1.0}, {0, 0, 0}};
static const unit angle_units[] = {{"rad", 1.0, 1.0}, {"mrad", 1.0, 1e3}, {"urad", 1.0, 1e6},
                                   {"deg", 3.14159265358979323846, 180.0}, {0, 0, 0}};
/* integrated luminosity: inverse cross-section units */
static const unit lumi_units[] = {{"/fb", 1.0, 1.0},   {"fb^-1", 1.0, 1.0}, {"fb-1", 1.0, 1.0},
                                  {"/pb", 1.0, 1e3},   {"pb^-1", 1.0, 1e3}, {"/ab", 1e3, 1.0},
                                  {"ab^-1", 1e3, 1.0}, {0, 0, 0}};

int mue_parse_quantity(const char *s, mue_unit_kind kind, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || !isfinite(v))
        return -1;
    if (errno == ERANGE) /* beyond a double, or below its normal range (1e-320) */
        return -3;
    while (isspace((unsigned char)*end))
        end++;
    if (v != 0.0 && !isnormal(v)) /* a hex float such as 0x1p-1074 sets no ERANGE */
        return -3;
    if (*end == '\0') {
        *out = v;
        return 0;
    }
    if (kind == MUE_UNIT_NONE) {
        /* a ratio such as 1/132.507 (--alpha); trailing junk ("1e-3x") is not a number */
        if (*end != '/')
            return -1;
        char *end2;
        errno = 0;
        double d = strtod(end + 1, &end2);
        if (end2 == end + 1 || *end2 != '\0' || !isfinite(d) || d == 0.0)
            return -1;
        if (errno == ERANGE || !isfinite(v / d) || (v != 0.0 && !isnormal(v / d)))
            return -3;
        *out = v / d;
        return 0;
    }
    const unit *u = kind == MUE_UNIT_ENERGY ? energy_units
                    : kind == MUE_UNIT_ANGLE ? angle_units
                    : kind == MUE_UNIT_LUMI  ? lumi_units
                                             : 0;
    for (; u && u->name; u++)
        if (strcasecmp(end, u->name) == 0) {
            /* "mev" and "MeV" agree; only the milli/mega clash matters, and no unit
             * table here holds both */
            *out = v * u->mul / u->div;
            if (!isfinite(*out) || (v != 0.0 && !isnormal(*out)))
                return -3;
            return 0;
        }
    return -2;
}

int mue_parse_count(const char *s, uint64_t *out)
{
    if (!(*s >= '0' && *s <= '9') && !(*s == '+' && s[1] >= '0' && s[1] <= '9'))
        return -1; /* no sign, no blank in front */
    const char *p = s + (*s == '+');
    /* DIGITS[.DIGITS][(e|E)[+]DIGITS], read exactly in integers (no double rounds
     * 9007199254740993e0): the value must be whole and fit 64 bits */
    uint64_t mant = 0;
    int frac = 0, big = 0;
    for (; *p >= '0' && *p <= '9'; p++) {
        big |= mant > (UINT64_MAX - (uint64_t)(*p - '0')) / 10;
        mant = mant * 10 + (uint64_t)(*p - '0');
    }
    if (*p == '.')
        for (p++; *p >= '0' && *p <= '9'; p++, frac++) {
            big |= mant > (UINT64_MAX - (uint64_t)(*p - '0')) / 10;
            mant = mant * 10 + (uint64_t)(*p - '0');
        }
    long ex = 0;
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+')
            p++;
        if (!(*p >= '0' && *p <= '9'))
            return -1;
        for (; *p >= '0' && *p <= '9'; p++)
            ex = ex < 100000 ? ex * 10 + (*p - '0') : ex;
    }
    if (*p != '\0')
        return -1;
    if (big)
        return -3;
    /* mant x 10^(ex - frac): drop the fraction's digits (they must be zeros), then scale */
    for (; frac > ex; frac--) {
        if (mant % 10)
            return -1; /* not whole: 2.5e0 */
        mant /= 10;
    }
    for (long k = ex - frac; k > 0 && mant; k--) {
        if (mant > UINT64_MAX / 10)
            return -3;
        mant *= 10;
    }
    *out = mant;
    return 0;
}
