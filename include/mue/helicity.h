/* External wave functions of the amplitude layer (amplitudes.h): massive Dirac spinors
 * u, v, ubar, vbar of definite helicity and the polarisation vectors of photons and
 * massive vector bosons in the helicity basis, docs/physics.md Eqs. (11.1)-(11.4).
 *
 * Spinors are in the chiral (Weyl) representation, psi = (psi_L, psi_R), gamma^mu =
 * [[0, sigma^mu], [sigmabar^mu, 0]], sigma^mu = (1, sigma_i), sigmabar^mu = (1, -sigma_i),
 * gamma5 = diag(-1, -1, 1, 1); normalisation ubar u = 2m, sum_h u ubar = pslash + m,
 * sum_h v vbar = pslash - m. A barred spinor psibar = psi^dagger gamma^0 is stored as the
 * four components of the row. Helicities are +1 and -1 (vectors also 0). */
#ifndef MUE_HELICITY_H
#define MUE_HELICITY_H

#include "mue/complex.h"
#include "mue/fourvec.h"

typedef struct {
    mue_cx c[4];
} mue_spinor;

/* A complex four-vector V^mu (contravariant): polarisations and off-shell currents. */
typedef struct {
    mue_cx c[4];
} mue_cvec;

MUE_FN mue_cvec mue_cvec_from_p4(mue_p4 p)
{
    mue_cvec v = {{mue_cx_real(p.e), mue_cx_real(p.x), mue_cx_real(p.y), mue_cx_real(p.z)}};
    return v;
}

/* a.b = a^0 b^0 - a.b (no complex conjugation) */
MUE_FN mue_cx mue_cvec_dot(const mue_cvec *a, const mue_cvec *b)
{
    mue_cx s = mue_cx_mul(a->c[0], b->c[0]);
    for (int i = 1; i < 4; i++)
        s = mue_cx_sub(s, mue_cx_mul(a->c[i], b->c[i]));
    return s;
}

/* a += b */
MUE_FN void mue_cvec_add_to(mue_cvec *a, const mue_cvec *b)
{
    for (int i = 0; i < 4; i++)
        a->c[i] = mue_cx_add(a->c[i], b->c[i]);
}

MUE_FN mue_cx mue_cvec_dot_p4(const mue_cvec *a, mue_p4 p)
{
    mue_cx s = mue_cx_scale(p.e, a->c[0]);
    s = mue_cx_sub(s, mue_cx_scale(p.x, a->c[1]));
    s = mue_cx_sub(s, mue_cx_scale(p.y, a->c[2]));
    return mue_cx_sub(s, mue_cx_scale(p.z, a->c[3]));
}

MUE_FN mue_cvec mue_cvec_conj(mue_cvec v)
{
    for (int i = 0; i < 4; i++)
        v.c[i] = mue_cx_conj(v.c[i]);
    return v;
}

/* Two-component helicity eigenstates chi_h(phat), sigma.phat chi_h = h chi_h, Eq. (11.1):
 * chi_+ = (cos(theta/2), e^{i phi} sin(theta/2)), chi_- = (-e^{-i phi} sin(theta/2),
 * cos(theta/2)). |p| + p_z comes from p_T^2/(|p| - p_z) when p_z < 0, so a momentum
 * close to -z keeps its digits; along -z exactly phi = 0, at rest the axis is +z. */
MUE_FN void mue_helicity_chi(mue_p4 p, int h, mue_cx chi[2])
{
    double pt2 = p.x * p.x + p.y * p.y, P = sqrt(pt2 + p.z * p.z);
    double ppz = p.z >= 0.0 ? P + p.z : pt2 / (P - p.z);
    if (P == 0.0 || ppz == 0.0) { /* at rest (axis +z) or along -z (theta = pi, phi = 0) */
        int rest = P == 0.0;
        chi[0] = mue_cx_real(h > 0 ? (rest ? 1.0 : 0.0) : (rest ? 0.0 : -1.0));
        chi[1] = mue_cx_real(h > 0 ? (rest ? 0.0 : 1.0) : (rest ? 1.0 : 0.0));
        return;
    }
    double in = 1.0 / sqrt(2.0 * P * ppz), c = ppz * in;
    if (h > 0) {
        chi[0] = mue_cx_real(c);
        chi[1] = mue_cx_make(p.x * in, p.y * in);
    } else {
        chi[0] = mue_cx_make(-p.x * in, p.y * in);
        chi[1] = mue_cx_real(c);
    }
}

