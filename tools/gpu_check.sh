#!/bin/sh
# Every check the GPU path needs a GPU for, in one call on a lent GPU machine: device
# lending is short and a fresh machine has no GSL, cmocka or Random123, so nothing is
# built there. Here: `make gpu-carry`; there, from the checkout root with
# build/gpu-carry beside it:
#
#     sh tools/gpu_check.sh [OUTDIR]        (default $OUT, else gpu-check-out)
#
# Steps, most needed first; each has its own time limit, and all of them share BUDGET
# seconds (default 420), so the script always ends, packs its logs and says what it
# skipped. A failed or timed-out step does not stop the later ones.
#   OUTDIR/summary.txt        one line per step and the numbers for docs/gpu.md
#   OUTDIR/gpu-<device>.json  bench_gpu's results with the profile of step 7 and the
#                             register variants of step 6 added (copy to bench/results/)
#   OUTDIR/gpu_check_logs.tgz every step's log and JSON (LOGDIR, default OUTDIR/logs)
# Few files, because a lent machine hands back at most eight.
# QUICK=1: correctness only (no benchmark, register variants or profile).
set -u
OUTDIR=${1:-${OUT:-gpu-check-out}}
LOGDIR=${LOGDIR:-$OUTDIR/logs}
CARRY=${CARRY:-build/gpu-carry}
BUDGET=${BUDGET:-420}
BIN=$CARRY/bin
mkdir -p "$OUTDIR" "$LOGDIR"
export LD_LIBRARY_PATH="$PWD/$CARRY/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
PATH="$PATH:/usr/local/cuda/bin:/opt/nvidia/nsight-compute/bin"
SUM=$OUTDIR/summary.txt
: >"$SUM"
failed=0
T_END=$(($(date +%s) + BUDGET))

note() { printf '%s\n' "$*" | tee -a "$SUM"; }

pack() { tar -czf "$OUTDIR/gpu_check_logs.tgz" -C "$LOGDIR" . 2>/dev/null; }

