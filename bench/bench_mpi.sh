#!/bin/sh
# Scaling of mue-mpi on this machine: the same integration on 1, 2 and 4 ranks
# (mpirun --oversubscribe --bind-to none; each rank gets cores/ranks threads, at least
# one), and the single-process mue-cpu, into bench/results/mpi-<host>.json: time per
# iteration, bytes through rank 0 per iteration and rank 0's time in the collectives per
# iteration (MUE_MPI_STATS; it includes waiting for the slowest rank's share), and
# whether every run ends with the same bits: the trained grid and VEGAS+ allocation
# (--save-grid, written after the timed part; 17 digits) and the JSON result. Each time is the
# fastest of REPEAT [2] runs.
# Usage: bench/bench_mpi.sh [RESULTS_DIR]   (make bench-mpi)
set -eu
out_dir=${1:-bench/results}
MPIRUN=${MPIRUN:-mpirun}
RANKS=${RANKS:-"1 2 4"}
POINTS=${POINTS:-4200000}   # 4 slices of the iteration (iteration.h): one per rank at 4 ranks
WARMUP=1
ITERS=3
REPEAT=${REPEAT:-2}
command -v "$MPIRUN" >/dev/null 2>&1 || { echo "SKIP MPI benchmark: mpirun not found (make deps-mpi)"; exit 0; }
[ -x build/mue-mpi ] || { echo "SKIP MPI benchmark: build/mue-mpi not built (make mpi)"; exit 0; }
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
host=$(hostname)
cores=$(nproc)
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
args="integrate --process zprime --mass 100MeV --coupling 1e-3 --points $POINTS --warmup $WARMUP
      --iterations $ITERS --rel-error 0 --seed 1 --quiet"
n_it=$((WARMUP + ITERS))
# the JSON results but for the machine's lines (times, threads)
same_result() { grep -v 'seconds"\|"threads"' "$1" > "$tmp/a"; grep -v 'seconds"\|"threads"' "$2" > "$tmp/b"; cmp -s "$tmp/a" "$tmp/b"; }
field() { sed -n "s/^ *\"$1\": \([^,]*\),*$/\1/p" "$2" | head -n 1; }

s1=""
for rep in $(seq "$REPEAT"); do
    build/mue-cpu $args --json "$tmp/single.json" --save-grid "$tmp/single.grid" >/dev/null
    s=$(field seconds "$tmp/single.json")
    if [ -z "$s1" ] || awk -v a="$s" -v b="$s1" 'BEGIN { exit !(a < b) }'; then
        s1=$s
        h1=$(field host_seconds "$tmp/single.json")
    fi
done
load0=$(cut -d' ' -f1 /proc/loadavg)
runs=""
same=true
for r in $RANKS; do
    t=$((cores / r)); [ "$t" -ge 1 ] || t=1
    sec=""
    for rep in $(seq "$REPEAT"); do   # the fastest of REPEAT runs: the VM's load scatters them
        MUE_MPI_STATS=1 "$MPIRUN" --oversubscribe --bind-to none -x MUE_MPI_STATS -np "$r" build/mue-mpi \
            $args --threads "$t" --json "$tmp/r$r.json" --save-grid "$tmp/r$r.grid" >/dev/null 2>"$tmp/r$r.err"
        cmp -s "$tmp/single.grid" "$tmp/r$r.grid" || same=false
        same_result "$tmp/single.json" "$tmp/r$r.json" || same=false
        s=$(field seconds "$tmp/r$r.json")
        if [ -z "$sec" ] || awk -v a="$s" -v b="$sec" 'BEGIN { exit !(a < b) }'; then
            sec=$s
            stats=$(grep '^mue-mpi stats:' "$tmp/r$r.err")
        fi
    done
    bytes=$(echo "$stats" | sed 's/.*comm_bytes=\([0-9]*\).*/\1/')
    csec=$(echo "$stats" | sed 's/.*comm_seconds=\([0-9.]*\).*/\1/')
    line=$(awk -v r="$r" -v t="$t" -v s="$sec" -v b="$bytes" -v c="$csec" -v n="$n_it" -v p="$POINTS" \
        'BEGIN { printf "    {\"ranks\": %d, \"threads_per_rank\": %d, \"seconds_per_iteration\": %.4f, \"points_per_s\": %.4g, \"comm_bytes_per_iteration\": %d, \"comm_seconds_per_iteration\": %.5f}", r, t, s / n, p * n / s, b / n, c / n }')
    echo "$line"
    runs="${runs:+$runs,
}$line"
done
mkdir -p "$out_dir"
path="$out_dir/mpi-$host.json"
cat > "$path.tmp" <<JSON
{
  "machine": "$host",
  "cpu": "$cpu",
  "cores": $cores,
  "date": "$(date -u +%Y-%m-%dT%H:%M:%SZ)",
  "command": "bench/bench_mpi.sh (make bench-mpi)",
  "launcher": "$MPIRUN --oversubscribe --bind-to none ($("$MPIRUN" --version 2>/dev/null | head -n 1))",
  "integrand": "zprime m=0.1 GeV g=1e-3, cuts (i)+(ii), VEGAS+; $POINTS points per iteration, $WARMUP warm-up + $ITERS iterations",
  "single_process_seconds_per_iteration": $(awk -v s="$s1" -v n="$n_it" 'BEGIN { printf "%.4f", s / n }'),
  "single_process_host_seconds_per_iteration": $(awk -v s="$h1" -v n="$n_it" 'BEGIN { printf "%.4f", s / n }'),
  "load_average_before_after": [$load0, $(cut -d' ' -f1 /proc/loadavg)],
  "bits_identical_to_single_process": $same,
  "runs": [
$runs
  ]
}
JSON
mv "$path.tmp" "$path"
echo "wrote $path"
