#include "run/checkpoint.h"

#include <jansson.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run/grid_file.h"
#include "run/process_table.h"
#include "run/settings_json.h"
#include "util/afile.h"
#include "util/hash.h"
#include "util/jsonfile.h"
#include "util/version.h"

/* n doubles as a JSON array; NULL if one is not finite (JSON has no nan or inf) */
static json_t *reals(const double *v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        if (!isfinite(v[i]) || json_array_append_new(a, json_real(v[i]))) {
            json_decref(a);
            return NULL;
        }
    return a;
}

static json_t *ints(const void *v, size_t n, int is_u64)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++) {
        long long x = is_u64 ? (long long)((const uint64_t *)v)[i] : ((const long long *)v)[i];
        if (json_array_append_new(a, json_integer(x))) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

/* test hook: MUE_TEST_KILL_AFTER_CHECKPOINT=K kills this process (SIGKILL) right after
 * the checkpoint of its K-th iteration is on disk, as a crash would */
static void kill_hook(int done)
{
    const char *k = getenv("MUE_TEST_KILL_AFTER_CHECKPOINT");
    if (k && atoi(k) == done)
        raise(SIGKILL);
}

int mue_checkpoint_save(const char *path, const mue_run_config *c, const mue_vegas_state *s,
                        const mue_vegas_progress *p, const mue_hist_spec *hs, char *why,
                        size_t len)
{
    const mue_vegas_result *r = p->r;
    const size_t K = (size_t)r->iterations;
    char hash[32];
    snprintf(hash, sizeof hash, "%016llx",
             (unsigned long long)mue_settings_identity(c, MUE_SF_RESULT, NULL));
    const int nhist = hs && p->hist ? hs->nobs * hs->nbins * 2 : 0;
    json_t *grid = mue_grid_json(s, c);
    json_t *res = json_pack(
        "{s:i, s:i, s:I, s:I, s:I, s:I, s:b, s:f, s:f, s:f, s:f, s:o*, s:o*, s:o*, s:o*, s:o*, s:o*}",
        "warmup", r->warmup, "iterations", r->iterations, "points", (json_int_t)r->points, "n_bad",
        (json_int_t)r->n_bad, "n_nonzero", (json_int_t)r->n_nonzero, "min_nonzero",
        (json_int_t)r->min_nonzero, "pooled", r->pooled, "integral", r->integral, "error",
        r->error, "chi2_dof", r->chi2_dof, "q", r->q, "iter_integral", reals(r->iter_integral, K),
        "iter_error", reals(r->iter_error, K), "iter_sum_f", reals(r->iter_sum_f, K),
        "iter_sum_f2", reals(r->iter_sum_f2, K), "iter_points", ints(r->iter_points, K, 1),
        "iter_nonzero", ints(r->iter_nonzero, K, 0));
    json_t *hist = nhist ? reals(p->hist, K * (size_t)nhist) : json_array();
    json_t *settings = mue_settings_json(c, MUE_SF_RESULT);
    json_t *o = NULL;
    if (grid && res && hist && settings && json_object_size(res) == 17 && isfinite(r->integral) &&
        isfinite(r->error) && isfinite(r->chi2_dof) && isfinite(r->q))
        o = json_pack("{s:s, s:i, s:s, s:o, s:s, s:b, s:i, s:b, s:o, s:o, s:o}", "format",
                      MUE_CHECKPOINT_FORMAT, "format_version", MUE_CHECKPOINT_VERSION, "mue_version",
                      mue_version(), "settings", settings, "identity", hash, "histograms",
                      c->want_hist, "next_iteration", p->next, "finished",
                      p->next >= c->warmup + c->iterations, "grid", grid, "result", res,
                      "hist_iter", hist);
    else {
        json_decref(grid);
        json_decref(res);
        json_decref(hist);
        json_decref(settings);
    }
    /* the hash of everything above: a checkpoint changed after mue wrote it is refused */
    char *text = o ? json_dumps(o, MUE_JSON_FLAGS) : NULL;
    char content[32];
    snprintf(content, sizeof content, "%016llx",
             (unsigned long long)(text ? mue_hash_str(MUE_HASH_INIT, text) : 0));
    free(text);
    int rc = o && text && !json_object_set_new(o, "content_hash", json_string(content))
                 ? mue_json_write_file(path, o)
                 : -1;
    json_decref(o);
    if (rc)
        snprintf(why, len, "--checkpoint: cannot write '%s': %s", path,
                 o ? mue_write_error() : "a number of the state is not finite");
    else
        kill_hook(p->next);
    return rc;
}

void mue_checkpoint_free(mue_checkpoint *k)
{
    mue_vegas_state_free(&k->st);
    free(k->r);
    free(k->hist);
    k->r = NULL;
    k->hist = NULL;
}

/* n numbers of a JSON array into v (doubles, or integers when is_int: 64-bit words) */
static int read_array(json_t *a, size_t n, void *v, int is_int)
{
    if (!json_is_array(a) || json_array_size(a) != n)
        return -1;
    for (size_t i = 0; i < n; i++) {
        json_t *x = json_array_get(a, i);
        if (is_int) {
            if (!json_is_integer(x) || json_integer_value(x) < 0)
                return -1;
            ((long long *)v)[i] = json_integer_value(x);
        } else {
            if (!json_is_number(x) || !isfinite(json_number_value(x)))
                return -1;
            ((double *)v)[i] = json_number_value(x);
        }
    }
    return 0;
}

/* Does the content hash differ from that of the rest of the document? (The document is
 * dumped as it was written: the same order, and doubles that read back to the same
 * 17 digits.) The hash is taken out of o. */
static int content_changed(json_t *o)
{
    const char *want = json_string_value(json_object_get(o, "content_hash"));
    if (!want)
        return 1;
    char keep[32], got[32];
    snprintf(keep, sizeof keep, "%s", want);
    json_object_del(o, "content_hash");
    char *text = json_dumps(o, MUE_JSON_FLAGS);
    snprintf(got, sizeof got, "%016llx", (unsigned long long)(text ? mue_hash_str(MUE_HASH_INIT, text) : 0));
    free(text);
    return !text || strcmp(keep, got) != 0;
}

/* What can be checked of a checkpoint's estimate: counts in range, each iteration's
 * estimate its sums over its points, and the combined estimate the one its iterations
 * give (it is recomputed, never read). 0, or -1. */
static int estimate_consistent(mue_vegas_result *r)
{
    long long nz = 0;
    uint64_t pts = 0;
    for (int k = 0; k < r->iterations; k++) {
        if (r->iter_points[k] == 0 || r->iter_nonzero[k] < 0 ||
            (uint64_t)r->iter_nonzero[k] > r->iter_points[k] || !(r->iter_error[k] >= 0.0) ||
            !(r->iter_sum_f2[k] >= 0.0) ||
            r->iter_integral[k] != r->iter_sum_f[k] / (double)r->iter_points[k])
            return -1;
        nz += r->iter_nonzero[k];
        pts += r->iter_points[k];
    }
    if (nz != r->n_nonzero || pts > r->points)
        return -1;
    mue_vegas_result again = *r;
    mue_vegas_combine(&again);
    if (r->iterations && (again.integral != r->integral || again.error != r->error ||
                          again.chi2_dof != r->chi2_dof || again.q != r->q ||
                          again.pooled != r->pooled || again.min_nonzero != r->min_nonzero))
        return -1;
    return 0;
}

/* The parts of a checkpoint: its header checked against the run c. */
typedef struct {
    json_t *grid, *res, *hist;
    int next;
} ck_parts;

static int check_header(json_t *o, const char *path, const mue_run_config *c, ck_parts *p, char *why,
                        size_t len)
{
    json_error_t e;
    const char *format = "";
    int version = 0, finished = 0, histograms = 0;
    json_t *settings = NULL;
    char source[512], what[1024];
    snprintf(source, sizeof source, "the checkpoint '%.400s'", path);
    if (json_unpack_ex(o, &e, 0, "{s:s, s:i}", "format", &format, "format_version", &version))
        return snprintf(why, len, "--resume: '%s' is not a mue checkpoint: %s", path, e.text), -1;
    if (strcmp(format, MUE_CHECKPOINT_FORMAT) != 0)
        return snprintf(why, len, "--resume: '%s' is not a mue checkpoint (it is %.60s version %d)", path,
                        format, version),
               -1;
    if (version != MUE_CHECKPOINT_VERSION)
        return snprintf(why, len, "--resume: '%s' is format %s version %d; this mue reads %s version %d",
                        path, format, version, MUE_CHECKPOINT_FORMAT, MUE_CHECKPOINT_VERSION),
               -1;
    if (content_changed(o))
        return snprintf(why, len,
                        "--resume: '%s' is not the checkpoint mue wrote (its content hash does not "
                        "match: edited or damaged)",
                        path),
               -1;
    if (json_unpack_ex(o, &e, 0, "{s:o, s:b, s:i, s:b, s:o, s:o, s:o}", "settings", &settings,
                       "histograms", &histograms, "next_iteration", &p->next, "finished", &finished,
                       "grid", &p->grid, "result", &p->res, "hist_iter", &p->hist))
        return snprintf(why, len, "--resume: '%s' is not a mue checkpoint: %s", path, e.text), -1;
    if (mue_settings_differ(c, MUE_SF_RESULT, settings, source, what, sizeof what))
        return snprintf(why, len,
                        "--resume: '%.400s' was written by a run with another %.600s; resume with the "
                        "same options",
                        path, what),
               -1;
    if (histograms != c->want_hist)
        return snprintf(why, len,
                        "--resume: '%s' was written by a run %s histograms; resume with the same "
                        "options (--hist)",
                        path, histograms ? "with" : "without"),
               -1;
    return 0;
}

/* The estimate so far (each production iteration's sums and histograms) into k, if it
 * fits the run: 0, or -1. */
static int read_result(const ck_parts *p, const mue_run_config *c, mue_checkpoint *k)
{
    mue_vegas_result *r = k->r;
    json_int_t pts = 0, nbad = 0, nnz = 0, minnz = 0;
    json_t *a[6];
    int bad = json_unpack(p->res,
                          "{s:i, s:i, s:I, s:I, s:I, s:I, s:b, s:F, s:F, s:F, s:F, s:o, s:o, s:o, s:o, "
                          "s:o, s:o}",
                          "warmup", &r->warmup, "iterations", &r->iterations, "points", &pts, "n_bad",
                          &nbad, "n_nonzero", &nnz, "min_nonzero", &minnz, "pooled", &r->pooled,
                          "integral", &r->integral, "error", &r->error, "chi2_dof", &r->chi2_dof, "q",
                          &r->q, "iter_integral", &a[0], "iter_error", &a[1], "iter_sum_f", &a[2],
                          "iter_sum_f2", &a[3], "iter_points", &a[4], "iter_nonzero", &a[5]);
    const int K = r->iterations, next = p->next, end = c->warmup + c->iterations;
    mue_hist_spec hs;
    char hw[256];
    const size_t nh =
        c->want_hist && !mue_run_hist_spec(c, &hs, hw, sizeof hw) ? (size_t)hs.nobs * hs.nbins * 2 : 0;
    bad = bad || K < 0 || K > c->iterations || r->warmup != c->warmup || next < 0 || next > end ||
          (next < end && !(K == 0 ? next <= c->warmup : next == c->warmup + K)) || pts < 0 || nbad < 0 ||
          nnz < 0 || minnz < 0;
    bad = bad || read_array(a[0], K, r->iter_integral, 0) || read_array(a[1], K, r->iter_error, 0) ||
          read_array(a[2], K, r->iter_sum_f, 0) || read_array(a[3], K, r->iter_sum_f2, 0) ||
          read_array(a[4], K, r->iter_points, 1) || read_array(a[5], K, r->iter_nonzero, 1);
    if (!bad && nh && K) {
        k->hist = malloc(sizeof(double) * nh * K);
        bad = !k->hist || read_array(p->hist, nh * K, k->hist, 0);
    } else if (!bad)
        bad = !json_is_array(p->hist) || json_array_size(p->hist) != 0;
    if (bad)
        return -1;
    r->points = (uint64_t)pts;
    r->n_bad = nbad;
    r->n_nonzero = nnz;
    r->min_nonzero = minnz;
    if (estimate_consistent(r))
        return -1;
    k->p.next = next;
    k->p.r = r;
    k->p.hist = k->hist;
    return 0;
}

int mue_checkpoint_load(const char *path, const mue_run_config *c, mue_checkpoint *k, char *why,
                        size_t len)
{
    memset(k, 0, sizeof *k);
    json_error_t e;
    json_t *o = json_load_file(path, 0, &e);
    if (!o)
        return snprintf(why, len, "--resume: '%s': %s (line %d)", path, e.text, e.line), -1;
    ck_parts p = {0};
    json_t *grid_settings = NULL;
    uint64_t seed;
    int rc = check_header(o, path, c, &p, why, len);
    if (!rc && mue_grid_parse(p.grid, "--resume", path, &k->st, &grid_settings, &seed, why, len))
        rc = -2; /* the state is freed by mue_grid_parse */
    json_decref(grid_settings);
    if (!rc && !(k->r = calloc(1, sizeof *k->r)))
        rc = -1, snprintf(why, len, "--resume: out of memory");
    if (!rc && read_result(&p, c, k))
        rc = -1, snprintf(why, len,
                          "--resume: '%s': the iterations, sums or histograms are damaged or do not "
                          "fit the settings",
                          path);
    json_decref(o);
    if (rc == -1 && k->r)
        mue_checkpoint_free(k);
    else if (rc == -1)
        mue_vegas_state_free(&k->st);
    return rc ? -1 : 0;
}
