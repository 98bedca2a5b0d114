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

# The console's browser tests drive Debian's Chromium; it does not pull in the Japanese fonts (labels would be boxes).
missing=()
[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || missing+=(chromium)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing+=(fonts-noto-cjk)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "setup: installing ${missing[*]} from Debian's packages"
    # not fatal: npm start needs no browser; the browser tests say what is missing
    { DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; } \
      || echo "setup: warning: apt-get could not install ${missing[*]}; the console's browser tests need them" >&2
  else
    echo "setup: warning: ${missing[*]} missing (apt-get install ${missing[*]}); the console's browser tests need them" >&2
  fi
fi
# The operator console (console/dist), rebuilt only when a source is newer than the bundle.
node --import tsx console/build.ts --if-stale
