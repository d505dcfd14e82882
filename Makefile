# The two commands: `make run` and `make test`. Both set up whatever is missing first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-fast setup lint schema bench clean

run: setup
	$(BIN)/jiandu dev

test: setup
	$(BIN)/pytest

# The tests that need no server (step tables, dates, words, files, limits): seconds.
test-fast: setup
	$(BIN)/pytest -m "not servers"

setup: $(STAMP)

# Reinstalled when the dependency list changes.
$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "jiandu needs Python 3.11 or newer; set PYTHON=python3.11")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/jiandu servers install
	touch $@

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: setup
	$(BIN)/python -m bench

schema: setup
	$(BIN)/jiandu schema export

clean:
	rm -rf $(VENV) .jiandu
