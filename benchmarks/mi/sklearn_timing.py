#!/usr/bin/python3
"""Times scikit-learn on the inputs written by Btw.Benchmarks.Mi and prints the comparison table.

Usage: /usr/bin/python3 sklearn_timing.py <data-directory>
Reads <dir>/csharp.tsv (n, C# times and estimates) and the binary inputs x_<n>.f64, y_<n>.f64 (float64),
a_<n>.i32, b_<n>.i32 (int32), times mutual_info_regression(x.reshape(-1, 1), y, random_state=0) and
mutual_info_score(a, b) (best of a few runs; one run of the KSG at n >= 1e6, which takes ~15 s), and
prints: n, C# time, sklearn time, ratio (sklearn / C#), both estimates.
"""
import os
import sys
import time

import numpy as np
import sklearn
from sklearn.feature_selection import mutual_info_regression
from sklearn.metrics import mutual_info_score


def best(runs, f):
    value = None
    best_time = float("inf")
    for _ in range(runs):
        t0 = time.perf_counter()
        value = f()
        best_time = min(best_time, time.perf_counter() - t0)
    return best_time, value


def main():
    d = sys.argv[1] if len(sys.argv) > 1 else "out"
    rows = []
    with open(os.path.join(d, "csharp.tsv")) as f:
        next(f)
        for line in f:
            n, ksg_s, ksg_v, disc_s, disc_v = line.split("\t")
            rows.append((int(n), float(ksg_s), float(ksg_v), float(disc_s), float(disc_v)))

    print(f"scikit-learn {sklearn.__version__}, numpy {np.__version__}; C#: best of several runs after warm-up; "
          f"sklearn: best of 3 (1 for the KSG at n >= 1e6)")
    header = f"{'estimator':9s} {'n':>9s} {'C# s':>9s} {'sklearn s':>10s} {'ratio':>7s} {'C# estimate':>16s} {'sklearn estimate':>17s} {'|diff|':>9s}"
    print(header)
    print("-" * len(header))
    for n, ksg_s, ksg_v, disc_s, disc_v in rows:
        x = np.fromfile(os.path.join(d, f"x_{n}.f64"), dtype="<f8")
        y = np.fromfile(os.path.join(d, f"y_{n}.f64"), dtype="<f8")
        a = np.fromfile(os.path.join(d, f"a_{n}.i32"), dtype="<i4")
        b = np.fromfile(os.path.join(d, f"b_{n}.i32"), dtype="<i4")
        runs = 1 if n >= 1_000_000 else 3
        sk_s, sk_v = best(runs, lambda: mutual_info_regression(x.reshape(-1, 1), y, random_state=0)[0])
        print(f"{'Ksg':9s} {n:9d} {ksg_s:9.4f} {sk_s:10.4f} {sk_s / ksg_s:7.1f} {ksg_v:16.10f} {sk_v:17.10f} {abs(ksg_v - sk_v):9.1e}",
              flush=True)
        sd_s, sd_v = best(3, lambda: mutual_info_score(a, b))
        print(f"{'Discrete':9s} {n:9d} {disc_s:9.4f} {sd_s:10.4f} {sd_s / disc_s:7.1f} {disc_v:16.10f} {sd_v:17.10f} {abs(disc_v - sd_v):9.1e}",
              flush=True)


if __name__ == "__main__":
    main()
