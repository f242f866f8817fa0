#include "integrate.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cpu_backend.h"
#include "mue/rng.h"
#ifdef MUE_HAVE_CUDA
#include "gpu_backend.h"
#endif

static const char *const process_names[MUE_NPROC] = {"elastic", "zprime"};

const char *mue_process_name(mue_process_id id)
{
    return id >= 0 && id < MUE_NPROC ? process_names[id] : "?";
}

int mue_process_from_name(const char *name, mue_process_id *id)
{
    for (int i = 0; i < MUE_NPROC; i++)
        if (strcmp(name, process_names[i]) == 0) {
            *id = (mue_process_id)i;
            return 0;
        }
    return -1;
}

double mue_zprime_mass_limit(const mue_params *p)
{
    mue_collision c = mue_collision_make(p->e_beam, p->m_mu, p->m_e);
    return c.rs - p->m_mu - p->m_e;
}

mue_run_config mue_run_config_default(void)
{
    mue_run_config c;
    memset(&c, 0, sizeof c);
    c.process = MUE_PROC_ZPRIME;
    c.par = mue_params_default();
    c.lumi_fb = 15.0;
    c.points = 1000000;
    c.warmup = 5;
    c.iterations = 10;
    c.rel_error = 1e-3;
    c.seed = 1;
    c.threads = 0;
    c.device = MUE_DEVICE_AUTO;
    c.grid_bins = 64;
    c.alpha = 1.5;
    c.hist.nbins = 100;
    const double lo[MUE_NOBS] = {0.0, 0.0, 0.0, 0.0}, hi[MUE_NOBS] = {50.0, 0.05, 0.01, 150.0};
    memcpy(c.hist.lo, lo, sizeof lo);
    memcpy(c.hist.hi, hi, sizeof hi);
    return c;
}

int mue_run_validate(const mue_run_config *c, char *why, size_t len)
{
    const mue_params *p = &c->par;
#define BAD(...) return snprintf(why, len, __VA_ARGS__), 1
    if (!(p->e_beam > p->m_mu))
        BAD("--beam-energy: %g GeV is not above the muon mass", p->e_beam);
    if (c->process == MUE_PROC_ZPRIME) {
        if (!(p->m_zp > 0.0))
            BAD("--mass: the Z' mass must be positive (got %g GeV)", p->m_zp);
        double lim = mue_zprime_mass_limit(p);
        if (p->m_zp >= lim)
            BAD("--mass: %g GeV is not below the kinematic limit sqrt(s) - m_mu - m_e = %.6g GeV; "
                "mu e -> mu e Z' is closed",
                p->m_zp, lim);
        if (!(p->coupling > 0.0))
            BAD("--coupling: must be positive (got %g)", p->coupling);
    }
    if (c->process == MUE_PROC_ELASTIC && !p->cuts.enabled)
        BAD("--no-cuts: the elastic cross section diverges at t -> 0 without cuts; keep cut (ii) "
            "(--ee-min above m_e) to bound it");
    if (c->device == MUE_DEVICE_GPU) {
        char gw[256];
        if (!mue_gpu_usable(gw, sizeof gw))
            BAD("--device gpu: %s (use --device cpu or auto)", gw);
    }
    if (!(p->alpha > 0.0 && p->alpha < 1.0))
        BAD("--alpha: must lie in (0, 1) (got %g)", p->alpha);
    if (!(c->lumi_fb > 0.0))
        BAD("--lumi: must be positive (got %g fb^-1)", c->lumi_fb);
    if (c->points < 2)
        BAD("--points: need at least 2 points per iteration");
    if (c->points > (1ull << MUE_RNG_ITER_SHIFT))
        BAD("--points: at most 2^40 points per iteration");
    if (c->iterations < 1 || c->iterations > MUE_VEGAS_MAXITER)
        BAD("--iterations: must be between 1 and %d", MUE_VEGAS_MAXITER);
    if (c->warmup < 0 || c->warmup > 10000)
        BAD("--warmup: must be between 0 and 10000");
    if (!(c->rel_error >= 0.0 && c->rel_error < 1.0))
        BAD("--rel-error: must lie in [0, 1) (got %g)", c->rel_error);
    if (c->threads < 0 || c->threads > 4096)
        BAD("--threads: must be between 0 (all cores) and 4096");
    if (c->grid_bins < 2 || c->grid_bins > MUE_VEGAS_MAXBINS)
        BAD("--grid-bins: must be between 2 and %d", MUE_VEGAS_MAXBINS);
    if (c->hist.nbins < 1 || c->hist.nbins > MUE_HIST_MAXBINS)
        BAD("--hist-bins: must be between 1 and %d", MUE_HIST_MAXBINS);
    if (p->cuts.enabled) {
        if (!(p->cuts.theta_mu_min >= 0.0))
            BAD("--theta-mu-min: must not be negative (got %g rad)", p->cuts.theta_mu_min);
        if (!(p->cuts.ee_min >= p->m_e))
            BAD("--ee-min: %g GeV is below the electron mass", p->cuts.ee_min);
        if (!(p->cuts.ee_max > p->cuts.ee_min))
            BAD("--ee-max: %g GeV must exceed --ee-min %g GeV", p->cuts.ee_max, p->cuts.ee_min);
    }
#undef BAD
    return 0;
}

