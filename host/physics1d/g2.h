/* The muon g-2 side of the Z' (docs/physics.md, "Muon g-2"). */
#ifndef MUE_G2_H
#define MUE_G2_H

/* docs/physics.md, Eq. (7.1): Delta a_mu = g^2/(8 pi^2) int_0^1 dx 2 m^2 x^2 (1-x) /
 * (x^2 m^2 + (1-x) M^2); *err gets the quadrature error estimate (may be 0). */
double mue_g2_delta_amu(double m_zp, double g, double m_mu, double *err);

/* Coupling for which the Z' alone gives Delta a_mu = target (0 if target <= 0):
 * Delta a_mu is exactly proportional to g^2. */
double mue_g2_coupling_for(double m_zp, double target, double m_mu);

/* The g-2 presets (docs/physics.md, "Muon g-2"): Delta a_mu = central +- sigma (units of 1). */
typedef struct {
    const char *name;
    double central, sigma;
    const char *note;
} mue_g2_preset;
extern const mue_g2_preset mue_g2_presets[];
const mue_g2_preset *mue_g2_preset_find(const char *name);

#endif
