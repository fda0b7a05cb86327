# Seller Center — two set-up commands: `make run` and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test venv install migrate seed worker beat lint bench clean

venv: $(STAMP)

$(STAMP): requirements-dev.lock pyproject.toml
	@test -x $(PY) || { py=$$(bin/find-python313) && $$py -m venv $(VENV); }
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
