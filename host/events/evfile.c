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

/* The length of the valid UTF-8 sequence at s (1 to 4), or 0 if there is none. */
static int utf8_length(const unsigned char *s)
{
    if (s[0] < 0x80)
        return 1;
    int n = s[0] >= 0xf0 && s[0] <= 0xf4 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 && s[0] < 0xe0 ? 2 : 0;
    for (int k = 1; k < n; k++)
        if ((s[k] & 0xc0) != 0x80)
            return 0;
    /* no overlong forms, no surrogates, nothing above U+10FFFF */
    if ((n == 3 && s[0] == 0xe0 && s[1] < 0xa0) || (n == 3 && s[0] == 0xed && s[1] >= 0xa0) ||
        (n == 4 && s[0] == 0xf0 && s[1] < 0x90) || (n == 4 && s[0] == 0xf4 && s[1] >= 0x90))
        return 0;
    return n;
}

void mue_evfile_text(FILE *m, const char *s, int xml)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        const int n = utf8_length(p);
        if (n == 0 || *p < 0x20 || *p == 0x7f) {
            fprintf(m, "\\x%02x", *p);
            p++;
        } else if (xml && *p == '<')
            fputs("&lt;", m), p++;
        else if (xml && *p == '>')
            fputs("&gt;", m), p++;
        else if (xml && *p == '&')
            fputs("&amp;", m), p++;
        else {
            fwrite(p, 1, (size_t)n, m);
            p += n;
        }
    }
}

void mue_evfile_beams(const mue_evfile_info *f, mue_p4 *mu, mue_p4 *e)
{
    *mu = mue_p4_make(f->e_beam, 0.0, 0.0, sqrt((f->e_beam - f->m_mu) * (f->e_beam + f->m_mu)));
    *e = mue_p4_make(f->m_e, 0.0, 0.0, 0.0);
}
