#!/usr/bin/env bash
# Builds the Jaeger all-in-one binary that the end-to-end trace test runs, from the Go module
# proxy, at the version tools/jaeger/go.mod pins, into .cache/jaeger/bin/jaeger. Does nothing
# when the binary is there. A first build takes several minutes on two cores (module download
# included); the test calls this itself when the binary is missing.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
binary="$root/.cache/jaeger/bin/jaeger"

if [ -x "$binary" ]; then
  exit 0
fi
command -v go >/dev/null || { echo "jaeger.sh: the go command is required" >&2; exit 1; }

mkdir -p "$(dirname "$binary")"
echo "jaeger.sh: building Jaeger (tools/jaeger/go.mod) into .cache/jaeger/bin" >&2
started=$SECONDS
(cd "$root/tools/jaeger" && GOFLAGS=-mod=mod go build -o "$binary.tmp" github.com/jaegertracing/jaeger/cmd/jaeger)
mv "$binary.tmp" "$binary"
echo "jaeger.sh: built in $((SECONDS - started)) s" >&2
