#include "events/hepmc3_writer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "events/record.h"
#include "util/numfmt.h"
#include "util/version.h"

/* HepMC3's ASCII escapes: a backslash doubled, a newline as "\|"; then, as in every
 * header mue writes, no other control character and no byte that is not UTF-8 raw */
static void escaped(FILE *m, const char *s)
{
    char *t = NULL;
    size_t n = 0;
    FILE *x = open_memstream(&t, &n);
    if (x) {
        for (; *s; s++)
            if (*s == '\\')
                fputs("\\\\", x);
            else if (*s == '\n')
                fputs("\\|", x);
            else
                fputc(*s, x);
    }
    if (x && fclose(x) == 0)
        mue_evfile_text(m, t, 0);
    free(t);
}

char *mue_hepmc3_header(const mue_evfile_info *f)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *m = open_memstream(&buf, &n);
    if (!m)
        return NULL;
    fprintf(m, "HepMC::Version 3.02.05\nHepMC::Asciiv3-START_EVENT_LISTING\n");
    fputs("W", m);
    for (int k = 0; k < f->nweights; k++)
        fprintf(m, " %s", f->wname[k]);
    fputc('\n', m);
    fprintf(m, "T mue\\|%s\\|muon-electron scattering at MUonE, process %s\n", mue_version(), f->process);
    /* run attributes: the settings and the survey, one per line, names without blanks */
    for (int k = 0; k < f->nkv; k++) {
        fprintf(m, "A mue_%s ", f->key[k]);
        escaped(m, f->val[k]);
        fputc('\n', m);
    }
    if (fclose(m) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

/* P id parent pid px py pz e m status */
static char *particle(char *p, int id, int parent, int pid, mue_p4 q, double m, int status)
{
    p += sprintf(p, "P %d %d %d", id, parent, pid);
    const double v[5] = {q.x, q.y, q.z, q.e, m};
    for (int k = 0; k < 5; k++) {
        *p++ = ' ';
        p = mue_fmt_e(p, v[k]);
    }
    p += sprintf(p, " %d\n", status);
    return p;
}

/* A vertex line's end: " @ x y z t" (mm) where a beam model placed the event; the
 * decays are prompt there (their products are invisible neutrinos) */
static char *position(char *p, const mue_record *r)
{
    if (r->has_vertex) {
        p = mue_fmt_s(p, " @");
        for (int k = 0; k < 4; k++) {
            *p++ = ' ';
            p = mue_fmt_e(p, r->vertex[k]);
        }
    }
    *p++ = '\n';
    return p;
}

char *mue_hepmc3_event(const void *fctx, char *p, const mue_gen_event *e, double w, uint64_t number)
{
    const mue_evfile_info *f = fctx;
    mue_record r;
    mue_record_make(f, e, &r);
    /* E number vertices particles; units; weight; cross section (pb): value, error and
     * the accepted and attempted counts, unknown here (-1) */
    p = mue_fmt_s(p, "E ");
    p = mue_fmt_u(p, number);
    p += sprintf(p, " %d %d\nU GEV MM\nW", 1 + r.ndecays, r.n);
    for (int k = 0; k < f->nweights; k++) {
        *p++ = ' ';
        p = mue_fmt_e(p, w * f->wscale[k]);
    }
    /* the cross section of each weight: the first with the accepted and attempted
     * counts (unknown here: -1), then one pair per further weight, as HepMC3 reads it */
    p = mue_fmt_s(p, "\nA 0 GenCrossSection");
    for (int k = 0; k < f->nweights; k++) {
        *p++ = ' ';
        p = mue_fmt_e(p, f->sigma_pb * f->wscale[k]);
        *p++ = ' ';
        p = mue_fmt_e(p, f->err_pb * f->wscale[k]);
        if (k == 0)
            p = mue_fmt_s(p, " -1 -1");
    }
    *p++ = '\n';
    /* the beams (status 4) into vertex -1, the hard process; a decayed particle (status
     * 2) into a vertex of its own, -2, -3, ..., written before its daughters */
    int vertex_of[MUE_RECORD_MAX], nv = 1;
    for (int i = 0; i < r.n; i++) {
        const mue_record_particle *q = &r.q[i];
        if (q->status == MUE_REC_BEAM) {
            p = particle(p, i + 1, 0, q->pid, q->p, q->m, 4);
            if (i == 1) {
                p = mue_fmt_s(p, "V -1 0 [1,2]");
                p = position(p, &r);
            }
            continue;
        }
        if (q->mother >= 0 && vertex_of[q->mother] == 0) {
            vertex_of[q->mother] = -(++nv);
            p += sprintf(p, "V %d 0 [%d]", vertex_of[q->mother], q->mother + 1);
            p = position(p, &r);
        }
        p = particle(p, i + 1, q->mother >= 0 ? vertex_of[q->mother] : -1, q->pid, q->p, q->m, q->status);
        vertex_of[i] = 0;
    }
    return p;
}

char *mue_hepmc3_trailer(void)
{
    const char t[] = "HepMC::Asciiv3-END_EVENT_LISTING\n\n";
    char *s = malloc(sizeof t);
    if (s)
        memcpy(s, t, sizeof t);
    return s;
}
