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

// The amplitude layer (complex numbers, spinors, polarisations, vertices, propagators)
// through a process written with it: every function of the layer is called here.
#include "mue/amplitudes.h"
#include "mue/mueg_amp.h"

__global__ void mue_amplitudes_check(const mue_p4 *p, double *out)
{
    mue_mueg_kin K = mue_mueg_kin_make(p[0], p[1], p[2], p[3], p[4], MUE_M_MU, MUE_M_E);
    double a, b;
    out[0] = mue_mueg_msq(&K, MUE_M_MU, MUE_M_E, MUE_ALPHA0) + mue_mueg_msq_sum(&K, MUE_M_MU, MUE_M_E, 1, &a, &b);
    mue_spinor v = mue_spinor_v(p[0], MUE_M_MU, 1), vb = mue_spinor_vbar(p[1], MUE_M_E, -1);
    mue_cvec z = mue_polarisation(p[4], 0.09, 0);
    mue_ffv_cpl g = mue_ffv_cpl_va(0.3, 0.1);
    mue_cvec w = mue_amp_ffv_to_v(&vb, &v, g, p[4], 80.4, 2.1, mue_amp_den(p[4], 80.4));
    mue_cx c = mue_cx_div(mue_amp_ffv(&vb, &v, &z, g), mue_cvec_dot(&w, &z));
    mue_cvec t = mue_amp_vv_to_v(&w, p[0], &z, p[1], -0.3, 80.4, 2.1, mue_amp_den(mue_p4_add(p[0], p[1]), 80.4));
    mue_cx d = mue_amp_vvv(&t, p[2], &w, p[3], &z, p[4], 0.5);
    out[1] = c.re + d.im + out[0] * a * b;
}
