/* `mue backgrounds`: the table as text, markdown (--markdown) and JSON (--json). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run/backgrounds.h"
#include "run/commands.h"
#include "run/detector_config.h"
#include "run/outputs.h"
#include "run/settings_json.h"
#include "util/afile.h"
#include "util/jsonfile.h"
#include "util/version.h"

/* "below 1e-X events" for a leak that small, the tightest power of ten above n + 2 err */
static void leak_words(const mue_bg_cell *c, double lumi, char *buf, size_t len)
{
    double up = c->n + 2.0 * c->err;
    if (c->have && up > 0.0 && up < 1e-3)
        snprintf(buf, len, "below 1e%d events at %g fb^-1", (int)ceil(log10(up)), lumi);
    else
        buf[0] = 0;
}

/* The detector as every run of the table uses it: the expectation over the smearing. */
static mue_detector table_detector(const mue_run_config *c)
{
    mue_detector d = c->par.det;
    d.enabled = 1;
    d.mode = MUE_DET_EXPECT;
    return d;
}

static void text_table(FILE *f, const mue_run_config *c, const mue_bg_table *t)
{
    char d[600], s[MUE_BG_NSEL][256];
    const mue_detector dt = table_detector(c), *det = &dt;
    fprintf(f, "mue %s  backgrounds at L = %g fb^-1 (tree level), beam %g GeV\n", mue_version(),
            c->lumi_fb, c->par.e_beam);
    fprintf(f, "  cuts: (i) theta_mu > %g mrad, (ii) %g GeV < E_e < %g GeV, (iii) photon veto\n",
            1e3 * c->par.cuts.theta_mu_min, c->par.cuts.ee_min, c->par.cuts.ee_max);
    fprintf(f, "  detector: %s\n", mue_detector_describe(det, d, sizeof d));
    fprintf(f, "%-38s %-26s %-22s %-22s\n", "events", mue_bg_selections[0].name,
            mue_bg_selections[1].name, mue_bg_selections[2].name);
    for (int i = 0; i < t->nrows; i++) {
        const mue_bg_row *r = &t->row[i];
        for (int k = 0; k < MUE_BG_NSEL; k++)
            mue_bg_cell_text(&r->c[k], s[k], sizeof s[k]);
        fprintf(f, "%-38s %-26s %-22s %-22s\n", r->label, s[0], s[1], s[2]);
    }
    for (int i = 0; i < t->nrows; i++) {
        const mue_bg_row *r = &t->row[i];
        if (!(r->photon && r->smeared))
            continue;
        mue_bg_cell_text(&r->unvetoable, s[0], sizeof s[0]);
        fprintf(f, "%s with no separate photon above %g GeV in the ECAL (unvetoable): %s\n", r->label,
                det->veto_emin, s[0]);
        if (r->have_x)
            fprintf(f, "%s equals %s at veto inefficiency %.3g +- %.2g\n", r->label,
                    t->row[t->signal].label, r->eps, r->eps_err);
        else if (t->signal >= 0)
            fprintf(f, "%s equals %s at no veto inefficiency in [0, 1]\n", r->label,
                    t->row[t->signal].label);
    }
    if (t->nleak) {
        fprintf(f, "leak into (i)+(ii), measured (ECAL sigma/E at 40 GeV; tails; theta_mu "
                   "resolution):\n");
        for (int i = 0; i < t->nleak; i++) {
            mue_bg_cell_text(&t->leak[i].c, s[0], sizeof s[0]);
            leak_words(&t->leak[i].c, c->lumi_fb, s[1], sizeof s[1]);
            fprintf(f, "  %-66s %-24s %s\n", t->leak[i].label, s[0], s[1]);
        }
    }
}

/* A cell in markdown: "1.2 ± 0.1", no '|' from a note */
static void md_value(FILE *f, const mue_bg_cell *c, const char *end)
{
    char s[256];
    mue_bg_cell_text(c, s, sizeof s);
    for (char *p = s; *p; p++)
        if (*p == '|')
            *p = '/';
    char *pm = strstr(s, " +- ");
    if (pm)
        fprintf(f, " %.*s ± %s%s", (int)(pm - s), s, pm + 4, end);
    else
        fprintf(f, " %s%s", s, end);
}

static int write_markdown(const char *path, const mue_run_config *c, const mue_bg_table *t)
{
    mue_afile a;
    if (mue_afile_open(&a, path))
        return -1;
    FILE *f = a.f;
    char d[600], w[100];
    const mue_detector dt = table_detector(c), *det = &dt;
    fprintf(f, "Events at L = %g fb⁻¹ (tree level, `mue backgrounds`, mue %s). Detector: %s.\n\n",
            c->lumi_fb, mue_version(), mue_detector_describe(det, d, sizeof d));
    fprintf(f, "| process | after (i) | (i)+(ii) | (i)+(ii)+(iii) |\n| --- | --- | --- | --- |\n");
    for (int i = 0; i < t->nrows; i++) {
        fprintf(f, "| %s |", t->row[i].label);
        for (int k = 0; k < MUE_BG_NSEL; k++)
            md_value(f, &t->row[i].c[k], " |");
        fputc('\n', f);
    }
    for (int i = 0; i < t->nrows; i++) {
        const mue_bg_row *r = &t->row[i];
        if (!(r->photon && r->smeared))
            continue;
        fprintf(f, "\n%s with no separate photon above %g GeV in the ECAL (no veto can remove it):",
                r->label, det->veto_emin);
        md_value(f, &r->unvetoable, "");
        fprintf(f, " events. ");
        if (r->have_x)
            fprintf(f, "It equals %s at a veto inefficiency of **%.3g ± %.2g**.\n",
                    t->row[t->signal].label, r->eps, r->eps_err);
        else
            fprintf(f, "No veto inefficiency in [0, 1] makes it equal the first signal.\n");
    }
    if (t->nleak) {
        fprintf(f, "\nLeak into (i)+(ii) (measured quantities):\n\n"
                   "| ECAL model | events | |\n| --- | --- | --- |\n");
        for (int i = 0; i < t->nleak; i++) {
            fprintf(f, "| %s |", t->leak[i].label);
            md_value(f, &t->leak[i].c, " |");
            leak_words(&t->leak[i].c, c->lumi_fb, w, sizeof w);
            fprintf(f, " %s |\n", w);
        }
    }
    return mue_afile_commit(&a);
}

