/* `mue generate`: the event file, what mue prints of the run, and its JSON document. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run/commands.h"
#include "run/generate.h"
#include "run/outputs.h"
#include "run/process_table.h"
#include "util/afile.h"
#include "util/jsonfile.h"
#include "util/version.h"

static void generate_text(FILE *f, const mue_run_config *c, const mue_gen_result *r)
{
    const mue_process_info *pi = mue_process_info_of(c->process);
    char model[256];
    mue_run_model_line(c, model, sizeof model);
    fprintf(f, "mue %s  generate  process %s%s%s\n", mue_version(), pi->name, model[0] ? "  " : "", model);
    fprintf(f, "  sigma  = %.6g +- %.3g pb (grid run: %d iterations, %s)\n", 1e-3 * r->run.sigma_fb,
            1e-3 * r->run.sigma_err_fb, r->run.v.iterations,
            c->load_grid ? "loaded grid" : "grid trained here");
    if (r->file_scale != 1.0)
        fprintf(f, "  the file holds the invisible decays: sigma x BR(Z' -> invisible) = %.6g pb (BR %.6g)\n",
                1e-3 * r->run.sigma_fb * r->file_scale, r->file_scale);
    if (c->weighted)
        fprintf(f, "  weighted events; the largest surveyed weight %.6g fb\n", r->survey_max_fb);
    else
        fprintf(f,
                "  max weight %.6g fb (%s of %lld surveyed weights; largest %.6g fb)\n"
                "  unweighting efficiency %.4g (survey %.4g), overweight fraction %.3g of the "
                "events (survey: %.3g of the points passing the cuts), %s\n",
                r->fmax_fb, c->max_mode == MUE_GEN_MAX_TRUE ? "maximum" : "quantile", r->survey_nonzero,
                r->survey_max_fb, r->eff, r->survey_eff, r->over_frac, r->survey_over,
                c->truncate ? "truncated to unit weight" : "kept with weight > 1 (no bias)");
    if (!c->weighted && c->truncate)
        fprintf(f, "  truncation bias: the overweights' excess is %.3g of sigma (survey)\n",
                r->survey_bias);
    fprintf(f, "  sigma from the events: sum w / N = %.6g +- %.3g pb; hit or miss %.6g +- %.3g pb\n",
            r->sigma_events_pb, r->sigma_events_err_pb, r->sigma_hm_pb, r->sigma_hm_err_pb);
    fprintf(f,
            "  %llu events written to %s (%s%s, %.3g MB) in %.2f s: %.4g events/s on %s (%d "
            "threads); grid %.2f s, survey %.2f s; seed %llu\n",
            (unsigned long long)r->events, c->out, c->format == MUE_GEN_LHEF ? "LHEF 3.0" : "HepMC3 ASCII",
            c->gzip ? ", gzip" : "", 1e-6 * (double)r->bytes, r->gen_seconds, r->events_per_s,
            r->run.device, r->run.threads, r->train_seconds, r->survey_seconds,
            (unsigned long long)c->seed);
    if (r->bad)
        fprintf(f, "  WARNING: %lld points had a NaN or infinite weight and were dropped\n", r->bad);
    for (int k = 0; k < r->run.nwarnings; k++)
        fprintf(f, "  WARNING: %s\n", r->run.warnings[k]);
}

static json_t *generate_json(const mue_run_config *c, const mue_gen_result *r)
{
    json_t *o = mue_report_doc(c), *w = json_array();
    int bad = !o || !w;
    bad = bad || json_object_set_new(o, "process", json_string(mue_process_name(c->process)));
    const struct {
        const char *key;
        double v;
    } nums[] = {{"sigma_fb", r->run.sigma_fb},
                {"sigma_err_fb", r->run.sigma_err_fb},
                {"sigma_events_pb", r->sigma_events_pb},
                {"sigma_events_err_pb", r->sigma_events_err_pb},
                {"sigma_hit_or_miss_pb", r->sigma_hm_pb},
                {"sigma_hit_or_miss_err_pb", r->sigma_hm_err_pb},
                {"max_weight_fb", r->fmax_fb},
                {"largest_weight_fb", r->survey_max_fb},
                {"unit_weight_pb", r->unit_pb},
                {"file_scale", r->file_scale},
                {"efficiency", r->eff},
                {"survey_efficiency", r->survey_eff},
                {"overweight_fraction", r->over_frac},
                {"survey_overweight_fraction", r->survey_over},
                {"truncation_bias", r->survey_bias},
                {"grid_seconds", r->train_seconds},
                {"survey_seconds", r->survey_seconds},
                {"events_seconds", r->gen_seconds},
                {"events_per_second", r->events_per_s}};
    for (size_t k = 0; !bad && k < sizeof nums / sizeof nums[0]; k++)
        bad = mue_report_real(o, nums[k].key, nums[k].v);
    for (int k = 0; !bad && k < r->run.nwarnings; k++)
        bad = json_array_append_new(w, mue_json_string(r->run.warnings[k]));
    bad = bad || json_object_set_new(o, "events", json_integer((json_int_t)r->events)) ||
          json_object_set_new(o, "points", json_integer((json_int_t)r->points)) ||
          json_object_set_new(o, "kept", json_integer((json_int_t)r->kept)) ||
          json_object_set_new(o, "overweight_events", json_integer(r->over)) ||
          json_object_set_new(o, "nan_weights", json_integer(r->bad)) ||
          json_object_set_new(o, "batches", json_integer(r->batches)) ||
          json_object_set_new(o, "bytes", json_integer((json_int_t)r->bytes)) ||
          json_object_set_new(o, "file", mue_json_string(c->out)) ||
          json_object_set_new(o, "device", json_string(r->run.device)) ||
          json_object_set_new(o, "warnings", w);
    if (bad) {
        json_decref(o);
        return NULL;
    }
    return mue_report_settings_last(o);
}

int mue_generate_command(const mue_run_config *c, mue_report *rep, char *why, size_t len)
{
    if (mue_run_validate(c, why, len))
        return 1;
    mue_outputs o;
    if (mue_outputs_prepare(c, &o, why, len))
        return 1;
    mue_gen_result *r = malloc(sizeof *r);
    int rc = !r ? (snprintf(why, len, "out of memory"), 1) : mue_generate(c, r, why, len);
    if (!rc && !(rep->doc = generate_json(c, r)))
        rc = 1, snprintf(why, len, "generate: a number of the result is not finite, or out of memory");
    if (!rc) {
        size_t size;
        FILE *f = mue_report_text_begin(rep, &size);
        if (f)
            generate_text(f, c, r);
        if (!f || mue_report_text_end(rep, f))
            rc = 1, snprintf(why, len, "out of memory");
    }
    if (!rc && c->json && mue_json_write_file(c->json, rep->doc))
        rc = 1, snprintf(why, len, "--json: writing '%s' failed: %s", c->json, mue_write_error());
    free(r);
    mue_outputs_release(&o);
    return rc;
}
