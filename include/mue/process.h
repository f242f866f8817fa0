/* The dispatch to the processes of the table (processes.h): the setup one integration
 * needs, and the phase space, weight and integrand of a point. Nothing here names a
 * process; each switch is generated from the table. */
#ifndef MUE_PROCESS_H
#define MUE_PROCESS_H

#include "mue/detector_select.h"
#include "mue/phase_space.h"
#include "mue/observables.h"
#include "mue/processes.h"

typedef enum {
#define MUE_ROW_(ID, name, summary) MUE_PROC_##ID,
    MUE_PROCESSES(MUE_ROW_)
#undef MUE_ROW_
        MUE_NPROC
} mue_process_id;

/* The most uniforms one point of an integration draws: its integration variables, then
 * with a detector the detector's, then with a beam model its muon's energy. */
#define MUE_POINT_NX (MUE_DET_NU + MUE_BEAM_NU)
#define MUE_POINT_MAXU (MUE_VEGAS_MAXDIM + MUE_POINT_NX)

/* How many uniforms a point draws after its integration variables (at most MUE_POINT_NX) */
MUE_FN int mue_point_extra(const mue_params *p)
{
    return (p->det.enabled ? MUE_DET_NU : 0) + (p->bm.enabled ? MUE_BEAM_NU : 0);
}

/* The first of the point's beam uniforms, after nd integration variables */
MUE_FN int mue_point_beam_draw(const mue_params *p, int nd)
{
    return nd + (p->det.enabled ? MUE_DET_NU : 0);
}

/* Everything one integrand evaluation needs, by value: no globals, device-copyable. */
typedef struct {
    mue_process_id id;
    int ndim;
    mue_params par;
    mue_cuts cuts_asked; /* the run's cuts (par.cuts bounds the generation with a detector) */
    mue_collision col;
    mue_selection sel;
    union {
#define MUE_ROW_(ID, name, summary) mue_##name##_unit name;
        MUE_PROCESSES(MUE_ROW_)
#undef MUE_ROW_
    } u;
} mue_setup;

/* What a process's |M|^2 needs from its phase-space map besides the event. */
typedef union {
#define MUE_ROW_(ID, name, summary) mue_##name##_inv name;
    MUE_PROCESSES(MUE_ROW_)
#undef MUE_ROW_
} mue_process_inv;

/* Integration variables of a process (0: unknown). */
MUE_FN int mue_process_ndim(mue_process_id id)
{
    switch (id) {
#define MUE_ROW_(ID, name, summary)                                                          \
    case MUE_PROC_##ID:                                                                            \
        return MUE_##ID##_NDIM;
        MUE_PROCESSES(MUE_ROW_)
#undef MUE_ROW_
    default:
        return 0;
    }
}

/* Returns 1 on success; 0 with *why set if the process cannot be integrated as asked. */
MUE_FN int mue_setup_make(mue_process_id id, const mue_params *p, mue_setup *S, const char **why)
{
    S->id = id;
    S->ndim = mue_process_ndim(id);
    S->par = *p;
    S->cuts_asked = p->cuts;
    S->col = mue_collision_make(p->e_beam, p->m_mu, p->m_e);
    if (p->det.enabled) {
        /* the cuts select measured quantities; the process generates inside the window
         * the smearing can bring into them (detector.h) */
        S->par.det.theta_mu_min = p->cuts.theta_mu_min;
        S->par.det.ee_min = p->cuts.ee_min;
        S->par.det.ee_max = p->cuts.ee_max;
        S->par.cuts = mue_detector_generation_cuts(&p->det, &p->cuts, p->e_beam, p->m_e);
    }
    S->sel = mue_selection_make(&S->par.cuts);
    *why = 0;
    switch (id) {
#define MUE_ROW_(ID, name, summary)                                                          \
    case MUE_PROC_##ID:                                                                            \
        return mue_##name##_prepare(&S->par, &S->col, &S->u.name, why);
        MUE_PROCESSES(MUE_ROW_)
#undef MUE_ROW_
    default:
        *why = "unknown process";
        return 0;
    }
}

/* The functions below take the process id apart from S (always S->id): a caller that
 * knows it at compile time, as a CUDA kernel made for one process, lets the compiler
 * drop the other processes and keep the event in registers. */

/* dPhi/dx of the point x in (0,1)^ndim (0 outside), its event and invariants. */
MUE_FN double mue_process_phase_space(mue_process_id id, const mue_setup *S, const double *x,
                                      mue_event *ev, mue_process_inv *inv)
{
    switch (id) {
#define MUE_ROW_(ID, name, summary)                                                          \
    case MUE_PROC_##ID:                                                                            \
        return mue_##name##_phase_space(&S->par, &S->col, &S->u.name, x, ev, &inv->name);
        MUE_PROCESSES(MUE_ROW_)
#undef MUE_ROW_
    default:
        return 0.0;
    }
}

