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

.PHONY: help setup run test test-corpora check site lab bench model clean

help: ## List the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

setup: $(STAMP) ## Create .venv and install the pinned dependencies and the package

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $(STAMP)

# make run: every notebook in place on the seeds, then results/ and build/interactive/.
# make run CORPUS=path: another collection (a folder of articles or one .csv/.jsonl/.parquet table);
# executed copies, figures, results/ and interactive/ go to build/<name>/ (or OUT=dir), and the
# committed notebooks and figures/ are never touched. Both end with a report of every step. Work runs
# side by side only where its estimated memory fits in what is available (MEMORY=GiB sets that amount).
RUN_ENV := $(if $(SPLIT_DATE),MINSK_MOSCOW_SPLIT_DATE="$(SPLIT_DATE)") \
  MINSK_MOSCOW_UNLISTED="$(if $(UNLISTED),$(UNLISTED),$(if $(CORPUS),infer,error))"
run: setup ## Execute every notebook in place, write figures/ and results/ (CORPUS=dir or table file: into build/<name>/)
	$(RUN_ENV) $(BIN)/python -m minsk_moscow.rerun $(if $(CORPUS),"$(CORPUS)") $(if $(OUT),--out "$(OUT)") $(if $(MEMORY),--memory "$(MEMORY)")

# The test commands keep Python's bytecode cache (the git-ignored __pycache__/ folders) even where
# PYTHONDONTWRITEBYTECODE is set: without it every test process compiles the package and the test
# files again and pytest rewrites the asserts of every test file anew (benchmarks/README.md).
PYTEST := env -u PYTHONDONTWRITEBYTECODE $(BIN)/python -m pytest

test: setup ## Unit tests, doctests and strict nbval over every notebook, in one pytest call
	$(PYTEST)

check: setup ## Quick edit-test loop: unit tests and doctests only, on two test workers (no notebooks, no end-to-end runs, no browser, no slow checks)
	$(PYTEST) -q -p no:nbval -o addopts="-ra --doctest-modules -n 2 --dist loadfile" \
	  -m "not e2e and not corpora and not slow" src tests --ignore=tests/test_site.py

test-corpora: setup ## make run CORPUS=... on every test corpus of tests/corpora.py (a few minutes; not in make test)
	$(PYTEST) -p no:nbval -o addopts="-ra" -m "corpora or not corpora" tests/test_rerun.py

site: setup ## Build the README and notebooks as a static HTML site in build/site/ (offline, notebooks not re-executed)
	$(BIN)/python -m minsk_moscow.interactive --out build/interactive
	$(BIN)/python -m minsk_moscow.site

bench: setup ## Time each pipeline stage on synthetic corpora of 1,000 and 10,000 articles, and the hostile inputs at two sizes
	$(BIN)/python benchmarks/run_benchmarks.py
	$(BIN)/python benchmarks/hostile.py --sizes 64 128

model: setup ## Retrain the shipped tone model (src/minsk_moscow/tone/data/tone_model.json) from the labelled files
	$(BIN)/python -c "from minsk_moscow.tone.model import main; raise SystemExit(main())"

lab: setup ## Open JupyterLab on the project
	$(BIN)/jupyter lab --notebook-dir=.

clean: ## Remove the virtual environment and caches
	rm -rf $(VENV) .pytest_cache build src/*.egg-info
