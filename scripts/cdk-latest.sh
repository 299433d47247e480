#!/usr/bin/env bash
# Installs the newest aws-cdk-lib (or a given release) BESIDE the locked one, so the unit tests can
# run against several without reinstalling the project's tree (issue #8: that reinstall cost two full
# `npm install`s per CI run). The newest goes to node_modules/.cdk-latest, a given release to
# node_modules/.cdk-<version> (issue #17: the validation channel is tested on the floor, a release
# from the middle of the supported range, and the newest).
#   scripts/cdk-latest.sh install [VERSION]   # idempotent; prints the version installed
#   scripts/cdk-latest.sh jest ...            # runs jest with aws-cdk-lib mapped to the side install
#   CDK_SIDE_VERSION=2.255.0 scripts/cdk-latest.sh jest ...   # the same, on a given release
set -euo pipefail
cd "$(dirname "$0")/.."
side_dir() { if [ -n "${1:-}" ]; then echo "node_modules/.cdk-$1"; else echo node_modules/.cdk-latest; fi; }
case "${1:-}" in
  install)
    wanted=${2:-}
    dir=$(side_dir "$wanted")
    version=$wanted
    if [ -z "$version" ]; then
      version=$(npm view aws-cdk-lib version 2>/dev/null || true)
      [ -n "$version" ] || { echo "cdk-latest: the npm registry did not say which aws-cdk-lib is newest" >&2; exit 1; }
    fi
    have=$(node -p "require('./$dir/node_modules/aws-cdk-lib/package.json').version" 2>/dev/null || true)
    if [ "$have" != "$version" ]; then
      mkdir -p "$dir"
      echo '{"private":true}' > "$dir/package.json"
      # --legacy-peer-deps: constructs comes from the project's own tree (mapped below), never a second copy.
      npm install --prefix "$dir" --no-save --no-package-lock --legacy-peer-deps --no-audit --no-fund \
        "aws-cdk-lib@$version" > "$dir/install.log" 2>&1 || { echo "cdk-latest: aws-cdk-lib@$version did not install:" >&2; tail -5 "$dir/install.log" >&2; exit 1; }
    fi
    echo "aws-cdk-lib $version beside $(node -p "require('aws-cdk-lib/package.json').version")"
    ;;
  jest)
    shift
    dir=$(side_dir "${CDK_SIDE_VERSION:-}")
    [ -d "$dir/node_modules/aws-cdk-lib" ] || { echo "cdk-latest: run 'scripts/cdk-latest.sh install ${CDK_SIDE_VERSION:-}' first" >&2; exit 1; }
    root=$(pwd)
    map=$(printf '{"^aws-cdk-lib$":"%s","^aws-cdk-lib/(.*)$":"%s/$1","^constructs$":"%s"}' \
      "$root/$dir/node_modules/aws-cdk-lib" "$root/$dir/node_modules/aws-cdk-lib" "$root/node_modules/constructs")
    exec npx jest --moduleNameMapper="$map" "$@"
    ;;
  *)
    echo "usage: scripts/cdk-latest.sh install [VERSION] | [CDK_SIDE_VERSION=V] scripts/cdk-latest.sh jest [jest args]" >&2; exit 2 ;;
esac
