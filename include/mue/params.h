/* Run parameters of one integration: model, beam, selection. Plain data, copied by
 * value to the device; everything derived from it lives in mue_setup (process.h). */
#ifndef MUE_PARAMS_H
#define MUE_PARAMS_H

#include "mue/defs.h"
#include "mue/beam.h"
#include "mue/detector.h"

typedef struct {
    int enabled;         /* 0: no selection at all (--no-cuts) */
    double theta_mu_min; /* cut (i): lab muon angle, rad */
    double ee_min;       /* cut (ii): lab electron energy window, GeV */
    double ee_max;
} mue_cuts;

/* Model inputs a process reads, at most this many: its unit header declares them
 * (MUE_<ID>_INPUTS, processes.h) and names their slots. */
#define MUE_INPUTS_MAX 4

typedef struct {
    double m_mu, m_e;   /* GeV */
    double alpha;       /* QED coupling, alpha(0) by default */
    double e_beam;      /* lab muon energy, GeV; electron at rest */
    int beam_plus;      /* 1: a mu+ beam, 0: mu- (processes flagged MUE_PROC_MU_PLUS) */
    mue_beam_model bm;  /* bm.enabled: each point has its own muon energy (beam.h) */
    mue_cuts cuts;
    mue_detector det;   /* det.enabled: the selection is the detector's (detector_select.h) */
    /* the process's model inputs in the slots its unit header names (a Z' mass and
     * coupling, neutrino flavours, a photon threshold); defaults from the run
     * description, host/run/settings_table.c */
    double input[MUE_INPUTS_MAX];
} mue_params;

/* docs/physics.md defaults (Setup, Cuts): 150 GeV muon on electrons at rest, cuts (i) and
 * (ii); no model inputs (a process's own defaults are its run description's). */
MUE_FN mue_params mue_params_default(void)
{
    mue_params p;
    p.m_mu = MUE_M_MU;
    p.m_e = MUE_M_E;
    p.alpha = MUE_ALPHA0;
    p.e_beam = 150.0;
    p.beam_plus = 0;
    p.bm = mue_beam_model_default();
    p.cuts.enabled = 1;
    p.cuts.theta_mu_min = 1.5e-3;
    p.cuts.ee_min = 1.0;
    p.cuts.ee_max = 25.0;
    p.det = mue_detector_default();
    for (int k = 0; k < MUE_INPUTS_MAX; k++)
        p.input[k] = 0.0;
    return p;
}

#endif
