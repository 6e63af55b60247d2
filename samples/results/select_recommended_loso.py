#!/usr/bin/env python3
"""Chooses BtwOptions.Recommended per task by a worst-case rule on VALIDATION columns, and checks the rule out of sample.

Issue 15. Input: samples/results/issue15/<run>/runs.csv, one folder per scenario, every candidate configuration run with
`--configs` on seeds 1..5 (so each has validation and test columns). Output: the tables of RESULTS.md's section "Issue 15".

The rule (reads validation only): for a candidate c and a scenario s, d_i = the paired validation difference of c to
Uniform on seed i (macro-F1 for classification, MAE with the sign flipped for regression, so > 0 is better), and
t_s(c) = mean(d) / (sd(d) / sqrt(n)) (0 when every d_i is 0). The score of c is its WORST scenario: min_s t_s(c).
Uniform is a candidate with t = 0 everywhere, so a weighting is chosen only if it beats Uniform on validation in every
scenario of the task; ties go to Uniform (the safe configuration), then to the earlier candidate.

Leave-one-scenario-out (LOSO): for each scenario s of a task, the rule is applied to the other scenarios of that task,
and the choice's TEST paired difference to Uniform on s is reported (95% Student-t interval; `*` = excludes 0).
The final choice is the rule on every in-repo scenario of the task. The held-out data sets are never read by the rule;
they are only reported, after the choice, with every candidate (and the faithful KlMi) for transparency.

Usage: python3 select_recommended_loso.py [RESULTS_DIR]   (default: the issue15 folder beside this script)
"""
import csv
import glob
import math
import os
import statistics
import sys

from scipy.stats import t as student_t

CANDIDATES = ["Uniform", "Mi+mm", "Mi+s0.5+mm", "Correlation+mm", "Correlation+s0.5+mm", "Entropy+mm",
              "KlMi+s0.5+mm", "KlMi+agree+s0.5+mm", "Correlation+shrink+mm", "Mi+shrink+mm", "KlMi"]
TASKS = {
    "classification": {
        "in_repo": ["segment-clean", "segment-noise-views", "segment-corruption", "segment-small-train",
                    "segment-missing", "synthetic-clean"],
        "held_out": ["heldout-digits", "heldout-breast-cancer"],
        "val": "val_macro_f1", "test": "test_accuracy", "sign": 1.0, "unit": "accuracy points x 100",
        "scale": 100.0,
    },
    "regression": {
        "in_repo": ["diabetes-clean", "diabetes-noise-views", "diabetes-corruption", "diabetes-small-train",
                    "diabetes-missing", "synthetic-regression-clean"],
        "held_out": ["heldout-movies"],
        "val": "val_mae", "test": "test_mae", "sign": -1.0, "unit": "MAE in target units (lower is better)",
        "scale": 1.0,
    },
}


def load(folder):
    """runs.csv of `folder`, or the union of `folder`-seedK/runs.csv (one process per seed; same code, same data).

    Candidates added later (issue 18's `+shrink`) were run alone into `folder`-<tag>shrink-seedK/ with the scenario's
    command and seeds; they are merged here and paired with the committed Uniform runs by seed (a rerun of Uniform with
    the same command reproduces the committed rows bit for bit; a row present twice must agree in every metric).
    A candidate counts in a scenario only with every seed Uniform has there (a partly finished rerun is left out)."""
    paths = [os.path.join(folder, "runs.csv")]
    if not os.path.exists(paths[0]):
        paths = sorted(glob.glob(folder.rstrip("/") + "-seed*/runs.csv"))
        if not paths:
            return None
    paths += sorted(glob.glob(folder.rstrip("/") + "-*shrink-seed*/runs.csv"))
    by = {}
    for path in paths:
        with open(path, newline="") as f:
            for r in csv.DictReader(f):
                seen = by.setdefault(r["mode"], {}).get(int(r["seed"]))
                if seen is not None and any(seen[c] != r[c] for c in r if c != "seconds"):
                    raise ValueError(f"{path}: {r['mode']} seed {r['seed']} differs from the row already read")
                by[r["mode"]][int(r["seed"])] = r
    uniform = set(by.get("Uniform", {}))
    return {label: rows for label, rows in by.items() if set(rows) >= uniform}


def paired(by, label, column, sign=1.0):
    """Paired differences label - Uniform (times sign) over the seeds both have."""
    seeds = sorted(set(by.get(label, {})) & set(by.get("Uniform", {})))
    return [sign * (float(by[label][s][column]) - float(by["Uniform"][s][column])) for s in seeds]


def t_score(d):
    if len(d) < 2:
        return float("nan")
    mean = statistics.mean(d)
    sd = statistics.stdev(d)
    if sd == 0:
        return 0.0 if mean == 0 else math.copysign(math.inf, mean)
    return mean / (sd / math.sqrt(len(d)))


