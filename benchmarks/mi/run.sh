#!/usr/bin/env bash
# Issue 5 benchmark: MutualInformation.Ksg / Discrete against scikit-learn on the same data.
# Builds and runs benchmarks/Btw.Benchmarks.Mi (which writes the inputs and its timings to the output
# directory), then times scikit-learn on those inputs and prints the table.
# Usage: benchmarks/mi/run.sh [output-directory]   (default: benchmarks/mi/out, git-ignored)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="${1:-$here/out}"
mkdir -p "$out"
dotnet build -c Release "$root/benchmarks/Btw.Benchmarks.Mi/Btw.Benchmarks.Mi.csproj" -v quiet -nologo
echo "== C# (Btw.MutualInformation) =="
dotnet "$root/benchmarks/Btw.Benchmarks.Mi/bin/Release/net10.0/Btw.Benchmarks.Mi.dll" "$out"
echo "== scikit-learn vs C# =="
/usr/bin/python3 "$here/sklearn_timing.py" "$out"
