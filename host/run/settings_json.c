/* The settings of a run as a JSON object (the echo in every JSON output, the identity
 * section of grid files and checkpoints), and a recorded object against a run: which
 * setting differs. */
#include "run/settings_json.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run/process_table.h"
#include "util/numfmt.h"

typedef struct {
    json_t *o;
    const mue_run_config *c;
    int bad;
} echo_ctx;

/* A count as a JSON integer where one holds it (a seed may need all 64 bits: text). */
static json_t *count_json(uint64_t v)
{
    if (v <= (uint64_t)INT64_MAX)
        return json_integer((json_int_t)v);
    char t[32];
    snprintf(t, sizeof t, "%" PRIu64, v);
    return json_string(t);
}

json_t *mue_setting_json_value(const mue_setting *s, const mue_run_config *c)
{
    const void *f = mue_setting_field(s, c);
    char v[4096];
    switch (s->type) {
    case MUE_ST_REAL: return isfinite(*(const double *)f) ? json_real(*(const double *)f) : NULL;
    case MUE_ST_U64: return count_json(*(const uint64_t *)f);
    case MUE_ST_INT: return json_integer(*(const int *)f);
    case MUE_ST_FLAG:
    case MUE_ST_UNFLAG: return json_boolean(*(const int *)f);
    case MUE_ST_PATH: return *(const char *const *)f ? json_string(*(const char *const *)f) : json_null();
    default: mue_setting_value(s, c, v, sizeof v); return json_string(v);
    }
}

static void echo_one(void *ctx, const mue_setting *s, const char *value)
{
    (void)value;
    echo_ctx *e = ctx;
    if (!s->json)
        return;
    json_t *v = mue_setting_json_value(s, e->c);
    if (!v || json_object_set_new(e->o, s->json, v))
        e->bad = 1;
}

json_t *mue_settings_json(const mue_run_config *c, unsigned mask)
{
    echo_ctx e = {json_object(), c, 0};
    if (!e.o)
        return NULL;
    mue_settings_each(c, mask, echo_one, &e);
    if (e.bad) {
        json_decref(e.o);
        return NULL;
    }
    return e.o;
}

/* A recorded JSON value as the canonical text mue_setting_value writes. */
static int canonical(const json_t *v, char *buf, size_t len)
{
    if (json_is_integer(v))
        snprintf(buf, len, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
    else if (json_is_real(v))
        mue_fmt_exact(json_real_value(v), buf, len);
    else if (json_is_boolean(v))
        snprintf(buf, len, "%d", json_is_true(v) ? 1 : 0);
    else if (json_is_string(v))
        snprintf(buf, len, "%s", json_string_value(v));
    else if (json_is_null(v))
        buf[0] = 0;
    else
        return -1;
    return 0;
}

typedef struct {
    const mue_run_config *c;
    const json_t *rec;
    const char *source;
    char *why;
    size_t len;
    int differ;
} cmp_ctx;

static void compare_one(void *ctx, const mue_setting *s, const char *value)
{
    cmp_ctx *k = ctx;
    if (k->differ || !s->json)
        return;
    char was[4096];
    const json_t *v = json_object_get(k->rec, s->json);
    if (!v) {
        /* a file from a mue that did not record this setting had its default */
        mue_run_config d;
        mue_settings_defaults(k->c->command, k->c->process, &d);
        mue_setting_value(s, &d, was, sizeof was);
    } else if (canonical(v, was, sizeof was))
        snprintf(was, sizeof was, "(not a setting)");
    if (strcmp(was, value) == 0)
        return;
    k->differ = 1;
    snprintf(k->why, k->len, "%s (--%s: %.200s says %.300s, this run has %.300s)", s->name, s->name,
             k->source, was[0] ? was : "(none)", value[0] ? value : "(none)");
}

int mue_settings_differ(const mue_run_config *c, unsigned mask, const json_t *recorded,
                        const char *source, char *why, size_t len)
{
    if (!json_is_object(recorded))
        return snprintf(why, len, "%.200s records no settings", source), 1;
    /* the process first: another process has other rows */
    const json_t *p = json_object_get(recorded, "process");
    const char *name = mue_process_name(c->process);
    if (!json_is_string(p) || strcmp(json_string_value(p), name) != 0)
        return snprintf(why, len, "process (--process: %.200s says %.60s, this run has %s)", source,
                        json_is_string(p) ? json_string_value(p) : "(none)", name),
               1;
    cmp_ctx k = {c, recorded, source, why, len, 0};
    mue_settings_each(c, mask, compare_one, &k);
    return k.differ;
}
