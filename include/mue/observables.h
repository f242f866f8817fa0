/* Lab-frame observables and the selection of physics.md: the only place the CM
 * events meet the lab. */
#ifndef MUE_OBSERVABLES_H
#define MUE_OBSERVABLES_H

#include "mue/collision.h"
#include "mue/event.h"
#include "mue/params.h"

enum { MUE_OBS_EE, MUE_OBS_THETA_E, MUE_OBS_THETA_MU, MUE_OBS_EMU, MUE_NOBS };

typedef struct {
    double v[MUE_NOBS];
} mue_obs;

MUE_FN mue_obs mue_observables(const mue_collision *c, const mue_event *ev)
{
    mue_obs o;
    int ie = mue_event_find(ev, MUE_PID_ELECTRON), im = mue_event_find(ev, MUE_PID_MUON);
    mue_collision_to_lab(c, ev->p[ie], ev->mass[ie], &o.v[MUE_OBS_EE], &o.v[MUE_OBS_THETA_E]);
    mue_collision_to_lab(c, ev->p[im], ev->mass[im], &o.v[MUE_OBS_EMU], &o.v[MUE_OBS_THETA_MU]);
    /* E_e = m_e + tau/(2 m_e) exactly (target at rest): the same number the map cut on */
    o.v[MUE_OBS_EE] = ev->mass[ie] + ev->tau / (2.0 * ev->mass[ie]);
    return o;
}

/* Cuts (i) theta_mu > theta_min and (ii) ee_min < E_e < ee_max. */
MUE_FN int mue_cuts_pass(const mue_cuts *k, const mue_obs *o)
{
    if (!k->enabled)
        return 1;
    return o->v[MUE_OBS_THETA_MU] > k->theta_mu_min && o->v[MUE_OBS_EE] > k->ee_min &&
           o->v[MUE_OBS_EE] < k->ee_max;
}

#endif
