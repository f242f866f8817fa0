#include "run/integrate.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "backends/backend.h"
#include "mue/elastic.h"
#include "mue/rng_stream.h"
#include "physics1d/kinematic_limits.h"
#include "run/checkpoint.h"
#include "run/grid_file.h"
#include "run/process_table.h"
#include "run/settings_json.h"
#include "util/threads.h"
#include "vegas/dist_iteration.h"
#include "vegas/iteration.h"

int mue_run_root(const mue_run_config *c) { return !c->comm || c->comm->rank == 0; }

void mue_run_note(const mue_run_config *c, int kind, const char *fmt, ...)
{
    if (!c->note || !mue_run_root(c))
        return;
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    c->note(c->note_ctx, kind, line);
}

int mue_run_cancelled(const mue_run_config *c) { return c->cancel && *c->cancel; }

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

static void progress_line(void *pctx, int it, int warm, uint64_t n, double est, double err,
                          double chi2)
{
    const mue_run_config *c = pctx;
    const int autos = c->schedule == MUE_SCHEDULE_AUTO;
    if (warm && autos)
        mue_run_note(c, MUE_NOTE_PROGRESS, "  training %2d   %.3g points   sigma %.6g +- %.2g fb", it + 1,
                     (double)n, est, err);
    else if (warm)
        mue_run_note(c, MUE_NOTE_PROGRESS, "  warm-up %3d/%d   sigma %.6g +- %.2g fb", it + 1,
                     c->warmup, est, err);
    else if (autos)
        mue_run_note(c, MUE_NOTE_PROGRESS,
                     "  iter %3d   %.3g points   sigma %.6g +- %.2g fb (%.3f%%, target %.3g%%)  "
                     "chi2/dof %.2f",
                     it + 1, (double)n, est, err, est != 0.0 ? 100.0 * err / est : 0.0,
                     100.0 * c->rel_error, chi2);
    else
        mue_run_note(c, MUE_NOTE_PROGRESS,
                     "  iter %3d/%d   sigma %.6g +- %.2g fb (%.3f%%)  chi2/dof %.2f",
                     it - c->warmup + 1, c->iterations, est, err, est != 0.0 ? 100.0 * err / est : 0.0,
                     chi2);
}

static void warn(mue_run_result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warn(mue_run_result *r, const char *fmt, ...)
{
    if (r->nwarnings >= MUE_RUN_MAXWARN)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->warnings[r->nwarnings++], sizeof r->warnings[0], fmt, ap);
    va_end(ap);
}

/* Two-body mu e -> mu e seen by an ideal detector: cut (i) fixes the electron's energy
 * to an interval (Eqs. 1-3; both branches of theta_mu(theta_e)); is it outside cut (ii)?
 * The interval's ends are Brent roots good to 1e-14: a relative margin of 1e-9. */
static int two_body_closed(const mue_run_config *c)
{
    const mue_params *p = &c->par;
    const mue_process_info *pi = mue_process_info_of(c->process);
    if (pi->nparticles != 2 || p->det.enabled || !p->cuts.enabled || !(p->cuts.theta_mu_min > 0.0))
        return 0;
    const double lo = mue_elastic_ee_min(p->cuts.theta_mu_min, p->e_beam, p->m_mu, p->m_e);
    const double hi = mue_elastic_ee_max(p->cuts.theta_mu_min, p->e_beam, p->m_mu, p->m_e);
    return lo > 0.0 && hi > 0.0 &&
           (lo > p->cuts.ee_max * (1.0 + 1e-9) || hi < p->cuts.ee_min * (1.0 - 1e-9));
}

/* No point passed: sigma = 0 only where the kinematics prove it; else the sample says
 * no more than the rule of three. */
