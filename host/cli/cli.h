/* The `mue` command: a thin client of the library (include/mue.h). */
#ifndef MUE_CLI_H
#define MUE_CLI_H

#ifdef __cplusplus
extern "C" {
#endif

struct mue_comm;
/* Runs `mue <command> [options]` with argv as main has it; comm: the MPI job's ranks
 * (mue-mpi), or NULL. Returns the exit status: 0, or 2 after one line on stderr. */
int mue_cli_main(int argc, char **argv, struct mue_comm *comm);

#ifdef __cplusplus
}
#endif

#endif