int mue_gpu_usable(char *why, size_t len)
{
#ifdef MUE_HAVE_CUDA
    return mue_gpu_device_count(why, len) > 0;
#else
    snprintf(why, len, "this build of mue has no CUDA backend (built without nvcc)");
    return 0;
#endif
}

typedef struct {
    const mue_run_config *c;
    int total;
} progress_ctx;

static void progress_line(void *pctx, int it, int warm, double est, double err, double chi2)
{
    const progress_ctx *p = pctx;
    if (warm)
        fprintf(stderr, "  warm-up %3d/%d   sigma %.6g +- %.2g fb\n", it + 1, p->c->warmup, est, err);
    else
        fprintf(stderr, "  iter %3d/%d   sigma %.6g +- %.2g fb (%.3f%%)  chi2/dof %.2f\n",
                it - p->c->warmup + 1, p->c->iterations, est, err,
                est != 0.0 ? 100.0 * err / est : 0.0, chi2);
}

int mue_run_integrate(const mue_run_config *c, mue_run_result *r, char *why, size_t len)
{
    memset(r, 0, sizeof *r);
    if (mue_run_validate(c, why, len))
        return 1;
    mue_setup S;
    const char *reason;
    if (!mue_setup_make(c->process, &c->par, &S, &reason)) {
        snprintf(why, len, "%s: %s", mue_process_name(c->process), reason);
        return 1;
    }
    mue_cpu_ctx cpu = {mue_cpu_physics_point, &S, c->seed, c->threads};
    progress_ctx pc = {c, 0};
    mue_vegas_opts o = {c->points, c->warmup, c->iterations, c->rel_error, c->grid_bins, c->alpha,
                        c->want_hist ? &c->hist : NULL, c->progress ? progress_line : NULL, &pc,
                        c->no_strata};
    char gw[256];
    int use_gpu = c->device == MUE_DEVICE_GPU ||
                  (c->device == MUE_DEVICE_AUTO && mue_gpu_usable(gw, sizeof gw));
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int rc;
    if (use_gpu) {
#ifdef MUE_HAVE_CUDA
        mue_gpu_ctx *g = mue_gpu_create(&S, c->seed, c->grid_bins, c->want_hist ? c->hist.nbins : 0,
                                        why, len);
        if (!g)
            return 1;
        struct timespec tl;
        clock_gettime(CLOCK_MONOTONIC, &tl);
        rc = mue_vegas_integrate(S.ndim, mue_gpu_iteration, g, &o, &r->v);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        if (rc) {
            const char *e = mue_gpu_error(g);
            snprintf(why, len, "%s", e[0] ? e : "integration failed: out of memory");
            mue_gpu_destroy(g);
            return 1;
        }
        mue_gpu_stats st = mue_gpu_get_stats(g);
        double loop = (t1.tv_sec - tl.tv_sec) + 1e-9 * (t1.tv_nsec - tl.tv_nsec);
        snprintf(r->device_name, sizeof r->device_name, "%s", mue_gpu_device_name(g));
        r->gpu_setup_seconds = st.setup_seconds;
        r->gpu_kernel_seconds = st.kernel_seconds;
        r->gpu_host_seconds = loop - st.kernel_seconds;
        r->gpu_blocks = st.blocks;
        r->gpu_threads_per_block = st.threads_per_block;
        r->gpu_shared_bytes = (long long)st.shared_bytes;
        mue_gpu_destroy(g);
        r->device = "gpu";
#else
        snprintf(why, len, "--device gpu: this build of mue has no CUDA backend");
        return 1;
#endif
    } else {
        rc = mue_vegas_integrate(S.ndim, mue_cpu_iteration, &cpu, &o, &r->v);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        if (rc) {
            snprintf(why, len, "integration failed: out of memory");
            return 1;
        }
        r->device = "cpu";
    }
    r->seconds = (t1.tv_sec - t0.tv_sec) + 1e-9 * (t1.tv_nsec - t0.tv_nsec);
    r->threads = c->threads > 0 ? c->threads : mue_cpu_max_threads();
    r->sigma_fb = r->v.integral;
    r->sigma_err_fb = r->v.error;
    r->events = r->sigma_fb * c->lumi_fb;
    r->events_err = r->sigma_err_fb * c->lumi_fb;
    return 0;
}
