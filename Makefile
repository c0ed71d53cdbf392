# Two commands do everything on a fresh clone: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
ARGS ?=

.PHONY: run test lint format eval bench install install-dev clean mutate

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install -q -e .

install-dev: $(BIN)/python
	$(BIN)/pip install -q -e '.[dev]'

run: install
	$(BIN)/python -m web $(ARGS)

test: install-dev
	$(BIN)/python -m pytest -q $(ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

eval: install
	$(BIN)/python evaluate.py $(ARGS)

bench: install
	$(BIN)/python benchmarks/ask_latency.py
	$(BIN)/python benchmarks/scale.py $(ARGS)

# Mutation testing of the modules that carry trust (docs/testing.md); slow, not part of CI.
mutate: install-dev
	$(BIN)/pip install -q -e '.[dev,mutation]'
	$(BIN)/python tools/mutate.py $(ARGS)

clean:
	rm -rf $(VENV) .pytest_cache test-results mutants mutation-results *.egg-info

# Load on loopback: 32 clients for 60 s against `python -m web` as `make run` starts it (ARGS="--requests 20000").
.PHONY: load
load: install
	$(BIN)/python benchmarks/load.py $(ARGS)
