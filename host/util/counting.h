/* Counting-experiment statistics for sensitivity studies: n events observed where s signal
 * and b background are expected, the background known to a relative uncertainty r. The
 * CLs upper limit on s, its expected band under the background alone, and the signal a
 * median discovery needs (Asimov). The lowest layer: standard C and GSL only, no state.
 *
 * Limits: N ~ Poisson(s + b theta), theta log-normal with median 1 and log-sigma
 * sqrt(ln(1 + r^2)) (r = 0: theta = 1), averaged over theta (hybrid Bayesian-frequentist,
 * Cousins and Highland, NIM A320 (1992) 331). Discovery: the Asimov significance of
 * Cowan, Cranmer, Gross, Vitells, Eur. Phys. J. C71 (2011) 1554, Eq. (97), and with an
 * uncertainty sigma_b = r b that of Cowan, "Discovery sensitivity for a counting
 * experiment with background uncertainty" (2012): b then comes from an auxiliary count
 * of tau b events, tau = b / sigma_b^2, not from the log-normal. */
#ifndef MUE_COUNTING_H
#define MUE_COUNTING_H

#ifdef __cplusplus
extern "C" {
#endif

/* What the functions return: 0, or why there is no answer (mue_counting_strerror). */
enum {
    MUE_COUNTING_OK = 0,
    MUE_COUNTING_BAD_N,         /* n < 0 or above MUE_COUNTING_N_MAX */
    MUE_COUNTING_BAD_S,         /* s < 0 or not finite */
    MUE_COUNTING_BAD_B,         /* b < 0, above MUE_COUNTING_B_MAX or not finite */
    MUE_COUNTING_BAD_R,         /* r < 0, above MUE_COUNTING_R_MAX or not finite */
    MUE_COUNTING_BAD_CL,        /* cl not in (0, 1) */
    MUE_COUNTING_BAD_Z,         /* z <= 0, above 1000 or not finite */
    MUE_COUNTING_NO_BACKGROUND, /* b = 0: Z_A is infinite for any s > 0, no reach defined */
    MUE_COUNTING_INCOMPATIBLE,  /* P(N <= n | b) < MUE_COUNTING_P_MIN: n far below b */
    MUE_COUNTING_RANGE,         /* a count above MUE_COUNTING_N_MAX would be needed */
    MUE_COUNTING_NO_MEMORY,
    MUE_COUNTING_NO_CONVERGENCE
};

#define MUE_COUNTING_N_MAX 2000000000L /* fits GSL's unsigned int counts */
#define MUE_COUNTING_B_MAX 1e9
#define MUE_COUNTING_R_MAX 10.0 /* 1000 %: beyond it there is no counting experiment */
/* Below this P(N <= n | b) (a deficit of 8 sigma) the background model, not s, is wrong */
#define MUE_COUNTING_P_MIN 1e-15

/* A one-line reason for a return code ("b must be finite, >= 0 and <= 1e9"). */
const char *mue_counting_strerror(int code);

/* P(N <= n) for N ~ Poisson(s + b theta), theta marginalised: relative error below 1e-8
 * where the result is above MUE_COUNTING_P_MIN; below it, parts under 1e-31 may be left
 * out (r > 0). */
int mue_counting_cdf(long n, double s, double b, double r, double *p);

/* CLs(s) = P(N <= n | s + b) / P(N <= n | b) (Read, J. Phys. G28 (2002) 2693);
 * MUE_COUNTING_INCOMPATIBLE where P(N <= n | b) < MUE_COUNTING_P_MIN, here and below. */
int mue_counting_cls(long n, double s, double b, double r, double *cls);

/* The CLs upper limit on s at confidence level cl (0.95) for n observed: CLs(s) = 1 - cl,
 * solved to 1e-10 relative. n = 0 gives -ln(1 - cl) for every b and r (2.9957 at 95 %). */
int mue_counting_limit(long n, double b, double r, double cl, double *s_up);

/* The limit expected under the background alone: out[0..4] the limits at the counts
 * where P(N <= n | b) first reaches Phi(-2), Phi(-1), 1/2, Phi(1), Phi(2) (the -2, -1
 * sigma band edges, the median, +1, +2 sigma). b = 0: all five are -ln(1 - cl). */
int mue_counting_expected_limit(double b, double r, double cl, double out[5]);

/* The median discovery significance Z_A for signal s over background b > 0 (the Asimov
 * data set n = s + b); r = 0: Eq. (97) of Cowan et al. 2011, r > 0: Cowan 2012. */
int mue_counting_asimov_z(double s, double b, double r, double *z);

/* The signal s for which Z_A(s, b, r) = z (z = 3: evidence, 5: discovery), b > 0; to
 * 1e-10 relative. */
int mue_counting_discovery_signal(double z, double b, double r, double *s);

#ifdef __cplusplus
}
#endif

#endif
