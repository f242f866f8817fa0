/* The settings whose values are more than a number or a path: each parses its text
 * into its field and prints the field back as canonical text (the identity, the JSON
 * echo and the event header read that text). */
#include "run/settings_types.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/backend.h"
#include "physics1d/g2.h"
#include "run/beam_config.h"
#include "run/detector_config.h"
#include "run/process_table.h"
#include "util/numfmt.h"
#include "util/units.h"

#define FAIL(...) return snprintf(why, len, __VA_ARGS__), 1

/* ---- --process ---- */

int mue_st_process_parse(const mue_setting *s, const char *val, void *field, mue_run_config *c,
                         char *why, size_t len)
{
    (void)s, (void)c;
    const mue_process_info *pi = mue_process_find(val);
    char names[256];
    if (!pi)
        FAIL("--process: unknown process '%s' (known: %s)", val, mue_process_names(names, sizeof names));
    *(mue_process_id *)field = pi->id;
    return 0;
}

void mue_st_process_print(const mue_setting *s, const void *field, const mue_run_config *c,
                          char *buf, size_t len)
{
    (void)s, (void)c;
    snprintf(buf, len, "%s", mue_process_name(*(const mue_process_id *)field));
}

/* ---- --flavours (a model input: a double holding the bits) ---- */

int mue_st_flavours_parse(const mue_setting *s, const char *val, void *field, mue_run_config *c,
                          char *why, size_t len)
{
    (void)s, (void)c;
    int bits = mue_nu_flavours_parse(val);
    if (!bits)
        FAIL("--%s: '%s' is not a list of distinct neutrino flavours from e, mu, tau (e.g. e,mu,tau)",
             s->name, val);
    *(double *)field = bits;
    return 0;
}

void mue_st_flavours_print(const mue_setting *s, const void *field, const mue_run_config *c,
                           char *buf, size_t len)
{
    (void)s, (void)c;
    mue_nu_flavours_str((int)*(const double *)field, buf, len);
}

/* ---- --device ---- */

int mue_st_device_parse(const mue_setting *s, const char *val, void *field, mue_run_config *c,
                        char *why, size_t len)
{
    (void)s, (void)c;
    if (strcmp(val, "auto") != 0 && !mue_backend_find(val))
        FAIL("--device: unknown device '%s' (auto, cpu, gpu)", val);
    snprintf((char *)field, sizeof c->device, "%s", val);
    return 0;
}

void mue_st_text_print(const mue_setting *s, const void *field, const mue_run_config *c, char *buf,
                       size_t len)
{
    (void)s, (void)c;
    snprintf(buf, len, "%s", (const char *)field);
}

/* ---- --detector: KEY=VALUE,... over what earlier occurrences set ---- */

int mue_st_detector_parse(const mue_setting *s, const char *val, void *field, mue_run_config *c,
                          char *why, size_t len)
{
    (void)s, (void)c;
    return mue_detector_parse(val, (mue_detector *)field, why, len);
}

void mue_st_detector_print(const mue_setting *s, const void *field, const mue_run_config *c,
                           char *buf, size_t len)
{
    (void)s, (void)c;
    const mue_detector *d = field;
    if (!d->enabled)
        snprintf(buf, len, "none");
    else
        mue_detector_canonical(d, buf, len);
}

/* ---- --beam-model: KEY=VALUE,... over what earlier occurrences set ---- */

int mue_st_beam_model_parse(const mue_setting *s, const char *val, void *field, mue_run_config *c,
                            char *why, size_t len)
{
    (void)s, (void)c;
    return mue_beam_model_parse(val, (mue_beam_model *)field, why, len);
}

void mue_st_beam_model_print(const mue_setting *s, const void *field, const mue_run_config *c,
                             char *buf, size_t len)
{
    (void)s, (void)c;
    const mue_beam_model *b = field;
    if (!b->enabled)
        snprintf(buf, len, "none");
    else
        mue_beam_model_canonical(b, buf, len);
}

/* ---- --hist-range NAME=LO:HI, an observable of the process and its range, numbers as
 * every other option takes them, in the observable's unit or with a suffix of its kind
 * (theta_e=0:20mrad) ---- */

