#!/usr/bin/env python3
"""NumPy reference for the permutation null of one MPS step (the usual Python approach).

Per round, Generator.permuted(E, axis=0) relabels every prompt's column of the centred matrix E
(m candidates x N prompts) independently; then per-candidate sums and sums of squares give the
studentized statistics and their minimum T*. Prints one line in the format of the quick
benchmark (`--quick`), with threads=1 because NumPy runs these operations on one core:

    numpy m=<m> n=<n> threads=1 <number> cell-permutations/s

Usage:
    python3 numpy_reference.py [--matrix FILE] [--m 50] [--n 100000] [--seconds 10]

--matrix reads raw little-endian float64, candidate-major (m x n), as written by
`dotnet run -c Release --project benchmarks/ProvenanceSet.Benchmarks -- --export-matrix FILE 50 100000`,
so NumPy permutes the very same numbers as the C# kernels. Without it a Gaussian matrix of that shape
is drawn (the speed does not depend on the values).
"""
import argparse
import time

import numpy as np


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--matrix")
    parser.add_argument("--m", type=int, default=50)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    m, n = args.m, args.n

    if args.matrix:
        distances = np.fromfile(args.matrix, dtype="<f8").reshape(m, n)
    else:
        distances = np.random.default_rng(1).normal(0.6, 0.12, size=(m, n))

    # Step 1 of the procedure: centre every prompt over the active candidates.
    e = distances - distances.mean(axis=0, keepdims=True)
    rng = np.random.default_rng(0)

    def one_round() -> float:
        permuted = rng.permuted(e, axis=0)  # each prompt's column relabelled independently
        s1 = permuted.sum(axis=1)
        s2 = np.einsum("ij,ij->i", permuted, permuted)
        mean = s1 / n
        variance = (s2 - s1 * mean) / (n - 1)
        return float(np.min(mean / np.sqrt(variance / n)))

    for _ in range(2):  # warm-up
        one_round()
    rounds = 0
    start = time.perf_counter()
    while True:
        one_round()
        rounds += 1
        elapsed = time.perf_counter() - start
        if elapsed >= args.seconds and rounds >= 3:
            break
    print(f"numpy m={m} n={n} threads=1 {m * n * rounds / elapsed:.0f} cell-permutations/s")


if __name__ == "__main__":
    main()
