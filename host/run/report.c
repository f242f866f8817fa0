#include "run/report.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "run/beam_config.h"
#include "run/detector_config.h"
#include "run/process_table.h"
#include "run/settings_json.h"
#include "util/afile.h"
#include "util/jsonfile.h"
#include "util/version.h"

void mue_report_free(mue_report *r)
{
    free(r->text);
    json_decref(r->doc);
    r->text = NULL;
    r->doc = NULL;
}

json_t *mue_report_doc(const mue_run_config *c)
{
    char schema[64], id[32];
    snprintf(schema, sizeof schema, "mue-%s", mue_command_name(c->command));
    snprintf(id, sizeof id, "%016llx", (unsigned long long)mue_settings_identity(c, MUE_SF_RESULT, NULL));
    /* no commit: a document depends on what was computed, not on the build (mue --version
     * and the event headers name the commit) */
    json_t *o = json_pack("{s:s, s:i, s:s, s:o*, s:s}", "schema", schema, "schema_version",
                          MUE_SCHEMA_VERSION, "version", mue_version(), "settings",
                          mue_settings_json(c, 0), "identity", id);
    if (o && !json_object_get(o, "settings")) {
        json_decref(o);
        return NULL;
    }
    return o;
}

json_t *mue_report_settings_last(json_t *o)
{
    static const char *const keys[] = {"settings", "identity"};
    for (int k = 0; o && k < 2; k++) {
        json_t *v = json_incref(json_object_get(o, keys[k]));
        if (v) {
            json_object_del(o, keys[k]);
            json_object_set_new(o, keys[k], v);
        }
    }
    return o;
}

int mue_report_real(json_t *o, const char *key, double v)
{
    json_t *x = mue_json_real(v);
    return x ? json_object_set_new(o, key, x) : -1;
}

json_t *mue_report_reals(const double *v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        if (json_array_append_new(a, mue_json_real(v[i]))) {
            json_decref(a);
            return NULL;
        }
    return a;
}

FILE *mue_report_text_begin(mue_report *r, size_t *size)
{
    free(r->text);
    r->text = NULL;
    return open_memstream(&r->text, size);
}

int mue_report_text_end(mue_report *r, FILE *f)
{
    if (fclose(f) != 0) {
        free(r->text);
        r->text = NULL;
        return -1;
    }
    return r->text ? 0 : -1;
}

const char *mue_report_model_kv(const mue_run_config *c, char *buf, size_t len)
{
    const mue_process_info *pi = mue_process_info_of(c->process);
    size_t n = (size_t)snprintf(buf, len, "process=%s", pi->name);
    for (int k = 0; k < pi->ninputs && n < len; k++) {
        const mue_input_def *in = &pi->inputs[k];
        char fl[32];
        if (in->kind == MUE_INPUT_FLAVOURS)
            n += (size_t)snprintf(buf + n, len - n, " %s=%s", in->json,
                                  mue_nu_flavours_str((int)c->par.input[in->slot], fl, sizeof fl));
        else
            n += (size_t)snprintf(buf + n, len - n, " %s=%.6g", in->json, c->par.input[in->slot]);
    }
    return buf;
}

/* The numbers of its setup the process asks a run to print (MUE_<ID>_DERIVED). */
static void derived_lines(FILE *f, const mue_run_config *c)
{
    mue_setup S;
    const char *why;
    if (!mue_setup_make(c->process, &c->par, &S, &why))
        return;
#define D_(label, field, unit) fprintf(f, "  %s %.6g %s\n", label, (double)U->field, unit);
    switch (c->process) {
#define MUE_ROW_(ID, name, summary)                                                                \
    case MUE_PROC_##ID: {                                                                          \
        const mue_##name##_unit *U = &S.u.name;                                                    \
        (void)U;                                                                                   \
        MUE_##ID##_DERIVED(D_) break;                                                              \
    }
        MUE_PROCESSES(MUE_ROW_)
#undef MUE_ROW_
    default: break;
    }
