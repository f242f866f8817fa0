// Compiles every physics header for the device: the proof that the integrand the
// CPU runs is the one a CUDA kernel can run. Built by `make test` when nvcc exists.
#include "mue/accum.h"
#include "mue/process.h"
#include "mue/rng.h"
#include "mue/vegas_map.h"

__global__ void mue_physics_headers_check(mue_setup S, const mue_vegas_grid *g,
                                          const mue_hist_spec *hs, mue_acc *out,
                                          unsigned long long seed)
{
    double u[MUE_VEGAS_MAXDIM], x[MUE_VEGAS_MAXDIM];
    int bin[MUE_VEGAS_MAXDIM];
    mue_rng_uniforms(seed, 0, blockIdx.x * blockDim.x + threadIdx.x, S.ndim, u);
    double jac = mue_vegas_map(g, u, x, bin);
    mue_event ev;
    mue_obs o;
    double w = mue_integrand(&S, x, &ev);
    if (w != 0.0)
        mue_observables(&S.col, &ev, hs->nobs, hs->what, ~0u, &o);
    if (threadIdx.x == 0 && blockIdx.x == 0)
        mue_acc_point(out, S.ndim, bin, w * jac, &o, hs);
}
