# One-command set-up on a fresh machine: `make serve` (site) and `make test` (suite).
# Every target installs what it needs: a Python venv from requirements.txt, the
# vendored browser assets (Pyodide, NumPy wheel, KaTeX) and, for tests, Debian's Chromium.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell sha1sum requirements.txt | cut -c1-12)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export NO_MKDOCS_2_WARNING := 1

.PHONY: help venv node vendor data chromium site serve test test-fast bench figures figures-quick notebooks clean

help:
	@echo "make serve    build and serve the site on http://127.0.0.1:8000 (live reload)"
	@echo "make site     build the site into site/"
	@echo "make test     install everything the tests need, then run them"
	@echo "make test-fast  the edit-test loop: every test but Chromium and training (< 3 min)"
	@echo "make bench    benchmarks (browser start-up, demos, training)"
	@echo "make figures  train the models and regenerate docs/figures/ (GPU if any)"
	@echo "make notebooks  execute docs/notebooks/*.ipynb and store their outputs"

$(STAMP): requirements.txt
	@[ -x $(PY) ] || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --disable-pip-version-check -q -r requirements.txt
	$(PY) -m pip install --disable-pip-version-check -q --no-deps -e .
	@rm -f $(VENV)/.installed-*; touch $@

venv: $(STAMP)

# Node's npm fetches the pinned browser packages (Pyodide, KaTeX, CodeMirror, Workbox).
node:
	@if ! command -v npm >/dev/null; then \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq nodejs npm >/dev/null; \
	fi

vendor: venv node
	$(PY) -m sitebuild.vendor
	$(PY) -m sitebuild.editor

data: venv
	$(PY) -m lecture_models data

chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium fonts-dejavu-core >/dev/null; \
	fi
	@/usr/bin/chromium --version 2>/dev/null | head -1

site: vendor
	$(PY) -m mkdocs build --strict

serve: vendor
	$(PY) -m mkdocs serve --strict --livereload -a 127.0.0.1:8000

# COURSE_STRICT=1: a skipped test fails (tests/conftest.py): data and Chromium are installed here.
test: vendor data chromium
	COURSE_STRICT=1 $(PY) -m pytest

# The edit-test loop: everything except the Chromium tests and the training runs.
test-fast: vendor data
	$(PY) -m pytest --fast

bench: vendor data chromium
	PYTHONPATH=.:tests $(PY) tests/benchmarks/run.py $(ARGS)

figures: data
	$(PY) -m lecture_models figures $(ARGS)

figures-quick: data
	$(PY) -m lecture_models figures --quick $(ARGS)

# Re-run the notebooks (CPU, a few minutes each) and stamp them; tests/test_notebooks.py checks the stamp.
notebooks: data
	$(PY) -m sitebuild.notebooks $(ARGS)

clean:
	rm -rf site .pytest_cache
