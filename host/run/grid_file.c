#include "run/grid_file.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "mue/rng_stream.h"
#include "run/process_table.h"
#include "run/settings_json.h"
#include "util/afile.h"
#include "util/jsonfile.h"
#include "util/version.h"

json_t *mue_grid_json(const mue_vegas_state *s, const mue_run_config *c)
{
    const mue_vegas_grid *g = &s->grid;
    json_t *edges = json_array();
    for (int d = 0; edges && d < g->ndim; d++) {
        json_t *axis = json_array();
        for (int i = 0; axis && i <= g->nbins; i++)
            json_array_append_new(axis, json_real(g->edge[d][i]));
        json_array_append_new(edges, axis);
    }
    char id[32];
    snprintf(id, sizeof id, "%016llx", (unsigned long long)mue_settings_identity(c, MUE_SF_GRID, NULL));
    json_t *o = json_pack("{s:s, s:i, s:s, s:o*, s:s, s:I, s:I, s:i, s:i, s:o*}", "format",
                          MUE_GRID_FORMAT, "format_version", MUE_GRID_FORMAT_VERSION, "mue_version",
                          mue_version(), "settings", mue_settings_json(c, MUE_SF_GRID), "identity",
                          id, "seed", (json_int_t)c->seed, "iterations", (json_int_t)s->iterations,
                          "ndim", g->ndim, "nbins", g->nbins, "edges", edges);
    if (o && json_object_size(o) == 10 && s->nsigf > 0) {
        /* VEGAS+: the next allocation, so that a loaded grid goes on as the run would */
        json_t *sig = json_array();
        for (uint64_t h = 0; sig && h < s->nsigf; h++)
            json_array_append_new(sig, json_real(s->sigf[h]));
        json_object_set_new(o, "strata",
                            json_pack("{s:f, s:I, s:o*}", "beta", s->beta_sigf, "boxes",
                                      (json_int_t)s->nsigf, "sigf", sig));
    }
    if (o && json_object_size(o) < 10) { /* a part failed (out of memory) */
        json_decref(o);
        o = NULL;
    }
    return o;
}

int mue_grid_save(const char *path, const mue_run_config *c, const mue_vegas_state *s, char *why,
                  size_t len)
{
    json_t *o = mue_grid_json(s, c);
    if (!o) {
        snprintf(why, len, "--save-grid: out of memory");
        return -1;
    }
    int rc = mue_json_write_file(path, o);
    json_decref(o);
    if (rc)
        snprintf(why, len, "--save-grid: cannot write '%s': %s", path, mue_write_error());
    return rc;
}

/* A VEGAS+ allocation ("strata") into s; 0, or -1 if it is not one. */
static int load_strata(json_t *strata, mue_vegas_state *s)
{
    double beta = 0.0;
    json_int_t boxes = 0;
    json_t *sig = NULL;
    if (json_unpack(strata, "{s:F, s:I, s:o}", "beta", &beta, "boxes", &boxes, "sigf", &sig) ||
        !(beta > 0.0 && beta <= 1.0) || boxes < 1 || boxes > MUE_VEGAS_MAXBOXES ||
        !json_is_array(sig) || (json_int_t)json_array_size(sig) != boxes ||
        mue_vegas_state_reserve(s, (uint64_t)boxes))
        return -1;
    for (json_int_t h = 0; h < boxes; h++) {
        json_t *v = json_array_get(sig, (size_t)h);
        double x = json_number_value(v);
        if (!json_is_number(v) || !isfinite(x) || x < 0.0)
            return -1;
        s->sigf[h] = x;
    }
    s->nsigf = (uint64_t)boxes;
    s->beta_sigf = beta;
    return 0;
}

/* Versions 1 and 2 recorded the model and cuts in fixed fields: as the settings of
 * today's rows (what they did not record had its default). */
static json_t *legacy_settings(json_t *o)
{
    json_t *model = json_object_get(o, "model"), *cuts = json_object_get(o, "cuts");
    const char *process = json_string_value(json_object_get(o, "process"));
    const mue_process_info *pi = process ? mue_process_find(process) : NULL;
    if (!json_is_object(model) || !json_is_object(cuts) || !pi)
        return NULL;
    json_t *s = json_pack("{s:s, s:O*, s:O*, s:O*, s:O*, s:O*}", "process", process,
                          "beam_energy_gev", json_object_get(model, "beam_energy_gev"), "cuts",
                          json_object_get(cuts, "enabled"), "theta_mu_min_rad",
                          json_object_get(cuts, "theta_mu_min_rad"), "ee_min_gev",
                          json_object_get(cuts, "ee_min_gev"), "ee_max_gev",
                          json_object_get(cuts, "ee_max_gev"));
    const mue_input_def *m = mue_process_input_of_kind(pi, MUE_INPUT_MASS);
    if (s && m && json_object_get(model, "mass_gev"))
        json_object_set(s, m->json, json_object_get(model, "mass_gev"));
    const mue_input_def *fl = mue_process_input_of_kind(pi, MUE_INPUT_FLAVOURS);
    json_t *bits = json_object_get(model, "nu_flavours");
    if (s && fl && json_is_integer(bits)) {
        char t[32];
        json_object_set_new(s, fl->json,
                            json_string(mue_nu_flavours_str((int)json_integer_value(bits), t, sizeof t)));
    }
    const mue_input_def *eg = mue_process_input_of_kind(pi, MUE_INPUT_ENERGY);
    if (s && eg && json_object_get(o, "egamma_min_gev"))
        json_object_set(s, eg->json, json_object_get(o, "egamma_min_gev"));
    return s;
}

