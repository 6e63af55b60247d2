#!/usr/bin/env bash
# Runs the BenchmarkDotNet suite of benchmarks/Btw.Benchmarks (one process, a short job: a few minutes on 2 cores) and
# prints the performance figures as ratios against the references measured in the same run, then the absolute figures,
# then the memory checks (bytes per example, per-step allocation that must not grow).
#
#   bash benchmarks/run.sh                 # everything
#   BTW_BENCH_TORCH_THREADS=2 bash benchmarks/run.sh   # TorchSharp intra-op threads (default 1, see Workload.cs)
#   BTW_BENCH_REGRESSION=0|1 bash benchmarks/run.sh    # force leaving out / including the regression EndEpoch
#   bash benchmarks/run.sh --shape B=256,M=4,C=10      # only the user-loop ratios for your shape (see below)
#
# The user-loop section (last) measures what the issue-17 targets are stated in: WeightsFor + Observe inside the loop a
# user writes, against plain training steps, and EndEpoch against N / B plain steps, interleaved in one process.
# Shape keys: B (batch), M (views), C (classes), F (features per view, 32), N (examples per epoch; several with '/',
# default 50000/1000000), S (steps per round, 20), R (rounds, 9).
#
# The regression EndEpoch runs KSG over 100,000 pairs per modality; it is left out automatically when the library's
# KSG would take more than a minute at that size (the quadratic stand-in before the O(n log n) estimator lands).
# Results: benchmarks/artifacts/results/*.csv and *-github.md (BenchmarkDotNet's exports).
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
project=benchmarks/Btw.Benchmarks
artifacts=$PWD/benchmarks/artifacts
exe=$project/bin/Release/net10.0/Btw.Benchmarks.dll

dotnet build -c Release "$project" -v quiet -nologo >/dev/null

shape=B=256,M=4,C=10
if [ "${1:-}" = "--shape" ]; then
  echo "== The weighter in a user's loop (interleaved in one process): dotnet $exe --shape ${2:-$shape}"
  dotnet "$exe" --shape "${2:-$shape}"
  exit 0
fi
rm -rf "$artifacts"

regression=${BTW_BENCH_REGRESSION:-}
if [ -z "$regression" ]; then
  estimate=$(dotnet "$exe" --ksg-estimate)
  if awk -v e="$estimate" 'BEGIN { exit !(e <= 60) }'; then regression=1; else regression=0; fi
  echo "KSG over 100,000 pairs: about ${estimate} s per modality -> regression EndEpoch $([ "$regression" = 1 ] && echo included || echo 'left out')"
fi
categories=(--anyCategories Core)
[ "$regression" = 1 ] && categories=(--anyCategories Core Regression)

dotnet "$exe" --filter '*' "${categories[@]}" --artifacts "$artifacts" > "$artifacts.log" 2>&1 || { tail -50 "$artifacts.log"; exit 1; }
csv=$artifacts/results/Btw.Benchmarks.BtwBenchmarks-report.csv

# Mean (us) and allocated bytes per operation of a benchmark (and parameter value), from the ';'-separated CSV.
field() { # $1 method, $2 column title prefix, $3 optional PriorSteps value
  awk -F';' -v method="$1" -v title="$2" -v prior="${3:-}" '
    NR == 1 { for (i = 1; i <= NF; i++) { h = $i; gsub(/"/, "", h); if (index(h, title) == 1) col = i; if (h == "Method") m = i; if (h == "PriorSteps") p = i } next }
    { name = $m; gsub(/"/, "", name); pv = p ? $p : ""; gsub(/"/, "", pv)
      if (name == method && (prior == "" || pv == prior)) { v = $col; gsub(/[",]/, "", v); print v; exit } }' "$csv"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b == 0) print "n/a"; else printf "%.2f %%", 100 * a / b }'; }
ms() { awk -v a="$1" 'BEGIN { if (a == "") print "n/a"; else printf "%.3f ms", a / 1000 }'; }

step=$(field TrainingStep 'Mean')
weigh=$(field WeightsForPlusObserve 'Mean')
epoch=$(field TrainingEpoch_100k 'Mean')
endc=$(field EndEpoch_Classification_100k 'Mean')
endr=$(field EndEpoch_Regression_100k 'Mean')

echo
echo "== Ratios (same run; N = 100,000, M = 4, C = 10, B = 256; demo model: MoE, EmbeddingDim 32, 8 experts, top-2)"
echo "WeightsFor + Observe / training step          : $(ratio "$weigh" "$step")   (target <= 3 %; the step measured alone)"
echo "WeightsFor + Observe / (training epoch / 391)  : $(ratio "$weigh" "$(awk -v e="$epoch" 'BEGIN { if (e != "") print e / 391 }')")   (target <= 3 %; the step time derived from the measured epoch)"
echo "EndEpoch classification / training epoch      : $(ratio "$endc" "$epoch")   (target < 10 %)"
echo "EndEpoch regression / training epoch          : $(ratio "$endr" "$epoch")   (target < 10 %)"
echo "training epoch / (391 x training step)        : $(ratio "$epoch" "$(awk -v s="$step" 'BEGIN { print 391 * s }')")   (consistency of the two references)"
echo
echo "== Absolute (mean per operation; allocated managed bytes per operation)"
for b in TrainingStep WeightsForPlusObserve EndEpoch_Classification_100k EndEpoch_Regression_100k TrainingEpoch_100k; do
  printf '%-30s %14s   %s B\n' "$b" "$(ms "$(field "$b" 'Mean')")" "$(field "$b" 'Allocated')"
done
csv=$artifacts/results/Btw.Benchmarks.StepAllocationBenchmarks-report.csv
echo "WeightsFor + Observe allocated after 10 prior steps: $(field WeightsForPlusObserve 'Allocated' 10) B; after 1,000: $(field WeightsForPlusObserve 'Allocated' 1000) B"
echo
echo "== Cross-check of the per-step ratio: training steps and WeightsFor + Observe in interleaved rounds (Stopwatch, median)"
echo "   (BenchmarkDotNet measures one benchmark after another; on a machine shared with other work the load can differ between them)"
dotnet "$exe" --quick 20
echo
echo "== Memory"
dotnet "$exe" --memory
echo
echo "== The weighter in a user's loop, interleaved in one process (the issue-17 targets): --shape $shape"
dotnet "$exe" --shape "$shape"
