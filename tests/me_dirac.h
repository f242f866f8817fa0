/* Test-only reference |M|^2 from explicit Dirac algebra: 4x4 gamma matrices in the Dirac
 * representation, explicit spinors and explicit Z' polarisation vectors, summed
 * numerically over every spin. Shares nothing with the FORM result in zprime_msq_gen.h
 * except the four-vector type, so agreement between the two is a real check.
 *
 * Conventions: metric (+,-,-,-); Vslash = gamma^mu V_mu = gamma^0 V^0 - gamma^i V^i;
 * u(p,s) normalised to ubar u = 2m; the electron current is the full
 * ubar(p4) gamma^a u(p2) (no gauge reduction), the Z' sum is over three explicit vectors. */
#ifndef MUE_TESTS_ME_DIRAC_H
#define MUE_TESTS_ME_DIRAC_H

#include <complex.h>
#include <math.h>

#include "mue/defs.h"
#include "mue/fourvec.h"

/* static inline: a test that uses only part of this file compiles without warnings */
#define DIRAC_FN static inline

typedef double complex dcx;
typedef struct {
    dcx a[4][4];
} dmat;
typedef struct {
    dcx v[4];
} dvec; /* a column spinor, or a barred (row) spinor */

/* ---- small linear algebra ---- */

DIRAC_FN dmat dmat_zero(void)
{
    dmat m;
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++)
            m.a[i][j] = 0.0;
    return m;
}

DIRAC_FN dmat dmat_scaled_unit(double c)
{
    dmat m = dmat_zero();
    for (int i = 0; i < 4; i++)
        m.a[i][i] = c;
    return m;
}

/* x + c y */
DIRAC_FN dmat dmat_axpy(dmat x, dcx c, dmat y)
{
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++)
            x.a[i][j] += c * y.a[i][j];
    return x;
}

DIRAC_FN dvec dvec_row_mat(dvec r, dmat m) /* row * matrix */
{
    dvec o;
    for (int j = 0; j < 4; j++) {
        o.v[j] = 0.0;
        for (int i = 0; i < 4; i++)
            o.v[j] += r.v[i] * m.a[i][j];
    }
    return o;
}

DIRAC_FN dvec dmat_col(dmat m, dvec c) /* matrix * column */
{
    dvec o;
    for (int i = 0; i < 4; i++) {
        o.v[i] = 0.0;
        for (int j = 0; j < 4; j++)
            o.v[i] += m.a[i][j] * c.v[j];
    }
    return o;
}

DIRAC_FN dcx dvec_sandwich(dvec r, dmat m, dvec c) /* row * matrix * column */
{
    dvec mc = dmat_col(m, c);
    dcx s = 0.0;
    for (int i = 0; i < 4; i++)
        s += r.v[i] * mc.v[i];
    return s;
}

/* ---- gamma matrices, slash, spinors ---- */

/* Dirac representation: gamma^0 = diag(1,1,-1,-1), gamma^i = [[0, sigma_i], [-sigma_i, 0]]. */
DIRAC_FN void dirac_gammas(dmat G[4])
{
    const dcx sig[3][2][2] = {
        {{0.0, 1.0}, {1.0, 0.0}},
        {{0.0, -I}, {I, 0.0}},
        {{1.0, 0.0}, {0.0, -1.0}},
    };
    G[0] = dmat_zero();
    G[0].a[0][0] = G[0].a[1][1] = 1.0;
    G[0].a[2][2] = G[0].a[3][3] = -1.0;
    for (int i = 1; i < 4; i++) {
        G[i] = dmat_zero();
        for (int r = 0; r < 2; r++)
            for (int c = 0; c < 2; c++) {
                G[i].a[r][c + 2] = sig[i - 1][r][c];
                G[i].a[r + 2][c] = -sig[i - 1][r][c];
            }
    }
}

/* Vslash for a (possibly complex) contravariant V^mu. */
DIRAC_FN dmat dirac_slash_c(const dmat G[4], const dcx V[4])
{
    dmat m = dmat_axpy(dmat_zero(), V[0], G[0]);
    for (int i = 1; i < 4; i++)
        m = dmat_axpy(m, -V[i], G[i]);
    return m;
}

DIRAC_FN dmat dirac_slash(const dmat G[4], mue_p4 p)
{
    const dcx V[4] = {p.e, p.x, p.y, p.z};
    return dirac_slash_c(G, V);
}

/* u(p,s) = (sqrt(E+m) chi_s, sigma.p chi_s / sqrt(E+m)), chi_0 = (1,0), chi_1 = (0,1):
 * ubar u = (E+m) - |p|^2/(E+m) = 2m. Spin quantised along z; the sum is basis-free. */
