/* How far one ulp in a math-library result can move a point's weight, for the GPU
 * parity test (tests/test_gpu_parity.cu, see libm_ulp.h).
 *
 * The CPU (glibc) and the GPU (CUDA's libdevice) round exp, expm1, log, log1p, atan,
 * atan2, cos and tan differently in the last bit; every other operation of the
 * physics (+ - * /, sqrt, with FMA contraction off on both) is correctly rounded on
 * both. Near a kinematic edge the weight can depend on such a result through a
 * difference that vanishes there, so one ulp moves the weight by far more than one
 * ulp (seen: 3.9e-12 from one ulp of the exp of the D1 map at x0 = 0.99994). This
 * file compiles the physics once more with each of those functions replaced by one
 * that can push its result one ulp up or down, and measures the effect.
 * The state is this test helper's own; the physics itself stays free of globals. */
#include <math.h>
#include <stddef.h>

static int ulp_call, ulp_target = -1, ulp_dir;

static double ulp_bump(double r)
{
    if (ulp_call++ == ulp_target)
        r = nextafter(r, ulp_dir > 0 ? INFINITY : -INFINITY);
    return r;
}

static double ulp_exp(double x) { return ulp_bump(exp(x)); }
static double ulp_expm1(double x) { return ulp_bump(expm1(x)); }
static double ulp_log(double x) { return ulp_bump(log(x)); }
static double ulp_log1p(double x) { return ulp_bump(log1p(x)); }
static double ulp_atan(double x) { return ulp_bump(atan(x)); }
static double ulp_atan2(double y, double x) { return ulp_bump(atan2(y, x)); }
static double ulp_cos(double x) { return ulp_bump(cos(x)); }
static double ulp_tan(double x) { return ulp_bump(tan(x)); }

/* <math.h> is in already, so only the physics' calls are renamed */
#define exp ulp_exp
#define expm1 ulp_expm1
#define log ulp_log
#define log1p ulp_log1p
#define atan ulp_atan
#define atan2 ulp_atan2
#define cos ulp_cos
#define tan ulp_tan
#include "mue/process.h"
#undef exp
#undef expm1
#undef log
#undef log1p
#undef atan
#undef atan2
#undef cos
#undef tan

#include "libm_ulp.h"

double mue_test_libm_ulp_sensitivity(const mue_setup *S, const double *x, int *ncalls)
{
    ulp_target = -1;
    ulp_call = 0;
    const double w0 = mue_integrand(S, x, NULL);
    const int n = ulp_call;
    if (ncalls)
        *ncalls = n;
    double sens = 0.0;
    if (w0 == 0.0 || !isfinite(w0))
        return 0.0;
    for (int c = 0; c < n; c++) {
        double worst = 0.0;
        for (int dir = -1; dir <= 1; dir += 2) {
            ulp_call = 0;
            ulp_target = c;
            ulp_dir = dir;
            const double w = mue_integrand(S, x, NULL);
            /* a bump that crosses a cut is the cut-boundary case, counted apart */
            if (w != 0.0 && isfinite(w))
                worst = fmax(worst, fabs(w - w0) / fabs(w0));
        }
        sens += worst;
    }
    ulp_target = -1;
    return sens;
}
