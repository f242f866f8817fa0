/* The processes that share one job, as the drivers see them: a rank, a size and four
 * collective calls (broadcast from rank 0, gather to rank 0, the largest of an int,
 * and a word that keeps the followers in step). This build's default is one process,
 * where each call is trivial; `make mpi` links host/vegas/mpi_comm.c, whose
 * communicator mue-mpi hands to every run it executes. The drivers (integrate.c,
 * dist_iteration.c, scan.c) call only this interface: no MPI in them.
 *
 * The protocol: rank 0 leads, the other ranks follow. Every exchange a driver starts
 * opens with mue_comm_begin, where rank 0 says "go" (or, once its command has ended,
 * "quit" with its exit status): so a leader that stops early (a bad output path found
 * only on its node) never leaves a follower waiting in a collective. Inside an
 * exchange both sides make the same calls in the same order, and whatever may fail on
 * one rank only ends in mue_comm_status, which tells every rank the first failure. */
#ifndef MUE_COMM_H
#define MUE_COMM_H

#include <stddef.h>
#include <stdint.h>

#include "util/hash.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What crossed between the processes, for the scaling measurements (bench/bench_mpi.sh):
 * bytes that left or reached rank 0, and the wall time rank 0 spent in the calls. */
typedef struct {
    uint64_t bytes;
    double seconds;
    long long calls;
} mue_comm_stats;

typedef struct mue_comm {
    const char *name; /* "single" or "mpi" */
    int rank, size;
    int local_rank, local_size; /* among the ranks on this node (GPU binding) */
    /* rank 0's n bytes into buf on every rank; 0, or -1 */
    int (*bcast)(struct mue_comm *c, void *buf, size_t n);
    /* n bytes from every rank into rank 0's recv + displs[rank] (counts[rank] == that
     * rank's n; recv, counts and displs are read on rank 0 only, where send may lie
     * inside recv at its own place); 0, or -1 */
    int (*gatherv)(struct mue_comm *c, const void *send, size_t n, void *recv,
                   const size_t *counts, const size_t *displs);
    /* the largest v of all ranks, on every rank; 0, or -1 */
    int (*max_int)(struct mue_comm *c, int v, int *out);
    uint64_t salt;  /* mixed into this rank's settings hash: a test-only hook (mpi_comm.c) */
    int quit;       /* a follower that received "quit"; quit_rc its exit status */
    int quit_rc;
    mue_comm_stats stats;
} mue_comm;

/* c, or the one-process communicator for NULL (a run's default: a run carries its
 * communicator, run/settings.h). */
mue_comm *mue_comm_or_single(mue_comm *c);

/* Opens an exchange: 0 on every rank when rank 0 says go; -1 on a follower told to
 * quit (rank 0's command has ended; its status in c->quit_rc). */
int mue_comm_begin(mue_comm *c);
/* Ends the job's protocol (after the command, before shutting down): rank 0 says quit
 * with its exit status rc to every follower still waiting for a word. */
void mue_comm_finish(mue_comm *c, int rc);
/* Every rank's outcome rc (0: fine) and one-line reason why: all ranks return the
 * first nonzero rc in rank order, with that rank's reason in why ("rank N: ..." when
 * it is not rank 0); 0 when none failed. */
int mue_comm_status(mue_comm *c, int rc, char *why, size_t len);
/* Do all ranks run the same thing? Each rank's hash (of the build and the settings of
 * what) against rank 0's; 0 when all agree, else 2 on every rank with a one-line
 * reason in why. */
int mue_comm_agree(mue_comm *c, uint64_t hash, const char *what, char *why, size_t len);


#ifdef __cplusplus
}
#endif

#endif
