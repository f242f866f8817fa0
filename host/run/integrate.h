/* One integration as a user asks for it: process, model point, cuts, luminosity,
 * sampling budget, backend, histograms, a grid to start from or to keep. Shared by the
 * commands, the tests and the benchmarks. */
#ifndef MUE_INTEGRATE_H
#define MUE_INTEGRATE_H

#include <stddef.h>
#include <stdint.h>

#include "mue/process.h"
#include "vegas/vegas.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The inputs mue accepts (README, "Input ranges"; mue integrate --help): outside them
 * double precision cannot hold the answer, or the physics has left its model. */
#define MUE_MASS_MIN 1e-6       /* GeV: below, |M|^2 loses its digits at small D1, D2 */
#define MUE_BEAM_MAX 1e6        /* GeV: above, the floor on -t (zprime.h) eats the phase space */
#define MUE_COUPLING_MIN 1e-20  /* the weights (~g^2) and their squares stay normal numbers */
#define MUE_COUPLING_MAX 10.0   /* far beyond perturbation theory already */
#define MUE_LUMI_MAX 1e10       /* fb^-1 */
#define MUE_HIST_EDGE_MAX 1e6   /* |lo|, |hi| of a histogram range, GeV or rad */
#define MUE_POINTS_MIN 100      /* points per iteration */
#define MUE_ALPHA_MIN 1e-4      /* weights ~ alpha^2 (zprime) to alpha^3 stay normal numbers */
#define MUE_Q_WARN 0.05         /* below, the iterations' chi2 earns a warning (as vegas users check) */

typedef struct {
    char name[32]; /* an observable of the process (mue_obs_def.name) */
    double lo, hi;
} mue_hist_range;

typedef struct {
    mue_process_id process;
    mue_params par;
    double lumi_fb;        /* fb^-1 */
    uint64_t points;       /* per iteration */
    int warmup, iterations;
    double rel_error;
    uint64_t seed;
    int threads;           /* 0: all cores */
    char device[16];       /* a backend's name (backend.h), or "auto" */
    int grid_bins;
    double damping;        /* VEGAS grid damping, Lepage's alpha */
    int no_strata;         /* plain importance sampling instead of stratified */
    double beta;           /* VEGAS+ box allocation n_h ~ sigma_h^beta; 0: classic VEGAS */
    int want_hist;
    int hist_bins;
    int n_hist_ranges;     /* ranges other than the process's defaults */
    mue_hist_range hist_range[MUE_MAX_OBS];
    int progress;          /* progress lines on stderr */
    const char *load_grid; /* start from this grid file (grid_file.h), or 0 */
    const char *save_grid; /* write the grid here at the end, or 0 */
    int force_grid;        /* use a loaded grid trained for other settings */
    /* not null: the trained state is handed over here instead of freed (mue generate
     * goes on from it); the caller frees it (mue_vegas_state_free) */
    mue_vegas_state *keep_state;
    const char *checkpoint; /* write the run's state here after every iteration, or 0 */
    const char *resume;     /* go on from this checkpoint (checkpoint.h), or 0 */
    uint64_t checkpoint_every; /* seconds between checkpoints at least (0: every iteration);
                                * the last iteration's is always written */
} mue_run_config;

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
    /* what a reader of the numbers must know: few points passed, NaN weights, sigma = 0 */
    int nwarnings;
    char warnings[4][320];
} mue_run_result;

mue_run_config mue_run_config_default(void);

/* Checks the configuration; on a problem writes a one-line reason and returns nonzero. */
int mue_run_validate(const mue_run_config *c, char *why, size_t len);
/* The histograms of c: the process's observables, c's bins and ranges. */
int mue_run_hist_spec(const mue_run_config *c, mue_hist_spec *hs, char *why, size_t len);
/* Integrates; 0 on success, else a one-line reason in why. */
int mue_run_integrate(const mue_run_config *c, mue_run_result *r, char *why, size_t len);

#ifdef __cplusplus
}
#endif

#endif
