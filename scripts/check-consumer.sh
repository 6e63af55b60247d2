#!/usr/bin/env bash
# A consumer's first use of the package, from a local feed (CI runs this after check-package.sh):
#   1. packs the library with a unique package version (so no cached package can stand in for this one);
#   2. creates a console project outside the repository (none of its build files apply) that references only that
#      .nupkg and TorchSharp-cpu, with every C# block of the package README (src/Btw/PACKAGE.md) as its sources,
#      pasted verbatim: they must compile together, with their own usings, warnings as errors;
#   3. runs it (the README's classification and regression examples, a few epochs on tiny random data) and checks
#      what it prints;
#   3b. builds a second project from the same README code whose program logs each epoch's report and the experts' load
#      to a TensorBoard event file (the README's Reporting.ToTensorBoard) and reads the file back, comparing every scalar;
#   4. checks the native-library check shipped in the package: pointed at a file without GLIBCXX_3.4.32
#      (-p:BtwLibStdCxxPath=/bin/ls) the build stops with error BTW0001 and the fix; -p:BtwSkipNativeCheck=true lets
#      it through.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
work=$(mktemp -d)
version="0.0.0-consumer.$(date +%s).$$"
packages=$(dotnet nuget locals global-packages --list | sed 's/^global-packages: *//')
# The unique version is extracted into the global packages folder; remove it again afterwards.
trap 'rm -rf "$work" "${packages%/}/btw/$version"' EXIT
fail() { echo "check-consumer: $*" >&2; exit 1; }
start=$(date +%s)

dotnet pack src/Btw -c Release -o "$work/feed" -p:PackageVersion="$version" --nologo -v q >/dev/null
[ -f "$work/feed/Btw.$version.nupkg" ] || fail "pack produced no Btw.$version.nupkg"

app="$work/app"
mkdir -p "$app"
torch=$(sed -n 's:.*<TorchSharpVersion>\(.*\)</TorchSharpVersion>.*:\1:p' Directory.Build.props)
cat >"$app/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="btw-local" value="$work/feed" />
  </packageSources>
</configuration>
XML
cat >"$app/Consumer.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>disable</ImplicitUsings>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Btw" Version="$version" />
    <PackageReference Include="TorchSharp-cpu" Version="$torch" />
  </ItemGroup>
</Project>
XML

# Every \`\`\`csharp block of the package README becomes one source file, verbatim.
awk -v dir="$app" '
  /^```csharp[[:space:]]*$/ { n++; file = sprintf("%s/Block%02d.cs", dir, n); inblock = 1; next }
  inblock && /^```[[:space:]]*$/ { inblock = 0; close(file); next }
  inblock { print > file }
  END { if (inblock) { print "unterminated code block" > "/dev/stderr"; exit 1 } print n }' src/Btw/PACKAGE.md >"$work/blocks"
blocks=$(cat "$work/blocks")
[ "$blocks" -ge 4 ] || fail "expected at least 4 C# blocks in src/Btw/PACKAGE.md, found $blocks"

cd "$app"
dotnet restore --nologo -v q >/dev/null || fail "restore failed"
grep -qx "buildTransitive/Btw.targets" <<<"$(unzip -Z1 "$work/feed/Btw.$version.nupkg")" || fail "buildTransitive/Btw.targets missing"
log="$work/build.log"
dotnet build --no-restore -c Release --nologo -v q >"$log" 2>&1 || { cat "$log" >&2; fail "the package README's code does not compile against the package"; }
out=$(dotnet run --no-build -c Release) || { echo "$out" >&2; fail "the package README's program failed"; }
echo "$out" | tail -n 2
accuracy=$(sed -n 's/^classification: .*test accuracy \([0-9.]*\) *%.*/\1/p' <<<"$out")
mae=$(sed -n 's/^regression: .*test MAE \([0-9.]*\).*/\1/p' <<<"$out")
[ -n "$accuracy" ] && [ -n "$mae" ] || fail "the program did not print its classification and regression results"
awk -v a="$accuracy" 'BEGIN { exit !(a >= 60) }' || fail "classification test accuracy $accuracy% (expected >= 60%, chance 33%)"
awk -v m="$mae" 'BEGIN { exit !(m < 1.0) }' || fail "regression test MAE $mae (expected < 1.0; predicting 0 gives about 2.0)"

# Reports where users look: a second console project from the same package and the README's code (every block but the
# program) trains the README loop with Reporting.ToTensorBoard as its afterEpoch callback, then reads the TensorBoard
# event files back (TFRecord framing and CRC-32C checked, tests/Btw.Tests/Support/TensorBoardEvents.cs) and compares
# every scalar (tag, step, value) with the reports and the experts' load it was written from.
tb="$work/tensorboard"
mkdir -p "$tb"
cp "$app/nuget.config" "$tb/"
sed 's#</Project>#  <ItemGroup><Compile Include="../app/Block*.cs" Exclude="../app/Program.cs" /></ItemGroup>\n</Project>#' "$app/Consumer.csproj" >"$tb/TensorBoardCheck.csproj"
for f in "$app"/Block*.cs; do
  grep -q '^namespace ' "$f" || program_block="$f"
