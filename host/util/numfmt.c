#include "util/numfmt.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

/* v 10^k in long double (64-bit mantissa on x86-64): the steps' roundings stay far
 * below the 16th digit even for exponents near +-300 */
static long double scale10(double v, int k)
{
    long double x = v, p = 1.0L, b = 10.0L;
    for (int n = k < 0 ? -k : k; n; n >>= 1, b *= b)
        if (n & 1)
            p *= b;
    return k < 0 ? x / p : x * p;
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

char *mue_fmt_i(char *p, long long v)
{
    if (v < 0)
        *p++ = '-';
    /* the magnitude in unsigned arithmetic: -LLONG_MIN does not fit a long long */
    return mue_fmt_u(p, v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v);
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
    uint64_t d = (uint64_t)(scale10(v, 15 - e) + 0.5L);
    if (d < lo) {
        e--;
        d = (uint64_t)(scale10(v, 15 - e) + 0.5L);
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

const char *mue_fmt_exact(double v, char *buf, size_t len)
{
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, len, "%.*g", prec, v);
        if (prec == 17 || strtod(buf, NULL) == v)
            break;
    }
    return buf;
}
