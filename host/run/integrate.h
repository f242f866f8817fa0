/* One integration as the run description gives it (settings.h): the grid to start
 * from (fresh, loaded or a checkpoint's), the backend, the VEGAS iterations over the
 * job's ranks, the grid kept, and what the numbers alone would not tell. */
#ifndef MUE_INTEGRATE_H
#define MUE_INTEGRATE_H

#include <stddef.h>
#include <stdint.h>

#include "run/settings.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MUE_RUN_MAXWARN 8
/* Fewer effective points than this in an iteration, (sum F)^2 / sum F^2 (Kish), make its
 * variance a guess: the coverage tests found the errors of such runs too small. */
#define MUE_NEFF_MIN 100.0

typedef struct {
    mue_vegas_result v;
    double sigma_fb, sigma_err_fb, events, events_err;
    double seconds;        /* the whole run, the backend's set-up included */
    const char *device;    /* the backend: "cpu" or "gpu" */
    char device_name[128]; /* what evaluated: "cpu", or the GPU's name */
    int threads;           /* CPU threads (the setting, also on a GPU) */
    /* where the time went, for every backend */
    double setup_seconds;  /* the backend's set-up: device context, allocations */
    double eval_seconds;   /* evaluating points: CPU wall time, or GPU kernel time */
    double host_seconds;   /* the rest of the iterations: refinement, merges, copies */
    mue_hist_spec hist;    /* the histograms filled (when want_hist) */
    uint32_t grid_iterations; /* iterations the grid had seen at the end */
    /* no point passed the cuts: whether the kinematics prove sigma = 0 (zero_exact), and
     * else what the sample says, 3/N, the most of the sampled phase space that passes at
     * 95 % CL (the rule of three) */
    int zero_exact;
    double zero_fraction_95;
    /* the error may be too small: iterations that disagree (Q), pooled lean iterations,
     * weights so uneven that few effective points carry an iteration, or fewer points
     * per iteration than the process needs (MUE_<ID>_POINTS_MIN); each says so in a
     * warning */
    int error_unreliable;
    double min_effective_points; /* the fewest, over the production iterations, (sum F)^2 / sum F^2 */
    /* what a reader of the numbers must know: few points passed, NaN weights, sigma = 0 */
    int nwarnings;
    char warnings[MUE_RUN_MAXWARN][320];
} mue_run_result;

/* Integrates; 0 on success, else a one-line reason in why. */
int mue_run_integrate(const mue_run_config *c, mue_run_result *r, char *why, size_t len);
/* The part of sigma (fb) that histogram k of r leaves outside its range. */
double mue_run_hist_outside(const mue_run_result *r, int k);
/* Is this the rank that writes files and prints (always, in one process)? */
int mue_run_root(const mue_run_config *c);
/* The run's progress line or notice, if it has someone to tell (printf format). */
void mue_run_note(const mue_run_config *c, int kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Was the run asked to stop? */
int mue_run_cancelled(const mue_run_config *c);

#ifdef __cplusplus
}
#endif

#endif
