#include "run/output.h"
#include "run/detector_config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "vegas/comm.h"
#include "run/process_table.h"
#include "util/version.h"

/* The directory part of path ("." when there is none) into dir. */
static int dir_of(const char *path, char *dir, size_t len)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return snprintf(dir, len, ".") >= (int)len ? -1 : 0;
    if (slash == path)
        return snprintf(dir, len, "/") >= (int)len ? -1 : 0;
    return snprintf(dir, len, "%.*s", (int)(slash - path), path) >= (int)len ? -1 : 0;
}

/* Temporaries are ".mue-tmp.HOST.PID.N" beside the target: short whatever the target's
 * name (a 255-character name has room for no suffix), and recognisable, so that those a
 * killed run left behind are removed by the next one that writes there. HOST, because
 * on a shared file system (a cluster) a PID says nothing about another machine's
 * processes. */
#define TMP_PREFIX ".mue-tmp."

static void this_host(char *h, size_t len)
{
    if (gethostname(h, len) != 0)
        snprintf(h, len, "localhost");
    h[len - 1] = '\0';
    for (char *c = h; *c; c++)
        if (*c == '/')
            *c = '_';
}

/* The PID of a temporary this machine made, from its name; 0 if it is not one. */
static long temporary_pid(const char *name, const char *host)
{
    size_t np = strlen(TMP_PREFIX), nh = strlen(host);
    if (strncmp(name, TMP_PREFIX, np) != 0 || strncmp(name + np, host, nh) != 0 ||
        name[np + nh] != '.')
        return 0;
    long pid;
    char rest;
    if (sscanf(name + np + nh + 1, "%ld.%*d%c", &pid, &rest) != 1 || pid <= 0)
        return 0;
    return pid;
}

static void remove_stale_temporaries(const char *dir, const char *host)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    for (struct dirent *e; (e = readdir(d));) {
        long pid = temporary_pid(e->d_name, host);
        if (pid <= 0 || pid == getpid())
            continue;
        if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue; /* its writer still runs (or is not ours to judge) */
        char p[8192];
        if (snprintf(p, sizeof p, "%s/%s", dir, e->d_name) < (int)sizeof p)
            unlink(p);
    }
    closedir(d);
}

int mue_afile_open(mue_afile *a, const char *path)
{
    static int seq;
    if (!mue_comm_root()) {
        /* only rank 0 of a job writes files (comm.h): the others write nowhere */
        a->tmp[0] = a->path[0] = 0;
        a->f = fopen("/dev/null", "w");
        return a->f ? 0 : -1;
    }
    char dir[4096], host[64];
    this_host(host, sizeof host);
    if (!path[0] || snprintf(a->path, sizeof a->path, "%s", path) >= (int)sizeof a->path ||
        dir_of(path, dir, sizeof dir) ||
        snprintf(a->tmp, sizeof a->tmp, "%s/" TMP_PREFIX "%s.%ld.%d", dir, host, (long)getpid(),
                 seq++) >= (int)sizeof a->tmp)
        return -1;
    remove_stale_temporaries(dir, host);
    a->f = fopen(a->tmp, "w");
    return a->f ? 0 : -1;
}

int mue_afile_close(mue_afile *a)
{
    int bad = ferror(a->f);
    bad |= fclose(a->f) != 0;
    a->f = NULL;
    if (bad && a->tmp[0])
        unlink(a->tmp);
    return bad ? -1 : 0;
}

int mue_afile_commit(mue_afile *a)
{
    if (mue_afile_close(a))
        return -1;
    if (!a->tmp[0] || rename(a->tmp, a->path) == 0)
        return 0;
    unlink(a->tmp);
    return -1;
}

void mue_afile_abort(mue_afile *a)
{
    if (a->f)
        fclose(a->f);
    a->f = NULL;
    if (a->tmp[0])
        unlink(a->tmp);
}

