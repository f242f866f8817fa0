#include "util/numfmt.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

/* 10^0 .. 10^27, exact in long double (5^27 < 2^64): the event files' numbers (1e-12 to
 * 1e3 GeV) scale in one exact-operand rounding */
static const long double pow10_exact[28] = {
    1e0L,  1e1L,  1e2L,  1e3L,  1e4L,  1e5L,  1e6L,  1e7L,  1e8L,  1e9L,
    1e10L, 1e11L, 1e12L, 1e13L, 1e14L, 1e15L, 1e16L, 1e17L, 1e18L, 1e19L,
    1e20L, 1e21L, 1e22L, 1e23L, 1e24L, 1e25L, 1e26L, 1e27L};

/* v 10^k in long double (64-bit mantissa on x86-64): the steps' roundings stay far
 * below the 16th digit even for exponents near +-300 */
static long double scale10(double v, int k)
{
    long double x = v, p = 1.0L, b = 10.0L;
    int n = k < 0 ? -k : k;
    if (n < 28)
        p = pow10_exact[n];
    else
        for (; n; n >>= 1, b *= b)
            if (n & 1)
                p *= b;
    return k < 0 ? x / p : x * p;
}

/* "00" .. "99": two digits per division, in 32-bit arithmetic (a multiply) */
static const char digit_pairs[201] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

/* the 8 digits of v < 1e8 at t[0..7] */
static void eight_digits(char *t, uint32_t v)
{
    for (int k = 6; k >= 0; k -= 2) {
        memcpy(t + k, digit_pairs + 2 * (v % 100), 2);
        v /= 100;
    }
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
    /* the decimal exponent from the binary one: v in [2^(b-1), 2^b) puts floor(log10 v)
     * at floor((b - 1) log10 2) or one above (no log10 call: it cost half the time) */
    int b;
    frexp(v, &b);
    int e = (int)floor((b - 1) * 0.30102999566398120);
    /* the 16 digits as an integer in [1e15, 1e16): with the exponent one low, once more
     * one higher; rounding may still carry into a 17th digit */
    uint64_t d = (uint64_t)(scale10(v, 15 - e) + 0.5L);
    if (d >= hi) {
        uint64_t d1 = (uint64_t)(scale10(v, 14 - e) + 0.5L);
        if (d1 >= lo) {
            e++;
            d = d1;
        }
    }
    if (d < lo) {
        e--;
        d = (uint64_t)(scale10(v, 15 - e) + 0.5L);
    }
    if (d >= hi) {
        e++;
        d = (d + 5) / 10;
    }
    char t[16];
    eight_digits(t, (uint32_t)(d / 100000000u));
    eight_digits(t + 8, (uint32_t)(d % 100000000u));
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
