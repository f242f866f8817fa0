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
    const uint64_t i = blockIdx.x * blockDim.x + threadIdx.x;
    mue_rng_uniforms(seed, 0, i, S.ndim, u);
    mue_vegas_stratify_point(g, i, u);
    double jac = mue_vegas_map(g, u, x, bin);
    mue_event ev;
    mue_obs o;
    double w = mue_integrand(&S, x, &ev);
    if (w != 0.0)
        mue_observables(&S.col, &ev, hs->nobs, hs->what, ~0u, &o);
    if (threadIdx.x == 0 && blockIdx.x == 0)
    {
        const double f = w * jac, F = f * mue_vegas_box_scale(2, 1, 2);
        double var;
        out->var_sum += mue_vegas_box_term(F, F * F, 2.0, &var);
        mue_acc_point(out, S.ndim, bin, F, F * f, &o, hs);
    }
}
