#include "run/grid_file.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "run/output.h"
#include "util/version.h"

int mue_json_write_file(const char *path, const json_t *o)
{
    mue_afile a;
    if (mue_afile_open(&a, path))
        return -1;
    if (json_dumpf(o, a.f, JSON_INDENT(1) | JSON_REAL_PRECISION(17) | JSON_PRESERVE_ORDER) == 0) {
        fputc('\n', a.f);
        return mue_afile_commit(&a);
    }
    mue_afile_abort(&a);
    return -1;
}

json_t *mue_grid_json(const mue_vegas_state *s, const mue_grid_meta *m)
{
    const mue_vegas_grid *g = &s->grid;
    const mue_params *p = &m->par;
    json_t *edges = json_array();
    for (int d = 0; d < g->ndim; d++) {
        json_t *axis = json_array();
        for (int i = 0; i <= g->nbins; i++)
            json_array_append_new(axis, json_real(g->edge[d][i]));
        json_array_append_new(edges, axis);
    }
    json_t *o = json_pack(
        "{s:s, s:i, s:s, s:s, s:{s:f, s:f, s:f, s:f}, s:{s:b, s:f, s:f, s:f}, s:I, s:I, s:i, s:i, "
        "s:o}",
        "format", MUE_GRID_FORMAT, "format_version", MUE_GRID_FORMAT_VERSION, "mue_version",
        MUE_VERSION, "process", m->process, "model", "mass_gev", p->m_zp, "coupling", p->coupling,
        "alpha", p->alpha, "beam_energy_gev", p->e_beam, "cuts", "enabled", p->cuts.enabled,
        "theta_mu_min_rad", p->cuts.theta_mu_min, "ee_min_gev", p->cuts.ee_min, "ee_max_gev",
        p->cuts.ee_max, "seed", (json_int_t)m->seed, "iterations", (json_int_t)s->iterations, "ndim",
        g->ndim, "nbins", g->nbins, "edges", edges);
    json_t *model = o ? json_object_get(o, "model") : NULL;
    if (model)
        json_object_set_new(model, "nu_flavours", json_integer(p->nu_flavours));
    if (o && s->nsigf > 0) {
        /* VEGAS+: the next allocation, so that a loaded grid goes on as the run would */
        json_t *sig = json_array();
        for (uint64_t h = 0; h < s->nsigf; h++)
            json_array_append_new(sig, json_real(s->sigf[h]));
        json_object_set_new(o, "strata",
                            json_pack("{s:f, s:I, s:o}", "beta", s->beta_sigf, "boxes",
                                      (json_int_t)s->nsigf, "sigf", sig));
    }
    if (o && p->cuts.egamma_min > 0.0) /* --egamma-min: a key of its own, absent when unset */
        json_object_set_new(o, "egamma_min_gev", json_real(p->cuts.egamma_min));
    return o;
}

