#include "util/jsonfile.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/afile.h"

int mue_json_write_file(const char *path, const json_t *o)
{
    mue_afile a;
    if (mue_afile_open(&a, path))
        return -1;
    if (json_dumpf(o, a.f, MUE_JSON_FLAGS) == 0) {
        fputc('\n', a.f);
        return mue_afile_commit(&a);
    }
    mue_afile_abort(&a);
    return -1;
}

char *mue_json_text(const json_t *o)
{
    char *s = json_dumps(o, MUE_JSON_FLAGS);
    if (!s)
        return NULL;
    size_t n = strlen(s);
    char *t = realloc(s, n + 2);
    if (!t) {
        free(s);
        return NULL;
    }
    t[n] = '\n';
    t[n + 1] = 0;
    return t;
}

json_t *mue_json_real(double v) { return isfinite(v) ? json_real(v) : NULL; }

json_t *mue_json_string(const char *s)
{
    json_t *v = json_string(s);
    if (v || !s)
        return v;
    /* jansson refuses what is not UTF-8: each byte above 0x7f as \xNN (a UTF-8 name
     * keeps its bytes; this one has at least one invalid) */
    size_t n = strlen(s);
    char *t = malloc(4 * n + 1), *q = t;
    if (!t)
        return NULL;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        q += *p < 0x80 ? sprintf(q, "%c", *p) : sprintf(q, "\\x%02x", *p);
    v = json_string(t);
    free(t);
    return v;
}
