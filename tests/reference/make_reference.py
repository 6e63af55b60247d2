#!/usr/bin/python3
"""Reference values for the Btw tests (mutual information and categorical KL divergence).

Run with the system Python (scikit-learn 1.2.1, SciPy):  /usr/bin/python3 tests/reference/make_reference.py

The input data are not stored: they are regenerated from seeds by a tiny portable PRNG (SplitMix64,
uniform doubles (x >> 11) * 2^-53, Box-Muller normals) implemented identically here and in
tests/Btw.Tests/Support/ReferenceRandom.cs (+ ReferenceDatasets.cs), which produce bit-identical doubles.
Writes tests/Btw.Tests/Data/reference/mutual_information.json and kl_categorical.json.
"""
import json
import math
import os
import sys

import numpy as np
import scipy
import scipy.special
import scipy.stats
import sklearn
from scipy.special import digamma
from sklearn.feature_selection import mutual_info_regression
from sklearn.feature_selection._mutual_info import _compute_mi_cc
from sklearn.metrics import mutual_info_score
from sklearn.neighbors import KDTree, NearestNeighbors
from sklearn.preprocessing import scale

MASK64 = (1 << 64) - 1
INT_MIN = -(2 ** 31)
INT_MAX = 2 ** 31 - 1


class ReferenceRandom:
    """SplitMix64; mirrors tests/Btw.Tests/Support/ReferenceRandom.cs operation by operation."""

    def __init__(self, seed):
        self.state = seed & MASK64

    def next_uint64(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK64
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        return z ^ (z >> 31)

    def next_double(self):
        return (self.next_uint64() >> 11) * (1.0 / 9007199254740992.0)

    def next_normal(self):
        u1 = 1.0 - self.next_double()
        u2 = self.next_double()
        return math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)

    def next_cauchy(self):
        return math.tan(math.pi * (self.next_double() - 0.5))

    def next_student_t3(self):
        z = self.next_normal()
        a = self.next_normal()
        b = self.next_normal()
        c = self.next_normal()
        return z / math.sqrt((a * a + b * b + c * c) / 3.0)

    def next_int(self, bound):
        return int(self.next_double() * bound)


# ---------------------------------------------------------------- datasets (mirror ReferenceDatasets.cs)

def continuous(generator, seed, n):
    rng = ReferenceRandom(seed)
    x = np.empty(n)
    y = np.empty(n)
    for i in range(n):
        if generator == "independent":
            xi = rng.next_normal()
            yi = rng.next_normal()
        elif generator == "linear":
            xi = rng.next_normal()
            yi = xi + 0.5 * rng.next_normal()
        elif generator == "sine":
            xi = rng.next_normal()
            yi = math.sin(3.0 * xi) + 0.3 * rng.next_normal()
        elif generator == "heavy":
            xi = rng.next_student_t3()
            yi = xi + 0.5 * rng.next_cauchy()
        elif generator == "ties":
            xi = math.floor(4.0 * rng.next_normal()) / 4.0
            yi = math.floor(4.0 * (xi + 0.5 * rng.next_normal())) / 4.0
        elif generator == "duplicates":
            xi = float(math.floor(5.0 * rng.next_double()))
            yi = xi + math.floor(3.0 * rng.next_double())
        else:
            raise ValueError(generator)
        x[i] = xi
        y[i] = yi
    return x, y


EXTREME_A = [INT_MIN, -5, 0, 7, 1000000007, INT_MAX]
EXTREME_B = [-1000000000, -1, 3, 11, 2000000000, INT_MIN + 1]


def labels(generator, seed, n):
    rng = ReferenceRandom(seed)
    a = np.empty(n, dtype=np.int64)
    b = np.empty(n, dtype=np.int64)
    for i in range(n):
        if generator == "uniform":
            ai = rng.next_int(5)
            bi = rng.next_int(7)
        elif generator == "dependent":
            ai = rng.next_int(10)
            u = rng.next_double()
            bi = ai if u < 0.7 else rng.next_int(10)
        elif generator == "extreme":
            ia = rng.next_int(6)
            u = rng.next_double()
            ib = ia if u < 0.6 else rng.next_int(6)
            ai = EXTREME_A[ia]
            bi = EXTREME_B[ib]
        elif generator == "single":
            ai = 42
            bi = rng.next_int(4)
        elif generator == "many":
            ai = rng.next_int(300)
            bi = (ai * 7 + rng.next_int(3)) % 400
        elif generator == "identical":
            ai = rng.next_int(8)
            bi = ai
        else:
            raise ValueError(generator)
        a[i] = ai
        b[i] = bi
    return a, b


