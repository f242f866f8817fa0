/* An event run (mue generate): train the grid as `mue integrate` does (the same code
 * path, or a loaded grid), survey the weights through it for the maximum, then batches
 * of points on the backend, hit-or-miss against that maximum, the kept events written
 * by the writer thread into LHEF or HepMC3 (docs/physics.md section 10). */
#ifndef MUE_GENERATE_H
#define MUE_GENERATE_H

#include <stddef.h>
#include <stdint.h>

#include "run/integrate.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    mue_run_result run;     /* the grid run */
    /* the survey */
    uint64_t survey_points;
    long long survey_nonzero;
    double fmax_fb;         /* the maximum weight hit-or-miss uses */
    double survey_max_fb;   /* the largest weight seen */
    double survey_eff;      /* <min(F, fmax)> / fmax over nonzero points: the efficiency */
    double survey_over;     /* fraction of nonzero points above fmax */
    double survey_bias;     /* sum (F - fmax)+ / sum F: what truncation would lose */
    double unit_pb;         /* weight of an event that was not over fmax */
    double file_scale;      /* the event file's sigma and weights over the run's: BR(Z' ->
                               invisible) where the Z' is written decayed to it, else 1 */
    /* the generation */
    uint64_t events, points;
    uint64_t kept;          /* events kept by hit or miss, before the last batch's subsample */
    long long nonzero, over, bad;
    double eff;             /* kept / nonzero points */
    double over_frac;       /* overweight events / kept */
    double sum_w, sum_w2;   /* of the weights written (pb) */
    double sigma_events_pb, sigma_events_err_pb; /* sum w / N and its error */
    double sum_y, sum_y2;   /* of the hit-or-miss estimate, Eq. 10.7 (fb) */
    double sigma_hm_pb, sigma_hm_err_pb; /* hit or miss: kept points x fmax / points */
    double train_seconds, survey_seconds, gen_seconds;
    double events_per_s;    /* events written per second of generation (survey excluded) */
    double writer_busy_seconds; /* the writer thread formatting, compressing, writing */
    double eval_seconds;    /* the backend evaluating the event batches (survey excluded) */
    uint64_t bytes;
    int batches;
} mue_gen_result;

/* The event run c describes (c->command MUE_CMD_GENERATE: its events, out, format, ...);
 * 0, or nonzero with a one-line reason in why; nothing is left under c->out then. */
int mue_generate(const mue_run_config *c, mue_gen_result *r, char *why, size_t len);
/* The run in a few lines (what the LHEF trailer holds). */
void mue_gen_summary(const mue_run_config *c, const mue_gen_result *r, char *s, size_t len);

#ifdef __cplusplus
}
#endif

#endif
