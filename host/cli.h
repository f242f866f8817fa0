/* Command-line plumbing shared by the commands (see cli.c). */
#ifndef MUE_CLI_H
#define MUE_CLI_H

#include <getopt.h>
#include <stddef.h>
#include <stdint.h>

#include "integrate.h"
#include "units.h"

enum {
    O_PROCESS = 256, O_MASS, O_COUPLING, O_ALPHA, O_BEAM, O_LUMI, O_THMU, O_EEMIN, O_EEMAX,
    O_NOCUTS, O_POINTS, O_ITER, O_WARM, O_REL, O_SEED, O_GBINS, O_THREADS, O_DEVICE, O_JSON,
    O_HIST, O_HBINS, O_QUIET, O_HELP,
    O_NOSTRATA, O_HRANGE, O_MASSES, O_NMASS, O_MASS_MIN, O_MASS_MID, O_OUT, O_G2, O_RESTART, O_CSV, O_BAND
};

/* Options of every integrating command, terminated by a zero entry. */
extern const struct option mue_cli_run_opts[];
#define MUE_CLI_NRUN_OPTS 25

/* Prints "mue: " + fmt(a, b) on one stderr line; returns the exit code 2. */
int mue_cli_fail(const char *fmt, const char *a, const char *b);
int mue_cli_quantity(const char *opt, const char *val, mue_unit_kind kind, double *out);
int mue_cli_count(const char *opt, const char *val, uint64_t *out, uint64_t max);
int mue_cli_bad_option(char **argv, const char *cmd);
int mue_cli_run_option(int o, const char *opt, mue_run_config *c, int *have_mass,
                       int *have_coupling);
const char *mue_cli_option_name(const struct option *opts, int o, char *buf, size_t len);

#endif