#undef D_
}

static void integrate_text(FILE *f, const mue_run_config *c, const mue_run_result *r)
{
    const mue_params *p = &c->par;
    const mue_process_info *pi = mue_process_info_of(c->process);
    char model[256];
    mue_run_model_line(c, model, sizeof model);
    fprintf(f, "mue %s  process %s%s%s\n", mue_version(), pi->name, model[0] ? "  " : "", model);
    fprintf(f, "  beam %s %.6g GeV on e at rest, alpha = 1/%.6f\n", p->beam_plus ? "mu+" : "mu-",
            p->e_beam, 1.0 / p->alpha);
    if (p->bm.enabled) {
        char b[400];
        fprintf(f, "  beam model (sigma averaged over the beam, cuts about each muon): %s\n",
                mue_beam_model_describe(&p->bm, b, sizeof b));
    }
    if (p->cuts.enabled)
        fprintf(f, "  cuts: theta_mu > %.6g mrad, %.6g GeV < E_e < %.6g GeV\n",
                1e3 * p->cuts.theta_mu_min, p->cuts.ee_min, p->cuts.ee_max);
    else
        fprintf(f, "  cuts: none\n");
    if (p->det.enabled) {
        char d[512];
        fprintf(f, "  cuts on measured quantities; detector: %s\n",
                mue_detector_describe(&p->det, d, sizeof d));
    }
    derived_lines(f, c);
    if (r->v.iterations == 0) {
        fprintf(f, "  grid trained: %d warm-up iterations, %llu points, %.2f s on %s; saved to %s\n",
                r->v.warmup, (unsigned long long)r->v.points, r->seconds, r->device_name,
                c->save_grid);
        return;
    }
    double rel = r->sigma_fb != 0.0 ? 100.0 * r->sigma_err_fb / fabs(r->sigma_fb) : 0.0;
    if (r->v.n_nonzero == 0 && r->zero_exact)
        fprintf(f, "  sigma  = 0 fb (exact: the cuts leave this process no phase space)\n");
    else if (r->v.n_nonzero == 0)
        fprintf(f, "  sigma  = 0 +- 0 fb, not exact: no point passed the cuts (below %.2g of the "
                   "sampled phase space passes, 95 %% CL)\n",
                r->zero_fraction_95);
    else
        fprintf(f, "  sigma  = %.6g +- %.3g fb  (%.3f%%)\n", r->sigma_fb, r->sigma_err_fb, rel);
    fprintf(f, "  events = %.6g +- %.3g  for L = %.6g fb^-1\n", r->events, r->events_err, c->lumi_fb);
    fprintf(f, "  chi2/dof %.3f (Q = %.2f) over %d iterations (+%d warm-up), %llu points, %.2f s on %s",
            r->v.chi2_dof, r->v.q, r->v.iterations, r->v.warmup, (unsigned long long)r->v.points,
            r->seconds, r->device);
    if (strcmp(r->device, "cpu") != 0)
        fprintf(f, " (%s: evaluation %.2f s, host %.2f s, setup %.2f s)", r->device_name,
                r->eval_seconds, r->host_seconds, r->setup_seconds);
    else
        fprintf(f, " (%d threads)", r->threads);
    fprintf(f, ", seed %llu\n", (unsigned long long)c->seed);
    for (int k = 0; k < r->nwarnings; k++)
        fprintf(f, "  WARNING: %s\n", r->warnings[k]);
}

