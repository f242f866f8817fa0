/* One phase-space point as the processes hand it to cuts and observables: a list of
 * final-state particles in the CM frame, so nothing downstream assumes 2 -> 3. */
#ifndef MUE_EVENT_H
#define MUE_EVENT_H

#include "mue/fourvec.h"

#define MUE_MAX_FINAL 4

enum { MUE_PID_ELECTRON = 11, MUE_PID_MUON = 13, MUE_PID_PHOTON = 22, MUE_PID_ZPRIME = 9900023 };

/* Every process of mu e -> mu e + X puts the outgoing muon and electron first, so that
 * cuts and observables find them at fixed places (a kernel made for one process then
 * keeps the whole event in registers). */
enum { MUE_EV_MUON = 0, MUE_EV_ELECTRON = 1 };

typedef struct {
    int n;
    int pid[MUE_MAX_FINAL];
    double mass[MUE_MAX_FINAL];
    mue_p4 p[MUE_MAX_FINAL]; /* CM frame */
    double tau;              /* -t = -(p_e,in - p_e,out)^2, kept exact from the map */
} mue_event;

/* A particle of a process's final state as its outputs name it (processes.h,
 * MUE_<ID>_PARTICLES): event headers and labels. */
typedef struct {
    int pid;
    const char *name;
} mue_particle_def;

MUE_FN void mue_event_set(mue_event *ev, int i, int pid, double m, mue_p4 p)
{
    ev->pid[i] = pid;
    ev->mass[i] = m;
    ev->p[i] = p;
}

/* The whole event turned about the beam axis by the azimuth (c, s) = (cos, sin): a
 * process's map puts the electron at azimuth 0, and an event file needs them uniform.
 * The CM frame of the events moves along the beam, so the turn commutes with the boost
 * to the lab. */
MUE_FN void mue_event_rotate_z(mue_event *ev, double c, double s)
{
    for (int i = 0; i < ev->n; i++)
        ev->p[i] = mue_p4_rotate_z(ev->p[i], c, s);
}

#endif