DIRAC_FN dvec dirac_u(mue_p4 p, double m, int s)
{
    double a = sqrt(p.e + m);
    dvec u;
    if (s == 0) {
        u.v[0] = a;
        u.v[1] = 0.0;
        u.v[2] = p.z / a;
        u.v[3] = (p.x + I * p.y) / a;
    } else {
        u.v[0] = 0.0;
        u.v[1] = a;
        u.v[2] = (p.x - I * p.y) / a;
        u.v[3] = -p.z / a;
    }
    return u;
}

/* v(p,s) = (sigma.p chi_s / sqrt(E+m), sqrt(E+m) chi_s): (pslash + m) v = 0 and
 * vbar v = |p|^2/(E+m) - (E+m) = -2m; the spin sum is p-slash - m whatever the basis. */
DIRAC_FN dvec dirac_v(mue_p4 p, double m, int s)
{
    double a = sqrt(p.e + m);
    dvec v;
    if (s == 0) {
        v.v[0] = p.z / a;
        v.v[1] = (p.x + I * p.y) / a;
        v.v[2] = a;
        v.v[3] = 0.0;
    } else {
        v.v[0] = (p.x - I * p.y) / a;
        v.v[1] = -p.z / a;
        v.v[2] = 0.0;
        v.v[3] = a;
    }
    return v;
}

DIRAC_FN dvec dirac_vbar(mue_p4 p, double m, int s)
{
    dvec v = dirac_v(p, m, s), r;
    for (int i = 0; i < 4; i++)
        r.v[i] = (i < 2 ? 1.0 : -1.0) * conj(v.v[i]);
    return r;
}

/* ubar = u^dagger gamma^0 (a row). */
DIRAC_FN dvec dirac_ubar(mue_p4 p, double m, int s)
{
    dvec u = dirac_u(p, m, s), r;
    for (int i = 0; i < 4; i++)
        r.v[i] = (i < 2 ? 1.0 : -1.0) * conj(u.v[i]);
    return r;
}

/* a^mu b_mu for complex contravariant components */
DIRAC_FN dcx dirac_contract(const dcx a[4], const dcx b[4])
{
    return a[0] * b[0] - a[1] * b[1] - a[2] * b[2] - a[3] * b[3];
}

/* ---- massive vector boson polarisations ---- */

/* Three real vectors (so eps* = eps) with eps.k = 0, eps_i.eps_j = -delta_ij: two transverse
 * to the 3-momentum, one longitudinal (|k|/m, E khat/m). Needs m > 0. */
DIRAC_FN void dirac_polarisations(mue_p4 k, double m, mue_p4 eps[3])
{
    double kk = mue_p4_pabs(k);
    double n[3] = {0.0, 0.0, 1.0};
    if (kk > 0.0) {
        n[0] = k.x / kk;
        n[1] = k.y / kk;
        n[2] = k.z / kk;
    }
    /* the coordinate axis least aligned with n, orthogonalised against n */
    int ax = 0;
    for (int i = 1; i < 3; i++)
        if (fabs(n[i]) < fabs(n[ax]))
            ax = i;
    double a[3] = {0.0, 0.0, 0.0};
    a[ax] = 1.0;
    double an = a[0] * n[0] + a[1] * n[1] + a[2] * n[2];
    double e1[3] = {a[0] - an * n[0], a[1] - an * n[1], a[2] - an * n[2]};
    double l1 = sqrt(e1[0] * e1[0] + e1[1] * e1[1] + e1[2] * e1[2]);
    for (int i = 0; i < 3; i++)
        e1[i] /= l1;
    double e2[3] = {n[1] * e1[2] - n[2] * e1[1], n[2] * e1[0] - n[0] * e1[2],
                    n[0] * e1[1] - n[1] * e1[0]};
    eps[0] = mue_p4_make(0.0, e1[0], e1[1], e1[2]);
    eps[1] = mue_p4_make(0.0, e2[0], e2[1], e2[2]);
    eps[2] = mue_p4_make(kk / m, k.e * n[0] / m, k.e * n[1] / m, k.e * n[2] / m);
}

/* ---- the amplitudes ---- */

/* Everything that does not depend on spins or on the Z' vector. */
typedef struct {
    dmat G[4];
    dmat S1, S2;   /* (p3+k)slash + m, (p1-k)slash + m */
    double iD1, iD2;
    double pref;   /* e^2 g / t */
    mue_p4 p1, p2, p3, p4, k, q;
    double mm, me, mz;
} dirac_zp;

