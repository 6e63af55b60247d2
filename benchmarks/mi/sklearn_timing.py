#!/usr/bin/python3
"""Times scikit-learn on the inputs written by Btw.Benchmarks.Mi and prints the comparison table.

Usage: /usr/bin/python3 sklearn_timing.py <data-directory>
Reads <dir>/csharp.tsv (C# on all cores) and <dir>/csharp_1thread.tsv (C# on one thread, if present), the binary
inputs x_<n>.f64, y_<n>.f64 (float64), a_<n>.i32, b_<n>.i32 (int32), times mutual_info_regression(x.reshape(-1, 1),
y, random_state=0) and mutual_info_score(a, b) with the same protocol as the C# side (one warm-up call, then the best
of 5 calls, 2 at n >= 1e6; scikit-learn runs on one thread: neither function takes n_jobs), and prints: n, C# times,
sklearn time, ratios (sklearn / C#) against one C# thread and against all cores, both estimates.
"""
import os
import sys
import time

import numpy as np
import sklearn
from sklearn.feature_selection import mutual_info_regression
from sklearn.metrics import mutual_info_score


def best(runs, f):
    value = f()  # warm-up, as on the C# side
    best_time = float("inf")
    for _ in range(runs):
        t0 = time.perf_counter()
        value = f()
        best_time = min(best_time, time.perf_counter() - t0)
    return best_time, value


def read_tsv(path):
    rows = {}
    with open(path) as f:
        next(f)
        for line in f:
            n, ksg_s, ksg_v, disc_s, disc_v = line.split("\t")
            rows[int(n)] = (float(ksg_s), float(ksg_v), float(disc_s), float(disc_v))
    return rows


def main():
    d = sys.argv[1] if len(sys.argv) > 1 else "out"
    rows = read_tsv(os.path.join(d, "csharp.tsv"))
    single_path = os.path.join(d, "csharp_1thread.tsv")
    single = read_tsv(single_path) if os.path.exists(single_path) else {}

    print(f"scikit-learn {sklearn.__version__}, numpy {np.__version__}, {os.cpu_count()} cores; both sides: one warm-up "
          f"call, then best of 5 (2 at n >= 1e6); scikit-learn single-threaded; C# on 1 thread and on all cores")
    header = (f"{'estimator':9s} {'n':>9s} {'C# 1 thr s':>10s} {'C# all s':>9s} {'sklearn s':>10s} {'ratio 1thr':>10s} "
              f"{'ratio all':>9s} {'C# estimate':>16s} {'sklearn estimate':>17s} {'|diff|':>9s}")
    print(header)
    print("-" * len(header))
    for n in sorted(rows):
        ksg_s, ksg_v, disc_s, disc_v = rows[n]
        ksg_1, _, disc_1, _ = single.get(n, (float("nan"),) * 4)
        x = np.fromfile(os.path.join(d, f"x_{n}.f64"), dtype="<f8")
        y = np.fromfile(os.path.join(d, f"y_{n}.f64"), dtype="<f8")
        a = np.fromfile(os.path.join(d, f"a_{n}.i32"), dtype="<i4")
        b = np.fromfile(os.path.join(d, f"b_{n}.i32"), dtype="<i4")
        runs = 2 if n >= 1_000_000 else 5
        sk_s, sk_v = best(runs, lambda: mutual_info_regression(x.reshape(-1, 1), y, random_state=0)[0])
        print(f"{'Ksg':9s} {n:9d} {ksg_1:10.4f} {ksg_s:9.4f} {sk_s:10.4f} {sk_s / ksg_1:10.1f} {sk_s / ksg_s:9.1f} "
              f"{ksg_v:16.10f} {sk_v:17.10f} {abs(ksg_v - sk_v):9.1e}", flush=True)
        sd_s, sd_v = best(runs, lambda: mutual_info_score(a, b))
        print(f"{'Discrete':9s} {n:9d} {disc_1:10.4f} {disc_s:9.4f} {sd_s:10.4f} {sd_s / disc_1:10.1f} {sd_s / disc_s:9.1f} "
              f"{disc_v:16.10f} {sd_v:17.10f} {abs(disc_v - sd_v):9.1e}", flush=True)


if __name__ == "__main__":
    main()
