# minsk-moscow: two commands do everything (see README).
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NOTEBOOKS := $(sort $(wildcard notebooks/[0-9][0-9]_*.ipynb))
# Stable ordering of printed sets/dicts of strings, for strict nbval comparisons.
export PYTHONHASHSEED := 0

.PHONY: help setup run test lab bench clean

help: ## List the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

setup: $(STAMP) ## Create .venv and install the pinned dependencies and the package

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $(STAMP)

run: setup ## Execute every notebook in order, in place, and write every figure to figures/
	$(BIN)/jupyter nbconvert --to notebook --execute --inplace \
	  --ExecutePreprocessor.record_timing=False --ExecutePreprocessor.timeout=900 $(NOTEBOOKS)

test: setup ## Unit tests, doctests and strict nbval over every notebook, in one pytest call
	$(BIN)/python -m pytest

bench: setup ## Time each pipeline stage on synthetic corpora of 1,000 and 10,000 articles
	$(BIN)/python benchmarks/run_benchmarks.py

lab: setup ## Open JupyterLab on the project
	$(BIN)/jupyter lab --notebook-dir=.

clean: ## Remove the virtual environment and caches
	rm -rf $(VENV) .pytest_cache build src/*.egg-info
