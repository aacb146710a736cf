# The book's two commands: `make book` builds the site, `make test` tests everything.
# Each creates .venv and installs the project into it on first use.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
JOBS   ?= 2
LEDGER := _build/claims/ledger.json
SWEEP  := $(BIN)/python tests/seed_sweep.py --jobs $(JOBS)
N      ?= 10

.PHONY: book test unit notebooks sweep seeds benchmark lab clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,docs]'
	touch $(STAMP)

## The claims ledger: every chapter at its default seed and at seeds 1 and 2 (redone
## when a chapter or synthbio changes). The book's claims-ledger page is built from it.
$(LEDGER): $(STAMP) $(wildcard book/*.ipynb) $(wildcard synthbio/*.py)
	$(SWEEP) --seeds 2 --output $@ || { rm -f $@; exit 1; }

## Build the site into _build/html (executes the notebooks; cached between builds).
book: $(LEDGER)
	$(BIN)/jupyter-book build .

## The seed sweep (every claim must hold at three seeds per chapter), a strict book
## build (warnings are errors), then unit tests, every notebook under nbval, the
## browser test of the built site and the Binder rehearsal.
test: sweep
	$(BIN)/jupyter-book build . -W --keep-going
	$(BIN)/pytest -n $(JOBS) --dist loadscope --cov=synthbio --cov-report=term

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
	$(BIN)/python -m pip install --quiet jupyterlab
	$(BIN)/jupyter lab book/

clean:
	rm -rf _build .pytest_cache .hypothesis
