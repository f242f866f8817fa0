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

enum { MUE_GEN_LHEF, MUE_GEN_HEPMC3 };
enum { MUE_GEN_MAX_QUANTILE, MUE_GEN_MAX_TRUE };

#define MUE_GEN_EVENTS_MAX 1000000000000ull /* 1e12 */
#define MUE_GEN_GZIP_DEFAULT 1

typedef struct {
    mue_run_config run;  /* the grid run: process, model, cuts, sampling, device, seed */
    uint64_t events;     /* events to write, >= 1 */
    const char *out;
    int format;          /* MUE_GEN_LHEF or MUE_GEN_HEPMC3 */
    int gzip_level;      /* 0: plain text; 1..9 */
    int weighted;        /* every point passing the cuts, with its weight */
    int max_mode;        /* MUE_GEN_MAX_QUANTILE or MUE_GEN_MAX_TRUE */
    double quantile;     /* of the surveyed nonzero weights, in (0, 1) */
    int truncate;        /* overweights: 0 kept with weight > 1; 1 unit weight, bias reported */
    uint64_t survey_points; /* points surveyed for the maximum (whole batches) */
    const char *command_line; /* for the header */
} mue_gen_config;

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

mue_gen_config mue_gen_config_default(void);
/* 0, or nonzero with a one-line reason in why; nothing is left under c->out then. */
int mue_generate(const mue_gen_config *c, mue_gen_result *r, char *why, size_t len);
/* The run in a few lines (what the LHEF trailer holds). */
void mue_gen_summary(const mue_gen_config *c, const mue_gen_result *r, char *s, size_t len);

#ifdef __cplusplus
}
#endif

#endif
