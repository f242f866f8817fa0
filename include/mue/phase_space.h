/* Building blocks of the phase-space maps: importance maps of one variable and the
 * exact 2 -> 2 limits, written so that small invariants keep their digits. */
#ifndef MUE_PHASE_SPACE_H
#define MUE_PHASE_SPACE_H

#include "mue/fourvec.h"

/* v = lo (hi/lo)^x flattens a 1/v peak; L = ln(hi/lo) > 0 is passed in so that a
 * constant range costs no logarithm. Returns v; *above_lo = v - lo without
 * cancellation, *jac = dv/dx. */
MUE_FN double mue_ps_log_map(double x, double lo, double L, double *above_lo, double *jac)
{
    /* expm1 only where e^xL - 1 would lose digits: it costs twice exp */
    double xl = x * L;
    double e = xl < 0.5 ? expm1(xl) : exp(xl) - 1.0;
    double v = lo + lo * e;
    *above_lo = lo * e;
    *jac = v * L;
    return v;
}

/* Range of tau = -t = -(p_b - p_c)^2 in a(p_a) b(p_b) -> X c(p_c) at fixed s and
 * M_X, when b and c have the same mass m (the recoil electron): tau_min, the forward
 * end, equals 2 m^2 u D^2 / ((K + B)(A + B)) with D = M_X^2 - m_a^2, which is
 * t_+ - 2m^2 rewritten without cancellation (it vanishes when D = 0, the elastic
 * case). rs = sqrt(s), sqrt_li = lambda^{1/2}(s, m_a^2, m^2). Also gives |p_c|
 * in the CM.
 * Returns 0 if X cannot be produced. */
MUE_FN int mue_ps_recoil_tau_range(double s, double rs, double ma2, double m, double sqrt_li,
                                   double MX, double D, double *tau_min, double *tau_max,
                                   double *pc)
{
    double m2 = m * m, MX2 = MX * MX;
    double a = s + m2 - ma2, b = s + m2 - MX2;
    double lf = (s - (MX + m) * (MX + m)) * (s - (MX - m) * (MX - m));
    if (!(lf > 0.0) || b <= 0.0)
        return 0;
    double sqrt_lf = sqrt(lf);
    double A = a * b, B = sqrt_li * sqrt_lf;
    double u = a * a + b * b - 4.0 * s * m2;
    double K = u - a * b;
    *tau_min = 2.0 * m2 * u * D * D / ((K + B) * (A + B));
    *tau_max = (A + B) / (2.0 * s) - 2.0 * m2;
    *pc = sqrt_lf / (2.0 * rs);
    return 1;
}

/* Polar angle of the recoil p_c measured from the direction of p_b: 1 - cos follows
 * from tau - tau_min (t is linear in cos at fixed energies), which the log map gives
 * directly, so forward recoils keep their small angles. */
MUE_FN void mue_ps_recoil_angle(double tau_above_min, double pb, double pc, double *cth,
                                double *sth)
{
    double omc = tau_above_min / (2.0 * pb * pc);
    if (omc > 2.0)
        omc = 2.0;
    *cth = 1.0 - omc;
    double s2 = omc * (2.0 - omc);
    *sth = s2 > 0.0 ? sqrt(s2) : 0.0;
}

/* An azimuth from x in (0,1) without trigonometric calls: each half of the unit
 * interval covers half the circle through the rational map cos = (1-t^2)/(1+t^2),
 * sin = 2t/(1+t^2), t in (-1, 1); returns dphi/dx (between 4 and 8, smooth for
 * the grid). */
MUE_FN double mue_ps_azimuth(double x, double *cphi, double *sphi)
{
    double half = x < 0.5 ? 1.0 : -1.0;
    double t = x < 0.5 ? 4.0 * x - 1.0 : 4.0 * x - 3.0;
    double r = 1.0 / (1.0 + t * t);
    *cphi = half * (1.0 - t * t) * r;
    *sphi = half * 2.0 * t * r;
    return 8.0 * r;
}

/* cos and sin of phi = 2 pi u, u in (0, 1]: phi uniform in the circle. Written out
 * (exact quadrant reduction, then Taylor series on [0, pi/4], good to an ulp or two)
 * rather than calling sin and cos, so that the host and the device (built without
 * fused multiply-add) give the same bits, and an event file its same bytes. */
MUE_FN void mue_ps_azimuth_uniform(double u, double *cphi, double *sphi)
{
    const double v = 4.0 * u; /* phi = (pi/2) v: quadrant q, fraction r, both exact */
    const double q = floor(v), r = v - q;
    const int flip = r > 0.5; /* sin((pi/2) r) = cos((pi/2)(1 - r)) */
    const double a = (flip ? 1.0 - r : r) * (0.5 * MUE_PI), a2 = a * a;
    double sn = 1.0 / 1307674368000.0; /* 1/15!, then down to a */
    sn = sn * a2 - 1.0 / 6227020800.0;
    sn = sn * a2 + 1.0 / 39916800.0;
    sn = sn * a2 - 1.0 / 362880.0;
    sn = sn * a2 + 1.0 / 5040.0;
    sn = sn * a2 - 1.0 / 120.0;
    sn = sn * a2 + 1.0 / 6.0;
    sn = a - a * a2 * sn;
    double cs = 1.0 / 20922789888000.0; /* 1/16!, then down to 1 */
    cs = cs * a2 - 1.0 / 87178291200.0;
    cs = cs * a2 + 1.0 / 479001600.0;
    cs = cs * a2 - 1.0 / 3628800.0;
    cs = cs * a2 + 1.0 / 40320.0;
    cs = cs * a2 - 1.0 / 720.0;
    cs = cs * a2 + 1.0 / 24.0;
    cs = cs * a2 - 0.5;
    cs = 1.0 + a2 * cs;
    const double c0 = flip ? sn : cs, s0 = flip ? cs : sn;
    switch ((int)q & 3) {
    case 0: *cphi = c0, *sphi = s0; break;
    case 1: *cphi = -s0, *sphi = c0; break;
    case 2: *cphi = -c0, *sphi = -s0; break;
    default: *cphi = s0, *sphi = -c0; break;
    }
}

/* Window on tau = -t = 2 m_e (E_e - m_e) that the lab electron-energy cut (ii) imposes
 * (t = (p2 - p4)^2 with the target electron at rest). */
MUE_FN void mue_ps_tau_from_ee(double me, double ee_min, double ee_max, double *tau_lo,
                               double *tau_hi)
{
    *tau_lo = 2.0 * me * (ee_min - me);
    *tau_hi = 2.0 * me * (ee_max - me);
}

#endif
