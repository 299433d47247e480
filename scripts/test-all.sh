#!/usr/bin/env bash
# Quick start, command 2: the whole test suite, i.e. everything a release would fail on.
# Installs dependencies on first use; CI (.ci/run) runs exactly this after a clean install.
#
# The steps of `projen build`, in two lanes once the sources are generated (the machines have 2 cores;
# issue #8, #19: CI in <= 5 minutes): the jsii build and what reads it in one, the unit tests in the
# other, and the checks that need neither taken by whichever lane is free first. Jest runs with two
# workers, so the unit tests also use the first core once the build is done, and without coverage
# (nobody reads it in CI; `npx jest` still reports it). Every step prints its wall and CPU time; the
# closing line counts a report a jest run did not write, or a failed step, as failed.
set -euo pipefail
cd "$(dirname "$0")/.."
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20 TS_NODE_TRANSPILE_ONLY=true CI=true
out=test-reports/steps
rm -rf "$out" test-reports/junit*.xml && mkdir -p "$out"
start=$(date +%s)

# The junit reports this run must write, one per `jest_on` below (issue #19: the closing line
# counts a missing one as failed, so a lane that never finished cannot read as a pass).
REPORTS=(test-reports/junit.xml test-reports/junit-latest.xml test-reports/junit-mid.xml)

# A release from the middle of the supported range, for what changes across it: the validation
# channel and the Mixin (issue #17 §5, §6: tested on the floor, the middle and the newest).
MID_RANGE=2.255.0
MID_RANGE_TESTS=(test/validation test/migration/mixin.test.ts)

# `step NAME [--report FILE] CMD...` runs CMD (a command or a function) and logs its wall time, exit
# code, the junit report it writes, and its CPU time (user + sys, children included) to times.tsv.
step() {
  local name=$1 report="" t0 rc=0 cpu TIMEFORMAT='%3U %3S' times="$out/cpu.$BASHPID"
  shift
  if [ "$1" = --report ]; then report=$2; shift 2; fi
  printf '=== %s\n' "$name"
  t0=$(date +%s%N)
  { time "$@" 2>&3 || rc=$?; } 3>&2 2>"$times"
  cpu=$(awk '{ printf "%d", ($1 + $2) * 1000 }' "$times")
  printf '%s\t%d\t%d\t%s\t%s\n' "$name" $((($(date +%s%N) - t0) / 1000000)) $rc "$report" "$cpu" >> "$out/times.tsv"
  return $rc
}
summary() {
  local rc=$?
  node scripts/test-summary.js --since "$start" --steps "$out/times.tsv" --exit-code $rc "${REPORTS[@]}" || rc=1
  exit $rc
}
trap summary EXIT
# A run stopped by a signal is a failed run (the EXIT trap alone would see exit code 0); its lanes stop too.
kill_tree() { local child; for child in $(pgrep -P "$1" || true); do kill_tree "$child"; done; kill "$1" 2>/dev/null || true; }
stop() { local job; for job in $(jobs -p); do kill_tree "$job"; done; exit "$1"; }
trap 'stop 130' INT
trap 'stop 143' TERM

# `jest_on LIB REPORT [jest args...]`: the unit tests (or the files given) on one aws-cdk-lib, with
# the junit report test-reports/REPORT (list it in REPORTS). LIB: floor (the locked aws-cdk-lib),
# latest, or a release that `scripts/cdk-latest.sh install VERSION` put beside the locked one.
jest_on() {
  local lib=$1 report=$2 run
  shift 2
  case $lib in
    floor) run=(npx jest) ;;
    latest) run=(bash scripts/cdk-latest.sh jest) ;;
    *) run=(env CDK_SIDE_VERSION="$lib" bash scripts/cdk-latest.sh jest) ;;
  esac
  # A test file that fails to load is a failed test case in the report, not a missing suite.
  # CDK_VALIDATION=false: aws-cdk-lib >= 2.262 checks every synthesized template against the
  # CloudFormation schema (a 9 MB WASM module compiled again in every test file) and only prints
  # warnings, which no test reads; it tripled the newest aws-cdk-lib's CPU time. A test about that
  # validation sets process.env.CDK_VALIDATION = 'true' itself (test/migration/visibility.test.ts).
  step "jest (aws-cdk-lib $lib)" --report "test-reports/$report" \
    env JEST_JUNIT_OUTPUT_NAME="$report" JEST_JUNIT_REPORT_TEST_SUITE_ERRORS=true CDK_VALIDATION=false \
    "${run[@]}" --ci --coverage=false --maxWorkers=2 "$@"
}