static void warn_empty(const mue_run_config *c, mue_run_result *r)
{
    const mue_vegas_result *v = &r->v;
    const mue_params *p = &c->par;
    /* Any final state: the recoil system is at least an electron, so the elastic
     * theta_mu^max (Eq. 2) bounds the muon angle. */
    double thmax = mue_elastic_theta_mu_max(p->e_beam, p->m_mu, p->m_e);
    double eemax = mue_elastic_ee(0.0, p->e_beam, p->m_mu, p->m_e); /* Eq. 3, forward electron */
    /* a new particle of mass m: the muon recoils against at least e + X, and cut (i)
     * closes the process beyond the end point (its root is good to 1e-12) */
    const mue_input_def *m = mue_process_input_of_kind(mue_process_info_of(c->process), MUE_INPUT_MASS);
    const double end = m && p->cuts.enabled ? mue_zprime_mass_endpoint(p) : 0.0;
    uint64_t n = 0;
    for (int k = 0; k < v->iterations; k++)
        n += v->iter_points[k];
    r->zero_exact = 1;
    if (p->cuts.enabled && p->cuts.theta_mu_min >= thmax)
        warn(r, "no point passed the cuts: --theta-mu-min %g mrad is above theta_mu^max = %.6g "
                "mrad, the largest muon angle at a %g GeV beam; sigma = 0 is exact",
             1e3 * p->cuts.theta_mu_min, 1e3 * thmax, p->e_beam);
    else if (p->cuts.enabled && p->cuts.ee_min >= eemax)
        warn(r, "no point passed the cuts: --ee-min %g GeV is above %.6g GeV, the largest "
                "electron energy at a %g GeV beam (elastic, forward electron); sigma = 0 is exact",
             p->cuts.ee_min, eemax, p->e_beam);
    else if (two_body_closed(c))
        warn(r, "no point passed the cuts: mu e -> mu e with --theta-mu-min %g mrad has %.6g GeV < "
                "E_e < %.6g GeV, outside the cut %g .. %g GeV; sigma = 0 is exact",
             1e3 * p->cuts.theta_mu_min,
             mue_elastic_ee_min(p->cuts.theta_mu_min, p->e_beam, p->m_mu, p->m_e),
             mue_elastic_ee_max(p->cuts.theta_mu_min, p->e_beam, p->m_mu, p->m_e), p->cuts.ee_min,
             p->cuts.ee_max);
    else if (m && end > 0.0 && p->input[m->slot] > end * (1.0 + 1e-9))
        warn(r, "no point passed the cuts: --%s %g GeV is above %.9g GeV, where cut (i) closes the "
                "process (the muon recoils against e + X); sigma = 0 is exact",
             m->option, p->input[m->slot], end);
    else {
        /* an error of 0 on a zero the kinematics do not prove is no error estimate */
        r->zero_exact = 0;
        r->error_unreliable = 1;
        r->zero_fraction_95 = n ? 3.0 / (double)n : 1.0;
        warn(r, "no point of %llu passed the cuts: sigma is not known to be 0, only that the part "
                "of the sampled phase space that passes is below %.2g (95 %% CL); give more "
                "--points, or cuts that leave more",
             (unsigned long long)n, r->zero_fraction_95);
    }
}

double mue_run_hist_outside(const mue_run_result *r, int k)
{
    double in = 0.0;
    for (int b = 0; b < r->hist.nbins; b++)
        in += r->v.hist[k][b];
    return r->sigma_fb - in;
}

/* The part of sigma a histogram's range leaves out, where there is one. */
static void warn_outside(const mue_run_config *c, mue_run_result *r)
{
    const mue_process_info *pi = mue_process_info_of(c->process);
    char list[320] = "";
    size_t n = 0;
    for (int k = 0; k < r->hist.nobs && n < sizeof list; k++) {
        const double out = mue_run_hist_outside(r, k);
        if (!(fabs(out) > 1e-9 * fabs(r->sigma_fb)))
            continue; /* the sums of the bins and of sigma round differently: 1e-15 */
        n += (size_t)snprintf(list + n, sizeof list - n, "%s%s %.3g fb (%.2g %%) outside [%g, %g] %s",
                              n ? "; " : "", pi->obs[k].name, out, 100.0 * out / r->sigma_fb, r->hist.lo[k],
                              r->hist.hi[k], pi->obs[k].unit);
    }
    if (n)
        warn(r, "part of sigma falls outside the histograms' ranges (--hist-range): %s", list);
}

/* When the error itself cannot be trusted: the diagnostics the coverage tests
 * (tests/test_error_honesty.c) found to mark the runs whose pulls are too wide. */
