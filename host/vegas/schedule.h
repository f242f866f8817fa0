/* The schedule a run follows when it is given only a target precision (mue integrate
 * --schedule auto): how many points each iteration gets, and when training ends.
 *
 * Training iterations start at `floor` points and double. Each measures the points per
 * unit error of the grid so far, kappa = (relative error) x sqrt(points), and with it
 * the points the target still needs, P = (kappa / target)^2. From the fourth iteration
 * on (the first ones of a fresh grid say little), training ends once
 *   - it has cost 8 % of P (more would buy a better grid at a price the production
 *     iterations, which refine the grid too, do not repay), or
 *   - the grid has stopped improving: kappa fell less than 10 % although the points
 *     doubled (stratification alone gains about that much per doubling), or
 *   - max_training iterations, or the cap on an iteration's points, is reached.
 * The first production iteration has four times the last training one's points, or P/2
 * if less. After each, the next gets the points that bring the combined error to the
 * target if they sample at the last iteration's kappa, plus 10 %, but no fewer than the
 * last iteration's and no more than twice them; once the target is reached after one
 * production iteration, the second (for chi2) gets a quarter of its points. (A smaller
 * iteration samples worse, having fewer boxes: letting iterations shrink to a quarter
 * gave runs of ever smaller ones that crawled to the target; correcting kappa for their
 * size, as N^-0.15, overshot instead.)
 *
 * The rule reads nothing but the iterations' sums, so a run has the same schedule, and
 * the same bits, on any thread count. */
#ifndef MUE_SCHEDULE_H
#define MUE_SCHEDULE_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    double target;      /* relative error to reach, > 0 */
    uint64_t floor;     /* fewest points in any iteration (the first training one) */
    uint64_t cap;       /* most points in any iteration */
    int max_training;   /* training iterations at most (0: none; start producing) */
    /* where it stands */
    int training;       /* 1 while training */
    int trained;        /* training iterations run */
    uint64_t trained_points;
    double kappa;       /* the last training iteration's points per unit error (0: none) */
    uint64_t next;      /* points of the next iteration */
} mue_schedule;

#define MUE_SCHEDULE_MIN_TRAINING 4
/* Measured on the Z' at 10 and 100 MeV to 1e-4 (4 seeds each): 15 %, 0.95, a first
 * production iteration twice the last training one and a least one of a quarter of the
 * last took 11.6 and 7.2 million points; these 9.2 and 6.6 million. */
#define MUE_SCHEDULE_TRAIN_SHARE 0.08 /* of the points the target needs */
#define MUE_SCHEDULE_CONVERGED 0.90   /* kappa ratio of two training iterations */
#define MUE_SCHEDULE_FIRST_GROWTH 4.0 /* the first production iteration over the last training */
#define MUE_SCHEDULE_MARGIN 1.10      /* on the points a production iteration is given */
#define MUE_SCHEDULE_MIN_SHRINK 1.0   /* the least production iteration over the last one */

void mue_schedule_init(mue_schedule *s, double target, uint64_t floor, uint64_t cap, int max_training);

/* After a training iteration of n points whose estimate is I +- sqrt(var): s->training
 * and s->next for the next one. measured = 0 when too few points passed for its
 * variance to mean anything (vegas.h: MUE_VEGAS_NONZERO_MIN): it then only grows. */
void mue_schedule_trained(mue_schedule *s, uint64_t n, double I, double var, int measured);

/* After a production iteration of n points whose own estimate is In +- en; the
 * production iterations so far combine to I +- err over N points: s->next. */
void mue_schedule_produced(mue_schedule *s, uint64_t n, double In, double en, double I, double err,
                           uint64_t N);

#ifdef __cplusplus
}
#endif

#endif
