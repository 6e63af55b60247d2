#!/usr/bin/env python3
"""Issue 15: the two-stage protocol beside the joint-head protocol, from committed runs.csv files.

For each scenario X with a folder twostage-X (run with `--protocol two-stage`) and a folder X (the joint protocol), prints
each configuration's paired TEST difference to Uniform under both protocols (seeds 1..5, 95% Student-t interval,
`*` = excludes 0; accuracy in points x 100 for classification, MAE for regression; blank = not run under that protocol).
Uniform is the same run under both protocols (the two-stage baseline is the joint Uniform run), so the columns share
their reference.

Usage: python3 two_stage_table.py [RESULTS_DIR]   (default: the issue15 folder beside this script)
"""
import csv
import glob
import os
import statistics
import sys

from select_recommended_loso import fmt_interval, paired

SCENARIOS = ["segment-clean", "segment-small-train", "diabetes-clean", "diabetes-small-train", "movies-clean"]
JOINT_NAME = {"movies-clean": "heldout-movies"}


def load(folder):
    """runs.csv of `folder`, or the union of `folder`-seedK/runs.csv (one process per seed; same code, same data)."""
    paths = [os.path.join(folder, "runs.csv")]
    if not os.path.exists(paths[0]):
        paths = sorted(glob.glob(folder.rstrip("/") + "-seed*/runs.csv"))
        if not paths:
            return None
    by = {}
    for path in paths:
        with open(path, newline="") as f:
            for r in csv.DictReader(f):
                by.setdefault(r["mode"], {})[int(r["seed"])] = r
    return by


def cell(by, label, column, scale):
    """The paired test difference label - Uniform as select_recommended_loso formats it (higher accuracy, lower MAE is better)."""
    if by is None or label not in by:
        return ""
    return fmt_interval(paired(by, label, column), scale, 1.0 if column == "test_accuracy" else -1.0)


def main(root):
    for scenario in SCENARIOS:
        two = load(os.path.join(root, "twostage-" + scenario))
        if two is None:
            print(f"### {scenario}: no two-stage run\n")
            continue
        joint = load(os.path.join(root, JOINT_NAME.get(scenario, scenario)))
        column = "test_accuracy" if "test_accuracy" in next(iter(two["Uniform"].values())) else "test_mae"
        scale = 100.0 if column == "test_accuracy" else 1.0
        uniform = [float(r[column]) for r in two["Uniform"].values()]
        unit = "accuracy points" if scale == 100 else "MAE"
        print(f"### {scenario} ({unit}; Uniform test {statistics.mean(uniform) * scale:.2f} ± {statistics.stdev(uniform) * scale:.2f})\n")
        print("| configuration | joint protocol Δ vs Uniform [95% CI] | two-stage protocol Δ vs Uniform [95% CI] |")
        print("|---|---:|---:|")
        for label in two:
            if label == "Uniform":
                continue
            print(f"| {label} | {cell(joint, label, column, scale)} | {cell(two, label, column, scale)} |")
        print()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "issue15"))
