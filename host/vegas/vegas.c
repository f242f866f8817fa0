#include "vegas/vegas.h"

#include "vegas/schedule.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_sf_gamma.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Boxes per axis, lowered to a multiple of the grid's bins where there are more boxes
 * than bins (as Lepage's vegas does): every box then lies inside one bin, where the
 * map's Jacobian is constant. A box across a bin edge would hold a step in f * jac,
 * whose variance two points measure as 0 or as far too much, and the error of a
 * smooth low-dimensional integrand would be all such boxes (measured: the elastic
 * process with 64 bins gave pulls up to 4 and iteration errors that differed 3-fold). */
static uint64_t align_strata(uint64_t ns, int nbins)
{
    return ns >= (uint64_t)nbins ? ns - ns % (uint64_t)nbins : ns;
}

/* Boxes per axis for npoints points: as many as leave per_box points in each on
 * average, and at most max_boxes boxes in all, aligned with the bins. */
static uint64_t strata_per_axis(const mue_vegas_grid *g, uint64_t npoints, double per_box,
                                double max_boxes)
{
    double target = floor(pow(npoints / per_box, 1.0 / g->ndim));
    uint64_t ns = target > 1.0 ? (uint64_t)target : 1;
    while (ns > 1 && (pow((double)ns, g->ndim) * per_box > (double)npoints ||
                      pow((double)ns, g->ndim) > max_boxes))
        ns--;
    return align_strata(ns, g->nbins);
}

uint64_t mue_vegas_stratify_points(mue_vegas_grid *g, uint64_t npoints, int stratify)
{
    g->nstrat = 1;
    g->per_box = 0;
    g->nboxes = 1;
    g->offset = NULL;
    g->box_var = NULL;
    if (!stratify || npoints < 4)
        return npoints;
    /* as many boxes as leaves two points in each (a variance needs two) */
    uint64_t ns = strata_per_axis(g, npoints, 2.0, HUGE_VAL);
    if (ns < 2 || ns > UINT32_MAX)
        return npoints;
    uint64_t boxes = 1;
    for (int d = 0; d < g->ndim; d++)
        boxes *= ns;
    g->nstrat = (uint32_t)ns;
    g->nboxes = boxes;
    g->per_box = (uint32_t)(npoints / boxes);
    return boxes * g->per_box;
}

int mue_vegas_state_reserve(mue_vegas_state *s, uint64_t n)
{
    if (n <= s->cap)
        return 0;
    double *sigf = realloc(s->sigf, n * sizeof *sigf);
    if (sigf)
        s->sigf = sigf;
    double *var = realloc(s->box_var, n * sizeof *var);
    if (var)
        s->box_var = var;
    uint64_t *off = realloc(s->offset, (n + 1) * sizeof *off);
    if (off)
        s->offset = off;
    if (!sigf || !var || !off)
        return -1;
    s->cap = n;
    return 0;
}

/* The last iteration's sigf carried onto ns boxes per axis from its own ns0 (derived
 * from nsigf): each new box takes the value of the old box that holds its centre.
 * sigma_h scales with the box's volume, the same factor for every box, which the
 * allocation (shares of the sum) does not see. Without it, every change of the points
 * per iteration (the automatic schedule changes them every time) would start the
 * VEGAS+ allocation afresh, and the iteration would sample as classic VEGAS does
 * (measured on the Z' at 100 MeV: 0.36 points per unit error against 0.22).
 * Returns 0, or -1 when there is nothing to carry or no memory. */
static int carry_boxes(mue_vegas_state *s, uint64_t ns, uint64_t nb)
{
    const int ndim = s->grid.ndim;
    if (s->nsigf < 2 || ndim < 1)
        return -1;
    uint64_t ns0 = (uint64_t)llround(pow((double)s->nsigf, 1.0 / ndim)), n0 = 1;
    for (int d = 0; d < ndim; d++)
        n0 *= ns0;
    if (n0 != s->nsigf || ns0 < 2)
        return -1;
    double *old = malloc(n0 * sizeof *old);
    if (!old)
        return -1;
    memcpy(old, s->sigf, n0 * sizeof *old);
    uint64_t c[MUE_VEGAS_MAXDIM] = {0};
    for (uint64_t h = 0; h < nb; h++) {
        uint64_t j = 0;
        for (int d = ndim - 1; d >= 0; d--) /* axis 0 fastest, as vegas_map.h counts */
            j = j * ns0 + (2 * c[d] + 1) * ns0 / (2 * ns);
        s->sigf[h] = old[j];
        for (int d = 0; d < ndim && ++c[d] == ns; d++)
            c[d] = 0;
    }
    free(old);
    s->nsigf = nb;
    return 0;
}

uint64_t mue_vegas_layout(mue_vegas_state *s, uint64_t npoints, int stratify, double beta)
{
    mue_vegas_grid *g = &s->grid;
    if (!(beta > 0.0) || !stratify)
        return mue_vegas_stratify_points(g, npoints, stratify);
    /* VEGAS+ (Lepage, J. Comput. Phys. 439 (2021) 110386): about npoints/4 boxes, so
     * that half the points can follow the boxes' errors while every box keeps two */
    uint64_t ns = strata_per_axis(g, npoints, 4.0, MUE_VEGAS_MAXBOXES);
    if (ns < 2)
        return mue_vegas_stratify_points(g, npoints, stratify);
    uint64_t nb = 1;
    for (int d = 0; d < g->ndim; d++)
        nb *= ns;
    if (mue_vegas_state_reserve(s, nb))
        return 0;
    g->nstrat = (uint32_t)ns;
    g->nboxes = nb;
    g->per_box = 0;
    /* each box gets nmin, and the rest of the points in proportion to sigf; the first
     * iteration (or one after the boxes changed) spreads them evenly */
    double sum = 0.0;
    if (s->nsigf != nb && s->nsigf > 0 && s->beta_sigf == beta && carry_boxes(s, ns, nb))
        s->nsigf = 0;
    int adapt = s->nsigf == nb && s->beta_sigf == beta;
    if (adapt)
        for (uint64_t h = 0; h < nb; h++)
            sum += s->sigf[h];
    adapt = adapt && isfinite(sum); /* measure_boxes keeps each finite; a sum may not be */
    const uint64_t nmin = adapt && sum > 0.0 ? (npoints / 2 / nb > 2 ? npoints / 2 / nb : 2)
                                             : npoints / nb;
    const double rest = (double)(npoints - nmin * nb);
    s->offset[0] = 0;
    for (uint64_t h = 0; h < nb; h++) {
        uint64_t n = nmin;
        if (adapt && sum > 0.0)
            n += (uint64_t)floor(rest * (s->sigf[h] / sum));
        s->offset[h + 1] = s->offset[h] + n;
    }
    g->offset = s->offset;
    g->box_var = s->box_var;
    return s->offset[nb];
}

void mue_vegas_measure_boxes(mue_vegas_state *s, double beta)
{
    const mue_vegas_grid *g = &s->grid;
    if (!g->offset || !g->box_var)
        return;
    const uint64_t nb = g->nboxes;
    const double N = (double)g->offset[nb];
    /* sigma_h^2 = V_h^2 var_h(f) = var_h(F) (n_h/N)^2, F = f N/(nboxes n_h). One thread:
     * about 4 % of a run's time, and a parallel loop here would have to repeat the
     * backend's cap on OMP_NUM_THREADS (libgomp crashes when asked for 100000). */
    for (uint64_t h = 0; h < nb; h++) {
        const double r = (double)(g->offset[h + 1] - g->offset[h]) / N;
        const double s2 = g->box_var[h] * r * r;
        /* a box whose weights overflowed says nothing usable: no extra points */
        s->sigf[h] = s2 > 0.0 && isfinite(s2) ? pow(s2, 0.5 * beta) : 0.0;
    }
    s->nsigf = nb;
    s->beta_sigf = beta;
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
    memset(s, 0, sizeof *s);
    mue_vegas_grid_init(&s->grid, ndim, nbins);
}

void mue_vegas_state_free(mue_vegas_state *s)
{
    free(s->sigf);
    free(s->offset);
    free(s->box_var);
    s->sigf = s->box_var = NULL;
    s->offset = NULL;
    s->cap = s->nsigf = 0;
    s->grid.offset = NULL;
    s->grid.box_var = NULL;
}

/* Estimate and variance of one iteration from its sums: plain importance sampling,
 * or with strata Var = sum_h n_h var_h(F) / N^2 (mue_vegas_box_term). */
static void iteration_estimate(const mue_vegas_grid *g, const mue_acc *a, uint64_t n, double *I,
                               double *var)
{
    double mean = a->sum_f / n;
    *I = mean;
    if (g->nstrat > 1)
        *var = a->var_sum / ((double)n * (double)n);
    else
        *var = fmax((a->sum_f2 / n - mean * mean) / (n - 1.0), 0.0);
}

/* Q, the probability that K estimates of one value scatter at least as much as they
 * did: chi2 distribution with K - 1 degrees of freedom (1 for a single estimate). */
static double chi2_q(double chi2_dof, int K)
{
    if (K < 2)
        return 1.0;
    gsl_sf_result q;
    gsl_error_handler_t *old = gsl_set_error_handler_off();
    int rc = gsl_sf_gamma_inc_Q_e(0.5 * (K - 1), 0.5 * chi2_dof * (K - 1), &q);
    gsl_set_error_handler(old);
    return rc == GSL_SUCCESS ? q.val : 0.0;
}

/* The production iterations so far, combined into r->integral, error and chi2_dof.
 * An iteration's variance is only as good as the points that passed the cuts: with
 * fewer than MUE_VEGAS_NONZERO_MIN nonzero points (a corner where the signal is rare,
 * or too few points) it says little, and an iteration with none has variance 0, which
 * inverse-variance weights would take as exact. Then every production point is pooled
 * into one plain sample, its mean and the standard error of that mean (conservative:
 * it ignores the strata), and the iterations' chi2 is taken about it. Otherwise the
 * iterations' average weighted by their points (the same mean), with the error
 * their errors give, and chi2/dof. */
void mue_vegas_combine(mue_vegas_result *r)
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
        r->q = chi2_q(r->chi2_dof, K);
        return;
    }
    /* weights by points, not by each iteration's own variance: an iteration that
     * missed the rare large weights of a peaked integrand has both a low estimate and
     * a small error, so inverse-variance weights pull the average down. Measured on
     * zprime at 1 MeV, 40 seeds of 5 x 1e5 points against a 1.4e8-point run: mean pull
     * -0.80 +- 0.17 (classic) and -0.11 +- 0.13 (VEGAS+) with inverse-variance weights,
     * -0.25 +- 0.16 and 0.01 +- 0.13 with these. */
    double n = 0.0, sI = 0.0, sv = 0.0;
    for (int k = 0; k < K; k++) {
        const double nk = (double)r->iter_points[k];
        n += nk;
        sI += nk * r->iter_integral[k];
        sv += nk * nk * r->iter_error[k] * r->iter_error[k];
    }
    r->integral = sI / n;
    r->error = sqrt(sv) / n;
    double c = 0.0;
    for (int k = 0; k < K; k++)
        if (r->iter_error[k] > 0.0)
            c += (r->iter_integral[k] - r->integral) * (r->iter_integral[k] - r->integral) /
                 (r->iter_error[k] * r->iter_error[k]);
    r->chi2_dof = K > 1 ? c / (K - 1) : 0.0;
    r->q = chi2_q(r->chi2_dof, K);
}

