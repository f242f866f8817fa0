/* What one VEGAS iteration accumulates, per range of points, on any backend: the
 * integral sums, the per-bin f^2 that refine the grid, the histograms of the
 * observables the histogram spec lists, and the count of non-finite weights (never
 * summed). */
#ifndef MUE_ACCUM_H
#define MUE_ACCUM_H

#include "mue/observables.h"
#include "mue/vegas_map.h"

#define MUE_HIST_MAXBINS 200

/* Which histograms to fill: nobs observables (a process's list, observables.h), each
 * in nbins equal bins of [lo, hi). Plain data, copied to the device as it is. */
typedef struct {
    int nbins, nobs;
    mue_obs_kind what[MUE_MAX_OBS];
    double lo[MUE_MAX_OBS], hi[MUE_MAX_OBS];
} mue_hist_spec;

typedef struct {
    double sum_f, sum_f2;
    double var_sum; /* stratified: sum over boxes of mue_vegas_box_term */
    long long n_nonzero, n_bad;
    double d[MUE_VEGAS_MAXDIM][MUE_VEGAS_MAXBINS]; /* sum of the training weights */
    double h[MUE_MAX_OBS][MUE_HIST_MAXBINS];       /* sum of F in each histogram bin */
    double h2[MUE_MAX_OBS][MUE_HIST_MAXBINS];      /* sum of F^2 */
} mue_acc;

MUE_FN int mue_hist_bin(const mue_hist_spec *hs, int k, double v)
{
    if (!(v >= hs->lo[k] && v < hs->hi[k]))
        return -1;
    int b = (int)((v - hs->lo[k]) / (hs->hi[k] - hs->lo[k]) * hs->nbins);
    return b < hs->nbins ? b : hs->nbins - 1;
}

/* Adds one point of weight F (its share of the estimate: sum F / N); train is what it
 * adds to the grid bins (F f: the bins then estimate the integral of f^2, whatever the
 * box counts; F^2 when every box holds the same number). hs == 0 skips the histograms
 * (warm-up). */
MUE_FN void mue_acc_point(mue_acc *a, int ndim, const int *bin, double F, double train,
                          const mue_obs *o, const mue_hist_spec *hs)
{
    if (F == 0.0)
        return;
    if (!isfinite(F)) {
        a->n_bad++;
        return;
    }
    double F2 = F * F;
    a->sum_f += F;
    a->sum_f2 += F2;
    a->n_nonzero++;
    for (int d = 0; d < ndim; d++)
        a->d[d][bin[d]] += train;
    if (hs)
        for (int k = 0; k < hs->nobs; k++) {
            int b = mue_hist_bin(hs, k, o->v[k]);
            if (b >= 0) {
                a->h[k][b] += F;
                a->h2[k][b] += F2;
            }
        }
}

/* dst += src over the bins in use; the order of merges fixes the rounding, so callers
 * merge chunks in index order to keep results independent of the thread count. */
MUE_FN void mue_acc_merge(mue_acc *dst, const mue_acc *src, const mue_vegas_grid *g,
                          const mue_hist_spec *hs)
{
    dst->sum_f += src->sum_f;
    dst->sum_f2 += src->sum_f2;
    dst->var_sum += src->var_sum;
    dst->n_nonzero += src->n_nonzero;
    dst->n_bad += src->n_bad;
    for (int d = 0; d < g->ndim; d++)
        for (int i = 0; i < g->nbins; i++)
            dst->d[d][i] += src->d[d][i];
    if (hs)
        for (int k = 0; k < hs->nobs; k++)
            for (int b = 0; b < hs->nbins; b++) {
                dst->h[k][b] += src->h[k][b];
                dst->h2[k][b] += src->h2[k][b];
            }
}

/* Zeroes what an iteration through g with histograms hs (may be 0) fills: the sums
 * and the bins in use, not the whole (large) structure. */
MUE_FN void mue_acc_clear(mue_acc *a, const mue_vegas_grid *g, const mue_hist_spec *hs)
{
    a->sum_f = a->sum_f2 = a->var_sum = 0.0;
    a->n_nonzero = a->n_bad = 0;
    for (int d = 0; d < g->ndim; d++)
        for (int i = 0; i < g->nbins; i++)
            a->d[d][i] = 0.0;
    if (hs)
        for (int k = 0; k < hs->nobs; k++)
            for (int b = 0; b < hs->nbins; b++)
                a->h[k][b] = a->h2[k][b] = 0.0;
}

#endif
