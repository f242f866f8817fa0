/* One marker for every physics function: plain inline C on the host, host+device
 * under nvcc, so the CPU reference path and the CUDA kernels compile the same source. */
#ifndef MUE_DEFS_H
#define MUE_DEFS_H

#ifdef __CUDACC__
#define MUE_FN static inline __host__ __device__
#else
#define MUE_FN static inline
#endif

#include <math.h>

/* docs/physics.md, "Constants" */
#define MUE_M_MU 0.1056583755      /* GeV */
#define MUE_M_E 0.000510998950     /* GeV */
#define MUE_M_TAU 1.77686          /* GeV (PDG 2024): the Z' decay to tau pairs */
#define MUE_ALPHA0 (1.0 / 137.035999084)
#define MUE_GEV2_TO_FB 0.3893793721e12
#define MUE_PI 3.14159265358979323846

MUE_FN double mue_sq(double x) { return x * x; }

/* ln(1 + z), z >= 0. From z = 1 on, log(1 + z) is as good: the result is at least
 * ln 2, so the rounding of 1 + z moves it by under 2^-52 relative; and glibc's log
 * costs about half its log1p. */
MUE_FN double mue_log1p(double z) { return z >= 1.0 ? log(1.0 + z) : log1p(z); }

/* Kallen function lambda(a,b,c) = a^2 + b^2 + c^2 - 2ab - 2ac - 2bc, written as a
 * product so that it stays accurate near threshold and for very unequal masses. */
MUE_FN double mue_kallen(double s, double ma2, double mb2)
{
    double ma = sqrt(ma2), mb = sqrt(mb2);
    return (s - mue_sq(ma + mb)) * (s - mue_sq(ma - mb));
}

#endif
