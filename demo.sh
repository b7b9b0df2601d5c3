#!/usr/bin/env bash
# Installs the platform and starts it on its embedded default (SQLite, tasks
# in-process, files on local disk) with demo data; prints a login for every role.
set -euo pipefail
cd "$(dirname "$0")"
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install --quiet --upgrade pip
.venv/bin/pip install --quiet .
exec .venv/bin/python manage.py demo "$@"
