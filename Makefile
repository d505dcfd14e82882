# The two commands: `make run` and `make test`. Both set up whatever is missing first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
BROWSER := $(VENV)/.browser
# The workbench (web/): installed from its lockfile, built into web/dist, served at `/`.
WEB_MODULES := web/node_modules/.installed
WEB_BUILT := web/dist/index.html
WEB_SOURCES := $(shell find web/src -type f 2>/dev/null) web/index.html web/vite.config.ts web/tsconfig.json

.PHONY: run test test-fast setup lint schema bench clean

run: setup
	$(BIN)/jiandu dev

test: setup $(BROWSER)
	$(BIN)/pytest

# The tests that need no server (step tables, dates, words, files, limits): seconds.
test-fast: setup
	$(BIN)/pytest -m "not servers"

setup: $(STAMP) $(WEB_BUILT)

# Reinstalled when the dependency list changes.
$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "jiandu needs Python 3.11 or newer; set PYTHON=python3.11")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/jiandu servers install
	touch $@

$(WEB_MODULES): web/package-lock.json
	cd web && npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(WEB_BUILT): $(WEB_MODULES) $(WEB_SOURCES)
	cd web && npm run --silent build -- --logLevel warn

# Debian's Chromium and ChromeDriver for the workbench's browser tests.
$(BROWSER): $(STAMP)
	$(BIN)/jiandu servers install --browser
	touch $@

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	cd web && npm run --silent typecheck && npm run --silent codegen:check

bench: setup
	$(BIN)/python -m bench

schema: setup
	$(BIN)/jiandu schema export
	cd web && npm run --silent codegen

clean:
	rm -rf $(VENV) .jiandu web/node_modules web/dist
