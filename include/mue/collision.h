/* Beam kinematics shared by every process: mu(p1) on e(p2) at rest, seen in the CM
 * frame (where the physics is evaluated) and the lab (where the cuts apply). */
#ifndef MUE_COLLISION_H
#define MUE_COLLISION_H

#include "mue/fourvec.h"

typedef struct {
    double s, rs;      /* s and sqrt(s), docs/physics.md Eq. (1.2) */
    double m1, m2;     /* beam (muon) and target (electron) masses */
    double sqrt_lam;   /* lambda^{1/2}(s, m1^2, m2^2) = 2 sqrt(s) |p*| */
    double pcm;        /* |p*| of the initial particles in the CM */
    double flux;       /* 1/(4 sqrt((p1.p2)^2 - m1^2 m2^2)) = 1/(2 sqrt_lam) */
    double exp_y;      /* e^y of the CM->lab boost along +z */
    double exp_my;     /* e^-y, so that boosting costs no division */
    mue_p4 p1, p2;     /* CM momenta: beam along +z, target along -z */
    double p2_plus, p2_minus; /* light-cone components of p2 (mue_p4_lightcone) */
} mue_collision;

MUE_FN mue_collision mue_collision_make(double e_beam, double m1, double m2)
{
    mue_collision c;
    double p_beam = sqrt((e_beam - m1) * (e_beam + m1));
    c.m1 = m1;
    c.m2 = m2;
    c.s = m1 * m1 + m2 * m2 + 2.0 * m2 * e_beam;
    c.rs = sqrt(c.s);
    c.sqrt_lam = sqrt(mue_kallen(c.s, m1 * m1, m2 * m2));
    c.pcm = c.sqrt_lam / (2.0 * c.rs);
    c.flux = 1.0 / (2.0 * c.sqrt_lam);
    c.exp_y = (e_beam + m2 + p_beam) / c.rs;
    c.exp_my = 1.0 / c.exp_y;
    c.p1 = mue_p4_make((c.s + m1 * m1 - m2 * m2) / (2.0 * c.rs), 0.0, 0.0, c.pcm);
    c.p2 = mue_p4_make((c.s + m2 * m2 - m1 * m1) / (2.0 * c.rs), 0.0, 0.0, -c.pcm);
    mue_p4_lightcone(c.p2, m2, &c.p2_plus, &c.p2_minus);
    return c;
}

/* Lab energy and polar angle of a CM momentum of mass m: the z boost scales the
 * light-cone components by e^{+-y}, which keeps every digit for mrad angles. */
MUE_FN void mue_collision_to_lab(const mue_collision *c, mue_p4 p, double m, double *energy,
                                 double *theta)
{
    double pp, pm;
    mue_p4_lightcone(p, m, &pp, &pm);
    pp *= c->exp_y;
    pm *= c->exp_my;
    *energy = 0.5 * (pp + pm);
    /* forward particles (all of them in this experiment): atan of the ratio, which
     * glibc evaluates in about two thirds of the time of atan2 */
    double pt = mue_p4_pt(p), pz = 0.5 * (pp - pm);
    *theta = pz > 0.0 ? atan(pt / pz) : atan2(pt, pz);
}

/* The lab four-vector of a CM momentum of mass m (docs/physics.md Eq. 10.3): p+ and p-
 * scaled by e^{+-y}, pT unchanged; E and pz from them keep every digit of a fast
 * forward particle and of the slow electron alike. */
MUE_FN mue_p4 mue_collision_p4_to_lab(const mue_collision *c, mue_p4 p, double m)
{
    double pp, pm;
    mue_p4_lightcone(p, m, &pp, &pm);
    pp *= c->exp_y;
    pm *= c->exp_my;
    return mue_p4_make(0.5 * (pp + pm), p.x, p.y, 0.5 * (pp - pm));
}

/* A CM momentum of the collision `from` in the CM frame of `to`, a collision of the same
 * particles at another beam energy: both frames move along the beam, so the change is
 * one z boost, e^{y_from - y_to} on p+ and its inverse on p- (a beam model's event,
 * beam.h, in the nominal frame that the observables and the event record read). */
MUE_FN mue_p4 mue_collision_p4_reframe(const mue_collision *from, const mue_collision *to, mue_p4 p,
                                       double m)
{
    double pp, pm;
    mue_p4_lightcone(p, m, &pp, &pm);
    pp *= from->exp_y * to->exp_my;
    pm *= from->exp_my * to->exp_y;
    return mue_p4_make(0.5 * (pp + pm), p.x, p.y, 0.5 * (pp - pm));
}

#endif
