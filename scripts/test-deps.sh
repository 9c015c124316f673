#!/usr/bin/env bash
# What the test suite needs beyond the workspace's packages, installed when missing: a JDK and
# Maven (the Kafka broker is fetched from Maven Central and run on the JVM), Prometheus's
# promtool (alert rules are checked with it), and a Jaeger build (the end-to-end trace test
# queries it). Safe to run again; it does nothing that is done.
set -euo pipefail

missing=()
command -v java >/dev/null 2>&1 || missing+=(openjdk-17-jre-headless)
command -v mvn >/dev/null 2>&1 || missing+=(maven)
command -v promtool >/dev/null 2>&1 || missing+=(prometheus)

if [ ${#missing[@]} -gt 0 ]; then
  echo "test-deps: installing ${missing[*]} from Debian's packages" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/jaeger.sh"
