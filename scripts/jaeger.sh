#!/usr/bin/env bash
# Builds the Jaeger all-in-one binary that the end-to-end trace test runs, from the Go module
# proxy, at the version tools/jaeger/go.mod pins, and links it at .cache/jaeger/bin/jaeger.
# The build (several minutes on two cores) is kept in a per-machine cache keyed by go.sum, so a
# fresh clone on the same machine, CI's included, reuses it; TRIBUTARY_CACHE moves that cache.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
key="$(sha256sum "$root/tools/jaeger/go.sum" | cut -c1-12)"
cache="${TRIBUTARY_CACHE:-$HOME/.cache/tributary}/jaeger-$key"
binary="$cache/jaeger"
link="$root/.cache/jaeger/bin/jaeger"

if [ ! -x "$binary" ]; then
  command -v go >/dev/null || { echo "jaeger.sh: the go command is required" >&2; exit 1; }
  mkdir -p "$cache"
  echo "jaeger.sh: building Jaeger (tools/jaeger/go.mod) into $cache" >&2
  started=$SECONDS
  (cd "$root/tools/jaeger" && GOFLAGS=-mod=mod go build -o "$binary.tmp" github.com/jaegertracing/jaeger/cmd/jaeger)
  mv "$binary.tmp" "$binary"
  echo "jaeger.sh: built in $((SECONDS - started)) s" >&2
fi

mkdir -p "$(dirname "$link")"
ln -sfn "$binary" "$link"
