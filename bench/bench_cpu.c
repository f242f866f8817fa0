/* CPU benchmark: integrand evaluations per second (one core, all cores), wall time to
 * 0.1 % on the 100 MeV benchmark sigma, and gsl_monte_vegas on the same integrand at
 * equal point budgets and to the same error, and the wall time of the default
 * (m_Z', g) scan of `mue scan` (per mass and in total). Writes
 * bench/results/cpu-<host>.json.
 * Usage: bench_cpu [RESULTS_DIR] */
#include <gsl/gsl_monte_vegas.h>
#include <gsl/gsl_rng.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "backends/cpu_backend.h"
#include "machine.h"
#include "run/integrate.h"
#include "util/afile.h"
#include "run/scan.h"
#include "util/version.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

/* Points per second of one process through a flat grid, histograms on (as in
 * production iterations). */
static double eval_rate(const mue_setup *S, int threads, uint64_t n)
{
    mue_run_config d = mue_run_config_default();
    d.process = S->id;
    mue_hist_spec hs;
    char why[256];
    mue_run_hist_spec(&d, &hs, why, sizeof why);
    mue_cpu_ctx cpu = {mue_cpu_physics_point, S, 1, threads};
    mue_vegas_grid g;
    mue_vegas_grid_init(&g, S->ndim, 64);
    mue_acc *a = calloc(1, sizeof *a);
    mue_cpu_iteration(&cpu, &g, 0, n / 10, &hs, a); /* warm caches and threads */
    memset(a, 0, sizeof *a);
    double t0 = now();
    mue_cpu_iteration(&cpu, &g, 1, n, &hs, a);
    double dt = now() - t0;
    free(a);
    return n / dt;
}

static double gsl_f(double *x, size_t dim, void *p)
{
    (void)dim;
    return mue_integrand((const mue_setup *)p, x, NULL);
}

typedef struct {
    double sigma, err, chi2, seconds;
    uint64_t calls;
} gsl_run;

/* gsl_monte_vegas as its manual runs it: a warm-up call, then calls of `per` points
 * with stage 1 until the budget is spent or the relative error target is met. */
