#!/usr/bin/env bash
# Packs the library and checks the package: README and LICENSE inside, MIT licence, and dependencies on
# TorchSharp 0.107.0 and MathNet.Numerics only (never on a TorchSharp backend such as TorchSharp-cpu).
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
dotnet pack src/Btw -c Release -o "$out" --nologo -v q >/dev/null
pkg=$(ls "$out"/Btw.*.nupkg)
files=$(unzip -Z1 "$pkg")
nuspec=$(unzip -p "$pkg" Btw.nuspec)
fail() { echo "check-package: $*" >&2; exit 1; }
grep -qx "README.md" <<<"$files" || fail "README.md missing from $pkg"
grep -qx "LICENSE" <<<"$files" || fail "LICENSE missing from $pkg"
grep -qx "lib/net10.0/Btw.dll" <<<"$files" || fail "lib/net10.0/Btw.dll missing"
grep -qx "lib/net10.0/Btw.xml" <<<"$files" || fail "XML documentation missing"
grep -q '<license type="expression">MIT</license>' <<<"$nuspec" || fail "licence is not MIT"
deps=$(grep -o '<dependency id="[^"]*" version="[^"]*"' <<<"$nuspec" | sed 's/<dependency id="\([^"]*\)" version="\([^"]*\)"/\1 \2/' | sort)
expected=$'MathNet.Numerics 5.0.0\nTorchSharp 0.107.0'
[ "$deps" = "$expected" ] || fail "unexpected dependencies:"$'\n'"$deps"
echo "check-package: $(basename "$pkg") OK (README, LICENSE, MIT, depends on TorchSharp 0.107.0 and MathNet.Numerics 5.0.0 only)"
