#!/usr/bin/env bash
# Celery beat: the clock that queues periodic tasks (the every-minute sweep that re-queues
# rankings recomputes a lost message left behind, the nightly full recompute).
# Run exactly ONE beat per deployment; several would queue every periodic task several times.
#   CELERY_BEAT_SCHEDULE_FILE: where beat keeps its last-run times (default data/celerybeat-schedule).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-.venv/bin/python}"
schedule="${CELERY_BEAT_SCHEDULE_FILE:-data/celerybeat-schedule}"
mkdir -p "$(dirname "$schedule")"
exec "$PYTHON" -m celery -A tracker beat --loglevel "${LOG_LEVEL:-INFO}" --schedule "$schedule"
