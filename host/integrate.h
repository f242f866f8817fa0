/* One integration as a user asks for it: process, model point, cuts, luminosity,
 * sampling budget, backend. Shared by the command, the tests and the benchmarks. */
#ifndef MUE_INTEGRATE_H
#define MUE_INTEGRATE_H

#include <stddef.h>
#include <stdint.h>

#include "mue/process.h"
#include "vegas.h"

typedef enum { MUE_DEVICE_AUTO, MUE_DEVICE_CPU, MUE_DEVICE_GPU } mue_device;

typedef struct {
    mue_process_id process;
    mue_params par;
    double lumi_fb;        /* fb^-1 */
    uint64_t points;       /* per iteration */
    int warmup, iterations;
    double rel_error;
    uint64_t seed;
    int threads;           /* 0: all cores */
    mue_device device;
    int grid_bins;
    double alpha;
    int no_strata;         /* plain importance sampling instead of stratified */
    mue_hist_spec hist;
    int want_hist;
    int progress;          /* progress lines on stderr */
} mue_run_config;

typedef struct {
    mue_vegas_result v;
    double sigma_fb, sigma_err_fb, events, events_err;
    double seconds;
    const char *device;    /* "cpu" or "gpu" */
    int threads;           /* CPU threads (the setting, also on the GPU) */
    /* GPU runs only (zero on the CPU): where the time went */
    char device_name[128];
    double gpu_setup_seconds;  /* context, copies, allocations */
    double gpu_kernel_seconds; /* the iteration kernels, all iterations */
    double gpu_host_seconds;   /* the rest of the iterations: grid refinement, copies, launches */
    int gpu_blocks, gpu_threads_per_block;
    long long gpu_shared_bytes;
} mue_run_result;

mue_run_config mue_run_config_default(void);
const char *mue_process_name(mue_process_id id);
int mue_process_from_name(const char *name, mue_process_id *id);
/* Kinematic limit on m_Z': sqrt(s) - m_mu - m_e. */
double mue_zprime_mass_limit(const mue_params *p);

/* Checks the configuration; on a problem writes a one-line reason and returns nonzero. */
int mue_run_validate(const mue_run_config *c, char *why, size_t len);
/* Whether this build and machine can run on a GPU: 1, or 0 with the reason in why
 * (CPU-only build, no driver, no device). What --device auto goes by. */
int mue_gpu_usable(char *why, size_t len);
/* Integrates; 0 on success, else a one-line reason in why. */
int mue_run_integrate(const mue_run_config *c, mue_run_result *r, char *why, size_t len);

#endif
