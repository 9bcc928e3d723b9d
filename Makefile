# litreview: two commands to start. `make demo` opens the guided notebook, `make test` runs everything.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
APT_TEST_PACKAGES := chromium texlive-binaries texlive-base texlive-latex-base biber \
  texlive-latex-recommended texlive-bibtex-extra postgresql
PYTEST_ARGS ?=

.PHONY: demo test lint format bench venv install-notebook install-test system-test-deps clean

venv: $(BIN)/python

$(BIN)/python:
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq python3-venv && $(PYTHON) -m venv $(VENV); \
	  else echo "python3 -m venv failed: install python3-venv (sudo apt-get install python3-venv)"; exit 1; fi; }
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.notebook-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e ".[notebook]"
	touch $@

$(VENV)/.test-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e ".[test]"
	touch $@ $(VENV)/.notebook-installed

install-notebook: $(VENV)/.notebook-installed
install-test: $(VENV)/.test-installed system-test-deps

# Browser and TeX tools the tests drive; installed when running as root (CI), required otherwise.
system-test-deps:
	@missing=""; \
	for tool in chromium bibtex biber pdflatex; do command -v $$tool >/dev/null || missing="$$missing $$tool"; done; \
	kpsewhich biblatex.sty >/dev/null 2>&1 || missing="$$missing biblatex.sty"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then echo "installing$$missing (Debian packages)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(APT_TEST_PACKAGES) >/dev/null; \
	  else echo "the tests need$$missing: sudo apt-get install $(APT_TEST_PACKAGES)"; exit 1; fi; \
	fi

# The demo runs a copy in exports/ (git-ignored), so the tracked notebook never gets outputs;
# the copy is refreshed only when notebooks/review.ipynb is newer.
demo: install-notebook exports/review.ipynb
	$(BIN)/jupyter lab exports/review.ipynb $(if $(filter 0,$(shell id -u)),--allow-root)

exports/review.ipynb: notebooks/review.ipynb
	mkdir -p exports
	cp $< $@

lint: $(VENV)/.test-installed
	$(BIN)/ruff check litreview tests benchmarks
	$(BIN)/ruff format --check litreview tests benchmarks
	$(BIN)/mypy

format: $(VENV)/.test-installed
	$(BIN)/ruff format litreview tests benchmarks
	$(BIN)/ruff check --fix litreview tests benchmarks

test: install-test lint
	$(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

bench: $(VENV)/.notebook-installed
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
