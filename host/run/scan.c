#include "run/scan.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "physics1d/kinematic_limits.h"
#include "run/process_table.h"
#include "util/afile.h"
#include "util/version.h"

static const double contour_events[] = {1.0, 10.0, 100.0, 1e3, 1e4};
#define NCONTOUR (int)(sizeof contour_events / sizeof contour_events[0])

int mue_scan_default_masses(const mue_params *p, double m_lo, double m_mid, int n_log, int n_edge,
                            double *out)
{
    double lim = mue_zprime_mass_limit(p), end = mue_zprime_mass_endpoint(p);
    int n = 0;
    for (int i = 0; i < n_log; i++)
        out[n++] = m_lo * pow(m_mid / m_lo, (double)i / n_log);
    if (end <= m_mid) /* the cuts close the signal early: spread the rest up to the limit */
        end = lim;
    /* from m_mid towards the end point the distance to it falls geometrically; two
     * masses beyond it (where cut (i) leaves nothing) show where the signal ends */
    int n_in = end < lim * (1.0 - 1e-9) && n_edge >= 4 ? n_edge - 2 : n_edge;
    double d0 = end - m_mid, d1 = 1e-3 * end;
    for (int i = 0; i < n_in; i++)
        out[n++] = end - d0 * pow(d1 / d0, n_in > 1 ? (double)i / (n_in - 1) : 0.0);
    for (int i = n_in; i < n_edge; i++)
        out[n++] = end + (lim - end) * (i - n_in + 1) / 3.0;
    return n;
}

int mue_scan_auto_masses(const mue_params *p, double m_lo, double m_mid, int n, double *out)
{
    return mue_scan_default_masses(p, m_lo, m_mid, n - n / 3, n / 3, out);
}

typedef struct {
    char *buf;
    size_t len, n;
} line_ctx;

static void line_one(void *ctx, const mue_setting *s, const char *value)
{
    line_ctx *k = ctx;
    if (k->n < k->len)
        k->n += (size_t)snprintf(k->buf + k->n, k->len - k->n, "%s%s=%s", k->n ? " " : "", s->name,
                                 value);
}

void mue_scan_settings(const mue_run_config *c, char *buf, size_t len)
{
    line_ctx k = {buf, len, 0};
    buf[0] = 0;
    mue_settings_each(c, MUE_SF_RESULT, line_one, &k);
}

double mue_scan_coupling_for(const mue_scan_row *r, double g_ref, double lumi_fb, double n_events)
{
    if (!(r->sigma > 0.0) || !(g_ref > 0.0))
        return 0.0;
    return g_ref * sqrt(n_events / (r->sigma * lumi_fb));
}

/* The reference coupling of the scan (1 where the process has no coupling input: the
 * columns over g^2 are then sigma itself). */
static double g_ref_of(const mue_run_config *c)
{
    const mue_input_def *g = mue_process_input_of_kind(mue_process_info_of(c->process), MUE_INPUT_COUPLING);
    return g ? c->par.input[g->slot] : 1.0;
}

/* Reads the rows of an existing scan.csv made with these settings into rows. 0 (nrows =
 * 0 if there is no file), or -1 with a one-line reason: not a file, not a mue scan,
 * made with other settings, or a damaged row (a scan resumes only from rows it can
 * stand behind). */
static int load(const char *path, const char *settings, mue_scan_row *rows, int max, int *nrows,
                char *why, size_t len)
{
    *nrows = 0;
    struct stat st;
    if (stat(path, &st) != 0)
        return 0;
    if (!S_ISREG(st.st_mode))
        return snprintf(why, len, "--out: %s is not a file", path), -1;
    FILE *f = fopen(path, "r");
    if (!f)
        return snprintf(why, len, "--out: cannot read %s", path), -1;
    static const size_t linemax = 1 << 16;
    char *line = malloc(linemax);
    int have_settings = 0, same = 0, lineno = 0, rc = line ? 0 : -1;
    while (rc == 0 && fgets(line, (int)linemax, f)) {
        lineno++;
        if (strncmp(line, "# settings: ", 12) == 0) {
            line[strcspn(line, "\n")] = 0;
            have_settings = 1;
            same = strcmp(line + 12, settings) == 0;
            continue;
        }
        if (line[0] == '#' || strncmp(line, "mass_gev,", 9) == 0 || !same)
            continue;
        mue_scan_row r;
        unsigned long long pts;
        long long nbad;
        int got = sscanf(line, "%lf,%lf,%lf,%*f,%*f,%lf,%llu,%lf,%lld", &r.mass, &r.sigma, &r.err,
                         &r.chi2, &pts, &r.seconds, &nbad);
        if (got != 7 || !(r.mass > 0.0 && isfinite(r.mass)) || !(r.sigma >= 0.0 && isfinite(r.sigma)) ||
            !(r.err >= 0.0 && isfinite(r.err)) || !(r.chi2 >= 0.0 && isfinite(r.chi2)) ||
            pts == 0 || !(r.seconds >= 0.0 && isfinite(r.seconds)) || nbad < 0 || *nrows >= max)
            rc = snprintf(why, len,
                          "--out: line %d of %s is damaged (a mass, sigma, error, chi2, point count "
                          "or time that mue did not write); use --restart",
                          lineno, path),
            rc = -1;
        else {
            r.points = pts;
            r.nbad = nbad;
            rows[(*nrows)++] = r;
        }
    }
    free(line);
    fclose(f);
    if (rc)
        return rc;
    if (!have_settings)
        return snprintf(why, len, "--out: %s is not a mue scan (no settings line); use --restart or "
                                  "another --out",
                        path),
               -1;
    if (!same)
        return snprintf(why, len, "--out: %s was made with other settings; use --restart or another --out",
                        path),
               -1;
    return 0;
}

