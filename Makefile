# Samenspraak: the two promised commands are `make run` and `make test`.
# Every target creates or updates .venv itself, so nothing else is needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint format typecheck messages clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

## Start the platform with the demo data on http://127.0.0.1:8000
run: $(STAMP)
	$(BIN)/samenspraak run

## Run every test: lint of the layers, types of the core, unit, app and browser tests
test: $(STAMP)
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

typecheck: $(STAMP)
	$(BIN)/mypy

## Refresh the Dutch translations: extract, apply tools/nl_translations.py, compile (needs GNU gettext)
messages: $(STAMP)
	cd src/samenspraak && ../../$(BIN)/samenspraak makemessages -l nl --no-obsolete --no-location
	$(BIN)/python tools/fill_po.py
	cd src/samenspraak && ../../$(BIN)/samenspraak compilemessages -l nl

## Benchmarks against the field's reference libraries (GPL or heavy): their own venv
## benchmarks/.venv, never a product dependency. See docs/benchmarks.md (BENCH_* variables,
## figures). `make bench BENCH=budget` runs one of them.
BENCH ?= sortition budget frameworks pb consultation_load
.PHONY: bench
bench:
	@test -x benchmarks/.venv/bin/python || $(PYTHON) -m venv benchmarks/.venv
	benchmarks/.venv/bin/python -m pip install --quiet --upgrade pip
	benchmarks/.venv/bin/python -m pip install --quiet -e . -r benchmarks/requirements.txt
	@for name in $(BENCH); do benchmarks/.venv/bin/python -m benchmarks.$$name || exit 1; done

clean:
	rm -rf $(VENV) var/*.sqlite3 var/static
