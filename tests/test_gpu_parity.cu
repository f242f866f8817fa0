// GPU against CPU, and the GPU against itself (`make test-gpu`; never part of
// `make test`). Host code only: the kernels are the library's (kernels/gpu_backend.cu),
// the CPU reference is the CPU backend as built for build/mue.
//
//   1. random numbers: the uniforms the GPU draws (cuRAND Philox) are bit for bit
//      those of mue_rng_uniforms, first 1e5 points;
//   2. point weights: the first 1e5 weights f = w * jac agree to 1e-12 relative, on a
//      flat unstratified grid and on a trained stratified one. A point beyond 1e-12
//      passes only where one ulp in a math-library result moves its weight that far
//      on the CPU (tests/libm_ulp.c: a difference vanishing at a kinematic edge),
//      within twice that, and such points are at most 1 in 1e4. Points where one
//      side is zero and the other not (on a cut boundary) are counted and reported;
//   3. iterations: sums of one iteration (integral, f^2, box variances, grid bins,
//      histograms, counts) and whole VEGAS runs (integral per iteration to 1e-10
//      relative) for zprime (100 MeV, g = 1e-3, default cuts) and elastic
//      (theta_mu_min = 0), with and without strata, and tiny point counts;
//   4. determinism: the same seed twice gives identical bits (whole runs, and one
//      large iteration of many grid-stride rounds).
// Without a CUDA device it prints a SKIP line and exits 0.
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mue/process.h"
#include "mue/rng.h"
#include "mue/vegas_map.h"

#include "backends/cpu_backend.h"
#include "run/integrate.h"
#include "vegas/iteration.h"
#include "vegas/vegas.h"
#include "backends/gpu_backend.h"
#include "libm_ulp.h"

static int n_pass = 0, n_fail = 0;