int mue_st_hist_range_parse(const mue_setting *s, const char *val, void *field, mue_run_config *c,
                            char *why, size_t len)
{
    (void)s, (void)field;
    const mue_process_info *pi = mue_process_info_of(c->process);
    const char *eq = strchr(val, '='), *colon = eq ? strchr(eq, ':') : NULL;
    char name[32], lo_s[64], hi_s[64], names[256] = "";
    for (int q = 0; q < pi->nobs; q++)
        snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s", q ? ", " : "", pi->obs[q].name);
    if (!eq || !colon || eq == val || (size_t)(eq - val) >= sizeof name || (size_t)(colon - eq) > sizeof lo_s ||
        strlen(colon + 1) >= sizeof hi_s)
        FAIL("--hist-range: '%s' is not NAME=LO:HI (NAME one of %s)", val, names);
    snprintf(name, sizeof name, "%.*s", (int)(eq - val), val);
    snprintf(lo_s, sizeof lo_s, "%.*s", (int)(colon - eq - 1), eq + 1);
    snprintf(hi_s, sizeof hi_s, "%s", colon + 1);
    int k = mue_process_obs_index(pi, name);
    if (k < 0)
        FAIL("--hist-range: %s has no observable '%s' (it has: %s)", pi->name, name, names);
    const char *u = pi->obs[k].unit;
    const mue_unit_kind kind = strcmp(u, "GeV") == 0   ? MUE_UNIT_ENERGY
                               : strcmp(u, "rad") == 0 ? MUE_UNIT_ANGLE
                                                       : MUE_UNIT_NONE;
    double lo = 0.0, hi = 0.0;
    int rl = mue_parse_quantity(lo_s, kind, &lo), rh = rl ? 0 : mue_parse_quantity(hi_s, kind, &hi);
    int bad = rl ? rl : rh;
    if (bad)
        FAIL("--hist-range %s: '%s' is %s", name, rl ? lo_s : hi_s,
             bad == -2   ? "a number with a unit this observable does not take"
             : bad == -3 ? "out of the range of double precision"
                         : "not a number");
    if (!(hi > lo))
        FAIL("--hist-range %s: LO %g must be below HI %g %s", name, lo, hi, u);
    if (c->n_hist_ranges >= MUE_MAX_OBS)
        FAIL("--hist-range: at most %d ranges", MUE_MAX_OBS);
    mue_hist_range *h = &c->hist_range[c->n_hist_ranges++];
    snprintf(h->name, sizeof h->name, "%s", name);
    h->lo = lo;
    h->hi = hi;
    return 0;
}

void mue_st_hist_range_print(const mue_setting *s, const void *field, const mue_run_config *c,
                             char *buf, size_t len)
{
    (void)s, (void)field;
    size_t n = 0;
    buf[0] = 0;
    for (int k = 0; k < c->n_hist_ranges && n < len; k++)
    {
        char lo[32], hi[32];
        n += (size_t)snprintf(buf + n, len - n, "%s%s=%s:%s", k ? "," : "", c->hist_range[k].name,
                              mue_fmt_exact(c->hist_range[k].lo, lo, sizeof lo),
                              mue_fmt_exact(c->hist_range[k].hi, hi, sizeof hi));
    }
}

/* ---- scan --masses: a comma list with energy units ---- */

int mue_st_masses_parse(const mue_setting *s, const char *val, void *field, mue_run_config *c,
                        char *why, size_t len)
{
    (void)s, (void)field;
    int n = 0;
    for (const char *p = val;;) {
        size_t k = strcspn(p, ",");
        char tok[128];
        if (k == 0 || k >= sizeof tok)
            FAIL("--masses: '%s' is not a comma-separated list of masses", val);
        if (n >= MUE_SCAN_MAXMASS)
            FAIL("--masses: more than %d masses", MUE_SCAN_MAXMASS);
        memcpy(tok, p, k);
        tok[k] = 0;
        if (mue_parse_quantity(tok, MUE_UNIT_ENERGY, &c->masses[n]))
            FAIL("--masses: '%s' is not a comma-separated list of masses", val);
        n++;
        if (!p[k])
            break;
        p += k + 1;
    }
    c->nmasses = n;
    return 0;
}