done
[ -n "${program_block:-}" ] || fail "no top-level program block found among the README blocks"
sed -i "s#Exclude=\"../app/Program.cs\"#Exclude=\"../app/$(basename "$program_block")\"#" "$tb/TensorBoardCheck.csproj"
cp "$root/tests/Btw.Tests/Support/TensorBoardEvents.cs" "$tb/"
cat >"$tb/Program.cs" <<'CS'
using System;
using System.Collections.Generic;
using System.Linq;
using Btw;
using Btw.Tests.Support;
using MyApp;
using TorchSharp;

torch.manual_seed(0);
torch.set_num_threads(1);
var logDir = args[0];
string[] names = ["a", "b", "c"];
var options = new BtwMoEOptions { Modalities = 3, EmbeddingDim = 16, Outputs = 3, Experts = 8, TopK = 2 };
using var model = new ThreeModalityModel(options, 6, 6, 6);
using var weighter = new BtwWeighter(new BtwOptions { Modalities = 3, Weighting = BtwWeighting.Correlation });   // a weighting mode, so the correlation shares are logged
var (inputs, labels) = ClassificationExample.MakeData(256);
var writer = torch.utils.tensorboard.SummaryWriter(logDir);
var toTensorBoard = Reporting.ToTensorBoard(writer, model, names);
var expected = new List<(string Tag, long Step, float Value)>();
Training.Run(model, weighter, ClassificationExample.MakeBatches(inputs, labels, 64), 3, afterEpoch: report =>
{
    var load = model.ExpertLoad().ToScalars();   // read before the callback resets the counters
    toTensorBoard(report);
    expected.AddRange(report.ToScalars("btw", names).Concat(load).Select(kv => (kv.Key, (long)report.Epoch, (float)kv.Value)));
});

var read = TensorBoardEvents.ReadFolder(logDir).Select(s => (s.Tag, s.Step, s.Value)).ToList();
if (!read.SequenceEqual(expected))
{
    Console.Error.WriteLine($"read back {read.Count} scalars, expected {expected.Count}; first difference: {read.Zip(expected).FirstOrDefault(p => p.First != p.Second)}");
    return 1;
}

if (!read.Any(s => s.Tag == "btw/b/correlation_share") || !read.Any(s => s.Tag == "btw/experts/imbalance") || read.Max(s => s.Step) != 3)
{
    Console.Error.WriteLine("the expected tags (btw/b/correlation_share, btw/experts/imbalance) or steps 1..3 are missing");
    return 1;
}

Console.WriteLine($"tensorboard: {read.Count} scalars over 3 epochs read back from the event file, equal to the reports (tags such as btw/b/correlation_share, btw/experts/imbalance)");
return 0;
CS
(cd "$tb" && dotnet restore --nologo -v q >/dev/null && dotnet build --no-restore -c Release --nologo -v q >"$log" 2>&1) \
  || { cat "$log" >&2; fail "the TensorBoard check (README code + event-file reader) does not compile against the package"; }
tbout=$(cd "$tb" && dotnet run --no-build -c Release -- "$work/runs") || { echo "$tbout" >&2; fail "the reports read back from the TensorBoard event file differ from the reports"; }
echo "$tbout" | tail -n 1

# The shipped native check: a libstdc++ without the symbol stops the build with the clear message.
if dotnet build --no-restore -c Release --nologo -v q -p:BtwLibStdCxxPath=/bin/ls >"$log" 2>&1; then
  fail "the build did not stop although /bin/ls lacks GLIBCXX_3.4.32"
fi
grep -q "error BTW0001" "$log" || { cat "$log" >&2; fail "the failed build did not report BTW0001"; }
grep -q "apt-get install -t trixie libstdc++6" "$log" || fail "the message does not give the fix"
grep -q "BtwSkipNativeCheck=true" "$log" || fail "the message does not say how to skip the check"
if grep -q "scripts/install-native-deps.sh" "$log"; then fail "the package's message points at a repository script"; fi
dotnet build --no-restore -c Release --nologo -v q -p:BtwLibStdCxxPath=/bin/ls -p:BtwSkipNativeCheck=true >"$log" 2>&1 \
  || { cat "$log" >&2; fail "BtwSkipNativeCheck=true did not switch the check off"; }

echo "check-consumer: Btw $version from a local feed: $blocks README blocks compile, classification accuracy $accuracy%, regression MAE $mae, reports logged to TensorBoard read back, native check stops the build (BTW0001) and can be skipped; $(( $(date +%s) - start )) s"