static int save(const char *path, const mue_run_config *c, const char *settings,
                const mue_scan_row *rows, int n)
{
    mue_afile a;
    if (mue_afile_open(&a, path))
        return -1;
    const double g = g_ref_of(c);
    const mue_process_info *pi = mue_process_info_of(c->process);
    const mue_input_def *gi = mue_process_input_of_kind(pi, MUE_INPUT_COUPLING);
    fprintf(a.f, "# mue %s scan of %s: N(m, %s) = sigma_over_g2_fb * %s^2 * lumi_fb (tree-level "
                 "sigma is exactly proportional to %s^2); masses in GeV, sigma in fb, g_N = the %s "
                 "giving N events (empty where sigma = 0)\n",
            mue_version(), pi->name, gi ? gi->label : "g", gi ? gi->label : "g", gi ? gi->label : "g",
            gi ? gi->option : "coupling");
    fprintf(a.f, "# settings: %s\n", settings);
    fprintf(a.f, "mass_gev,sigma_fb_gref,sigma_err_fb_gref,sigma_over_g2_fb,sigma_over_g2_err_fb,"
                 "chi2_per_dof,points,seconds,nan_weights");
    for (int k = 0; k < NCONTOUR; k++)
        fprintf(a.f, ",g_N%g", contour_events[k]);
    fputc('\n', a.f);
    for (int i = 0; i < n; i++) {
        const mue_scan_row *r = &rows[i];
        fprintf(a.f, "%.10g,%.10g,%.6g,%.10g,%.6g,%.4g,%llu,%.4g,%lld", r->mass, r->sigma, r->err,
                r->sigma / (g * g), r->err / (g * g), r->chi2, (unsigned long long)r->points,
                r->seconds, r->nbad);
        for (int k = 0; k < NCONTOUR; k++) {
            double gn = gi ? mue_scan_coupling_for(r, g, c->lumi_fb, contour_events[k]) : 0.0;
            if (gn > 0.0)
                fprintf(a.f, ",%.6g", gn);
            else
                fputc(',', a.f);
        }
        fputc('\n', a.f);
    }
    return mue_afile_commit(&a);
}

static int cmp_row(const void *a, const void *b)
{
    double x = ((const mue_scan_row *)a)->mass, y = ((const mue_scan_row *)b)->mass;
    return (x > y) - (x < y);
}

/* Each mass inside the process's range, as mue integrate would check it. */
static int check_masses(const mue_run_config *base, const double *mass, int nmass, char *why,
                        size_t len)
{
    const mue_input_def *m = mue_process_input_of_kind(mue_process_info_of(base->process), MUE_INPUT_MASS);
    if (!m)
        return snprintf(why, len, "--process: %s has no mass to scan", mue_process_name(base->process)), 1;
    if (nmass < 1 || nmass > MUE_SCAN_MAXMASS)
        return snprintf(why, len, "--masses: between 1 and %d masses", MUE_SCAN_MAXMASS), 1;
    const double lim = mue_zprime_mass_limit(&base->par);
    for (int i = 0; i < nmass; i++) {
        if (!(mass[i] >= m->lo))
            return snprintf(why, len, "--masses: %g GeV is below %g GeV, the least mue accepts", mass[i],
                            m->lo),
                   1;
        if (!(mass[i] < lim))
            return snprintf(why, len,
                            "--masses: %g GeV is not below the kinematic limit sqrt(s) - m_mu - m_e "
                            "= %.6g GeV",
                            mass[i], lim),
                   1;
        mue_run_config c = *base;
        c.par.input[m->slot] = mass[i];
        if (mue_run_validate(&c, why, len))
            return 1;
    }
    return 0;
}

