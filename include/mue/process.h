/* Processes are units chosen by name; this is the one switch that dispatches to them.
 * A new process adds an enum value, a unit header and a case in each function. */
#ifndef MUE_PROCESS_H
#define MUE_PROCESS_H

#include "mue/elastic.h"
#include "mue/observables.h"
#include "mue/zprime.h"

typedef enum { MUE_PROC_ELASTIC = 0, MUE_PROC_ZPRIME = 1, MUE_NPROC } mue_process_id;

#define MUE_MAX_DIM 8

/* Everything one integrand evaluation needs, by value: no globals, device-copyable. */
typedef struct {
    mue_process_id id;
    int ndim;
    mue_params par;
    mue_collision col;
    mue_selection sel;
    union {
        mue_elastic_unit elastic;
        mue_zprime_unit zprime;
    } u;
} mue_setup;

/* Integration variables of a process (0: unknown). */
MUE_FN int mue_process_ndim(mue_process_id id)
{
    return id == MUE_PROC_ELASTIC ? MUE_ELASTIC_NDIM : id == MUE_PROC_ZPRIME ? MUE_ZPRIME_NDIM : 0;
}

/* Returns 1 on success; 0 with *why set if the process cannot be integrated as asked. */
MUE_FN int mue_setup_make(mue_process_id id, const mue_params *p, mue_setup *S, const char **why)
{
    S->id = id;
    S->par = *p;
    S->col = mue_collision_make(p->e_beam, p->m_mu, p->m_e);
    S->sel = mue_selection_make(&p->cuts);
    *why = 0;
    switch (id) {
    case MUE_PROC_ELASTIC:
        S->ndim = mue_process_ndim(id);
        return mue_elastic_prepare(p, &S->col, &S->u.elastic, why);
    case MUE_PROC_ZPRIME:
        S->ndim = mue_process_ndim(id);
        mue_zprime_prepare(p, &S->col, &S->u.zprime);
        return 1;
    default:
        *why = "unknown process";
        return 0;
    }
}

/* What a process's |M|^2 needs from its phase-space map besides the event. */
typedef union {
    double elastic_t;
    mue_zprime_inv zprime;
} mue_process_inv;

/* The functions below take the process id apart from S (always S->id): a caller that
 * knows it at compile time, as a CUDA kernel made for one process, lets the compiler
 * drop the other processes and keep the event in registers. */

/* dPhi/dx of the point x in (0,1)^ndim (0 outside), its event and invariants. */
MUE_FN double mue_process_phase_space(mue_process_id id, const mue_setup *S, const double *x,
                                      mue_event *ev, mue_process_inv *inv)
{
    switch (id) {
    case MUE_PROC_ELASTIC:
        return mue_elastic_phase_space(&S->par, &S->col, &S->u.elastic, x, ev, &inv->elastic_t);
    case MUE_PROC_ZPRIME:
        return mue_zprime_phase_space(&S->par, &S->col, &S->u.zprime, x, ev, &inv->zprime);
    default:
        return 0.0;
    }
}

/* Weight in fb per unit phase space (flux x |M|^2) at the invariants of a point. */
MUE_FN double mue_process_weight(mue_process_id id, const mue_setup *S, const mue_process_inv *inv)
{
    switch (id) {
    case MUE_PROC_ELASTIC:
        return mue_elastic_weight(&S->par, &S->col, inv->elastic_t);
    case MUE_PROC_ZPRIME:
        return mue_zprime_weight(&S->par, &S->u.zprime, &inv->zprime);
    default:
        return 0.0;
    }
}

/* Weight (fb) of the point x in (0,1)^ndim, the event it maps to, before cuts. */
MUE_FN double mue_process_point(const mue_setup *S, const double *x, mue_event *ev)
{
    mue_process_inv inv = {0.0};
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
/* Weight after cuts; the lab observables of the event go to *o when o is not null
 * (only histogrammed iterations need them). */
MUE_FN double mue_process_integrand(mue_process_id id, const mue_setup *S, const double *x,
                                    mue_obs *o)
{
    mue_event ev;
    mue_process_inv inv = {0.0};
    ev.n = 0;
    /* mue_process_point with the cuts before |M|^2: on a flat grid about half of the
     * signal points fail cut (i) */
    double dphi = mue_process_phase_space(id, S, x, &ev, &inv);
    if (dphi == 0.0 || !mue_selection_pass(&S->sel, &S->col, &ev))
        return 0.0;
    double w = mue_process_weight(id, S, &inv) * dphi;
    if (w == 0.0)
        return 0.0;
    if (o)
        *o = mue_observables(&S->col, &ev);
    return w;
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

MUE_FN double mue_integrand(const mue_setup *S, const double *x, mue_obs *o)
{
    return mue_process_integrand(S->id, S, x, o);
}

#endif
