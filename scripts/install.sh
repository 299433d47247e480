#!/usr/bin/env bash
# Installs exactly what package-lock.json pins (`npm ci`), so a checkout stays clean and CI tests
# what was locked (issue #8). If the registry lacks a locked package, says so in one line.
set -euo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
if npm ci --no-audit --no-fund >"$log" 2>&1; then
  grep -E '^added|^up to date' "$log" || true
  rm -f "$log"
  exit 0
fi
missing=$(grep -oE "(404 Not Found - GET [^ ]+|No matching version found for [^ ]+)" "$log" | head -1 | sed -E 's/^(404 Not Found - GET |No matching version found for )//; s/\.$//' || true)
if [ -n "$missing" ]; then
  echo "install: the registry cannot serve a package that package-lock.json pins: $missing; run 'npm install' where the registry has it and commit the lockfile" >&2
elif grep -qE 'can only install packages when your package.json and package-lock.json|from lock file' "$log"; then
  echo "install: package-lock.json is out of date with package.json; run 'npx projen' (which runs 'npm install') and commit the lockfile" >&2
else
  echo "install: npm ci failed; its last lines:" >&2
  tail -15 "$log" >&2
fi
rm -f "$log"
exit 1
