# Seller Center — two set-up commands: `make run` and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

# Django 6.1 needs Python 3.13: python3.13 on PATH, else pyenv's 3.13.x — one that really runs
# (pyenv shims answer for versions that are not installed). Says clearly when there is none.
FIND_PYTHON313 = for c in python3.13 $$(command -v pyenv >/dev/null 2>&1 && for v in $$(pyenv versions --bare 2>/dev/null | grep '^3\.13' | sort -r); do PYENV_VERSION=$$v pyenv which python 2>/dev/null; done); do \
	  p=$$($$c -c 'import sys; assert sys.version_info[:2] == (3, 13); print(sys.executable)' 2>/dev/null) && { echo $$p; exit 0; }; \
	done; echo "error: Python 3.13 not found (Django 6.1 needs it): install it (pyenv install 3.13) or put python3.13 on PATH." >&2; exit 1

.PHONY: run test venv install migrate seed worker beat lint audit bench chaos clean

venv: $(STAMP)

$(STAMP): requirements-dev.lock pyproject.toml
	@test -x $(PY) || { py=$$($(FIND_PYTHON313)) && $$py -m venv $(VENV); }
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.lock
	$(PY) -m pip check
	@touch $(STAMP)

migrate: venv
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable

seed: migrate
	$(PY) manage.py seed_demo

# `make run PORT=8001` (or HOST=0.0.0.0) serves elsewhere.
HOST ?= 127.0.0.1
PORT ?= 8000
run: seed
	$(PY) manage.py runstack --addr $(HOST):$(PORT)

worker: venv
	$(PY) -m celery -A sellercenter worker --loglevel=INFO

beat: venv
	$(PY) -m celery -A sellercenter beat --loglevel=INFO

test: venv
	$(PY) -m pytest $(PYTEST_ARGS)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

# Known vulnerabilities of the locked dependencies (PyPI's advisories; bench/audit_deps.py).
audit: venv
	$(PY) bench/audit_deps.py requirements-dev.lock

# Benchmarks on PostgreSQL + Redis (README: "Benchmarks"). Reuses the seeded data set.
BENCH_DBNAME ?= sellercenter_bench
BENCH_DB ?= postgres://postgres@127.0.0.1:5432/$(BENCH_DBNAME)
BENCH_REDIS ?= redis://127.0.0.1:6379/9
bench: venv
	@command -v wrk >/dev/null || { echo "error: wrk is needed (apt-get install wrk)" >&2; exit 1; }
	@psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$(BENCH_DBNAME)'" | grep -q 1 || createdb -h 127.0.0.1 -U postgres $(BENCH_DBNAME)
	DATABASE_URL=$(BENCH_DB) REDIS_URL=$(BENCH_REDIS) DJANGO_SETTINGS_MODULE=bench.settings SECRET_KEY=bench-only-key-not-for-deployment-$$(hostname)-0123456789abcdef \
	  FIELD_ENCRYPTION_KEY=bench-only-field-key $(PY) manage.py bench $(BENCH_ARGS)

# Fault tolerance (README: "Benchmarks"): private PostgreSQL (port 5440) and Redis (port 6390)
# started and stopped by the run; worker kills, two beats, restarts under load.
chaos: venv
	@command -v redis-server >/dev/null || { echo "error: redis-server is needed" >&2; exit 1; }
	$(PY) bench/chaos.py $(CHAOS_ARGS)

clean:
	rm -rf $(VENV) var staticfiles
