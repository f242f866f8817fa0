/* mue-mpi: the `mue` command (cli.c) run by every rank of an MPI job, each run handed
 * the job's communicator. Rank 0 prints and writes files; the other ranks' standard
 * output and error go to /dev/null (what they have to say reaches rank 0 through
 * mue_comm_status). Before any command the ranks check that they run the same build
 * with the same arguments; each rank takes a GPU of its node by its rank there. */
#include <dirent.h>
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "mue.h"
#include "mue/accum.h"
#include "vegas/comm.h"
#include "vegas/iteration.h"
#include "vegas/mpi_comm.h"

/* The build (version, compiler, the layouts the ranks exchange) and the arguments. */
static uint64_t job_hash(int argc, char **argv)
{
    uint64_t h = mue_hash_str(MUE_HASH_INIT, mue_build_info());
    h = mue_hash_str(h, __VERSION__);
    const uint64_t sizes[] = {sizeof(mue_acc), sizeof(mue_vegas_grid), MUE_SLICE_MIN_POINTS,
                              MUE_SLICES_MAX};
    h = mue_hash_bytes(h, sizes, sizeof sizes);
    for (int i = 1; i < argc; i++)
        h = mue_hash_str(h, argv[i]);
    return h;
}

/* NVIDIA GPUs of this node (the driver lists them), 0 if none. */
static int node_gpus(void)
{
    DIR *d = opendir("/proc/driver/nvidia/gpus");
    int n = 0;
    for (struct dirent *e; d && (e = readdir(d));)
        n += e->d_name[0] != '.';
    if (d)
        closedir(d);
    return n;
}

/* With several ranks on a node, rank k of the node sees GPU k (mod their number) only:
 * the k-th entry of CUDA_VISIBLE_DEVICES when the launcher set it (SLURM does), else
 * the k-th GPU of the node. MUE_MPI_NO_GPU_BIND=1 leaves the devices alone. */
static void bind_gpu(const mue_comm *c)
{
    if (c->local_size < 2 || getenv("MUE_MPI_NO_GPU_BIND"))
        return;
    const char *vis = getenv("CUDA_VISIBLE_DEVICES");
    char pick[128] = "";
    if (vis && vis[0]) {
        int n = 1;
        for (const char *p = vis; *p; p++)
            n += *p == ',';
        const char *p = vis;
        for (int k = c->local_rank % n; k > 0; k--)
            p = strchr(p, ',') + 1;
        snprintf(pick, sizeof pick, "%.*s", (int)strcspn(p, ","), p);
    } else {
        int n = node_gpus();
        if (n < 1)
            return;
        snprintf(pick, sizeof pick, "%d", c->local_rank % n);
    }
    setenv("CUDA_VISIBLE_DEVICES", pick, 1);
}

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    mue_comm *c = mue_mpi_comm_init();
    if (c->rank != 0) {
        fflush(NULL);
        if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr))
            MPI_Abort(MPI_COMM_WORLD, 1);
    }
    bind_gpu(c);
    char why[600];
    int rc = mue_comm_agree(c, job_hash(argc, argv), "arguments", why, sizeof why);
    if (rc)
        fprintf(stderr, "mue: the MPI ranks do not run the same job: %s\n", why);
    else
        rc = mue_cli_main(argc, argv, c);
    mue_comm_finish(c, rc);
    if (c->rank == 0 && getenv("MUE_MPI_STATS"))
        fprintf(stderr, "mue-mpi stats: ranks=%d comm_bytes=%llu comm_seconds=%.6f comm_calls=%lld\n",
                c->size, (unsigned long long)c->stats.bytes, c->stats.seconds, c->stats.calls);
    MPI_Finalize();
    /* a follower told to quit exits as rank 0 did */
    return c->rank != 0 && c->quit && c->quit_rc ? c->quit_rc : rc;
}
