# Customer health on dbt + DuckDB. `make demo` and `make test` do everything from a fresh clone.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
DBT := $(BIN)/dbt

# Sample data: generated unless RAW_DATA_DIR points at your own landed data.
ACCOUNTS ?= 2000
SEED ?= 42
# contract (the raw contract's tables) or connectors (the same customers as Fivetran, Segment and a
# survey tool land them; the build then reads them with the `connectors` setting the sample states).
SHAPE ?= contract
SAMPLE_DIR := $(CURDIR)/data
ifdef RAW_DATA_DIR
GENERATE_SAMPLE := no
else
GENERATE_SAMPLE := yes
RAW_DATA_DIR := $(SAMPLE_DIR)/raw
endif
TRUTH_DIR ?= $(SAMPLE_DIR)/truth

export RAW_DATA_DIR
export DBT_PROFILES_DIR := $(CURDIR)
export DBT_DUCKDB_PATH ?= $(CURDIR)/build/dev.duckdb
# What BI tools read: the last passing build, swapped in atomically by `make publish`.
SERVE_DIR ?= $(CURDIR)/build/serve
# Benchmark: one scale (BENCH_ACCOUNTS) or several (BENCH_SCALES=2000,20000); BENCH_ARGS for more
# (e.g. --skip-tests --repeat 3). Data, databases and bench_<accounts>.json go in build/bench/.
BENCH_ACCOUNTS ?= 20000
BENCH_SCALES ?=
BENCH_ARGS ?=

.PHONY: help venv data build publish summary demo lint test gx calibrate scenario docs bench clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

venv: $(VENV)/.installed  ## create the virtualenv with the pinned toolchain

data: venv  ## generate the sample raw data (skipped when RAW_DATA_DIR is yours)
ifeq ($(GENERATE_SAMPLE),yes)
	@params="accounts=$(ACCOUNTS) seed=$(SEED) shape=$(SHAPE)"; \
	if [ "$$(cat $(SAMPLE_DIR)/.params 2>/dev/null)" != "$$params" ]; then \
	  $(BIN)/python -m python_checks.generate --accounts $(ACCOUNTS) --seed $(SEED) \
	    --shape $(SHAPE) --out $(RAW_DATA_DIR) --truth $(TRUTH_DIR); \
	  echo "$$params" > $(SAMPLE_DIR)/.params; \
	else echo "Sample data for $$params already in $(SAMPLE_DIR)"; fi
else
	@echo "Using your raw data in $(RAW_DATA_DIR)"
endif

build: data  ## dbt build (seeds, models and their tests) into build/dev.duckdb
	@mkdir -p $(dir $(DBT_DUCKDB_PATH))
ifeq ($(GENERATE_SAMPLE)$(SHAPE),yesconnectors)
	$(DBT) build --vars "{\"connectors\": $$(tr -d '\n' < $(RAW_DATA_DIR)/_connectors.json)}"
else
	$(DBT) build
endif

publish: build  ## serve the passing build to BI tools: build/serve/health.duckdb + Parquet
	$(BIN)/python -m python_checks.publish --build-db $(DBT_DUCKDB_PATH) --serve-dir $(SERVE_DIR)

summary: venv  ## print what the marts say
	$(BIN)/python -m python_checks.summary --database $(DBT_DUCKDB_PATH)

demo: build publish summary  ## set up, generate sample data, build, publish, print a summary

lint: venv  ## sqlfluff on the models, ruff on the Python
	$(BIN)/sqlfluff lint models analyses
	$(BIN)/ruff check python_checks
	$(BIN)/ruff format --check python_checks

test: build lint  ## everything that checks the project: dbt build + tests, lint, pytest
	$(DBT) source freshness || echo "(source freshness: stale sources are reported above as warnings)"
	$(BIN)/python -m pytest -q python_checks

gx: venv  ## Great Expectations suites on the marts; Data Docs in build/gx_docs (PREVIOUS=db for drift)
	$(BIN)/python -m python_checks.gx_suites --database $(DBT_DUCKDB_PATH) --docs-dir build/gx_docs \
	  $(if $(PREVIOUS),--previous $(PREVIOUS))

calibrate: venv  ## propose weights from the back-test: build/calibration/ (never edits seeds/)
	$(BIN)/python -m python_checks.calibrate --database $(DBT_DUCKDB_PATH) --out build/calibration

scenario: venv  ## re-score under WEIGHTS=file.csv and compare with the build: build/scenarios/
	@test -n "$(WEIGHTS)" || { echo "usage: make scenario WEIGHTS=path/to/weights.csv"; exit 2; }
	$(BIN)/python -m python_checks.scenario compare --weights $(WEIGHTS) --database $(DBT_DUCKDB_PATH) \
	  --out build/scenarios

docs: build  ## dbt docs into target/ (open target/index.html)
	$(DBT) docs generate

bench: venv  ## time raw load, full build, tests, a daily run and a DuckDB floor, with peak memory
	$(BIN)/python -m python_checks.bench --accounts $(BENCH_ACCOUNTS) \
	  $(if $(BENCH_SCALES),--scales $(BENCH_SCALES)) $(BENCH_ARGS)

clean:  ## remove build output (keeps the venv and sample data)
	rm -rf target logs build
