#include "run/integrate.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "backends/backend.h"
#include "run/checkpoint.h"
#include "vegas/comm.h"
#include "backends/cpu_backend.h"
#include "run/detector_config.h"
#include "vegas/dist_iteration.h"
#include "run/grid_file.h"
#include "vegas/iteration.h"
#include "physics1d/kinematic_limits.h"
#include "mue/rng_stream.h"
#include "run/process_table.h"

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
    snprintf(c.device, sizeof c.device, "auto");
    c.grid_bins = 64;
    c.damping = 1.5;
    c.beta = 0.75;
    c.hist_bins = 100;
    return c;
}

int mue_run_hist_spec(const mue_run_config *c, mue_hist_spec *hs, char *why, size_t len)
{
    const mue_process_info *pi = mue_process_info_of(c->process);
    memset(hs, 0, sizeof *hs);
    if (!pi)
        return snprintf(why, len, "--process: unknown process"), 1;
    hs->nbins = c->hist_bins;
    hs->nobs = pi->nobs;
    for (int k = 0; k < pi->nobs; k++) {
        hs->what[k] = pi->obs[k].kind;
        hs->lo[k] = pi->obs[k].lo;
        hs->hi[k] = pi->obs[k].hi;
    }
    for (int j = 0; j < c->n_hist_ranges; j++) {
        const mue_hist_range *h = &c->hist_range[j];
        int k = mue_process_obs_index(pi, h->name);
        if (k < 0) {
            snprintf(why, len, "--hist-range: %s has no observable '%s' (it has:", pi->name, h->name);
            for (int q = 0; q < pi->nobs; q++)
                snprintf(why + strlen(why), len - strlen(why), " %s", pi->obs[q].name);
            snprintf(why + strlen(why), len - strlen(why), ")");
            return 1;
        }
        if (!(fabs(h->lo) <= MUE_HIST_EDGE_MAX && fabs(h->hi) <= MUE_HIST_EDGE_MAX))
            return snprintf(why, len, "--hist-range: %s=%g:%g reaches beyond +-%g", h->name,
                            h->lo, h->hi, MUE_HIST_EDGE_MAX),
                   1;
        hs->lo[k] = h->lo;
        hs->hi[k] = h->hi;
    }
    return 0;
}

