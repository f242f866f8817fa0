/* libmue's public face (include/mue.h): a run is a command and its option/value pairs,
 * resolved by the run description (run/settings.h) when it is checked or executed; a
 * result is the command's text and JSON document, its numbers read from the document
 * with every bit. */
#include "mue.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/backend.h"
#include "run/commands.h"
#include "run/settings.h"
#include "util/jsonfile.h"
#include "util/version.h"

struct mue_run {
    int cmd;
    int n, cap;
    mue_option *opt; /* names and values owned (strdup) */
    char err[1024];
    mue_message_fn fn;
    void *ctx;
    volatile int cancel;
    mue_comm *comm;
    char *help;
};

typedef struct {
    const char *name, *unit;
    int nbins;
    double *edges, *sigma, *error;
} hist_arrays;

struct mue_result {
    mue_report rep;
    char *json;
    int nhist;
    hist_arrays hist[MUE_MAX_OBS];
};

static const char *const command_list[] = {"integrate", "scan", "generate", "backgrounds", "g2",
                                           "kinematics", "sensitivity", NULL};

const char *const *mue_commands(void) { return command_list; }

const char *mue_build_info(void)
{
    static __thread char info[256]; /* each thread its own: nothing shared */
    char be[64] = "";
    for (const mue_backend *const *b = mue_backends; *b; b++)
        if ((*b)->built)
            snprintf(be + strlen(be), sizeof be - strlen(be), "%s%s", be[0] ? " " : "", (*b)->name);
    snprintf(info, sizeof info, "mue %s (commit %s; backends: %s)", mue_version(), mue_version_commit(), be);
    return info;
}

static int fail(mue_run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(mue_run *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->err, sizeof r->err, fmt, ap);
    va_end(ap);
    return -1;
}

mue_run *mue_run_new(const char *command)
{
    int cmd = command ? mue_command_find(command) : 0;
    if (!cmd)
        return NULL;
    mue_run *r = calloc(1, sizeof *r);
    if (r)
        r->cmd = cmd;
    return r;
}

void mue_run_free(mue_run *r)
{
    if (!r)
        return;
    for (int k = 0; k < r->n; k++) {
        free((char *)r->opt[k].name);
        free((char *)r->opt[k].value);
    }
    free(r->opt);
    free(r->help);
    free(r);
}

const char *mue_run_error(const mue_run *r) { return r ? r->err : "no run"; }

int mue_run_set(mue_run *r, const char *option, const char *value)
{
    if (!r || !option)
        return -1;
    const char *name = option[0] == '-' && option[1] == '-' ? option + 2 : option;
    const char *cmd = mue_command_name(r->cmd);
    if (!mue_settings_known(r->cmd, name))
        return fail(r, "--%s: mue %s has no such option (see mue %s --help)", name, cmd, cmd);
    if (r->n == r->cap) {
        int cap = r->cap ? 2 * r->cap : 16;
        mue_option *o = realloc(r->opt, sizeof *o * (size_t)cap);
        if (!o)
            return fail(r, "out of memory");
        r->opt = o;
        r->cap = cap;
    }
    char *n = strdup(name), *v = value && value[0] ? strdup(value) : NULL;
    if (!n || (value && value[0] && !v)) {
        free(n);
        free(v);
        return fail(r, "out of memory");
    }
    /* a flag's value: none; an option's: the text, even an empty one (refused later,
     * by its row, as "an empty name" or "not a number") */
    if (!v && value && !value[0]) {
        mue_setting buf;
        const mue_setting *s = mue_settings_find(r->cmd, MUE_PROC_ZPRIME, name, &buf);
        if (!s || s->meta)
            v = strdup("");
    }
    r->opt[r->n].name = n;
    r->opt[r->n++].value = v;
    r->err[0] = 0;
    return 0;
}

void mue_run_on_message(mue_run *r, mue_message_fn fn, void *ctx)
{
    r->fn = fn;
    r->ctx = ctx;
}

void mue_run_cancel(mue_run *r)
{
    if (r)
        r->cancel = 1;
}

int mue_option_takes_value(const char *command, const char *option)
{
    int cmd = command ? mue_command_find(command) : 0;
    if (!cmd || !option || !mue_settings_known(cmd, option))
        return -1;
    mue_setting buf, all[MUE_SETTINGS_MAX];
    const mue_setting *s = mue_settings_find(cmd, MUE_PROC_ZPRIME, option, &buf);
    if (!s) { /* another process's input: find its row */
        int n = mue_settings_all_rows(all, MUE_SETTINGS_MAX);
        for (int k = 0; k < n && !s; k++)
            if ((all[k].cmds & cmd) && strcmp(all[k].name, option) == 0)
                s = &all[k];
    }
    return s && s->meta ? 1 : 0;
}

int mue_run_use_comm(mue_run *r, struct mue_comm *comm)
{
    r->comm = comm;
    return 0;
}

const char *mue_run_help(const mue_run *r)
{
    mue_run *w = (mue_run *)r;
    if (!w->help)
        w->help = mue_settings_help(r->cmd);
    return w->help ? w->help : "";
}

