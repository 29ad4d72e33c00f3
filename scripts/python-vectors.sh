#!/usr/bin/env bash
# Runs vectors/check.py, the vectors' independent checker in plain Python. Without python3 it is
# skipped with the reason printed, except in CI (CI set), where a missing oracle is a failure.
set -euo pipefail
if command -v python3 >/dev/null 2>&1; then
  exec python3 vectors/check.py
fi
if [ -n "${CI:-}" ]; then
  echo "vectors: python3 is missing; CI must run vectors/check.py" >&2
  exit 1
fi
echo "vectors: SKIPPED vectors/check.py (python3 is not installed; CI runs it)" >&2
