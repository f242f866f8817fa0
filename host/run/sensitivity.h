/* MUonE's reach in (mass, coupling) for a process with a mass input (docs/physics.md,
 * Sensitivity): the signal per unit coupling squared from a scan row, times L and the
 * branching ratio into the signal's channel, against a background count with a relative
 * uncertainty; the expected CLs limit and the Asimov discovery reach (util/counting.h)
 * turned into couplings, g = sqrt(s / (signal per g^2)). */
#ifndef MUE_SENSITIVITY_H
#define MUE_SENSITIVITY_H

#include "run/scan.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    double n, err;   /* events at the luminosity, its MC error */
    double syst;     /* relative uncertainty (log-normal) */
    int computed;    /* 1: from mue backgrounds through the detector; 0: given */
    char what[512];  /* where it comes from, in words */
} mue_sens_background;

typedef struct {
    double mass;
    double br;                 /* into the signal's channel (1 with --no-br) */
    double s_per_g2, s_per_g2_err; /* signal events per unit g^2 */
    double s95[5], g95[5];     /* expected limits: -2, -1 sigma, median, +1, +2 sigma */
    double s3, s5, g3, g5;     /* median 3 and 5 sigma discovery (NAN: undefined) */
} mue_sens_row;

/* The background of the run: c->background by hand, or the sum over the background
 * processes of mue backgrounds' (i)+(ii)+(iii) through c's detector (its smeared row
 * where it has one). 0, or nonzero with a one-line reason. */
int mue_sensitivity_background(const mue_run_config *c, mue_sens_background *b, char *why, size_t len);
/* BR of the process's boson into the signal's (invisible) channel at the mass of row r
 * (1 for a process without one, or with --no-br). */
double mue_sensitivity_br(const mue_run_config *c, double mass);
/* The reach at one scan row. 0, or nonzero with the reason. */
int mue_sensitivity_row(const mue_run_config *c, const mue_scan_row *r, const mue_sens_background *b,
                        mue_sens_row *out, char *why, size_t len);

/* --optimise: the cuts of one cell of the grid it searches */
typedef struct {
    double theta_mu_min, ee_min, ee_max;
} mue_sens_cuts;

#define MUE_SENS_NTHETA 6
#define MUE_SENS_NEEMIN 4
#define MUE_SENS_NEEMAX 6
#define MUE_SENS_NCELLS (MUE_SENS_NTHETA * MUE_SENS_NEEMIN * MUE_SENS_NEEMAX)

typedef struct {
    mue_sens_cuts cuts[MUE_SENS_NCELLS];
    double b[MUE_SENS_NCELLS], b_err[MUE_SENS_NCELLS]; /* background of each cell (NAN: none at
                                                          tree level, the cell is left out) */
    int ruled_out;
    double seconds;
} mue_sens_cells;

typedef struct {
    mue_sens_cuts best;
    double g95, background, s_per_g2; /* at the best cell */
    double g95_run;                   /* at the run's own cuts, the same budget */
    double gain;                      /* g95_run / g95: above 1, the optimum does better */
    double seconds;
} mue_sens_opt;

/* The grid of cuts and the background of each cell, through c's detector (mu e gamma
 * after (iii) at its veto inefficiency, and the elastic leak; mu e nu nubar, 1e-6 events
 * at the paper's cuts, left out). 0, or nonzero with the reason. */
int mue_sensitivity_cells(const mue_run_config *c, mue_sens_cells *cells, char *why, size_t len);
/* The cell with the best median expected limit at one mass: the signal in every cell
 * from one grid trained at the run's cuts (an importance-sampling grid is valid for any
 * cuts: only its efficiency changes), saved under grid_path. 0, or nonzero with the reason. */
int mue_sensitivity_optimise(const mue_run_config *c, double mass, const mue_sens_cells *cells,
                             const char *grid_path, mue_sens_opt *out, char *why, size_t len);

#ifdef __cplusplus
}
#endif

#endif
