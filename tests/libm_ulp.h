/* The weight's sensitivity to the last bit of the math library (tests/libm_ulp.c). */
#ifndef MUE_TEST_LIBM_ULP_H
#define MUE_TEST_LIBM_ULP_H

#include "mue/process.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Sum over the math-library calls of mue_integrand(S, x) of the largest relative
 * change of the weight when that call's result moves one ulp up or down (0 when
 * the weight is 0). To first order, a bound on |dw/w| when each result may be off
 * by one ulp. *ncalls (may be null) gets the number of such calls. */
double mue_test_libm_ulp_sensitivity(const mue_setup *S, const double *x, int *ncalls);

#ifdef __cplusplus
}
#endif

#endif
