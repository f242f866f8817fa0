#!/bin/sh
# Every check issue 3 needs a GPU for, in one call on a lent GPU machine, within about
# seven minutes: device lending is short and a fresh machine has no GSL, cmocka or
# Random123, so nothing is built there. Here: `make gpu-carry`; there, from the
# checkout root with build/gpu-carry beside it:
#
#     sh tools/gpu_check.sh [OUTDIR]        (default $OUT, else gpu-check-out)
#
# Each step has its own time limit and log in OUTDIR; a failed or timed-out step does
# not stop the later ones. OUTDIR/summary.txt has one line per step and the numbers to
# put in the README; bench_gpu's gpu-<device>.json lands in OUTDIR too (copy it to
# bench/results/). QUICK=1 skips the benchmark and the profile.
set -u
OUTDIR=${1:-${OUT:-gpu-check-out}}
CARRY=${CARRY:-build/gpu-carry}
BIN=$CARRY/bin
mkdir -p "$OUTDIR"
export LD_LIBRARY_PATH="$PWD/$CARRY/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
PATH="$PATH:/usr/local/cuda/bin:/opt/nvidia/nsight-compute/bin"
SUM=$OUTDIR/summary.txt
: >"$SUM"
failed=0

note() { printf '%s\n' "$*" | tee -a "$SUM"; }

# step NAME SECONDS CMD...: runs CMD with its output in OUTDIR/NAME.log
step() {
    name=$1 limit=$2
    shift 2
    t0=$(date +%s)
    timeout "$limit" "$@" >"$OUTDIR/$name.log" 2>&1
    rc=$?
    dt=$(($(date +%s) - t0))
    if [ "$rc" -eq 0 ]; then
        note "PASS $name (${dt} s)"
    else
        [ "$rc" -eq 124 ] && why="timed out after $limit s" || why="exit $rc"
        note "FAIL $name ($why, ${dt} s): see $name.log"
        failed=1
    fi
    return "$rc"
}

# json_num FILE KEY: a number of the flat JSON mue writes
json_num() { sed -n "s/^ *\"$2\": \([-+0-9.eE]*\),*$/\1/p" "$1" | head -n 1; }

if [ ! -x "$BIN/mue" ]; then
    echo "gpu_check: $BIN/mue not found; run 'make gpu-carry' and carry $CARRY" >&2
    exit 2