int mue_grid_parse(json_t *o, const char *opt, const char *path, mue_vegas_state *s,
                   json_t **settings, uint64_t *seed, char *why, size_t len)
{
    json_error_t e;
    const char *format = NULL;
    int version = 0, ndim = 0, nbins = 0;
    json_int_t iterations = 0, sd = 0;
    json_t *edges = NULL;
    *settings = NULL;
    int bad = json_unpack_ex(o, &e, 0, "{s:s, s:i, s:I, s:I, s:i, s:i, s:o}", "format", &format,
                             "format_version", &version, "seed", &sd, "iterations", &iterations,
                             "ndim", &ndim, "nbins", &nbins, "edges", &edges);
    if (bad)
        return snprintf(why, len, "%s: '%s' is not a mue grid file: %s", opt, path, e.text), -1;
    if (strcmp(format, MUE_GRID_FORMAT) != 0 || version < 1 || version > MUE_GRID_FORMAT_VERSION)
        return snprintf(why, len, "%s: '%s' is format %s version %d; this mue reads %s versions 1 to %d",
                        opt, path, format, version, MUE_GRID_FORMAT, MUE_GRID_FORMAT_VERSION),
               -1;
    if (ndim < 1 || ndim > MUE_VEGAS_MAXDIM || nbins < 2 || nbins > MUE_VEGAS_MAXBINS ||
        iterations < 0 || iterations > (json_int_t)MUE_RNG_ITER_MAX || !json_is_array(edges) ||
        (int)json_array_size(edges) != ndim)
        return snprintf(why, len, "%s: '%s': ndim, nbins, iterations or edges out of range", opt, path), -1;
    *settings = version >= 3 ? json_incref(json_object_get(o, "settings")) : legacy_settings(o);
    if (!json_is_object(*settings)) {
        json_decref(*settings);
        *settings = NULL;
        return snprintf(why, len, "%s: '%s' records no settings of its integrand", opt, path), -1;
    }
    *seed = (uint64_t)sd;
    mue_vegas_state_init(s, ndim, nbins);
    s->iterations = (uint32_t)iterations;
    int rc = 0;
    for (int d = 0; d < ndim && !rc; d++) {
        json_t *axis = json_array_get(edges, d);
        if (!json_is_array(axis) || (int)json_array_size(axis) != nbins + 1)
            rc = -1;
        for (int i = 0; i <= nbins && !rc; i++) {
            json_t *v = json_array_get(axis, i);
            double x = json_number_value(v);
            /* a map of [0, 1] onto itself: 0, increasing, 1; no bin narrower than a run
             * trains (VEGAS refines a bin by interpolating its old edges, never to 1e-15) */
            if (!json_is_number(v) || !isfinite(x) || (i == 0 && x != 0.0) || (i == nbins && x != 1.0) ||
                (i > 0 && !(x - s->grid.edge[d][i - 1] >= MUE_GRID_MIN_BIN)))
                rc = -1;
            s->grid.edge[d][i] = x;
        }
    }
    if (rc)
        snprintf(why, len,
                 "%s: '%s': the edges of an axis are not %d increasing numbers from 0 to 1 with "
                 "every bin at least %g wide",
                 opt, path, nbins + 1, MUE_GRID_MIN_BIN);
    json_t *strata = json_object_get(o, "strata");
    if (!rc && strata && load_strata(strata, s)) {
        rc = -1;
        snprintf(why, len,
                 "%s: '%s': \"strata\" is not a beta in (0, 1], a box count up to %u and that many "
                 "finite numbers >= 0",
                 opt, path, MUE_VEGAS_MAXBOXES);
    }
    if (rc) {
        mue_vegas_state_free(s);
        json_decref(*settings);
        *settings = NULL;
    }
    return rc;
}

int mue_grid_load(const char *path, const mue_run_config *c, int ndim, mue_vegas_state *s,
                  char *why, size_t len)
{
    json_error_t e;
    json_t *o = json_load_file(path, 0, &e);
    if (!o)
        return snprintf(why, len, "--load-grid: '%s': %s (line %d)", path, e.text, e.line), -1;
    json_t *rec = NULL;
    uint64_t seed;
    int rc = mue_grid_parse(o, "--load-grid", path, s, &rec, &seed, why, len);
    json_decref(o);
    if (rc)
        return rc;
    char source[512], what[600];
    snprintf(source, sizeof source, "the grid '%.400s'", path);
    if (s->grid.ndim != ndim) {
        snprintf(why, len, "--load-grid: %s has %d axes; %s integrates over %d", path, s->grid.ndim,
                 mue_process_name(c->process), ndim);
        rc = -1;
    } else if (!c->force_grid && mue_settings_differ(c, MUE_SF_GRID, rec, source, what, sizeof what)) {
        snprintf(why, len, "--load-grid: %.480s was trained for another %.500s; add --force-grid to "
                           "use it anyway",
                 path, what);
        rc = -1;
    }
    json_decref(rec);
    if (rc)
        mue_vegas_state_free(s);
    return rc;
}