static void warn_unreliable(const mue_run_config *c, mue_run_result *r)
{
    const mue_vegas_result *v = &r->v;
    const mue_process_info *pi = mue_process_info_of(c->process);
    if (v->pooled) {
        r->error_unreliable = 1;
        warn(r, "only %lld points passed the cuts in the leanest iteration (fewer than %d): the "
                "error comes from all production points pooled and may still be off; give more "
                "--points",
             v->min_nonzero, MUE_VEGAS_NONZERO_MIN);
    }
    if (v->iterations >= 2 && !v->pooled && v->q < MUE_Q_WARN) {
        r->error_unreliable = 1;
        warn(r, "the %d iterations disagree more than their errors allow (chi2/dof = %.3g, Q = "
                "%.2g < %.2g): the error may be underestimated; give more --points or --warmup",
             v->iterations, v->chi2_dof, v->q, MUE_Q_WARN);
    }
    /* Kish's effective number of points: (sum F)^2 / sum F^2, each production iteration */
    int kmin = -1;
    r->min_effective_points = 0.0;
    for (int k = 0; k < v->iterations; k++)
        if (v->iter_sum_f2[k] > 0.0) {
            const double ne = v->iter_sum_f[k] * v->iter_sum_f[k] / v->iter_sum_f2[k];
            if (kmin < 0 || ne < r->min_effective_points)
                kmin = k, r->min_effective_points = ne;
        }
    if (kmin >= 0 && !v->pooled && r->min_effective_points < MUE_NEFF_MIN) {
        r->error_unreliable = 1;
        warn(r, "the weights are so uneven that production iteration %d rests on %.3g effective "
                "points (fewer than %g): the error may be too small; give more --points",
             kmin + 1, r->min_effective_points, MUE_NEFF_MIN);
    }
    if (c->points < pi->points_min) {
        r->error_unreliable = 1;
        warn(r, "--points %llu is below the %llu per iteration that %s needs for honest errors (its "
                "coverage tests): the error may be too small",
             (unsigned long long)c->points, pi->points_min, pi->name);
    }
}

/* What the numbers alone would not tell. */
static void add_warnings(const mue_run_config *c, mue_run_result *r)
{
    const mue_vegas_result *v = &r->v;
    if (v->iterations > 0 && v->n_nonzero == 0)
        warn_empty(c, r);
    else if (v->iterations > 0)
        warn_unreliable(c, r);
    if (v->n_bad)
        warn(r, "%lld NaN or infinite weights were dropped", v->n_bad);
    if (c->want_hist && v->iterations > 0 && v->n_nonzero > 0)
        warn_outside(c, r);
    /* the iterations ran out before the error reached the target */
    if (v->iterations > 0 && v->n_nonzero > 0 && c->rel_error > 0.0 && v->iterations >= c->iterations &&
        !(v->error <= c->rel_error * fabs(v->integral)))
        warn(r, "the relative error %.3g is above --rel-error %g after all %d iterations: give more "
                "--iterations or --points",
             v->error / fabs(v->integral), c->rel_error, v->iterations);
}

/* After every iteration, on rank 0: the run's state into c->checkpoint. */
typedef struct {
    const mue_run_config *c;
    const mue_hist_spec *hs;
    char why[512];
    double last; /* when the last one was written (or the run started) */
} checkpoint_ctx;

static int write_checkpoint(void *cctx, const mue_vegas_state *s, const mue_vegas_progress *p)
{
    checkpoint_ctx *k = cctx;
    /* with 2^20 VEGAS+ boxes a checkpoint is ~23 MB of JSON: on a GPU, where an
     * iteration may take less than writing it, --checkpoint-every spaces them */
    double t = now_s();
    if (p->next < k->c->warmup + k->c->iterations && t - k->last < (double)k->c->checkpoint_every)
        return 0;
    k->last = t;
    return mue_checkpoint_save(k->c->checkpoint, k->c, s, p, k->hs, k->why, sizeof k->why);
}

/* Rank 0's starting state: a checkpoint (--resume), a grid file (--load-grid) or a
 * fresh grid; 0, or 1 with the reason in why. */
static int start_state(const mue_run_config *c, const mue_setup *S, mue_vegas_state *st,
                       mue_checkpoint *ck, char *why, size_t len)
{
    if (c->resume) {
        if (mue_checkpoint_load(c->resume, c, ck, why, len))
            return 1;
        if (ck->st.grid.ndim != S->ndim) {
            snprintf(why, len, "--resume: %s has %d axes; %s integrates over %d", c->resume,
                     ck->st.grid.ndim, mue_process_name(c->process), S->ndim);
            mue_checkpoint_free(ck);
            return 1;
        }
        *st = ck->st;
        memset(&ck->st, 0, sizeof ck->st); /* st owns the arrays now */
        return 0;
    }
    if (c->load_grid)
        return mue_grid_load(c->load_grid, c, S->ndim, st, why, len);
    mue_vegas_state_init(st, S->ndim, c->grid_bins);
    return 0;
}

