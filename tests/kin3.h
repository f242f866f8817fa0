/* Test-only 2 -> 2 and 2 -> 3 points for mu(p1) e(p2) in the CM frame, built from scratch
 * (no production phase-space code): a fixed-seed generator, isotropic directions, a two-
 * body split and the decay of the radiating system X -> radiator + k. */
#ifndef MUE_TESTS_KIN3_H
#define MUE_TESTS_KIN3_H

#include <stdint.h>

#include "mue/fourvec.h"

typedef struct {
    uint64_t s;
} k3_rng;

static inline double k3_u(k3_rng *r) /* uniform in (0,1), xorshift64* */
{
    r->s ^= r->s >> 12;
    r->s ^= r->s << 25;
    r->s ^= r->s >> 27;
    return ((r->s * 0x2545F4914F6CDD1DULL >> 11) + 0.5) * 0x1.0p-53;
}

static inline void k3_dir(k3_rng *r, double n[3])
{
    double c = 2.0 * k3_u(r) - 1.0, s = sqrt((1.0 - c) * (1.0 + c)), f = 2.0 * MUE_PI * k3_u(r);
    n[0] = s * cos(f), n[1] = s * sin(f), n[2] = c;
}

static inline double k3_pstar(double M, double a, double b)
{
    return sqrt((M - a - b) * (M + a + b) * (M - a + b) * (M + a - b)) / (2.0 * M);
}

typedef struct {
    mue_p4 p1, p2, p3, p4, k;
} k3_point;

/* beam muon (mass mm) on an electron (me) at rest, E_beam: the CM momenta */
static inline void k3_beams(double e_beam, double mm, double me, mue_p4 *p1, mue_p4 *p2)
{
    double s = mm * mm + me * me + 2.0 * me * e_beam, rs = sqrt(s), P = k3_pstar(rs, mm, me);
    *p1 = mue_p4_make((s + mm * mm - me * me) / (2.0 * rs), 0.0, 0.0, P);
    *p2 = mue_p4_make((s + me * me - mm * mm) / (2.0 * rs), 0.0, 0.0, -P);
}

/* a -> b + c in the rest frame of a (mass ma), b along n, then boosted with a */
static inline void k3_split(mue_p4 a, double ma, double mb, double mc, const double n[3], mue_p4 *b,
                            mue_p4 *c)
{
    double Eb = (ma * ma + mb * mb - mc * mc) / (2.0 * ma), P = k3_pstar(ma, mb, mc);
    mue_p4 bx = mue_p4_make(Eb, P * n[0], P * n[1], P * n[2]);
    mue_p4 cx = mue_p4_make(ma - Eb, -bx.x, -bx.y, -bx.z);
    double vx = a.x / a.e, vy = a.y / a.e, vz = a.z / a.e;
    *b = mue_p4_boost(bx, vx, vy, vz);
    *c = mue_p4_boost(cx, vx, vy, vz);
}

/* Generic 2 -> 3: k (mass mk) radiated by the muon (line 0) or the electron (line 1):
 * radiator + k of mass M_X uniform in its range, all directions isotropic. */
static inline k3_point k3_generic(k3_rng *r, double e_beam, double mm, double me, double mk,
                                  int line)
{
    k3_point p;
    k3_beams(e_beam, mm, me, &p.p1, &p.p2);
    double rs = p.p1.e + p.p2.e, mrad = line ? me : mm, mspec = line ? mm : me;
    double lo = mrad + mk, hi = rs - mspec, MX = lo + (hi - lo) * (0.02 + 0.96 * k3_u(r));
    double n[3];
    mue_p4 X, spec, rad, tot = mue_p4_make(rs, 0.0, 0.0, 0.0);
    k3_dir(r, n);
    k3_split(tot, rs, MX, mspec, n, &X, &spec);
    k3_dir(r, n);
    k3_split(X, MX, mk, mrad, n, &p.k, &rad);
    p.p3 = line ? spec : rad;
    p.p4 = line ? rad : spec;
    return p;
}

static inline k3_point k3_boost(k3_point p, const double b[3])
{
    k3_point o;
    o.p1 = mue_p4_boost(p.p1, b[0], b[1], b[2]);
    o.p2 = mue_p4_boost(p.p2, b[0], b[1], b[2]);
    o.p3 = mue_p4_boost(p.p3, b[0], b[1], b[2]);
    o.p4 = mue_p4_boost(p.p4, b[0], b[1], b[2]);
    o.k = mue_p4_boost(p.k, b[0], b[1], b[2]);
    return o;
}

#endif
