#include "vegas/schedule.h"

#include <math.h>

static uint64_t clamp_points(double n, const mue_schedule *s)
{
    if (!(n >= (double)s->floor)) /* NaN too */
        return s->floor;
    if (n >= (double)s->cap)
        return s->cap;
    return (uint64_t)ceil(n);
}

void mue_schedule_init(mue_schedule *s, double target, uint64_t floor, uint64_t cap, int max_training)
{
    s->target = target;
    s->floor = floor;
    s->cap = cap > floor ? cap : floor;
    s->max_training = max_training;
    s->training = max_training > 0;
    s->trained = 0;
    s->trained_points = 0;
    s->kappa = 0.0;
    s->next = floor;
}

void mue_schedule_trained(mue_schedule *s, uint64_t n, double I, double var, int measured)
{
    const double kappa = I != 0.0 && measured && var >= 0.0
                             ? sqrt(var * (double)n) / fabs(I)
                             : HUGE_VAL;
    const double need = kappa / s->target * (kappa / s->target);
    s->trained++;
    s->trained_points += n;
    /* the first iterations of a fresh grid say little about the next ones */
    const int settled = s->trained >= MUE_SCHEDULE_MIN_TRAINING;
    const int converged = settled && isfinite(kappa) && s->kappa > 0.0 &&
                          kappa >= MUE_SCHEDULE_CONVERGED * s->kappa;
    const int paid = settled && (double)s->trained_points >= MUE_SCHEDULE_TRAIN_SHARE * need;
    s->kappa = isfinite(kappa) ? kappa : 0.0;
    if (converged || paid || s->trained >= s->max_training || n >= s->cap)
        s->training = 0;
    /* production starts at four times the last training iteration (its first iterations
     * weigh by their points, so small ones at a worse kappa cost), or P/2 if less */
    double next = (s->training ? 2.0 : MUE_SCHEDULE_FIRST_GROWTH) * (double)n;
    if (!s->training && isfinite(need) && 0.5 * need < next)
        next = 0.5 * need;
    s->next = clamp_points(next, s);
}

/* The m that brings E + m kappa^2 to t^2 (N + m)^2 (relative units; 0 if none is needed) */
static double points_to_target(double t, double N, double E, double kappa)
{
    const double b = 2.0 * t * t * N - kappa * kappa, c = t * t * N * N - E;
    if (c >= 0.0)
        return 0.0;
    const double disc = b * b - 4.0 * t * t * c;
    return (-b + sqrt(disc > 0.0 ? disc : 0.0)) / (2.0 * t * t);
}

void mue_schedule_produced(mue_schedule *s, uint64_t n, double In, double en, double I, double err,
                           uint64_t N)
{
    s->training = 0;
    /* in relative units: the combined variance is E/N^2 with E = sum_k n_k kappa_k^2
     * (iterations weighted by their points) */
    const double kap = In != 0.0 ? en / fabs(In) * sqrt((double)n) : HUGE_VAL;
    const double E = I != 0.0 ? (err / fabs(I)) * (err / fabs(I)) * (double)N * (double)N : HUGE_VAL;
    double more = 2.0 * (double)n; /* nothing to size it by: grow */
    if (isfinite(kap) && isfinite(E)) {
        more = points_to_target(s->target, (double)N, E, kap);
        more *= MUE_SCHEDULE_MARGIN;
    }
    /* the grid still improves: never more than twice the last iteration; and never fewer
     * points than it, since a smaller iteration has fewer boxes and samples worse, so a
     * run of ever smaller ones crawls to the target (measured: to 1e-4 at 100 MeV, 6.64
     * against 6.98 million points with a quarter of the last as the least) */
    if (more > 2.0 * (double)n)
        more = 2.0 * (double)n;
    if (more > 0.0 && more < MUE_SCHEDULE_MIN_SHRINK * (double)n)
        more = MUE_SCHEDULE_MIN_SHRINK * (double)n;
    /* at the target already: one more iteration, for chi2, a quarter of the last */
    if (!(more > 0.0))
        more = 0.25 * (double)n;
    s->next = clamp_points(more, s);
}