fi
note "gpu_check $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(hostname)"
# binaries built on the development machine may miss a system library here: say which
if ! "$BIN/mue" --version >"$OUTDIR/start.log" 2>&1; then
    ldd "$BIN"/* >>"$OUTDIR/start.log" 2>&1
    note "FAIL the carried programs do not start here:"
    grep -E 'not found|GLIBC|error' "$OUTDIR/start.log" | sort -u | tee -a "$SUM"
    exit 2
fi
nvidia-smi -L 2>&1 | tee -a "$SUM"
nvidia-smi >"$OUTDIR/nvidia-smi.txt" 2>&1
"$BIN/bench_gpu" --probe >>"$SUM" 2>&1 || { note "no usable CUDA device: nothing to check"; exit 1; }

# 1. make test-gpu: random numbers, point weights, iterations against the CPU; determinism.
step test_gpu_parity 240 "$BIN/test_gpu_parity"
if grep -q '^SKIP' "$OUTDIR/test_gpu_parity.log"; then
    note "FAIL test_gpu_parity skipped on a GPU machine"
    failed=1
fi
tail -n 3 "$OUTDIR/test_gpu_parity.log" | sed 's/^/    /' | tee -a "$SUM"

# 2. The README's benchmark points (make run), on the GPU and on all CPU cores, same seed.
for bp in "10 10MeV 5e-4" "100 100MeV 1e-3"; do
    # shellcheck disable=SC2086 # split into mass label, mass, coupling
    set -- $bp
    for dev in gpu cpu; do
        step "run-$1-$dev" 120 "$BIN/mue" integrate --device "$dev" --process zprime --mass "$2" \
            --coupling "$3" --rel-error 1e-3 --quiet --json "$OUTDIR/run-$1-$dev.json"
    done
    g=$OUTDIR/run-$1-gpu.json c=$OUTDIR/run-$1-cpu.json
    if [ -s "$g" ] && [ -s "$c" ]; then
        line=$(awk -v sg="$(json_num "$g" sigma_fb)" -v eg="$(json_num "$g" sigma_err_fb)" \
            -v sc="$(json_num "$c" sigma_fb)" -v ec="$(json_num "$c" sigma_err_fb)" \
            -v tg="$(json_num "$g" seconds)" -v tc="$(json_num "$c" seconds)" \
            -v tk="$(json_num "$g" gpu_kernel_seconds)" -v th="$(json_num "$g" gpu_host_seconds)" \
            -v m="$1" 'BEGIN {
                rel = (sg - sc) / sc; if (rel < 0) rel = -rel
                printf "    %s MeV: gpu %.6f +- %.6f fb (%.3f s; kernels %s s, host %s s), cpu %.6f +- %.6f fb (%.3f s), |rel diff| %.2e\n",
                       m, sg, eg, tg, tk, th, sc, ec, tc, rel
                exit !(rel < 1e-10) }')
        ok=$?
        note "$line"
        if [ "$ok" -eq 0 ]; then note "PASS run-$1 gpu = cpu to 1e-10"; else note "FAIL run-$1 gpu != cpu"; failed=1; fi
    fi
done

# 3. compute-sanitizer over a short run: memory, shared-memory races, barriers, uninitialised reads.
SHORT="integrate --device gpu --process zprime --mass 100MeV --coupling 1e-3 --points 2e4 --warmup 1 --iterations 1 --hist /tmp/gpu_check_hist --quiet"
mkdir -p /tmp/gpu_check_hist
if command -v compute-sanitizer >/dev/null 2>&1; then
    for tool in memcheck racecheck synccheck initcheck; do
        # shellcheck disable=SC2086
        step "sanitizer-$tool" 150 compute-sanitizer --tool "$tool" --error-exitcode 3 "$BIN/mue" $SHORT
        grep -E 'ERROR SUMMARY|RACECHECK SUMMARY' "$OUTDIR/sanitizer-$tool.log" | sed 's/^/    /' | tee -a "$SUM"
    done
else
    note "SKIP compute-sanitizer: not on this machine"
fi

[ "${QUICK:-0}" = 1 ] && { note "QUICK=1: benchmark and profile skipped"; exit "$failed"; }

# 4. The register budget: 2 blocks of 256 threads per SM (default) against 1, same run.
LONG="integrate --device gpu --process zprime --mass 100MeV --coupling 1e-3 --points 1e8 --warmup 1 --iterations 2 --rel-error 0 --quiet"
for v in mue mue-minblocks1; do
    # shellcheck disable=SC2086
    step "regs-$v" 120 "$BIN/$v" $LONG --json "$OUTDIR/regs-$v.json" &&
        note "    $v: $(json_num "$OUTDIR/regs-$v.json" gpu_kernel_seconds) s in kernels for 3e8 points"
done

# 5. make bench-gpu: points/s against launch size, CPU cores, time to 0.1 % and 0.01 %.
step bench_gpu 300 "$BIN/bench_gpu" "$OUTDIR"
grep -E 'points/s|to 0\.' "$OUTDIR/bench_gpu.log" | tail -n 14 | sed 's/^/    /' | tee -a "$SUM"

# 6. FP64 throughput of the iteration kernel (Nsight Compute), as bench/bench_gpu.c says.
if command -v ncu >/dev/null 2>&1; then
    step ncu 150 ncu --kernel-name regex:mue_iter_kernel --launch-skip 5 --launch-count 1 \
        --section SpeedOfLight --metrics \
sm__pipe_fp64_cycles_active.avg.pct_of_peak_sustained_active,sm__sass_thread_inst_executed_op_dfma_pred_on.sum,sm__sass_thread_inst_executed_op_dmul_pred_on.sum,sm__sass_thread_inst_executed_op_dadd_pred_on.sum,gpu__time_duration.sum,launch__registers_per_thread \
        "$BIN/mue" integrate --device gpu --process zprime --mass 100MeV --coupling 1e-3 \
        --points 1e7 --iterations 2 --warmup 5 --rel-error 0 --quiet
    grep -E 'fp64|dfma|dmul|dadd|gpu__time|registers|Compute \(SM\)|Memory Throughput' \
        "$OUTDIR/ncu.log" | sed 's/^/    /' | tee -a "$SUM"
else
    note "SKIP ncu: not on this machine"
fi
exit "$failed"
