#include "run/keyvals.h"

#include <stdio.h>
#include <string.h>

#include "util/numfmt.h"

static double *field(void *model, const mue_keyval_def *k) { return (double *)((char *)model + k->off); }
static double cfield(const void *model, const mue_keyval_def *k)
{
    return *(const double *)((const char *)model + k->off);
}

static int set_key(const mue_keyval_table *t, const char *item, void *model, char *why, size_t len)
{
    const char *eq = strchr(item, '=');
    if (!eq || eq == item)
        return snprintf(why, len, "%s: '%s' is not KEY=VALUE (see --help)", t->option, item), 1;
    char key[32];
    snprintf(key, sizeof key, "%.*s", (int)(eq - item), item);
    const char *val = eq + 1;
    int rc = 0;
    if (t->word && t->word(key, val, model, &rc, why, len))
        return rc;
    for (size_t i = 0; i < t->nkeys; i++) {
        const mue_keyval_def *k = &t->keys[i];
        if (strcmp(key, k->key) != 0)
            continue;
        double v;
        int prc = mue_parse_quantity(val, k->kind, &v);
        if (prc == -2)
            return snprintf(why, len, "%s %s: '%s' has an unknown unit suffix", t->option, key, val), 1;
        if (prc)
            return snprintf(why, len, "%s %s: '%s' is not a number", t->option, key, val), 1;
        if (!(v >= k->lo && v <= k->hi))
            return snprintf(why, len, "%s %s=%s: must be %s", t->option, key, val, k->what), 1;
        *field(model, k) = v;
        return 0;
    }
    snprintf(why, len, "%s: unknown key '%s' (keys: ", t->option, key);
    if (t->words)
        snprintf(why + strlen(why), len - strlen(why), "%s, ", t->words);
    for (size_t i = 0; i < t->nkeys; i++)
        snprintf(why + strlen(why), len - strlen(why), "%s%s", i ? ", " : "", t->keys[i].key);
    snprintf(why + strlen(why), len - strlen(why), ")");
    return 1;
}

int mue_keyvals_parse(const mue_keyval_table *t, const char *spec, void *model, char *why, size_t len)
{
    char buf[1024];
    if (!spec[0] || strlen(spec) >= sizeof buf)
        return snprintf(why, len, "%s: '%.60s' is not KEY=VALUE,... (or default)", t->option, spec), 1;
    strcpy(buf, spec);
    /* every item KEY=VALUE: an empty one (',', 'a=1,,b=2', a trailing ',') is a mistake,
     * not the default */
    for (char *tok = buf;;) {
        char *comma = strchr(tok, ',');
        if (comma)
            *comma = 0;
        if (!tok[0])
            return snprintf(why, len, "%s: '%.60s' has an empty item; give KEY=VALUE,... (or default)",
                            t->option, spec),
                   1;
        if (set_key(t, tok, model, why, len))
            return 1;
        if (!comma)
            return 0;
        tok = comma + 1;
    }
}

int mue_keyvals_validate(const mue_keyval_table *t, const void *model, char *why, size_t len)
{
    for (size_t i = 0; i < t->nkeys; i++) {
        const mue_keyval_def *k = &t->keys[i];
        double v = cfield(model, k);
        if (!(v >= k->lo && v <= k->hi))
            return snprintf(why, len, "%s %s=%g: must be %s", t->option, k->key, v, k->what), 1;
    }
    return 0;
}

size_t mue_keyvals_canonical(const mue_keyval_table *t, const void *model, char *buf, size_t len)
{
    size_t n = 0;
    buf[0] = 0;
    for (size_t i = 0; i < t->nkeys && n < len; i++) {
        char v[32];
        n += (size_t)snprintf(buf + n, len - n, "%s=%s,", t->keys[i].key,
                              mue_fmt_exact(cfield(model, &t->keys[i]), v, sizeof v));
    }
    return n < len ? n : len - 1;
}
