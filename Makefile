# The two commands a newcomer types: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test install browser pytest lint bench load clean
# Python keeps compiled modules in __pycache__ (its default) even where the machine turns that
# off: without them every test process and every command compiles the project and rewrites
# every test module again (about 7 s of CPU per pytest worker before the first test runs).
unexport PYTHONDONTWRITEBYTECODE
# Debian's Chromium as the old headless shell (package chromium-headless-shell): the same Blink
# and V8 as /usr/bin/chromium without the full browser around them; the browser tests use half
# the CPU with it (tests/browser/chromium.py).
CHROMIUM ?= /usr/bin/chromium-headless-shell
export CHROMIUM
# The suite runs on every core (pytest-xdist; each worker has its own test database).
PYTEST_ARGS ?= -n auto

# QR posters, check-in and e-mail links and the demo's signed report point at the address
# served on (`make run PORT=8123`), unless SITE_URL is set (skm_portal/siteurl.py).
run: export SITE_URL ?= http://$(HOST):$(PORT)
# DEBUG is off unless asked for; `make run` is the local development server.
run: export DJANGO_DEBUG = 1
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	@echo "SKM Portal: http://$(HOST):$(PORT)/  (background jobs: db_worker runs beside the server)"
	$(BIN)/python manage.py db_worker & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install browser
	$(MAKE) pytest

# The browser tests drive Debian's Chromium (its headless shell) and the document tests read PDFs
# with poppler (pdftotext, pdffonts, pdfinfo); install them when missing (needs root or sudo).
browser:
	@test -x $(CHROMIUM) && command -v pdffonts >/dev/null || { \
	  echo "Installing Debian's chromium-headless-shell and poppler-utils for the browser and document tests"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium-headless-shell poppler-utils; }

pytest: export DJANGO_DEBUG ?= 1
pytest:
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/ruff check .
	$(BIN)/pytest $(PYTEST_ARGS)

install: $(STAMP)

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "SKM Portal needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python requirements.txt package.json package-lock.json
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	@command -v npm >/dev/null || { echo "npm is needed for the front-end assets (Bootstrap, htmx)"; exit 1; }
	npm ci --no-audit --no-fund --silent
	touch $(STAMP)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: install
	$(BIN)/python bench/run.py

# Bounded load test against gunicorn on loopback (own throwaway PostgreSQL database).
# LOAD_ARGS="--seconds 60 --clients 16" or "--base-url http://127.0.0.1:8000".
load: install
	$(BIN)/python bench/load_test.py $(LOAD_ARGS)

clean:
	rm -rf $(VENV) node_modules staticfiles
