# The daily commands. On a fresh machine with Python 3.11: `make run`, then `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
MANAGE := $(BIN)/python manage.py

.PHONY: run test lint bench format messages clean-venv system-libs

# WeasyPrint (every letter as PDF) loads these system libraries; on Debian or Ubuntu:
#   apt-get install -y $(WEASYPRINT_LIBS)
WEASYPRINT_LIBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig fonts-dejavu-core
WEASYPRINT_CHECK = $(BIN)/python -c 'import weasyprint' 2>/dev/null || { \
	echo "WeasyPrint cannot load Pango/HarfBuzz/fontconfig. Install them: apt-get install -y $(WEASYPRINT_LIBS)" >&2; \
	exit 1; }

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamp files: reinstall only when a requirements file changes.
$(VENV)/.installed-runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	@$(WEASYPRINT_CHECK)
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	@$(WEASYPRINT_CHECK)
	touch $@ $(VENV)/.installed-runtime

# Are WeasyPrint's system libraries there? (Says which to install when not.)
system-libs: $(VENV)/.installed-runtime
	@$(WEASYPRINT_CHECK)
	@echo "WeasyPrint's system libraries are installed."

# Serve the seeded demo portal on http://127.0.0.1:$(PORT)/ with the task worker beside it
# (mail, search index, housekeeping); Ctrl-C stops both.
run: $(VENV)/.installed-runtime
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_demo
	@$(MANAGE) db_worker & worker=$$!; trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
		$(MANAGE) runserver 127.0.0.1:$(PORT)

# The whole suite, browser tests included (they skip with a reason when Chromium is missing,
# and fail instead when CI=true).
test: $(VENV)/.installed-dev
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/python .ci/check_imports.py
	$(MANAGE) makemigrations --check --dry-run

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(VENV)/.installed-dev
	$(BIN)/python -m bench.p1_pages
	$(BIN)/python -m bench.p2_submissions
	$(BIN)/python -m bench.p3_report
	$(BIN)/python -m bench.p4_listing
	$(BIN)/python -m bench.p5_import
	$(BIN)/python -m bench.r1_resilience
	$(BIN)/python -m bench.r1_resilience --database postgres

# Several machines on loopback (bench/cluster.py): two app servers behind HAProxy, PostgreSQL,
# Redis, the worker; needs haproxy, redis-server and PostgreSQL 15. The suite runs it --short.
.PHONY: bench-cluster
bench-cluster: $(VENV)/.installed-dev
	$(BIN)/python -m bench.cluster $(CLUSTER_ARGS)

# Update the Dutch catalogues after changing source strings (needs GNU gettext), then
# translate the new entries in */locale/nl/LC_MESSAGES/django.po and run this again.
# The compiled .mo files are committed, so a machine without gettext still serves Dutch.
messages: $(VENV)/.installed-dev
	$(MANAGE) makemessages -l nl --ignore=.venv --ignore=tests --ignore=bench --no-obsolete
	$(MANAGE) compilemessages --ignore=.venv

clean-venv:
	rm -rf $(VENV)
