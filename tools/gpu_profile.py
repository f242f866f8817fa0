#!/usr/bin/env python3
"""Adds what tools/gpu_check.sh measured around bench_gpu to its results file: the
Nsight Compute profile of the production iteration kernel (FP64 pipe and FLOP rate
against peak, occupancy, registers) and the register-budget variants, each run on the
same work, with the one that won.

    python3 tools/gpu_profile.py LOGDIR RESULTS.json [--fp64-peak-tflops 34]

LOGDIR holds gpu_check.sh's logs (ncu_details.txt, ncu-<variant>.log,
variant-<variant>-<rep>.json). RESULTS.json is rewritten in place (a temporary file,
then a rename) with a "profile" object added. Standard library only: it runs with
whatever python3 a lent GPU machine has."""
import argparse
import glob
import json
import os
import re
import sys

# name as Nsight Compute prints it -> key in the results
NCU_METRICS = {
    "sm__pipe_fp64_cycles_active.avg.pct_of_peak_sustained_active": "fp64_pipe_pct_of_peak",
    "gpu__time_duration.sum": "duration_ms",
    "launch__registers_per_thread": "registers_per_thread",
    "sm__sass_thread_inst_executed_op_dadd_pred_on.sum": "dadd",
    "sm__sass_thread_inst_executed_op_dmul_pred_on.sum": "dmul",
    "sm__sass_thread_inst_executed_op_dfma_pred_on.sum": "dfma",
    "sm__warps_active.avg.pct_of_peak_sustained_active": "achieved_occupancy_pct",
    "Achieved Occupancy": "achieved_occupancy_pct",
    "Theoretical Occupancy": "theoretical_occupancy_pct",
    "Compute (SM) Throughput": "sm_throughput_pct",
    "Local Memory Spilling Requests": "local_spill_requests",
}


def ncu_values(path):
    """The metrics above from an ncu text report (last value on the line)."""
    out = {}
    if not os.path.exists(path):
        return out
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            for name, key in NCU_METRICS.items():
                m = re.match(r"\s*" + re.escape(name) + r"\s+(\S+\s+)?([-0-9.,]+)\s*$", line)
                if m and key not in out:
                    out[key] = float(m.group(2).replace(",", ""))
            m = re.match(r"\s*void (mue_iter_kernel<[^>]*>)", line)
            if m and "kernel" not in out:
                out["kernel"] = m.group(1)
    return out


def kernel_seconds(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)["eval_seconds"]
    except (OSError, ValueError, KeyError):
        return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("logdir")
    ap.add_argument("results")
    ap.add_argument("--fp64-peak-tflops", type=float, default=34.0,
                    help="FP64 (non-tensor) peak of the GPU, TFLOP/s [34: H100/H200 SXM datasheet]")
    a = ap.parse_args()
    with open(a.results, encoding="utf-8") as f:
        res = json.load(f)

    prof = {"fp64_peak_tflops_datasheet": a.fp64_peak_tflops}
    ncu = ncu_values(os.path.join(a.logdir, "ncu_details.txt"))
    if {"dadd", "dmul", "dfma", "duration_ms"} <= ncu.keys() and ncu["duration_ms"] > 0:
        flop = ncu["dadd"] + ncu["dmul"] + 2.0 * ncu["dfma"]
        ncu["fp64_tflops"] = round(flop / (ncu["duration_ms"] * 1e-3) / 1e12, 3)
        ncu["fp64_flop_pct_of_peak"] = round(100.0 * ncu["fp64_tflops"] / a.fp64_peak_tflops, 2)
    if ncu:
        ncu["command"] = ("ncu --set full, 6th mue_iter_kernel launch of: mue integrate --device gpu "
                          "--process zprime --mass 100MeV --coupling 1e-3 --points 1e7 "
                          "--iterations 2 --warmup 5 (no histograms)")
        prof["ncu"] = ncu

    variants = []
    for log in sorted(glob.glob(os.path.join(a.logdir, "ncu-*.log"))):
        name = os.path.basename(log)[4:-4]
        v = {"variant": name}
        v.update({k: x for k, x in ncu_values(log).items() if k != "kernel"})
        runs = [kernel_seconds(os.path.join(a.logdir, f"variant-{name}-{r}.json")) for r in ("1", "2")]
        runs = [r for r in runs if r is not None]
        if runs:
            v["kernel_seconds"] = min(runs)
        hist = kernel_seconds(os.path.join(a.logdir, f"variant-{name}-hist.json"))
        if hist is not None:
            v["kernel_seconds_hist"] = hist
        variants.append(v)
    if variants:
        timed = [v for v in variants if "kernel_seconds" in v]
        prof["register_budget"] = {
            "work": "zprime 100 MeV, 1 + 4 iterations of 1e8 points; kernel_seconds without "
                    "histograms (best of 2), kernel_seconds_hist with; mue-minblocksN: N resident "
                    "blocks of 256 threads per SM in both kernels; mue: the default build",
            "variants": variants,
            "fastest": min(timed, key=lambda v: v["kernel_seconds"])["variant"] if timed else None,
        }
    res["profile"] = prof
    tmp = a.results + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(res, f, indent=2)
        f.write("\n")
    os.replace(tmp, a.results)
    print(f"gpu_profile: added the profile to {a.results}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
