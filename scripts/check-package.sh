#!/usr/bin/env bash
# Packs the library and checks the package:
#   * README.md is the package README (src/Btw/PACKAGE.md), which sends nobody to repository paths; LICENSE; MIT;
#   * title, release notes, and a description that says a TorchSharp backend must be added;
#   * build/ and buildTransitive/ Btw.targets (the GLIBCXX check), the DLL and its XML docs, which point at no
#     repository file and no "specification", and document only public API (every entry resolves to a public or
#     protected member of a public type of the packed DLL);
#   * a .snupkg with the portable PDB, its sources embedded;
#   * dependencies: exactly the packages whose assemblies Btw.dll uses (from the candidates referenced anywhere in the
#     repository), which today are MathNet.Numerics 5.0.0 (StudentT.InvCDF in BtwTrial),
#     System.Numerics.Tensors 10.0.0 (TensorPrimitives.Exp) and TorchSharp 0.107.0;
#     never a TorchSharp backend such as TorchSharp-cpu.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
dotnet pack src/Btw -c Release -o "$out" --nologo -v q >/dev/null
pkg=$(ls "$out"/Btw.*.nupkg | grep -v '\.snupkg$' | head -n 1)
snupkg="${pkg%.nupkg}.snupkg"
files=$(unzip -Z1 "$pkg")
nuspec=$(unzip -p "$pkg" Btw.nuspec)
fail() { echo "check-package: $*" >&2; exit 1; }
for f in README.md LICENSE lib/net10.0/Btw.dll lib/net10.0/Btw.xml build/Btw.targets buildTransitive/Btw.targets; do
  grep -qx "$f" <<<"$files" || fail "$f missing from $(basename "$pkg")"
done
unzip -p "$pkg" README.md | cmp -s - src/Btw/PACKAGE.md || fail "the package's README.md is not src/Btw/PACKAGE.md"
if unzip -p "$pkg" README.md | grep -niE '\]\((\.\.?/|docs/|samples/|tests/|scripts/)|bash scripts/|source repository|results page|RESULTS\.md'; then
  fail "the package README points at repository paths (above)"
fi
if unzip -p "$pkg" lib/net10.0/Btw.xml | grep -niE 'specification|docs/|tests/|samples/|scripts/|\.md\b|source repository|results page'; then
  fail "the shipped XML docs point at repository files or the specification (above)"
fi
# The shipped XML documents only public API (the build filters it, tools/Btw.PublicDocs): every <member> entry must
# resolve, in the packed Btw.dll's metadata, to a public or protected member of a public type.
unzip -p "$pkg" lib/net10.0/Btw.dll >"$out/Btw.dll"
unzip -p "$pkg" lib/net10.0/Btw.xml >"$out/Btw.xml"
dotnet build tools/Btw.PublicDocs -c Release --nologo -v q >/dev/null
docs=$(dotnet tools/Btw.PublicDocs/bin/Release/net10.0/Btw.PublicDocs.dll "$out/Btw.dll" "$out/Btw.xml" --check 2>&1) \
  || fail "the shipped XML documents members a user cannot call:"$'\n'"$docs"
entries=$(grep -c '<member name=' "$out/Btw.xml")
[ "$entries" -ge 150 ] || fail "the shipped XML has only $entries entries; the public API has more"
if grep -nE 'name="[TMPFE]:Btw\.(Weighting|Kernels|Information|Internal|Persistence)\.|ToBytes|FromBytes|BytesPerExample|ExpertRowsProcessed|ChebyshevKdTree' "$out/Btw.xml"; then
  fail "the shipped XML documents internal members (above)"
fi
grep -q '<license type="expression">MIT</license>' <<<"$nuspec" || fail "licence is not MIT"
grep -q '<title>.\+</title>' <<<"$nuspec" || fail "no title"
grep -q '<releaseNotes>.\+</releaseNotes>' <<<"$nuspec" || fail "no release notes"
grep -q '<description>.*TorchSharp-cpu.*</description>' <<<"$nuspec" || fail "the description does not say to add a TorchSharp backend"

[ -f "$snupkg" ] || fail "no symbol package $(basename "$snupkg")"
grep -qx "lib/net10.0/Btw.pdb" <<<"$(unzip -Z1 "$snupkg")" || fail "Btw.pdb missing from $(basename "$snupkg")"
unzip -p "$snupkg" lib/net10.0/Btw.pdb >"$out/Btw.pdb"
# Embedded sources are stored under the EmbeddedSource custom debug information GUID (0e8a571b-6926-466e-b4ad-8ab04611f5fe).
LC_ALL=C grep -qaP '\x1b\x57\x8a\x0e\x26\x69\x6e\x46\xb4\xad\x8a\xb0\x46\x11\xf5\xfe' "$out/Btw.pdb" || fail "Btw.pdb has no embedded sources"

# Dependencies = the candidate packages whose assembly (or namespace) names Btw.dll's metadata holds.
unzip -p "$pkg" lib/net10.0/Btw.dll | tr '\0' '\n' >"$out/strings"
candidates=$(grep -rhoE '<PackageReference Include="[^"]+"' --include='*.csproj' src tests samples benchmarks | sed 's/.*Include="//; s/"$//' | sort -u)
used=""
for c in $candidates; do
  grep -qxF "$c" "$out/strings" && used+="$c"$'\n'
done
used=$(sed '/^$/d' <<<"$used" | sort)
deps=$(grep -o '<dependency id="[^"]*" version="[^"]*"' <<<"$nuspec" | sed 's/<dependency id="\([^"]*\)" version="\([^"]*\)"/\1 \2/' | sort)
[ "$(cut -d' ' -f1 <<<"$deps")" = "$used" ] || fail "dependencies differ from what Btw.dll uses:"$'\n'"package: $deps"$'\n'"used: $used"
expected=$'MathNet.Numerics 5.0.0\nSystem.Numerics.Tensors 10.0.0\nTorchSharp 0.107.0'
[ "$deps" = "$expected" ] || fail "unexpected dependencies:"$'\n'"$deps"
echo "check-package: $(basename "$pkg") OK (package README, LICENSE, MIT, title, release notes, XML docs of public API only ($entries entries), build/buildTransitive targets, symbols with embedded sources; depends on MathNet.Numerics 5.0.0, System.Numerics.Tensors 10.0.0 and TorchSharp 0.107.0, which is what Btw.dll uses)"