static gsl_run gsl_vegas(const mue_setup *S, uint64_t warm, uint64_t per, uint64_t budget,
                         double rel)
{
    gsl_run r = {0, 0, 0, 0, 0};
    double xl[4] = {0, 0, 0, 0}, xu[4] = {1, 1, 1, 1};
    gsl_monte_function F = {gsl_f, (size_t)S->ndim, (void *)S};
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_default);
    gsl_monte_vegas_state *st = gsl_monte_vegas_alloc(S->ndim);
    double t0 = now();
    gsl_monte_vegas_integrate(&F, xl, xu, S->ndim, warm, rng, st, &r.sigma, &r.err);
    r.calls = warm;
    gsl_monte_vegas_params par;
    gsl_monte_vegas_params_get(st, &par);
    par.stage = 1;
    par.iterations = 1;
    gsl_monte_vegas_params_set(st, &par);
    while (r.calls < budget) {
        gsl_monte_vegas_integrate(&F, xl, xu, S->ndim, per, rng, st, &r.sigma, &r.err);
        r.calls += per;
        if (rel > 0.0 && r.err <= rel * r.sigma)
            break;
        /* after the first production call keep grid and results (stage 2): GSL's
         * cumulative weighted average, as ours */
        gsl_monte_vegas_params_get(st, &par);
        par.stage = 2;
        gsl_monte_vegas_params_set(st, &par);
    }
    r.seconds = now() - t0;
    r.chi2 = gsl_monte_vegas_chisq(st);
    gsl_monte_vegas_free(st);
    gsl_rng_free(rng);
    return r;
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "bench/results";
    char host[256], cpu[600], path[4096];
    bench_machine(host, sizeof host, cpu, sizeof cpu);
    if (mue_dir_ready(dir)) {
        fprintf(stderr, "bench_cpu: '%s' is not a writable directory\n", dir);
        return 2;
    }
    snprintf(path, sizeof path, "%s/cpu-%s.json", dir, host);
    int cores = mue_cpu_max_threads();

    mue_run_config c = mue_run_config_default();
    c.par.input[MUE_ZPRIME_MASS] = 0.1;
    c.par.input[MUE_ZPRIME_COUPLING] = 1e-3;
    mue_setup Sz, Se;
    const char *why;
    mue_setup_make(MUE_PROC_ZPRIME, &c.par, &Sz, &why);
    mue_params pe = c.par;
    pe.cuts.theta_mu_min = 0.0;
    mue_setup_make(MUE_PROC_ELASTIC, &pe, &Se, &why);

    uint64_t n = 4000000;
    double z1 = eval_rate(&Sz, 1, n), zall = eval_rate(&Sz, cores, 2 * n);
    double e1 = eval_rate(&Se, 1, n), eall = eval_rate(&Se, cores, 2 * n);
    fprintf(stderr, "zprime: %.3g points/s on 1 core, %.3g on %d\n", z1, zall, cores);
    fprintf(stderr, "elastic: %.3g points/s on 1 core, %.3g on %d\n", e1, eall, cores);

    /* time to 0.1 %: ours, one core and all cores */
    c.points = 200000;
    c.warmup = 3;
    c.iterations = 200;
    c.rel_error = 1e-3;
    char err[256];
    mue_run_result r1, rall;
    c.threads = 1;
    mue_run_integrate(&c, &r1, err, sizeof err);
    c.threads = cores;
    mue_run_integrate(&c, &rall, err, sizeof err);
    fprintf(stderr, "ours to 0.1%%: %.3f s (1 core), %.3f s (%d cores), %llu points\n", r1.seconds,
            rall.seconds, cores, (unsigned long long)rall.v.points);

    /* GSL: same point budget, then to the same error */
    gsl_run g_eq = gsl_vegas(&Sz, c.points * c.warmup, c.points, rall.v.points, 0.0);
    gsl_run g_to = gsl_vegas(&Sz, c.points * c.warmup, c.points, 400000000ull, 1e-3);
    fprintf(stderr, "gsl equal budget: %.5g +- %.2g fb in %.3f s; gsl to 0.1%%: %.3f s, %llu calls\n",
            g_eq.sigma, g_eq.err, g_eq.seconds, g_to.seconds, (unsigned long long)g_to.calls);

    /* the default scan of `mue scan` / make figures, into a scratch directory */
    mue_run_config sc;
    mue_settings_defaults(MUE_CMD_SCAN, MUE_PROC_ZPRIME, &sc);
    static double masses[MUE_SCAN_MAXMASS];
    static mue_scan_row rows[MUE_SCAN_MAXMASS];
    int nm = mue_scan_auto_masses(&sc.par, 1e-3, 0.15, 48, masses);
    char scratch[] = "/tmp/mue-bench-scan-XXXXXX";
    double scan_total = 0.0, scan_max = 0.0;
    if (!mkdtemp(scratch)) {
        fprintf(stderr, "bench_cpu: no scratch directory for the scan\n");
        return 2;
    }
    double ts = now();
    if (mue_scan_run(&sc, masses, nm, scratch, 1, rows, NULL, NULL, NULL, err, sizeof err)) {
        fprintf(stderr, "bench_cpu: scan: %s\n", err);
        return 2;
    }
    scan_total = now() - ts;
    for (int i = 0; i < nm; i++)
        scan_max = rows[i].seconds > scan_max ? rows[i].seconds : scan_max;
    char rm[128];
    snprintf(rm, sizeof rm, "rm -rf %s", scratch);
    if (system(rm) != 0)
        fprintf(stderr, "bench_cpu: could not remove %s\n", scratch);
    fprintf(stderr, "scan: %d masses in %.2f s (%.3f s per mass, at most %.3f s)\n", nm, scan_total,
            scan_total / nm, scan_max);

    mue_afile a;
    if (mue_afile_open(&a, path)) {
        fprintf(stderr, "bench_cpu: cannot write %s\n", path);
        return 2;
    }
    time_t tt = time(NULL);
    char date[64];
    strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", gmtime(&tt));
    FILE *f = a.f;
    fprintf(f, "{\n  \"machine\": \"%s\",\n  \"cpu\": \"%s\",\n  \"cores\": %d,\n", host, cpu, cores);
    fprintf(f, "  \"date\": \"%s\",\n  \"version\": \"%s\",\n  \"command\": \"make bench\",\n", date,
            mue_version());
    fprintf(f, "  \"integrand\": \"zprime m=0.1 GeV g=1e-3, cuts (i)+(ii); elastic with (ii)\",\n");
    fprintf(f, "  \"zprime_points_per_s_1core\": %.4g,\n  \"zprime_points_per_s_all\": %.4g,\n", z1, zall);
    fprintf(f, "  \"elastic_points_per_s_1core\": %.4g,\n  \"elastic_points_per_s_all\": %.4g,\n", e1, eall);
    fprintf(f, "  \"to_0.1pct\": {\n");
    fprintf(f, "    \"ours_1core\": {\"seconds\": %.4g, \"points\": %llu, \"sigma_fb\": %.8g, "
               "\"err_fb\": %.4g},\n",
            r1.seconds, (unsigned long long)r1.v.points, r1.sigma_fb, r1.sigma_err_fb);
    fprintf(f, "    \"ours_all_cores\": {\"seconds\": %.4g, \"points\": %llu, \"sigma_fb\": %.8g, "
               "\"err_fb\": %.4g},\n",
            rall.seconds, (unsigned long long)rall.v.points, rall.sigma_fb, rall.sigma_err_fb);
    fprintf(f, "    \"gsl_monte_vegas\": {\"seconds\": %.4g, \"points\": %llu, \"sigma_fb\": %.8g, "
               "\"err_fb\": %.4g},\n",
            g_to.seconds, (unsigned long long)g_to.calls, g_to.sigma, g_to.err);
    fprintf(f, "    \"gsl_over_ours_1core\": %.3g,\n    \"gsl_over_ours_all_cores\": %.3g\n  },\n",
            g_to.seconds / r1.seconds, g_to.seconds / rall.seconds);
    fprintf(f, "  \"scan\": {\"masses\": %d, \"threads\": %d, \"total_seconds\": %.4g, "
               "\"seconds_per_mass\": %.4g, \"max_seconds_one_mass\": %.4g, \"settings\": \"points "
               "5e5/iteration, rel-error 3e-3, default cuts\"},\n",
            nm, cores, scan_total, scan_total / nm, scan_max);
    fprintf(f, "  \"equal_budget\": {\"points\": %llu, \"ours_err_fb\": %.4g, \"ours_seconds_1core\": "
               "%.4g, \"gsl_err_fb\": %.4g, \"gsl_seconds\": %.4g, \"gsl_chi2\": %.3g}\n}\n",
            (unsigned long long)rall.v.points, rall.sigma_err_fb, r1.seconds, g_eq.err, g_eq.seconds,
            g_eq.chi2);
    if (mue_afile_commit(&a))
        return 2;
    printf("wrote %s\n", path);
    return 0;
}
