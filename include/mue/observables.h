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
    const int ie = MUE_EV_ELECTRON, im = MUE_EV_MUON;
    mue_collision_to_lab(c, ev->p[ie], ev->mass[ie], &o.v[MUE_OBS_EE], &o.v[MUE_OBS_THETA_E]);
    mue_collision_to_lab(c, ev->p[im], ev->mass[im], &o.v[MUE_OBS_EMU], &o.v[MUE_OBS_THETA_MU]);
    /* E_e = m_e + tau/(2 m_e) exactly (target at rest): the same number the map cut on */
    o.v[MUE_OBS_EE] = ev->mass[ie] + ev->tau / (2.0 * ev->mass[ie]);
    return o;
}

/* The selection in the form the integrand tests it: cut (i) compares tangents, so
 * the angle itself is computed only for events that are histogrammed. */
typedef struct {
    int enabled;
    double tan_theta_mu_min; /* cut (i); theta_mu_min < pi/2 */
    double ee_min, ee_max;   /* cut (ii) */
} mue_selection;

MUE_FN mue_selection mue_selection_make(const mue_cuts *k)
{
    mue_selection s = {k->enabled, tan(k->theta_mu_min), k->ee_min, k->ee_max};
    return s;
}

/* Cuts (i) theta_mu > theta_min and (ii) ee_min < E_e < ee_max. */
MUE_FN int mue_selection_pass(const mue_selection *s, const mue_collision *c, const mue_event *ev)
{
    if (!s->enabled)
        return 1;
    const int ie = MUE_EV_ELECTRON, im = MUE_EV_MUON;
    double ee = ev->mass[ie] + ev->tau / (2.0 * ev->mass[ie]);
    if (!(ee > s->ee_min && ee < s->ee_max))
        return 0;
    double pp, pm;
    mue_p4_lightcone(ev->p[im], ev->mass[im], &pp, &pm);
    double pz = 0.5 * (pp * c->exp_y - pm * c->exp_my);
    return pz <= 0.0 || mue_p4_pt(ev->p[im]) > s->tan_theta_mu_min * pz;
}

#endif