/* sqrt(E + |p|) and sqrt(E - |p|) of a particle of mass m, the small one from
 * E - |p| = m^2/(E + |p|). */
MUE_FN void mue_helicity_omega(mue_p4 p, double m, double *wp, double *wm)
{
    double P = mue_p4_pabs(p), epp = p.e + P;
    *wp = sqrt(epp);
    *wm = sqrt(m * m / epp);
}

/* u(p,h) = (sqrt(E - h|p|) chi_h, sqrt(E + h|p|) chi_h), Eq. (11.2). */
MUE_FN mue_spinor mue_spinor_u(mue_p4 p, double m, int h)
{
    mue_cx chi[2];
    double wp, wm;
    mue_helicity_chi(p, h, chi);
    mue_helicity_omega(p, m, &wp, &wm);
    double lo = h > 0 ? wm : wp, hi = h > 0 ? wp : wm;
    mue_spinor u = {{mue_cx_scale(lo, chi[0]), mue_cx_scale(lo, chi[1]), mue_cx_scale(hi, chi[0]),
                     mue_cx_scale(hi, chi[1])}};
    return u;
}

/* v(p,h) = (-h sqrt(E + h|p|) chi_-h, h sqrt(E - h|p|) chi_-h), Eq. (11.2): the antifermion
 * of helicity h. */
MUE_FN mue_spinor mue_spinor_v(mue_p4 p, double m, int h)
{
    mue_cx chi[2];
    double wp, wm;
    mue_helicity_chi(p, -h, chi);
    mue_helicity_omega(p, m, &wp, &wm);
    double a = h > 0 ? -wp : wm, b = h > 0 ? wm : -wp;
    mue_spinor v = {{mue_cx_scale(a, chi[0]), mue_cx_scale(a, chi[1]), mue_cx_scale(b, chi[0]),
                     mue_cx_scale(b, chi[1])}};
    return v;
}

/* psibar = psi^dagger gamma^0: gamma^0 swaps the chiral halves. */
MUE_FN mue_spinor mue_spinor_bar(mue_spinor s)
{
    mue_spinor b = {{mue_cx_conj(s.c[2]), mue_cx_conj(s.c[3]), mue_cx_conj(s.c[0]),
                     mue_cx_conj(s.c[1])}};
    return b;
}

/* ubar(p,h) of an outgoing fermion, vbar(p,h) of an incoming antifermion. */
MUE_FN mue_spinor mue_spinor_ubar(mue_p4 p, double m, int h)
{
    return mue_spinor_bar(mue_spinor_u(p, m, h));
}
MUE_FN mue_spinor mue_spinor_vbar(mue_p4 p, double m, int h)
{
    return mue_spinor_bar(mue_spinor_v(p, m, h));
}

/* eps^mu(k, h) of an incoming vector of mass M (M = 0: photon, h = +-1 only), Eq. (11.3):
 * eps(+-1) = (-+ e1 - i e2)/sqrt(2), e1 = (0, cos th cos ph, cos th sin ph, -sin th),
 * e2 = (0, -sin ph, cos ph, 0); eps(0) = (|k|, E khat)/M. An outgoing vector takes
 * eps* (mue_polarisation_out). */
MUE_FN mue_cvec mue_polarisation(mue_p4 k, double M, int h)
{
    double pt = mue_p4_pt(k), P = mue_p4_pabs(k);
    double ct = P > 0.0 ? k.z / P : 1.0, st = P > 0.0 ? pt / P : 0.0;
    double cp = pt > 0.0 ? k.x / pt : 1.0, sp = pt > 0.0 ? k.y / pt : 0.0;
    if (P > 0.0 && pt == 0.0)
        ct = k.z > 0.0 ? 1.0 : -1.0;
    mue_cvec e;
    if (h == 0) {
        double a = P / M, b = k.e / M;
        e.c[0] = mue_cx_real(a);
        e.c[1] = mue_cx_real(b * st * cp);
        e.c[2] = mue_cx_real(b * st * sp);
        e.c[3] = mue_cx_real(b * ct);
        return e;
    }
    const double r = 0.70710678118654752440, hr = -h * r;
    e.c[0] = mue_cx_real(0.0);
    e.c[1] = mue_cx_make(hr * ct * cp, r * sp);
    e.c[2] = mue_cx_make(hr * ct * sp, -r * cp);
    e.c[3] = mue_cx_make(-hr * st, 0.0);
    return e;
}

MUE_FN mue_cvec mue_polarisation_out(mue_p4 k, double M, int h)
{
    return mue_cvec_conj(mue_polarisation(k, M, h));
}

#endif
