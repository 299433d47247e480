#!/usr/bin/env bash
# Installs the newest aws-cdk-lib BESIDE the locked one (node_modules/.cdk-latest), so the unit
# tests can run against both without reinstalling the project's tree (issue #8: that reinstall
# cost two full `npm install`s per CI run).
#   scripts/cdk-latest.sh install   # idempotent; prints the version installed
#   scripts/cdk-latest.sh jest ...  # runs jest with aws-cdk-lib mapped to the side install
set -euo pipefail
cd "$(dirname "$0")/.."
dir=node_modules/.cdk-latest
case "${1:-}" in
  install)
    latest=$(npm view aws-cdk-lib version 2>/dev/null || true)
    [ -n "$latest" ] || { echo "cdk-latest: the npm registry did not say which aws-cdk-lib is newest" >&2; exit 1; }
    have=$(node -p "require('./$dir/node_modules/aws-cdk-lib/package.json').version" 2>/dev/null || true)
    if [ "$have" != "$latest" ]; then
      mkdir -p "$dir"
      echo '{"private":true}' > "$dir/package.json"
      # --legacy-peer-deps: constructs comes from the project's own tree (mapped below), never a second copy.
      npm install --prefix "$dir" --no-save --no-package-lock --legacy-peer-deps --no-audit --no-fund \
        "aws-cdk-lib@$latest" > "$dir/install.log" 2>&1 || { tail -5 "$dir/install.log" >&2; exit 1; }
    fi
    echo "aws-cdk-lib $latest beside $(node -p "require('aws-cdk-lib/package.json').version")"
    ;;
  jest)
    shift
    [ -d "$dir/node_modules/aws-cdk-lib" ] || { echo "cdk-latest: run 'scripts/cdk-latest.sh install' first" >&2; exit 1; }
    root=$(pwd)
    map=$(printf '{"^aws-cdk-lib$":"%s","^aws-cdk-lib/(.*)$":"%s/$1","^constructs$":"%s"}' \
      "$root/$dir/node_modules/aws-cdk-lib" "$root/$dir/node_modules/aws-cdk-lib" "$root/node_modules/constructs")
    exec npx jest --moduleNameMapper="$map" "$@"
    ;;
  *)
    echo "usage: scripts/cdk-latest.sh install | jest [jest args]" >&2; exit 2 ;;
esac