DIRAC_FN dirac_zp dirac_zp_setup(mue_p4 p1, mue_p4 p2, mue_p4 p3, mue_p4 p4, mue_p4 k, double mm,
                               double me, double mz, double alpha, double g)
{
    dirac_zp z;
    dirac_gammas(z.G);
    z.p1 = p1, z.p2 = p2, z.p3 = p3, z.p4 = p4, z.k = k;
    z.mm = mm, z.me = me, z.mz = mz;
    z.S1 = dmat_axpy(dirac_slash(z.G, mue_p4_add(p3, k)), 1.0, dmat_scaled_unit(mm));
    z.S2 = dmat_axpy(dirac_slash(z.G, mue_p4_sub(p1, k)), 1.0, dmat_scaled_unit(mm));
    /* propagator denominators from on-shell dot products: no m^2 - m^2 cancellation */
    z.iD1 = 1.0 / (2.0 * mue_p4_dot(p3, k) + mz * mz);
    z.iD2 = 1.0 / (mz * mz - 2.0 * mue_p4_dot(p1, k));
    z.q = mue_p4_sub(p2, p4);
    z.pref = 4.0 * MUE_PI * alpha * g / mue_p4_dot(z.q, z.q);
    return z;
}

/* Muon current J^a = ubar3 [V S1 gamma^a / D1 + gamma^a S2 V / D2] u1 for a Z' vertex
 * matrix V (eps*slash, kslash, or gamma^nu for the open index). */
DIRAC_FN void dirac_muon_current(const dirac_zp *z, dmat V, int s1, int s3, dcx J[4])
{
    dvec u1 = dirac_u(z->p1, z->mm, s1), ub3 = dirac_ubar(z->p3, z->mm, s3);
    dvec r = dvec_row_mat(dvec_row_mat(ub3, V), z->S1); /* ubar3 V S1 */
    dvec c = dmat_col(z->S2, dmat_col(V, u1));           /* S2 V u1 */
    for (int a = 0; a < 4; a++)
        J[a] = dvec_sandwich(r, z->G[a], u1) * z->iD1 + dvec_sandwich(ub3, z->G[a], c) * z->iD2;
}

/* Electron current j^a = ubar4 gamma^a u2, complete (no current-conservation reduction). */
DIRAC_FN void dirac_electron_current(const dirac_zp *z, int s2, int s4, dcx j[4])
{
    dvec u2 = dirac_u(z->p2, z->me, s2), ub4 = dirac_ubar(z->p4, z->me, s4);
    for (int a = 0; a < 4; a++)
        j[a] = dvec_sandwich(ub4, z->G[a], u2);
}

/* M = e^2 g / t * J^a(V) j_a */
DIRAC_FN dcx dirac_zp_amp(const dirac_zp *z, dmat V, int s1, int s3, const dcx j[4])
{
    dcx J[4];
    dirac_muon_current(z, V, s1, s3, J);
    return z->pref * dirac_contract(J, j);
}

enum {
    DIRAC_POL_EXPLICIT = 0, /* three explicit polarisation vectors */
    DIRAC_POL_PROCA = 1,    /* open index M^nu, tensor -g + k k / m^2 */
    DIRAC_POL_METRIC = 2    /* open index M^nu, tensor -g (what production uses) */
};

/* The Z' vertex matrices: eps*slash for the three explicit polarisations (returns 3),
 * or gamma^nu for the open index, M^nu (returns 4). */
DIRAC_FN int dirac_zprime_vertices(const dirac_zp *z, mue_p4 k, double mz, int explicit_pol,
                                   dmat *V)
{
    if (explicit_pol) {
        mue_p4 eps[3];
        dirac_polarisations(k, mz, eps);
        for (int i = 0; i < 3; i++)
            V[i] = dirac_slash(z->G, eps[i]);
        return 3;
    }
    for (int nu = 0; nu < 4; nu++)
        V[nu] = z->G[nu];
    return 4;
}