/* "mue generate --process zprime ...": the run as a command line (event headers). */
static char *command_line(const mue_run *r)
{
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    if (!f)
        return NULL;
    fprintf(f, "mue %s", mue_command_name(r->cmd));
    for (int k = 0; k < r->n; k++)
        fprintf(f, r->opt[k].value ? " --%s %s" : " --%s", r->opt[k].name, r->opt[k].value);
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

/* The run resolved into *c (heap: a run description is large). */
static mue_run_config *resolve(mue_run *r)
{
    mue_run_config *c = malloc(sizeof *c);
    if (!c) {
        fail(r, "out of memory");
        return NULL;
    }
    char why[1024];
    if (mue_settings_resolve(r->cmd, r->opt, r->n, c, why, sizeof why) ||
        ((r->cmd & MUE_CMD_RUNS) && mue_run_validate(c, why, sizeof why))) {
        fail(r, "%s", why);
        free(c);
        return NULL;
    }
    c->note = (mue_note_fn)r->fn;
    c->note_ctx = r->ctx;
    c->cancel = &r->cancel;
    c->comm = r->comm;
    return c;
}

int mue_run_check(mue_run *r)
{
    mue_run_config *c = resolve(r);
    free(c);
    return c ? 0 : -1;
}

static void result_hist(mue_result *res)
{
    json_t *a = json_object_get(res->rep.doc, "histograms");
    for (size_t k = 0; k < json_array_size(a) && res->nhist < MUE_MAX_OBS; k++) {
        json_t *h = json_array_get(a, k);
        hist_arrays *x = &res->hist[res->nhist];
        json_t *e = json_object_get(h, "edges"), *s = json_object_get(h, "sigma_fb"),
               *er = json_object_get(h, "sigma_err_fb");
        const size_t nb = json_array_size(s);
        x->name = json_string_value(json_object_get(h, "name"));
        x->unit = json_string_value(json_object_get(h, "unit"));
        x->nbins = (int)nb;
        x->edges = malloc(sizeof(double) * (nb + 1));
        x->sigma = malloc(sizeof(double) * (nb ? nb : 1));
        x->error = malloc(sizeof(double) * (nb ? nb : 1));
        if (!x->edges || !x->sigma || !x->error || json_array_size(e) != nb + 1 ||
            json_array_size(er) != nb) {
            free(x->edges);
            free(x->sigma);
            free(x->error);
            return;
        }
        for (size_t b = 0; b <= nb; b++)
            x->edges[b] = json_number_value(json_array_get(e, b));
        for (size_t b = 0; b < nb; b++) {
            x->sigma[b] = json_number_value(json_array_get(s, b));
            x->error[b] = json_number_value(json_array_get(er, b));
        }
        res->nhist++;
    }
}

int mue_run_execute(mue_run *r, mue_result **out)
{
    if (out)
        *out = NULL;
    if (!r || !out)
        return -1;
    mue_run_config *c = resolve(r);
    if (!c)
        return -1;
    char *cl = command_line(r);
    c->command_line = cl;
    r->cancel = 0;
    mue_result *res = calloc(1, sizeof *res);
    char why[1024];
    int rc = !res ? (snprintf(why, sizeof why, "out of memory"), 1)
                  : mue_command_run(c, &res->rep, why, sizeof why);
    if (!rc && !(res->json = mue_json_text(res->rep.doc)))
        rc = 1, snprintf(why, sizeof why, "out of memory");
    free(cl);
    free(c);
    if (rc) {
        fail(r, "%s", why);
        mue_result_free(res);
        return -1;
    }
    result_hist(res);
    r->err[0] = 0;
    *out = res;
    return 0;
}

void mue_result_free(mue_result *res)
{
    if (!res)
        return;
    for (int k = 0; k < res->nhist; k++) {
        free(res->hist[k].edges);
        free(res->hist[k].sigma);
        free(res->hist[k].error);
    }
    mue_report_free(&res->rep);
    free(res->json);
    free(res);
}

const char *mue_result_text(const mue_result *res) { return res && res->rep.text ? res->rep.text : ""; }
const char *mue_result_json(const mue_result *res) { return res && res->json ? res->json : "{}\n"; }

/* o's value at key, "a.b" reaching into objects */
static json_t *lookup(json_t *o, const char *key)
{
    char part[128];
    while (o && *key) {
        size_t n = strcspn(key, ".");
        if (n >= sizeof part)
            return NULL;
        memcpy(part, key, n);
        part[n] = 0;
        o = json_object_get(o, part);
        key += n + (key[n] == '.');
    }
    return o;
}

double mue_result_number(const mue_result *res, const char *key)
{
    json_t *v = res && key ? lookup(res->rep.doc, key) : NULL;
    return json_is_number(v) ? json_number_value(v) : NAN;
}

int mue_result_nwarnings(const mue_result *res)
{
    return res ? (int)json_array_size(json_object_get(res->rep.doc, "warnings")) : 0;
}

const char *mue_result_warning(const mue_result *res, int k)
{
    json_t *w = res && k >= 0 ? json_array_get(json_object_get(res->rep.doc, "warnings"), (size_t)k) : NULL;
    return json_string_value(w);
}

int mue_result_nhist(const mue_result *res) { return res ? res->nhist : 0; }

int mue_result_hist(const mue_result *res, int k, const char **name, const char **unit, int *nbins,
                    const double **edges, const double **sigma_fb, const double **error_fb)
{
    if (!res || k < 0 || k >= res->nhist)
        return -1;
    const hist_arrays *x = &res->hist[k];
    if (name)
        *name = x->name;
    if (unit)
        *unit = x->unit;
    if (nbins)
        *nbins = x->nbins;
    if (edges)
        *edges = x->edges;
    if (sigma_fb)
        *sigma_fb = x->sigma;
    if (error_fb)
        *error_fb = x->error;
    return 0;
}

int mue_result_nrows(const mue_result *res, const char *table)
{
    json_t *a = res && table ? lookup(res->rep.doc, table) : NULL;
    return json_is_array(a) ? (int)json_array_size(a) : 0;
}

double mue_result_row_number(const mue_result *res, const char *table, int i, const char *key)
{
    json_t *a = res && table ? lookup(res->rep.doc, table) : NULL;
    json_t *v = i >= 0 ? lookup(json_array_get(a, (size_t)i), key) : NULL;
    return json_is_number(v) ? json_number_value(v) : NAN;
}
