#!/usr/bin/env bash
# A Python wheel from the generated code, when the offline wheelhouse has the build tools.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -d .venv-py ] || python3 -m venv .venv-py; then
  if .venv-py/bin/pip install -q -U setuptools wheel build packaging >/dev/null 2>&1; then
    .venv-py/bin/python -m build --no-isolation --skip-dependency-check --outdir dist/python dist/codeonly/python \
      > dist/python-build.log 2>&1 || { cat dist/python-build.log; exit 1; }
    ls dist/python
  else
    echo "skipped: the local wheelhouse lacks setuptools/wheel/build"
  fi
fi
