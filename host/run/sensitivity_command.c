/* `mue sensitivity`: the masses (given, or the automatic grid) through the scan, the
 * background, and per mass the expected limit and the discovery reach in the coupling:
 * DIR/sensitivity.csv, DIR/sensitivity.json (and --json), a table on stdout. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run/commands.h"
#include "run/outputs.h"
#include "run/process_table.h"
#include "run/sensitivity.h"
#include "util/afile.h"
#include "util/jsonfile.h"
#include "util/version.h"


/* a real, or null where it is undefined (no signal, no background for a discovery) */
static int real_or_null(json_t *o, const char *key, double v)
{
    return isfinite(v) ? mue_report_real(o, key, v) : json_object_set_new(o, key, json_null());
}

static json_t *opt_json(const mue_sens_opt *p)
{
    json_t *o = json_object();
    int bad = !o || mue_report_real(o, "theta_mu_min_rad", p->best.theta_mu_min) ||
              mue_report_real(o, "ee_min_gev", p->best.ee_min) ||
              mue_report_real(o, "ee_max_gev", p->best.ee_max) || real_or_null(o, "g95", p->g95) ||
              real_or_null(o, "background", p->background) ||
              real_or_null(o, "signal_per_g2", p->s_per_g2) ||
              real_or_null(o, "g95_run_cuts", p->g95_run) || real_or_null(o, "gain", p->gain) ||
              mue_report_real(o, "seconds", p->seconds);
    if (bad) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static json_t *row_json(const mue_sens_row *r, const mue_sens_background *b, const mue_sens_opt *p)
{
    json_t *o = json_object(), *band = json_array(), *sband = json_array();
    int bad = !o || !band || !sband;
    bad = bad || mue_report_real(o, "mass_gev", r->mass) || real_or_null(o, "g95", r->g95[2]);
    for (int k = 0; !bad && k < 5; k++)
        bad = json_array_append_new(band, isfinite(r->g95[k]) ? json_real(r->g95[k]) : json_null()) ||
              json_array_append_new(sband, json_real(r->s95[k]));
    bad = bad || json_object_set_new(o, "g95_band", band) || real_or_null(o, "g_3sigma", r->g3) ||
          real_or_null(o, "g_5sigma", r->g5) || mue_report_real(o, "br_invisible", r->br) ||
          mue_report_real(o, "background", b->n) || mue_report_real(o, "signal_per_g2", r->s_per_g2) ||
          mue_report_real(o, "signal_per_g2_err", r->s_per_g2_err) ||
          json_object_set_new(o, "s95_band", sband) || real_or_null(o, "s_3sigma", r->s3) ||
          real_or_null(o, "s_5sigma", r->s5);
    json_t *po = p ? opt_json(p) : NULL;
    bad = bad || (p && (!po || json_object_set_new(o, "optimised", po)));
    if (bad) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static json_t *sens_json(const mue_run_config *c, const mue_sens_row *rows, int n, const mue_sens_background *b,
                         const mue_sens_opt *opt, const mue_sens_cells *cells)
{
    json_t *o = mue_report_doc(c), *a = json_array();
    int bad = !o || !a;
    bad = bad || json_object_set_new(o, "process", json_string(mue_process_name(c->process))) ||
          mue_report_real(o, "lumi_fb", c->lumi_fb) || mue_report_real(o, "background", b->n) ||
          mue_report_real(o, "background_err", b->err) ||
          mue_report_real(o, "background_syst", b->syst) ||
          json_object_set_new(o, "background_source", json_string(b->what)) ||
          mue_report_real(o, "cl", 0.95) ||
          json_object_set_new(o, "band_order", json_string("-2 sigma, -1 sigma, median, +1 sigma, +2 sigma"));
    for (int i = 0; !bad && i < n; i++) {
        json_t *r = row_json(&rows[i], b, opt ? &opt[i] : NULL);
        bad = !r || json_array_append_new(a, r);
    }
    bad = bad || json_object_set_new(o, "rows", a);
    if (!bad && cells) { /* the optimisation's grid: each cell's cuts and background */
        json_t *g = json_array();
        bad = !g || mue_report_real(o, "optimise_background_seconds", cells->seconds);
        for (int i = 0; !bad && i < MUE_SENS_NCELLS; i++) {
            json_t *k = json_object();
            bad = !k || mue_report_real(k, "theta_mu_min_rad", cells->cuts[i].theta_mu_min) ||
                  mue_report_real(k, "ee_min_gev", cells->cuts[i].ee_min) ||
                  mue_report_real(k, "ee_max_gev", cells->cuts[i].ee_max) ||
                  real_or_null(k, "background", cells->b[i]) ||
                  real_or_null(k, "background_err", cells->b_err[i]) || json_array_append_new(g, k);
        }
        bad = bad || json_object_set_new(o, "optimise_cells", g);
    }
    if (bad) {
        json_decref(o);
        return NULL;
    }
    return mue_report_settings_last(o);
}

static void csv_real(FILE *f, double v, const char *sep)
{
    if (isfinite(v))
        fprintf(f, "%.8g%s", v, sep);
    else
        fprintf(f, "%s", sep); /* empty: undefined */
}

static int write_csv(const mue_run_config *c, const mue_sens_row *rows, int n, const mue_sens_background *b)
{
    char path[4096];
    if (snprintf(path, sizeof path, "%s/sensitivity.csv", c->out) >= (int)sizeof path)
        return -1;
    mue_afile a;
    if (mue_afile_open(&a, path))
        return -1;
    fprintf(a.f, "# mue %s sensitivity: %s, L = %.6g fb^-1, background %.6g events (syst %.3g), 95 %% "
                 "CL CLs expected limits and median Asimov discovery; empty: undefined\n",
            mue_version(), mue_process_name(c->process), c->lumi_fb, b->n, b->syst);
    fprintf(a.f, "mass_gev,g95,g95_minus2,g95_minus1,g95_plus1,g95_plus2,g_3sigma,g_5sigma,"
                 "br_invisible,background,signal_per_g2\n");
    for (int i = 0; i < n; i++) {
        const mue_sens_row *r = &rows[i];
        csv_real(a.f, r->mass, ",");
        csv_real(a.f, r->g95[2], ",");
        csv_real(a.f, r->g95[0], ",");
        csv_real(a.f, r->g95[1], ",");
        csv_real(a.f, r->g95[3], ",");
        csv_real(a.f, r->g95[4], ",");
        csv_real(a.f, r->g3, ",");
        csv_real(a.f, r->g5, ",");
        csv_real(a.f, r->br, ",");
        csv_real(a.f, b->n, ",");
        csv_real(a.f, r->s_per_g2, "\n");
    }
    return mue_afile_commit(&a);
}

static void g_text(FILE *f, double g)
{
    if (isfinite(g))
        fprintf(f, " %-10.4g", g);
    else
        fprintf(f, " %-10s", "-");
}

static void sens_text(FILE *f, const mue_run_config *c, const mue_sens_row *rows, int n,
                      const mue_sens_background *b, const mue_sens_opt *opt, const mue_sens_cells *cells)
{
    fprintf(f, "mue %s sensitivity: %s, L = %.6g fb^-1 -> %s/sensitivity.csv\n", mue_version(),
            mue_process_name(c->process), c->lumi_fb, c->out);
    fprintf(f, "  background %.6g +- %.2g events (MC), relative uncertainty %.3g; %s\n", b->n, b->err,
            b->syst, b->what);
    fprintf(f, "  expected 95 %% CL (CLs) limit on the coupling: median and bands; median 3 and 5 "
               "sigma discovery (Asimov)%s\n",
            c->no_br ? "; no BR (--no-br)" : "; signal x BR(Z' -> invisible)");
    fprintf(f, "  %-10s %-9s %-10s %-10s %-10s %-10s %-10s %-10s %-10s %s\n", "mass [GeV]", "BR_inv",
            "S/g^2", "g95", "-2 sigma", "-1 sigma", "+1 sigma", "+2 sigma", "g(3 sig)", "g(5 sig)");
    for (int i = 0; i < n; i++) {
        const mue_sens_row *r = &rows[i];
        fprintf(f, "  %-10.5g %-9.4g %-10.4g", r->mass, r->br, r->s_per_g2);
        const double g[8] = {r->g95[2], r->g95[0], r->g95[1], r->g95[3], r->g95[4], r->g3, r->g5};
        for (int k = 0; k < 7; k++)
            g_text(f, g[k]);
        fputc('\n', f);
    }
    if (opt) {
        fprintf(f, "  optimised cuts (grid of %d cells, %d without a tree-level background: mu e gamma "
                   "reaches its soft photon there; backgrounds %.1f s):\n",
                MUE_SENS_NCELLS, cells->ruled_out, cells->seconds);
        fprintf(f, "  %-10s %-14s %-16s %-11s %-10s %-10s %-8s %s\n", "mass [GeV]", "theta_mu >",
                "E_e window", "background", "g95", "g95 (run)", "gain", "time");
        for (int i = 0; i < n; i++) {
            const mue_sens_opt *p = &opt[i];
            char win[32];
            snprintf(win, sizeof win, "%.3g-%.3g GeV", p->best.ee_min, p->best.ee_max);
            fprintf(f, "  %-10.5g %-5.3g mrad     %-16s %-11.4g", rows[i].mass, 1e3 * p->best.theta_mu_min,
                    win, p->background);
            g_text(f, p->g95);
            g_text(f, p->g95_run);
            fprintf(f, " %-8.3g %.1f s\n", p->gain, p->seconds);
        }
    }
    if (b->n <= 0.0)
        fprintf(f, "  no background: the discovery reach is undefined (Z_A is infinite for any "
                   "signal); the limit is N = -ln 0.05 = 2.996 events\n");
}

int mue_sensitivity_command(const mue_run_config *c, mue_report *rep, char *why, size_t len)
{
    mue_outputs o;
    if (mue_outputs_prepare(c, &o, why, len))
        return 1;
    mue_scan_row *rows = malloc(sizeof *rows * MUE_SCAN_MAXMASS);
    mue_sens_row *sens = malloc(sizeof *sens * MUE_SCAN_MAXMASS);
    double *mass = malloc(sizeof *mass * MUE_SCAN_MAXMASS);
    int nmass = c->nmasses, rc = 0;
    mue_sens_background b;
    mue_sens_cells *cells = NULL;
    mue_sens_opt *opt = NULL;
    if (!rows || !sens || !mass)
        rc = 1, snprintf(why, len, "out of memory");
    if (!rc && nmass)
        memcpy(mass, c->masses, sizeof *mass * (size_t)nmass);
    else if (!rc)
        nmass = mue_scan_auto_masses(&c->par, c->mass_min, c->mass_mid, c->n_masses, mass);
    /* the scan first: it refuses a directory of other settings at once, and resumes */
    if (!rc) {
        mue_run_config sc = *c;
        sc.command = MUE_CMD_SCAN;
        int nall = 0;
        rc = mue_scan_run(&sc, mass, nmass, c->out, c->restart, rows, NULL, &nall, NULL, why, len);
    }
    rc = rc || mue_sensitivity_background(c, &b, why, len);
    for (int i = 0; !rc && i < nmass; i++)
        rc = mue_sensitivity_row(c, &rows[i], &b, &sens[i], why, len);
    /* --optimise: the cells' backgrounds once, then every mass through them */
    if (!rc && c->optimise) {
        cells = malloc(sizeof *cells);
        opt = malloc(sizeof *opt * (size_t)(nmass ? nmass : 1));
        if (!cells || !opt)
            rc = 1, snprintf(why, len, "out of memory");
        rc = rc || mue_sensitivity_cells(c, cells, why, len);
        char grid[4200];
        snprintf(grid, sizeof grid, "%s/optimise.grid", c->out);
        for (int i = 0; !rc && i < nmass; i++) {
            rc = mue_sensitivity_optimise(c, mass[i], cells, grid, &opt[i], why, len);
            if (!rc)
                mue_run_note(c, MUE_NOTE_PROGRESS, "  optimise: mass %d/%d done (%.1f s)", i + 1, nmass,
                             opt[i].seconds);
        }
        remove(grid);
    }
    if (!rc && !(rep->doc = sens_json(c, sens, nmass, &b, opt, cells)))
        rc = 1, snprintf(why, len, "sensitivity: a number is not finite, or out of memory");
    if (!rc && mue_run_root(c)) {
        char path[4096];
        snprintf(path, sizeof path, "%s/sensitivity.json", c->out);
        if (mue_json_write_file(path, rep->doc) || write_csv(c, sens, nmass, &b))
            rc = 1, snprintf(why, len, "--out: writing into '%s' failed: %s", c->out, mue_write_error());
        else if (c->json && mue_json_write_file(c->json, rep->doc))
            rc = 1, snprintf(why, len, "--json: writing '%s' failed: %s", c->json, mue_write_error());
    }
    if (!rc) {
        size_t size;
        FILE *f = mue_report_text_begin(rep, &size);
        if (f)
            sens_text(f, c, sens, nmass, &b, opt, cells);
        if (!f || mue_report_text_end(rep, f))
            rc = 1, snprintf(why, len, "out of memory");
    }
    free(rows);
    free(sens);
    free(mass);
    free(cells);
    free(opt);
    mue_outputs_release(&o);
    return rc;
}
