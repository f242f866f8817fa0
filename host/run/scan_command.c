/* `mue scan`: the masses (given, or the automatic grid), the rows, DIR/scan.json and,
 * for a boson coupled to the muon, the g-2 band DIR/g2_band_NAME.csv. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "physics1d/g2.h"
#include "physics1d/kinematic_limits.h"
#include "run/commands.h"
#include "run/outputs.h"
#include "run/process_table.h"
#include "run/scan.h"
#include "run/settings_types.h"
#include "util/afile.h"
#include "util/jsonfile.h"
#include "util/version.h"

/* Delta a_mu band couplings on a log mass grid for one g-2 choice. */
static int write_g2_band(const char *dir, const char *name, double central, double sigma)
{
    char path[4096];
    if (snprintf(path, sizeof path, "%s/g2_band_%s.csv", dir, name) >= (int)sizeof path)
        return -1;
    mue_afile a;
    if (mue_afile_open(&a, path))
        return -1;
    fprintf(a.f, "# mue %s: couplings where the Z' gives Delta a_mu = (%.4g +- %.4g) within 1 and 2 "
                 "sigma (%s); mass in GeV; lower edge 0 where the band reaches Delta a_mu <= 0\n",
            mue_version(), central, sigma, name);
    fprintf(a.f, "mass_gev,g_central,g_1sigma_lo,g_1sigma_hi,g_2sigma_lo,g_2sigma_hi\n");
    for (int i = 0; i <= 240; i++) {
        double m = 1e-4 * pow(1e4, i / 240.0);
        fprintf(a.f, "%.6g,%.6g,%.6g,%.6g,%.6g,%.6g\n", m, mue_g2_coupling_for(m, central, MUE_M_MU),
                mue_g2_coupling_for(m, central - sigma, MUE_M_MU),
                mue_g2_coupling_for(m, central + sigma, MUE_M_MU),
                mue_g2_coupling_for(m, central - 2.0 * sigma, MUE_M_MU),
                mue_g2_coupling_for(m, central + 2.0 * sigma, MUE_M_MU));
    }
    return mue_afile_commit(&a);
}

static double g_ref_of(const mue_run_config *c, const mue_input_def **gi)
{
    *gi = mue_process_input_of_kind(mue_process_info_of(c->process), MUE_INPUT_COUPLING);
    return *gi ? c->par.input[(*gi)->slot] : 1.0;
}

/* The document: the settings, the limits, every row the scan's file holds. */
static json_t *scan_json(const mue_run_config *c, const mue_scan_row *rows, int n)
{
    const mue_input_def *gi;
    const double g = g_ref_of(c, &gi);
    json_t *o = mue_report_doc(c), *a = json_array();
    int bad = !o || !a;
    bad = bad || json_object_set_new(o, "process", json_string(mue_process_name(c->process)));
    bad = bad || mue_report_real(o, "g_ref", g) || mue_report_real(o, "lumi_fb", c->lumi_fb) ||
          mue_report_real(o, "kinematic_limit_gev", mue_zprime_mass_limit(&c->par)) ||
          mue_report_real(o, "cut_i_endpoint_gev", mue_zprime_mass_endpoint(&c->par));
    for (int i = 0; !bad && i < n; i++) {
        json_t *r = json_object();
        bad = !r || mue_report_real(r, "mass_gev", rows[i].mass) ||
              mue_report_real(r, "sigma_fb", rows[i].sigma) ||
              mue_report_real(r, "sigma_err_fb", rows[i].err) ||
              mue_report_real(r, "sigma_over_g2_fb", rows[i].sigma / (g * g)) ||
              mue_report_real(r, "sigma_over_g2_err_fb", rows[i].err / (g * g)) ||
              mue_report_real(r, "chi2_per_dof", rows[i].chi2) ||
              json_object_set_new(r, "points", json_integer((json_int_t)rows[i].points)) ||
              json_object_set_new(r, "nan_weights", json_integer(rows[i].nbad)) ||
              json_array_append_new(a, r);
    }
    bad = bad || json_object_set_new(o, "rows", a);
    if (bad) {
        json_decref(o);
        return NULL;
    }
    return mue_report_settings_last(o);
}

