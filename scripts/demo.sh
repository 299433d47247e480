#!/usr/bin/env bash
# Quick start, command 1: synthesize the order service in examples/ and print, for every place a
# function is bound, the form it binds (alias, version or $LATEST). Installs dependencies on first use.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x node_modules/.bin/ts-node ] || bash scripts/install.sh
exec npx ts-node --transpile-only -P tsconfig.dev.json examples/demo.ts
