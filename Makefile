# fdsa — `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
WAREHOUSE ?= data/warehouse/fdsa.duckdb
SCALE ?= 1
SEED ?= 20240517
PYTEST_ARGS ?=

.DEFAULT_GOAL := help

## help: list the targets
help:
	@grep -E '^## ' $(MAKEFILE_LIST) | sed 's/^## /  /'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,dask,lab]'
	$(BIN)/python -m ipykernel install --sys-prefix --name fdsa --display-name "fdsa (.venv)" >/dev/null
	@touch $@

## install: create .venv if missing and install fdsa with its dev tools
install: $(STAMP)

## demo: install, build the demo warehouse (simulated market + the real salary index), run the reports
demo: install
	$(BIN)/fdsa synth --scale $(SCALE) --seed $(SEED) --out $(WAREHOUSE)
	$(BIN)/fdsa ingest data/raw/aijobs_salaries/salaries.csv --format aijobs-salaries --warehouse $(WAREHOUSE)
	$(BIN)/fdsa batch reports/runs.yaml --warehouse $(WAREHOUSE) --out reports --force
	@echo "reports: $(CURDIR)/reports/index.html"

## test: run the whole test suite
test: install
	$(BIN)/python -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

## lint: ruff check and format check, mypy on fdsa/, notebooks without outputs
lint: install
	$(BIN)/ruff check fdsa tests bench tools
	$(BIN)/ruff format --check fdsa tests bench tools
	$(BIN)/mypy
	$(BIN)/python tools/strip_outputs.py --check notebooks/*.ipynb

## format: ruff format the code
format: install
	$(BIN)/ruff format fdsa tests bench tools

## dictionary: regenerate docs/data_dictionary.md from the schema comments
dictionary: install
	$(BIN)/fdsa warehouse dictionary

## niche-model: retrain the shipped niche model from data/labelled (seeded; same file again)
niche-model: install
	$(BIN)/python -m fdsa.ingest.niche_model

## bench: run every benchmark and rewrite bench/RESULTS.md (about 20 min, scale 20 needs ~3 GB)
bench: install
	$(BIN)/python bench/bench_ingest.py --rows 1000000
	$(BIN)/python bench/bench_synth.py --scales 1 20
	$(BIN)/python bench/bench_analysis.py --scales 1 20 --repeat 3
	$(BIN)/python bench/bench_reports.py

## lab: open JupyterLab on notebooks/ with the project's kernel; notebooks read $(WAREHOUSE)
lab: install
	@$(BIN)/jupyter kernelspec list | grep -qE '^ +fdsa ' || $(BIN)/python -m ipykernel install \
		--sys-prefix --name fdsa --display-name "fdsa (.venv)"
	FDSA_WAREHOUSE=$(abspath $(WAREHOUSE)) $(BIN)/jupyter lab notebooks/ \
		$(if $(filter 0,$(shell id -u)),--allow-root)

## clean: remove the built warehouse and reports (keeps .venv)
clean:
	rm -rf data/warehouse/*.duckdb* reports/*/ reports/index.html reports/manifest.json

.PHONY: help install demo test lint format dictionary niche-model bench lab clean
