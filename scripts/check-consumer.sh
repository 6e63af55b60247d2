#!/usr/bin/env bash
# A consumer's first use of the package, from a local feed (CI runs this after check-package.sh):
#   1. packs the library with a unique package version (so no cached package can stand in for this one);
#   2. creates a console project outside the repository (none of its build files apply) that references only that
#      .nupkg and TorchSharp-cpu, with every C# block of the package README (src/Btw/PACKAGE.md) as its sources,
#      pasted verbatim: they must compile together, with their own usings, warnings as errors;
#   3. runs it (the README's classification and regression examples, a few epochs on tiny random data) and checks
#      what it prints;
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

echo "check-consumer: Btw $version from a local feed: $blocks README blocks compile, classification accuracy $accuracy%, regression MAE $mae, native check stops the build (BTW0001) and can be skipped; $(( $(date +%s) - start )) s"
