/* One point of an event run (mue generate), written once for the CPU threads and the
 * CUDA kernels: the point's uniforms through the grid into the physics, its weight F
 * and event, and the hit-or-miss decision (docs/physics.md, section 10). The
 * accept uniform is the point's own counter-based stream (rng.h), so the same seed
 * gives the same events on any thread count or device. */
#ifndef MUE_UNWEIGHT_H
#define MUE_UNWEIGHT_H

#include <stdint.h>

#include "mue/process.h"
#include "mue/vegas_map.h"

/* What an accepted point hands back: its index in the batch, its weight and its event. */
typedef struct {
    uint64_t index;
    uint32_t iter; /* the batch's iteration number: with index, the point's stream (the host
                      sets it when the batch comes back) */
    double F;     /* fb: the batch's sum of F over its points estimates sigma (docs/physics.md Eq. 10.1) */
    mue_event ev; /* CM frame, as the process's map made it */
} mue_gen_event;

/* A point's stream: nd uniforms for the map; with a detector its MUE_DET_NU, with a beam
 * model its MUE_BEAM_NU (as an integration draws them, process.h; the event's azimuth is
 * among the detector's); without a detector the event's azimuth next; then the accept
 * uniform (number mue_gen_accept_draw), then the key that picks the last batch's events. */
MUE_FN int mue_gen_accept_draw(const mue_params *p, int nd)
{
    return nd + mue_point_extra(p) + (p->det.enabled ? 0 : 1);
}

/* F of the point with uniforms u (u[0 .. nd-1] already moved into its box, the detector's
 * after them), whose box scale is scale (mue_vegas_box_scale; 1 without VEGAS+ counts);
 * the event into *ev when F != 0. */
MUE_FN double mue_gen_point(mue_process_id id, const mue_setup *S, const mue_vegas_grid *g, int nd,
                            const double *u, double scale, mue_event *ev)
{
    double x[MUE_POINT_MAXU];
    int bin[MUE_VEGAS_MAXDIM];
    double jac = mue_vegas_map_nd(g, nd, u, x, bin);
    for (int k = nd; k < mue_gen_accept_draw(&S->par, nd); k++)
        x[k] = u[k];
    double w = mue_process_integrand(id, S, x, ev);
    if (w == 0.0)
        return 0.0;
    if (!S->par.det.enabled) {
        /* the process's map puts the electron at azimuth 0: turn the event by its own
         * uniform (with a detector the integrand has turned it, before the ECAL) */
        double c, s;
        mue_ps_azimuth_uniform(u[nd + mue_point_extra(&S->par)], &c, &s);
        mue_event_rotate_z(ev, c, s);
    }
    return w * jac * scale;
}

/* Hit or miss (docs/physics.md Eq. 10.2): a point of weight F > 0 is kept with probability
 * min(1, F / fmax), r uniform in (0, 1]; fmax <= 0 keeps every nonzero finite weight
 * (weighted events). Non-finite weights are never kept (the caller counts them). */
MUE_FN int mue_gen_accept(double F, double fmax, double r)
{
    if (!(F > 0.0) || !isfinite(F))
        return 0;
    return fmax <= 0.0 || r * fmax <= F;
}

#endif
