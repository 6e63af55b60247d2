#!/usr/bin/env python3
"""Recomputes the "BtwTrial on the held-out sets" tables of RESULTS.md (issue 15) from the committed runs.csv files.

For each folder samples/results/issue15/trial-*/:
  * the trial (validation only): loss = 1 - val_macro_f1 (classification) or val_mae (regression) of the trial seeds
    (those below 100); per candidate the paired difference Uniform - candidate, its two-sided Student-t interval at
    1 - 0.05 / K (K candidates, Bonferroni), qualifies when the lower end is > 0; the choice is the qualifying candidate
    with the greatest mean difference, else Uniform (BtwTrial.Run's rule);
  * the test comparison on the fresh seeds (100 and above): chosen - Uniform, paired by seed, 95% Student-t interval,
    accuracy in points (x 100) or MAE.
  * when the folder has faithful-klmi/runs.csv (Uniform and the paper's KlMi on the same fresh seeds, compare mode):
    the faithful KlMi - Uniform on test, and a check that its Uniform runs equal the trial folder's fresh Uniform runs.
Usage: /usr/bin/python3 samples/results/trial_table.py  (needs SciPy: apt-get install python3-scipy)
"""
import csv
import glob
import os
import statistics

from select_recommended_loso import interval

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "issue15")
FRESH = 100


def fmt(v, digits):
    return f"{v:+.{digits}f}"


for folder in sorted(glob.glob(os.path.join(ROOT, "trial-*"))):
    if not os.path.exists(os.path.join(folder, "runs.csv")):
        continue  # a run still under way
    with open(os.path.join(folder, "runs.csv"), newline="") as f:
        rows = list(csv.DictReader(f))
    classification = "val_macro_f1" in rows[0]
    loss = (lambda r: 1 - float(r["val_macro_f1"])) if classification else (lambda r: float(r["val_mae"]))
    trial = [r for r in rows if int(r["seed"]) < FRESH]
    fresh = [r for r in rows if int(r["seed"]) >= FRESH]
    labels = list(dict.fromkeys(r["mode"] for r in trial))
    seeds = sorted({int(r["seed"]) for r in trial})
    by = {(r["mode"], int(r["seed"])): r for r in rows}
    k = len(labels) - 1
    level = 1 - 0.05 / k
    print(f"## {os.path.basename(folder)}\n")
    print(f"Trial: validation loss {'1 - macro_f1' if classification else 'MAE'}, seeds {seeds[0]}..{seeds[-1]}, intervals at {100 * level:g}% (Bonferroni over {k})\n")
    print("| configuration | mean validation loss | Uniform - configuration | interval | qualifies |\n|---|---:|---:|---|---|")
    chosen, best = "Uniform", None
    for label in labels:
        losses = [loss(by[(label, s)]) for s in seeds]
        if label == "Uniform":
            print(f"| {label} | {statistics.fmean(losses):.5f} | (baseline) | | |")
            continue
        diffs = [loss(by[("Uniform", s)]) - loss(by[(label, s)]) for s in seeds]
        mean, lo, hi = interval(diffs, level)
        qualifies = lo > 0
        if qualifies and (best is None or mean > best):
            chosen, best = label, mean
        print(f"| {label} | {statistics.fmean(losses):.5f} | {fmt(mean, 5)} | [{fmt(lo, 5)}, {fmt(hi, 5)}] | {'yes' if qualifies else 'no'} |")
    fresh_seeds = sorted({int(r["seed"]) for r in fresh})
    metric, scale, digits = ("test_accuracy", 100, 2) if classification else ("test_mae", 1, 4)
    uniform = [float(by[("Uniform", s)][metric]) * scale for s in fresh_seeds]
    other = [float(by.get((chosen, s), by[("Uniform", s)])[metric]) * scale for s in fresh_seeds]
    mean, lo, hi = interval([a - b for a, b in zip(other, uniform)], 0.95) if chosen != "Uniform" else (0.0, 0.0, 0.0)
    print(f"\nChosen: {chosen}. Test on fresh seeds {fresh_seeds[0]}..{fresh_seeds[-1]} ({metric}{' x 100' if scale == 100 else ''}): "
          f"Uniform {statistics.fmean(uniform):.{digits}f}, chosen - Uniform {fmt(mean, digits)} [{fmt(lo, digits)}, {fmt(hi, digits)}]\n")
    klmi_csv = os.path.join(folder, "faithful-klmi", "runs.csv")
    if os.path.exists(klmi_csv):
        with open(klmi_csv, newline="") as f:
            extra = {(r["mode"], int(r["seed"])): r for r in csv.DictReader(f)}
        same = all(extra[("Uniform", s)][metric] == by[("Uniform", s)][metric] for s in fresh_seeds)
        klmi = [float(extra[("KlMi", s)][metric]) * scale for s in fresh_seeds]
        base = [float(extra[("Uniform", s)][metric]) * scale for s in fresh_seeds]
        mean, lo, hi = interval([a - b for a, b in zip(klmi, base)], 0.95)
        print(f"Faithful KlMi - Uniform on test, fresh seeds: {fmt(mean, digits)} [{fmt(lo, digits)}, {fmt(hi, digits)}]"
              f"{' * better' if (lo > 0 if classification else hi < 0) else ' * worse' if (hi < 0 if classification else lo > 0) else ''}"
              f"; its Uniform runs equal the trial's fresh Uniform runs: {'yes' if same else 'NO'}\n")
