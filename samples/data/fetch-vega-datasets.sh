#!/usr/bin/env bash
# Fetches the films table of the npm package vega-datasets@3.2.1 (BSD-3-Clause) into .cache/vega-datasets/ at the
# repository root, for `--dataset movies` of samples/Btw.Demo (a held-out regression set; see samples/data/README.md).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
target="$root/.cache/vega-datasets"
expected="e63c499759e3b07b49563e036f55290f87feb56def8703ec049ca305ab1523d3"
if [ -f "$target/movies.json" ] && [ "$(sha256sum "$target/movies.json" | cut -d' ' -f1)" = "$expected" ]; then
  echo "movies.json already in $target"
  exit 0
fi
mkdir -p "$target"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack vega-datasets@3.2.1 --silent > /dev/null && tar xzf vega-datasets-3.2.1.tgz package/data/movies.json)
actual="$(sha256sum "$work/package/data/movies.json" | cut -d' ' -f1)"
if [ "$actual" != "$expected" ]; then
  echo "movies.json has SHA-256 $actual, expected $expected" >&2
  exit 1
fi
cp "$work/package/data/movies.json" "$target/movies.json"
echo "movies.json -> $target"
