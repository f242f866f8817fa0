/* The physics integrand of mue as a shared library with a batch entry point, so that
 * a peer integrator (Lepage's vegas, from Python through ctypes: tools/bench_peer.py)
 * integrates the same compiled code, with the same compiler flags, as mue does. The
 * integrand is mue_integrand over the unit cube: the process's phase-space maps,
 * cuts and |M|^2; each tool puts its own adaptive map on top. */
#include <stdlib.h>

#include "mue/process.h"

/* A setup for process (0 elastic, 1 zprime, 2 mueg, as mue_process_id) at the given model
 * point and cuts (cuts = 0: none); NULL if the process refuses them. */
void *mue_peer_setup(int process, double mass, double coupling, int cuts, double theta_mu_min,
                     double ee_min, double ee_max)
{
    mue_params p = mue_params_default();
    p.input[MUE_ZPRIME_MASS] = mass;
    p.input[MUE_ZPRIME_COUPLING] = coupling;
    p.cuts.enabled = cuts;
    p.cuts.theta_mu_min = theta_mu_min;
    p.cuts.ee_min = ee_min;
    p.cuts.ee_max = ee_max;
    mue_setup *S = malloc(sizeof *S);
    const char *why;
    if (!S || !mue_setup_make((mue_process_id)process, &p, S, &why)) {
        free(S);
        return NULL;
    }
    return S;
}

int mue_peer_ndim(const void *setup) { return ((const mue_setup *)setup)->ndim; }

/* f[k] = the integrand at x[k * ndim .. k * ndim + ndim - 1], k < n. */
void mue_peer_batch(const void *setup, const double *x, double *f, long n)
{
    const mue_setup *S = setup;
    for (long k = 0; k < n; k++)
        f[k] = mue_integrand(S, x + k * S->ndim, NULL);
}

void mue_peer_free(void *setup) { free(setup); }
