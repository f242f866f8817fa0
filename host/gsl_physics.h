/* The one-dimensional physics that GSL does better than Monte Carlo: the Z' loop
 * contribution to a_mu, the elastic cross section as a 1-D integral of dsigma/dt,
 * and the elastic kinematic limit E_e^min(theta_mu threshold) of paper Fig. 1. */
#ifndef MUE_GSL_PHYSICS_H
#define MUE_GSL_PHYSICS_H

#include "mue/params.h"

/* physics.md "Muon g-2": Delta a_mu = g^2/(8 pi^2) int_0^1 dx 2 m^2 x^2 (1-x) /
 * (x^2 m^2 + (1-x) M^2); *err gets the quadrature error estimate (may be 0). */
double mue_g2_delta_amu(double m_zp, double g, double m_mu, double *err);

/* Coupling for which the Z' alone gives Delta a_mu = target (0 if target <= 0):
 * Delta a_mu is exactly proportional to g^2. */
double mue_g2_coupling_for(double m_zp, double target, double m_mu);

/* g-2 presets of physics.md: Delta a_mu = central +- sigma (units of 1). */
typedef struct {
    const char *name;
    double central, sigma;
    const char *note;
} mue_g2_preset;
extern const mue_g2_preset mue_g2_presets[];
const mue_g2_preset *mue_g2_preset_find(const char *name);

/* sigma (fb) of mu e -> mu e with ee_min < E_e < ee_max (no angle cut), by GSL QAG
 * over ln(-t); *err its error estimate. */
double mue_elastic_sigma_quad(const mue_params *p, double ee_min, double ee_max, double *err);

/* Smallest lab E_e of elastic events with theta_mu > theta_th (Eqs. 1-3, Brent root
 * of Eq. 1 on the wide-angle branch). Returns a negative number if theta_th is at or
 * above the largest muon angle. */
double mue_elastic_ee_min(double theta_th, double e_beam, double m_mu, double m_e);

/* Heaviest Z' that cut (i) leaves a signal for: the muon recoils against e + Z' of
 * mass at least m_e + m_Z', and its largest lab angle, 1/(gamma sqrt((beta/v')^2 - 1))
 * with v' its CM velocity, falls below theta_mu_min at this mass (Brent root). Cut (ii)
 * lowers the true end point a little further. Without cuts: the kinematic limit. */
double mue_zprime_mass_endpoint(const mue_params *p);

#endif
