/* GPU benchmark (`make bench-gpu`, and `make bench` when a GPU is present): points/s
 * of the CUDA backend for the signal (zprime, m = 100 MeV, g = 1e-3, cuts (i)+(ii)) and
 * the elastic process (cut (ii) only) against the points per launch (1e5 .. 1e9), the
 * CPU backend on all cores in the same run, and the wall time to 0.1 % and 0.01 %
 * relative error on the 100 MeV benchmark sigma on the GPU and on the CPU. Writes
 * bench/results/gpu-<device>.json (gpu-h200.json on an NVIDIA H200). Rates go through a flat grid with histograms on,
 * as bench_cpu measures them.
 *
 * Usage: bench_gpu [RESULTS_DIR]   (MUE_BENCH_MAX_POINTS caps the launches, default 1e9;
 *                                   MUE_BENCH_CPU_MAX_POINTS the CPU ones, default 1e8)
 *        bench_gpu --probe         exit 0 if a CUDA device is usable, else say why, exit 1
 *
 * The FP64 throughput of the kernel (Nsight Compute) and the register-budget variants
 * are measured by tools/gpu_check.sh, which adds them to this file as "profile"
 * (tools/gpu_profile.py). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "backends/cpu_backend.h"
#include "machine.h"
#include "backends/gpu_backend.h"
#include "run/integrate.h"
#include "vegas/iteration.h"
#include "util/afile.h"
#include "util/version.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

static uint64_t env_points(const char *name, uint64_t dflt)
{
    const char *v = getenv(name);
    if (!v || !*v)
        return dflt;
    double x = strtod(v, NULL);
    return x >= 1.0 ? (uint64_t)x : dflt;
}

#define NSIZES 5
static const uint64_t sizes[NSIZES] = {100000ull, 1000000ull, 10000000ull, 100000000ull,
                                       1000000000ull};

typedef struct {
    uint64_t points;
    double seconds, kernel_seconds; /* one launch: wall (copies, sync included), kernels */
    int done;
} launch_rate;

typedef struct {
    const char *name;
    mue_setup S;
    launch_rate gpu[NSIZES], cpu[NSIZES];
    double gpu_rate, cpu_rate; /* at the largest launch measured */
    mue_gpu_stats st;          /* launch configuration of the largest */
} proc_bench;

/* One iteration of n points through a flat grid (no strata), histograms on: its slices
 * (iteration.h), as the driver evaluates them. */
static int gpu_launch(mue_gpu_ctx *g, const mue_vegas_grid *grid, const mue_hist_spec *hs,
                      uint32_t iter, uint64_t n, launch_rate *r)
{
    mue_acc *a = calloc(1, sizeof *a);
    mue_local_iteration li;
    if (!a || mue_local_iteration_init(&li, mue_backend_evaluator(&mue_backend_gpu, g))) {
        free(a);
        return -1;
    }
    mue_gpu_stats s0 = mue_gpu_get_stats(g);
    double t0 = now();
    int rc = mue_local_iterate(&li, grid, iter, n, hs, a);
    mue_local_iteration_free(&li);
    double dt = now() - t0;
    mue_gpu_stats s1 = mue_gpu_get_stats(g);
    free(a);
    if (rc)
        return rc;
    r->points = n;
    r->seconds = dt;
    r->kernel_seconds = s1.kernel_seconds - s0.kernel_seconds;
    r->done = 1;
    return 0;
}

static void cpu_launch(const mue_setup *S, const mue_vegas_grid *grid, const mue_hist_spec *hs,
                       uint32_t iter, uint64_t n, launch_rate *r)
{
    mue_cpu_ctx cpu = {mue_cpu_physics_point, S, 1, 0};
    mue_acc *a = calloc(1, sizeof *a);
    double t0 = now();
    mue_cpu_iteration(&cpu, grid, iter, n, hs, a);
    r->seconds = now() - t0;
    r->kernel_seconds = r->seconds;
    r->points = n;
    r->done = 1;
    free(a);
}

typedef struct {
    double seconds, sigma, err, kernel_seconds, host_seconds;
    uint64_t points, per_iteration;
    int iterations, ok;
} precision_run;