/* One mass of the scan: its integration, and the scan's file rewritten with it. */
static int scan_one(const mue_run_config *base, int slot, double mass, const char *path,
                    const char *settings, mue_scan_row *done, int *ndone, mue_scan_row *row, char *why,
                    size_t len)
{
    if (mue_run_cancelled(base))
        return snprintf(why, len, "interrupted"), 1;
    mue_run_config c = *base;
    c.par.input[slot] = mass;
    mue_run_result *r = malloc(sizeof *r);
    if (!r)
        return snprintf(why, len, "out of memory"), 1;
    if (mue_run_integrate(&c, r, why, len)) {
        free(r);
        return 1;
    }
    *row = (mue_scan_row){mass, r->sigma_fb, r->sigma_err_fb, r->v.chi2_dof, r->seconds, r->v.points,
                          r->v.n_bad};
    free(r);
    if (*ndone >= MUE_SCAN_MAXMASS)
        return snprintf(why, len, "--out: %s would hold more than %d masses", path, MUE_SCAN_MAXMASS), 1;
    done[(*ndone)++] = *row;
    qsort(done, *ndone, sizeof done[0], cmp_row);
    if (mue_run_root(base) && save(path, base, settings, done, *ndone))
        return snprintf(why, len, "--out: writing %s failed: %s", path, mue_write_error()), 1;
    return 0;
}

/* What earlier runs of the scan left in its file: read by rank 0, followed by the others. */
static int scan_done(mue_comm *comm, int restart, const char *path, const char *settings,
                     mue_scan_row *done, int *ndone, char *why, size_t len)
{
    int rc = comm->rank == 0 && !restart && load(path, settings, done, MUE_SCAN_MAXMASS, ndone, why, len);
    if (mue_comm_begin(comm))
        return snprintf(why, len, "rank 0 ended the job"), 1;
    if (mue_comm_status(comm, rc, why, len))
        return 1;
    if (comm->size > 1 && (comm->bcast(comm, ndone, sizeof *ndone) ||
                           comm->bcast(comm, done, sizeof done[0] * (size_t)*ndone)))
        return snprintf(why, len, "the ranks could not exchange the masses done"), 1;
    return 0;
}

int mue_scan_run(const mue_run_config *base, const double *mass, int nmass, const char *dir,
                 int restart, mue_scan_row *rows, mue_scan_row *all, int *nall,
                 void (*progress)(int i, int n, const mue_scan_row *r, int resumed), char *why,
                 size_t len)
{
    if (check_masses(base, mass, nmass, why, len))
        return 1;
    const int slot = mue_process_input_of_kind(mue_process_info_of(base->process), MUE_INPUT_MASS)->slot;
    mue_comm *comm = mue_comm_or_single(base->comm);
    if (comm->rank == 0 && mue_dir_ready(dir))
        return snprintf(why, len, "--out: '%s' is not a writable directory", dir), 1;
    char path[4096], settings[4096];
    if (snprintf(path, sizeof path, "%s/scan.csv", dir) >= (int)sizeof path)
        return snprintf(why, len, "--out: path too long"), 1;
    mue_scan_settings(base, settings, sizeof settings);
    mue_scan_row *done = malloc(sizeof *done * MUE_SCAN_MAXMASS);
    if (!done)
        return snprintf(why, len, "out of memory"), 1;
    int ndone = 0, rc = scan_done(comm, restart, path, settings, done, &ndone, why, len);
    for (int i = 0; !rc && i < nmass; i++) {
        int found = -1;
        for (int j = 0; j < ndone; j++)
            if (fabs(done[j].mass / mass[i] - 1.0) < 1e-9)
                found = j;
        if (found >= 0)
            rows[i] = done[found];
        else if ((rc = scan_one(base, slot, mass[i], path, settings, done, &ndone, &rows[i], why, len)))
            break;
        mue_run_note(base, MUE_NOTE_PROGRESS, "  [%d/%d] m = %.5g GeV: sigma = %.5g +- %.2g fb%s", i + 1,
                     nmass, rows[i].mass, rows[i].sigma, rows[i].err,
                     found >= 0 ? " (from the existing scan)" : "");
        if (progress)
            progress(i, nmass, &rows[i], found >= 0);
    }
    if (!rc && mue_run_root(base) && save(path, base, settings, done, ndone))
        rc = 1, snprintf(why, len, "--out: writing %s failed: %s", path, mue_write_error());
    if (!rc && all) {
        memcpy(all, done, sizeof done[0] * ndone);
        *nall = ndone;
    }
    free(done);
    return rc;
}
