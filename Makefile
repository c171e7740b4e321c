# The two commands of the README: `make build` and `make test`. Both set up .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

export NO_MKDOCS_2_WARNING := 1

.PHONY: build test test-fast lint check serve bench a11y clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

build: $(STAMP)
	$(BIN)/clss build

test: $(STAMP)
	$(BIN)/python -m pytest

# the unit tier: load, checks, assembly… in-process, no subprocess or full build (<= 60 s)
lint: $(STAMP)
	$(BIN)/ruff check plugins/clss
	cd plugins && ../$(BIN)/mypy -p clss

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not e2e"

check: $(STAMP)
	$(BIN)/clss check

serve: $(STAMP)
	$(BIN)/clss serve

bench: $(STAMP)
	$(BIN)/python bench/run.py

a11y: $(STAMP)
	bash tests/a11y/run.sh

clean:
	rm -rf build $(VENV)