void mue_st_masses_print(const mue_setting *s, const void *field, const mue_run_config *c,
                         char *buf, size_t len)
{
    (void)s, (void)field;
    size_t n = 0;
    buf[0] = 0;
    for (int k = 0; k < c->nmasses && n < len; k++)
    {
        char m[32];
        n += (size_t)snprintf(buf + n, len - n, "%s%s", k ? "," : "", mue_fmt_exact(c->masses[k], m, sizeof m));
    }
}

/* ---- generate --coupling-weights: a comma list of couplings, or none ---- */

int mue_st_coupling_weights_parse(const mue_setting *s, const char *val, void *field, mue_run_config *c,
                                  char *why, size_t len)
{
    (void)s, (void)field;
    int n = 0;
    for (const char *p = val; strcmp(val, "none") != 0;) {
        size_t k = strcspn(p, ",");
        char tok[128];
        double g;
        if (k == 0 || k >= sizeof tok)
            FAIL("--coupling-weights: '%s' is not a comma-separated list of couplings (or none)", val);
        if (n >= MUE_GEN_MAXWEIGHTS)
            FAIL("--coupling-weights: more than %d couplings", MUE_GEN_MAXWEIGHTS);
        memcpy(tok, p, k);
        tok[k] = 0;
        if (mue_parse_quantity(tok, MUE_UNIT_NONE, &g))
            FAIL("--coupling-weights: '%s' is not a number", tok);
        if (!(g >= 1e-20 && g <= 10.0)) /* the coupling's own range (zprime.h) */
            FAIL("--coupling-weights: %s is outside the coupling's range 1e-20 .. 10", tok);
        c->coupling_weights[n++] = g;
        if (!p[k])
            break;
        p += k + 1;
    }
    c->ncoupling_weights = n;
    return 0;
}

void mue_st_coupling_weights_print(const mue_setting *s, const void *field, const mue_run_config *c,
                                   char *buf, size_t len)
{
    (void)s, (void)field;
    size_t n = (size_t)snprintf(buf, len, "%s", c->ncoupling_weights ? "" : "none");
    for (int k = 0; k < c->ncoupling_weights && n < len; k++) {
        char m[32];
        n += (size_t)snprintf(buf + n, len - n, "%s%s", k ? "," : "",
                              mue_fmt_exact(c->coupling_weights[k], m, sizeof m));
    }
}

/* ---- scan --g2: a preset's name, or VALUE,ERROR ---- */

int mue_g2_band_of(const char *spec, double *central, double *sigma)
{
    const mue_g2_preset *pre = mue_g2_preset_find(spec);
    if (pre) {
        *central = pre->central;
        *sigma = pre->sigma;
        return 0;
    }
    char *end;
    double c = strtod(spec, &end), e;
    if (end == spec || *end != ',')
        return -1;
    const char *es = end + 1;
    e = strtod(es, &end);
    if (end == es || *end != '\0' || !isfinite(c) || !(e > 0.0) || !isfinite(e))
        return -1;
    *central = c;
    *sigma = e;
    return 0;
}

int mue_st_g2_parse(const mue_setting *s, const char *val, void *field, mue_run_config *c,
                    char *why, size_t len)
{
    (void)s;
    double a, b;
    if (strlen(val) >= sizeof c->g2 || mue_g2_band_of(val, &a, &b))
        FAIL("--g2: '%s' is neither wp20, wp25 nor VALUE,ERROR with ERROR > 0", val);
    snprintf((char *)field, sizeof c->g2, "%s", val);
    return 0;
}

/* ---- generate --max-weight max | quantile:Q ---- */

