#!/usr/bin/env bash
# Quick start, command 2: the whole test suite, i.e. everything a release would fail on.
# Installs dependencies on first use; CI (.ci/run) runs exactly this after a clean install.
#
# The steps of `projen build` run one by one, then in two lanes, one per core (the machines have 2):
# the floor's jest run in one, packaging and the other checks in the other, and the newest
# aws-cdk-lib's jest run split between them (issue #8: CI in <= 5 minutes).
set -euo pipefail
cd "$(dirname "$0")/.."
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20 TS_NODE_TRANSPILE_ONLY=true CI=true
out=test-reports/steps
rm -rf "$out" && mkdir -p "$out"
start=$(date +%s)

# `step NAME CMD...` runs CMD with its output in the log and records how long it took.
step() {
  local name=$1 t0 rc=0
  shift
  printf '=== %s\n' "$name"
  t0=$(date +%s%N)
  "$@" || rc=$?
  printf '%s\t%d\n' "$name" $((($(date +%s%N) - t0) / 1000000)) >> "$out/times.tsv"
  return $rc
}
summary() {
  local rc=$?
  echo
  echo "--- step timings (s) ---"
  [ -f "$out/times.tsv" ] && awk -F'\t' '{ printf "%7.1f  %s\n", $2 / 1000, $1 }' "$out/times.tsv"
  printf '%7d  total (wall)\n' $(($(date +%s) - start))
  node scripts/test-summary.js test-reports/junit.xml test-reports/junit-latest-1.xml test-reports/junit-latest-2.xml
  exit $rc
}
trap summary EXIT

[ -x node_modules/.bin/projen ] || step "install (npm ci)" bash scripts/install.sh

# The newest aws-cdk-lib goes beside the locked one while the build runs (network, not CPU).
bash scripts/cdk-latest.sh install > "$out/cdk-latest.log" 2>&1 &
latest_install=$!

# `projen build` = default, pre-compile, compile, post-compile, test (jest, eslint, integ), package.
step "projen synth" npx projen default
step "bundle handlers" npx projen pre-compile
step "jsii compile" npx projen compile

lane_checks() {
  step "API.md (jsii-docgen)" npx projen post-compile
  step "npm package (jsii-pacmak js)" npx projen package:js
  # The README's examples compile, failing on any error; the Python block is rosetta's own translation.
  step "README examples (jsii-rosetta)" npx jsii-rosetta extract --fail
  step "README Python block" node scripts/check-python-examples.js
  rm -rf dist/codeonly
  step "other jsii languages (pacmak --code-only)" \
    npx jsii-pacmak --code-only --target python --target java --target dotnet --target go -o dist/codeonly
  step "python wheel" bash scripts/python-wheel.sh
  # W3005: every CDK function has a DependsOn its role that a GetAtt already implies.
  step "cfn-lint on the integ snapshots" \
    bash -c 'cfn-lint --ignore-checks W3005 -- $(ls test/*.snapshot/*.template.json | grep -v DeployAssert)'
  step "integ snapshots (integ-runner)" npx projen integ
  step "eslint" npx projen eslint
  latest_shard 2
}
lane_tests() {
  step "jest (aws-cdk-lib floor)" npx jest --ci
  latest_shard 1
}
# The newest aws-cdk-lib's run is split in two shards, one per lane, so both lanes end together.
latest_shard() {
  step "wait for the newest aws-cdk-lib" wait_latest
  step "jest (newest aws-cdk-lib, shard $1/2)" \
    env JEST_JUNIT_OUTPUT_NAME="junit-latest-$1.xml" bash scripts/cdk-latest.sh jest --ci --coverage=false --shard="$1/2"
}
wait_latest() { while ! grep -q -e beside -e 'cdk-latest:' "$out/cdk-latest.log" 2>/dev/null && kill -0 "$latest_install" 2>/dev/null; do sleep 1; done; cat "$out/cdk-latest.log"; grep -q beside "$out/cdk-latest.log"; }

lane_checks > "$out/checks.log" 2>&1 &
checks=$!
lane_tests > "$out/tests.log" 2>&1 &
tests=$!
rc_checks=0 rc_tests=0
wait $checks || rc_checks=$?
wait $tests || rc_tests=$?
echo; echo "##### lane: packaging and checks"; cat "$out/checks.log"
echo; echo "##### lane: unit tests"; cat "$out/tests.log"
[ $rc_checks -eq 0 ] && [ $rc_tests -eq 0 ] || { echo "a lane failed (checks: $rc_checks, tests: $rc_tests)" >&2; exit 1; }

step "nothing changed the tree (eslint --fix, snapshots, projen, API.md, lockfile)" git diff --exit-code
untracked=$(git status --porcelain --untracked-files=all)
[ -z "$untracked" ] || { echo "untracked files appeared:"; echo "$untracked"; exit 1; }
