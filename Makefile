# The README's two commands: `make run` and `make test`. Everything else here serves them.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-dev env lint ci worker beat prod-smoke load bench

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(PY)
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# A local .env with DEBUG on, a random secret key and a random demo password, written once.
.env:
	@$(PYTHON) -c "import secrets; print('DEBUG=1'); print('SECRET_KEY=' + secrets.token_urlsafe(50)); print('DEMO_PASSWORD=' + secrets.token_urlsafe(9))" > .env
	@echo "Wrote .env (DEBUG=1, random SECRET_KEY and DEMO_PASSWORD)."

env: .env

run: install .env
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_demo --if-empty
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install-dev
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

worker: install
	$(VENV)/bin/celery -A tracker worker --loglevel=INFO

beat: install
	$(VENV)/bin/celery -A tracker beat --loglevel=INFO

# The production topology (gunicorn + Celery worker + beat, DEBUG off) on a scratch PostgreSQL
# database and Redis: smoke and fault tests, then the load test (docs/operations.md).
PG_URL ?= postgres://postgres@127.0.0.1:5432/tracker
prod-smoke: install-dev
	DATABASE_URL=$(PG_URL) $(PY) -m pytest tests/production/test_topology_smoke.py tests/production/test_faults.py $(PYTEST_ARGS)

load: install-dev
	$(PY) bench/load.py $(LOAD_ARGS)

# Every benchmark in bench/ on its own scratch PostgreSQL databases (created and migrated by
# the scripts), one table (figure, value, floor, ratio, target, met), docs/performance.md
# regenerated. City scale by default (fits in 15 minutes on 2 cores); province scale with
# `make bench ARGS=--full` or `BENCH_FULL=1 make bench`. See bench/README.md.
bench: install-dev
	$(PY) bench/run.py $(ARGS)
