#include "output.h"

#include <errno.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "process_table.h"
#include "version.h"

int mue_afile_open(mue_afile *a, const char *path)
{
    if (snprintf(a->path, sizeof a->path, "%s", path) >= (int)sizeof a->path ||
        snprintf(a->tmp, sizeof a->tmp, "%s.tmp.%ld", path, (long)getpid()) >= (int)sizeof a->tmp)
        return -1;
    a->f = fopen(a->tmp, "w");
    return a->f ? 0 : -1;
}

int mue_afile_commit(mue_afile *a)
{
    int bad = ferror(a->f);
    bad |= fclose(a->f) != 0;
    if (!bad && rename(a->tmp, a->path) == 0)
        return 0;
    unlink(a->tmp);
    return -1;
}

void mue_afile_abort(mue_afile *a)
{
    fclose(a->f);
    unlink(a->tmp);
}

int mue_path_writable(const char *path)
{
    struct stat st;
    /* an existing directory (or device, fifo) cannot be replaced by the final rename */
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
        return 0;
    mue_afile a;
    if (mue_afile_open(&a, path))
        return 0;
    mue_afile_abort(&a);
    return 1;
}

int mue_dir_ready(const char *dir)
{
    struct stat st;
    if (stat(dir, &st) != 0 && (errno != ENOENT || mkdir(dir, 0777) != 0))
        return -1;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode) || access(dir, W_OK) != 0)
        return -1;
    return 0;
}

/* JSON numbers must be finite; a non-finite value is written as null. */
static void jnum(FILE *f, const char *key, double v, const char *sep)
{
    if (isfinite(v))
        fprintf(f, "  \"%s\": %.10g%s\n", key, v, sep);
    else
        fprintf(f, "  \"%s\": null%s\n", key, sep);
}

int mue_write_json(const char *path, const mue_run_config *c, const mue_run_result *r)
{
    mue_afile a;
    if (mue_afile_open(&a, path))
        return -1;
    FILE *f = a.f;
    const mue_params *p = &c->par;
    const mue_process_info *pi = mue_process_info_of(c->process);
    fprintf(f, "{\n  \"process\": \"%s\",\n", pi->name);
    jnum(f, "mass_gev", pi->uses & MUE_USES_MASS ? p->m_zp : 0.0, ",");
    jnum(f, "coupling", pi->uses & MUE_USES_COUPLING ? p->coupling : 0.0, ",");
    jnum(f, "alpha", p->alpha, ",");
    jnum(f, "beam_energy_gev", p->e_beam, ",");
    jnum(f, "lumi_fb", c->lumi_fb, ",");
    fprintf(f, "  \"cuts\": {\"enabled\": %s, \"theta_mu_min_rad\": %.10g, \"ee_min_gev\": %.10g, "
               "\"ee_max_gev\": %.10g},\n",
            p->cuts.enabled ? "true" : "false", p->cuts.theta_mu_min, p->cuts.ee_min, p->cuts.ee_max);
    jnum(f, "sigma_fb", r->sigma_fb, ",");
    jnum(f, "sigma_err_fb", r->sigma_err_fb, ",");
    jnum(f, "events", r->events, ",");
    jnum(f, "events_err", r->events_err, ",");
    jnum(f, "chi2_per_dof", r->v.chi2_dof, ",");
    fprintf(f, "  \"iterations\": %d,\n  \"warmup\": %d,\n", r->v.iterations, r->v.warmup);
    fprintf(f, "  \"points\": %llu,\n  \"points_per_iteration\": %llu,\n",
            (unsigned long long)r->v.points, (unsigned long long)c->points);
    fprintf(f, "  \"nan_weights\": %lld,\n", r->v.n_bad);
    fprintf(f, "  \"device\": \"%s\",\n  \"device_name\": \"%s\",\n  \"threads\": %d,\n"
               "  \"seed\": %llu,\n",
            r->device, r->device_name, r->threads, (unsigned long long)c->seed);
    jnum(f, "seconds", r->seconds, ",");
    jnum(f, "setup_seconds", r->setup_seconds, ",");
    jnum(f, "eval_seconds", r->eval_seconds, ",");
    jnum(f, "host_seconds", r->host_seconds, ",");
    fprintf(f, "  \"grid_iterations\": %u,\n", r->grid_iterations);
    fprintf(f, "  \"iteration_results_fb\": [");
    for (int k = 0; k < r->v.iterations; k++)
        fprintf(f, "%s[%.10g, %.4g]", k ? ", " : "", r->v.iter_integral[k], r->v.iter_error[k]);
    fprintf(f, "],\n  \"version\": \"%s\"\n}\n", MUE_VERSION);
    return mue_afile_commit(&a);
}

int mue_write_hist_csv(const char *dir, const mue_run_config *c, const mue_run_result *r)
{
    const mue_hist_spec *h = &r->hist;
    const mue_process_info *pi = mue_process_info_of(c->process);
    const int zp = pi->uses & MUE_USES_MASS, zg = pi->uses & MUE_USES_COUPLING;
    for (int k = 0; k < h->nobs; k++) {
        const mue_obs_def *od = &pi->obs[k];
        char path[4096];
        if (snprintf(path, sizeof path, "%s/%s.csv", dir, od->name) >= (int)sizeof path)
            return -1;
        mue_afile a;
        if (mue_afile_open(&a, path))
            return -1;
        const char *u = od->unit;
        fprintf(a.f,
                "# mue %s: %s in %s (bin edges lo_%s, hi_%s), %d bins; process=%s mass_gev=%.6g "
                "coupling=%.6g lumi_fb=%.6g; sigma in fb per bin, events per bin for the "
                "luminosity; weighted over %d production iterations\n",
                MUE_VERSION, od->name, u, u, u, h->nbins, pi->name, zp ? c->par.m_zp : 0.0,
                zg ? c->par.coupling : 0.0, c->lumi_fb, r->v.iterations);
        fprintf(a.f, "lo_%s,hi_%s,sigma_fb,sigma_err_fb,events,events_err\n", u, u);
        double w = (h->hi[k] - h->lo[k]) / h->nbins;
        for (int b = 0; b < h->nbins; b++)
            fprintf(a.f, "%.8g,%.8g,%.8g,%.4g,%.8g,%.4g\n", h->lo[k] + b * w, h->lo[k] + (b + 1) * w,
                    r->v.hist[k][b], r->v.hist_err[k][b], r->v.hist[k][b] * c->lumi_fb,
                    r->v.hist_err[k][b] * c->lumi_fb);
        if (mue_afile_commit(&a))
            return -1;
    }
    return 0;
}
