# The README's commands. `make run` and `make test` do all the set-up on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/rss_dashboard
REDIS_TEST_URL ?= redis://127.0.0.1:6379/15

.PHONY: run test test-fast test-sqlite install test-tools lint format typecheck lock migrations-check bench screenshots clean

$(BIN)/activate: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(BIN)/activate

install: $(BIN)/activate

# Test tools from npm (package.json: devDependencies only; the app itself has no build step): the
# Nu Html Checker (run with Java) and axe-core for the browser tests. --ignore-scripts: vnu-jar's
# install script would download a Java of its own; the system's is used. Without npm the browser
# tests' HTML and accessibility checks skip locally (and fail in CI, RSS_REQUIRE_ALL=1).
NODE_TOOLS := node_modules/.package-lock.json
$(NODE_TOOLS): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error && touch $(NODE_TOOLS); \
	else echo "npm not found: the browser tests' HTML and accessibility checks will skip"; fi

test-tools: $(NODE_TOOLS)

# The embedded default: SQLite, Celery inline, email to the console, demo data, printed logins.
run: install
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py seed_demo --if-empty
	$(BIN)/python manage.py runserver 127.0.0.1:8000

# The whole suite, on PostgreSQL and Redis as in production (both run on this kind of machine).
test: install test-tools
	DATABASE_URL=$${DATABASE_URL:-$(PG_URL)} TEST_REDIS_URL=$${TEST_REDIS_URL:-$(REDIS_TEST_URL)} \
	  $(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

# Retake the screenshots of the README, docs/office.md and docs/pars.md (docs/screenshots/*.png).
screenshots: install test-tools
	RSS_SCREENSHOTS=1 DATABASE_URL=$${DATABASE_URL:-$(PG_URL)} \
	  $(BIN)/python -m pytest -p no:xdist tests/activities/test_e2e_dashboard.py \
	  tests/disclosures/test_e2e_office_morning.py tests/pars/test_e2e_pars.py \
	  tests/faculty/test_e2e_identity_office.py

# The quick loop (under a minute): rules, services and reads on SQLite without migrations, in one
# process (at this size two workers cost more than they save). Leaves out what renders pages (the
# test client), serves HTTP or drives a browser, transactional tests and tests marked `slow`
# (LibreOffice, nginx, subprocesses): see --fast in tests/conftest.py. `make test` runs everything.
test-fast: install
	DATABASE_URL= $(BIN)/python -m pytest -p no:xdist --fast --no-migrations -q $(PYTEST_ARGS)

# Quick local loop without services (tests marked postgres/redis are skipped).
test-sqlite: install test-tools
	$(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# mypy with django-stubs on the rules, services and selectors of every app ([tool.mypy] in
# pyproject.toml finds them by file name).
typecheck: install
	$(BIN)/mypy

# The production image installs exact, hashed versions from requirements.lock: refresh it after
# changing [project] dependencies in pyproject.toml (a test fails until it is refreshed).
lock: install
	$(BIN)/uv pip compile pyproject.toml --python-version 3.11 --generate-hashes --quiet \
	  --output-file requirements.lock

migrations-check: install
	$(BIN)/python manage.py makemigrations --check --dry-run

# Institution-scale benchmarks (issue 8): builds PostgreSQL `rss_bench` with `seed_demo --scale 10`,
# serves it with gunicorn (2 workers), prints one table, exits 1 if a target is missed. Not a test.
# BENCH_ARGS, e.g. `--reuse` (keep an existing rss_bench) or `--skip-sms --skip-flyer`.
bench: install
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 var node_modules
