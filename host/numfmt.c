#include "numfmt.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

/* 10^k, k = 0 .. 22: exactly representable, so one multiplication rounds once */
static const double p10[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                               1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                               1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* v 10^k, k of either sign, in steps of at most 10^22 */
static double scale10(double v, int k)
{
    while (k > 22) {
        v *= 1e22;
        k -= 22;
    }
    while (k < -22) {
        v /= 1e22;
        k += 22;
    }
    return k >= 0 ? v * p10[k] : v / p10[-k];
}

char *mue_fmt_u(char *p, unsigned long long v)
{
    char t[24];
    int n = 0;
    do {
        t[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        *p++ = t[--n];
    return p;
}

char *mue_fmt_s(char *p, const char *s)
{
    size_t n = strlen(s);
    memcpy(p, s, n);
    return p + n;
}

char *mue_fmt_e(char *p, double v)
{
    const uint64_t lo = 1000000000000000ull, hi = 10000000000000000ull; /* 1e15, 1e16 */
    if (v == 0.0 || !isfinite(v))
        return mue_fmt_s(p, "0.000000000000000e+00");
    if (v < 0.0) {
        *p++ = '-';
        v = -v;
    }
    int e = (int)floor(log10(v));
    /* the 16 digits as an integer in [1e15, 1e16); log10 may be one off near a power
     * of ten, and rounding may carry into a 17th digit */
    uint64_t d = (uint64_t)(scale10(v, 15 - e) + 0.5);
    if (d < lo) {
        e--;
        d = (uint64_t)(scale10(v, 15 - e) + 0.5);
    }
    if (d >= hi) {
        e++;
        d = (d + 5) / 10;
    }
    char t[16];
    for (int k = 15; k >= 0; k--) {
        t[k] = (char)('0' + d % 10);
        d /= 10;
    }
    *p++ = t[0];
    *p++ = '.';
    memcpy(p, t + 1, 15);
    p += 15;
    *p++ = 'e';
    *p++ = e < 0 ? '-' : '+';
    int a = e < 0 ? -e : e;
    if (a >= 100)
        *p++ = (char)('0' + a / 100);
    *p++ = (char)('0' + a / 10 % 10);
    *p++ = (char)('0' + a % 10);
    return p;
}
