/* The detector model the selection can be applied through (docs/physics.md, Detector):
 * the ECAL energy resolution with an optional wider second Gaussian, its size and
 * distance, the angular resolution that merges an electron and a photon into one
 * cluster, the muon-angle resolution, the photon veto. Plain data, copied to the device
 * inside mue_params; the functions here are the resolution arithmetic only (the event
 * level is detector_select.h). */
#ifndef MUE_DETECTOR_H
#define MUE_DETECTOR_H

#include "mue/defs.h"

/* How the smearing enters the weight: one draw per point from the point's own random
 * stream (an event as the detector would record it), or the probability that the
 * smeared event passes (its expectation over the smearing: no extra variance, and the
 * only way to see a 1e-20 Gaussian tail) */
enum { MUE_DET_SAMPLE = 0, MUE_DET_EXPECT = 1 };
/* Which cuts a run applies at detector level */
enum { MUE_DET_CUT_I = 1, MUE_DET_CUT_II = 2, MUE_DET_CUT_III = 4, MUE_DET_CUT_ALL = 7 };
/* Uniforms a point draws for the detector, after its integration variables: two for
 * the Box-Muller pair (E, theta_mu) and one for the tail choice (sample mode), then the
 * event's azimuth about the beam (MUE_DET_U_AZIMUTH), which the square ECAL face sees */
#define MUE_DET_NU 4
#define MUE_DET_U_AZIMUTH 3

typedef struct {
    int enabled;
    int mode;                   /* MUE_DET_SAMPLE or MUE_DET_EXPECT */
    int cuts;                   /* MUE_DET_CUT_* applied */
    double ecal_a;              /* stochastic term, GeV^1/2: sigma/E = a/sqrt(E) (+) b (+) c/E */
    double ecal_b;              /* constant term */
    double ecal_c;              /* noise term, GeV */
    double tail_frac;           /* share of clusters measured with the wider Gaussian */
    double tail_scale;          /* its width over the core's */
    double ecal_size;           /* full side of the square ECAL face, m */
    double ecal_dist;           /* target to ECAL face, m */
    double cluster_dtheta;      /* e and gamma closer than this (rad): one cluster */
    double theta_mu_res;        /* muon angle resolution, rad */
    double veto_emin;           /* a separate photon cluster above this (GeV) vetoes */
    double veto_ineff;          /* probability that it does not */
    double gen_sigmas;          /* generation window: cut edges widened by this many widths */
    double theta_mu_min;        /* the selection on measured quantities: cut (i) */
    double ee_min, ee_max;      /* cut (ii), on the electron cluster */
} mue_detector;

/* docs/physics.md Eq. (14.1)-(14.4): defaults. The ECAL terms are those of the PbWO4
 * crystals MUonE uses (a, c) with the constant term set inside the 2-5 % the paper
 * quotes from the MUonE LoI at 40 GeV. */
MUE_FN mue_detector mue_detector_default(void)
{
    mue_detector d;
    d.enabled = 0;
    d.mode = MUE_DET_SAMPLE;
    d.cuts = MUE_DET_CUT_ALL;
    d.ecal_a = 0.028;
    d.ecal_b = 0.035;
    d.ecal_c = 0.128;
    d.tail_frac = 0.0;
    d.tail_scale = 3.0;
    d.ecal_size = 1.0;
    d.ecal_dist = 1.0;
    d.cluster_dtheta = 1e-3;
    d.theta_mu_res = 1e-5;
    d.veto_emin = 1.0;
    d.veto_ineff = 1e-3;
    d.gen_sigmas = 38.0;
    d.theta_mu_min = 1.5e-3;
    d.ee_min = 1.0;
    d.ee_max = 25.0;
    return d;
}

/* Eq. (14.1): sigma_E = sqrt(a^2 E + b^2 E^2 + c^2), the core width at true energy E */
MUE_FN double mue_ecal_sigma(const mue_detector *d, double e)
{
    double ep = e > 0.0 ? e : 0.0;
    return sqrt(d->ecal_a * d->ecal_a * ep + d->ecal_b * d->ecal_b * ep * ep + d->ecal_c * d->ecal_c);
}

/* Probability that x + sigma z (z standard normal) exceeds thr; a step for sigma = 0 */
MUE_FN double mue_det_p_above(double x, double thr, double sigma)
{
    if (!(sigma > 0.0))
        return x > thr ? 1.0 : 0.0;
    return 0.5 * erfc((thr - x) / (sigma * 1.4142135623730951));
}

/* Probability that x + sigma z lands in (lo, hi), Eq. (14.3): each side written as the
 * small erfc of its own distance, so a 1e-25 tail keeps its digits (a difference of
 * two numbers near 1 would not) */
MUE_FN double mue_det_p_window(double x, double lo, double hi, double sigma)
{
    if (!(sigma > 0.0))
        return x > lo && x < hi ? 1.0 : 0.0;
    const double k = 1.0 / (sigma * 1.4142135623730951);
    if (x >= hi)
        return 0.5 * (erfc((x - hi) * k) - erfc((x - lo) * k));
    if (x <= lo)
        return 0.5 * (erfc((lo - x) * k) - erfc((hi - x) * k));
    return 1.0 - 0.5 * erfc((x - lo) * k) - 0.5 * erfc((hi - x) * k);
}

/* Eq. (14.2)-(14.3): probability that a cluster of true energy e is measured inside
 * (lo, hi): the core Gaussian and, with share tail_frac, the one tail_scale wider */
MUE_FN double mue_ecal_p_window(const mue_detector *d, double e, double lo, double hi)
{
    double s = mue_ecal_sigma(d, e);
    double p = mue_det_p_window(e, lo, hi, s);
    if (d->tail_frac > 0.0)
        p = (1.0 - d->tail_frac) * p + d->tail_frac * mue_det_p_window(e, lo, hi, d->tail_scale * s);
    return p;
}

/* Two standard normals from two uniforms in (0, 1] (Box-Muller) */
MUE_FN void mue_det_normals(double u0, double u1, double *z0, double *z1)
{
    double r = sqrt(-2.0 * log(u0));
    *z0 = r * cos(2.0 * MUE_PI * u1);
    *z1 = r * sin(2.0 * MUE_PI * u1);
}

/* One measured energy of a cluster of true energy e: z a standard normal, t a uniform
 * that picks the tail Gaussian with probability tail_frac */
MUE_FN double mue_ecal_smear(const mue_detector *d, double e, double z, double t)
{
    double s = mue_ecal_sigma(d, e);
    if (d->tail_frac > 0.0 && t <= d->tail_frac)
        s *= d->tail_scale;
    return e + s * z;
}

#endif
