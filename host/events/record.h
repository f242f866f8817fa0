/* The particles an event file lists for one event, whatever its format (lhef.c,
 * hepmc3_writer.c): the beams, the final state of the process in the lab frame, and
 * the decays mue performs for the simulation (the Z' to a neutrino pair, unless the run
 * keeps it stable). A decay draws its angles and channel from the point's own random
 * stream, after the draws of the point (unweight.h), so the record is the same on any
 * thread count and device. */
#ifndef MUE_RECORD_H
#define MUE_RECORD_H

#include "events/evfile.h"
#include "mue/unweight.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MUE_RECORD_MAX (2 + MUE_MAX_FINAL + 2)

enum { MUE_REC_BEAM = -1, MUE_REC_FINAL = 1, MUE_REC_DECAYED = 2 };

typedef struct {
    int pid;
    int status; /* MUE_REC_* */
    int mother; /* -1: the hard process (both beams); else the index of the decayed particle */
    mue_p4 p;   /* lab frame, GeV */
    double m;
} mue_record_particle;

typedef struct {
    int n;
    int ndecays;
    int has_vertex;   /* a beam model placed the event: vertex[] holds where */
    double vertex[4]; /* x, y, z, ct of the interaction in the lab, mm */
    mue_record_particle q[MUE_RECORD_MAX];
} mue_record;

/* The uniforms a decay draws from the point's stream, from number f->decay_draw on;
 * a beam model then draws MUE_RECORD_BEAM_DRAWS for the muon's angles and the vertex. */
#define MUE_RECORD_DECAY_DRAWS 3
#define MUE_RECORD_BEAM_DRAWS 5

/* The record of event e (its stream: f->seed, e->iter, e->index). */
void mue_record_make(const mue_evfile_info *f, const mue_gen_event *e, mue_record *r);

/* The Z' of mass m at lab momentum P to two massless daughters, isotropic in its rest
 * frame: u1 fixes the polar angle about P (cos = 2 u1 - 1), u2 the azimuth. Written so
 * that a daughter thrown backwards keeps its digits however fast the Z' moves. */
void mue_record_decay_massless(mue_p4 P, double m, double u1, double u2, mue_p4 *a, mue_p4 *b);

#ifdef __cplusplus
}
#endif

#endif