# ---------------------------------------------------------------- KSG without the final clipping

def compute_mi_cc_unclipped(x, y, n_neighbors):
    """scikit-learn 1.2.1 _compute_mi_cc, line for line, returning the value before max(0, .)."""
    n_samples = x.size
    x = x.reshape((-1, 1))
    y = y.reshape((-1, 1))
    xy = np.hstack((x, y))
    nn = NearestNeighbors(metric="chebyshev", n_neighbors=n_neighbors)
    nn.fit(xy)
    radius = nn.kneighbors()[0]
    radius = np.nextafter(radius[:, -1], 0)
    kd = KDTree(x, metric="chebyshev")
    nx = kd.query_radius(x, radius, count_only=True, return_distance=False)
    nx = np.array(nx) - 1.0
    kd = KDTree(y, metric="chebyshev")
    ny = kd.query_radius(y, radius, count_only=True, return_distance=False)
    ny = np.array(ny) - 1.0
    return (
        digamma(n_samples)
        + digamma(n_neighbors)
        - np.mean(digamma(nx + 1))
        - np.mean(digamma(ny + 1))
    )


def ksg_case(name, generator, seed, n, k, ties):
    x, y = continuous(generator, seed, n)
    xs = scale(x.reshape(-1, 1), with_mean=False)[:, 0].copy()  # as _estimate_mi scales X
    ys = scale(y.copy(), with_mean=False)                         # as _estimate_mi scales y
    unclipped = float(compute_mi_cc_unclipped(xs, ys, k))
    exact = float(_compute_mi_cc(xs, ys, k))
    assert exact == max(0.0, unclipped), (name, exact, unclipped)
    public = float(mutual_info_regression(x.reshape(-1, 1), y, n_neighbors=k, random_state=0)[0])
    row = {
        "name": name,
        "generator": generator,
        "seed": seed,
        "n": n,
        "k": k,
        "ties": ties,
        # mutual_info_regression(x.reshape(-1, 1), y, n_neighbors=k, random_state=0)[0]: with sklearn's jitter
        "sklearn": public,
        # _compute_mi_cc on the scaled data without jitter, and the same before max(0, .)
        "exact": exact,
        "exact_unclipped": unclipped,
        "x_std": float(np.std(x)),
        "y_std": float(np.std(y)),
        "x_first": float(x[0]), "y_first": float(y[0]),
        "x_last": float(x[-1]), "y_last": float(y[-1]),
    }
    print(f"ksg {name:28s} sklearn={public:.12f} exact={exact:.12f} unclipped={unclipped:.12f} "
          f"|diff|={abs(public - exact):.2e}", file=sys.stderr)
    return row


def discrete_case(name, generator, seed, n):
    a, b = labels(generator, seed, n)
    value = float(mutual_info_score(a, b))
    print(f"discrete {name:24s} {value:.15f}", file=sys.stderr)
    return {
        "name": name, "generator": generator, "seed": seed, "n": n, "value": value,
        "a_first": int(a[0]), "b_first": int(b[0]),
    }


def prng_check():
    rng = ReferenceRandom(12345)
    uint64 = [str(rng.next_uint64()) for _ in range(5)]
    rng = ReferenceRandom(12345)
    uniform = [rng.next_double() for _ in range(5)]
    rng = ReferenceRandom(777)
    normal = [rng.next_normal() for _ in range(8)]
    rng = ReferenceRandom(778)
    cauchy = [rng.next_cauchy() for _ in range(5)]
    rng = ReferenceRandom(779)
    t3 = [rng.next_student_t3() for _ in range(5)]
    return {"seed_uint64": 12345, "uint64": uint64, "uniform": uniform,
            "seed_normal": 777, "normal": normal, "seed_cauchy": 778, "cauchy": cauchy,
            "seed_t3": 779, "t3": t3}


