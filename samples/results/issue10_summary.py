#!/usr/bin/env python3
"""Recomputes the issue-10 summary table of RESULTS.md (re-run in issue 15) from the committed runs.csv files.

For each scenario folder samples/results/DATASET-SCENARIO/ (segment: accuracy, diabetes: MAE, test metric at the epoch
selected on validation, seeds 1..5):
  * Uniform fused: mean ± sample SD of Uniform's test metric (from runs.csv);
  * best single head and fused - best single: the paper's-case check, copied from the run's report.md (the unimodal
    heads' scores are printed by the demo but are not columns of runs.csv);
  * Kl, KlMi: paired test difference to Uniform, 95% Student-t interval (`*` = excludes 0), from grid/runs.csv, or for
    scenarios without a grid from issue10-configuration/runs.csv (segment missing) or paper-modes-segment/runs.csv
    (segment clean, the same data and seeds);
  * chosen on validation: BtwTrial.Run's rule re-applied to grid/runs.csv's validation columns only (loss = 1 - val
    macro-F1 or val MAE; per candidate the paired difference Uniform - candidate, two-sided Student-t interval at
    1 - 0.05 / K, K = 18 candidates; it qualifies when the interval lies above 0; the choice is the qualifying candidate
    with the greatest mean difference, else Uniform), and its paired test difference (the grid writes test only for
    the six paper modes and the chosen configuration);
  * the issue-10 configuration (Correlation+mm / KlMi+s0.5+mm): paired test difference from
    issue10-configuration/runs.csv; that run's Uniform rows are checked to equal the grid's.
Usage: /usr/bin/python3 samples/results/issue10_summary.py  (needs SciPy: apt-get install python3-scipy)
"""
import csv
import os
import re
import statistics

from select_recommended_loso import interval

ROOT = os.path.dirname(os.path.abspath(__file__))
SCENARIOS = [("segment", s) for s in ("clean", "noise-views", "corruption", "small-train", "missing")] + \
            [("diabetes", s) for s in ("clean", "noise-views", "corruption", "small-train")]


def load(path):
    if not os.path.exists(path):
        return None
    with open(path, newline="") as f:
        return {(r["mode"], int(r["seed"])): r for r in csv.DictReader(f)}


def seeds_of(runs):
    return sorted({s for (_, s) in runs})


def paired(runs, label, metric, digits):
    seeds = seeds_of(runs)
    diffs = [float(runs[(label, s)][metric]) - float(runs[("Uniform", s)][metric]) for s in seeds]
    mean, lo, hi = interval(diffs, 0.95)
    star = " *" if lo > 0 or hi < 0 else ""
    return f"{mean:+.{digits}f} [{lo:+.{digits}f}, {hi:+.{digits}f}]{star}"


def trial_choice(runs, classification):
    loss = (lambda r: 1 - float(r["val_macro_f1"])) if classification else (lambda r: float(r["val_mae"]))
    labels = list(dict.fromkeys(m for (m, _) in runs))
    seeds = seeds_of(runs)
    level = 1 - 0.05 / (len(labels) - 1)
    chosen, best = "Uniform", None
    for label in labels:
        if label == "Uniform":
            continue
        mean, lo, _ = interval([loss(runs[("Uniform", s)]) - loss(runs[(label, s)]) for s in seeds], level)
        if lo > 0 and (best is None or mean > best):
            chosen, best = label, mean
    return chosen


def heads(report):
    """(best single head, fused - best single) of the report's paper's-case table."""
    with open(report, encoding="utf-8") as f:
        lines = f.read().split("\n")
    i = next(i for i, line in enumerate(lines) if line.startswith("| Uniform fused"))
    cells = [c.strip() for c in lines[i + 2].strip().strip("|").split("|")]
    return next(c.strip("*") for c in cells[1:-1] if c.startswith("**")), cells[-1]


print("| scenario | Uniform fused | best single head | fused - best single | Kl Δ | KlMi Δ | chosen on validation by BtwTrial (Δ) | issue-10 configuration Δ |")
print("|---|---:|---:|---:|---:|---:|---:|---:|")
for dataset, scenario in SCENARIOS:
    folder = os.path.join(ROOT, f"{dataset}-{scenario}")
    grid = load(os.path.join(folder, "grid", "runs.csv"))
    config = load(os.path.join(folder, "issue10-configuration", "runs.csv"))
    if config is None:
        print(f"| {dataset}-{scenario} | (not run) | | | | | | |")
        continue
    classification = dataset == "segment"
    metric, digits = ("test_accuracy", 4) if classification else ("test_mae", 2)
    label = "Correlation+mm" if classification else "KlMi+s0.5+mm"
    base = grid or config
    if ("Kl", 1) not in base:
        base = load(os.path.join(ROOT, f"paper-modes-{dataset}", "runs.csv"))
    uniform = [float(base[("Uniform", s)][metric]) for s in seeds_of(base)]
    assert all(config[("Uniform", s)][metric] == base[("Uniform", s)][metric] for s in seeds_of(config)), folder
    best, gap = heads(os.path.join(folder, "grid" if grid else "issue10-configuration", "report.md"))
    fused = f"{statistics.fmean(uniform):.{digits + (0 if classification else 2)}f} ± {statistics.stdev(uniform):.{digits + (0 if classification else 2)}f}"
    if grid:
        chosen = trial_choice(grid, classification)
        choice = f"{chosen}: (= Uniform)" if chosen == "Uniform" else f"{chosen}: {paired(grid, chosen, metric, digits)}"
    else:
        choice = "(no grid)"
    drop = " (drop 0.3)" if scenario == "missing" else ""
    print(f"| {dataset}-{scenario}{drop} | {fused} | {best} | {gap} | {paired(base, 'Kl', metric, digits)} | "
          f"{paired(base, 'KlMi', metric, digits)} | {choice} | {paired(config, label, metric, digits)} |")