int mue_path_writable(const char *path)
{
    struct stat st;
    /* an existing directory (or device, fifo) cannot be replaced by the final rename */
    if (!path[0] || (stat(path, &st) == 0 && !S_ISREG(st.st_mode)))
        return 0;
    /* the temporary's name is short: the final rename is the first to meet a name
     * longer than the file system allows */
    char dir[4096];
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    long name_max = dir_of(path, dir, sizeof dir) ? -1 : pathconf(dir, _PC_NAME_MAX);
    if (!base[0] || (name_max > 0 && strlen(base) > (size_t)name_max))
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
    if (!dir[0])
        return -1;
    if (!mue_comm_root())
        return 0; /* rank 0 makes it and answers for the job */
    /* another process may create it at the same moment: EEXIST is success */
    if (stat(dir, &st) != 0 && (errno != ENOENT || (mkdir(dir, 0777) != 0 && errno != EEXIST)))
        return -1;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode) || access(dir, W_OK) != 0)
        return -1;
    return 0;
}

/* The holder of a flock on the file (dev, ino), from /proc/locks; 0 if not found. */
static long lock_holder(dev_t dev, ino_t ino)
{
    FILE *f = fopen("/proc/locks", "r");
    if (!f)
        return 0;
    char line[512];
    long who = 0;
    while (!who && fgets(line, sizeof line, f)) {
        unsigned maj, min;
        unsigned long long in;
        long pid;
        char kind[16];
        if (sscanf(line, "%*[^:]: %15s %*s %*s %ld %x:%x:%llu", kind, &pid, &maj, &min, &in) == 5 &&
            strcmp(kind, "FLOCK") == 0 && in == (unsigned long long)ino &&
            maj == (unsigned)major(dev) && min == (unsigned)minor(dev))
            who = pid;
    }
    fclose(f);
    return who;
}

int mue_dir_lock(const char *dir, char *why, size_t len)
{
    if (!mue_comm_root())
        return INT_MAX; /* rank 0 holds the lock for the job */
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return snprintf(why, len, "'%s' is not a directory", dir), -1;
    if (flock(fd, LOCK_EX | LOCK_NB) == 0)
        return fd; /* held until the process ends */
    struct stat st;
    long who = fstat(fd, &st) == 0 ? lock_holder(st.st_dev, st.st_ino) : 0;
    close(fd);
    if (who > 0)
        snprintf(why, len, "'%s' is in use by another mue (pid %ld); wait for it or use another "
                           "directory",
                 dir, who);
    else
        snprintf(why, len, "'%s' is in use by another mue; wait for it or use another directory", dir);
    return -1;
}

int mue_same_file(const char *a, const char *b)
{
    char da[4096], db[4096], ra[4096], rb[4096];
    if (dir_of(a, da, sizeof da) || dir_of(b, db, sizeof db) || !realpath(da, ra) || !realpath(db, rb))
        return strcmp(a, b) == 0;
    const char *ba = strrchr(a, '/'), *bb = strrchr(b, '/');
    ba = ba ? ba + 1 : a;
    bb = bb ? bb + 1 : b;
    return strcmp(ra, rb) == 0 && strcmp(ba, bb) == 0;
}

/* A JSON string: quotes, backslashes and control characters escaped. */
static void json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\')
            fprintf(f, "\\%c", ch);
        else if (ch < 0x20)
            fprintf(f, "\\u%04x", ch);
        else
            fputc(ch, f);
    }
    fputc('"', f);
}

