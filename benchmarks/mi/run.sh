#!/usr/bin/env bash
# MutualInformation.Ksg / Discrete against scikit-learn on the same data, with the same protocol on both sides (one
# warm-up call, then the best of 5 calls, 2 at n >= 1e6). Builds and runs benchmarks/Btw.Benchmarks.Mi twice (on all
# cores, then with DOTNET_PROCESSOR_COUNT=1 so that the library's estimators use one thread), which writes the inputs
# and its timings to the output directory, then times scikit-learn (single-threaded) on those inputs and prints the
# table with both ratios.
# Usage: benchmarks/mi/run.sh [output-directory [n ...]]   (default: benchmarks/mi/out, git-ignored)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="${1:-$here/out}"
shift || true   # further arguments: the sizes n (default 1e3, 1e5, 1e6)
mkdir -p "$out"
dotnet build -c Release "$root/benchmarks/Btw.Benchmarks.Mi/Btw.Benchmarks.Mi.csproj" -v quiet -nologo
dll="$root/benchmarks/Btw.Benchmarks.Mi/bin/Release/net10.0/Btw.Benchmarks.Mi.dll"
echo "== C# (Btw.MutualInformation), all cores =="
BTW_MI_TSV=csharp.tsv dotnet "$dll" "$out" "$@"
echo "== C# (Btw.MutualInformation), one thread =="
BTW_MI_TSV=csharp_1thread.tsv DOTNET_PROCESSOR_COUNT=1 dotnet "$dll" "$out" "$@"
echo "== scikit-learn vs C# =="
/usr/bin/python3 "$here/sklearn_timing.py" "$out"