[ -x node_modules/.bin/projen ] || step "install (npm ci)" bash scripts/install.sh

# The newest aws-cdk-lib goes beside the locked one while the build runs (network, not CPU).
bash scripts/cdk-latest.sh install > "$out/cdk-latest.log" 2>&1 &
latest_install=$!
bash scripts/cdk-latest.sh install "$MID_RANGE" > "$out/cdk-mid.log" 2>&1 &
mid_install=$!
# `wait_install LOG PID`: until the side install has said where it stands.
wait_install() {
  while ! grep -q -e beside -e 'cdk-latest:' "$1" 2>/dev/null && kill -0 "$2" 2>/dev/null; do sleep 1; done
  cat "$1"
  grep -q beside "$1"
}
wait_latest() { wait_install "$out/cdk-latest.log" "$latest_install"; }
wait_mid() { wait_install "$out/cdk-mid.log" "$mid_install"; }

# `projen build` = default, pre-compile, compile, post-compile, test (jest, eslint, integ), package.
step "projen synth" npx projen default
step "bundle handlers" npx projen pre-compile

# Checks that read neither the jsii build nor the unit tests' results: the first lane free runs each
# (mkdir is atomic, so each runs once), longest first. One failing does not stop the others.
claim() { mkdir "$out/claimed.$1" 2>/dev/null; }
shared_checks() {
  local rc=0
  if claim eslint; then step "eslint" npx projen eslint || rc=1; fi
  if claim integ; then step "integ snapshots (integ-runner)" npx projen integ || rc=1; fi
  # W3005: every CDK function has a DependsOn its role that a GetAtt already implies.
  if claim cfn-lint; then
    step "cfn-lint on the integ snapshots" \
      bash -c 'cfn-lint --ignore-checks W3005 -- $(ls test/*.snapshot/*.template.json | grep -v DeployAssert)' || rc=1
  fi
  return $rc
}
# Each step of the build needs the one before: the first failure ends the lane.
lane_build() {
  step "jsii compile" npx projen compile
  step "API.md (jsii-docgen)" npx projen post-compile
  step "npm package (jsii-pacmak js)" npx projen package:js
  # The README's examples compile, failing on any error (-b: one TypeScript program for all of them,
  # half the CPU); the Python block is rosetta's own translation.
  step "README examples (jsii-rosetta)" npx jsii-rosetta extract --fail -b
  step "README Python block" node scripts/check-python-examples.js
  rm -rf dist/codeonly
  step "other jsii languages (pacmak --code-only)" \
    npx jsii-pacmak --code-only --target python --target java --target dotnet --target go -o dist/codeonly
  # PIP_RETRIES=0: where the public index is unreachable, pip uses the local mirrors at once instead
  # of retrying it for 40 s.
  step "python wheel" env PIP_RETRIES=0 bash scripts/python-wheel.sh
  shared_checks
}
# The unit tests on each aws-cdk-lib run even when those on another failed.
lane_tests() {
  local rc=0
  jest_on floor junit.xml || rc=1
  { step "wait for the newest aws-cdk-lib" wait_latest && jest_on latest junit-latest.xml; } || rc=1
  { step "wait for aws-cdk-lib $MID_RANGE" wait_mid && jest_on "$MID_RANGE" junit-mid.xml "${MID_RANGE_TESTS[@]}"; } || rc=1
  shared_checks || rc=1
  return $rc
}

lane_build > "$out/build.log" 2>&1 &
build=$!
lane_tests > "$out/tests.log" 2>&1 &
tests=$!
rc_build=0 rc_tests=0
wait $build || rc_build=$?
wait $tests || rc_tests=$?
echo; echo "##### lane: jsii build and packaging"; cat "$out/build.log"
echo; echo "##### lane: unit tests"; cat "$out/tests.log"
[ $rc_build -eq 0 ] && [ $rc_tests -eq 0 ] || { echo "a lane failed (build: $rc_build, tests: $rc_tests)" >&2; exit 1; }

step "nothing changed the tree (eslint --fix, snapshots, projen, API.md, lockfile)" git diff --exit-code
no_untracked() {
  local untracked
  untracked=$(git status --porcelain --untracked-files=all)
  [ -z "$untracked" ] || { echo "untracked files appeared:"; echo "$untracked"; return 1; }
}
step "no untracked files appeared" no_untracked