def kl_rows():
    rng = ReferenceRandom(2025)
    scales = [1.0, 5.0, 20.0, 50.0]
    pairs = []
    for i in range(26):
        c = [2, 5, 10][i % 3]
        s = scales[(i // 3) % 4]
        u = [s * (2.0 * rng.next_double() - 1.0) for _ in range(c)]
        z = [s * (2.0 * rng.next_double() - 1.0) for _ in range(c)]
        pairs.append((f"random_c{c}_scale{int(s)}_{i}", u, z))
    pairs.append(("identical_c5", [0.5, -1.25, 3.0, 0.0, 2.0], [0.5, -1.25, 3.0, 0.0, 2.0]))
    pairs.append(("shifted_c5_equal_kl0", [0.5, -1.25, 3.0, 0.0, 2.0], [10.5, 8.75, 13.0, 10.0, 12.0]))
    pairs.append(("extreme_opposite_c2", [50.0, -50.0], [-50.0, 50.0]))
    pairs.append(("extreme_c10", [50.0, -50.0, 49.0, -49.0, 0.0, 25.0, -25.0, 50.0, -50.0, 1.0],
                  [-50.0, 50.0, -49.0, 49.0, 0.0, -25.0, 25.0, -50.0, 50.0, -1.0]))
    rows = []
    for name, u, z in pairs:
        ua = np.array(u, dtype=np.float64)
        za = np.array(z, dtype=np.float64)
        for t in (1.0, 2.0):
            pu = scipy.special.softmax(ua / t)
            pz = scipy.special.softmax(za / t)
            kl = float(scipy.stats.entropy(pu, pz))
            assert math.isfinite(kl) and kl >= 0.0
            rows.append({"name": name, "classes": len(u), "temperature": t,
                         "u": [float(v) for v in u], "z": [float(v) for v in z], "kl": kl})
    return rows


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out_dir = os.path.join(root, "Btw.Tests", "Data", "reference")
    os.makedirs(out_dir, exist_ok=True)
    versions = {"sklearn": sklearn.__version__, "scipy": scipy.__version__, "numpy": np.__version__}

    ksg = []
    seed = 1000
    for generator in ["independent", "linear", "sine", "heavy"]:
        for n in [50, 1000, 20000]:
            seed += 1
            ksg.append(ksg_case(f"{generator}_n{n}_k3", generator, seed, n, 3, False))
    ksg.append(ksg_case("linear_n1000_k1", "linear", 2001, 1000, 1, False))
    ksg.append(ksg_case("sine_n1000_k10", "sine", 2002, 1000, 10, False))
    ksg.append(ksg_case("heavy_n5000_k5", "heavy", 2003, 5000, 5, False))
    ksg.append(ksg_case("ties_n50_k3", "ties", 3001, 50, 3, True))
    ksg.append(ksg_case("ties_n1000_k3", "ties", 3002, 1000, 3, True))
    ksg.append(ksg_case("duplicates_n200_k3", "duplicates", 3003, 200, 3, True))
    ksg.append(ksg_case("duplicates_n2000_k4", "duplicates", 3004, 2000, 4, True))

    discrete = [
        discrete_case("uniform_n1000", "uniform", 4001, 1000),
        discrete_case("dependent_n1000", "dependent", 4002, 1000),
        discrete_case("dependent_n100000", "dependent", 4003, 100000),
        discrete_case("extreme_labels_n2000", "extreme", 4004, 2000),
        discrete_case("single_class_n500", "single", 4005, 500),
        discrete_case("many_classes_n3000", "many", 4006, 3000),
        discrete_case("identical_n1000", "identical", 4007, 1000),
        discrete_case("dependent_n2", "dependent", 4008, 2),
        discrete_case("dependent_n7", "dependent", 4009, 7),
    ]

    mi = {
        "description": "Reference values from scikit-learn for Btw.MutualInformation; inputs regenerated "
                       "from (generator, seed, n) by ReferenceRandom/ReferenceDatasets. Produced by "
                       "tests/reference/make_reference.py.",
        "versions": versions,
        "prng": prng_check(),
        "ksg": ksg,
        "discrete": discrete,
    }
    with open(os.path.join(out_dir, "mutual_information.json"), "w") as f:
        json.dump(mi, f, indent=1)
        f.write("\n")

    kl = {
        "description": "KL(softmax(u/T) || softmax(z/T)) in nats = scipy.stats.entropy(scipy.special.softmax(u/T), "
                       "scipy.special.softmax(z/T)), float64. Produced by tests/reference/make_reference.py.",
        "versions": versions,
        "rows": kl_rows(),
    }
    with open(os.path.join(out_dir, "kl_categorical.json"), "w") as f:
        json.dump(kl, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
