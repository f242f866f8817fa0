/* The rows of the run description (settings.h) and what reads a row: lookup, the
 * value as canonical text, the iteration over a run's rows, the identity hash. The
 * model inputs of the processes join the generic rows here, one row per input their
 * unit headers declare. */
#include "run/settings.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "mue/vegas_map.h"
#include "run/process_table.h"
#include "run/settings_types.h"
#include "util/hash.h"
#include "util/numfmt.h"
#include "util/units.h"

#define F(field) offsetof(mue_run_config, field)
#define INTEGRATE MUE_CMD_INTEGRATE
#define SCAN MUE_CMD_SCANS
#define SENSITIVITY MUE_CMD_SENSITIVITY
#define GENERATE MUE_CMD_GENERATE
#define BACKGROUNDS MUE_CMD_BACKGROUNDS
#define RUNS MUE_CMD_RUNS
#define ALL MUE_CMD_ALL_RUNS
#define GRID (MUE_SF_GRID | MUE_SF_RESULT)
#define RESULT MUE_SF_RESULT
#define NONE MUE_UNIT_NONE
#define ENERGY MUE_UNIT_ENERGY
#define ANGLE MUE_UNIT_ANGLE
#define LUMI MUE_UNIT_LUMI
#define CUSTOM(name) MUE_ST_CUSTOM, NONE
#define FNS(name) mue_st_##name##_parse, mue_st_##name##_print
#define NOFN NULL, NULL

static const char G_MODEL[] = "model and beam", G_CUTS[] = "selection (lab frame)",
                  G_SAMPLING[] = "sampling", G_GRID[] = "the grid",
                  G_CHECKPOINT[] = "checkpoint and restart", G_OUTPUT[] = "output",
                  G_DETECTOR[] = "detector", G_EVENTS[] = "events", G_SCAN[] = "the scan",
                  G_BG[] = "the table",
                  G_SENS[] = "the sensitivity";

/* name, meta, type, unit, field, default, lo, hi, JSON key, commands, process, flags,
 * group, help, label, parse, print */
