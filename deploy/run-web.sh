#!/usr/bin/env bash
# The web process: migrate (or refuse to start on an unmigrated database), collect static
# files for whitenoise, then gunicorn in the foreground with deploy/gunicorn.conf.py.
#   RUN_MIGRATIONS=1 (default) applies migrations; set it to 0 on every host but one, which
#   then only checks that the schema is current.
#   PYTHON: the interpreter of the virtualenv (default .venv/bin/python).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-.venv/bin/python}"

if [ "${RUN_MIGRATIONS:-1}" = "1" ]; then
  "$PYTHON" manage.py migrate --no-input
else
  "$PYTHON" manage.py migrate --check
fi
"$PYTHON" manage.py collectstatic --no-input --verbosity 0
exec "$PYTHON" -m gunicorn --config deploy/gunicorn.conf.py tracker.wsgi:application