static void check(bool ok, const char *what, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void check(bool ok, const char *what, const char *fmt, ...)
{
    printf("%s %s", ok ? "ok  " : "FAIL", what);
    if (fmt && *fmt) {
        va_list ap;
        va_start(ap, fmt);
        printf(": ");
        vprintf(fmt, ap);
        va_end(ap);
    }
    printf("\n");
    fflush(stdout);
    if (ok)
        n_pass++;
    else
        n_fail++;
}

static double now_s()
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

static double reldiff(double a, double b)
{
    if (a == b)
        return 0.0;
    if (isnan(a) && isnan(b))
        return 0.0;
    return fabs(a - b) / fmax(fabs(a), fabs(b));
}

static const uint64_t SEED = 20240611;
static const uint64_t NPTS = 100000;

typedef struct {
    const char *name;
    mue_setup S;
} proc_case;

static mue_hist_spec default_hist(void)
{
    mue_run_config c = mue_run_config_default(); /* zprime; elastic has the same list */
    mue_hist_spec hs;
    char why[256];
    if (mue_run_hist_spec(&c, &hs, why, sizeof why)) {
        printf("FAIL histogram spec: %s\n", why);
        exit(1);
    }
    return hs;
}

static mue_gpu_ctx *make_gpu(const mue_setup *S, int nbins, int hb)
{
    char why[512];
    mue_gpu_ctx *g = mue_gpu_create(S, SEED, nbins, hb, why, sizeof why);
    if (!g) {
        printf("FAIL mue_gpu_create: %s\n", why);
        exit(1);
    }
    return g;
}

static void cpu_iter(const mue_setup *S, const mue_vegas_grid *g, uint32_t iter, uint64_t n,
                     const mue_hist_spec *hs, mue_acc *a)
{
    mue_cpu_ctx cpu = {mue_cpu_physics_point, S, SEED, 0};
    memset(a, 0, sizeof *a);
    if (mue_cpu_iteration(&cpu, g, iter, n, hs, a)) {
        printf("FAIL mue_cpu_iteration: out of memory\n");
        exit(1);
    }
}

/* One iteration through the GPU backend as the driver runs it: its slices, merged in
 * order (iteration.h). */
static void gpu_iter(mue_gpu_ctx *G, const mue_vegas_grid *g, uint32_t iter, uint64_t n,
                     const mue_hist_spec *hs, mue_acc *a)
{
    mue_local_iteration li;
    memset(a, 0, sizeof *a);
    if (mue_local_iteration_init(&li, mue_backend_evaluator(&mue_backend_gpu, G)) || mue_local_iterate(&li, g, iter, n, hs, a)) {
        printf("FAIL GPU iteration: %s\n", mue_gpu_error(G));
        exit(1);
    }
    mue_local_iteration_free(&li);
}

/* A grid trained by three CPU iterations of NPTS points, stratified for NPTS. */
static void trained_grid(const mue_setup *S, mue_vegas_grid *g)
{
    mue_vegas_grid_init(g, S->ndim, 64);
    mue_acc *a = (mue_acc *)malloc(sizeof *a);
    for (uint32_t it = 0; it < 3; it++) {
        uint64_t n = mue_vegas_stratify_points(g, NPTS, 1);
        cpu_iter(S, g, it, n, NULL, a);
        mue_vegas_refine(g, a, 1.5);
    }
    free(a);
}

// 1 + 2: uniforms and weights of points 0 .. n-1.
static void compare_points(mue_gpu_ctx *G, const proc_case *pc, const mue_vegas_grid *g,
                           uint32_t iter, uint64_t n, const char *label)
{
    const int nd = pc->S.ndim;
    double *fg = (double *)malloc(n * sizeof(double));
    double *ug = (double *)malloc(n * nd * sizeof(double));
    char what[256];
    if (mue_gpu_point_weights(G, g, iter, 0, n, fg, ug)) {
        snprintf(what, sizeof what, "%s %s: point weights on the GPU", pc->name, label);
        check(false, what, "%s", mue_gpu_error(G));
        free(fg);
        free(ug);
        return;
    }
    long u_bad = 0, zero = 0, boundary = 0, over = 0, ill = 0, nonfinite = 0, nonfinite_mismatch = 0;
    long b_show = 0, o_show = 0;
    double max_rel = 0.0;
    long worst = -1;
    long above[4] = {0, 0, 0, 0}; /* rel > 1e-15, 1e-14, 1e-13, 1e-12 */
    for (uint64_t i = 0; i < n; i++) {
        double u[MUE_VEGAS_MAXDIM], x[MUE_VEGAS_MAXDIM];
        int bin[MUE_VEGAS_MAXDIM];
        mue_rng_uniforms(SEED, iter, i, nd, u);
        if (memcmp(u, ug + i * nd, nd * sizeof(double)) != 0) {
            if (u_bad < 3)
                printf("     point %llu: uniform %.17g (CPU) vs %.17g (GPU)\n",
                       (unsigned long long)i, u[0], ug[i * nd]);
            u_bad++;
        }
        mue_vegas_stratify_point(g, i, u);
        double jac = mue_vegas_map(g, u, x, bin);
        double w = mue_cpu_physics_point(&pc->S, x, NULL, NULL);
        double fc = w == 0.0 ? 0.0 : w * jac, fgi = fg[i];
        if (!isfinite(fc) || !isfinite(fgi)) {
            nonfinite++;
            if (!(isnan(fc) && isnan(fgi)) && fc != fgi)
                nonfinite_mismatch++;
            continue;
        }
        if (fc == 0.0 && fgi == 0.0) {
            zero++;
            continue;
        }
        if ((fc == 0.0) != (fgi == 0.0)) {
            if (b_show++ < 5)
                printf("     cut boundary: point %llu, f = %.17g (CPU) vs %.17g (GPU)\n",
                       (unsigned long long)i, fc, fgi);
            boundary++;
            continue;
        }
        double r = reldiff(fc, fgi);
        above[0] += r > 1e-15;
        above[1] += r > 1e-14;
        above[2] += r > 1e-13;
        above[3] += r > 1e-12;
        if (r > max_rel) {
            max_rel = r;
            worst = (long)i;
        }
        if (r > 1e-12) {
            // beyond 1e-12 only where the last bit of the math library moves the weight
            // that far (a difference that vanishes at a kinematic edge): each of the
            // GPU's results may be off by up to 2 ulp from glibc's
            const double sens = mue_test_libm_ulp_sensitivity(&pc->S, x, NULL);
            const bool ok = r <= 1e-12 + 2.0 * sens;
            if (o_show++ < 5)
                printf("     point %llu: f = %.17g (CPU) vs %.17g (GPU), rel %.3g; one ulp of the "
                       "math library moves it by %.3g: %s\n",
                       (unsigned long long)i, fc, fgi, r, sens, ok ? "explained" : "NOT explained");
            if (ok)
                ill++;
            else
                over++;
        }
    }
    snprintf(what, sizeof what, "%s %s: uniforms of %llu points bit-identical to mue_rng_uniforms",
             pc->name, label, (unsigned long long)n);
    check(u_bad == 0, what, "%ld differ", u_bad);
    snprintf(what, sizeof what,
             "%s %s: weights of %llu points to 1e-12, or to what one ulp of the math library "
             "moves them",
             pc->name, label, (unsigned long long)n);
    check(over == 0 && ill <= (long)(n / 10000) && nonfinite_mismatch == 0, what,
          "%ld nonzero, %ld zero on both; max rel %.3g (point %ld); rel > 1e-15/14/13/12: "
          "%ld/%ld/%ld/%ld, of which ill-conditioned %ld (allowed %llu), unexplained %ld; "
          "non-finite %ld (%ld mismatched)",
          (long)n - zero - boundary - nonfinite, zero, max_rel, worst, above[0], above[1], above[2],
          above[3], ill, (unsigned long long)(n / 10000), over, nonfinite, nonfinite_mismatch);
    snprintf(what, sizeof what, "%s %s: points on a cut boundary (zero on one side only)", pc->name,
             label);
    check(boundary <= (long)(n / 10000), what, "%ld of %llu (allowed %llu)", boundary,
          (unsigned long long)n, (unsigned long long)(n / 10000));
    free(fg);
    free(ug);
}

// 3: the sums of one iteration.
/* tol for every sum; var_sum, the sum of the box variances, to tol_var: with two points
 * a box it is sum (f1 - f2)^2 / 2, and where the boxes are narrow f1 ~ f2 magnifies the
 * last bits of f that the math libraries leave different (1e5 elastic points: 1e-12;
 * 7e6: 6e-7). */
static void compare_acc_var(const char *what, const mue_acc *c, const mue_acc *g, int ndim,
                            int nbins, const mue_hist_spec *hs, double tol, double tol_var)
{
    double worst = 0.0;
    const char *where = "";
    int bad = 0;
#define CMP(name, a, b)                                                                            \
    do {                                                                                           \
        double r_ = reldiff((a), (b));                                                             \
        if (r_ > worst) {                                                                          \
            worst = r_;                                                                            \
            where = name;                                                                          \
        }                                                                                          \
        bad += r_ > tol;                                                                           \
    } while (0)
    CMP("sum_f", c->sum_f, g->sum_f);
    CMP("sum_f2", c->sum_f2, g->sum_f2);
    {
        double r_ = reldiff(c->var_sum, g->var_sum);
        if (r_ > worst) {
            worst = r_;
            where = "var_sum";
        }
        bad += r_ > tol_var;
    }
    for (int d = 0; d < ndim; d++)
        for (int b = 0; b < nbins; b++)
            CMP("grid bins", c->d[d][b], g->d[d][b]);
    if (hs)
        for (int k = 0; k < hs->nobs; k++)
            for (int b = 0; b < hs->nbins; b++) {
                CMP("histogram f", c->h[k][b], g->h[k][b]);
                CMP("histogram f^2", c->h2[k][b], g->h2[k][b]);
            }
#undef CMP
    check(bad == 0 && c->n_nonzero == g->n_nonzero && c->n_bad == g->n_bad, what,
          "sum_f %.17g vs %.17g; worst rel %.3g (%s), %d over %.0e (var_sum %.0e); nonzero "
          "%lld vs %lld, non-finite %lld vs %lld",
          c->sum_f, g->sum_f, worst, where, bad, tol, tol_var, c->n_nonzero, g->n_nonzero,
          c->n_bad, g->n_bad);
}

static void compare_acc(const char *what, const mue_acc *c, const mue_acc *g, int ndim, int nbins,
                        const mue_hist_spec *hs, double tol)
{
    compare_acc_var(what, c, g, ndim, nbins, hs, tol, tol);
}

static void one_iteration(mue_gpu_ctx *G, const proc_case *pc, const mue_vegas_grid *g0,
                          uint64_t npoints, int stratify, const mue_hist_spec *hs, uint32_t iter)
{
    mue_vegas_grid g = *g0;
    uint64_t n = mue_vegas_stratify_points(&g, npoints, stratify);
    mue_acc *a = (mue_acc *)malloc(sizeof *a), *b = (mue_acc *)malloc(sizeof *b);
    cpu_iter(&pc->S, &g, iter, n, hs, a);
    gpu_iter(G, &g, iter, n, hs, b);
    char what[256];
    snprintf(what, sizeof what, "%s: one iteration, %llu points%s%s, sums GPU = CPU to 1e-10",
             pc->name, (unsigned long long)n,
             g.nstrat > 1 ? ", stratified" : "", hs ? ", histograms" : "");
    compare_acc(what, a, b, g.ndim, g.nbins, hs, 1e-10);
    free(a);
    free(b);
}

/* Strata set by hand: boxes longer than a warp round (per_box > 32), or not dividing it. */
static void one_iteration_boxes(mue_gpu_ctx *G, const proc_case *pc, const mue_vegas_grid *g0,
                                uint32_t nstrat, uint32_t per_box, const mue_hist_spec *hs)
{
    mue_vegas_grid g = *g0;
    g.nstrat = nstrat;
    g.per_box = per_box;
    g.nboxes = 1;
    for (int d = 0; d < g.ndim; d++)
        g.nboxes *= nstrat;
    uint64_t n = per_box * g.nboxes;
    mue_acc *a = (mue_acc *)malloc(sizeof *a), *b = (mue_acc *)malloc(sizeof *b);
    cpu_iter(&pc->S, &g, 8, n, hs, a);
    gpu_iter(G, &g, 8, n, hs, b);
    char what[256];
    snprintf(what, sizeof what, "%s: one iteration, %u^%d boxes of %u points, sums GPU = CPU to 1e-10",
             pc->name, nstrat, g.ndim, per_box);
    compare_acc(what, a, b, g.ndim, g.nbins, hs, 1e-10);
    free(a);
    free(b);
}

static void vegas_opts(mue_vegas_opts *o, uint64_t points, const mue_hist_spec *hs, int no_strata)
{
    memset(o, 0, sizeof *o);
    o->points = points;
    o->warmup = 3;
    o->iterations = 4;
    o->rel_error = 0.0;
    o->damping = 1.5;
    o->hist = hs;
    o->no_strata = no_strata;
}

static void compare_runs(const proc_case *pc, int no_strata, double beta)
{
    mue_hist_spec hs = default_hist();
    mue_vegas_opts o;
    vegas_opts(&o, NPTS, &hs, no_strata);
    o.beta = beta;
    mue_vegas_result *rc = (mue_vegas_result *)calloc(1, sizeof *rc);
    mue_vegas_result *rg = (mue_vegas_result *)calloc(1, sizeof *rg);
    mue_cpu_ctx cpu = {mue_cpu_physics_point, &pc->S, SEED, 0};
    mue_vegas_state *st = (mue_vegas_state *)malloc(sizeof *st);
    mue_vegas_state_init(st, pc->S.ndim, 64);
    double t0 = now_s();
    int e1 = mue_vegas_run(st, mue_cpu_iteration, &cpu, &o, rc);
    double t1 = now_s();
    mue_gpu_ctx *G = make_gpu(&pc->S, 64, hs.nbins);
    mue_local_iteration li;
    mue_local_iteration_init(&li, mue_backend_evaluator(&mue_backend_gpu, G));
    mue_vegas_state_free(st);
    mue_vegas_state_init(st, pc->S.ndim, 64);
    double t2 = now_s();
    int e2 = mue_vegas_run(st, mue_local_iterate, &li, &o, rg);
    double t3 = now_s();
    char what[256];
    snprintf(what, sizeof what, "%s: VEGAS run (%s, 3 + 4 iterations of %llu points), GPU = CPU",
             pc->name, no_strata ? "no strata" : beta > 0.0 ? "VEGAS+ strata" : "classic strata",
             (unsigned long long)NPTS);
    if (e1 || e2) {
        check(false, what, "failed: %s", e2 ? mue_gpu_error(G) : "CPU");
    } else {
        double wi = 0.0, we = 0.0, wh = 0.0;
        for (int k = 0; k < rc->iterations; k++) {
            wi = fmax(wi, reldiff(rc->iter_integral[k], rg->iter_integral[k]));
            we = fmax(we, reldiff(rc->iter_error[k], rg->iter_error[k]));
        }
        for (int q = 0; q < hs.nobs; q++)
            for (int b = 0; b < hs.nbins; b++)
                wh = fmax(wh, reldiff(rc->hist[q][b], rg->hist[q][b]));
        check(rc->iterations == rg->iterations && rc->points == rg->points && wi <= 1e-10 &&
                  we <= 1e-8 && wh <= 1e-9 && reldiff(rc->integral, rg->integral) <= 1e-10 &&
                  rc->n_nonzero == rg->n_nonzero && rc->n_bad == rg->n_bad,
              what,
              "sigma %.15g vs %.15g fb; worst rel per iteration: integral %.3g, error %.3g; "
              "histograms %.3g; nonzero %lld vs %lld; CPU %.2f s, GPU %.2f s",
              rc->integral, rg->integral, wi, we, wh, rc->n_nonzero, rg->n_nonzero, t1 - t0, t3 - t2);
    }
    // 4: the same again on a fresh context: identical bits
    mue_gpu_ctx *G2 = make_gpu(&pc->S, 64, hs.nbins);
    mue_vegas_result *rg2 = (mue_vegas_result *)calloc(1, sizeof *rg2);
    mue_local_iteration li2;
    mue_local_iteration_init(&li2, mue_backend_evaluator(&mue_backend_gpu, G2));
    mue_vegas_state_free(st);
    mue_vegas_state_init(st, pc->S.ndim, 64);
    int e3 = mue_vegas_run(st, mue_local_iterate, &li2, &o, rg2);
    snprintf(what, sizeof what, "%s: VEGAS run (%s) twice on the GPU, bit-identical", pc->name,
             no_strata ? "no strata" : beta > 0.0 ? "VEGAS+ strata" : "classic strata");
    check(!e3 && memcmp(rg, rg2, sizeof *rg) == 0, what, "sigma %.17g vs %.17g", rg->integral,
          rg2->integral);
    mue_gpu_stats gs = mue_gpu_get_stats(G);
    printf("     launch: %d blocks x %d threads, %zu B shared; %lld iterations: kernels %.4f s, "
           "copies %.4f s, in calls %.4f s, setup %.3f s\n",
           gs.blocks, gs.threads_per_block, gs.shared_bytes, gs.calls, gs.kernel_seconds,
           gs.copy_seconds, gs.call_seconds, gs.setup_seconds);
    mue_local_iteration_free(&li);
    mue_local_iteration_free(&li2);
    mue_gpu_destroy(G);
    mue_gpu_destroy(G2);
    mue_vegas_state_free(st);
    free(st);
    free(rc);
    free(rg);
    free(rg2);
}

/* The backend contract (backend.h): an iteration's slices evaluated in uneven groups,
 * in separate calls (as processes sharing an iteration would), merged in order, give
 * the bits of one call over all of them; and the CPU, over the same slices, agrees. */
static void split_ranges(const proc_case *pc, const mue_vegas_grid *g0)
{
    mue_hist_spec hs = default_hist();
    mue_vegas_grid g = *g0;
    uint64_t n = mue_vegas_stratify_points(&g, 7ull << 20, 1); /* 6 or 7 slices */
    mue_range r[MUE_SLICES_MAX];
    int nr = mue_iteration_slices(&g, n, r);
    mue_gpu_ctx *G = make_gpu(&pc->S, g.nbins, hs.nbins);
    mue_acc *one = (mue_acc *)malloc(sizeof(mue_acc) * nr), *parts = (mue_acc *)malloc(sizeof(mue_acc) * nr);
    mue_acc *a = (mue_acc *)calloc(1, sizeof *a), *b = (mue_acc *)calloc(1, sizeof *b);
    for (int k = 0; k < nr; k++) {
        mue_acc_clear(&one[k], &g, &hs);
        mue_acc_clear(&parts[k], &g, &hs);
    }
    int e = mue_gpu_eval(G, &g, 9, r, nr, &hs, one);
    const int cut[] = {0, 1, nr / 2 + 1, nr}; /* groups of 1, about half, the rest */
    for (int j = 0; j < 3 && !e; j++)
        e = mue_gpu_eval(G, &g, 9, r + cut[j], cut[j + 1] - cut[j], &hs, parts + cut[j]);
    for (int k = 0; k < nr; k++) {
        mue_acc_merge(a, &one[k], &g, &hs);
        mue_acc_merge(b, &parts[k], &g, &hs);
    }
    char what[256];
    snprintf(what, sizeof what, "%s: %llu points in %d slices, evaluated as 1 + %d + %d slices, "
             "merged: bit-identical to one call", pc->name, (unsigned long long)n, nr,
             cut[2] - cut[1], cut[3] - cut[2]);
    check(!e && nr >= 3 && memcmp(a, b, sizeof *a) == 0, what, "sum_f %.17g vs %.17g%s%s", a->sum_f,
          b->sum_f, e ? "; " : "", e ? mue_gpu_error(G) : "");
    mue_acc *c = (mue_acc *)calloc(1, sizeof *c);
    mue_cpu_ctx cpu = {mue_cpu_physics_point, &pc->S, SEED, 0};
    mue_cpu_iteration(&cpu, &g, 9, n, &hs, c);
    snprintf(what, sizeof what, "%s: the same %d slices on the CPU, sums GPU = CPU to 1e-10 "
             "(box variances to 1e-5)", pc->name, nr);
    compare_acc_var(what, c, a, g.ndim, g.nbins, &hs, 1e-10, 1e-5);
    mue_gpu_destroy(G);
    free(one);
    free(parts);
    free(a);
    free(b);
    free(c);
}

// 4: one large iteration (many grid-stride rounds, a point count no multiple of 32) twice.
static void big_iteration_twice(const proc_case *pc, const mue_vegas_grid *g0, uint64_t npoints,
                                int stratify)
{
    mue_hist_spec hs = default_hist();
    mue_vegas_grid g = *g0;
    uint64_t n = mue_vegas_stratify_points(&g, npoints, stratify);
    mue_gpu_ctx *G = make_gpu(&pc->S, g.nbins, hs.nbins);
    mue_acc *a = (mue_acc *)malloc(sizeof *a), *b = (mue_acc *)malloc(sizeof *b);
    double t0 = now_s();
    gpu_iter(G, &g, 7, n, &hs, a);
    double t1 = now_s();
    gpu_iter(G, &g, 7, n, &hs, b);
    char what[256];
    snprintf(what, sizeof what, "%s: one iteration of %llu points%s twice, bit-identical", pc->name,
             (unsigned long long)n, g.nstrat > 1 ? " (stratified)" : "");
    check(memcmp(a, b, sizeof *a) == 0, what, "sum_f %.17g vs %.17g; %.3g points/s", a->sum_f,
          b->sum_f, n / (t1 - t0));
    mue_gpu_destroy(G);
    free(a);
    free(b);
}

static void end_to_end(const proc_case *pc, mue_process_id id, const mue_params *p)
{
    mue_run_config c = mue_run_config_default();
    c.process = id;
    c.par = *p;
    c.points = 200000;
    c.warmup = 3;
    c.iterations = 5;
    c.rel_error = 0.0;
    c.seed = SEED;
    c.want_hist = 1;
    mue_run_result rc, rg;
    char why[512];
    snprintf(c.device, sizeof c.device, "cpu");
    int e1 = mue_run_integrate(&c, &rc, why, sizeof why);
    snprintf(c.device, sizeof c.device, "gpu");
    int e2 = mue_run_integrate(&c, &rg, why, sizeof why);
    char what[256];
    snprintf(what, sizeof what, "%s: mue_run_integrate --device gpu = --device cpu", pc->name);
    if (e1 || e2) {
        check(false, what, "%s", why);
        return;
    }
    int its = rg.v.iterations + rg.v.warmup;
    check(strcmp(rg.device, "gpu") == 0 && reldiff(rc.sigma_fb, rg.sigma_fb) <= 1e-10 &&
              reldiff(rc.sigma_err_fb, rg.sigma_err_fb) <= 1e-8 && rg.eval_seconds > 0.0,
          what,
          "sigma %.15g vs %.15g fb on %s; per iteration: kernels %.3g s, host %.3g s (setup "
          "%.3g s); CPU %.3f s total",
          rc.sigma_fb, rg.sigma_fb, rg.device_name, rg.eval_seconds / its, rg.host_seconds / its,
          rg.setup_seconds, rc.seconds);
}

int main(void)
{
    char why[512];
    int ndev = mue_gpu_device_count(why, sizeof why);
    if (ndev < 1) {
        printf("SKIP test-gpu: %s\n", why);
        return 0;
    }
    mue_params pz = mue_params_default();
    pz.input[MUE_ZPRIME_MASS] = 0.1;
    pz.input[MUE_ZPRIME_COUPLING] = 1e-3;
    mue_params pe = mue_params_default();
    pe.cuts.theta_mu_min = 0.0;
    proc_case cases[2];
    const char *reason;
    cases[0].name = "zprime";
    cases[1].name = "elastic";
    if (!mue_setup_make(MUE_PROC_ZPRIME, &pz, &cases[0].S, &reason) ||
        !mue_setup_make(MUE_PROC_ELASTIC, &pe, &cases[1].S, &reason)) {
        printf("FAIL setup: %s\n", reason);
        return 1;
    }
    mue_hist_spec hs = default_hist();
    {
        mue_gpu_ctx *G = make_gpu(&cases[0].S, 64, hs.nbins);
        printf("test-gpu on %s (%d SMs), %d device(s), CPU reference on %d threads\n",
               mue_gpu_device_name(G), mue_gpu_sm_count(G), ndev, mue_cpu_max_threads());
        mue_gpu_destroy(G);
    }
    for (int p = 0; p < 2; p++) {
        const proc_case *pc = &cases[p];
        mue_gpu_ctx *G = make_gpu(&pc->S, 64, hs.nbins);
        mue_vegas_grid flat, trained;
        mue_vegas_grid_init(&flat, pc->S.ndim, 64);
        trained_grid(&pc->S, &trained);
        compare_points(G, pc, &flat, 0, NPTS, "flat grid, no strata, iteration 0");
        compare_points(G, pc, &trained, 3, NPTS, "trained grid, strata, iteration 3");

        one_iteration(G, pc, &flat, NPTS, 0, &hs, 0);
        one_iteration(G, pc, &trained, NPTS, 1, &hs, 3);
        one_iteration(G, pc, &trained, NPTS + 7, 0, NULL, 4);
        // tiny counts: partial warps, a single block, boxes of many points
        const uint64_t tiny[] = {2, 3, 31, 33, 100, 1000, 4097};
        for (size_t t = 0; t < sizeof tiny / sizeof tiny[0]; t++) {
            one_iteration(G, pc, &trained, tiny[t], 0, &hs, 5);
            one_iteration(G, pc, &trained, tiny[t], 1, &hs, 6);
        }
        one_iteration_boxes(G, pc, &trained, 2, 50, &hs);
        one_iteration_boxes(G, pc, &trained, 3, 37, &hs);
        one_iteration_boxes(G, pc, &trained, 2, 64, NULL);
        one_iteration_boxes(G, pc, &trained, 5, 7, &hs);
        // a grid/process mismatch is reported, not run
        mue_vegas_grid bad = flat;
        bad.ndim = pc->S.ndim + 1;
        mue_acc *a = (mue_acc *)calloc(1, sizeof *a);
        mue_range r0 = {0, 100};
        int e = mue_gpu_eval(G, &bad, 0, &r0, 1, NULL, a);
        char what[256];
        snprintf(what, sizeof what, "%s: a grid of the wrong shape is an error", pc->name);
        check(e != 0 && strncmp(mue_gpu_error(G), "GPU:", 4) == 0, what, "'%s'", mue_gpu_error(G));
        free(a);
        mue_gpu_destroy(G);

        compare_runs(pc, 0, 0.0);
        compare_runs(pc, 0, 0.75);
        compare_runs(pc, 1, 0.0);
        big_iteration_twice(pc, &trained, (1ull << 24) + 12345, 1);
        big_iteration_twice(pc, &trained, (1ull << 24) + 12345, 0);
        split_ranges(pc, &trained);
    }
    end_to_end(&cases[0], MUE_PROC_ZPRIME, &pz);
    end_to_end(&cases[1], MUE_PROC_ELASTIC, &pe);
    printf("test-gpu: %d passed, %d failed\n", n_pass, n_fail);
    return n_fail ? 1 : 0;
}
