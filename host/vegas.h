/* Adaptive importance sampling as Lepage defined it (J. Comput. Phys. 27 (1978) 192):
 * warm-up iterations that only train the grid, damped refinement after every
 * iteration, the inverse-variance weighted average of the production iterations,
 * chi2/dof, and a stop at a requested relative error or at the iteration budget.
 * Points are stratified (Lepage's boxes, two or more points each) unless asked not to.
 * The points themselves are evaluated by a backend (CPU now, GPU later). */
#ifndef MUE_VEGAS_H
#define MUE_VEGAS_H

#include <stdint.h>

#include "mue/accum.h"

/* One iteration: evaluate npoints points through grid g into *out (zeroed by the
 * caller); hs != 0 asks for histograms. Returns 0, or nonzero on a backend error. */
typedef int (*mue_vegas_iteration_fn)(void *ctx, const mue_vegas_grid *g, uint32_t iter,
                                      uint64_t npoints, const mue_hist_spec *hs, mue_acc *out);

typedef struct {
    uint64_t points;     /* per iteration */
    int warmup;          /* grid-training iterations, discarded */
    int iterations;      /* production iterations at most */
    double rel_error;    /* stop when reached (0: never), after >= 2 production iterations */
    int nbins;           /* grid bins per axis */
    double alpha;        /* damping of the refinement, Lepage's 0.5 .. 2 */
    const mue_hist_spec *hist; /* histograms in production, or 0 */
    /* called after each iteration (may be 0) */
    void (*progress)(void *pctx, int iter, int warm, double est, double err, double chi2);
    void *pctx;
    int no_strata;       /* 1: plain importance sampling, no stratification */
} mue_vegas_opts;

#define MUE_VEGAS_MAXITER 1000

typedef struct {
    double integral, error, chi2_dof;
    int iterations;          /* production iterations run */
    int warmup;
    uint64_t points;         /* all points evaluated, warm-up included */
    long long n_bad;         /* NaN or infinite weights, all iterations */
    long long n_nonzero;     /* points with a nonzero weight, production */
    double iter_integral[MUE_VEGAS_MAXITER], iter_error[MUE_VEGAS_MAXITER];
    /* production histograms combined with the integral's weights: integral and
     * error of sigma in each bin */
    double hist[MUE_NOBS][MUE_HIST_MAXBINS], hist_err[MUE_NOBS][MUE_HIST_MAXBINS];
} mue_vegas_result;

void mue_vegas_grid_init(mue_vegas_grid *g, int ndim, int nbins);
/* Sets the strata of g for about npoints points per iteration (stratify = 0: none);
 * returns the number of points the iteration then uses (boxes x points per box). */
uint64_t mue_vegas_stratify_points(mue_vegas_grid *g, uint64_t npoints, int stratify);
void mue_vegas_refine(mue_vegas_grid *g, const mue_acc *a, double alpha);
int mue_vegas_integrate(int ndim, mue_vegas_iteration_fn fn, void *ctx, const mue_vegas_opts *o,
                        mue_vegas_result *r);

#endif
