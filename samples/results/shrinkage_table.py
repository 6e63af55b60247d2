#!/usr/bin/env python3
"""Issue 18 evidence table: paired test differences to Uniform, with and without BtwOptions.Shrinkage.

Reads samples/results/<dataset>-small-train-<rows>/runs.csv (the demo's output, one row per configuration and seed)
and prints one Markdown table per data set: for each training-set size and configuration, the mean paired difference
to Uniform over the seeds of the test metric at the epoch selected on validation (accuracy for classification, MAE
for regression: lower is better) with a Student-t 95% interval (t_{0.975, n-1}); * = the interval excludes 0.
A second table gives the same for the validation metric (macro-F1 / MAE), the only figures a choice may rest on.

Usage: python3 samples/results/shrinkage_table.py [--validation]
"""
import csv
import math
import os
import statistics
import sys
from collections import OrderedDict, defaultdict

T975 = {1: 12.706204736, 2: 4.302652730, 3: 3.182446305, 4: 2.776445105, 5: 2.570581836, 6: 2.446911851,
        7: 2.364624252, 8: 2.306004135, 9: 2.262157163}
HERE = os.path.dirname(os.path.abspath(__file__))


def load(path, validation):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    if "test_accuracy" in rows[0]:
        metric = "val_macro_f1" if validation else "test_accuracy"
    else:
        metric = "val_mae" if validation else "test_mae"
    by = defaultdict(dict)
    order = OrderedDict()
    for r in rows:
        by[r["mode"]][int(r["seed"])] = float(r[metric])
        order[r["mode"]] = True
    return metric, by, list(order)


def cell(d, digits):
    n = len(d)
    mean = statistics.mean(d)
    half = T975[n - 1] * statistics.stdev(d) / math.sqrt(n)
    star = " *" if mean - half > 0 or mean + half < 0 else ""
    return f"{mean:+.{digits}f} [{mean - half:+.{digits}f}, {mean + half:+.{digits}f}]{star}"


def main(validation):
    for dataset in ("segment", "diabetes"):
        sizes = []
        for rows in (30, 60, 120, 500):
            path = os.path.join(HERE, f"{dataset}-small-train-{rows}", "runs.csv")
            if os.path.exists(path):
                sizes.append((rows, load(path, validation)))
        if not sizes:
            continue
        metric = sizes[0][1][0]
        order = sizes[0][1][2]
        digits = 4 if "accuracy" in metric or "f1" in metric else 2
        print(f"\n{dataset}, Δ {metric} to Uniform (mean over 5 paired seeds [95% t-interval]; * = excludes 0)\n")
        print("| configuration | " + " | ".join(f"{r} rows" for r, _ in sizes) + " |")
        print("|---|" + "---:|" * len(sizes))
        for label in order:
            cells = []
            for _, (_, by, _) in sizes:
                uniform = by["Uniform"]
                if label == "Uniform":
                    vals = [uniform[s] for s in sorted(uniform)]
                    cells.append(f"{statistics.mean(vals):.{digits}f} ± {statistics.stdev(vals):.{digits}f}")
                    continue
                seeds = sorted(set(by[label]) & set(uniform))
                cells.append(cell([by[label][s] - uniform[s] for s in seeds], digits))
            print(f"| {label} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main("--validation" in sys.argv[1:])