int mue_run_validate(const mue_run_config *c, char *why, size_t len)
{
    const mue_params *p = &c->par;
    const mue_process_info *pi = mue_process_info_of(c->process);
#define BAD(...) return snprintf(why, len, __VA_ARGS__), 1
    if (!pi)
        BAD("--process: unknown process");
    if (!(p->e_beam > p->m_mu))
        BAD("--beam-energy: %g GeV is not above the muon mass", p->e_beam);
    if (!(p->e_beam <= MUE_BEAM_MAX))
        BAD("--beam-energy: %g GeV is above the %g GeV mue integrates to (README, Input ranges)",
            p->e_beam, MUE_BEAM_MAX);
    if (pi->uses & MUE_USES_MASS) {
        if (!(p->m_zp > 0.0))
            BAD("--mass: the Z' mass must be positive (got %g GeV)", p->m_zp);
        if (!(p->m_zp >= MUE_MASS_MIN))
            BAD("--mass: %g GeV is below the %g GeV (1 keV) mue integrates down to (README, "
                "Input ranges)",
                p->m_zp, MUE_MASS_MIN);
        double lim = mue_zprime_mass_limit(p);
        if (p->m_zp >= lim)
            BAD("--mass: %g GeV is not below the kinematic limit sqrt(s) - m_mu - m_e = %.6g GeV; "
                "%s is closed",
                p->m_zp, lim, pi->summary);
    }
    if ((pi->uses & MUE_USES_COUPLING) && !(p->coupling > 0.0))
        BAD("--coupling: must be positive (got %g)", p->coupling);
    if ((pi->uses & MUE_USES_COUPLING) &&
        !(p->coupling >= MUE_COUPLING_MIN && p->coupling <= MUE_COUPLING_MAX))
        BAD("--coupling: %g is outside %g .. %g (sigma is proportional to g^2: scale a result "
            "inside the range)",
            p->coupling, MUE_COUPLING_MIN, MUE_COUPLING_MAX);
    if (strcmp(c->device, "auto") != 0) {
        const mue_backend *be = mue_backend_find(c->device);
        char bw[256];
        if (!be)
            BAD("--device: unknown device '%s' (auto, cpu, gpu)", c->device);
        if (!be->usable(bw, sizeof bw))
            BAD("--device %s: %s (use --device cpu or auto)", c->device, bw);
    }
    if (!(p->alpha >= MUE_ALPHA_MIN && p->alpha < 1.0))
        BAD("--alpha: %g is outside %g .. 1 (README, Input ranges)", p->alpha, MUE_ALPHA_MIN);
    if (!(c->lumi_fb > 0.0))
        BAD("--lumi: must be positive (got %g fb^-1)", c->lumi_fb);
    if (!(c->lumi_fb <= MUE_LUMI_MAX))
        BAD("--lumi: %g fb^-1 is above %g fb^-1", c->lumi_fb, MUE_LUMI_MAX);
    if (c->points < MUE_POINTS_MIN)
        BAD("--points: %llu is too few to train a grid or estimate an error (at least %d)",
            (unsigned long long)c->points, MUE_POINTS_MIN);
    if (c->points > (1ull << MUE_RNG_ITER_SHIFT))
        BAD("--points: at most 2^40 points per iteration");
    if (c->iterations < (c->save_grid ? 0 : 1) || c->iterations > MUE_VEGAS_MAXITER)
        BAD("--iterations: must be between 1 and %d (0 only to train a grid for --save-grid)",
            MUE_VEGAS_MAXITER);
    if (c->warmup < 0 || c->warmup > 10000)
        BAD("--warmup: must be between 0 and 10000");
    if (c->iterations == 0 && c->warmup == 0)
        BAD("--iterations 0: with no --warmup either there is nothing to run");
    if (!(c->rel_error >= 0.0 && c->rel_error < 1.0))
        BAD("--rel-error: must lie in [0, 1) (got %g)", c->rel_error);
    if (c->threads < 0 || c->threads > MUE_CPU_THREADS_MAX)
        BAD("--threads: must be between 0 (all cores) and %d", MUE_CPU_THREADS_MAX);
    if (!(c->beta >= 0.0 && c->beta <= 1.0))
        BAD("--beta: must lie in [0, 1] (got %g; 0 is classic VEGAS)", c->beta);
    if (c->grid_bins < 2 || c->grid_bins > MUE_VEGAS_MAXBINS)
        BAD("--grid-bins: must be between 2 and %d", MUE_VEGAS_MAXBINS);
    if (c->hist_bins < 1 || c->hist_bins > MUE_HIST_MAXBINS)
        BAD("--hist-bins: must be between 1 and %d", MUE_HIST_MAXBINS);
    if (p->cuts.enabled) {
        if (!(p->cuts.theta_mu_min >= 0.0))
            BAD("--theta-mu-min: must not be negative (got %g rad)", p->cuts.theta_mu_min);
        if (!(p->cuts.theta_mu_min < 1.5707963267948966))
            BAD("--theta-mu-min: %g rad is not below pi/2 (cut (i) keeps forward muons)",
                p->cuts.theta_mu_min);
        if (!(p->cuts.ee_min >= p->m_e))
            BAD("--ee-min: %g GeV is below the electron mass", p->cuts.ee_min);
        if (!(p->cuts.ee_max > p->cuts.ee_min))
            BAD("--ee-max: %g GeV must exceed --ee-min %g GeV", p->cuts.ee_max, p->cuts.ee_min);
    }
    if (!(p->cuts.egamma_min >= 0.0 && p->cuts.egamma_min < p->e_beam))
        BAD("--egamma-min: must lie in [0, beam energy %g GeV) (got %g GeV)", p->e_beam,
            p->cuts.egamma_min);
    if (p->det.enabled) {
        if (!p->cuts.enabled)
            BAD("--detector: applies the selection to measured quantities; --no-cuts leaves "
                "none to apply");
        if (pi->ndim + MUE_DET_NU > MUE_VEGAS_MAXDIM)
            BAD("--detector: %s has %d integration variables; with the detector's %d uniforms "
                "a point would need more than %d",
                pi->name, pi->ndim, MUE_DET_NU, MUE_VEGAS_MAXDIM);
        if (mue_detector_validate(&p->det, why, len))
            return 1;
    }
    /* what the process itself refuses (its prepare) */
    mue_setup S;
    const char *reason;
    if (!mue_setup_make(c->process, p, &S, &reason)) {
        if (p->det.enabled) /* the process saw the widened generation window (detector_select.h) */
            BAD("%s (--detector: the process generates %g widths past each cut edge; a smaller "
                "gen_sigmas, e.g. 5, may keep what it needs)",
                reason, p->det.gen_sigmas);
        BAD("%s", reason);
    }
#undef BAD
    mue_hist_spec hs;
    return mue_run_hist_spec(c, &hs, why, len);
}