static const mue_setting rows[] = {
    {"process", "NAME", CUSTOM(process), F(process), "zprime", 0, 0, "process", RUNS, -1, GRID,
     G_MODEL, "the process (list above)", NULL, FNS(process)},
    {"alpha", "A", MUE_ST_REAL, NONE, F(par.alpha), "1/137.035999084", MUE_ALPHA_MIN, 1.0, "alpha",
     ALL, -1, RESULT | MUE_SF_HI_OPEN, G_MODEL,
     "QED coupling [1/137.035999084], 1e-4 .. 1; 1/132.507 is MadGraph's sm", NULL, NOFN},
    {"beam-energy", "E", MUE_ST_REAL, ENERGY, F(par.e_beam), "150", MUE_M_MU, MUE_BEAM_MAX,
     "beam_energy_gev", ALL | MUE_CMD_KINEMATICS, -1, GRID | MUE_SF_LO_OPEN, G_MODEL,
     "lab muon energy [150 GeV], above m_mu and up to 1e6 GeV; electron at rest", NULL, NOFN},
    {"beam", "B", CUSTOM(beam), F(par.beam_plus), "mu-", 0, 0, "beam", ALL, -1, GRID, G_MODEL,
     "the muon beam: mu- or mu+ [mu-] (MUonE runs mu+: elastic and the Z' are the same, mueg's "
     "interference changes sign, muenn's W diagrams are charge-conjugated)",
     NULL, FNS(beam)},
    {"beam-model", "SPEC", CUSTOM(beam_model), F(par.bm), NULL, 0, 0, "beam_model", ALL, -1,
     GRID | MUE_SF_REPEAT, G_MODEL,
     "give each event its own muon (energy spread, divergence, spot) and vertex in a target: "
     "'default' or KEY=VALUE,... (keys below); may repeat",
     NULL, FNS(beam_model)},
    {"lumi", "L", MUE_ST_REAL, LUMI, F(lumi_fb), "15", 0.0, MUE_LUMI_MAX, "lumi_fb", ALL, -1,
     RESULT | MUE_SF_LO_OPEN, G_MODEL,
     "integrated luminosity in fb^-1 (or /pb, /ab suffix) [15], up to 1e10", NULL, NOFN},
    {"theta-mu-min", "A", MUE_ST_REAL, ANGLE, F(par.cuts.theta_mu_min), "1.5e-3", 0.0,
     1.5707963267948966, "theta_mu_min_rad", ALL, -1, GRID | MUE_SF_HI_OPEN, G_CUTS,
     "cut (i): muon angle above A [1.5mrad]; rad, or mrad/urad/deg; below pi/2", NULL, NOFN},
    {"ee-min", "E", MUE_ST_REAL, ENERGY, F(par.cuts.ee_min), "1", MUE_M_E, 1e300, "ee_min_gev", ALL,
     -1, GRID, G_CUTS, "cut (ii): electron energy above E [1 GeV], at least m_e", NULL, NOFN},
    {"ee-max", "E", MUE_ST_REAL, ENERGY, F(par.cuts.ee_max), "25", MUE_M_E, 1e300, "ee_max_gev", ALL,
     -1, GRID, G_CUTS, "cut (ii): electron energy below E [25 GeV]", NULL, NOFN},
    {"no-cuts", NULL, MUE_ST_UNFLAG, NONE, F(par.cuts.enabled), "1", 0, 0, "cuts", RUNS, -1, GRID,
     G_CUTS, "no selection at all", NULL, NOFN},
    {"points", "N", MUE_ST_U64, NONE, F(points), "1e6", MUE_POINTS_MIN, 1099511627776.0,
     "points_per_iteration", ALL, -1, RESULT, G_SAMPLING,
     "points per iteration [1e6; integrate with only --rel-error: chosen by --schedule auto], "
     "100 .. 2^40; stratification may use a few % less (a whole number in each box); a scan's "
     "default is 5e5, backgrounds' 2e5",
     NULL, NOFN},
    {"iterations", "N", MUE_ST_INT, NONE, F(iterations), "10", 0, MUE_VEGAS_MAXITER, "iterations",
     ALL, -1, RESULT, G_SAMPLING,
     "production iterations at most [10; --schedule auto: 30], up to 1000; 0 with --save-grid: "
     "train a grid only",
     NULL, NOFN},
    {"warmup", "N", MUE_ST_INT, NONE, F(warmup), "5", 0, 10000, "warmup", ALL, -1, RESULT,
     G_SAMPLING,
     "grid-training iterations before them [5; 0 with --load-grid; --schedule auto: up to 12, "
     "ended by its rule], up to 10000",
     NULL, NOFN},
    {"rel-error", "R", MUE_ST_REAL, NONE, F(rel_error), "1e-3", 0.0, 1.0, "rel_error", ALL, -1,
     RESULT | MUE_SF_HI_OPEN, G_SAMPLING,
     "stop once the relative error is below R [1e-3; scan 3e-3, backgrounds 2e-3]; 0: never", NULL,
     NOFN},
    {"schedule", "S", CUSTOM(schedule), F(schedule), NULL, 0, 0, "schedule", INTEGRATE, -1, RESULT,
     G_SAMPLING,
     "auto: mue sizes the iterations for --rel-error itself (training from 2e4 points, doubling "
     "until the grid has settled, then production iterations sized from the measured error; "
     "docs/guide.md#schedule); fixed: --points, --warmup, --iterations as given. [auto, unless "
     "--points, --warmup, --iterations, --checkpoint or --resume is given, or --rel-error 0]",
     NULL, FNS(schedule)},
    {"seed", "N", MUE_ST_U64, NONE, F(seed), "1", 0, 18446744073709551615.0, "seed", ALL, -1, RESULT,
     G_SAMPLING, "random seed, up to 2^64 - 1; same seed, same result on any thread count [1]",
     NULL, NOFN},
    {"grid-bins", "N", MUE_ST_INT, NONE, F(grid_bins), "64", 2, MUE_VEGAS_MAXBINS, "grid_bins", ALL,
     -1, RESULT, G_SAMPLING, "VEGAS bins per axis [64], 2 .. 256", NULL, NOFN},
    {"beta", "B", MUE_ST_REAL, NONE, F(beta), "0.75", 0.0, 1.0, "beta", ALL, -1, RESULT, G_SAMPLING,
     "VEGAS+ (Lepage 2021): each iteration moves points into the boxes with the largest "
     "errors, n_h ~ sigma_h^B [0.75]; 0: classic VEGAS, the same count in every box",
     NULL, NOFN},
    {"no-strata", NULL, MUE_ST_FLAG, NONE, F(no_strata), NULL, 0, 0, "no_strata", ALL, -1, RESULT,
     G_SAMPLING,
     "plain importance sampling (default: also stratified, two or more points in each of n^dim "
     "equal boxes, as Lepage's VEGAS)",
     NULL, NOFN},
    {"threads", "N", MUE_ST_INT, NONE, F(threads), "0", 0, 4096, "threads", ALL, -1, MUE_SF_MACHINE,
     G_SAMPLING,
     "CPU threads [0: all cores], up to 4096", NULL, NOFN},
    {"device", "D", CUSTOM(device), F(device), "auto", 0, 0, "device", ALL, -1, MUE_SF_MACHINE,
     G_SAMPLING,
     "auto, cpu or gpu [auto]; auto takes a GPU when there is one", NULL, mue_st_device_parse,
     mue_st_text_print},
    {"save-grid", "FILE", MUE_ST_PATH, NONE, F(save_grid), NULL, 0, 0, "save_grid", INTEGRATE, -1,
     MUE_SF_OUT, G_GRID, "write the trained grid (JSON) at the end", NULL, NOFN},
    {"load-grid", "FILE", MUE_ST_PATH, NONE, F(load_grid), NULL, 0, 0, "load_grid",
     INTEGRATE | GENERATE, -1, MUE_SF_IN, G_GRID,
     "start from a saved grid, with no warm-up unless --warmup; refused if it was trained for "
     "other settings of the integrand (the coupling and alpha only scale it), naming the one "
     "that differs",
     NULL, NOFN},
    {"force-grid", NULL, MUE_ST_FLAG, NONE, F(force_grid), NULL, 0, 0, "force_grid",
     INTEGRATE | GENERATE, -1, 0, G_GRID, "use a loaded grid even so", NULL, NOFN},
    {"checkpoint", "FILE", MUE_ST_PATH, NONE, F(checkpoint), NULL, 0, 0, "checkpoint", INTEGRATE,
     -1, MUE_SF_OUT, G_CHECKPOINT, "write the run's state (JSON) after every iteration, atomically",
     NULL, NOFN},
    {"resume", "FILE", MUE_ST_PATH, NONE, F(resume), NULL, 0, 0, "resume", INTEGRATE, -1, MUE_SF_IN,
     G_CHECKPOINT,
     "go on from a checkpoint of a run with the same settings (refused otherwise, naming the "
     "one that differs); the result has the bits of the run never stopped. FILE may also be the "
     "--checkpoint",
     NULL, NOFN},
    {"checkpoint-every", "S", MUE_ST_U64, NONE, F(checkpoint_every), "0", 0, 1099511627776.0,
     "checkpoint_every_s", INTEGRATE, -1, 0, G_CHECKPOINT,
     "at most one checkpoint per S seconds, and the last iteration's [0: after every iteration]",
     NULL, NOFN},
    {"json", "FILE", MUE_ST_PATH, NONE, F(json), NULL, 0, 0, "json",
     INTEGRATE | GENERATE | BACKGROUNDS | MUE_CMD_G2 | SENSITIVITY, -1, MUE_SF_OUT, G_OUTPUT,
     "write the result as one JSON object (schema in docs/schema/)", NULL, NOFN},
    {"hist", "DIR", MUE_ST_PATH, NONE, F(hist_dir), NULL, 0, 0, "hist", INTEGRATE, -1, MUE_SF_DIR,
     G_OUTPUT, "write one CSV histogram per observable of the process in DIR", NULL, NOFN},
    {"histograms", NULL, MUE_ST_FLAG, NONE, F(want_hist), NULL, 0, 0, "histograms", INTEGRATE, -1,
     RESULT, G_OUTPUT,
     "fill the histograms (in the JSON and the library's result) without writing CSV files; "
     "--hist DIR fills them too",
     NULL, NOFN},
    {"hist-bins", "N", MUE_ST_INT, NONE, F(hist_bins), "100", 1, MUE_HIST_MAXBINS, "hist_bins",
     INTEGRATE, -1, RESULT, G_OUTPUT, "bins per histogram [100], 1 .. 200", NULL, NOFN},
    {"hist-range", "N=LO:HI", CUSTOM(hist_range), F(hist_range), NULL, 0, 0, "hist_range",
     INTEGRATE, -1, RESULT | MUE_SF_REPEAT, G_OUTPUT,
     "range of histogram N (an observable of the process) in its unit, GeV or rad; may repeat",
     NULL, FNS(hist_range)},
    {"quiet", NULL, MUE_ST_FLAG, NONE, F(quiet), NULL, 0, 0, NULL, ALL, -1, 0, G_OUTPUT,
     "no progress lines (they go to stderr, on a terminal only)", NULL, NOFN},
    {"detector", "SPEC", CUSTOM(detector), F(par.det), NULL, 0, 0, "detector", ALL, -1,
     GRID | MUE_SF_REPEAT, G_DETECTOR,
     "apply the cuts to measured quantities through a detector model: 'default' or "
     "KEY=VALUE,... (keys below); may repeat",
     NULL, FNS(detector)},
    /* generate */
    {"events", "N", MUE_ST_U64, NONE, F(events), NULL, 1, (double)MUE_GEN_EVENTS_MAX, "events",
     GENERATE, -1, RESULT | MUE_SF_REQUIRED, G_EVENTS, "events to write, 1 .. 1e12 (required)",
     NULL, NOFN},
    {"out", "FILE", MUE_ST_PATH, NONE, F(out), NULL, 0, 0, "out", GENERATE, -1,
     MUE_SF_OUT | MUE_SF_REQUIRED, G_EVENTS,
     "the event file (required); written under a temporary name and renamed when complete; a "
     "name ending in .gz is gzip-compressed",
     NULL, NOFN},
    {"format", "F", CUSTOM(format), F(format), "lhef", 0, 0, "format", GENERATE, -1, 0, G_EVENTS,
     "lhef (Les Houches Event File 3.0) or hepmc3 (HepMC3 ASCII); from the name when omitted: "
     ".lhe/.lhef, .hepmc/.hepmc3 (+.gz)",
     NULL, FNS(format)},
    {"weighted", NULL, MUE_ST_FLAG, NONE, F(weighted), NULL, 0, 0, "weighted", GENERATE, -1, RESULT,
     G_EVENTS,
     "every point passing the cuts, with its weight (the weights average sigma, in pb); no "
     "unweighting",
     NULL, NOFN},
    {"max-weight", "M", CUSTOM(max_weight), F(max_mode), "quantile:0.9999", 0, 0, "max_weight",
     GENERATE, -1, RESULT, G_EVENTS,
     "the maximum for hit or miss: quantile:Q, the Q-quantile of the surveyed nonzero weights, "
     "or max, the largest [quantile:0.9999]",
     NULL, FNS(max_weight)},
    {"overweight", "O", CUSTOM(overweight), F(truncate), "keep", 0, 0, "overweight", GENERATE, -1,
     RESULT, G_EVENTS,
     "events whose weight is above the maximum: keep (weight F/F_max > 1 in units of the unit "
     "weight; unbiased) or truncate (unit weight; the bias is estimated and reported) [keep]",
     NULL, FNS(overweight)},
    {"survey", "N", MUE_ST_U64, NONE, F(survey_points), "1e6", 1, 1099511627776.0, "survey_points",
     GENERATE, -1, RESULT, G_EVENTS, "points surveyed for the maximum, in whole batches [1e6]", NULL,
     NOFN},
    {"gzip-level", "L", MUE_ST_INT, NONE, F(gzip_level), "1", 1, 9, "gzip_level", GENERATE, -1, 0,
     G_EVENTS, "1 (fastest) .. 9 (smallest) for a .gz name [1]", NULL, NOFN},
    {"coupling-weights", "LIST", CUSTOM(coupling_weights), F(ncoupling_weights), "1e-5,1e-4,1e-3", 0, 0,
     "coupling_weights", GENERATE, MUE_PROC_ZPRIME, 0, G_EVENTS,
     "besides the nominal weight, each event's weight at these couplings (g^2 / g_run^2 "
     "times it: exact at tree level), named g_VALUE; a comma list of up to 8, or none "
     "[1e-5,1e-4,1e-3]",
     NULL, FNS(coupling_weights)},
    {"zprime-stable", NULL, MUE_ST_FLAG, NONE, F(zprime_stable), NULL, 0, 0, "zprime_stable", GENERATE,
     MUE_PROC_ZPRIME, RESULT, G_EVENTS,
     "write the Z' as a final particle (PDG 9900023); by default it decays to nu_mu nubar_mu or "
     "nu_tau nubar_tau, and the file's sigma carries BR(Z' -> invisible)",
     NULL, NOFN},
    /* scan */
    {"out", "DIR", MUE_ST_PATH, NONE, F(out), NULL, 0, 0, "out", SCAN, -1,
     MUE_SF_DIR | MUE_SF_REQUIRED, G_SCAN, "output directory (created if missing; required)", NULL,
     NOFN},
    {"masses", "LIST", CUSTOM(masses), F(masses), NULL, 0, 0, "masses", SCAN, -1, 0, G_SCAN,
     "comma-separated masses, units allowed (10MeV,0.1)", NULL, FNS(masses)},
    {"n-masses", "N", MUE_ST_INT, NONE, F(n_masses), "48", 3, MUE_SCAN_MAXMASS, "n_masses", SCAN, -1,
     0, G_SCAN,
     "automatic grid: N masses, 2/3 log-spaced from --mass-min to --mass-mid, 1/3 crowding the "
     "end point [48]",
     NULL, NOFN},
    {"mass-min", "M", MUE_ST_REAL, ENERGY, F(mass_min), "1MeV", 0.0, 1e300, "mass_min_gev", SCAN, -1,
     MUE_SF_LO_OPEN, G_SCAN, "the automatic grid's lowest mass [1MeV]", NULL, NOFN},
    {"mass-mid", "M", MUE_ST_REAL, ENERGY, F(mass_mid), "0.15GeV", 0.0, 1e300, "mass_mid_gev", SCAN,
     -1, MUE_SF_LO_OPEN, G_SCAN, "where its logarithmic part ends [0.15GeV]", NULL, NOFN},
    {"g2", "NAME|V,E", CUSTOM(g2), F(g2), "wp20", 0, 0, "g2", MUE_CMD_SCAN, -1, 0, G_SCAN,
     "g-2 band (processes whose boson couples to the muon): wp20 (the paper's 2021 excess), "
     "wp25 (2025), or Delta a_mu = V +- E given as numbers [wp20]",
     NULL, mue_st_g2_parse, mue_st_text_print},
    {"restart", NULL, MUE_ST_FLAG, NONE, F(restart), NULL, 0, 0, "restart", SCAN, -1, 0, G_SCAN,
     "ignore an existing DIR/scan.csv", NULL, NOFN},
    /* backgrounds */
    /* sensitivity */
    {"background", "N", MUE_ST_REAL, NONE, F(background), NULL, 0.0, 1e9, "background_events",
     SENSITIVITY, -1, 0, G_SENS,
     "background events at the luminosity, by hand, 0 .. 1e9 [computed: mue backgrounds' "
     "(i)+(ii)+(iii) through --detector]",
     NULL, NOFN},
    {"background-syst", "R", MUE_ST_REAL, NONE, F(background_syst), "0", 0.0, 10.0,
     "background_syst", SENSITIVITY, -1, 0, G_SENS,
     "relative uncertainty of the background, log-normal, 0 .. 10 [0]", NULL, NOFN},
    {"no-br", NULL, MUE_ST_FLAG, NONE, F(no_br), NULL, 0, 0, "no_br", SENSITIVITY, -1, 0, G_SENS,
     "signal counts without BR(Z' -> invisible) (the paper's N_sig; the same below 2 m_mu)", NULL,
     NOFN},
    {"optimise", NULL, MUE_ST_FLAG, NONE, F(optimise), NULL, 0, 0, "optimise", SENSITIVITY, -1, 0,
     G_SENS,
     "at each mass, the theta_mu threshold and E_e window with the best expected limit, the "
     "background computed at each (through --detector)",
     NULL, NOFN},
    {"no-leak-scan", NULL, MUE_ST_UNFLAG, NONE, F(leak_scan), "1", 0, 0, "leak_scan", BACKGROUNDS,
     -1, 0, G_BG, "leave out the leak of backgrounds that pass no cut at truth level", NULL, NOFN},
    {"markdown", "FILE", MUE_ST_PATH, NONE, F(markdown), NULL, 0, 0, "markdown", BACKGROUNDS, -1,
     MUE_SF_OUT, G_OUTPUT, "write the tables as markdown", NULL, NOFN},
    /* g2 */
    {"mass", "M", MUE_ST_REAL, ENERGY, F(g2_mass), NULL, 1e-6, 1e4, "mass_gev", MUE_CMD_G2, -1,
     MUE_SF_REQUIRED, G_MODEL, "mass of the Z', 1 keV .. 10 TeV (required)", NULL, NOFN},
    {"coupling", "G", MUE_ST_REAL, NONE, F(g2_coupling), NULL, 1e-20, 10.0, "coupling", MUE_CMD_G2,
     -1, MUE_SF_REQUIRED, G_MODEL,
     "its coupling g, 1e-20 .. 10 (Delta a_mu ~ g^2: scale a result for others; required)", NULL,
     NOFN},
    /* kinematics */
    {"n", "N", MUE_ST_U64, NONE, F(curve_points), "200", 2, 1000000, "n", MUE_CMD_KINEMATICS, -1, 0,
     G_OUTPUT, "points on the curve [200], 2 .. 1000000", NULL, NOFN},
    {"csv", "FILE", MUE_ST_PATH, NONE, F(csv), NULL, 0, 0, "csv", MUE_CMD_KINEMATICS, -1, MUE_SF_OUT,
     G_OUTPUT, "write the curve to FILE instead of standard output", NULL, NOFN},
};
#define NROWS (int)(sizeof rows / sizeof rows[0])

