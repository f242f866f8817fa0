/* The VEGAS grid as the integrand sees it: a piecewise-linear map of each axis of the
 * unit hypercube onto itself (Lepage 1978). Refinement lives in host/vegas.c. */
#ifndef MUE_VEGAS_MAP_H
#define MUE_VEGAS_MAP_H

#include <stdint.h>

#include "mue/defs.h"

#define MUE_VEGAS_MAXDIM 8
#define MUE_VEGAS_MAXBINS 256

/* The sampling layout of one iteration: Lepage's stratification of the unit cube
 * into nstrat^ndim equal boxes with per_box consecutive points each (nstrat = 1:
 * plain importance sampling, one box), and the adaptive map of each axis. */
typedef struct {
    int ndim, nbins;
    uint32_t nstrat;  /* boxes per axis */
    uint32_t per_box; /* points per box, when nstrat > 1 */
    double edge[MUE_VEGAS_MAXDIM][MUE_VEGAS_MAXBINS + 1];
} mue_vegas_grid;

/* The functions taking nd run over axes 0 .. nd-1, nd = g->ndim: a caller that knows
 * the dimension at compile time (a CUDA kernel made for one process) passes it, so
 * that the loops unroll and the per-axis arrays stay in registers. */

/* Box coordinates of point i (its box is i / per_box, counted with axis 0 fastest). */
MUE_FN void mue_vegas_box_nd(const mue_vegas_grid *g, int nd, uint64_t i, uint32_t *c)
{
    uint64_t box = i / g->per_box;
    for (int d = 0; d < nd; d++) {
        c[d] = (uint32_t)(box % g->nstrat);
        box /= g->nstrat;
    }
}

MUE_FN void mue_vegas_box(const mue_vegas_grid *g, uint64_t i, uint32_t *c)
{
    mue_vegas_box_nd(g, g->ndim, i, c);
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

/* Both for point i; loops over consecutive points can call mue_vegas_box once a box. */
MUE_FN void mue_vegas_stratify_nd(const mue_vegas_grid *g, int nd, uint64_t i, double *u)
{
    if (g->nstrat <= 1)
        return;
    uint32_t c[MUE_VEGAS_MAXDIM];
    mue_vegas_box_nd(g, nd, i, c);
    mue_vegas_stratify_box_nd(g, nd, c, u);
}

MUE_FN void mue_vegas_stratify(const mue_vegas_grid *g, uint64_t i, double *u)
{
    mue_vegas_stratify_nd(g, g->ndim, i, u);
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