/* Weight in fb per unit phase space (flux x |M|^2) at the invariants of a point. */
MUE_FN double mue_process_weight(mue_process_id id, const mue_setup *S, const mue_process_inv *inv)
{
    switch (id) {
#define MUE_ROW_(ID, name, summary)                                                          \
    case MUE_PROC_##ID:                                                                            \
        return mue_##name##_weight(&S->par, &S->col, &S->u.name, &inv->name);
        MUE_PROCESSES(MUE_ROW_)
#undef MUE_ROW_
    default:
        return 0.0;
    }
}

/* Weight (fb) of the point x in (0,1)^ndim, the event it maps to, before cuts. */
MUE_FN double mue_process_point(const mue_setup *S, const double *x, mue_event *ev)
{
    mue_process_inv inv = {0};
    double dphi = mue_process_phase_space(S->id, S, x, ev, &inv);
    return dphi == 0.0 ? 0.0 : mue_process_weight(S->id, S, &inv) * dphi;
}

/* The event is read only where the map returned a nonzero weight, which it gives
 * after filling the event; gcc cannot see that through the early returns of the maps.
 * Zeroing the event instead would cost the kernels registers (spills), for nothing. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
/* Weight after cuts. When ev is not null and the point passes, its event goes to *ev
 * (only histogrammed iterations ask: mue_observables turns it into their values). With
 * a detector (S->par.det.enabled) x holds MUE_DET_NU more uniforms after the ndim
 * integration variables, and the weight carries the share the detector keeps. */
MUE_FN double mue_process_integrand_fixed(mue_process_id id, const mue_setup *S, const double *x,
                                          mue_event *ev)
{
    mue_event e;
    mue_process_inv inv = {0};
    e.n = 0;
    /* mue_process_point with the cuts before |M|^2: on a flat grid about half of the
     * signal points fail cut (i) */
    double dphi = mue_process_phase_space(id, S, x, &e, &inv);
    if (dphi == 0.0)
        return 0.0;
    double keep = 1.0;
    if (S->par.det.enabled) {
        /* par.cuts then only bound the generation; the detector's uniforms follow the
         * integration variables in x (detector.h). The ECAL face is a square: the event
         * meets it at its own azimuth, one of those uniforms. */
        const double *u = x + mue_process_ndim(id);
        double c, s;
        mue_ps_azimuth_uniform(u[MUE_DET_U_AZIMUTH], &c, &s);
        mue_event_rotate_z(&e, c, s);
        keep = mue_detector_keep(&S->par.det, &S->col, &e, u);
        if (keep == 0.0)
            return 0.0;
    } else if (!mue_selection_pass(&S->sel, &S->col, &e))
        return 0.0;
    double w = mue_process_weight(id, S, &inv) * dphi;
    if (S->par.det.enabled)
        w *= keep;
    if (w == 0.0)
        return 0.0;
    if (ev)
        *ev = e;
    return w;
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

/* Weight after cuts of a point whose muon has its own energy (a beam model, beam.h):
 * the setup at that energy, built per point, with the run's cuts taken about the
 * muon's own direction; the event back in the nominal CM frame (mue_collision_p4_reframe),
 * so the observables and the event file see the lab through the nominal boost.
 * Eq. (B.2): the average over the points is the average of sigma over the beam. */
MUE_FN double mue_process_integrand_beam(mue_process_id id, const mue_setup *S, const double *x,
                                         mue_event *ev)
{
    mue_params p = S->par;
    p.cuts = S->cuts_asked;
    p.bm.enabled = 0;
    p.e_beam = mue_beam_energy(&S->par.bm, S->par.e_beam,
                               x + mue_point_beam_draw(&S->par, mue_process_ndim(id)));
    mue_setup Sb;
    const char *why;
    if (!(p.e_beam > p.m_mu) || !mue_setup_make(id, &p, &Sb, &why))
        return 0.0;
    double w = mue_process_integrand_fixed(id, &Sb, x, ev);
    if (w != 0.0 && ev)
        for (int i = 0; i < ev->n; i++)
            ev->p[i] = mue_collision_p4_reframe(&Sb.col, &S->col, ev->p[i], ev->mass[i]);
    return w;
}

/* Weight after cuts (mue_process_integrand_fixed); with a beam model (S->par.bm.enabled)
 * x holds the point's MUE_BEAM_NU beam uniforms after the detector's. */
MUE_FN double mue_process_integrand(mue_process_id id, const mue_setup *S, const double *x,
                                    mue_event *ev)
{
    if (S->par.bm.enabled)
        return mue_process_integrand_beam(id, S, x, ev);
    return mue_process_integrand_fixed(id, S, x, ev);
}

MUE_FN double mue_integrand(const mue_setup *S, const double *x, mue_event *ev)
{
    return mue_process_integrand(S->id, S, x, ev);
}

#endif
