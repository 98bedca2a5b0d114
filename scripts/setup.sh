#!/usr/bin/env bash
# Everything the two README commands need, installed by the project itself: node modules and the Temporal binaries.
# Fast when already done.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing node modules (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi
bash scripts/install-temporal.sh