# step NAME SECONDS CMD...: runs CMD with its output in LOGDIR/NAME.log, under the
# smaller of SECONDS and what is left of BUDGET
step() {
    name=$1 limit=$2
    shift 2
    left=$((T_END - $(date +%s)))
    if [ "$left" -lt 5 ]; then
        note "SKIP $name: BUDGET of $BUDGET s spent"
        failed=1
        return 125
    fi
    [ "$limit" -gt "$left" ] && limit=$left
    s0=$(date +%s.%N)
    timeout "$limit" "$@" >"$LOGDIR/$name.log" 2>&1
    rc=$?
    dt=$(awk -v a="$s0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
    if [ "$rc" -eq 0 ]; then
        note "PASS $name (${dt} s)"
    else
        [ "$rc" -eq 124 ] && why="timed out after $limit s" || why="exit $rc"
        note "FAIL $name ($why, ${dt} s): see $name.log"
        tail -n 5 "$LOGDIR/$name.log" | sed 's/^/    | /' | tee -a "$SUM"
        failed=1
    fi
    pack
    return "$rc"
}

# json_num FILE KEY: a number of the flat JSON mue writes
json_num() { sed -n "s/^ *\"$2\": \([-+0-9.eE]*\),*$/\1/p" "$1" | head -n 1; }

if [ ! -x "$BIN/mue" ]; then
    echo "gpu_check: $BIN/mue not found; run 'make gpu-carry' and carry $CARRY" >&2
    exit 2
fi
note "gpu_check $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(uname -n), budget $BUDGET s"
# binaries built on the development machine may miss a system library here: say which
if ! "$BIN/mue" --version >"$LOGDIR/start.log" 2>&1; then
    ldd "$BIN"/* >>"$LOGDIR/start.log" 2>&1
    note "FAIL the carried programs do not start here:"
    grep -E 'not found|GLIBC|error' "$LOGDIR/start.log" | sort -u | tee -a "$SUM"
    pack
    exit 2
fi
nvidia-smi -L 2>&1 | tee -a "$SUM"
nvidia-smi >"$LOGDIR/nvidia-smi.txt" 2>&1
nvidia-smi --query-gpu=clocks.sm,clocks.max.sm,power.draw,temperature.gpu --format=csv 2>&1 | tee -a "$SUM"
note "CPU: $(nproc) cores, $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -n 1)"
if [ "${GPU_CHECK_NOPROBE:-0}" != 1 ] && ! "$BIN/bench_gpu" --probe >>"$SUM" 2>&1; then
    note "no usable CUDA device: nothing to check"
    pack
    exit 1
fi

# 1. make test-gpu: random numbers, point weights, iterations against the CPU; determinism.
step test_gpu_parity 150 "$BIN/test_gpu_parity"
if grep -q '^SKIP' "$LOGDIR/test_gpu_parity.log"; then
    note "FAIL test_gpu_parity skipped on a GPU machine"
    failed=1
fi
grep -E '^(FAIL|not ok)' "$LOGDIR/test_gpu_parity.log" | head -n 20 | sed 's/^/    /' | tee -a "$SUM"
tail -n 3 "$LOGDIR/test_gpu_parity.log" | sed 's/^/    /' | tee -a "$SUM"

# 2. The README's benchmark points (make run), on the GPU and on all CPU cores, same seed.
for bp in "10 10MeV 5e-4" "100 100MeV 1e-3"; do
    # shellcheck disable=SC2086 # split into mass label, mass, coupling
    set -- $bp
    for dev in gpu cpu; do
        step "run-$1-$dev" 60 "$BIN/mue" integrate --device "$dev" --process zprime --mass "$2" \
            --coupling "$3" --rel-error 1e-3 --quiet --json "$LOGDIR/run-$1-$dev.json"
    done
    g=$LOGDIR/run-$1-gpu.json c=$LOGDIR/run-$1-cpu.json
    if [ -s "$g" ] && [ -s "$c" ]; then
        line=$(awk -v sg="$(json_num "$g" sigma_fb)" -v eg="$(json_num "$g" sigma_err_fb)" \
            -v sc="$(json_num "$c" sigma_fb)" -v ec="$(json_num "$c" sigma_err_fb)" \
            -v tg="$(json_num "$g" seconds)" -v tc="$(json_num "$c" seconds)" \
            -v tk="$(json_num "$g" eval_seconds)" -v th="$(json_num "$g" host_seconds)" \
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

if [ "${QUICK:-0}" != 1 ]; then
    # 3. make bench-gpu: points/s against launch size, CPU cores, time to 0.1 % and 0.01 %.
    step bench_gpu 180 "$BIN/bench_gpu" "$LOGDIR"
    grep -E 'points/s|to 0\.|NOT' "$LOGDIR/bench_gpu.log" | tail -n 30 | sed 's/^/    /' | tee -a "$SUM"
    for j in "$LOGDIR"/gpu-*.json; do [ -f "$j" ] && cp "$j" "$OUTDIR/"; done

    # 4. Time to 0.01 % on the 100 MeV sigma as a user sees it: the whole command, CUDA
    #    start-up included.
    for n in 1e6 2e6 4e6; do
        t0=$(date +%s.%N)
        step "wall-1e-4-$n" 30 "$BIN/mue" integrate --device gpu --process zprime --mass 100MeV \
            --coupling 1e-3 --rel-error 1e-4 --iterations 1000 --points "$n" --quiet \
            --json "$LOGDIR/wall-1e-4-$n.json" &&
            note "    --points $n to 0.01 %: $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.3f", b - a }') s wall," \
                "sigma $(json_num "$LOGDIR/wall-1e-4-$n.json" sigma_fb) +- $(json_num "$LOGDIR/wall-1e-4-$n.json" sigma_err_fb)," \
                "$(json_num "$LOGDIR/wall-1e-4-$n.json" iterations) iterations, in-program $(json_num "$LOGDIR/wall-1e-4-$n.json" seconds) s"
    done
fi

# 5. compute-sanitizer over a short run: memory, shared-memory races, barriers, uninitialised reads.
SHORT="integrate --device gpu --process zprime --mass 100MeV --coupling 1e-3 --points 2e4 --warmup 1 --iterations 1 --hist /tmp/gpu_check_hist --quiet"
mkdir -p /tmp/gpu_check_hist
if command -v compute-sanitizer >/dev/null 2>&1; then
    for tool in memcheck racecheck synccheck initcheck; do
        # shellcheck disable=SC2086
        step "sanitizer-$tool" 75 compute-sanitizer --tool "$tool" --error-exitcode 3 "$BIN/mue" $SHORT
        grep -E 'ERROR SUMMARY|RACECHECK SUMMARY' "$LOGDIR/sanitizer-$tool.log" | sed 's/^/    /' | tee -a "$SUM"
    done
else
    note "SKIP compute-sanitizer: not on this machine"
fi

[ "${QUICK:-0}" = 1 ] && { note "QUICK=1: register variants and profile skipped"; pack; exit "$failed"; }

# 6. Variants of the kernel build carried beside mue (mue-minblocksN: N resident blocks
#    of 256 threads per SM, which caps the registers; any other mue-* but mue-cpu), each
#    run twice on the same work without and once with histograms, and the FP64 pipe of
#    each from Nsight Compute.
LONG="integrate --device gpu --process zprime --mass 100MeV --coupling 1e-3 --points 1e8 --warmup 1 --iterations 4 --rel-error 0 --quiet"
mkdir -p /tmp/gpu_check_hist_long
for exe in "$BIN"/mue "$BIN"/mue-*; do
    v=${exe##*/}
    [ "$v" = mue-cpu ] && continue
    for rep in 1 2 hist; do
        h=
        [ "$rep" = hist ] && h="--hist /tmp/gpu_check_hist_long"
        # shellcheck disable=SC2086
        step "variant-$v-$rep" 60 "$exe" $LONG $h --json "$LOGDIR/variant-$v-$rep.json" &&
            note "    $v ($rep): $(json_num "$LOGDIR/variant-$v-$rep.json" eval_seconds) s in kernels for 5e8 points," \
                "sigma $(json_num "$LOGDIR/variant-$v-$rep.json" sigma_fb)"
    done
    if command -v ncu >/dev/null 2>&1; then
        step "ncu-$v" 60 ncu --clock-control none --kernel-name regex:mue_iter_kernel --launch-skip 5 \
            --launch-count 1 --metrics \
