# The README's commands. `make run`: set up and serve the demo; `make test`: set up and run the suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
# `make run` and `make demo` are a trial on this machine: the development configuration (the built-in
# SECRET_KEY accepted) unless EVENTHUB_CONFIG says otherwise. Without EVENTHUB_CONFIG EventHub
# starts as production, which refuses that key.
DEV := EVENTHUB_CONFIG=$${EVENTHUB_CONFIG:-development}

.PHONY: run test install system-deps test-deps assets translations translations-update demo lint bench load clean

run: install
	$(DEV) $(BIN)/flask --app wsgi db upgrade
	$(DEV) $(BIN)/flask --app wsgi demo
	$(DEV) $(BIN)/flask --app wsgi run --host $(HOST) --port $(PORT)

# The fast suite, then the slow one (browser, fault and schema-fuzz tests, marked `slow`) once: in the
# SQLite pass (TEST_DATABASE_URL unset), since .ci/run calls `make test` twice; their PostgreSQL faults
# use a database of their own either way. SLOW=yes|no overrides. pytest's 5 ("no test selected", e.g.
# PYTEST_ARGS naming fast tests only) is not a failure of the slow step.
SLOW ?= $(if $(TEST_DATABASE_URL),no,yes)

test: test-deps install
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -m "not slow" $(PYTEST_ARGS)
	@if [ "$(SLOW)" = yes ]; then \
		$(BIN)/python -m pytest -m slow $(PYTEST_ARGS); status=$$?; \
		if [ $$status -eq 5 ]; then status=0; fi; exit $$status; \
	else echo "Slow tests (browser, faults, schema fuzz) run in the SQLite pass; SLOW=yes runs them here."; fi

# 5,000 registrations then 5,000 check-ins against gunicorn + PostgreSQL + Redis (docs/performance.md).
load: install
	@bash scripts/services.sh
	$(BIN)/python benchmarks/load_test.py

# The production install tried for real: the README's production extras alone in a fresh venv (in a
# temporary folder), every module imported, gunicorn serving the demo, an HTTP smoke test. .ci/run runs it
# after the two suites.
.PHONY: smoke-production
smoke-production: system-deps
	bash scripts/prod_smoke.sh

install: system-deps $(VENV)/.installed assets translations

# The system packages the app needs (PDF rendering, fonts); `make test` adds the tests' own (poppler-utils,
# chromium). Installed with apt-get as root, otherwise named (exit 1).
system-deps:
	@bash scripts/system-deps.sh app

test-deps:
	@bash scripts/system-deps.sh test

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

assets: $(VENV)/.installed node_modules/.installed
	$(BIN)/python -m eventhub.assets

# Front-end packages from npm (the camera QR decoder); skipped with a warning where npm is missing.
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --ignore-scripts --loglevel=error && touch $@; \
	else echo "warning: npm not found: the check-in desk will have no camera scanner" >&2; fi

# Compiles the catalogs in translations/ (the .mo files are build output, not committed).
translations: $(VENV)/.installed
	$(BIN)/pybabel compile --statistics -d translations 2>&1 | grep -v '^$$' || true

# After adding user-facing strings: extract them and merge into both catalogs, then translate.
translations-update: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k lazy_ngettext:1,2 --no-location --sort-output \
		--ignore-dirs '.* __pycache__' \
		-o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching \
		--no-wrap --ignore-obsolete
	$(BIN)/python scripts/fill_en_catalog.py

demo: install
	$(DEV) $(BIN)/flask --app wsgi db upgrade
	$(DEV) $(BIN)/flask --app wsgi demo

lint: $(VENV)/.installed
	$(BIN)/ruff check .

bench: install
	@for script in benchmarks/bench_*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) instance static/vendor .pytest_cache