static const char *const command_names[MUE_NCMD] = {"integrate", "scan",       "generate",
                                                    "backgrounds", "g2",   "kinematics",
                                                    "sensitivity"};

int mue_command_find(const char *name)
{
    for (int k = 0; k < MUE_NCMD; k++)
        if (strcmp(name, command_names[k]) == 0)
            return 1 << k;
    return 0;
}

const char *mue_command_name(int cmd)
{
    for (int k = 0; k < MUE_NCMD; k++)
        if (cmd == 1 << k)
            return command_names[k];
    return NULL;
}

/* The row of input k of process pi: the commands of a process's run, but a mass not in
 * a scan, which scans it. */
static void input_row(const mue_process_info *pi, int k, mue_setting *s)
{
    const mue_input_def *in = &pi->inputs[k];
    memset(s, 0, sizeof *s);
    s->name = in->option;
    s->off = offsetof(mue_run_config, par.input) + sizeof(double) * (size_t)in->slot;
    s->def = in->def;
    s->lo = in->lo;
    s->hi = in->hi;
    s->json = in->json;
    s->process = (int)pi->id;
    s->group = G_MODEL;
    s->help = in->help;
    s->label = in->label;
    s->cmds = RUNS;
    s->flags = GRID;
    switch (in->kind) {
    case MUE_INPUT_MASS:
        s->meta = "M";
        s->type = MUE_ST_REAL;
        s->unit = ENERGY;
        s->cmds = INTEGRATE | GENERATE;
        s->flags |= MUE_SF_REQUIRED | MUE_SF_MASS;
        break;
    case MUE_INPUT_COUPLING:
        s->meta = "G";
        s->type = MUE_ST_REAL;
        s->unit = NONE;
        s->flags = RESULT | MUE_SF_REQUIRED | MUE_SF_COUPLING; /* only scales the integrand */
        break;
    case MUE_INPUT_FLAVOURS:
        s->meta = "LIST";
        s->type = MUE_ST_CUSTOM;
        s->parse = mue_st_flavours_parse;
        s->print = mue_st_flavours_print;
        break;
    default: /* MUE_INPUT_ENERGY */
        s->meta = "E";
        s->type = MUE_ST_REAL;
        s->unit = ENERGY;
        if (!(in->hi > 0.0))
            s->flags |= MUE_SF_BEAM;
        break;
    }
}

