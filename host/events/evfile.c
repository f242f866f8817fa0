#define _GNU_SOURCE /* vasprintf */
#include "events/evfile.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void mue_evfile_kv(mue_evfile_info *f, const char *key, const char *fmt, ...)
{
    if (f->nkv >= MUE_EVFILE_MAXKV) {
        f->full = 1;
        return;
    }
    char *v = NULL;
    va_list ap;
    va_start(ap, fmt);
    int n = vasprintf(&v, fmt, ap);
    va_end(ap);
    char *k = strdup(key);
    if (n < 0 || !k) {
        free(k);
        if (n >= 0)
            free(v);
        f->full = 1;
        return;
    }
    f->key[f->nkv] = k;
    f->val[f->nkv++] = v;
}

void mue_evfile_free(mue_evfile_info *f)
{
    for (int k = 0; k < f->nkv; k++) {
        free(f->key[k]);
        free(f->val[k]);
    }
    f->nkv = 0;
}

void mue_evfile_beams(const mue_evfile_info *f, mue_p4 *mu, mue_p4 *e)
{
    *mu = mue_p4_make(f->e_beam, 0.0, 0.0, sqrt((f->e_beam - f->m_mu) * (f->e_beam + f->m_mu)));
    *e = mue_p4_make(f->m_e, 0.0, 0.0, 0.0);
}