static json_t *cell_json(const mue_bg_cell *c)
{
    if (!c->have)
        return json_pack("{s:n, s:s}", "events", "note", c->note);
    json_t *o = json_object();
    if (!o || mue_report_real(o, "events", c->n) || mue_report_real(o, "error", c->err) ||
        (c->n == 0.0 && json_object_set_new(o, "exact", json_boolean(c->exact))) ||
        (c->note[0] && json_object_set_new(o, "note", json_string(c->note)))) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static json_t *row_json(const mue_bg_table *t, const mue_bg_row *r)
{
    json_t *o = json_pack("{s:s, s:s, s:s, s:s*, s:b, s:b}", "key", r->key, "label", r->label,
                          "process", r->process->name, "benchmark", r->bench ? r->bench->settings : NULL,
                          "smeared", r->smeared, "photon", r->photon);
    int bad = !o;
    for (int k = 0; !bad && k < MUE_BG_NSEL; k++)
        bad = json_object_set_new(o, mue_bg_selections[k].key, cell_json(&r->c[k]));
    if (!bad && r->photon && r->smeared) {
        bad = json_object_set_new(o, "unvetoable", cell_json(&r->unvetoable));
        json_t *x = r->have_x ? json_object() : json_null();
        bad = bad || !x ||
              (r->have_x && (mue_report_real(x, "value", r->eps) || mue_report_real(x, "error", r->eps_err) ||
                             json_object_set_new(x, "signal", json_string(t->row[t->signal].key))));
        bad = bad || json_object_set_new(o, "veto_ineff_equal_signal", x);
    }
    if (bad) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static json_t *backgrounds_json(const mue_run_config *c, const mue_bg_table *t)
{
    char desc[600];
    const mue_detector dt = table_detector(c);
    json_t *o = mue_report_doc(c), *rows = json_array(), *leak = json_array();
    int bad = !o || !rows || !leak;
    bad = bad || json_object_set_new(o, "detector_description",
                                     json_string(mue_detector_describe(&dt, desc, sizeof desc)));
    for (int i = 0; !bad && i < t->nrows; i++)
        bad = json_array_append_new(rows, row_json(t, &t->row[i]));
    for (int i = 0; !bad && i < t->nleak; i++) {
        const mue_bg_leak *l = &t->leak[i];
        json_t *e = json_pack("{s:s, s:s, s:f, s:f, s:f, s:f, s:o*}", "label", l->label, "process",
                              l->process->name, "ecal_b", l->ecal_b, "tail_frac", l->tail_frac,
                              "tail_scale", l->tail_scale, "theta_mu_res_rad", l->theta_mu_res,
                              "result", cell_json(&l->c));
        bad = !e || json_object_size(e) != 7 || json_array_append_new(leak, e);
    }
    bad = bad || json_object_set_new(o, "rows", rows) || json_object_set_new(o, "leak", leak);
    if (bad) {
        json_decref(o);
        return NULL;
    }
    return mue_report_settings_last(o);
}

int mue_backgrounds_command(const mue_run_config *c, mue_report *rep, char *why, size_t len)
{
    mue_outputs o;
    if (mue_outputs_prepare(c, &o, why, len))
        return 1;
    mue_bg_table *t = malloc(sizeof *t);
    int rc = !t ? (snprintf(why, len, "out of memory"), 1) : mue_backgrounds(c, t, why, len);
    if (!rc && !(rep->doc = backgrounds_json(c, t)))
        rc = 1, snprintf(why, len, "backgrounds: a number is not finite, or out of memory");
    if (!rc) {
        size_t size;
        FILE *f = mue_report_text_begin(rep, &size);
        if (f)
            text_table(f, c, t);
        if (!f || mue_report_text_end(rep, f))
            rc = 1, snprintf(why, len, "out of memory");
    }
    if (!rc && mue_run_root(c) && c->json && mue_json_write_file(c->json, rep->doc))
        rc = 1, snprintf(why, len, "--json: writing '%s' failed: %s", c->json, mue_write_error());
    if (!rc && mue_run_root(c) && c->markdown && write_markdown(c->markdown, c, t))
        rc = 1, snprintf(why, len, "--markdown: writing '%s' failed: %s", c->markdown, mue_write_error());
    free(t);
    mue_outputs_release(&o);
    return rc;
}
