/* Complex numbers for the amplitude layer (amplitudes.h): a plain struct with inline
 * operations, so that the same source compiles as C on the host and under nvcc for the
 * device (C99 _Complex is not available in CUDA device code). */
#ifndef MUE_COMPLEX_H
#define MUE_COMPLEX_H

#include "mue/defs.h"

typedef struct {
    double re, im;
} mue_cx;

MUE_FN mue_cx mue_cx_make(double re, double im)
{
    mue_cx z = {re, im};
    return z;
}
MUE_FN mue_cx mue_cx_real(double re) { return mue_cx_make(re, 0.0); }
MUE_FN mue_cx mue_cx_add(mue_cx a, mue_cx b) { return mue_cx_make(a.re + b.re, a.im + b.im); }
MUE_FN mue_cx mue_cx_sub(mue_cx a, mue_cx b) { return mue_cx_make(a.re - b.re, a.im - b.im); }
MUE_FN mue_cx mue_cx_neg(mue_cx a) { return mue_cx_make(-a.re, -a.im); }
MUE_FN mue_cx mue_cx_conj(mue_cx a) { return mue_cx_make(a.re, -a.im); }
MUE_FN mue_cx mue_cx_scale(double s, mue_cx a) { return mue_cx_make(s * a.re, s * a.im); }
MUE_FN mue_cx mue_cx_mul(mue_cx a, mue_cx b)
{
    return mue_cx_make(a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re);
}
/* i a and -i a, without a multiplication */
MUE_FN mue_cx mue_cx_mul_i(mue_cx a) { return mue_cx_make(-a.im, a.re); }
MUE_FN mue_cx mue_cx_mul_mi(mue_cx a) { return mue_cx_make(a.im, -a.re); }
MUE_FN double mue_cx_abs2(mue_cx a) { return a.re * a.re + a.im * a.im; }
MUE_FN mue_cx mue_cx_div(mue_cx a, mue_cx b)
{
    /* Smith's algorithm: no overflow of |b|^2 for large or small b */
    if (fabs(b.re) >= fabs(b.im)) {
        double r = b.im / b.re, d = b.re + b.im * r;
        return mue_cx_make((a.re + a.im * r) / d, (a.im - a.re * r) / d);
    }
    double r = b.re / b.im, d = b.re * r + b.im;
    return mue_cx_make((a.re * r + a.im) / d, (a.im * r - a.re) / d);
}
/* a b + c d, the pattern of every 2x2 product in the spinor algebra */
MUE_FN mue_cx mue_cx_mul2(mue_cx a, mue_cx b, mue_cx c, mue_cx d)
{
    return mue_cx_add(mue_cx_mul(a, b), mue_cx_mul(c, d));
}

#endif
