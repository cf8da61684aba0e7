# The README's commands. `make run`: set up and serve the demo; `make test`: set up and run the suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test install system-deps assets translations translations-update demo lint bench clean

run: install
	$(BIN)/flask --app wsgi db upgrade
	$(BIN)/flask --app wsgi demo
	$(BIN)/flask --app wsgi run --host $(HOST) --port $(PORT)

test: install
	$(BIN)/ruff check .
	$(BIN)/python -m pytest $(PYTEST_ARGS)

install: system-deps $(VENV)/.installed assets translations

system-deps:
	@bash scripts/system-deps.sh

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
		-o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching \
		--no-wrap --ignore-obsolete
	$(BIN)/python scripts/fill_en_catalog.py

demo: install
	$(BIN)/flask --app wsgi db upgrade
	$(BIN)/flask --app wsgi demo

lint: $(VENV)/.installed
	$(BIN)/ruff check .

bench: install
	@for script in benchmarks/bench_*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) instance static/vendor .pytest_cache
