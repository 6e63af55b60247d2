"""Reference values for BtwTrial's paired intervals (tests/Btw.Tests/Trial/PairedIntervalReferenceTests.cs).

Writes tests/Btw.Tests/Data/reference/paired_intervals.json with SciPy (apt-get install python3-scipy; SciPy 1.10.1
wrote the committed file). For each case: the validation losses of Uniform and of K candidates over n seeds, and for
each candidate the paired difference d_s = loss(Uniform, s) - loss(candidate, s), its mean, its sample standard
deviation (n - 1), the Student-t quantile t = scipy.stats.t.ppf(1 - (1 - c) / 2, n - 1) at the Bonferroni level
c = 1 - (1 - confidence) / K, the interval mean -+ t sd / sqrt(n), and whether its lower end is above 0.

    /usr/bin/python3 tests/reference/make_trial_reference.py   # the system Python, where python3-scipy installs
"""
import json
import math
import os

import numpy as np
import scipy
from scipy import stats

CASES = [
    # Five seeds, one candidate, clearly better: differences 0.03, 0.02, 0.02, 0.04, 0.01.
    dict(name="one-candidate-better", confidence=0.95,
         uniform=[0.30, 0.32, 0.28, 0.31, 0.29],
         candidates={"A": [0.27, 0.30, 0.26, 0.27, 0.28]}),
    # Borderline: differences 0.01, 0.03, 0.00, 0.04, 0.02 (t statistic 2.83): above 0 at 95% alone (t 2.776) ...
    dict(name="borderline-alone", confidence=0.95,
         uniform=[0.50, 0.52, 0.47, 0.55, 0.51],
         candidates={"A": [0.49, 0.49, 0.47, 0.51, 0.49]}),
    # ... but not at the Bonferroni level 97.5% once a second candidate (pure noise) joins (t 3.495).
    dict(name="borderline-with-a-second-candidate", confidence=0.95,
         uniform=[0.50, 0.52, 0.47, 0.55, 0.51],
         candidates={"A": [0.49, 0.49, 0.47, 0.51, 0.49], "B": [0.51, 0.50, 0.48, 0.56, 0.50]}),
    # Two seeds (one degree of freedom), two candidates, one worse than Uniform.
    dict(name="two-seeds", confidence=0.95,
         uniform=[1.25, 1.5],
         candidates={"A": [1.0, 1.125], "B": [1.75, 1.5625]}),
    # Ten seeds, three candidates, confidence 0.9, MAE-like scale.
    dict(name="ten-seeds-three-candidates", confidence=0.90,
         uniform=[44.2, 45.1, 43.8, 44.9, 46.0, 44.4, 43.9, 45.5, 44.7, 45.2],
         candidates={
             "A": [43.1, 44.0, 43.5, 44.1, 44.8, 43.0, 43.2, 44.9, 43.6, 44.3],
             "B": [44.9, 45.0, 44.6, 45.3, 46.4, 45.0, 44.1, 46.1, 45.2, 45.0],
             "C": [44.1, 45.3, 43.6, 44.6, 46.3, 44.5, 43.7, 45.4, 44.9, 45.0],
         }),
]

# Quantiles t(p, df) for the tests of the quantile itself (two-sided levels 0.95 and 0.975 are p = 0.975 and 0.9875).
QUANTILES = [(p, df) for p in (0.9, 0.975, 0.9875, 0.99, 0.995, 0.999) for df in (1, 2, 4, 9, 29)]


def case(c):
    uniform = np.array(c["uniform"], dtype=np.float64)
    n = len(uniform)
    k = len(c["candidates"])
    level = 1 - (1 - c["confidence"]) / k
    t = float(stats.t.ppf(1 - (1 - level) / 2, n - 1))
    rows = []
    for label, losses in c["candidates"].items():
        losses = np.array(losses, dtype=np.float64)
        d = uniform - losses
        mean = float(np.mean(d))
        sd = float(np.std(d, ddof=1))
        half = t * sd / math.sqrt(n)
        rows.append(dict(label=label, losses=losses.tolist(), mean_loss=float(np.mean(losses)), difference=mean,
                         sd=sd, lower=mean - half, upper=mean + half, qualifies=bool(mean - half > 0)))
    qualifying = [r for r in rows if r["qualifies"]]
    chosen = max(qualifying, key=lambda r: r["difference"])["label"] if qualifying else "Uniform"
    return dict(name=c["name"], confidence=c["confidence"], candidate_confidence=level, t=t,
                uniform=uniform.tolist(), uniform_mean_loss=float(np.mean(uniform)), candidates=rows, chosen=chosen)


def main():
    out = dict(
        generator="tests/reference/make_trial_reference.py",
        scipy=scipy.__version__,
        cases=[case(c) for c in CASES],
        quantiles=[dict(p=p, df=df, t=float(stats.t.ppf(p, df))) for p, df in QUANTILES],
    )
    path = os.path.join(os.path.dirname(__file__), "..", "Btw.Tests", "Data", "reference", "paired_intervals.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    for c in out["cases"]:
        print(c["name"], "t", c["t"], "chosen", c["chosen"], [(r["label"], r["lower"], r["qualifies"]) for r in c["candidates"]])


if __name__ == "__main__":
    main()