int mue_grid_save(const char *path, const mue_vegas_state *s, const mue_grid_meta *m, char *why,
                  size_t len)
{
    json_t *o = mue_grid_json(s, m);
    if (!o) {
        snprintf(why, len, "--save-grid: out of memory");
        return -1;
    }
    int rc = mue_json_write_file(path, o);
    json_decref(o);
    if (rc)
        snprintf(why, len, "--save-grid: cannot write '%s'", path);
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

int mue_grid_load(const char *path, mue_vegas_state *s, mue_grid_meta *m, char *why, size_t len)
{
    json_error_t e;
    json_t *o = json_load_file(path, 0, &e);
    if (!o) {
        snprintf(why, len, "--load-grid: '%s': %s (line %d)", path, e.text, e.line);
        return -1;
    }
    int rc = mue_grid_parse(o, "--load-grid", path, s, m, why, len);
    json_decref(o);
    return rc;
}

int mue_grid_parse(json_t *o, const char *opt, const char *path, mue_vegas_state *s,
                   mue_grid_meta *m, char *why, size_t len)
{
    json_error_t e;
    const char *format = NULL, *process = NULL;
    int version = 0, ndim = 0, nbins = 0, enabled = 0;
    json_int_t seed = 0, iterations = 0;
    json_t *edges = NULL;
    mue_params *p = &m->par;
    *p = mue_params_default();
    int bad = json_unpack_ex(
        o, &e, 0,
        "{s:s, s:i, s:s, s:{s:F, s:F, s:F, s:F}, s:{s:b, s:F, s:F, s:F}, s:I, s:I, s:i, s:i, s:o}",
        "format", &format, "format_version", &version, "process", &process, "model", "mass_gev",
        &p->m_zp, "coupling", &p->coupling, "alpha", &p->alpha, "beam_energy_gev", &p->e_beam,
        "cuts", "enabled", &enabled, "theta_mu_min_rad", &p->cuts.theta_mu_min, "ee_min_gev",
        &p->cuts.ee_min, "ee_max_gev", &p->cuts.ee_max, "seed", &seed, "iterations", &iterations,
        "ndim", &ndim, "nbins", &nbins, "edges", &edges);
    json_t *fl = bad ? NULL : json_object_get(json_object_get(o, "model"), "nu_flavours");
    if (json_is_integer(fl))
        p->nu_flavours = (int)json_integer_value(fl);
    int rc = -1;
    if (bad)
        snprintf(why, len, "%s: '%s' is not a mue grid file: %s", opt, path, e.text);
    else if (strcmp(format, MUE_GRID_FORMAT) != 0 || version < 1 || version > MUE_GRID_FORMAT_VERSION)
        snprintf(why, len,
                 "%s: '%s' is format %s version %d; this mue reads %s versions 1 to %d", opt,
                 path, format, version, MUE_GRID_FORMAT, MUE_GRID_FORMAT_VERSION);
    else if (json_object_get(o, "egamma_min_gev") &&
             !(json_is_number(json_object_get(o, "egamma_min_gev")) &&
               (p->cuts.egamma_min = json_number_value(json_object_get(o, "egamma_min_gev"))) >= 0.0 &&
               isfinite(p->cuts.egamma_min)))
        snprintf(why, len, "--load-grid: '%s': egamma_min_gev is not a number >= 0", path);
    else if (ndim < 1 || ndim > MUE_VEGAS_MAXDIM || nbins < 2 || nbins > MUE_VEGAS_MAXBINS ||
             iterations < 0 || iterations >= (1 << 24) || !json_is_array(edges) ||
             (int)json_array_size(edges) != ndim)
        snprintf(why, len, "%s: '%s': ndim, nbins, iterations or edges out of range", opt, path);
    else {
        mue_vegas_state_init(s, ndim, nbins);
        s->iterations = (uint32_t)iterations;
        rc = 0;
        for (int d = 0; d < ndim && !rc; d++) {
            json_t *axis = json_array_get(edges, d);
            if (!json_is_array(axis) || (int)json_array_size(axis) != nbins + 1)
                rc = -1;
            for (int i = 0; i <= nbins && !rc; i++) {
                json_t *v = json_array_get(axis, i);
                double x = json_number_value(v);
                /* a map of [0, 1] onto itself: 0, increasing, 1 */
                if (!json_is_number(v) || !isfinite(x) || (i == 0 && x != 0.0) ||
                    (i == nbins && x != 1.0) || (i > 0 && !(x > s->grid.edge[d][i - 1])))
                    rc = -1;
                s->grid.edge[d][i] = x;
            }
        }
        if (rc)
            snprintf(why, len, "%s: '%s': the edges of an axis are not %d increasing numbers "
                               "from 0 to 1",
                     opt, path, nbins + 1);
        json_t *strata = json_object_get(o, "strata");
        if (!rc && strata && load_strata(strata, s)) {
            rc = -1;
            snprintf(why, len,
                     "%s: '%s': \"strata\" is not a beta in (0, 1], a box count up to %u "
                     "and that many finite numbers >= 0",
                     opt, path, MUE_VEGAS_MAXBOXES);
        }
        if (rc)
            mue_vegas_state_free(s);
        snprintf(m->process, sizeof m->process, "%s", process);
        p->cuts.enabled = enabled;
        m->seed = (uint64_t)seed;
    }
    return rc;
}