/* Everything one integration holds while it runs. */
typedef struct {
    const mue_run_config *c;
    mue_run_result *r;
    mue_comm *comm;
    int lead, many;
    mue_setup S;
    mue_vegas_state st;
    mue_checkpoint ck;
    const mue_backend *be;
    void *bctx;
    mue_local_iteration li;
    mue_dist_iteration di;
    int32_t nbins; /* rank 0's grid bins, on every rank */
    double t0, tl, t1;
} run;

static void run_free(run *x)
{
    if (x->bctx)
        x->be->destroy(x->bctx);
    x->bctx = NULL;
    mue_dist_iteration_free(&x->di);
    mue_local_iteration_free(&x->li);
    mue_checkpoint_free(&x->ck);
    mue_vegas_state_free(&x->st);
}

/* The ranks agree on the settings and find them valid; rank 0 reads its starting state
 * and the followers learn its grid size. */
static int begin(run *x, char *why, size_t len)
{
    const mue_run_config *c = x->c;
    if (mue_comm_begin(x->comm))
        return snprintf(why, len, "rank 0 ended the job"), 1;
    if (mue_comm_agree(x->comm, mue_settings_identity(c, MUE_SF_RESULT, NULL) ^ x->comm->salt,
                       "integration settings", why, len))
        return 1;
    if (mue_comm_status(x->comm, mue_run_validate(c, why, len), why, len))
        return 1;
    const char *reason;
    mue_setup_make(c->process, &c->par, &x->S, &reason); /* validated above */
    if (mue_run_hist_spec(c, &x->r->hist, why, len))
        return 1;
    int rc = x->lead ? start_state(c, &x->S, &x->st, &x->ck, why, len) : 0;
    if (!x->lead)
        mue_vegas_state_init(&x->st, x->S.ndim, c->grid_bins);
    if (mue_comm_status(x->comm, rc, why, len)) {
        if (rc) /* start_state freed what it had */
            memset(&x->st, 0, sizeof x->st);
        return 1;
    }
    /* the random streams: iteration k of a grid's life draws stream k, up to 2^24 */
    if (x->lead && (uint64_t)x->st.iterations + (uint64_t)c->warmup + (uint64_t)c->iterations > MUE_RNG_ITER_MAX)
        rc = 1, snprintf(why, len,
                         "--%s: the grid has seen %u iterations; %d more would pass the %u that "
                         "have random streams of their own",
                         c->resume ? "resume" : "load-grid", x->st.iterations, c->warmup + c->iterations,
                         MUE_RNG_ITER_MAX);
    if (mue_comm_status(x->comm, rc, why, len))
        return 1;
    /* the followers' backends hold as many grid bins as rank 0's grid has */
    int32_t nbins = x->st.grid.nbins;
    if (x->many && x->comm->bcast(x->comm, &nbins, sizeof nbins))
        return snprintf(why, len, "the ranks could not exchange the grid size"), 1;
    x->nbins = nbins;
    return 0;
}

/* The backend, on every rank of the same kind of device, and how an iteration is
 * evaluated: on it alone, or shared by the ranks. */
static int open_backend(run *x, char *why, size_t len)
{
    const mue_run_config *c = x->c;
    x->be = strcmp(c->device, "auto") == 0 ? mue_backend_auto() : mue_backend_find(c->device);
    x->t0 = now_s();
    mue_backend_opts bo = {c->seed, c->threads, x->nbins, c->want_hist ? c->hist_bins : 0};
    x->bctx = x->be->create(&x->S, &bo, why, len);
    int rc = mue_comm_status(x->comm, x->bctx ? 0 : 1, why, len);
    if (!rc && x->many) {
        /* the ranks' sums have the same bits only on the same kind of device */
        mue_backend_stats b0 = x->be->stats(x->bctx);
        uint64_t h = mue_hash_str(MUE_HASH_INIT, x->be->name);
        if (strcmp(x->be->name, "cpu") != 0)
            h = mue_hash_str(h, b0.device);
        rc = mue_comm_agree(x->comm, h, "device (cpu, or the GPU model)", why, len);
    }
    if (!rc && (x->many ? mue_dist_iteration_init(&x->di, x->comm, mue_backend_evaluator(x->be, x->bctx),
                                                  &x->r->hist)
                        : mue_local_iteration_init(&x->li, mue_backend_evaluator(x->be, x->bctx))))
        rc = 1, snprintf(why, len, "integration failed: out of memory");
    return mue_comm_status(x->comm, rc, why, len);
}

