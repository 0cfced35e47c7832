# The two commands: `make run` (a running portal with demo content) and `make test`.
# Everything is installed into .venv from the pinned requirements files.

SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

# A Python 3.12 or newer: the one named by PYTHON=, else the first suitable one found.
find_python = $(shell for p in python3.14 python3.13 python3.12 $$HOME/.pyenv/versions/3.1[2-9]*/bin/python3 /usr/local/bin/python3.1[2-9] /usr/bin/python3.1[2-9] python3; do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then command -v $$p; break; fi; done)
PYTHON ?= $(find_python)

.PHONY: help install run serve test test-fast lint format migrate demo bench check-deploy clean messages check-translations

help:
	@echo "make run      set up everything and serve the portal on http://$(HOST):$(PORT) (SQLite)"
	@echo "make test     set up everything and run the whole test suite, on every CPU"
	@echo "make test-fast  the same without the browser tests (a minute on two cores)"
	@echo "make lint     ruff lint and format check"
	@echo "make bench    run every benchmark and print one table"
	@echo "make check-translations  fail if any interface string lacks its Welsh translation"
	@echo "make serve    production server (gunicorn) on $(HOST):$(PORT)"

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@if [ -z "$(PYTHON)" ]; then \
		echo "No Python 3.12 or newer found. Install python3.12 (or run: make PYTHON=/path/to/python3.12)." >&2; exit 1; fi
	@echo "Using $(PYTHON) ($$($(PYTHON) --version))"
	@bash scripts/system-packages.sh
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

# The Welsh interface (docs/welsh.md): the catalogue compiled whenever it changed. msgfmt comes
# from the Debian package gettext (scripts/system-packages.sh).
MESSAGES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po))
locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po | $(VENV)/.installed
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules --ignore=.browser-deps --locale $* >/dev/null

messages: $(MESSAGES)

install: $(VENV)/.installed messages

check-translations: install
	@bash scripts/check-translations.sh

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo
	$(PY) manage.py load_demo_returns

run: demo
	@$(PY) manage.py create_local_admin --address http://$(HOST):$(PORT)
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install
	@bash scripts/test.sh

test-fast: install
	@bash scripts/test.sh --fast

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: install
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

check-deploy: install
	@bash scripts/check-deploy.sh

bench: install
	$(PY) bench/run.py

serve: install
	@HOST=$(HOST) PORT=$(PORT) bash scripts/serve.sh

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