DIRAC_FN double dirac_zprime_msq_pol(mue_p4 p1, mue_p4 p2, mue_p4 p3, mue_p4 p4, mue_p4 k,
                                   double mm, double me, double mz, double alpha, double g,
                                   int mode)
{
    dirac_zp z = dirac_zp_setup(p1, p2, p3, p4, k, mm, me, mz, alpha, g);
    dmat V[4];
    int nv = dirac_zprime_vertices(&z, k, mz, mode == DIRAC_POL_EXPLICIT, V);
    const dcx kc[4] = {k.e, k.x, k.y, k.z};
    double sum = 0.0;
    for (int s2 = 0; s2 < 2; s2++)
        for (int s4 = 0; s4 < 2; s4++) {
            dcx j[4];
            dirac_electron_current(&z, s2, s4, j);
            for (int s1 = 0; s1 < 2; s1++)
                for (int s3 = 0; s3 < 2; s3++) {
                    dcx M[4];
                    for (int i = 0; i < nv; i++)
                        M[i] = dirac_zp_amp(&z, V[i], s1, s3, j);
                    if (mode == DIRAC_POL_EXPLICIT) {
                        for (int i = 0; i < 3; i++)
                            sum += creal(M[i] * conj(M[i]));
                    } else {
                        /* -g_{nu rho} M^nu M^rho* */
                        double mg = -creal(M[0] * conj(M[0]));
                        for (int i = 1; i < 4; i++)
                            mg += creal(M[i] * conj(M[i]));
                        sum += mg;
                        if (mode == DIRAC_POL_PROCA) {
                            dcx mk = dirac_contract(M, kc); /* M^nu k_nu */
                            sum += creal(mk * conj(mk)) / (mz * mz);
                        }
                    }
                }
        }
    return 0.25 * sum;
}

/* 1/4 sum over all spins and the three explicit Z' polarisations. */
DIRAC_FN double dirac_zprime_msq(mue_p4 p1, mue_p4 p2, mue_p4 p3, mue_p4 p4, mue_p4 k, double mm,
                               double me, double mz, double alpha, double g)
{
    return dirac_zprime_msq_pol(p1, p2, p3, p4, k, mm, me, mz, alpha, g, DIRAC_POL_EXPLICIT);
}

enum { DIRAC_WARD_ZPRIME = 0, DIRAC_WARD_PHOTON = 1 };

/* Ward identities, zero up to rounding.
 * Z' index: max over spins of |M| with eps* -> k, over max over spins and the three
 * polarisations of the true |M|.
 * Photon index: the electron current replaced by q = p2 - p4, with the Z' index left open
 * (eps*slash -> gamma^nu: J.q = 0 holds for any Z' vertex, so this covers every
 * polarisation), over max over spins and nu of |M^nu|. Open rather than explicit vectors
 * because eps_L ~ E/m_Z' would scale the rounding of J.q by E/m_Z' (up to ~200 at 1 MeV)
 * while the physical longitudinal amplitude is suppressed by m_Z'/E. */
DIRAC_FN double dirac_zprime_ward(mue_p4 p1, mue_p4 p2, mue_p4 p3, mue_p4 p4, mue_p4 k, double mm,
                                double me, double mz, double alpha, double g, int index)
{
    dirac_zp z = dirac_zp_setup(p1, p2, p3, p4, k, mm, me, mz, alpha, g);
    dmat V[4];
    int nv = dirac_zprime_vertices(&z, k, mz, index == DIRAC_WARD_ZPRIME, V);
    const dmat Vk = dirac_slash(z.G, k);
    const dcx qc[4] = {z.q.e, z.q.x, z.q.y, z.q.z};
    double mmax = 0.0, wmax = 0.0;
    for (int s2 = 0; s2 < 2; s2++)
        for (int s4 = 0; s4 < 2; s4++) {
            dcx j[4];
            dirac_electron_current(&z, s2, s4, j);
            for (int s1 = 0; s1 < 2; s1++)
                for (int s3 = 0; s3 < 2; s3++) {
                    for (int i = 0; i < nv; i++) {
                        mmax = fmax(mmax, cabs(dirac_zp_amp(&z, V[i], s1, s3, j)));
                        if (index == DIRAC_WARD_PHOTON)
                            wmax = fmax(wmax, cabs(dirac_zp_amp(&z, V[i], s1, s3, qc)));
                    }
                    if (index == DIRAC_WARD_ZPRIME)
                        wmax = fmax(wmax, cabs(dirac_zp_amp(&z, Vk, s1, s3, j)));
                }
        }
    return wmax / mmax;
}

/* mu e -> mu e: M = e^2 / t * ubar3 gamma^a u1 ubar4 gamma_a u2; 1/4 sum over spins. */
DIRAC_FN double dirac_elastic_msq(mue_p4 p1, mue_p4 p2, mue_p4 p3, mue_p4 p4, double mm, double me,
                                double alpha)
{
    dmat G[4];
    dirac_gammas(G);
    mue_p4 q = mue_p4_sub(p2, p4);
    double pref = 4.0 * MUE_PI * alpha / mue_p4_dot(q, q);
    double sum = 0.0;
    for (int s1 = 0; s1 < 2; s1++)
        for (int s2 = 0; s2 < 2; s2++)
            for (int s3 = 0; s3 < 2; s3++)
                for (int s4 = 0; s4 < 2; s4++) {
                    dvec u1 = dirac_u(p1, mm, s1), ub3 = dirac_ubar(p3, mm, s3);
                    dvec u2 = dirac_u(p2, me, s2), ub4 = dirac_ubar(p4, me, s4);
                    dcx J[4], j[4];
                    for (int a = 0; a < 4; a++) {
                        J[a] = dvec_sandwich(ub3, G[a], u1);
                        j[a] = dvec_sandwich(ub4, G[a], u2);
                    }
                    dcx M = pref * dirac_contract(J, j);
                    sum += creal(M * conj(M));
                }
    return 0.25 * sum;
}