static precision_run to_precision(const char *dev, uint64_t per_iteration, double rel)
{
    mue_run_config c = mue_run_config_default();
    c.process = MUE_PROC_ZPRIME;
    c.par.input[MUE_ZPRIME_MASS] = 0.1;
    c.par.input[MUE_ZPRIME_COUPLING] = 1e-3;
    c.points = per_iteration;
    c.warmup = 5;
    c.iterations = 1000;
    c.rel_error = rel;
    snprintf(c.device, sizeof c.device, "%s", dev);
    mue_run_result r;
    char why[512];
    precision_run p;
    memset(&p, 0, sizeof p);
    p.per_iteration = per_iteration;
    if (mue_run_integrate(&c, &r, why, sizeof why)) {
        fprintf(stderr, "bench_gpu: %s\n", why);
        return p;
    }
    p.seconds = r.seconds;
    p.sigma = r.sigma_fb;
    p.err = r.sigma_err_fb;
    p.points = r.v.points;
    p.iterations = r.v.iterations;
    p.kernel_seconds = strcmp(dev, "gpu") == 0 ? r.eval_seconds : 0.0;
    p.host_seconds = r.host_seconds;
    p.ok = r.sigma_err_fb <= rel * fabs(r.sigma_fb);
    return p;
}

static void json_precision(FILE *f, const char *key, const precision_run *p, const char *sep)
{
    fprintf(f,
            "      \"%s\": {\"seconds\": %.4g, \"points\": %llu, \"points_per_iteration\": %llu, "
            "\"iterations\": %d, \"sigma_fb\": %.8g, \"err_fb\": %.4g, \"reached\": %s",
            key, p->seconds, (unsigned long long)p->points, (unsigned long long)p->per_iteration,
            p->iterations, p->sigma, p->err, p->ok ? "true" : "false");
    if (p->kernel_seconds > 0.0)
        fprintf(f, ", \"kernel_seconds\": %.4g, \"host_seconds\": %.4g, \"host_fraction\": %.3g",
                p->kernel_seconds, p->host_seconds,
                p->host_seconds / (p->kernel_seconds + p->host_seconds));
    fprintf(f, "}%s\n", sep);
}

/* The fastest of a few points-per-iteration choices. */
static precision_run best_of(const char *dev, const uint64_t *per, int n, double rel)
{
    precision_run best;
    memset(&best, 0, sizeof best);
    for (int k = 0; k < n; k++) {
        precision_run p = to_precision(dev, per[k], rel);
        fprintf(stderr, "  %s to %g%%: %llu points/iteration: %.3f s, %llu points, %s\n",
                dev, 100 * rel, (unsigned long long)per[k],
                p.seconds, (unsigned long long)p.points, p.ok ? "reached" : "NOT reached");
        if (p.ok && (!best.ok || p.seconds < best.seconds))
            best = p;
    }
    return best;
}

