#!/usr/bin/env bash
# A Celery worker: runs ranking recomputes (and imports) queued in Redis.
# It waits until the web process has migrated the database, so a fresh deployment can start
# all three processes at once.
#   CELERY_CONCURRENCY: processes per worker (default: the number of cores).
#   CELERY_QUEUES: queues to consume (default: celery).
#   MIGRATION_WAIT_SECONDS: how long to wait for migrations (default 300).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-.venv/bin/python}"

deadline=$(( $(date +%s) + ${MIGRATION_WAIT_SECONDS:-300} ))
until "$PYTHON" manage.py migrate --check >/dev/null 2>&1; do
  if [ "$(date +%s)" -ge "$deadline" ]; then
    echo "run-worker: the database is not migrated; start the web process first" >&2
    exit 1
  fi
  sleep 2
done
exec "$PYTHON" -m celery -A tracker worker \
  --loglevel "${LOG_LEVEL:-INFO}" \
  --concurrency "${CELERY_CONCURRENCY:-$(nproc)}" \
  --queues "${CELERY_QUEUES:-celery}" \
  --hostname "${CELERY_HOSTNAME:-worker@%h}" \
  --without-gossip --without-mingle