/* The histograms as arrays: edges, sigma per bin and its error, and the events. */
static json_t *histograms_json(const mue_run_config *c, const mue_run_result *r)
{
    const mue_hist_spec *h = &r->hist;
    const mue_process_info *pi = mue_process_info_of(c->process);
    json_t *a = json_array();
    for (int k = 0; a && k < h->nobs; k++) {
        double edges[MUE_HIST_MAXBINS + 1], ev[MUE_HIST_MAXBINS], everr[MUE_HIST_MAXBINS];
        const double w = (h->hi[k] - h->lo[k]) / h->nbins;
        for (int b = 0; b <= h->nbins; b++)
            edges[b] = b == h->nbins ? h->hi[k] : h->lo[k] + b * w;
        for (int b = 0; b < h->nbins; b++) {
            ev[b] = r->v.hist[k][b] * c->lumi_fb;
            everr[b] = r->v.hist_err[k][b] * c->lumi_fb;
        }
        json_t *o = json_pack("{s:s, s:s, s:o*, s:o*, s:o*, s:o*, s:o*, s:o*}", "name", pi->obs[k].name,
                              "unit", pi->obs[k].unit, "edges", mue_report_reals(edges, (size_t)h->nbins + 1),
                              "sigma_fb", mue_report_reals(r->v.hist[k], (size_t)h->nbins),
                              "sigma_err_fb", mue_report_reals(r->v.hist_err[k], (size_t)h->nbins),
                              "events", mue_report_reals(ev, (size_t)h->nbins), "events_err",
                              mue_report_reals(everr, (size_t)h->nbins), "sigma_outside_fb",
                              mue_json_real(mue_run_hist_outside(r, k)));
        if (!o || json_object_size(o) != 8 || json_array_append_new(a, o)) {
            json_decref(o);
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

static json_t *integrate_json(const mue_run_config *c, const mue_run_result *r)
{
    json_t *o = mue_report_doc(c);
    if (!o)
        return NULL;
    int bad = json_object_set_new(o, "process", json_string(mue_process_name(c->process)));
    const struct {
        const char *key;
        double v;
    } nums[] = {{"sigma_fb", r->sigma_fb},           {"sigma_err_fb", r->sigma_err_fb},
                {"events", r->events},               {"events_err", r->events_err},
                {"chi2_per_dof", r->v.chi2_dof},     {"q", r->v.q},
                {"seconds", r->seconds},             {"setup_seconds", r->setup_seconds},
                {"eval_seconds", r->eval_seconds},   {"host_seconds", r->host_seconds}};
    for (size_t k = 0; k < sizeof nums / sizeof nums[0]; k++)
        bad |= mue_report_real(o, nums[k].key, nums[k].v);
    json_t *warnings = json_array(), *iters = json_array(), *ipts = json_array();
    for (int k = 0; warnings && k < r->nwarnings; k++)
        bad |= json_array_append_new(warnings, mue_json_string(r->warnings[k]));
    for (int k = 0; iters && ipts && k < r->v.iterations; k++) {
        bad |= json_array_append_new(iters, json_pack("[o*, o*]", mue_json_real(r->v.iter_integral[k]),
                                                      mue_json_real(r->v.iter_error[k])));
        bad |= json_array_append_new(ipts, json_integer((json_int_t)r->v.iter_points[k]));
    }
    bad |= json_object_set_new(o, "iterations", json_integer(r->v.iterations));
    bad |= json_object_set_new(o, "warmup", json_integer(r->v.warmup));
    bad |= json_object_set_new(o, "points", json_integer((json_int_t)r->v.points));
    bad |= json_object_set_new(o, "nan_weights", json_integer(r->v.n_bad));
    bad |= json_object_set_new(o, "device", json_string(r->device));
    bad |= json_object_set_new(o, "device_name", json_string(r->device_name));
    bad |= json_object_set_new(o, "threads", json_integer(r->threads));
    bad |= json_object_set_new(o, "grid_iterations", json_integer(r->grid_iterations));
    bad |= json_object_set_new(o, "pooled", json_boolean(r->v.pooled));
    bad |= json_object_set_new(o, "error_reliable", json_boolean(!r->error_unreliable));
    bad |= mue_report_real(o, "min_effective_points", r->min_effective_points);
    bad |= json_object_set_new(o, "min_nonzero_points", json_integer(r->v.min_nonzero));
    bad |= json_object_set_new(o, "warnings", warnings);
    bad |= json_object_set_new(o, "iteration_results_fb", iters);
    bad |= json_object_set_new(o, "iteration_points", ipts);
    if (r->v.n_nonzero == 0) /* sigma = 0: proved, or what the sample says */
        bad |= json_object_set_new(o, "zero", json_pack("{s:b, s:f}", "exact", r->zero_exact,
                                                         "passing_fraction_95", r->zero_fraction_95));
    if (c->want_hist)
        bad |= json_object_set_new(o, "histograms", histograms_json(c, r));
    if (bad) {
        json_decref(o);
        return NULL;
    }
    return mue_report_settings_last(o);
}

int mue_integrate_report(const mue_run_config *c, const mue_run_result *r, mue_report *rep)
{
    size_t size;
    FILE *f = mue_report_text_begin(rep, &size);
    if (!f)
        return -1;
    integrate_text(f, c, r);
    if (mue_report_text_end(rep, f))
        return -1;
    rep->doc = r->v.iterations ? integrate_json(c, r) : mue_report_doc(c);
    return rep->doc ? 0 : -1;
}

int mue_write_hist_csv(const char *dir, const mue_run_config *c, const mue_run_result *r)
{
    /* the histograms of a run are a set: all are written to temporaries first, and
     * only when every one is complete do they replace the old set */
    const mue_hist_spec *h = &r->hist;
    const mue_process_info *pi = mue_process_info_of(c->process);
    char model[256];
    mue_report_model_kv(c, model, sizeof model);
    mue_afile a[MUE_MAX_OBS];
    int opened = 0, bad = 0;
    for (int k = 0; k < h->nobs && !bad; k++) {
        const mue_obs_def *od = &pi->obs[k];
        char path[4096];
        if (snprintf(path, sizeof path, "%s/%s.csv", dir, od->name) >= (int)sizeof path ||
            mue_afile_open(&a[k], path)) {
            bad = 1;
            break;
        }
        opened++;
        const char *u = od->unit;
        fprintf(a[k].f,
                "# mue %s: %s in %s (bin edges lo_%s, hi_%s), %d bins; %s lumi_fb=%.6g; sigma in "
                "fb per bin, events per bin for the luminosity; weighted over %d production "
                "iterations\n",
                mue_version(), od->name, u, u, u, h->nbins, model, c->lumi_fb, r->v.iterations);
        fprintf(a[k].f, "# outside the range: %.8g fb\n", mue_run_hist_outside(r, k));
        fprintf(a[k].f, "lo_%s,hi_%s,sigma_fb,sigma_err_fb,events,events_err\n", u, u);
        double w = (h->hi[k] - h->lo[k]) / h->nbins;
        for (int b = 0; b < h->nbins; b++)
            fprintf(a[k].f, "%.8g,%.8g,%.8g,%.4g,%.8g,%.4g\n", h->lo[k] + b * w,
                    h->lo[k] + (b + 1) * w, r->v.hist[k][b], r->v.hist_err[k][b],
                    r->v.hist[k][b] * c->lumi_fb, r->v.hist_err[k][b] * c->lumi_fb);
    }
    /* the first failure's errno is the reason reported (the cleanup must not replace it) */
    int err = bad ? errno : 0;
    for (int k = 0; k < opened; k++)
        if (bad)
            mue_afile_abort(&a[k]);
        else if (mue_afile_close(&a[k]))
            bad = 1, err = err ? err : errno;
    if (bad) {
        for (int k = 0; k < opened; k++)
            unlink(a[k].tmp);
        errno = err;
        return -1;
    }
    for (int k = 0; k < opened; k++)
        if (rename(a[k].tmp, a[k].path) != 0) {
            err = err ? err : errno;
            bad = 1;
            unlink(a[k].tmp);
        }
    errno = err;
    return bad ? -1 : 0;
}