int main(int argc, char **argv)
{
    char why[512];
    int ndev = mue_gpu_device_count(why, sizeof why);
    if (argc > 1 && strcmp(argv[1], "--probe") == 0) {
        if (ndev < 1) {
            printf("%s\n", why);
            return 1;
        }
        printf("%d CUDA device(s)\n", ndev);
        return 0;
    }
    if (ndev < 1) {
        printf("SKIP bench-gpu: %s\n", why);
        return 0;
    }
    const char *dir = argc > 1 ? argv[1] : "bench/results";
    if (mue_dir_ready(dir)) {
        fprintf(stderr, "bench_gpu: '%s' is not a writable directory\n", dir);
        return 2;
    }
    const uint64_t max_gpu = env_points("MUE_BENCH_MAX_POINTS", 1000000000ull);
    const uint64_t max_cpu = env_points("MUE_BENCH_CPU_MAX_POINTS", 100000000ull);

    mue_run_config c = mue_run_config_default();
    mue_hist_spec hs; /* zprime's and elastic's observables are the same four */
    if (mue_run_hist_spec(&c, &hs, why, sizeof why)) {
        fprintf(stderr, "bench_gpu: %s\n", why);
        return 2;
    }
    mue_params pz = c.par, pe = c.par;
    pz.input[MUE_ZPRIME_MASS] = 0.1;
    pz.input[MUE_ZPRIME_COUPLING] = 1e-3;
    pe.cuts.theta_mu_min = 0.0;
    proc_bench pb[2];
    memset(pb, 0, sizeof pb);
    pb[0].name = "zprime";
    pb[1].name = "elastic";
    const char *reason;
    if (!mue_setup_make(MUE_PROC_ZPRIME, &pz, &pb[0].S, &reason) ||
        !mue_setup_make(MUE_PROC_ELASTIC, &pe, &pb[1].S, &reason)) {
        fprintf(stderr, "bench_gpu: %s\n", reason);
        return 2;
    }
    char host[256], cpu[600], devname[256] = "unknown";
    bench_machine(host, sizeof host, cpu, sizeof cpu);
    const int cores = mue_cpu_max_threads();
    int nsm = 0;

    for (int p = 0; p < 2; p++) {
        proc_bench *b = &pb[p];
        mue_gpu_ctx *g = mue_gpu_create(&b->S, 1, 64, hs.nbins, why, sizeof why);
        if (!g) {
            fprintf(stderr, "bench_gpu: %s\n", why);
            return 1;
        }
        snprintf(devname, sizeof devname, "%s", mue_gpu_device_name(g));
        nsm = mue_gpu_sm_count(g);
        mue_vegas_grid grid;
        mue_vegas_grid_init(&grid, b->S.ndim, 64);
        launch_rate warm;
        if (gpu_launch(g, &grid, &hs, 0, 1000000, &warm)) { /* module load, clocks up */
            fprintf(stderr, "bench_gpu: %s\n", mue_gpu_error(g));
            return 1;
        }
        for (int k = 0; k < NSIZES && sizes[k] <= max_gpu; k++) {
            /* small launches: the best of a few */
            int reps = sizes[k] <= 10000000ull ? 5 : 1;
            for (int r = 0; r < reps; r++) {
                launch_rate lr;
                if (gpu_launch(g, &grid, &hs, 1 + k, sizes[k], &lr)) {
                    fprintf(stderr, "bench_gpu: %s\n", mue_gpu_error(g));
                    return 1;
                }
                if (!b->gpu[k].done || lr.seconds < b->gpu[k].seconds)
                    b->gpu[k] = lr;
            }
            b->gpu_rate = sizes[k] / b->gpu[k].seconds;
            b->st = mue_gpu_get_stats(g);
            fprintf(stderr, "%s gpu: %11llu points per launch: %.4g points/s (kernels %.4g)\n",
                    b->name, (unsigned long long)sizes[k], sizes[k] / b->gpu[k].seconds,
                    sizes[k] / b->gpu[k].kernel_seconds);
        }
        mue_gpu_destroy(g);
        launch_rate cw;
        cpu_launch(&b->S, &grid, &hs, 0, 400000, &cw); /* threads up, caches warm */
        for (int k = 0; k < NSIZES && sizes[k] <= max_cpu; k++) {
            cpu_launch(&b->S, &grid, &hs, 1 + k, sizes[k], &b->cpu[k]);
            b->cpu_rate = sizes[k] / b->cpu[k].seconds;
            fprintf(stderr, "%s cpu: %11llu points per launch: %.4g points/s on %d cores\n", b->name,
                    (unsigned long long)sizes[k], b->cpu_rate, cores);
        }
    }

    /* time to 0.1 % and 0.01 % on the 100 MeV benchmark sigma */
    const uint64_t gpu_per1[] = {200000ull, 1000000ull, 4000000ull};
    const uint64_t gpu_per2[] = {1000000ull, 2000000ull, 10000000ull};
    const uint64_t cpu_per1[] = {200000ull, 1000000ull}, cpu_per2[] = {2000000ull, 10000000ull};
    precision_run g1 = best_of("gpu", gpu_per1, 3, 1e-3);
    precision_run c1 = best_of("cpu", cpu_per1, 2, 1e-3);
    precision_run g2 = best_of("gpu", gpu_per2, 3, 1e-4);
    precision_run c2 = best_of("cpu", cpu_per2, 2, 1e-4);

    /* the file is named for the device in lower case, its vendor dropped:
     * "NVIDIA H200" -> gpu-h200.json */
    char safe[256], path[4096];
    size_t k = 0;
    const char *dn = strncmp(devname, "NVIDIA ", 7) == 0 ? devname + 7 : devname;
    for (const char *s = dn; *s && k + 1 < sizeof safe; s++)
        safe[k++] = (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '.' || *s == '-'
                        ? *s
                    : (*s >= 'A' && *s <= 'Z') ? (char)(*s - 'A' + 'a')
                                               : '-';
    safe[k] = 0;
    snprintf(path, sizeof path, "%s/gpu-%s.json", dir, safe);
    mue_afile a;
    if (mue_afile_open(&a, path)) {
        fprintf(stderr, "bench_gpu: cannot write %s\n", path);
        return 2;
    }
    time_t tt = time(NULL);
    char date[64];
    strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", gmtime(&tt));
    FILE *f = a.f;
    fprintf(f, "{\n  \"device\": \"%s\",\n  \"sm_count\": %d,\n", devname, nsm);
    fprintf(f, "  \"gpu_points_per_s\": %.4g,\n  \"cpu_points_per_s\": %.4g,\n  \"cpu_cores\": %d,\n",
            pb[0].gpu_rate, pb[0].cpu_rate, cores);
    fprintf(f, "  \"speedup_vs_cpu\": %.4g,\n", pb[0].cpu_rate > 0 ? pb[0].gpu_rate / pb[0].cpu_rate : 0.0);
    fprintf(f, "  \"machine\": \"%s\",\n  \"cpu\": \"%s\",\n  \"date\": \"%s\",\n  \"version\": \"%s\",\n",
            host, cpu, date, mue_version());
    fprintf(f, "  \"command\": \"make bench-gpu\",\n");
    fprintf(f, "  \"integrand\": \"zprime m=0.1 GeV g=1e-3, cuts (i)+(ii); elastic with (ii) only; "
               "flat grid, histograms on\",\n");
    fprintf(f, "  \"note\": \"gpu_points_per_s/cpu_points_per_s: zprime at the largest launch measured "
               "on each; GPU seconds per launch include the grid and sums copies\",\n");
    fprintf(f, "  \"launch\": {\"blocks\": %d, \"threads_per_block\": %d, \"shared_bytes\": %zu},\n",
            pb[0].st.blocks, pb[0].st.threads_per_block, pb[0].st.shared_bytes);
    fprintf(f, "  \"points_per_launch\": {\n");
    for (int p = 0; p < 2; p++) {
        fprintf(f, "    \"%s\": [", pb[p].name);
        int first = 1;
        for (int s = 0; s < NSIZES; s++) {
            if (!pb[p].gpu[s].done && !pb[p].cpu[s].done)
                continue;
            fprintf(f, "%s\n      {\"points\": %llu", first ? "" : ",", (unsigned long long)sizes[s]);
            first = 0;
            if (pb[p].gpu[s].done)
                fprintf(f, ", \"gpu_points_per_s\": %.4g, \"gpu_kernel_points_per_s\": %.4g, "
                           "\"gpu_seconds\": %.4g",
                        sizes[s] / pb[p].gpu[s].seconds, sizes[s] / pb[p].gpu[s].kernel_seconds,
                        pb[p].gpu[s].seconds);
            if (pb[p].cpu[s].done)
                fprintf(f, ", \"cpu_points_per_s\": %.4g, \"cpu_seconds\": %.4g",
                        sizes[s] / pb[p].cpu[s].seconds, pb[p].cpu[s].seconds);
            fprintf(f, "}");
        }
        fprintf(f, "\n    ]%s\n", p == 0 ? "," : "");
    }
    fprintf(f, "  },\n");
    fprintf(f, "  \"elastic_gpu_points_per_s\": %.4g,\n  \"elastic_cpu_points_per_s\": %.4g,\n",
            pb[1].gpu_rate, pb[1].cpu_rate);
    fprintf(f, "  \"to_rel_error\": {\n    \"0.1pct\": {\n");
    json_precision(f, "gpu", &g1, ",");
    json_precision(f, "cpu", &c1, ",");
    fprintf(f, "      \"speedup\": %.4g\n    },\n    \"0.01pct\": {\n",
            g1.ok && c1.ok ? c1.seconds / g1.seconds : 0.0);
    json_precision(f, "gpu", &g2, ",");
    json_precision(f, "cpu", &c2, ",");
    fprintf(f, "      \"speedup\": %.4g\n    }\n  }\n}\n", g2.ok && c2.ok ? c2.seconds / g2.seconds : 0.0);
    if (mue_afile_commit(&a))
        return 2;
    printf("wrote %s\n", path);
    printf("zprime: %.4g points/s on the GPU, %.4g on %d CPU cores: x%.3g; to 0.01%%: %.3f s vs %.3f s\n",
           pb[0].gpu_rate, pb[0].cpu_rate, cores,
           pb[0].cpu_rate > 0 ? pb[0].gpu_rate / pb[0].cpu_rate : 0.0, g2.seconds, c2.seconds);
    return 0;
}
