#include "vegas.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

uint64_t mue_vegas_stratify_points(mue_vegas_grid *g, uint64_t npoints, int stratify)
{
    g->nstrat = 1;
    g->per_box = 0;
    if (!stratify || npoints < 4)
        return npoints;
    /* as many boxes as leaves two points in each (a variance needs two) */
    double target = floor(pow(npoints / 2.0, 1.0 / g->ndim));
    uint64_t ns = target > 1.0 ? (uint64_t)target : 1;
    while (ns > 1 && pow((double)ns, g->ndim) * 2.0 > (double)npoints)
        ns--;
    if (ns < 2 || ns > UINT32_MAX)
        return npoints;
    uint64_t boxes = 1;
    for (int d = 0; d < g->ndim; d++)
        boxes *= ns;
    g->nstrat = (uint32_t)ns;
    g->per_box = (uint32_t)(npoints / boxes);
    return boxes * g->per_box;
}

void mue_vegas_grid_init(mue_vegas_grid *g, int ndim, int nbins)
{
    memset(g, 0, sizeof *g);
    g->ndim = ndim;
    g->nbins = nbins;
    g->nstrat = 1;
    for (int d = 0; d < ndim; d++)
        for (int i = 0; i <= nbins; i++)
            g->edge[d][i] = (double)i / nbins;
}

/* Lepage's refinement of one axis: smooth the bin sums of f^2 with their
 * neighbours, compress them as ((1 - r)/ln(1/r))^damping so the grid moves gradually,
 * then place the new edges so that every new bin holds the same share. */
static void refine_axis(double *edge, int nb, const double *dsum, double damping)
{
    double d[MUE_VEGAS_MAXBINS], w[MUE_VEGAS_MAXBINS], tot = 0.0;
    for (int i = 0; i < nb; i++) {
        if (i == 0)
            d[i] = (dsum[0] + dsum[1]) / 2.0;
        else if (i == nb - 1)
            d[i] = (dsum[nb - 2] + dsum[nb - 1]) / 2.0;
        else
            d[i] = (dsum[i - 1] + dsum[i] + dsum[i + 1]) / 3.0;
        tot += d[i];
    }
    if (!(tot > 0.0))
        return; /* nothing seen on this axis: keep the grid */
    double wsum = 0.0;
    for (int i = 0; i < nb; i++) {
        double r = d[i] / tot;
        w[i] = r > 0.0 ? (r < 1.0 ? pow((1.0 - r) / -log(r), damping) : 1.0) : 0.0;
        wsum += w[i];
    }
    double step = wsum / nb, acc = 0.0, old[MUE_VEGAS_MAXBINS + 1];
    memcpy(old, edge, sizeof(double) * (nb + 1));
    int j = 0;
    for (int i = 1; i < nb; i++) {
        double target = i * step;
        while (acc + w[j] < target && j < nb - 1)
            acc += w[j++];
        double frac = w[j] > 0.0 ? (target - acc) / w[j] : 0.0;
        edge[i] = old[j] + frac * (old[j + 1] - old[j]);
    }
    edge[0] = 0.0;
    edge[nb] = 1.0;
}

void mue_vegas_refine(mue_vegas_grid *g, const mue_acc *a, double damping)
{
    if (g->nbins < 2)
        return;
    for (int d = 0; d < g->ndim; d++)
        refine_axis(g->edge[d], g->nbins, a->d[d], damping);
}

void mue_vegas_state_init(mue_vegas_state *s, int ndim, int nbins)
{
    mue_vegas_grid_init(&s->grid, ndim, nbins);
    s->iterations = 0;
}

/* Estimate and variance of one iteration from its sums: plain importance sampling,
 * or with strata Var = sum_boxes s_box^2 / (per_box * boxes^2). */
static void iteration_estimate(const mue_vegas_grid *g, const mue_acc *a, uint64_t n, double *I,
                               double *var)
{
    double mean = a->sum_f / n;
    *I = mean;
    if (g->nstrat > 1) {
        double boxes = (double)n / g->per_box;
        *var = a->var_sum / (g->per_box * boxes * boxes);
    } else
        *var = fmax((a->sum_f2 / n - mean * mean) / (n - 1.0), 0.0);
}

/* The production iterations so far, combined into r->integral, error and chi2_dof.
 * An iteration's variance is only as good as the points that passed the cuts: with
 * fewer than MUE_VEGAS_NONZERO_MIN nonzero points (a corner where the signal is rare,
 * or too few points) it says little, and an iteration with none has variance 0, which
 * inverse-variance weights would take as exact. Then every production point is pooled
 * into one plain sample, its mean and the standard error of that mean (conservative:
 * it ignores the strata), and the iterations' chi2 is taken about it. Otherwise
 * Lepage's inverse-variance average, with chi2/dof; iterations without any variance
 * there (an integrand constant where sampled) are exact. */
