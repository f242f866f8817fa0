/* The VEGAS grid as the integrand sees it: a piecewise-linear map of each axis of the
 * unit hypercube onto itself (Lepage 1978). Refinement lives in host/vegas.c. */
#ifndef MUE_VEGAS_MAP_H
#define MUE_VEGAS_MAP_H

#include <stdint.h>

#include "mue/defs.h"

#define MUE_VEGAS_MAXDIM 8
#define MUE_VEGAS_MAXBINS 256
/* VEGAS+ boxes at most: their host arrays (counts, variances) stay below 30 MB */
#define MUE_VEGAS_MAXBOXES (1u << 20)

/* The sampling layout of one iteration: Lepage's stratification of the unit cube
 * into nstrat^ndim equal boxes (boxes counted with axis 0 fastest; nstrat = 1: plain
 * importance sampling, one box), the points of each box, and the adaptive map of each
 * axis. The points of a box are consecutive: box h holds points box_first(h) ..
 * box_first(h + 1) - 1, per_box each (classic VEGAS, offset null), or as the prefix
 * sums offset[0 .. nboxes] say (VEGAS+, Lepage 2021: counts that follow the boxes'
 * errors). box_var (may be null) is where an iteration writes each box's sample
 * variance of F (mue_vegas_box_term), which the next allocation reads. The pointers
 * belong to the host's state; a GPU backend hands its kernels device copies. */
typedef struct {
    int ndim, nbins;
    uint32_t nstrat;  /* boxes per axis */
    uint32_t per_box; /* points per box, when nstrat > 1 and offset is null */
    uint64_t nboxes;  /* nstrat^ndim */
    const uint64_t *offset; /* nboxes + 1 prefix sums of the box counts, or null */
    double *box_var;        /* out, per box (null: not wanted) */
    double edge[MUE_VEGAS_MAXDIM][MUE_VEGAS_MAXBINS + 1];
} mue_vegas_grid;

/* The functions taking nd run over axes 0 .. nd-1, nd = g->ndim: a caller that knows
 * the dimension at compile time (a CUDA kernel made for one process) passes it, so
 * that the loops unroll and the per-axis arrays stay in registers. */

/* First point of box h (h = nboxes: the number of points). */
MUE_FN uint64_t mue_vegas_box_first(const mue_vegas_grid *g, uint64_t h)
{
    return g->offset ? g->offset[h] : h * g->per_box;
}

/* The box holding point i, among boxes lo .. hi-1 (those must hold it). */
MUE_FN uint64_t mue_vegas_box_of(const mue_vegas_grid *g, uint64_t i, uint64_t lo, uint64_t hi)
{
    if (!g->offset)
        return i / g->per_box;
    while (hi - lo > 1) { /* offset[lo] <= i < offset[hi] */
        uint64_t mid = lo + (hi - lo) / 2;
        if (g->offset[mid] <= i)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* What F, the weight a point of box h adds to every sum, is in units of f = w * jac:
 * F = f * N / (nboxes n_h), so that sum F / N is the stratified estimate sum_h V_h
 * <f>_h. 1 exactly when every box holds N / nboxes points. */
MUE_FN double mue_vegas_box_scale(uint64_t npoints, uint64_t nboxes, uint64_t n_h)
{
    return (double)npoints / ((double)nboxes * (double)n_h);
}

/* A box's term of the iteration's variance from the sums s1 = sum F and s2 = sum F^2
 * of its n points: n times their sample variance (the variance of the estimate is
 * sum_h n_h var_h(F) / N^2). Below 10 eps s2 the difference s2 - s1^2/n is rounding,
 * not variance: that floor is taken instead (Lepage's guard; never 0 for a box that
 * saw a nonzero weight). Its sample variance goes to *var. */
MUE_FN double mue_vegas_box_term(double s1, double s2, double n, double *var)
{
    double t = s2 - s1 * s1 / n, floor = 10.0 * 2.220446049250313e-16 * s2;
    if (!(t >= floor))
        t = floor;
    *var = t / (n - 1.0);
    return n * *var;
}

/* Box coordinates of box h (axis 0 fastest). In 32 bits where h fits: a 64-bit
 * division costs about twice as much on a CPU and is a software routine on a GPU. */
MUE_FN void mue_vegas_box_coords_nd(const mue_vegas_grid *g, int nd, uint64_t h, uint32_t *c)
{
    if (h <= 0xffffffffu) {
        uint32_t h32 = (uint32_t)h;
        for (int d = 0; d < nd; d++) {
            c[d] = h32 % g->nstrat;
            h32 /= g->nstrat;
        }
        return;
    }
    for (int d = 0; d < nd; d++) {
        c[d] = (uint32_t)(h % g->nstrat);
        h /= g->nstrat;
    }
}

/* The coordinates of box h + 1 from those of h: an odometer, no division. */
MUE_FN void mue_vegas_box_next_nd(const mue_vegas_grid *g, int nd, uint32_t *c)
{
    for (int d = 0; d < nd; d++) {
        if (++c[d] < g->nstrat)
            return;
        c[d] = 0;
    }
}

/* Moves the uniforms of a point into box c: u_d -> (c_d + u_d) / nstrat. */
MUE_FN void mue_vegas_stratify_box_nd(const mue_vegas_grid *g, int nd, const uint32_t *c, double *u)
{
    for (int d = 0; d < nd; d++)
        u[d] = (c[d] + u[d]) / g->nstrat;
}

MUE_FN void mue_vegas_stratify_box(const mue_vegas_grid *g, const uint32_t *c, double *u)
{
    mue_vegas_stratify_box_nd(g, g->ndim, c, u);
}

/* Both, for a point of box h; loops over consecutive points call the coordinates
 * once a box. */
MUE_FN void mue_vegas_stratify_in_nd(const mue_vegas_grid *g, int nd, uint64_t h, double *u)
{
    if (g->nstrat <= 1)
        return;
    uint32_t c[MUE_VEGAS_MAXDIM];
    mue_vegas_box_coords_nd(g, nd, h, c);
    mue_vegas_stratify_box_nd(g, nd, c, u);
}

/* The same for point i of the iteration (its box found among all). */
MUE_FN void mue_vegas_stratify_point(const mue_vegas_grid *g, uint64_t i, double *u)
{
    if (g->nstrat > 1)
        mue_vegas_stratify_in_nd(g, g->ndim, mue_vegas_box_of(g, i, 0, g->nboxes), u);
}

/* u -> x through the grid; returns the Jacobian, writes the bin of each axis. */
MUE_FN double mue_vegas_map_nd(const mue_vegas_grid *g, int nd, const double *u, double *x, int *bin)
{
    double jac = 1.0;
    for (int d = 0; d < nd; d++) {
        double y = u[d] * g->nbins;
        int i = (int)y;
        if (i >= g->nbins) /* u = 1 exactly (cuRAND's range includes it) */
            i = g->nbins - 1;
        double lo = g->edge[d][i], w = g->edge[d][i + 1] - lo;
        x[d] = lo + (y - i) * w;
        jac *= g->nbins * w;
        bin[d] = i;
    }
    return jac;
}

MUE_FN double mue_vegas_map(const mue_vegas_grid *g, const double *u, double *x, int *bin)
{
    return mue_vegas_map_nd(g, g->ndim, u, x, bin);
}

#endif
