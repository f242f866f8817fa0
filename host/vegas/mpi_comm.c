#include "vegas/mpi_comm.h"

#include <limits.h>
#include <mpi.h>
#include <stdlib.h>

static MPI_Comm world;

/* what left or reached rank 0, and its time in the calls */
static void count(mue_comm *c, double t0, uint64_t bytes)
{
    c->stats.calls++;
    c->stats.seconds += MPI_Wtime() - t0;
    if (c->rank == 0)
        c->stats.bytes += bytes;
}

static int mpi_bcast(mue_comm *c, void *buf, size_t n)
{
    double t0 = MPI_Wtime();
    for (size_t done = 0; done < n;) {
        int k = n - done > (size_t)1 << 30 ? 1 << 30 : (int)(n - done);
        if (MPI_Bcast((char *)buf + done, k, MPI_BYTE, 0, world) != MPI_SUCCESS)
            return -1;
        done += (size_t)k;
    }
    count(c, t0, (uint64_t)n * (uint64_t)(c->size - 1));
    return 0;
}

static int mpi_gatherv(mue_comm *c, const void *send, size_t n, void *recv, const size_t *counts,
                       const size_t *displs)
{
    double t0 = MPI_Wtime();
    int *ic = NULL, *id = NULL;
    uint64_t in = 0;
    if (n > INT_MAX)
        return -1;
    if (c->rank == 0) {
        ic = malloc(2 * sizeof(int) * (size_t)c->size);
        if (!ic)
            return -1;
        id = ic + c->size;
        for (int q = 0; q < c->size; q++) {
            if (counts[q] > INT_MAX || displs[q] > INT_MAX) {
                free(ic);
                return -1;
            }
            ic[q] = (int)counts[q];
            id[q] = (int)displs[q];
            in += q ? counts[q] : 0;
        }
    }
    /* rank 0's part already in place */
    const void *s = c->rank == 0 && (const char *)recv + displs[0] == (const char *)send ? MPI_IN_PLACE
                                                                                          : send;
    int rc = MPI_Gatherv(s, (int)n, MPI_BYTE, recv, ic, id, MPI_BYTE, 0, world);
    free(ic);
    count(c, t0, in);
    return rc == MPI_SUCCESS ? 0 : -1;
}

static int mpi_max_int(mue_comm *c, int v, int *out)
{
    double t0 = MPI_Wtime();
    int rc = MPI_Allreduce(&v, out, 1, MPI_INT, MPI_MAX, world);
    count(c, t0, sizeof(int) * (uint64_t)(c->size - 1));
    return rc == MPI_SUCCESS ? 0 : -1;
}

static mue_comm mpi = {"mpi", 0, 1, 0, 1, mpi_bcast, mpi_gatherv, mpi_max_int, 0, 0, 0, {0, 0.0, 0}};

mue_comm *mue_mpi_comm_init(void)
{
    /* a communicator of our own; a failed call ends the whole job (MPI's default
     * handler), as it must: a rank that is gone cannot be waited for */
    MPI_Comm_dup(MPI_COMM_WORLD, &world);
    MPI_Comm_rank(world, &mpi.rank);
    MPI_Comm_size(world, &mpi.size);
    MPI_Comm node;
    MPI_Comm_split_type(world, MPI_COMM_TYPE_SHARED, mpi.rank, MPI_INFO_NULL, &node);
    MPI_Comm_rank(node, &mpi.local_rank);
    MPI_Comm_size(node, &mpi.local_size);
    MPI_Comm_free(&node);
    const char *k = getenv("MUE_TEST_MPI_PERTURB_RANK");
    if (k && atoi(k) == mpi.rank && mpi.rank != 0)
        mpi.salt = 0x9e3779b97f4a7c15ull;
    return &mpi;
}
