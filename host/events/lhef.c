#include "events/lhef.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "events/record.h"
#include "util/numfmt.h"
#include "util/version.h"

char *mue_lhef_header(const mue_evfile_info *f)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *m = open_memstream(&buf, &n);
    if (!m)
        return NULL;
    fprintf(m, "<LesHouchesEvents version=\"3.0\">\n<header>\n<mue>\n");
    for (int k = 0; k < f->nkv; k++) {
        mue_evfile_text(m, f->key[k], 1);
        fputs(" = ", m);
        mue_evfile_text(m, f->val[k], 1);
        fputc('\n', m);
    }
    fprintf(m, "</mue>\n");
    /* the weights by name (MadGraph's reweighting block, which pylhe reads) */
    fprintf(m, "<initrwgt>\n<weightgroup name=\"mue\" combine=\"none\">\n");
    for (int k = 0; k < f->nweights; k++)
        fprintf(m, "<weight id=\"%s\">%s</weight>\n", f->wname[k],
                k ? "the nominal weight at another coupling (sigma ~ g^2)" : "the run's own weight");
    fprintf(m, "</weightgroup>\n</initrwgt>\n</header>\n<init>\n");
    /* IDBMUP: the muon (13, or -13 for mu+) on e- (11); EBMUP: their lab energies, the
     * electron's being its mass (a fixed target); no PDFs (PDFGUP = PDFSUP = 0, leptons) */
    char line[256], *p = line;
    p += sprintf(p, " %d %d ", f->beam_pid, 11);
    p = mue_fmt_e(p, f->e_beam);
    *p++ = ' ';
    p = mue_fmt_e(p, f->m_e);
    p += sprintf(p, " 0 0 0 0 %d 1\n ", f->idwtup);
    p = mue_fmt_e(p, f->sigma_pb);
    *p++ = ' ';
    p = mue_fmt_e(p, f->err_pb);
    *p++ = ' ';
    p = mue_fmt_e(p, f->xmax_pb);
    p += sprintf(p, " %d\n", f->process_id);
    fwrite(line, 1, (size_t)(p - line), m);
    fprintf(m, "<generator name=\"mue\" version=\"%s\">", mue_version());
    mue_evfile_text(m, "muon-electron scattering at MUonE, process ", 1);
    mue_evfile_text(m, f->process, 1);
    fprintf(m, "</generator>\n</init>\n");
    if (fclose(m) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

/* one particle line: IDUP ISTUP MOTHUP(2) ICOLUP(2) PUP(5) VTIMUP SPINUP */
static char *particle(char *p, int pid, int status, int mother1, int mother2, mue_p4 q, double m)
{
    const long long ints[4] = {pid, status, mother1, mother2};
    for (int k = 0; k < 4; k++) {
        *p++ = ' ';
        p = mue_fmt_i(p, ints[k]);
    }
    p = mue_fmt_s(p, " 0 0");
    const double v[5] = {q.x, q.y, q.z, q.e, m};
    for (int k = 0; k < 5; k++) {
        *p++ = ' ';
        p = mue_fmt_e(p, v[k]);
    }
    return mue_fmt_s(p, " 0 9\n");
}

char *mue_lhef_event(const void *fctx, char *p, const mue_gen_event *e, double w, uint64_t number)
{
    const mue_evfile_info *f = fctx;
    (void)number;
    mue_record r;
    mue_record_make(f, e, &r);
    /* NUP IDPRUP XWGTUP SCALUP AQEDUP AQCDUP; the scale is sqrt(-t) */
    p = mue_fmt_s(p, "<event>\n ");
    p = mue_fmt_u(p, (unsigned long long)r.n);
    *p++ = ' ';
    p = mue_fmt_u(p, (unsigned long long)f->process_id);
    *p++ = ' ';
    p = mue_fmt_e(p, w);
    *p++ = ' ';
    p = mue_fmt_e(p, sqrt(e->ev.tau));
    *p++ = ' ';
    p = mue_fmt_e(p, f->alpha);
    p = mue_fmt_s(p, " 0\n");
    /* ISTUP -1 for the beams, 1 or 2 (decayed) after; MOTHUP 1 2 for the hard process,
     * the decayed particle's line (from 1) twice for its daughters */
    for (int i = 0; i < r.n; i++) {
        const mue_record_particle *q = &r.q[i];
        const int m1 = q->status == MUE_REC_BEAM ? 0 : q->mother < 0 ? 1 : q->mother + 1;
        const int m2 = q->status == MUE_REC_BEAM ? 0 : q->mother < 0 ? 2 : q->mother + 1;
        p = particle(p, q->pid, q->status, m1, m2, q->p, q->m);
    }
    p = mue_fmt_s(p, "<rwgt>\n");
    for (int k = 0; k < f->nweights; k++) {
        p += sprintf(p, "<wgt id=\"%s\"> ", f->wname[k]);
        p = mue_fmt_e(p, w * f->wscale[k]);
        p = mue_fmt_s(p, " </wgt>\n");
    }
    return mue_fmt_s(p, "</rwgt>\n</event>\n");
}

char *mue_lhef_trailer(const char *summary)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *m = open_memstream(&buf, &n);
    if (!m)
        return NULL;
    /* "--" may not appear inside an XML comment */
    fputs("<!-- mue run summary\n", m);
    for (const char *s = summary; *s; s++)
        fputc(s[0] == '-' && s[1] == '-' ? '=' : s[0], m);
    fputs("\n-->\n</LesHouchesEvents>\n", m);
    if (fclose(m) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}
