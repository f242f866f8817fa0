#include "events/evfile.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void mue_evfile_kv(mue_evfile_info *f, const char *key, const char *fmt, ...)
{
    if (f->nkv >= MUE_EVFILE_MAXKV)
        return;
    snprintf(f->key[f->nkv], sizeof f->key[0], "%s", key);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f->val[f->nkv], sizeof f->val[0], fmt, ap);
    va_end(ap);
    f->nkv++;
}

void mue_evfile_beams(const mue_evfile_info *f, mue_p4 *mu, mue_p4 *e)
{
    *mu = mue_p4_make(f->e_beam, 0.0, 0.0, sqrt((f->e_beam - f->m_mu) * (f->e_beam + f->m_mu)));
    *e = mue_p4_make(f->m_e, 0.0, 0.0, 0.0);
}
