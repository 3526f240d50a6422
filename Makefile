# One-command set-up on a fresh machine: `make serve` (site) and `make test` (suite).
# Every target installs what it needs: a Python venv, the vendored browser assets
# (Pyodide, NumPy wheel, KaTeX) and, for tests, Debian's Chromium. The venv has two
# levels: `serve`/`site` install only requirements-site.txt (MkDocs, NumPy: about 350 MB);
# everything else installs requirements.txt (that plus torch and the tests: about 6 GB).

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
SITE_STAMP := $(VENV)/.site-$(shell cat requirements-site.txt | sha1sum | cut -c1-12)
STAMP := $(VENV)/.installed-$(shell cat requirements-site.txt requirements.txt | sha1sum | cut -c1-12)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export NO_MKDOCS_2_WARNING := 1

.PHONY: help site-venv venv node vendor generated data chromium site serve test test-fast bench figures figures-quick notebooks clean

help:
	@echo "make serve    build and serve the site on http://127.0.0.1:8000 (live reload)"
	@echo "make site     build the site into site/"
	@echo "make test     install everything the tests need, then run them"
	@echo "make test-fast  the edit-test loop: every test but Chromium and training (< 3 min)"
	@echo "make bench    benchmarks (browser start-up, demos, training)"
	@echo "make figures  train the models and regenerate docs/figures/ (GPU if any)"
	@echo "make generated  recompute the tables and exercise answers in docs/generated/ (torch)"
	@echo "make notebooks  execute docs/notebooks/*.ipynb and store their outputs"

# The site level: what `mkdocs build` imports (no torch: it reads docs/generated/).
$(SITE_STAMP): requirements-site.txt
	@[ -x $(PY) ] || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --disable-pip-version-check -q -r requirements-site.txt
	@rm -f $(VENV)/.site-*; touch $@

# The full level: torch, the figures' and the tests' packages (requirements.txt includes
# the site's file), and lecture_models installed editable.
$(STAMP): requirements.txt requirements-site.txt
	@[ -x $(PY) ] || $(PYTHON) -m venv $(VENV)
	@free=$$(df -Pk . | awk 'NR==2 {print int($$4 / 1048576)}'); \
	if [ "$$free" -lt 7 ]; then \
	  echo "warning: $$free GB free on this disk; the full venv (torch's CUDA build) takes about 6 GB, Chromium 0.5 GB."; \
	  echo "         If pip stops with 'No space left on device', free some space and run make test again."; \
	fi
	$(PY) -m pip install --disable-pip-version-check -q -r requirements.txt
	$(PY) -m pip install --disable-pip-version-check -q --no-deps -e .
	@rm -f $(VENV)/.installed-* $(VENV)/.site-*; touch $@ $(SITE_STAMP)

site-venv: $(SITE_STAMP)

venv: $(STAMP)

# Node's npm fetches the pinned browser packages (Pyodide, KaTeX, CodeMirror, Workbox).
node:
	@if ! command -v npm >/dev/null; then \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq nodejs npm >/dev/null; \
	fi

vendor: site-venv node
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
	$(PY) -m sitebuild.generated --write

figures-quick: data
	$(PY) -m lecture_models figures --quick $(ARGS)
	$(PY) -m sitebuild.generated --write

# The lectures' tables and the exercises' answers, computed with torch and committed; the
# site build only reads them (tests/test_generated.py fails when they are stale).
generated: venv
	$(PY) -m sitebuild.generated --write

# Re-run the notebooks (CPU, a few minutes each) and stamp them; tests/test_notebooks.py checks the stamp.
notebooks: data
	$(PY) -m sitebuild.notebooks $(ARGS)

clean:
	rm -rf site .pytest_cache
