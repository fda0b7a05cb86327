# Seller Center — two set-up commands: `make run` and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

# Django 6.1 needs Python 3.13: use python3.13 on PATH, else pyenv's 3.13.x.
PYTHON313 := $(shell command -v python3.13 2>/dev/null || (command -v pyenv >/dev/null 2>&1 && for v in $$(pyenv versions --bare 2>/dev/null | grep '^3\.13' | sort -V -r); do PYENV_VERSION=$$v pyenv which python 2>/dev/null && break; done))

.PHONY: run test venv install migrate seed worker beat lint bench clean

venv: $(STAMP)

$(STAMP): requirements-dev.lock pyproject.toml
	@if [ -z "$(PYTHON313)" ]; then echo "error: Python 3.13 not found. Install it (e.g. 'pyenv install 3.13') or put python3.13 on PATH." >&2; exit 1; fi
	@test -x $(PY) || $(PYTHON313) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.lock
	$(PY) -m pip check
	@touch $(STAMP)

migrate: venv
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable

seed: migrate
	$(PY) manage.py seed_demo

run: seed
	$(PY) manage.py runstack

worker: venv
	$(PY) -m celery -A sellercenter worker --loglevel=INFO

beat: venv
	$(PY) -m celery -A sellercenter beat --loglevel=INFO

test: venv
	$(PY) -m pytest $(PYTEST_ARGS)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

clean:
	rm -rf $(VENV) var staticfiles
