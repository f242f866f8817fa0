/* The dispatch to the commands, and the smallest of them: integrate, g2, kinematics. */
#include "run/commands.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "backends/backend.h"
#include "mue/elastic.h"
#include "physics1d/g2.h"
#include "physics1d/kinematic_limits.h"
#include "run/outputs.h"
#include "util/afile.h"
#include "util/jsonfile.h"
#include "util/version.h"

int mue_command_run(const mue_run_config *c, mue_report *rep, char *why, size_t len)
{
    memset(rep, 0, sizeof *rep);
    switch (c->command) {
    case MUE_CMD_INTEGRATE: return mue_integrate_command(c, rep, why, len);
    case MUE_CMD_SCAN: return mue_scan_command(c, rep, why, len);
    case MUE_CMD_GENERATE: return mue_generate_command(c, rep, why, len);
    case MUE_CMD_BACKGROUNDS: return mue_backgrounds_command(c, rep, why, len);
    case MUE_CMD_G2: return mue_g2_command(c, rep, why, len);
    case MUE_CMD_KINEMATICS: return mue_kinematics_command(c, rep, why, len);
    case MUE_CMD_SENSITIVITY: return mue_sensitivity_command(c, rep, why, len);
    default: return snprintf(why, len, "unknown command"), 1;
    }
}

void mue_device_notice(const mue_run_config *c)
{
    if (strcmp(c->device, "auto") != 0)
        return;
    const mue_backend *be = mue_backend_auto();
    char gw[256];
    for (const mue_backend *const *b = mue_backends; *b != be; b++)
        if (!(*b)->usable(gw, sizeof gw))
            mue_run_note(c, MUE_NOTE_NOTICE, "mue: --device auto: %s, running on the %s", gw,
                         be == &mue_backend_cpu ? "CPU" : be->name);
}

int mue_integrate_command(const mue_run_config *c, mue_report *rep, char *why, size_t len)
{
    if (mue_run_validate(c, why, len))
        return 1;
    mue_outputs o;
    if (mue_outputs_prepare(c, &o, why, len))
        return 1;
    mue_device_notice(c);
    mue_run_result *r = malloc(sizeof *r);
    int rc = !r ? (snprintf(why, len, "out of memory"), 1) : mue_run_integrate(c, r, why, len);
    if (!rc && mue_integrate_report(c, r, rep))
        rc = 1, snprintf(why, len, "integrate: a number of the result is not finite, or out of memory");
    if (!rc && c->json && mue_run_root(c) && mue_json_write_file(c->json, rep->doc))
        rc = 1, snprintf(why, len, "--json: writing '%s' failed: %s", c->json, mue_write_error());
    if (!rc && c->hist_dir && mue_run_root(c) && mue_write_hist_csv(c->hist_dir, c, r))
        rc = 1, snprintf(why, len, "--hist: writing into '%s' failed: %s", c->hist_dir, mue_write_error());
    free(r);
    mue_outputs_release(&o);
    return rc;
}

int mue_g2_command(const mue_run_config *c, mue_report *rep, char *why, size_t len)
{
    mue_outputs o;
    if (mue_outputs_prepare(c, &o, why, len))
        return 1;
    const double m = c->g2_mass, g = c->g2_coupling;
    double err, da = mue_g2_delta_amu(m, g, MUE_M_MU, &err);
    if (!isfinite(da) || !(da > 0.0))
        return snprintf(why, len, "g2: the quadrature gave no Delta a_mu (%g) at m = %g GeV, g = %g",
                        da, m, g),
               1;
    size_t size;
    FILE *f = mue_report_text_begin(rep, &size);
    rep->doc = mue_report_doc(c);
    if (!f || !rep->doc)
        return snprintf(why, len, "out of memory"), 1;
    fprintf(f, "m_Z' = %.6g GeV  g = %.4g\n  Delta a_mu = %.6e\n", m, g, da);
    int bad = mue_report_real(rep->doc, "mass_gev", m) | mue_report_real(rep->doc, "coupling", g) |
              mue_report_real(rep->doc, "delta_amu", da) |
              mue_report_real(rep->doc, "delta_amu_err", err);
    for (const mue_g2_preset *p = mue_g2_presets; p->name; p++) {
        char key[64];
        fprintf(f, "  %s: excess (%.0f +- %.0f) x 1e-11, Z' gives %+.2f sigma from it (%s)\n", p->name,
                p->central * 1e11, p->sigma * 1e11, (da - p->central) / p->sigma, p->note);
        snprintf(key, sizeof key, "pull_%s", p->name);
        bad |= mue_report_real(rep->doc, key, (da - p->central) / p->sigma);
    }
    if (mue_report_text_end(rep, f) || bad)
        return snprintf(why, len, "out of memory"), 1;
    mue_report_settings_last(rep->doc);
    if (c->json && mue_json_write_file(c->json, rep->doc))
        return snprintf(why, len, "--json: writing '%s' failed: %s", c->json, mue_write_error()), 1;
    return 0;
}

