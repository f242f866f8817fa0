/* Kinematic limits (kinematic_limits.c). */
#ifndef MUE_KINEMATIC_LIMITS_H
#define MUE_KINEMATIC_LIMITS_H

#include "mue/params.h"

/* Kinematic limit on the mass of a new particle in mu e -> mu e X: sqrt(s) - m_mu - m_e. */
double mue_zprime_mass_limit(const mue_params *p);

/* Smallest lab E_e of elastic events with theta_mu > theta_th (Eqs. 1-3, Brent root
 * of Eq. 1 on the wide-angle branch). Returns a negative number if theta_th is at or
 * above the largest muon angle. */
double mue_elastic_ee_min(double theta_th, double e_beam, double m_mu, double m_e);
/* Largest lab E_e of elastic events with theta_mu > theta_th: the other end of cut (i),
 * the Brent root of Eq. 1 on the forward branch (theta_th > 0). Negative as above. */
double mue_elastic_ee_max(double theta_th, double e_beam, double m_mu, double m_e);

/* Heaviest Z' that cut (i) leaves a signal for: the muon recoils against e + Z' of
 * mass at least m_e + m_Z', and its largest lab angle, 1/(gamma sqrt((beta/v')^2 - 1))
 * with v' its CM velocity, falls below theta_mu_min at this mass (Brent root). Cut (ii)
 * lowers the true end point a little further. Without cuts: the kinematic limit. */
double mue_zprime_mass_endpoint(const mue_params *p);

#endif