static void scan_text(FILE *f, const mue_run_config *c, const mue_scan_row *rows, int nmass, int nall,
                      const char *g2name)
{
    const mue_process_info *pi = mue_process_info_of(c->process);
    const mue_input_def *m = mue_process_input_of_kind(pi, MUE_INPUT_MASS), *gi;
    const double g = g_ref_of(c, &gi);
    const char *gl = gi ? gi->label : "g";
    char head[64], sig[64], gone[64];
    fprintf(f, "mue %s scan: %s, %d masses, %s_ref = %.4g, L = %.6g fb^-1 -> %s/scan.csv\n",
            mue_version(), pi->name, nmass, gl, g, c->lumi_fb, c->out);
    snprintf(head, sizeof head, "%s [GeV]", m->label);
    snprintf(sig, sizeof sig, "sigma/%s^2 [fb]", gl);
    snprintf(gone, sizeof gone, "%s for N=1", gl);
    fprintf(f, "  %-12s %-26s %-12s %s\n", head, sig, "N(ref)", gone);
    double secs = 0.0, last_open = 0.0, first_closed = 0.0;
    for (int i = 0; i < nmass; i++) {
        const mue_scan_row *r = &rows[i];
        double g1 = gi ? mue_scan_coupling_for(r, g, c->lumi_fb, 1.0) : 0.0;
        fprintf(f, "  %-12.5g %11.5g +- %-11.2g %-12.5g ", r->mass, r->sigma / (g * g), r->err / (g * g),
                r->sigma * c->lumi_fb);
        if (g1 > 0.0)
            fprintf(f, "%.4g\n", g1);
        else
            fprintf(f, "-\n");
        secs += r->seconds;
        if (r->sigma > 0.0 && r->mass > last_open)
            last_open = r->mass;
    }
    for (int i = 0; i < nmass; i++)
        if (rows[i].sigma == 0.0 && rows[i].mass > last_open &&
            (first_closed == 0.0 || rows[i].mass < first_closed))
            first_closed = rows[i].mass;
    if (first_closed > 0.0)
        fprintf(f, "  signal vanishes between %s = %.5g and %.5g GeV with these cuts\n", m->label,
                last_open, first_closed);
    fprintf(f, "  end point of cut (i): %.5g GeV (muon recoiling against e + X); kinematic limit "
               "%.5g GeV\n",
            mue_zprime_mass_endpoint(&c->par), mue_zprime_mass_limit(&c->par));
    if (nall > nmass)
        fprintf(f, "  %s/scan.csv and scan.json also hold %d masses of earlier runs of this scan\n",
                c->out, nall - nmass);
    fprintf(f, "  integration time %.2f s", secs);
    if (g2name)
        fprintf(f, "; g-2 band (%s) in %s/g2_band_%s.csv", g2name, c->out, g2name);
    fputc('\n', f);
}

int mue_scan_command(const mue_run_config *c, mue_report *rep, char *why, size_t len)
{
    mue_outputs o;
    if (mue_outputs_prepare(c, &o, why, len))
        return 1;
    mue_scan_row *rows = malloc(sizeof *rows * MUE_SCAN_MAXMASS),
                 *all = malloc(sizeof *all * MUE_SCAN_MAXMASS);
    double *mass = malloc(sizeof *mass * MUE_SCAN_MAXMASS);
    int nmass = c->nmasses, nall = 0, rc = 0;
    if (!rows || !all || !mass)
        rc = 1, snprintf(why, len, "out of memory");
    if (!rc && nmass)
        memcpy(mass, c->masses, sizeof *mass * (size_t)nmass);
    else if (!rc)
        nmass = mue_scan_auto_masses(&c->par, c->mass_min, c->mass_mid, c->n_masses, mass);
    rc = rc || mue_scan_run(c, mass, nmass, c->out, c->restart, rows, all, &nall, NULL, why, len);
    /* the g-2 band, for a boson that couples to the muon through the scan's coupling */
    const char *g2name = NULL;
    double g2c = 0.0, g2s = 0.0;
    if (!rc && (mue_process_info_of(c->process)->flags & MUE_PROC_MUON_G2)) {
        g2name = mue_g2_preset_find(c->g2) ? c->g2 : "custom";
        mue_g2_band_of(c->g2, &g2c, &g2s);
    }
    /* scan.json holds what scan.csv holds: every mass of this scan, earlier runs' too */
    if (!rc && !(rep->doc = scan_json(c, all, nall)))
        rc = 1, snprintf(why, len, "scan: a row is not finite, or out of memory");
    if (!rc && mue_run_root(c)) {
        char path[4096];
        snprintf(path, sizeof path, "%s/scan.json", c->out);
        if (mue_json_write_file(path, rep->doc) || (g2name && write_g2_band(c->out, g2name, g2c, g2s)))
            rc = 1, snprintf(why, len, "--out: writing into '%s' failed: %s", c->out, mue_write_error());
    }
    if (!rc) {
        size_t size;
        FILE *f = mue_report_text_begin(rep, &size);
        if (f)
            scan_text(f, c, rows, nmass, nall, g2name);
        if (!f || mue_report_text_end(rep, f))
            rc = 1, snprintf(why, len, "out of memory");
    }
    free(rows);
    free(all);
    free(mass);
    mue_outputs_release(&o);
    return rc;
}
