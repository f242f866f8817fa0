/* Lab-frame observables and the selection (docs/physics.md, "Cuts"): the only place the
 * CM events meet the lab. An observable is a quantity of the particle in one slot of
 * the event; each process lists the ones it histograms (processes.h), and the list
 * travels in the histogram spec (accum.h), so the accumulator and the kernels never
 * name an observable. */
#ifndef MUE_OBSERVABLES_H
#define MUE_OBSERVABLES_H

#include "mue/collision.h"
#include "mue/event.h"
#include "mue/params.h"

#define MUE_MAX_OBS 8

/* lab energy (GeV), lab polar angle (rad); and quantities of the particle together with
 * the outgoing electron: their lab opening angle (rad), and the distance (m) between
 * their straight lines where they cross the plane z = scale (the ECAL face, scale in m
 * from the vertex; -1 if either does not fly forward), docs/physics.md Eq. (12.9) */
enum { MUE_QTY_ENERGY, MUE_QTY_THETA, MUE_QTY_OPENING_E, MUE_QTY_ECAL_SEP_E };

/* MUonE's ECAL face seen from an interaction: a parameter of the separation observable
 * (mue_obs_kind.scale), not a detector model */
#define MUE_ECAL_DISTANCE_DEFAULT 1.0 /* m */

typedef struct {
    int slot;     /* particle in the event (MUE_EV_MUON, MUE_EV_ELECTRON, 2, ...) */
    int quantity; /* MUE_QTY_* */
    double scale; /* MUE_QTY_ECAL_SEP_E: the distance to the ECAL face, m */
} mue_obs_kind;

/* A process's observable as the command line and the output files know it. */
typedef struct {
    const char *name, *unit; /* file name and --hist-range key; "GeV" or "rad" */
    mue_obs_kind kind;
    double lo, hi; /* default histogram range */
} mue_obs_def;

/* The histograms of mu e -> mu e + X: the outgoing electron's and muon's lab energy and
 * angle. Positions in this list: */
enum { MUE_OBS_EE, MUE_OBS_THETA_E, MUE_OBS_THETA_MU, MUE_OBS_EMU, MUE_MUONE_NOBS };
#define MUE_MUONE_OBSERVABLES                                                                      \
    {"E_e", "GeV", {MUE_EV_ELECTRON, MUE_QTY_ENERGY, 0.0}, 0.0, 50.0},                                  \
        {"theta_e", "rad", {MUE_EV_ELECTRON, MUE_QTY_THETA, 0.0}, 0.0, 0.05},                           \
        {"theta_mu", "rad", {MUE_EV_MUON, MUE_QTY_THETA, 0.0}, 0.0, 0.01},                              \
        {"E_mu", "GeV", {MUE_EV_MUON, MUE_QTY_ENERGY, 0.0}, 0.0, 150.0}

/* Lab opening angle of two momenta given by their CM p_x, p_y and lab p_z:
 * 2 asin(|n1 - n2|/2) keeps mrad angles to full relative precision, Eq. (12.8). */
MUE_FN double mue_lab_opening(mue_p4 a, double az, mue_p4 b, double bz)
{
    double la = sqrt(a.x * a.x + a.y * a.y + az * az), lb = sqrt(b.x * b.x + b.y * b.y + bz * bz);
    if (!(la > 0.0 && lb > 0.0))
        return 0.0;
    double dx = a.x / la - b.x / lb, dy = a.y / la - b.y / lb, dz = az / la - bz / lb;
    double h = 0.5 * sqrt(dx * dx + dy * dy + dz * dz);
    return 2.0 * asin(h < 1.0 ? h : 1.0);
}

/* Distance between the points where two straight tracks from the vertex cross the
 * plane z = L, Eq. (12.9); -1 if either does not move forward. */
MUE_FN double mue_lab_ecal_sep(mue_p4 a, double az, mue_p4 b, double bz, double L)
{
    if (!(az > 0.0 && bz > 0.0))
        return -1.0;
    double dx = a.x / az - b.x / bz, dy = a.y / az - b.y / bz;
    return L * sqrt(dx * dx + dy * dy);
}

typedef struct {
    double v[MUE_MAX_OBS];
} mue_obs;

/* The values of the n observables of `what` for one event. Each particle goes to the
 * lab once, however many of its quantities are asked for. The target electron's energy
 * is m_e + tau/(2 m_e), exact for a target at rest: the number cut (ii) tested. The
 * loops run to the fixed maxima so that every array index is a constant, and `slots`
 * (a bit per event slot that `what` may name; ~0u when unknown) lets a CUDA kernel made
 * for one process drop the particles its observables never use: the event and the
 * values stay in registers. */
MUE_FN void mue_observables(const mue_collision *c, const mue_event *ev, int n,
                            const mue_obs_kind *what, unsigned slots, mue_obs *o)
{
    unsigned want = 0;
    for (int k = 0; k < MUE_MAX_OBS; k++)
        if (k < n)
            want |= (1u << what[k].slot) |
                    (what[k].quantity >= MUE_QTY_OPENING_E ? 1u << MUE_EV_ELECTRON : 0u);
    want &= slots;
    /* per particle: lab energy, angle and p_z (p_x, p_y are the CM's) */
    double energy[MUE_MAX_FINAL], theta[MUE_MAX_FINAL], pz[MUE_MAX_FINAL];
    for (int s = 0; s < MUE_MAX_FINAL; s++) {
        energy[s] = theta[s] = pz[s] = 0.0;
        if (want >> s & 1u) {
            mue_collision_to_lab(c, ev->p[s], ev->mass[s], &energy[s], &theta[s]);
            pz[s] = mue_collision_p4_to_lab(c, ev->p[s], ev->mass[s]).z;
            if (s == MUE_EV_ELECTRON)
                energy[s] = ev->mass[s] + ev->tau / (2.0 * ev->mass[s]);
        }
    }
    const int ie = MUE_EV_ELECTRON;
    for (int k = 0; k < MUE_MAX_OBS; k++) {
        double v = 0.0;
        for (int s = 0; s < MUE_MAX_FINAL; s++)
            if (k < n && what[k].slot == s && (slots >> s & 1u)) {
                int q = what[k].quantity;
                if (q == MUE_QTY_ENERGY)
                    v = energy[s];
                else if (q == MUE_QTY_THETA)
                    v = theta[s];
                else if (q == MUE_QTY_OPENING_E)
                    v = mue_lab_opening(ev->p[s], pz[s], ev->p[ie], pz[ie]);
                else
                    v = mue_lab_ecal_sep(ev->p[s], pz[s], ev->p[ie], pz[ie], what[k].scale);
            }
        o->v[k] = v;
    }
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