/* A production iteration k into r (its estimate, counts and sums) and its histograms'
 * means and variances into hs[k] ([nobs][nbins][2]). */
static void record_iteration(mue_vegas_result *r, const mue_acc *a, uint64_t n, double I, double var,
                             double *hs, int nq, int nh)
{
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
}

/* The production iterations' histograms combined with the weights of mue_vegas_combine(): each
 * iteration's points. */
static void combine_histograms(mue_vegas_result *r, const double *hs, int nq, int nh)
{
    double wk[MUE_VEGAS_MAXITER], sw = 0.0;
    for (int k = 0; k < r->iterations; k++) {
        wk[k] = (double)r->iter_points[k];
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
    int rc = 0, it0 = 0;
    if (o->resume) {
        *r = *o->resume->r;
        it0 = o->resume->next;
        if (hs && r->iterations)
            memcpy(hs, o->resume->hist, sizeof(double) * r->iterations * nq * nh * 2);
    }
    mue_schedule sch;
    if (o->autoschedule) {
        mue_schedule_init(&sch, o->rel_error, o->auto_floor, o->auto_cap, o->warmup);
        r->warmup = 0;
    }
    for (int it = it0;; it++) {
        int warm = o->autoschedule ? sch.training : it < o->warmup;
        if (o->autoschedule ? !warm && r->iterations >= maxprod : it >= o->warmup + maxprod)
            break;
        /* VEGAS+ moves points between the boxes every iteration */
        uint64_t n = mue_vegas_layout(s, o->autoschedule ? sch.next : o->points, !o->no_strata, o->beta);
        if (n == 0) {
            rc = -1;
            break;
        }
        mue_acc_clear(a, g, warm ? NULL : hsp);
        if ((rc = fn(ctx, g, s->iterations, n, warm ? NULL : hsp, a)))
            break;
        if (g->offset)
            mue_vegas_measure_boxes(s, o->beta);
        s->iterations++;
        r->points += n;
        r->n_bad += a->n_bad;
        double I, var;
        iteration_estimate(g, a, n, &I, &var);
        if (!warm) {
            record_iteration(r, a, n, I, var, hs, nq, nh);
            mue_vegas_combine(r);
        }
        if (o->autoschedule && warm) {
            r->warmup++;
            mue_schedule_trained(&sch, n, I, var, a->n_nonzero >= MUE_VEGAS_NONZERO_MIN);
        } else if (o->autoschedule) {
            uint64_t N = 0;
            for (int k = 0; k < r->iterations; k++)
                N += r->iter_points[k];
            mue_schedule_produced(&sch, n, I, sqrt(var), r->integral, r->error, N);
        }
        if (o->progress)
            o->progress(o->pctx, it, warm, n, warm ? I : r->integral, warm ? sqrt(var) : r->error,
                        warm ? 0.0 : r->chi2_dof);
        mue_vegas_refine(g, a, o->damping);
        int stop = !warm && r->iterations >= 2 && o->rel_error > 0.0 &&
                   r->error <= o->rel_error * fabs(r->integral);
        if (o->checkpoint) {
            mue_vegas_progress p = {stop ? o->warmup + maxprod : it + 1, r, hs};
            if ((rc = o->checkpoint(o->cctx, s, &p)))
                break;
        }
        if (stop)
            break;
        if (o->cancel && *o->cancel) {
            rc = MUE_VEGAS_CANCELLED;
            break;
        }
    }
    if (!rc && nh && r->iterations)
        combine_histograms(r, hs, nq, nh);
    free(a);
    free(hs);
    return rc;
}