static void combine(mue_vegas_result *r)
{
    const int K = r->iterations;
    r->min_nonzero = K ? r->iter_nonzero[0] : 0;
    for (int k = 1; k < K; k++)
        if (r->iter_nonzero[k] < r->min_nonzero)
            r->min_nonzero = r->iter_nonzero[k];
    r->pooled = K > 0 && r->min_nonzero < MUE_VEGAS_NONZERO_MIN;
    if (r->pooled) {
        double n = 0.0, s1 = 0.0, s2 = 0.0;
        for (int k = 0; k < K; k++) {
            n += (double)r->iter_points[k];
            s1 += r->iter_sum_f[k];
            s2 += r->iter_sum_f2[k];
        }
        const double mean = s1 / n, vpoint = fmax(s2 / n - mean * mean, 0.0);
        r->integral = mean;
        r->error = sqrt(vpoint / (n - 1.0));
        double c = 0.0;
        for (int k = 0; k < K && vpoint > 0.0; k++)
            c += (r->iter_integral[k] - mean) * (r->iter_integral[k] - mean) /
                 (vpoint / (double)r->iter_points[k]);
        r->chi2_dof = K > 1 ? c / (K - 1) : 0.0;
        return;
    }
    double sw = 0.0, swI = 0.0;
    int nexact = 0;
    double exact = 0.0;
    for (int k = 0; k < K; k++) {
        double v = r->iter_error[k] * r->iter_error[k];
        if (v == 0.0) {
            nexact++;
            exact += r->iter_integral[k];
        } else {
            sw += 1.0 / v;
            swI += r->iter_integral[k] / v;
        }
    }
    if (nexact > 0) {
        r->integral = exact / nexact;
        r->error = 0.0;
        r->chi2_dof = 0.0;
        return;
    }
    r->integral = swI / sw;
    r->error = sqrt(1.0 / sw);
    double c = 0.0;
    for (int k = 0; k < K; k++)
        c += (r->iter_integral[k] - r->integral) * (r->iter_integral[k] - r->integral) /
             (r->iter_error[k] * r->iter_error[k]);
    r->chi2_dof = K > 1 ? c / (K - 1) : 0.0;
}

int mue_vegas_run(mue_vegas_state *s, mue_vegas_iteration_fn fn, void *ctx, const mue_vegas_opts *o,
                  mue_vegas_result *r)
{
    mue_vegas_grid *g = &s->grid;
    mue_acc *a = malloc(sizeof *a);
    /* histograms of each production iteration, combined at the end with the same
     * weights as the integral */
    const mue_hist_spec *hsp = o->hist;
    int nh = hsp ? hsp->nbins : 0, nq = hsp ? hsp->nobs : 0;
    int maxprod = o->iterations < MUE_VEGAS_MAXITER ? o->iterations : MUE_VEGAS_MAXITER;
    double *hs = hsp && maxprod ? calloc((size_t)maxprod * nq * nh * 2, sizeof(double)) : NULL;
    if (!a || (hsp && maxprod && !hs)) {
        free(a);
        free(hs);
        return -1;
    }
    memset(r, 0, sizeof *r);
    r->warmup = o->warmup;
    int rc = 0;
    uint64_t n = mue_vegas_stratify_points(g, o->points, !o->no_strata);
    for (int it = 0; it < o->warmup + maxprod; it++) {
        int warm = it < o->warmup;
        mue_acc_clear(a, g, warm ? NULL : hsp);
        rc = fn(ctx, g, s->iterations, n, warm ? NULL : hsp, a);
        if (rc)
            break;
        s->iterations++;
        r->points += n;
        r->n_bad += a->n_bad;
        double I, var;
        iteration_estimate(g, a, n, &I, &var);
        if (!warm) {
            int k = r->iterations++;
            r->iter_integral[k] = I;
            r->iter_error[k] = sqrt(var);
            r->iter_points[k] = n;
            r->iter_nonzero[k] = a->n_nonzero;
            r->iter_sum_f[k] = a->sum_f;
            r->iter_sum_f2[k] = a->sum_f2;
            r->n_nonzero += a->n_nonzero;
            for (int q = 0; q < nq; q++)
                for (int b = 0; b < nh; b++) {
                    double m = a->h[q][b] / n;
                    double vb = fmax((a->h2[q][b] / n - m * m) / (n - 1.0), 0.0);
                    hs[((size_t)(k * nq + q) * nh + b) * 2] = m;
                    hs[((size_t)(k * nq + q) * nh + b) * 2 + 1] = vb;
                }
            combine(r);
        }
        if (o->progress)
            o->progress(o->pctx, it, warm, warm ? I : r->integral, warm ? sqrt(var) : r->error,
                        warm ? 0.0 : r->chi2_dof);
        mue_vegas_refine(g, a, o->damping);
        if (!warm && r->iterations >= 2 && o->rel_error > 0.0 &&
            r->error <= o->rel_error * fabs(r->integral))
            break;
    }
    if (!rc && nh && r->iterations) {
        /* the weights of combine(): each iteration's points when pooled; else 1/var_k
         * normalised, or equal for exact iterations */
        double wk[MUE_VEGAS_MAXITER], sw = 0.0;
        int exact = 0;
        for (int k = 0; k < r->iterations; k++)
            exact |= r->iter_error[k] == 0.0;
        for (int k = 0; k < r->iterations; k++) {
            double v = r->iter_error[k] * r->iter_error[k];
            wk[k] = r->pooled ? (double)r->iter_points[k] : exact ? (v == 0.0) : 1.0 / v;
            sw += wk[k];
        }
        for (int q = 0; q < nq; q++)
            for (int b = 0; b < nh; b++) {
                double m = 0.0, v = 0.0;
                for (int k = 0; k < r->iterations; k++) {
                    const double *e = &hs[((size_t)(k * nq + q) * nh + b) * 2];
                    double l = wk[k] / sw;
                    m += l * e[0];
                    v += l * l * e[1];
                }
                r->hist[q][b] = m;
                r->hist_err[q][b] = sqrt(v);
            }
    }
    free(a);
    free(hs);
    return rc;
}