void mue_json_num(FILE *f, double v)
{
    if (isfinite(v))
        fprintf(f, "%.10g", v);
    else
        fputs("null", f);
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
    if (pi->uses & MUE_USES_FLAVOURS) {
        char fl[32];
        fprintf(f, "  \"nu_flavours\": \"%s\",\n", mue_nu_flavours_str(p->nu_flavours, fl, sizeof fl));
    }
    jnum(f, "alpha", p->alpha, ",");
    jnum(f, "beam_energy_gev", p->e_beam, ",");
    jnum(f, "lumi_fb", c->lumi_fb, ",");
    fprintf(f, "  \"cuts\": {\"enabled\": %s, \"theta_mu_min_rad\": %.10g, \"ee_min_gev\": %.10g, "
               "\"ee_max_gev\": %.10g, \"egamma_min_gev\": %.10g},\n",
            p->cuts.enabled ? "true" : "false", p->cuts.theta_mu_min, p->cuts.ee_min, p->cuts.ee_max,
            p->cuts.egamma_min);
    if (p->det.enabled) { /* the cuts above then select measured quantities */
        char d[512];
        fprintf(f, "  \"detector\": ");
        json_string(f, mue_detector_describe(&p->det, d, sizeof d));
        fprintf(f, ",\n");
    }
    jnum(f, "sigma_fb", r->sigma_fb, ",");
    jnum(f, "sigma_err_fb", r->sigma_err_fb, ",");
    jnum(f, "events", r->events, ",");
    jnum(f, "events_err", r->events_err, ",");
    jnum(f, "chi2_per_dof", r->v.chi2_dof, ",");
    jnum(f, "q", r->v.q, ",");
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
    fprintf(f, "  \"pooled\": %s,\n  \"min_nonzero_points\": %lld,\n  \"warnings\": [",
            r->v.pooled ? "true" : "false", r->v.min_nonzero);
    for (int k = 0; k < r->nwarnings; k++) {
        fputs(k ? ", " : "", f);
        json_string(f, r->warnings[k]);
    }
    fprintf(f, "],\n");
    fprintf(f, "  \"iteration_results_fb\": [");
    for (int k = 0; k < r->v.iterations; k++)
        fprintf(f, "%s[%.10g, %.4g]", k ? ", " : "", r->v.iter_integral[k], r->v.iter_error[k]);
    fprintf(f, "],\n  \"iteration_points\": [");
    for (int k = 0; k < r->v.iterations; k++)
        fprintf(f, "%s%llu", k ? ", " : "", (unsigned long long)r->v.iter_points[k]);
    fprintf(f, "],\n  \"beta\": ");
    mue_json_num(f, c->no_strata ? 0.0 : c->beta);
    fprintf(f, ",\n  \"version\": \"%s\"\n}\n", MUE_VERSION);
    return mue_afile_commit(&a);
}

int mue_write_hist_csv(const char *dir, const mue_run_config *c, const mue_run_result *r)
{
    if (!mue_comm_root())
        return 0; /* rank 0 writes them */
    /* the histograms of a run are a set: all are written to temporaries first, and
     * only when every one is complete do they replace the old set */
    const mue_hist_spec *h = &r->hist;
    const mue_process_info *pi = mue_process_info_of(c->process);
    const int zp = pi->uses & MUE_USES_MASS, zg = pi->uses & MUE_USES_COUPLING;
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
                "# mue %s: %s in %s (bin edges lo_%s, hi_%s), %d bins; process=%s mass_gev=%.6g "
                "coupling=%.6g lumi_fb=%.6g; sigma in fb per bin, events per bin for the "
                "luminosity; weighted over %d production iterations\n",
                MUE_VERSION, od->name, u, u, u, h->nbins, pi->name, zp ? c->par.m_zp : 0.0,
                zg ? c->par.coupling : 0.0, c->lumi_fb, r->v.iterations);
        fprintf(a[k].f, "lo_%s,hi_%s,sigma_fb,sigma_err_fb,events,events_err\n", u, u);
        double w = (h->hi[k] - h->lo[k]) / h->nbins;
        for (int b = 0; b < h->nbins; b++)
            fprintf(a[k].f, "%.8g,%.8g,%.8g,%.4g,%.8g,%.4g\n", h->lo[k] + b * w,
                    h->lo[k] + (b + 1) * w, r->v.hist[k][b], r->v.hist_err[k][b],
                    r->v.hist[k][b] * c->lumi_fb, r->v.hist_err[k][b] * c->lumi_fb);
    }
    for (int k = 0; k < opened; k++)
        if (bad)
            mue_afile_abort(&a[k]);
        else if (mue_afile_close(&a[k]))
            bad = 1;
    if (bad) {
        for (int k = 0; k < opened; k++)
            unlink(a[k].tmp);
        return -1;
    }
    for (int k = 0; k < opened; k++)
        if (rename(a[k].tmp, a[k].path) != 0) {
            bad = 1;
            unlink(a[k].tmp);
        }
    return bad ? -1 : 0;
}