sm__pipe_fp64_cycles_active.avg.pct_of_peak_sustained_active,gpu__time_duration.sum,launch__registers_per_thread,sm__warps_active.avg.pct_of_peak_sustained_active \
            "$exe" integrate --device gpu --process zprime --mass 100MeV --coupling 1e-3 \
            --points 1e7 --iterations 2 --warmup 5 --rel-error 0 --quiet &&
            grep -E 'fp64|gpu__time|registers|warps_active' "$LOGDIR/ncu-$v.log" | sed "s/^ */    $v: /" | tee -a "$SUM"
    fi
done

# 7. FP64 throughput, occupancy and stalls of the production iteration kernel (Nsight
#    Compute, full set): the report and its details page come back in the logs.
if command -v ncu >/dev/null 2>&1; then
    step ncu 120 ncu --clock-control none --kernel-name regex:mue_iter_kernel --launch-skip 5 \
        --launch-count 1 --set full --metrics \
sm__pipe_fp64_cycles_active.avg.pct_of_peak_sustained_active,sm__sass_thread_inst_executed_op_dfma_pred_on.sum,sm__sass_thread_inst_executed_op_dmul_pred_on.sum,sm__sass_thread_inst_executed_op_dadd_pred_on.sum,gpu__time_duration.sum,launch__registers_per_thread \
        -f -o "$LOGDIR/ncu_iter" "$BIN/mue" integrate --device gpu --process zprime --mass 100MeV \
        --coupling 1e-3 --points 1e7 --iterations 2 --warmup 5 --rel-error 0 --quiet
    ncu --import "$LOGDIR/ncu_iter.ncu-rep" --page details >"$LOGDIR/ncu_details.txt" 2>&1
    grep -E 'fp64|dfma|dmul|dadd|gpu__time|registers|Compute \(SM\) Throughput|Memory Throughput|Achieved Occupancy|Theoretical Occupancy|Block Limit|Executed Ipc A|Issue Slots Busy|Warp Cycles Per Issued|Local Memory' \
        "$LOGDIR/ncu_details.txt" | sed 's/^/    /' | tee -a "$SUM"
else
    note "SKIP ncu: not on this machine"
fi
# 8. The profile and the register-budget variants into bench_gpu's results file.
for j in "$OUTDIR"/gpu-*.json; do
    [ -f "$j" ] || continue
    if command -v python3 >/dev/null 2>&1; then
        python3 tools/gpu_profile.py "$LOGDIR" "$j" | tee -a "$SUM"
    else
        note "SKIP profile into $j: no python3 here"
    fi
done
pack
exit "$failed"
