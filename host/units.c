#include "units.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <strings.h>

typedef struct {
    const char *name;
    double factor;
} unit;

static const unit energy_units[] = {{"GeV", 1.0}, {"MeV", 1e-3}, {"keV", 1e-6}, {"eV", 1e-9},
                                    {"TeV", 1e3}, {0, 0}};
static const unit angle_units[] = {{"rad", 1.0}, {"mrad", 1e-3}, {"urad", 1e-6},
                                   {"deg", 3.14159265358979323846 / 180.0}, {0, 0}};
/* integrated luminosity: inverse cross-section units */
static const unit lumi_units[] = {{"/fb", 1.0}, {"fb^-1", 1.0}, {"fb-1", 1.0}, {"/pb", 1e-3},
                                  {"pb^-1", 1e-3}, {"/ab", 1e3}, {"ab^-1", 1e3}, {0, 0}};

int mue_parse_quantity(const char *s, mue_unit_kind kind, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || errno == ERANGE || !isfinite(v))
        return -1;
    while (isspace((unsigned char)*end))
        end++;
    if (*end == '\0') {
        *out = v;
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
            *out = v * u->factor;
            return 0;
        }
    return -2;
}

int mue_parse_count(const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end != '\0' || errno == ERANGE || !isfinite(v) || v < 0.0 || v > 1.8e19 ||
        v != floor(v))
        return -1;
    *out = (uint64_t)v;
    return 0;
}
