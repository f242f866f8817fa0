/* The (mass, coupling) plane of a process with a mass input, one integration per mass:
 * tree-level sigma is proportional to the square of the process's coupling input, so
 * sigma(m, g_ref) gives N(m, g) = sigma (g/g_ref)^2 L. Results go to DIR/scan.csv after
 * every mass; a rerun with the same settings resumes. */
#ifndef MUE_SCAN_H
#define MUE_SCAN_H

#include "run/integrate.h"

typedef struct {
    double mass, sigma, err, chi2, seconds;
    uint64_t points;
    long long nbad;
} mue_scan_row;

/* Log-spaced masses from m_lo up to m_mid, then n_edge more that crowd the end point of
 * the signal under cut (i) (mue_zprime_mass_endpoint; the kinematic limit without
 * cuts), spaced logarithmically in its distance, and two beyond it. */
int mue_scan_default_masses(const mue_params *p, double m_lo, double m_mid, int n_log, int n_edge,
                            double *out);

/* The automatic grid of `mue scan`: n masses, two thirds log-spaced from m_lo to m_mid,
 * the rest from mue_scan_default_masses' edge part. */
int mue_scan_auto_masses(const mue_params *p, double m_lo, double m_mid, int n, double *out);

/* The settings that fix a scan's rows (every result-changing setting but the mass), as
 * one line. */
void mue_scan_settings(const mue_run_config *c, char *buf, size_t len);

/* Runs the masses not yet in DIR/scan.csv (all of them if restart), rewriting the file
 * after each; rows gets every mass asked for, in order, and all (may be 0; room for
 * MUE_SCAN_MAXMASS) every row the file holds at the end, sorted by mass, *nall their
 * number: earlier runs of the scan may have left other masses. progress (may be 0)
 * after each mass, besides base's note. Returns 0, or nonzero
 * with a one-line reason. */
int mue_scan_run(const mue_run_config *base, const double *mass, int nmass, const char *dir,
                 int restart, mue_scan_row *rows, mue_scan_row *all, int *nall,
                 void (*progress)(int i, int n, const mue_scan_row *r, int resumed), char *why,
                 size_t len);

/* Coupling that gives N events at this row (0 where sigma = 0: no coupling does). */
double mue_scan_coupling_for(const mue_scan_row *r, double g_ref, double lumi_fb, double n_events);

#endif