typedef struct {
    const mue_run_config *c;
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

static int differs(double a, double b) { return !(fabs(a - b) <= 1e-12 * fmax(fabs(a), fabs(b))); }

/* What a loaded grid was trained for against what c asks; the coupling and alpha only
 * scale the integrand, so a grid serves any of them. */
static int grid_mismatch(const mue_grid_meta *m, const mue_run_config *c, char *why, size_t len)
{
    const mue_process_info *pi = mue_process_info_of(c->process);
    const mue_params *a = &m->par, *b = &c->par;
    const char *what = NULL;
    if (strcmp(m->process, pi->name) != 0)
        what = "process";
    else if ((pi->uses & MUE_USES_MASS) && differs(a->m_zp, b->m_zp))
        what = "mass";
    else if ((pi->uses & MUE_USES_FLAVOURS) && a->nu_flavours != b->nu_flavours)
        what = "set of neutrino flavours";
    else if (differs(a->e_beam, b->e_beam))
        what = "beam energy";
    else if (a->cuts.enabled != b->cuts.enabled)
        what = "cuts";
    else if (b->cuts.enabled &&
             (differs(a->cuts.theta_mu_min, b->cuts.theta_mu_min) ||
              differs(a->cuts.ee_min, b->cuts.ee_min) || differs(a->cuts.ee_max, b->cuts.ee_max)))
        what = "cuts";
    else if (differs(a->cuts.egamma_min, b->cuts.egamma_min))
        what = "--egamma-min";
    if (!what)
        return 0;
    snprintf(why, len,
             "--load-grid: %s was trained for another %s (process %s, mass %g GeV, beam %g GeV, "
             "cuts %s: theta_mu > %g rad, %g < E_e < %g GeV); add --force-grid to use it anyway",
             c->load_grid, what, m->process, a->m_zp, a->e_beam, a->cuts.enabled ? "on" : "off",
             a->cuts.theta_mu_min, a->cuts.ee_min, a->cuts.ee_max);
    return 1;
}

static void warn(mue_run_result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warn(mue_run_result *r, const char *fmt, ...)
{
    if (r->nwarnings >= (int)(sizeof r->warnings / sizeof r->warnings[0]))
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->warnings[r->nwarnings++], sizeof r->warnings[0], fmt, ap);
    va_end(ap);
}

/* What the numbers alone would not tell. */
static void add_warnings(const mue_run_config *c, mue_run_result *r)
{
    const mue_vegas_result *v = &r->v;
    const mue_params *p = &c->par;
    /* Any final state: the recoil system is at least an electron, so the elastic
     * theta_mu^max (Eq. 2) bounds the muon angle. */
    double thmax = mue_elastic_theta_mu_max(p->e_beam, p->m_mu, p->m_e);
    double eemax = mue_elastic_ee(0.0, p->e_beam, p->m_mu, p->m_e); /* Eq. 3, forward electron */
    if (v->iterations > 0 && v->n_nonzero == 0 && p->cuts.enabled &&
        p->cuts.theta_mu_min >= thmax)
        warn(r, "no point passed the cuts: --theta-mu-min %g mrad is above theta_mu^max = %.6g "
                "mrad, the largest muon angle at a %g GeV beam; sigma = 0 is exact",
             1e3 * p->cuts.theta_mu_min, 1e3 * thmax, p->e_beam);
    else if (v->iterations > 0 && v->n_nonzero == 0 && p->cuts.enabled && p->cuts.ee_min >= eemax)
        warn(r, "no point passed the cuts: --ee-min %g GeV is above %.6g GeV, the largest "
                "electron energy at a %g GeV beam (elastic, forward electron); sigma = 0 is exact",
             p->cuts.ee_min, eemax, p->e_beam);
    else if (v->iterations > 0 && v->n_nonzero == 0)
        warn(r, "no point passed the cuts in %d iterations: sigma = 0 here means the cuts leave "
                "no phase space for this process (or it is too rare to find with --points %llu)",
             v->iterations, (unsigned long long)c->points);
    else if (v->pooled)
        warn(r, "only %lld points passed the cuts in the leanest iteration (fewer than %d): the "
                "error comes from all production points pooled and may still be off; give more "
                "--points",
             v->min_nonzero, MUE_VEGAS_NONZERO_MIN);
    if (v->iterations >= 2 && !v->pooled && v->q < MUE_Q_WARN)
        warn(r, "the %d iterations disagree more than their errors allow (chi2/dof = %.3g, Q = "
                "%.2g < %.2g): the error may be underestimated; give more --points or --warmup",
             v->iterations, v->chi2_dof, v->q, MUE_Q_WARN);
    if (v->n_bad)
        warn(r, "%lld NaN or infinite weights were dropped", v->n_bad);
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
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
    if (c->load_grid) {
        mue_grid_meta m;
        if (mue_grid_load(c->load_grid, st, &m, why, len))
            return 1;
        if (st->grid.ndim != S->ndim) {
            snprintf(why, len, "--load-grid: %s has %d axes; %s integrates over %d", c->load_grid,
                     st->grid.ndim, mue_process_name(c->process), S->ndim);
            mue_vegas_state_free(st);
            return 1;
        }
        if (!c->force_grid && grid_mismatch(&m, c, why, len)) {
            mue_vegas_state_free(st);
            return 1;
        }
        return 0;
    }
    mue_vegas_state_init(st, S->ndim, c->grid_bins);
    return 0;
}

/* The ranks of a job (comm.h; one in a single-process run, where every exchange below
 * is trivial) run this together: rank 0 drives VEGAS and writes the files, the others
 * evaluate their share of each iteration (dist_iteration.h). */
int mue_run_integrate(const mue_run_config *c, mue_run_result *r, char *why, size_t len)
{
    memset(r, 0, sizeof *r);
    mue_comm *comm = mue_comm_get();
    const int lead = comm->rank == 0, many = comm->size > 1;
    if (mue_comm_begin(comm))
        return snprintf(why, len, "rank 0 ended the job"), 1;
    if (mue_comm_agree(comm, mue_run_settings_hash(c) ^ comm->salt, "integration settings", why, len))
        return 1;
    if (mue_comm_status(comm, mue_run_validate(c, why, len), why, len))
        return 1;
    mue_setup S;
    const char *reason;
    mue_setup_make(c->process, &c->par, &S, &reason); /* validated above */
    if (mue_run_hist_spec(c, &r->hist, why, len))
        return 1;

    mue_vegas_state st;
    mue_checkpoint ck;
    memset(&ck, 0, sizeof ck);
    int rc = lead ? start_state(c, &S, &st, &ck, why, len) : 0;
    if (!lead)
        mue_vegas_state_init(&st, S.ndim, c->grid_bins);
    if (mue_comm_status(comm, rc, why, len)) {
        if (!rc)
            mue_vegas_state_free(&st);
        return 1;
    }
    /* the followers' backends hold as many grid bins as rank 0's grid has */
    int32_t nbins = st.grid.nbins;
    if (many && comm->bcast(comm, &nbins, sizeof nbins)) {
        mue_vegas_state_free(&st);
        mue_checkpoint_free(&ck);
        return snprintf(why, len, "the ranks could not exchange the grid size"), 1;
    }

    const mue_backend *be =
        strcmp(c->device, "auto") == 0 ? mue_backend_auto() : mue_backend_find(c->device);
    double t0 = now_s();
    mue_backend_opts bo = {c->seed, c->threads, nbins, c->want_hist ? c->hist_bins : 0};
    void *bctx = be->create(&S, &bo, why, len);
    rc = mue_comm_status(comm, bctx ? 0 : 1, why, len);
    if (!rc && many) {
        /* the ranks' sums have the same bits only on the same kind of device */
        mue_backend_stats b0 = be->stats(bctx);
        uint64_t h = mue_hash_str(MUE_HASH_INIT, be->name);
        if (strcmp(be->name, "cpu") != 0)
            h = mue_hash_str(h, b0.device);
        rc = mue_comm_agree(comm, h, "device (cpu, or the GPU model)", why, len);
    }
    mue_local_iteration li = {0, 0, 0};
    mue_dist_iteration di;
    memset(&di, 0, sizeof di);
    if (!rc && (many ? mue_dist_iteration_init(&di, comm, be, bctx, &r->hist)
                     : mue_local_iteration_init(&li, be, bctx)))
        rc = 1, snprintf(why, len, "integration failed: out of memory");
    if (mue_comm_status(comm, rc, why, len)) {
        if (bctx)
            be->destroy(bctx);
        mue_dist_iteration_free(&di);
        mue_local_iteration_free(&li);
        mue_vegas_state_free(&st);
        mue_checkpoint_free(&ck);
        return 1;
    }
    progress_ctx pc = {c};
    checkpoint_ctx kc = {c, c->want_hist ? &r->hist : NULL, "", now_s()};
    mue_vegas_opts o = {c->points, c->warmup, c->iterations, c->rel_error, c->damping,
                        c->want_hist ? &r->hist : NULL, c->progress ? progress_line : NULL, &pc,
                        c->no_strata, c->beta, c->checkpoint ? write_checkpoint : NULL, &kc,
                        c->resume ? &ck.p : NULL};
    double tl = now_s();
    if (lead)
        rc = mue_vegas_run(&st, many ? mue_dist_iterate : mue_local_iterate, many ? (void *)&di : (void *)&li,
                           &o, &r->v);
    if (lead && many)
        mue_dist_stop(&di, rc);
    if (!lead)
        rc = mue_dist_serve(&di);
    double t1 = now_s();
    mue_backend_stats bs = be->stats(bctx);
    if (rc) {
        const char *e = be->error(bctx);
        snprintf(why, len, "%s",
                 kc.why[0] ? kc.why : di.err[0] ? di.err : e[0] ? e : "integration failed: out of memory");
    }
    mue_local_iteration_free(&li);
    mue_dist_iteration_free(&di);
    be->destroy(bctx);
    mue_checkpoint_free(&ck);
    if (mue_comm_status(comm, rc, why, len)) {
        mue_vegas_state_free(&st);
        return 1;
    }
    if (lead && c->save_grid) {
        mue_grid_meta m;
        snprintf(m.process, sizeof m.process, "%s", mue_process_name(c->process));
        m.par = c->par;
        m.seed = c->seed;
        rc = mue_grid_save(c->save_grid, &st, &m, why, len);
    }
    if (mue_comm_status(comm, rc, why, len)) {
        mue_vegas_state_free(&st);
        return 1;
    }
    if (c->keep_state)
        *c->keep_state = st;
    else
        mue_vegas_state_free(&st);
    r->device = be->name;
    snprintf(r->device_name, sizeof r->device_name, "%s", bs.device);
    r->setup_seconds = bs.setup_seconds;
    r->eval_seconds = bs.eval_seconds;
    r->host_seconds = (t1 - tl) - bs.eval_seconds;
    r->seconds = t1 - t0;
    r->threads = c->threads > 0 ? c->threads : mue_cpu_max_threads();
    r->grid_iterations = st.iterations;
    r->sigma_fb = r->v.integral;
    r->sigma_err_fb = r->v.error;
    r->events = r->sigma_fb * c->lumi_fb;
    r->events_err = r->sigma_err_fb * c->lumi_fb;
    /* the followers get rank 0's result (their own device name) */
    if (many && comm->bcast(comm, r, sizeof *r))
        return snprintf(why, len, "the ranks could not exchange the result"), 1;
    r->device = be->name;
    if (!isfinite(r->sigma_fb) || !isfinite(r->sigma_err_fb) || !isfinite(r->events) ||
        !isfinite(r->events_err) || r->sigma_fb < 0.0) {
        snprintf(why, len,
                 "the result is not a cross section (sigma = %g +- %g fb): these inputs leave "
                 "double precision; see README, Input ranges",
                 r->sigma_fb, r->sigma_err_fb);
        return 1;
    }
    if (lead)
        add_warnings(c, r);
    return 0;
}
