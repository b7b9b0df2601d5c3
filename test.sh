#!/usr/bin/env bash
# Installs the test dependencies (and Debian's chromium for the browser tests,
# when run as root) and runs the whole test suite. Extra arguments go to pytest.
# DATABASE_URL=postgres://... runs the same suite on PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")"
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install --quiet --upgrade pip
.venv/bin/pip install --quiet ".[test]"
if [ ! -x /usr/bin/chromium ] && [ "$(id -u)" = 0 ]; then
  apt-get update -qq && apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
fi
exec .venv/bin/pytest "$@"
