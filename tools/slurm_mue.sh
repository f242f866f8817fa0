#!/bin/bash
# An example SLURM batch script: one mue integration over 4 nodes of 4 GPUs each, one
# MPI rank per GPU, checkpointed (at most once a minute, and at the end) and resumed
# when the job is requeued (a time limit). Untested on a cluster: adapt the partition,
# account, modules and paths to your site. Submit with `sbatch tools/slurm_mue.sh`.
#
#SBATCH --job-name=mue-elastic
#SBATCH --nodes=4
#SBATCH --ntasks-per-node=4          # one rank per GPU
#SBATCH --gpus-per-node=4
#SBATCH --cpus-per-task=8            # host threads of each rank (the refinement, merges)
#SBATCH --time=04:00:00
#SBATCH --requeue                    # run again, resuming, after a preemption or node failure
#SBATCH --signal=B:USR1@300          # five minutes' notice before the time limit
#SBATCH --output=mue-%j.out

set -eu
MUE=${MUE:-$PWD/build/mue-mpi}       # built with `make mpi` on a node with nvcc and MPI
WORK=${WORK:-$PWD/run-elastic}       # on a file system every node sees
mkdir -p "$WORK"
CK=$WORK/state.ck

# The same arguments on every rank and in every attempt: a resumed run must be given
# the options it was started with (mue checks them against the checkpoint). 1e9 points
# per iteration keeps 16 GPUs busy (docs/clusters.md: N/R must stay well above a
# GPU's ~5e9 points/s times the communication time).
ARGS=(integrate --process elastic --theta-mu-min 0.3mrad --points 1e9 --warmup 5
      --iterations 200 --rel-error 1e-6 --seed 1 --device gpu --quiet
      --json "$WORK/result.json" --hist "$WORK/hist" --checkpoint "$CK" --checkpoint-every 60)
[ -f "$CK" ] && ARGS+=(--resume "$CK")

export OMP_NUM_THREADS=$SLURM_CPUS_PER_TASK
# srun starts the ranks (SLURM's PMI); `mpirun -np $SLURM_NTASKS` works as well with an
# MPI built with SLURM support. mue-mpi gives local rank k the k-th GPU of its node
# (CUDA_VISIBLE_DEVICES); the checkpoint is written by rank 0 after every iteration.
# A dead rank or node ends the whole step (--kill-on-bad-exit; MPI aborts the job too):
# the checkpoint of the last finished iteration stays, and a resubmission goes on.
near_limit=0
trap 'near_limit=1' USR1
srun --kill-on-bad-exit=1 "$MUE" "${ARGS[@]}" &
pid=$!
rc=0
wait $pid || rc=$?
# the time limit's notice interrupts wait: requeue, and the next attempt resumes
if [ "$near_limit" = 1 ] && [ -f "$CK" ]; then
    scontrol requeue "$SLURM_JOB_ID"
    exit 0
fi
exit $rc