def interval(d, confidence=0.95):
    n = len(d)
    mean = statistics.mean(d)
    half = student_t.ppf(0.5 + confidence / 2, n - 1) * statistics.stdev(d) / math.sqrt(n) if n > 1 else float("nan")
    return mean, mean - half, mean + half


def fmt_interval(d, scale, sign=1.0):
    """mean [95% CI] of raw differences d (metric units x scale); `*` and better/worse when the interval excludes 0."""
    mean, lo, hi = interval(d)
    star = ""
    if lo > 0 or hi < 0:
        star = " * better" if sign * mean > 0 else " * worse"
    digits = 2 if scale != 1.0 else 3
    return f"{mean * scale:+.{digits}f} [{lo * scale:+.{digits}f}, {hi * scale:+.{digits}f}]{star}"


def choose(runs, scenarios, task):
    """The rule: the candidate whose worst validation t-score over `scenarios` is best (Uniform = 0, wins ties)."""
    best, best_score, table = None, None, {}
    for label in CANDIDATES:
        if any(label not in runs[s] for s in scenarios):
            continue
        scores = [0.0 if label == "Uniform" else t_score(paired(runs[s], label, task["val"], task["sign"]))
                  for s in scenarios]
        worst = min(scores)
        table[label] = (scores, worst)
        if best is None or worst > best_score:
            best, best_score = label, worst
    return best, best_score, table


def main(root):
    out = []
    for name, task in TASKS.items():
        runs = {s: load(os.path.join(root, s)) for s in task["in_repo"] + task["held_out"]}
        have = [s for s in task["in_repo"] if runs[s] is not None]
        missing = [s for s in task["in_repo"] if runs[s] is None]
        out.append(f"## {name}: validation metric {task['val']}, test metric {task['test']} ({task['unit']})\n")
        if missing:
            out.append(f"Scenarios without runs (left out of everything below): {', '.join(missing)}\n")
        chosen, worst, table = choose(runs, have, task)
        out.append("### Validation t-scores of every candidate (mean / SE of the paired validation difference to Uniform; > 0 = better)\n")
        out.append("| candidate | " + " | ".join(have) + " | worst |")
        out.append("|---|" + "---:|" * (len(have) + 1))
        for label, (scores, w) in table.items():
            out.append(f"| {label} | " + " | ".join(f"{x:+.2f}" for x in scores) + f" | {w:+.2f} |")
        out.append("")
        out.append("### Leave-one-scenario-out: the rule on the other scenarios, and its choice's TEST difference to Uniform on the one left out\n")
        out.append(f"| left-out scenario | chosen from the others | its worst validation t there | test Δ vs Uniform [95% CI] | faithful KlMi test Δ [95% CI] |")
        out.append("|---|---|---:|---:|---:|")
        worse, rows = 0, 0
        for s in have:
            others = [o for o in have if o != s]
            if not others:
                continue
            c, w, _ = choose(runs, others, task)
            d = paired(runs[s], c, task["test"])
            k = paired(runs[s], "KlMi", task["test"])
            cell = "(= Uniform)" if c == "Uniform" else fmt_interval(d, task["scale"], task["sign"])
            if c != "Uniform":
                m, lo, hi = interval([task["sign"] * x for x in d])
                worse += hi < 0
            rows += 1
            out.append(f"| {s} | {c} | {w:+.2f} | {cell} | {fmt_interval(k, task['scale'], task['sign'])} |")
        out.append(f"\nLOSO choices significantly worse than Uniform on the left-out test column: {worse} of {rows} (Uniform choices cannot be).\n")
        out.append(f"### Final choice (the rule on all {len(have)} in-repo scenarios): **{chosen}** (worst validation t {worst:+.2f})\n")
        out.append("Test Δ vs Uniform of every candidate in every scenario (in-repo scenarios: only the chosen row was used, after the choice, for the safety check; held-out: never read by the rule):\n")
        cols = have + [s for s in task["held_out"] if runs[s] is not None]
        out.append("| candidate | " + " | ".join(cols) + " |")
        out.append("|---|" + "---:|" * len(cols))
        for label in CANDIDATES:
            if label == "Uniform":
                continue
            cells = [fmt_interval(paired(runs[s], label, task["test"]), task["scale"], task["sign"]) if label in runs[s] else "" for s in cols]
            mark = " (chosen)" if label == chosen else ""
            out.append(f"| {label}{mark} | " + " | ".join(cells) + " |")
        out.append("")
        if chosen != "Uniform":
            bad = []
            for s in cols:
                m, lo, hi = interval([task["sign"] * x for x in paired(runs[s], chosen, task["test"])])
                if hi < 0:
                    bad.append(s)
            out.append(f"Safety check of the final choice on test: significantly worse than Uniform in: {', '.join(bad) if bad else 'none'}.\n")
        out.append("")
    text = "\n".join(out)
    print(text)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "issue15"))
