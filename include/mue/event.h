/* One phase-space point as the processes hand it to cuts and observables: a list of
 * final-state particles in the CM frame, so nothing downstream assumes 2 -> 3. */
#ifndef MUE_EVENT_H
#define MUE_EVENT_H

#include "mue/fourvec.h"

#define MUE_MAX_FINAL 4

enum { MUE_PID_ELECTRON = 11, MUE_PID_MUON = 13, MUE_PID_PHOTON = 22, MUE_PID_ZPRIME = 9900023 };

typedef struct {
    int n;
    int pid[MUE_MAX_FINAL];
    double mass[MUE_MAX_FINAL];
    mue_p4 p[MUE_MAX_FINAL]; /* CM frame */
    double tau;              /* -t = -(p_e,in - p_e,out)^2, kept exact from the map */
} mue_event;

MUE_FN void mue_event_set(mue_event *ev, int i, int pid, double m, mue_p4 p)
{
    ev->pid[i] = pid;
    ev->mass[i] = m;
    ev->p[i] = p;
}

/* Index of the first particle with this id, or -1. */
MUE_FN int mue_event_find(const mue_event *ev, int pid)
{
    for (int i = 0; i < ev->n; i++)
        if (ev->pid[i] == pid)
            return i;
    return -1;
}

#endif
