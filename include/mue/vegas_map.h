/* The VEGAS grid as the integrand sees it: a piecewise-linear map of each axis of the
 * unit hypercube onto itself (Lepage 1978). Refinement lives in host/vegas.c. */
#ifndef MUE_VEGAS_MAP_H
#define MUE_VEGAS_MAP_H

#include "mue/defs.h"

#define MUE_VEGAS_MAXDIM 8
#define MUE_VEGAS_MAXBINS 256

typedef struct {
    int ndim, nbins;
    double edge[MUE_VEGAS_MAXDIM][MUE_VEGAS_MAXBINS + 1];
} mue_vegas_grid;

/* u -> x through the grid; returns the Jacobian, writes the bin of each axis. */
MUE_FN double mue_vegas_map(const mue_vegas_grid *g, const double *u, double *x, int *bin)
{
    double jac = 1.0;
    for (int d = 0; d < g->ndim; d++) {
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

#endif
