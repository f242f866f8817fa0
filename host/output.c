#include "output.h"

#include <errno.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "version.h"

const char *const mue_obs_names[MUE_NOBS] = {"E_e", "theta_e", "theta_mu", "E_mu"};
const char *const mue_obs_units[MUE_NOBS] = {"GeV", "rad", "rad", "GeV"};

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
    fprintf(f, "{\n  \"process\": \"%s\",\n", mue_process_name(c->process));
    jnum(f, "mass_gev", c->process == MUE_PROC_ZPRIME ? p->m_zp : 0.0, ",");
    jnum(f, "coupling", c->process == MUE_PROC_ZPRIME ? p->coupling : 0.0, ",");
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
    jnum(f, "seconds", r->seconds, ",");
    fprintf(f, "  \"device\": \"%s\",\n  \"threads\": %d,\n  \"seed\": %llu,\n", r->device,
            r->threads, (unsigned long long)c->seed);
    if (strcmp(r->device, "gpu") == 0) {
        fprintf(f, "  \"gpu_name\": \"%s\",\n", r->device_name);
        jnum(f, "gpu_setup_seconds", r->gpu_setup_seconds, ",");
        jnum(f, "gpu_kernel_seconds", r->gpu_kernel_seconds, ",");
        jnum(f, "gpu_host_seconds", r->gpu_host_seconds, ",");
        int its = r->v.iterations + r->v.warmup;
        jnum(f, "gpu_kernel_seconds_per_iteration", its ? r->gpu_kernel_seconds / its : 0.0, ",");
        jnum(f, "gpu_host_seconds_per_iteration", its ? r->gpu_host_seconds / its : 0.0, ",");
    }
    fprintf(f, "  \"iteration_results_fb\": [");
    for (int k = 0; k < r->v.iterations; k++)
        fprintf(f, "%s[%.10g, %.4g]", k ? ", " : "", r->v.iter_integral[k], r->v.iter_error[k]);
    fprintf(f, "],\n  \"version\": \"%s\"\n}\n", MUE_VERSION);
    return mue_afile_commit(&a);
}

int mue_write_hist_csv(const char *dir, const mue_run_config *c, const mue_run_result *r)
{
    const mue_hist_spec *h = &c->hist;
    for (int k = 0; k < MUE_NOBS; k++) {
        char path[4096];
        if (snprintf(path, sizeof path, "%s/%s.csv", dir, mue_obs_names[k]) >= (int)sizeof path)
            return -1;
        mue_afile a;
        if (mue_afile_open(&a, path))
            return -1;
        const char *u = mue_obs_units[k];
        int zp = c->process == MUE_PROC_ZPRIME;
        fprintf(a.f,
                "# mue %s: %s in %s (bin edges lo_%s, hi_%s), %d bins; process=%s mass_gev=%.6g "
                "coupling=%.6g lumi_fb=%.6g; sigma in fb per bin, events per bin for the "
                "luminosity; weighted over %d production iterations\n",
                MUE_VERSION, mue_obs_names[k], u, u, u, h->nbins, mue_process_name(c->process),
                zp ? c->par.m_zp : 0.0, zp ? c->par.coupling : 0.0, c->lumi_fb, r->v.iterations);
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
