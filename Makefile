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

.PHONY: help venv data build summary demo lint test docs clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

venv: $(VENV)/.installed  ## create the virtualenv with the pinned toolchain

data: venv  ## generate the sample raw data (skipped when RAW_DATA_DIR is yours)
ifeq ($(GENERATE_SAMPLE),yes)
	@params="accounts=$(ACCOUNTS) seed=$(SEED)"; \
	if [ "$$(cat $(SAMPLE_DIR)/.params 2>/dev/null)" != "$$params" ]; then \
	  $(BIN)/python -m python_checks.generate --accounts $(ACCOUNTS) --seed $(SEED) \
	    --out $(RAW_DATA_DIR) --truth $(TRUTH_DIR); \
	  echo "$$params" > $(SAMPLE_DIR)/.params; \
	else echo "Sample data for $$params already in $(SAMPLE_DIR)"; fi
else
	@echo "Using your raw data in $(RAW_DATA_DIR)"
endif

build: data  ## dbt build (seeds, models and their tests) into build/dev.duckdb
	@mkdir -p $(dir $(DBT_DUCKDB_PATH))
	$(DBT) build

summary: venv  ## print what the marts say
	$(BIN)/python -m python_checks.summary --database $(DBT_DUCKDB_PATH)

demo: build summary  ## set up, generate sample data, build, print a summary

lint: venv  ## sqlfluff on the models, ruff on the Python
	$(BIN)/sqlfluff lint models analyses
	$(BIN)/ruff check python_checks
	$(BIN)/ruff format --check python_checks

test: build lint  ## everything that checks the project: dbt build + tests, lint, pytest
	$(DBT) source freshness || echo "(source freshness: stale sources are reported above as warnings)"
	$(BIN)/python -m pytest -q python_checks

docs: build  ## dbt docs into target/ (open target/index.html)
	$(DBT) docs generate

clean:  ## remove build output (keeps the venv and sample data)
	rm -rf target logs build
