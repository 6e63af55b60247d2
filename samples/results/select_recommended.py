#!/usr/bin/env python3
"""Chooses BtwOptions.Recommended per task from VALIDATION results only.

Reads the runs.csv of every grid run given on the command line (`--experiment grid` output folders) and uses only
the validation columns (val_macro_f1 for classification, val_mae for regression, at each run's selected epoch).
For each configuration and scenario it computes the mean paired validation difference to Uniform over seeds, then
averages over the scenarios of a task. The recommended configuration is the one with the best average that is never
below Uniform on validation by more than one SD of the paired differences in any scenario of its task; ties keep the
grid order. Test columns are never read.

Usage: python3 select_recommended.py OUT_DIR [OUT_DIR ...]
"""
import csv
import statistics
import sys
from collections import OrderedDict, defaultdict


def load(folder):
    with open(f"{folder}/runs.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    metric = "val_macro_f1" if "val_macro_f1" in rows[0] else "val_mae"
    sign = 1.0 if metric == "val_macro_f1" else -1.0
    by = defaultdict(dict)
    order = OrderedDict()
    for r in rows:
        by[r["mode"]][int(r["seed"])] = float(r[metric])
        order[r["mode"]] = True
    return metric, sign, by, list(order)


def main(folders):
    tasks = defaultdict(list)
    for folder in folders:
        metric, sign, by, order = load(folder)
        uniform = by["Uniform"]
        diffs = {}
        for label in order:
            seeds = sorted(set(by[label]) & set(uniform))
            d = [sign * (by[label][s] - uniform[s]) for s in seeds]
            diffs[label] = (statistics.mean(d), statistics.stdev(d) if len(d) > 1 else 0.0)
        tasks[metric].append((folder.rstrip("/").split("/")[-1], diffs, order))
    for metric, scenarios in tasks.items():
        order = scenarios[0][2]
        print(f"== {metric} (paired validation difference to Uniform, sign so that > 0 is better; mean over seeds) ==")
        print("config".ljust(24) + "".join(name[:18].rjust(20) for name, _, _ in scenarios) + "     average   worst/SD")
        best = None
        for label in order:
            if label == "Uniform" or any(label not in d for _, d, _ in scenarios):
                continue
            means = [d[label][0] for _, d, _ in scenarios]
            worst = min(d[label][0] / d[label][1] if d[label][1] > 0 else 0.0 for _, d, _ in scenarios)
            average = statistics.mean(means)
            eligible = worst > -1.0
            print(label.ljust(24) + "".join(f"{m:+20.4f}" for m in means) + f"{average:+12.4f}{worst:+10.2f}{'' if eligible else '  (excluded)'}")
            if eligible and (best is None or average > best[1]):
                best = (label, average)
        print(f"-> recommended for {metric}: {best[0] if best else 'none'} (average {best[1]:+.4f})\n" if best else "-> none\n")


if __name__ == "__main__":
    main(sys.argv[1:])
