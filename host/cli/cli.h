/* Command-line plumbing shared by the commands (see cli.c). */
#ifndef MUE_CLI_H
#define MUE_CLI_H

#include <getopt.h>
#include <stddef.h>
#include <stdint.h>

#include "run/integrate.h"
#include "util/units.h"

enum {
    O_PROCESS = 256, O_MASS, O_COUPLING, O_ALPHA, O_BEAM, O_LUMI, O_THMU, O_EEMIN, O_EEMAX,
    O_NOCUTS, O_POINTS, O_ITER, O_WARM, O_REL, O_SEED, O_GBINS, O_THREADS, O_DEVICE, O_JSON,
    O_HIST, O_HBINS, O_QUIET, O_HELP, O_NOSTRATA, O_HRANGE, O_MASSES, O_NMASS, O_MASS_MIN,
    O_MASS_MID, O_OUT, O_G2, O_RESTART, O_CSV, O_N, O_SAVE_GRID, O_LOAD_GRID, O_FORCE_GRID,
    O_BETA, O_DETECTOR, O_MARKDOWN,
    O_EGMIN, O_FLAVOURS, O_CHECKPOINT, O_RESUME, O_CKEVERY
};

/* Options of every integrating command (model, beam, cuts, sampling, device, --quiet,
 * --help), terminated by a zero entry. */
extern const struct option mue_cli_run_opts[];

/* mue_cli_run_opts followed by a command's own options (own ends with a zero entry),
 * into out[max]; 0, or -1 if they do not fit. */
int mue_cli_options(struct option *out, int max, const struct option *own);

/* Prints "mue: " and the message on one stderr line; returns the exit code 2. */
int mue_cli_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int mue_cli_quantity(const char *opt, const char *val, mue_unit_kind kind, double *out);
int mue_cli_count(const char *opt, const char *val, uint64_t *out, uint64_t max);
int mue_cli_bad_option(char **argv, const char *cmd);

/* What the shared options set beyond the configuration. */
typedef struct {
    int have_mass, have_coupling, have_warmup, have_grid_bins, have_flavours;
    const char *cut_option; /* the last of --theta-mu-min, --ee-min, --ee-max given */
} mue_cli_seen;

/* Handles option o if it is one of mue_cli_run_opts (not --quiet or --help): 0 when
 * handled, an exit code on a bad value, -1 if o is not one of them. */
int mue_cli_run_option(int o, const char *opt, mue_run_config *c, mue_cli_seen *seen);
/* --process NAME, missing --mass/--coupling of the process: the checks after parsing. */
int mue_cli_model_complete(const mue_run_config *c, const mue_cli_seen *seen, const char *cmd);
/* --no-cuts together with a cut's value is a contradiction, not a silent choice. */
int mue_cli_cuts_consistent(const mue_run_config *c, const mue_cli_seen *seen);
const char *mue_cli_option_name(const struct option *opts, int o, char *buf, size_t len);

#endif