/* mu(p1) e(p2) -> mu(p3) e(p4) gamma(k): the four diagrams as explicit 4x4 products,
 * photon from either lepton line, both lines of charge -1 (so every diagram carries the
 * same e^3 Q^3 and they add), photon propagators -g/t, the two real transverse photon
 * polarisations of dirac_polarisations. Spin-summed (not averaged) |M|^2 in units of e^6,
 * and the halves with the photon from the muon line and from the electron line. */
DIRAC_FN double dirac_mueg_msq_sum(mue_p4 p1, mue_p4 p2, mue_p4 p3, mue_p4 p4, mue_p4 k,
                                   double mm, double me, double *msq_mu, double *msq_e)
{
    dmat G[4];
    dirac_gammas(G);
    mue_p4 eps[3];
    dirac_polarisations(k, 1.0, eps); /* eps[0], eps[1] transverse; the mass only sets eps[2] */
    dmat S3 = dmat_axpy(dirac_slash(G, mue_p4_add(p3, k)), 1.0, dmat_scaled_unit(mm));
    dmat S1 = dmat_axpy(dirac_slash(G, mue_p4_sub(p1, k)), 1.0, dmat_scaled_unit(mm));
    dmat S4 = dmat_axpy(dirac_slash(G, mue_p4_add(p4, k)), 1.0, dmat_scaled_unit(me));
    dmat S2 = dmat_axpy(dirac_slash(G, mue_p4_sub(p2, k)), 1.0, dmat_scaled_unit(me));
    double D3 = 2.0 * mue_p4_dot(p3, k), D1 = -2.0 * mue_p4_dot(p1, k);
    double D4 = 2.0 * mue_p4_dot(p4, k), D2 = -2.0 * mue_p4_dot(p2, k);
    mue_p4 qe = mue_p4_sub(p2, p4), qm = mue_p4_sub(p1, p3);
    double te = mue_p4_dot(qe, qe), tm = mue_p4_dot(qm, qm);
    double sum = 0.0, smu = 0.0, se = 0.0;
    for (int pol = 0; pol < 2; pol++) {
        dmat E = dirac_slash(G, eps[pol]);
        for (int s1 = 0; s1 < 2; s1++)
            for (int s2 = 0; s2 < 2; s2++)
                for (int s3 = 0; s3 < 2; s3++)
                    for (int s4 = 0; s4 < 2; s4++) {
                        dvec u1 = dirac_u(p1, mm, s1), ub3 = dirac_ubar(p3, mm, s3);
                        dvec u2 = dirac_u(p2, me, s2), ub4 = dirac_ubar(p4, me, s4);
                        /* currents without and with the emission on each line */
                        dvec r3 = dvec_row_mat(dvec_row_mat(ub3, E), S3), c1 = dmat_col(S1, dmat_col(E, u1));
                        dvec r4 = dvec_row_mat(dvec_row_mat(ub4, E), S4), c2 = dmat_col(S2, dmat_col(E, u2));
                        dcx Jm[4], Je[4], Km[4], Ke[4];
                        for (int a = 0; a < 4; a++) {
                            Jm[a] = dvec_sandwich(ub3, G[a], u1);
                            Je[a] = dvec_sandwich(ub4, G[a], u2);
                            Km[a] = dvec_sandwich(r3, G[a], u1) / D3 + dvec_sandwich(ub3, G[a], c1) / D1;
                            Ke[a] = dvec_sandwich(r4, G[a], u2) / D4 + dvec_sandwich(ub4, G[a], c2) / D2;
                        }
                        dcx amu = dirac_contract(Km, Je) / te, ae = dirac_contract(Ke, Jm) / tm;
                        smu += creal(amu * conj(amu));
                        se += creal(ae * conj(ae));
                        sum += creal((amu + ae) * conj(amu + ae));
                    }
    }
    *msq_mu = smu;
    *msq_e = se;
    return sum;
}

#endif