int mue_settings_rows(mue_process_id id, mue_setting *out, int max)
{
    int n = 0;
    for (int i = 0; i < NROWS && n < max; i++) {
        out[n++] = rows[i];
        /* a process's inputs follow --process: the help lists them there */
        if (i == 0) {
            const mue_process_info *pi = mue_process_info_of(id);
            for (int k = 0; pi && k < pi->ninputs && n < max; k++)
                input_row(pi, k, &out[n++]);
        }
    }
    return n;
}

int mue_settings_all_rows(mue_setting *out, int max)
{
    int n = 0;
    for (int i = 0; i < NROWS && n < max; i++) {
        out[n++] = rows[i];
        for (int p = 0; i == 0 && p < MUE_NPROC; p++)
            for (int k = 0; k < mue_process_table[p].ninputs && n < max; k++)
                input_row(&mue_process_table[p], k, &out[n++]);
    }
    return n;
}

/* option names match with '_' for '-' (the library's and Python's keywords) */
static int same_name(const char *row, const char *name)
{
    for (; *row && *name; row++, name++)
        if (*row != *name && !(*row == '-' && *name == '_'))
            return 0;
    return *row == *name;
}

const mue_setting *mue_settings_find(int cmd, mue_process_id process, const char *name,
                                     mue_setting *buf)
{
    for (int i = 0; i < NROWS; i++)
        if ((rows[i].cmds & cmd) && same_name(rows[i].name, name) &&
            (rows[i].process < 0 || rows[i].process == (int)process))
            return &rows[i];
    const mue_process_info *pi = mue_process_info_of(process);
    for (int k = 0; pi && k < pi->ninputs; k++) {
        input_row(pi, k, buf);
        if ((buf->cmds & cmd) && same_name(buf->name, name))
            return buf;
    }
    return NULL;
}

