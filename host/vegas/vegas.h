/* Adaptive importance sampling as Lepage defined it (J. Comput. Phys. 27 (1978) 192):
 * warm-up iterations that only train the grid, damped refinement after every
 * iteration, the average of the production iterations (weighted by their points),
 * chi2/dof and Q, and a stop at a requested relative error or at the iteration budget.
 * Points are stratified (Lepage's boxes, two or more points each) unless asked not to,
 * with VEGAS+ counts per box (Lepage, J. Comput. Phys. 439 (2021) 110386) when beta > 0.
 * The grid lives in a state object that outlasts a run, as GSL's
 * gsl_monte_vegas_state and Lepage's AdaptiveMap do: run, run again (the grid and the
 * iteration count go on), save, load (grid_file.h). The points themselves are
 * evaluated by an iteration function (iteration.h: the slices on a backend). */
#ifndef MUE_VEGAS_H
#define MUE_VEGAS_H

#include <stdint.h>

#include "mue/accum.h"

#ifdef __cplusplus
extern "C" {
#endif

struct mue_vegas_state;
struct mue_vegas_progress;

/* One iteration: evaluate npoints points through grid g into *out (zeroed by the
 * caller); hs != 0 asks for histograms. Returns 0, or nonzero on a backend error. */
typedef int (*mue_vegas_iteration_fn)(void *ctx, const mue_vegas_grid *g, uint32_t iter,
                                      uint64_t npoints, const mue_hist_spec *hs, mue_acc *out);

typedef struct {
    uint64_t points;     /* per iteration */
    int warmup;          /* grid-training iterations, discarded */
    int iterations;      /* production iterations at most (0: train the grid only) */
    double rel_error;    /* stop when reached (0: never), after >= 2 production iterations */
    double damping;      /* of the refinement, Lepage's alpha, 0.5 .. 2 */
    const mue_hist_spec *hist; /* histograms in production, or 0 */
    /* called after each iteration of n points (may be 0) */
    void (*progress)(void *pctx, int iter, int warm, uint64_t n, double est, double err,
                     double chi2);
    void *pctx;
    int no_strata;       /* 1: plain importance sampling, no stratification */
    /* VEGAS+ (Lepage 2021): box counts n_h ~ sigma_h^beta, re-allocated every iteration
     * (0: classic VEGAS, the same count in every box); 0.75 is Lepage's default */
    double beta;
    /* after every iteration (may be 0): where the run stands, beside the state s (what
     * a checkpoint keeps, checkpoint.h); nonzero stops the run with an error */
    int (*checkpoint)(void *cctx, const struct mue_vegas_state *s,
                      const struct mue_vegas_progress *p);
    void *cctx;
    /* go on from here (a checkpoint's progress, its state in s) instead of starting;
     * may be 0. The run then has the bits of one that was never stopped. */
    const struct mue_vegas_progress *resume;
    /* read after every iteration: nonzero stops the run (MUE_VEGAS_CANCELLED); may be 0 */
    volatile int *cancel;
    /* 1: the points of each iteration, and the end of training, follow schedule.h
     * towards rel_error (> 0): warmup and iterations are then the most of each, the
     * first iteration has auto_floor points and none more than auto_cap; points is
     * unused. Not with resume. */
    int autoschedule;
    uint64_t auto_floor, auto_cap;
} mue_vegas_opts;

#define MUE_VEGAS_CANCELLED (-2) /* mue_vegas_run's return when o->cancel stopped it */

#define MUE_VEGAS_MAXITER 1000
/* Fewer nonzero points than this in a production iteration make its variance no
 * information: such a run is combined as one pooled sample (mue_vegas_result.pooled). */
#define MUE_VEGAS_NONZERO_MIN 100

typedef struct {
    double integral, error, chi2_dof;
    double q;                /* P(chi2 >= the one seen) for iterations-1 dof; 1 for one */
    int iterations;          /* production iterations run */
    int warmup;              /* training iterations run */
    uint64_t points;         /* all points evaluated, warm-up included */
    long long n_bad;         /* NaN or infinite weights, all iterations */
    long long n_nonzero;     /* points with a nonzero weight, production */
    long long min_nonzero;   /* the fewest in one production iteration */
    int pooled;              /* 1: combined as one pooled sample (see combine in vegas.c) */
    double iter_integral[MUE_VEGAS_MAXITER], iter_error[MUE_VEGAS_MAXITER];
    /* each production iteration's points, nonzero points, sum f and sum f^2 */
    uint64_t iter_points[MUE_VEGAS_MAXITER];
    long long iter_nonzero[MUE_VEGAS_MAXITER];
    double iter_sum_f[MUE_VEGAS_MAXITER], iter_sum_f2[MUE_VEGAS_MAXITER];
    /* production histograms combined with the integral's weights: integral and
     * error of sigma in each bin */
    double hist[MUE_MAX_OBS][MUE_HIST_MAXBINS], hist_err[MUE_MAX_OBS][MUE_HIST_MAXBINS];
} mue_vegas_result;

/* What outlasts a run: the adaptive map and how many iterations it has seen. The
 * next iteration draws its random numbers as iteration number `iterations`, so a run
 * that goes on from a state (or from a saved one) draws new points, and a grid trained
 * in one run and used in the next gives the bits of one run doing both. */
typedef struct mue_vegas_state {
    mue_vegas_grid grid; /* the map; its strata are laid out before every iteration */
    uint32_t iterations; /* iterations run so far, warm-up included */
    /* VEGAS+: what the last iteration measured in each of its nsigf boxes, sigma_h^beta
     * (sigma_h = V_h times the standard deviation of f in box h), which the next
     * allocation follows (0 boxes: none yet); and the arrays the grid points to */
    uint64_t nsigf;
    double beta_sigf; /* the beta sigf was raised to */
    double *sigf;
    uint64_t *offset;
    double *box_var;
    uint64_t cap; /* boxes the three arrays hold */
} mue_vegas_state;

/* Where a run stands after an iteration, beside its state: the next iteration of the
 * run (warm-up ones counted; warmup + iterations once it has stopped), the estimate so
 * far, and each production iteration's histogram means and variances
 * ([r->iterations][nobs][nbins][2], 0 without histograms). */
typedef struct mue_vegas_progress {
    int next;
    const mue_vegas_result *r;
    const double *hist;
} mue_vegas_progress;

void mue_vegas_state_init(mue_vegas_state *s, int ndim, int nbins);
void mue_vegas_state_free(mue_vegas_state *s);
/* The state's per-box arrays for at least n boxes: 0, or -1 out of memory. */
int mue_vegas_state_reserve(mue_vegas_state *s, uint64_t n);

/* Runs o->warmup iterations that train the grid, then up to o->iterations production
 * iterations (refining after each), from the state and onto it. r gets this run's
 * estimate. Returns 0, or nonzero when fn fails. */
int mue_vegas_run(mue_vegas_state *s, mue_vegas_iteration_fn fn, void *ctx, const mue_vegas_opts *o,
                  mue_vegas_result *r);

/* The production iterations of r so far (iter_* and iterations) combined into its
 * integral, error, chi2_dof, q, pooled and min_nonzero: what mue_vegas_run does after
 * each, and what a checkpoint's estimate must equal. */
void mue_vegas_combine(mue_vegas_result *r);

void mue_vegas_grid_init(mue_vegas_grid *g, int ndim, int nbins);
/* Sets classic strata in g for about npoints points per iteration (stratify = 0:
 * none): boxes of equal counts, at least two points each; returns the number of
 * points the iteration then uses (boxes x points per box). */
uint64_t mue_vegas_stratify_points(mue_vegas_grid *g, uint64_t npoints, int stratify);
/* Lays out the next iteration of about npoints points in s->grid: classic strata
 * (beta = 0), none, or VEGAS+ boxes (about npoints / 4 of them) with counts
 * allocated from s->sigf. Returns the number of points the iteration uses, or 0 out of
 * memory. */
uint64_t mue_vegas_layout(mue_vegas_state *s, uint64_t npoints, int stratify, double beta);
/* After an iteration through a VEGAS+ layout: s->sigf from the variances it wrote. */
void mue_vegas_measure_boxes(mue_vegas_state *s, double beta);
void mue_vegas_refine(mue_vegas_grid *g, const mue_acc *a, double damping);

#ifdef __cplusplus
}
#endif

#endif
