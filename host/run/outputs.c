/* The files a run names, checked before any compute is spent: every output writable,
 * every output directory ready and locked for the run, and no two of them, nor an
 * output and an input, naming the same file (a --checkpoint may be the --resume: a
 * run goes on from its own checkpoint). Only the rank that writes checks. */
#include "run/outputs.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "run/integrate.h"
#include "run/process_table.h"
#include "util/afile.h"

typedef struct {
    const char *name, *path;
    unsigned flags;
} named_file;

static int collect(const mue_run_config *c, named_file *f, int max)
{
    mue_setting rows[MUE_SETTINGS_MAX];
    int n = mue_settings_rows(c->process, rows, MUE_SETTINGS_MAX), k = 0;
    for (int i = 0; i < n && k < max; i++) {
        const mue_setting *s = &rows[i];
        if (s->type != MUE_ST_PATH || !mue_setting_applies(s, c) ||
            !(s->flags & (MUE_SF_OUT | MUE_SF_DIR | MUE_SF_IN)))
            continue;
        const char *p = *(const char *const *)mue_setting_field(s, c);
        if (p)
            f[k++] = (named_file){s->name, p, s->flags};
    }
    return k;
}

/* The --hist directory's files, as outputs of their own. */
static int hist_files(const mue_run_config *c, named_file *f, int k, int max, char csv[][4096])
{
    const mue_process_info *pi = mue_process_info_of(c->process);
    for (int q = 0; c->hist_dir && q < pi->nobs && k < max; q++) {
        snprintf(csv[q], 4096, "%s/%s.csv", c->hist_dir, pi->obs[q].name);
        f[k++] = (named_file){"hist", csv[q], MUE_SF_OUT};
    }
    return k;
}

static int distinct(const named_file *f, int n, char *why, size_t len)
{
    for (int a = 0; a < n; a++)
        for (int b = a + 1; b < n; b++) {
            if (!((f[a].flags | f[b].flags) & (MUE_SF_OUT | MUE_SF_DIR)))
                continue; /* two inputs may be one file */
            const int resume_own = (strcmp(f[a].name, "checkpoint") == 0 && strcmp(f[b].name, "resume") == 0) ||
                                   (strcmp(f[b].name, "checkpoint") == 0 && strcmp(f[a].name, "resume") == 0);
            if (resume_own || !mue_same_file(f[a].path, f[b].path))
                continue;
            if (strcmp(f[a].name, f[b].name) == 0)
                return snprintf(why, len, "--%s: '%s' is one of the --%s files", f[a].name, f[a].path,
                                f[b].name),
                       1;
            return snprintf(why, len, "--%s and --%s: both name '%s'", f[a].name, f[b].name, f[a].path), 1;
        }
    return 0;
}

void mue_outputs_release(mue_outputs *o)
{
    for (int k = 0; k < o->nlocks; k++)
        close(o->lock[k]);
    o->nlocks = 0;
}

int mue_outputs_prepare(const mue_run_config *c, mue_outputs *o, char *why, size_t len)
{
    o->nlocks = 0;
    if (!mue_run_root(c))
        return 0; /* rank 0 writes, and answers for the job */
    named_file f[32];
    char csv[MUE_MAX_OBS][4096];
    int n = collect(c, f, 24);
    int all = hist_files(c, f, n, 32, csv);
    /* the hist CSVs against the other files, not against their own directory */
    if (distinct(f, n, why, len))
        return 1;
    for (int h = n; h < all; h++)
        for (int a = 0; a < n; a++)
            if ((f[a].flags & (MUE_SF_OUT | MUE_SF_IN)) && mue_same_file(f[a].path, f[h].path))
                return snprintf(why, len, "--%s: '%s' is one of the --hist files", f[a].name, f[a].path), 1;
    for (int k = 0; k < n; k++) {
        char bad[4400];
        if ((f[k].flags & MUE_SF_OUT) && mue_path_check(f[k].path, bad, sizeof bad))
            return snprintf(why, len, "--%s: %s", f[k].name, bad), 1;
        if (f[k].flags & MUE_SF_DIR) {
            if (mue_dir_ready(f[k].path))
                return snprintf(why, len, "--%s: '%s' is not a writable directory", f[k].name, f[k].path), 1;
            /* one run writes a directory at a time: locked until the run ends */
            char w[512];
            int fd = o->nlocks < MUE_OUTPUTS_MAXLOCK ? mue_dir_lock(f[k].path, w, sizeof w) : -1;
            if (fd < 0) {
                mue_outputs_release(o);
                return snprintf(why, len, "--%s: %s", f[k].name, w), 1;
            }
            o->lock[o->nlocks++] = fd;
        }
    }
    return 0;
}