const void *mue_settings_input_owner(int cmd, const char *name, mue_setting *buf)
{
    /* a row of one process's (--zprime-stable), or one of its model inputs */
    for (int i = 0; i < NROWS; i++)
        if (rows[i].process >= 0 && (rows[i].cmds & cmd) && same_name(rows[i].name, name))
            return mue_process_info_of((mue_process_id)rows[i].process);
    for (int p = 0; p < MUE_NPROC; p++)
        for (int k = 0; k < mue_process_table[p].ninputs; k++) {
            input_row(&mue_process_table[p], k, buf);
            if (same_name(buf->name, name) && (buf->cmds & cmd))
                return &mue_process_table[p];
        }
    return NULL;
}

int mue_settings_known(int cmd, const char *name)
{
    mue_setting buf;
    for (int i = 0; i < NROWS; i++)
        if ((rows[i].cmds & cmd) && same_name(rows[i].name, name))
            return 1;
    return mue_settings_input_owner(cmd, name, &buf) != NULL;
}

int mue_setting_applies(const mue_setting *s, const mue_run_config *c)
{
    return (s->cmds & c->command) && (s->process < 0 || s->process == (int)c->process);
}

const void *mue_setting_field(const mue_setting *s, const mue_run_config *c)
{
    return (const char *)c + s->off;
}