int mue_st_max_weight_parse(const mue_setting *s, const char *val, void *field, mue_run_config *c,
                            char *why, size_t len)
{
    (void)s, (void)field;
    if (strcmp(val, "max") == 0) {
        c->max_mode = MUE_GEN_MAX_TRUE;
        return 0;
    }
    const char *q = strncmp(val, "quantile:", 9) == 0 ? val + 9 : NULL;
    char *end = NULL;
    double x = q ? strtod(q, &end) : NAN;
    if (!q || end == q || *end || !(x > 0.0 && x < 1.0))
        FAIL("--max-weight: '%s' is not max or quantile:Q with 0 < Q < 1", val);
    c->max_mode = MUE_GEN_MAX_QUANTILE;
    c->quantile = x;
    return 0;
}

void mue_st_max_weight_print(const mue_setting *s, const void *field, const mue_run_config *c,
                             char *buf, size_t len)
{
    (void)s, (void)field;
    if (c->max_mode == MUE_GEN_MAX_TRUE)
        snprintf(buf, len, "max");
    else
    {
        char q[32];
        snprintf(buf, len, "quantile:%s", mue_fmt_exact(c->quantile, q, sizeof q));
    }
}

/* ---- words: generate --overweight keep|truncate, --format lhef|hepmc3 ---- */

int mue_st_overweight_parse(const mue_setting *s, const char *val, void *field, mue_run_config *c,
                            char *why, size_t len)
{
    (void)s, (void)c;
    if (strcmp(val, "keep") == 0)
        *(int *)field = 0;
    else if (strcmp(val, "truncate") == 0)
        *(int *)field = 1;
    else
        FAIL("--overweight: '%s' is not keep or truncate", val);
    return 0;
}

void mue_st_overweight_print(const mue_setting *s, const void *field, const mue_run_config *c,
                             char *buf, size_t len)
{
    (void)s, (void)c;
    snprintf(buf, len, "%s", *(const int *)field ? "truncate" : "keep");
}

/* --beam mu-|mu+ */
int mue_st_beam_parse(const mue_setting *s, const char *val, void *field, mue_run_config *c, char *why,
                      size_t len)
{
    (void)s, (void)c;
    if (strcmp(val, "mu-") == 0)
        *(int *)field = 0;
    else if (strcmp(val, "mu+") == 0)
        *(int *)field = 1;
    else
        FAIL("--beam: '%s' is not mu- or mu+", val);
    return 0;
}

void mue_st_beam_print(const mue_setting *s, const void *field, const mue_run_config *c, char *buf,
                       size_t len)
{
    (void)s, (void)c;
    snprintf(buf, len, "%s", *(const int *)field ? "mu+" : "mu-");
}

int mue_st_format_parse(const mue_setting *s, const char *val, void *field, mue_run_config *c,
                        char *why, size_t len)
{
    (void)s, (void)c;
    if (strcmp(val, "lhef") == 0 || strcmp(val, "lhe") == 0)
        *(int *)field = MUE_GEN_LHEF;
    else if (strcmp(val, "hepmc3") == 0 || strcmp(val, "hepmc") == 0)
        *(int *)field = MUE_GEN_HEPMC3;
    else
        FAIL("--format: '%s' is not lhef or hepmc3", val);
    return 0;
}

void mue_st_format_print(const mue_setting *s, const void *field, const mue_run_config *c,
                         char *buf, size_t len)
{
    (void)s, (void)c;
    snprintf(buf, len, "%s", *(const int *)field == MUE_GEN_HEPMC3 ? "hepmc3" : "lhef");
}

/* --schedule auto|fixed */
int mue_st_schedule_parse(const mue_setting *s, const char *val, void *field, mue_run_config *c,
                          char *why, size_t len)
{
    (void)s, (void)c;
    if (strcmp(val, "auto") == 0)
        *(int *)field = MUE_SCHEDULE_AUTO;
    else if (strcmp(val, "fixed") == 0)
        *(int *)field = MUE_SCHEDULE_FIXED;
    else
        FAIL("--schedule: '%s' is not auto or fixed", val);
    return 0;
}

void mue_st_schedule_print(const mue_setting *s, const void *field, const mue_run_config *c,
                           char *buf, size_t len)
{
    (void)s, (void)c;
    snprintf(buf, len, "%s", *(const int *)field == MUE_SCHEDULE_AUTO ? "auto" : "fixed");
}
