/* mue: muon-electron scattering at MUonE, the library.
 *
 * The one public header of libmue, used by the `mue` command, the Python package and
 * any other program. A run is described by option/value pairs with the names of the
 * command line (`mue integrate --help` lists them): build one, run it, read its result.
 *
 *     mue_run *run = mue_run_new("integrate");
 *     mue_run_set(run, "process", "zprime");
 *     mue_run_set(run, "mass", "100MeV");
 *     mue_run_set(run, "coupling", "1e-3");
 *     mue_result *res;
 *     if (mue_run_execute(run, &res) != 0)
 *         fprintf(stderr, "%s\n", mue_run_error(run));
 *     else
 *         printf("%g +- %g fb\n", mue_result_number(res, "sigma_fb"),
 *                mue_result_number(res, "sigma_err_fb"));
 *     mue_result_free(res);
 *     mue_run_free(run);
 *
 * Errors are returned (nonzero) with a one-line reason, never printed or exited on.
 * The library keeps no state beyond the handles the caller owns. GPL-3.0-or-later. */
#ifndef MUE_H
#define MUE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* "0.2.0" */
const char *mue_version(void);
/* One line: version, the commit it was built from, the backends compiled in. */
const char *mue_build_info(void);

/* ---- a run: one command and its settings ---- */

typedef struct mue_run mue_run;

/* A run of command: "integrate", "scan", "generate", "backgrounds", "g2" or
 * "kinematics". NULL for another name or when out of memory. */
mue_run *mue_run_new(const char *command);
void mue_run_free(mue_run *run);
/* The commands, NULL-terminated. */
const char *const *mue_commands(void);
/* Does option (without "--") of command take a value (1), or is it a flag (0)? -1 for
 * an option the command does not have. */
int mue_option_takes_value(const char *command, const char *option);

/* Sets option (a name of the command line, without "--"; '_' may stand for '-') to
 * value, a text as on the command line ("100MeV", "1/132.507", "e,mu"); NULL or "" for
 * an option that takes none (a flag). Options are applied in the order they were set,
 * as on the command line (a repeated one replaces, or adds where it may repeat:
 * --hist-range, --detector). 0, or -1 for an option this command does not have (the
 * reason in mue_run_error); values are checked when the run is checked or executed. */
int mue_run_set(mue_run *run, const char *option, const char *value);
/* The reason of the last failure on run, one line ("" if none). */
const char *mue_run_error(const mue_run *run);
/* Checks the settings as a whole (ranges, the process's inputs, contradictions,
 * writable outputs) without running: 0, or -1 with the reason. */
int mue_run_check(mue_run *run);
/* The help of the command: its options with their defaults and ranges. */
const char *mue_run_help(const mue_run *run);

/* Where the run says how it goes: progress lines (one per iteration, mass or batch)
 * and notices (a device passed over). Called from the executing thread; may be NULL
 * (the default: silence). */
enum { MUE_MSG_PROGRESS = 1, MUE_MSG_NOTICE = 2 };
typedef void (*mue_message_fn)(void *ctx, int kind, const char *line);
void mue_run_on_message(mue_run *run, mue_message_fn fn, void *ctx);

/* Asks an executing run to stop (from another thread or a signal handler): it stops at
 * the next iteration, mass or batch, leaves no partial output file and fails with
 * "interrupted". */
void mue_run_cancel(mue_run *run);

/* For mue-mpi: the ranks of the MPI job that execute the run together (rank 0 leads,
 * prints and writes; the others evaluate their share). NULL: this process alone. */
struct mue_comm;
int mue_run_use_comm(mue_run *run, struct mue_comm *comm);

/* ---- results ---- */

typedef struct mue_result mue_result;

/* Runs the command; *result gets what it computed (free with mue_result_free). The
 * outputs the settings name (--json, --hist, --out, ...) are written too. 0, or -1
 * with the reason in mue_run_error (and *result NULL). */
int mue_run_execute(mue_run *run, mue_result **result);
void mue_result_free(mue_result *result);

/* What the command prints: the result in words, as `mue <command>` shows it. */
const char *mue_result_text(const mue_result *result);
/* The result as one JSON document, as --json writes it (format "mue-<command>", its
 * schema in docs/schema/). */
const char *mue_result_json(const mue_result *result);
/* A number of the result by its JSON key ("sigma_fb", "sigma_err_fb", "events", "q",
 * "points", ...), with every bit; NaN when the result has no such number. */
double mue_result_number(const mue_result *result, const char *key);
/* Warnings: what the numbers alone would not tell (rough errors, dropped weights). */
int mue_result_nwarnings(const mue_result *result);
const char *mue_result_warning(const mue_result *result, int k);

/* Histograms (integrate with the option "histograms", or "hist" DIR): the number of them, and histogram k:
 * its name ("E_e"), unit ("GeV", "rad"), bins, nbins + 1 edges, and per bin sigma (fb)
 * and its error. 0, or -1 when there is no histogram k. */
int mue_result_nhist(const mue_result *result);
int mue_result_hist(const mue_result *result, int k, const char **name, const char **unit,
                    int *nbins, const double **edges, const double **sigma_fb,
                    const double **error_fb);

/* Tables (scan: "rows", one per mass): the number of rows, and a number of row i by its
 * column (the JSON key: "mass_gev", "sigma_fb", ...); NaN where there is none. */
int mue_result_nrows(const mue_result *result, const char *table);
double mue_result_row_number(const mue_result *result, const char *table, int i, const char *key);

#ifdef __cplusplus
}
#endif

#endif
