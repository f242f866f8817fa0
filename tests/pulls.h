/* The statistics of an error-coverage study, shared by test_integrator (known
 * integrals) and test_coverage (the physics): over N seeds, pull = (estimate - truth)
 * / quoted error. Honest errors put |pull| < 1 in 68.27 % of seeds: the count is
 * Binomial(N, 0.683), and 3 of its standard deviations are allowed (0.14 for N = 100,
 * 0.099 for 200, 0.070 for 400). Checked by scaling the iteration errors in vegas.c:
 * x0.75 gives coverage 0.55-0.56, x1.4 gives 0.82-0.88; both fail on the known
 * integrals. The mean pull must lie within 3 standard errors of 0 (a bias of a fifth
 * of the quoted error fails at N = 200). chi2/dof over 5 production iterations has 4
 * dof (sd 0.71 per seed, 0.05 for the mean of 200): [0.6, 1.6] leaves room for VEGAS's
 * correlation between iteration estimates and their errors, yet per-iteration errors
 * 25 % too small (chi2 ~1.75) or 40 % too large (~0.50) fail. */
#ifndef MUE_TEST_PULLS_H
#define MUE_TEST_PULLS_H

#include <math.h>

typedef struct {
    int n, in1, in2;
    double sum, sum2, chi2, rel, worst;
} pull_stats;

/* One seed: its pull, its iterations' chi2/dof and its relative error. */
__attribute__((unused)) static void pull_add(pull_stats *s, double pull, double chi2, double rel)
{
    s->n++;
    s->in1 += fabs(pull) < 1.0;
    s->in2 += fabs(pull) < 2.0;
    s->sum += pull;
    s->sum2 += pull * pull;
    s->chi2 += chi2;
    s->rel += rel;
    if (fabs(pull) > fabs(s->worst))
        s->worst = pull;
}

/* Prints the study's line and fails the test if coverage, mean pull or chi2 is out. */
__attribute__((unused)) static void pull_check(const pull_stats *s, const char *name, double beta,
                                               double truth)
{
    const double n = s->n, f1 = s->in1 / n, mean = s->sum / n, chi2 = s->chi2 / n;
    const double sd = sqrt(fmax(s->sum2 / n - mean * mean, 0.0) * n / (n - 1.0));
    const double se = sd / sqrt(n);
    print_message("%-34s beta %.2f  truth %.10g  rel.err %.1e  |pull|<1: %.2f  |pull|<2: %.2f  "
                  "mean pull %+.3f +- %.3f  sd %.2f  worst %+.2f  <chi2/dof> %.2f\n",
                  name, beta, truth, s->rel / n, f1, s->in2 / n, mean, se, sd, s->worst, chi2);
    const double p1 = 0.6827, band = 3.0 * sqrt(p1 * (1.0 - p1) / n);
    if (!(fabs(f1 - p1) < band))
        fail_msg("%s, beta %g: coverage %.2f outside 0.68 +- %.2f", name, beta, f1, band);
    if (!(fabs(mean) < 3.0 * se))
        fail_msg("%s, beta %g: mean pull %+.3f is more than 3 standard errors (%.3f) from 0", name,
                 beta, mean, se);
    if (!(chi2 > 0.6 && chi2 < 1.6))
        fail_msg("%s, beta %g: <chi2/dof> %.2f outside [0.6, 1.6]", name, beta, chi2);
}

/* The pulls of the runs that do not flag their error as unreliable (tests of the
 * default budgets, where a coverage study of 100 seeds would cost too much): their rms
 * and mean. rms of N unit normals: 1 +- 1/sqrt(2N); 0.7 .. 1.35 is beyond 2 of those at
 * N = 10 to 60; the mean: 0 +- 1/sqrt(N), three of those. */
typedef struct {
    int n;
    double sum, sum2, worst;
} pull_rms;

__attribute__((unused)) static void pull_rms_add(pull_rms *s, double pull)
{
    s->n++;
    s->sum += pull;
    s->sum2 += pull * pull;
    if (fabs(pull) > fabs(s->worst))
        s->worst = pull;
}

/* Ends the line with the pulls' rms, mean and largest, and fails the test (naming what)
 * if the rms or the mean is out. */
__attribute__((unused)) static void pull_rms_check(const pull_rms *s, const char *what)
{
    const double mean = s->sum / s->n, rms = sqrt(s->sum2 / s->n);
    print_message(": pulls rms %.2f, mean %+.2f, largest %+.2f\n", rms, mean, s->worst);
    if (!(rms > 0.7 && rms < 1.35))
        fail_msg("%s: pulls rms %.2f over %d runs without a warning", what, rms, s->n);
    if (!(fabs(mean) < 3.0 / sqrt(s->n)))
        fail_msg("%s: mean pull %+.2f over %d runs without a warning", what, mean, s->n);
}

#endif
