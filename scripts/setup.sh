#!/usr/bin/env bash
# Everything the two README commands need, installed by the project itself: node modules and the Temporal binaries.
# Fast when already done.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  # `npm install` rather than `npm ci`: it installs the locked versions too, and unlike `npm ci` it accepts a lock
  # file that lists only this platform's optional native packages (@swc/core-*), as npm 11 writes them here.
  echo "setup: installing node modules"
  npm install --no-audit --no-fund --loglevel=error
fi
bash scripts/install-temporal.sh
