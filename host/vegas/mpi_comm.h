/* The MPI communicator (comm.h), in mue-mpi only (`make mpi`). */
#ifndef MUE_MPI_COMM_H
#define MUE_MPI_COMM_H

#include "vegas/comm.h"

/* After MPI_Init: this process's place in MPI_COMM_WORLD and on its node, and the
 * collectives over MPI. The test-only hook MUE_TEST_MPI_PERTURB_RANK=K makes rank K
 * hash as if its settings differed (tests/test_mpi.c). */
mue_comm *mue_mpi_comm_init(void);

#endif
