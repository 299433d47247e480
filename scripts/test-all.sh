#!/usr/bin/env bash
# Quick start, command 2: the whole test suite, i.e. everything a release would fail on.
# Installs dependencies on first use; CI (.ci/run) runs exactly this after a lockfile check.
set -euo pipefail
cd "$(dirname "$0")/.."
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20 TS_NODE_TRANSPILE_ONLY=true
[ -x node_modules/.bin/projen ] || npm install --no-audit --no-fund
trap 'node scripts/test-summary.js test-reports/junit.xml test-reports/junit-latest.xml' EXIT
step() { printf '\n=== %s\n' "$*"; }

step "build: projen synth, jsii, API.md, jest, eslint, integ snapshots, npm package"
# CI=true: without it projen's package step also builds Java/.NET/Go/Python packages, which need
# registries this machine cannot reach (see ../shared/reference/toolchain.md).
CI=true npx projen build

step "README examples compile (jsii-rosetta, failing on any error)"
npx jsii-rosetta extract --fail
node scripts/check-python-examples.js

step "generated code for the other jsii languages"
rm -rf dist/codeonly
npx jsii-pacmak --code-only --target python --target java --target dotnet --target go -o dist/codeonly

step "python wheel from the generated code (when the offline wheelhouse has the build tools)"
if [ -d .venv-py ] || python3 -m venv .venv-py; then
  if .venv-py/bin/pip install -q -U setuptools wheel build packaging >/dev/null 2>&1; then
    .venv-py/bin/python -m build --no-isolation --skip-dependency-check --outdir dist/python dist/codeonly/python \
      > dist/python-build.log 2>&1 || { cat dist/python-build.log; exit 1; }
    ls dist/python
  else
    echo "skipped: the local wheelhouse lacks setuptools/wheel/build"
  fi
fi

step "cfn-lint on the integ snapshots"
# W3005: every CDK function has a DependsOn its role that a GetAtt already implies.
cfn-lint --ignore-checks W3005 -- $(ls test/*.snapshot/*.template.json | grep -v DeployAssert)

step "unit tests against the newest aws-cdk-lib"
latest=$(npm view aws-cdk-lib version 2>/dev/null || true)
if [ -n "$latest" ]; then
  npm install --no-save --no-audit --no-fund "aws-cdk-lib@$latest" >/dev/null
  restore() { npm install --no-audit --no-fund >/dev/null; }
  JEST_JUNIT_OUTPUT_NAME=junit-latest.xml npx jest --ci || { restore; exit 1; }
  restore
else
  echo "the registry did not answer; newest aws-cdk-lib not tested" >&2
  exit 1
fi

step "nothing changed the tree (eslint --fix, snapshots, projen, API.md, lockfile)"
git diff --exit-code
untracked=$(git status --porcelain --untracked-files=all)
[ -z "$untracked" ] || { echo "untracked files appeared:"; echo "$untracked"; exit 1; }