int mue_setting_present(const mue_setting *s, const mue_run_config *c)
{
    const void *f = mue_setting_field(s, c);
    if (s->type == MUE_ST_PATH)
        return *(const char *const *)f != NULL;
    if (s->print == mue_st_hist_range_print)
        return c->n_hist_ranges > 0;
    if (s->print == mue_st_masses_print)
        return c->nmasses > 0;
    return 1;
}

void mue_setting_value(const mue_setting *s, const mue_run_config *c, char *buf, size_t len)
{
    const void *f = mue_setting_field(s, c);
    switch (s->type) {
    case MUE_ST_REAL: mue_fmt_exact(*(const double *)f, buf, len); break;
    case MUE_ST_U64: snprintf(buf, len, "%llu", (unsigned long long)*(const uint64_t *)f); break;
    case MUE_ST_INT:
    case MUE_ST_FLAG:
    case MUE_ST_UNFLAG: snprintf(buf, len, "%d", *(const int *)f); break;
    case MUE_ST_PATH: snprintf(buf, len, "%s", *(const char *const *)f ? *(const char *const *)f : ""); break;
    default: s->print(s, f, c, buf, len);
    }
}

void mue_settings_each(const mue_run_config *c, unsigned mask, mue_setting_fn fn, void *ctx)
{
    mue_setting all[NROWS + MUE_INPUTS_MAX];
    int n = mue_settings_rows(c->process, all, NROWS + MUE_INPUTS_MAX);
    char v[4096];
    for (int i = 0; i < n; i++) {
        const mue_setting *s = &all[i];
        /* the echo leaves out the files: a result does not depend on where it is written */
        if (!mue_setting_applies(s, c) || (mask ? !(s->flags & mask) : !s->json || s->type == MUE_ST_PATH))
            continue;
        mue_setting_value(s, c, v, sizeof v);
        fn(ctx, s, v);
    }
}

typedef struct {
    uint64_t h;
    const mue_setting *skip;
} hash_ctx;

static void hash_one(void *ctx, const mue_setting *s, const char *value)
{
    hash_ctx *k = ctx;
    if (k->skip && strcmp(s->name, k->skip->name) == 0 && s->process == k->skip->process)
        return;
    k->h = mue_hash_str(k->h, s->name);
    k->h = mue_hash_str(k->h, value);
}

uint64_t mue_settings_identity(const mue_run_config *c, unsigned mask, const mue_setting *skip)
{
    hash_ctx k = {MUE_HASH_INIT, skip};
    mue_settings_each(c, mask, hash_one, &k);
    return k.h;
}
