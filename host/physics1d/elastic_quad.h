/* The elastic cross section by quadrature (elastic_quad.c). */
#ifndef MUE_ELASTIC_QUAD_H
#define MUE_ELASTIC_QUAD_H

#include "mue/params.h"

/* sigma (fb) of mu e -> mu e with ee_min < E_e < ee_max (no angle cut), by GSL QAG
 * over ln(-t); *err its error estimate. */
double mue_elastic_sigma_quad(const mue_params *p, double ee_min, double ee_max, double *err);

#endif