/* The iterations: rank 0 drives VEGAS, the followers evaluate their slices. */
static int iterate(run *x, char *why, size_t len)
{
    const mue_run_config *c = x->c;
    checkpoint_ctx kc = {c, c->want_hist ? &x->r->hist : NULL, "", now_s()};
    mue_vegas_opts o = {c->points, c->warmup, c->iterations, c->rel_error, c->damping,
                        c->want_hist ? &x->r->hist : NULL, c->note ? progress_line : NULL,
                        (void *)c, c->no_strata, c->beta, c->checkpoint ? write_checkpoint : NULL,
                        &kc, c->resume ? &x->ck.p : NULL, c->cancel,
                        c->schedule == MUE_SCHEDULE_AUTO, c->points, MUE_AUTO_MAX_POINTS};
    x->tl = now_s();
    int rc = 0;
    if (x->lead)
        rc = mue_vegas_run(&x->st, x->many ? mue_dist_iterate : mue_local_iterate,
                           x->many ? (void *)&x->di : (void *)&x->li, &o, &x->r->v);
    if (x->lead && x->many)
        mue_dist_stop(&x->di, rc);
    if (!x->lead)
        rc = mue_dist_serve(&x->di);
    x->t1 = now_s();
    if (rc) {
        const char *e = x->be->error(x->bctx);
        snprintf(why, len, "%s",
                 rc == MUE_VEGAS_CANCELLED ? "interrupted"
                 : kc.why[0]               ? kc.why
                 : x->di.err[0]            ? x->di.err
                 : e[0]                    ? e
                                           : "integration failed: out of memory");
    }
    mue_backend_stats bs = x->be->stats(x->bctx);
    x->r->device = x->be->name;
    snprintf(x->r->device_name, sizeof x->r->device_name, "%s", bs.device);
    x->r->setup_seconds = bs.setup_seconds;
    x->r->eval_seconds = bs.eval_seconds;
    mue_local_iteration_free(&x->li);
    mue_dist_iteration_free(&x->di);
    x->be->destroy(x->bctx);
    x->bctx = NULL;
    mue_checkpoint_free(&x->ck);
    return mue_comm_status(x->comm, rc, why, len);
}

/* The grid kept (a file, or handed to the caller), and the result on every rank. */
static int finish(run *x, char *why, size_t len)
{
    const mue_run_config *c = x->c;
    mue_run_result *r = x->r;
    int rc = x->lead && c->save_grid ? mue_grid_save(c->save_grid, c, &x->st, why, len) : 0;
    if (mue_comm_status(x->comm, rc, why, len))
        return 1;
    r->grid_iterations = x->st.iterations;
    if (c->keep_state) {
        *c->keep_state = x->st;
        memset(&x->st, 0, sizeof x->st);
    }
    r->host_seconds = (x->t1 - x->tl) - r->eval_seconds;
    r->seconds = x->t1 - x->t0;
    r->threads = mue_cpu_threads(c->threads);
    r->sigma_fb = r->v.integral;
    r->sigma_err_fb = r->v.error;
    r->events = r->sigma_fb * c->lumi_fb;
    r->events_err = r->sigma_err_fb * c->lumi_fb;
    /* the followers get rank 0's result (their own device name) */
    const char *device = r->device;
    if (x->many && x->comm->bcast(x->comm, r, sizeof *r))
        return snprintf(why, len, "the ranks could not exchange the result"), 1;
    r->device = device;
    if (!isfinite(r->sigma_fb) || !isfinite(r->sigma_err_fb) || !isfinite(r->events) ||
        !isfinite(r->events_err) || r->sigma_fb < 0.0)
        return snprintf(why, len,
                        "the result is not a cross section (sigma = %g +- %g fb): these inputs "
                        "leave double precision; see docs/guide.md, Input ranges",
                        r->sigma_fb, r->sigma_err_fb),
               1;
    if (x->lead)
        add_warnings(c, r);
    return 0;
}

/* The ranks of a job (vegas/comm.h; one in a single-process run, where every exchange
 * is trivial) run this together: rank 0 drives VEGAS and writes the files, the others
 * evaluate their share of each iteration (vegas/dist_iteration.h). */
int mue_run_integrate(const mue_run_config *c, mue_run_result *r, char *why, size_t len)
{
    memset(r, 0, sizeof *r);
    run x;
    memset(&x, 0, sizeof x);
    x.c = c;
    x.r = r;
    x.comm = mue_comm_or_single(c->comm);
    x.lead = x.comm->rank == 0;
    x.many = x.comm->size > 1;
    int rc = begin(&x, why, len) || open_backend(&x, why, len) || iterate(&x, why, len) ||
             finish(&x, why, len);
    run_free(&x);
    return rc;
}
