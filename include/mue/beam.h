/* The beam and target model (docs/physics.md, Beam and target): each event has its own
 * incoming muon, of Gaussian energy about the nominal one, Gaussian angles about the
 * beam axis and a Gaussian spot, and its own vertex, uniform along the target. Plain
 * data inside mue_params, copied to the device.
 *
 * Only the energy changes a cross section: the physics is evaluated about the muon's
 * own direction, where the cuts are taken (the experiment measures angles against the
 * incoming track), so the angles, the spot and the vertex only place the event in the
 * lab frame when it is written (host/events/record.c). */
#ifndef MUE_BEAM_H
#define MUE_BEAM_H

#include "mue/detector.h"

/* Uniforms a point draws for its muon's energy (a Box-Muller pair), after the detector's */
#define MUE_BEAM_NU 2
/* The energy is E0 (1 + spread z) with z a Box-Muller normal, |z| < 8.6 in double: a
 * spread up to this keeps every muon above 14 % of E0 */
#define MUE_BEAM_SPREAD_MAX 0.1
#define MUE_BEAM_Z_MAX 8.6

typedef struct {
    int enabled;
    double spread;        /* relative rms of the beam energy, Gaussian */
    double div_x, div_y;  /* rms of the muon's angle to the beam axis in x-z and y-z, rad */
    double spot_x, spot_y; /* rms of the vertex position across the beam, m */
    double target_z;      /* centre of the target along the beam, m */
    double target_len;    /* its thickness, m: the vertex is uniform in it */
} mue_beam_model;

/* Off unless asked for; `--beam-model default` is one MUonE station's target, 1.5 cm of
 * beryllium (the paper, after the MUonE Letter of Intent), and a beam of exactly the
 * nominal energy and direction: mue ships no M2 spread, divergence or spot it could not
 * cite (docs/physics.md). */
MUE_FN mue_beam_model mue_beam_model_default(void)
{
    mue_beam_model b;
    b.enabled = 0;
    b.spread = 0.0;
    b.div_x = b.div_y = 0.0;
    b.spot_x = b.spot_y = 0.0;
    b.target_z = 0.0;
    b.target_len = 0.015;
    return b;
}

/* Eq. (B.1): the energy of a point's muon from its two beam uniforms u[0], u[1] */
MUE_FN double mue_beam_energy(const mue_beam_model *b, double e0, const double *u)
{
    double z, unused;
    mue_det_normals(u[0], u[1], &z, &unused);
    return e0 * (1.0 + b->spread * z);
}

#endif