int mue_kinematics_command(const mue_run_config *c, mue_report *rep, char *why, size_t len)
{
    const double e_beam = c->par.e_beam;
    const uint64_t npts = c->curve_points;
    mue_outputs o;
    if (mue_outputs_prepare(c, &o, why, len))
        return 1;
    /* the whole curve first: a value double precision cannot give is refused, never
     * printed */
    double thmax = mue_elastic_theta_mu_max(e_beam, MUE_M_MU, MUE_M_E);
    double *th = malloc(npts * sizeof *th), *ee = malloc(npts * sizeof *ee);
    int rc = 0;
    if (!th || !ee)
        rc = 1, snprintf(why, len, "kinematics: out of memory for %llu points", (unsigned long long)npts);
    for (uint64_t i = 0; !rc && i < npts; i++) {
        /* crowd the points where the curve turns up, near theta_mu^max */
        double u = (double)i / (npts - 1);
        th[i] = i == npts - 1 ? thmax * (1.0 - 1e-9) : thmax * (1.0 - (1.0 - u) * (1.0 - u));
        ee[i] = mue_elastic_ee_min(th[i], e_beam, MUE_M_MU, MUE_M_E);
        if (!(isfinite(ee[i]) && ee[i] >= MUE_M_E && ee[i] <= e_beam + MUE_M_E))
            rc = 1, snprintf(why, len,
                             "kinematics: E_e,min at theta_mu = %g mrad is beyond double precision "
                             "at a %g GeV beam",
                             1e3 * th[i], e_beam);
    }
    size_t size;
    FILE *f = rc ? NULL : mue_report_text_begin(rep, &size);
    rep->doc = rc ? NULL : mue_report_doc(c);
    if (!rc && (!f || !rep->doc))
        rc = 1, snprintf(why, len, "out of memory");
    if (!rc) {
        fprintf(f, "# mue %s: smallest lab E_e of elastic mu e -> mu e with theta_mu > theta_th "
                   "(paper Eqs. 1-3, Fig. 1), beam %.6g GeV; theta_mu^max = %.6g mrad\n",
                mue_version(), e_beam, 1e3 * thmax);
        fprintf(f, "theta_th_mrad,ee_min_gev\n");
        json_t *rows = json_array();
        for (uint64_t i = 0; i < npts; i++) {
            fprintf(f, "%.8g,%.8g\n", 1e3 * th[i], ee[i]);
            json_array_append_new(rows, json_pack("{s:f, s:f}", "theta_th_mrad", 1e3 * th[i],
                                                  "ee_min_gev", ee[i]));
        }
        json_object_set_new(rep->doc, "theta_mu_max_mrad", json_real(1e3 * thmax));
        json_object_set_new(rep->doc, "rows", rows);
        mue_report_settings_last(rep->doc);
        if (mue_report_text_end(rep, f))
            rc = 1, snprintf(why, len, "out of memory");
    } else if (f)
        mue_report_text_end(rep, f);
    free(th);
    free(ee);
    if (!rc && c->csv) {
        /* the curve goes to the file instead of the printout */
        mue_afile a;
        if (mue_afile_open(&a, c->csv))
            return snprintf(why, len, "--csv: cannot write '%s'", c->csv), 1;
        fputs(rep->text, a.f);
        if (mue_afile_commit(&a))
            return snprintf(why, len, "--csv: writing '%s' failed: %s", c->csv, mue_write_error()), 1;
        rep->text[0] = 0;
    }
    return rc;
}
