/* `mue backgrounds`: every process of the table against the selections (i), (i)+(ii)
 * and (i)+(ii)+(iii), through one detector model. The rows come from the process
 * table: a signal at each of its benchmark points; a background through the ideal
 * detector where the cuts can be taken on true quantities (no photon to veto, or no
 * room for the detector's uniforms) and through the detector model where it fits. A
 * background with a photon also gets what no veto removes and the veto inefficiency at
 * which it equals the first signal; a background the cuts remove at truth level gets
 * its leak against the ECAL resolution (docs/physics.md, Detector and Backgrounds). */
#ifndef MUE_BACKGROUNDS_H
#define MUE_BACKGROUNDS_H

#include "run/process_table.h"
#include "run/settings.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The selections of the table, in order: what the detector applies. */
#define MUE_BG_NSEL 3
extern const struct mue_bg_selection {
    const char *name, *key; /* "(i)+(ii)", "i_ii" */
    int cuts;               /* MUE_DET_CUT_* */
} mue_bg_selections[MUE_BG_NSEL];

typedef struct {
    int have;      /* 0: not computed (note says why) */
    double n, err; /* events at the luminosity */
    int exact;     /* n = 0 proved by the kinematics (else no point passed: frac95) */
    double frac95; /* no point passed: the most of the sampled phase space that passes */
    char note[200];
} mue_bg_cell;

typedef struct {
    char key[64], label[160];
    const mue_process_info *process;
    const mue_benchmark_def *bench; /* a signal's benchmark, else NULL */
    int smeared;                    /* through the detector model (else the ideal detector) */
    int photon;                     /* its final state has one: the veto acts */
    mue_bg_cell c[MUE_BG_NSEL];
    /* a smeared row with a photon: no separate photon above threshold (no veto removes
     * it), and the veto inefficiency at which the row equals the first signal */
    mue_bg_cell unvetoable;
    int have_x;
    double eps, eps_err;
} mue_bg_row;

typedef struct {
    char label[96];
    const mue_process_info *process;
    double ecal_b, tail_frac, tail_scale, theta_mu_res;
    mue_bg_cell c;
} mue_bg_leak;

#define MUE_BG_MAXROWS 32
#define MUE_BG_MAXLEAK 33

typedef struct {
    mue_bg_row row[MUE_BG_MAXROWS];
    int nrows;
    int signal; /* the row the veto crossings compare with (-1: none) */
    mue_bg_leak leak[MUE_BG_MAXLEAK];
    int nleak;
} mue_bg_table;

/* Computes the table for run c (its detector, cuts, luminosity and sampling). 0, or
 * nonzero with a one-line reason. */
int mue_backgrounds(const mue_run_config *c, mue_bg_table *t, char *why, size_t len);

/* "1.23 +- 0.04", "0 (exact)", "0 (none passed, < 1e-05 of phase space, 95 % CL)", or
 * the note */
void mue_bg_cell_text(const mue_bg_cell *c, char *buf, size_t len);

#ifdef __cplusplus
}
#endif

#endif
