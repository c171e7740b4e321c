# The two commands of the README: `make build` and `make test`. Both set up .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

export NO_MKDOCS_2_WARNING := 1

.PHONY: build test test-fast lint check serve bench a11y clean icc

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

build: $(STAMP)
	$(BIN)/clss build

test: $(STAMP)
	$(BIN)/python -m pytest -n auto --dist loadgroup

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

# the press profile of the print edition (plugins/clss/icc/README.md): made again from Debian's
# FOGRA39 data with ArgyllCMS; not needed to build, the profile is in the repository
ICC := plugins/clss/icc/CLSS-FOGRA39L-300.icc
icc:
	@command -v colprof >/dev/null && test -f /usr/share/color/icc/FOGRA39L.ti3 || \
	  { $$(command -v sudo) apt-get update -q && $$(command -v sudo) apt-get install -y -q --no-install-recommends argyll icc-profiles-free; }
	rm -rf .icc-tmp && mkdir .icc-tmp && cp /usr/share/color/icc/FOGRA39L.ti3 .icc-tmp/
	cd .icc-tmp && colprof -v -ql -kr -l300 -L95 -nc -S /usr/share/color/argyll/ref/sRGB.icm -cmt -dpp \
	  -D "CLSS-FOGRA39L-300: coated FOGRA39, total ink 300%, black 95% (ArgyllCMS colprof from FOGRA39L.ti3)" \
	  -C "Made from FOGRA39L.ti3 (icc-profiles-free, (c) Kai-Uwe Behrmann, zlib licence) with ArgyllCMS colprof 2.3.1; zlib licence" \
	  FOGRA39L >colprof.log
	mv .icc-tmp/FOGRA39L.icc $(ICC) && rm -rf .icc-tmp

clean:
	rm -rf build $(VENV)
