/* Minkowski four-vectors, metric (+,-,-,-), and the accurate light-cone tools the
 * lab-frame observables need (gamma ~ 370 between CM and lab). */
#ifndef MUE_FOURVEC_H
#define MUE_FOURVEC_H

#include "mue/defs.h"

typedef struct {
    double e, x, y, z;
} mue_p4;

MUE_FN mue_p4 mue_p4_make(double e, double x, double y, double z)
{
    mue_p4 p = {e, x, y, z};
    return p;
}

MUE_FN mue_p4 mue_p4_add(mue_p4 a, mue_p4 b)
{
    return mue_p4_make(a.e + b.e, a.x + b.x, a.y + b.y, a.z + b.z);
}

MUE_FN mue_p4 mue_p4_sub(mue_p4 a, mue_p4 b)
{
    return mue_p4_make(a.e - b.e, a.x - b.x, a.y - b.y, a.z - b.z);
}

MUE_FN double mue_p4_dot(mue_p4 a, mue_p4 b)
{
    return a.e * b.e - a.x * b.x - a.y * b.y - a.z * b.z;
}

MUE_FN double mue_p4_pt(mue_p4 a) { return sqrt(a.x * a.x + a.y * a.y); }

MUE_FN double mue_p4_pabs(mue_p4 a) { return sqrt(a.x * a.x + a.y * a.y + a.z * a.z); }

/* Boost by velocity (bx,by,bz): a particle at rest acquires velocity b. */
MUE_FN mue_p4 mue_p4_boost(mue_p4 p, double bx, double by, double bz)
{
    double b2 = bx * bx + by * by + bz * bz;
    if (b2 <= 0.0)
        return p;
    double g = 1.0 / sqrt(1.0 - b2);
    double bp = bx * p.x + by * p.y + bz * p.z;
    double g2 = (g - 1.0) / b2;
    double c = g2 * bp + g * p.e;
    return mue_p4_make(g * (p.e + bp), p.x + c * bx, p.y + c * by, p.z + c * bz);
}

/* Boost between the rest frame of Q (mass M, known; passed as 1/M, which callers
 * need anyway) and the frame where Q has momentum Q. With gamma = E/M no square root
 * is needed: (gamma-1)/beta^2 = gamma^2/(gamma+1). Set up once, applied to several
 * vectors. */
typedef struct {
    double g, gg, bx, by, bz; /* gamma, gamma^2/(gamma+1), velocity of Q */
} mue_boost;

MUE_FN mue_boost mue_boost_make(mue_p4 Q, double inv_M)
{
    double ie = 1.0 / Q.e;
    mue_boost b = {Q.e * inv_M, 0.0, Q.x * ie, Q.y * ie, Q.z * ie};
    b.gg = b.g * b.g / (b.g + 1.0);
    return b;
}

/* sign = +1 takes rest-frame vectors out to the frame of Q, -1 takes them in. */
MUE_FN mue_p4 mue_boost_apply(const mue_boost *b, mue_p4 p, double sign)
{
    double bx = sign * b->bx, by = sign * b->by, bz = sign * b->bz;
    double bp = bx * p.x + by * p.y + bz * p.z;
    double c = b->gg * bp + b->g * p.e;
    return mue_p4_make(b->g * (p.e + bp), p.x + c * bx, p.y + c * by, p.z + c * bz);
}

/* Light-cone components p+ = E + pz, p- = E - pz of a particle of mass m; the small
 * one comes from p+ p- = m^2 + pT^2, so neither loses digits when the particle is
 * fast along +z or -z. */
MUE_FN void mue_p4_lightcone(mue_p4 p, double m, double *plus, double *minus)
{
    double mt2 = m * m + p.x * p.x + p.y * p.y;
    if (p.z >= 0.0) {
        *plus = p.e + p.z;
        *minus = mt2 / *plus;
    } else {
        *minus = p.e - p.z;
        *plus = mt2 / *minus;
    }
}

/* Rotate p, given in a frame whose z axis is the unit vector n, into the frame where
 * n has its stated components (the azimuth reference is the plane of n and z). */
MUE_FN mue_p4 mue_p4_rotate_from_axis(mue_p4 p, double nx, double ny, double nz)
{
    double nt = sqrt(nx * nx + ny * ny);
    if (nt < 1e-300)
        return nz >= 0.0 ? p : mue_p4_make(p.e, -p.x, p.y, -p.z);
    double int_ = 1.0 / nt;
    double cp = nx * int_, sp = ny * int_; /* azimuth of n */
    double ct = nz, st = nt;           /* polar angle of n */
    /* R = Rz(phi) Ry(theta) */
    double x1 = ct * p.x + st * p.z;
    double z1 = -st * p.x + ct * p.z;
    return mue_p4_make(p.e, cp * x1 - sp * p.y, sp * x1 + cp * p.y, z1);
}

/* p rotated about the z axis (the beam) by the azimuth whose cosine and sine are c, s */
MUE_FN mue_p4 mue_p4_rotate_z(mue_p4 p, double c, double s)
{
    return mue_p4_make(p.e, c * p.x - s * p.y, s * p.x + c * p.y, p.z);
}

/* The same for an axis in the x-z plane (ny = 0): the azimuth of n is 0 or pi, so
 * neither its square root nor its division is needed. */
MUE_FN mue_p4 mue_p4_rotate_from_axis_xz(mue_p4 p, double nx, double nz)
{
    double st = fabs(nx), ct = nz; /* polar angle of n */
    if (st < 1e-300)
        return nz >= 0.0 ? p : mue_p4_make(p.e, -p.x, p.y, -p.z);
    double cp = nx > 0.0 ? 1.0 : -1.0;
    double x1 = ct * p.x + st * p.z;
    double z1 = -st * p.x + ct * p.z;
    return mue_p4_make(p.e, cp * x1, cp * p.y, z1);
}

/* p.k for p on shell with mass m and k massless, without the E E' - p.k cancellation of
 * nearly collinear momenta: p.k = |k| [m^2/(E + |p|) + |p| |phat - khat|^2 / 2]. */
MUE_FN double mue_p4_dot_massless(mue_p4 p, double m, mue_p4 k)
{
    double P = mue_p4_pabs(p), K = mue_p4_pabs(k);
    if (P == 0.0 || K == 0.0)
        return p.e * K;
    double dx = p.x / P - k.x / K, dy = p.y / P - k.y / K, dz = p.z / P - k.z / K;
    return K * (m * m / (p.e + P) + 0.5 * P * (dx * dx + dy * dy + dz * dz));
}

#endif
