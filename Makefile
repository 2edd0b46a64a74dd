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
# The engine: dev (DuckDB, build/dev.duckdb) or pg (Postgres: the local throwaway cluster of
# `make pg-up`, or the server PGHOST/PGPORT/PGUSER/PGPASSWORD/PGDATABASE name). On pg, `make build`
# loads the raw data first. spark: Spark 3.5 in this process (requirements-spark.txt, which
# `make build` installs on that target, and a Java 17 runtime), tables under build/spark-warehouse.
export DBT_TARGET ?= dev
# Spark's Java: Debian's Java 17 when JAVA_HOME is not set.
export JAVA_HOME ?= $(firstword $(wildcard /usr/lib/jvm/java-17-openjdk-*))
# What BI tools read: the last passing build, swapped in atomically by `make publish`.
SERVE_DIR ?= $(CURDIR)/build/serve
# Alert delivery: what was sent lives in ALERT_STATE_DIR, outside build/ so `make clean` keeps it
# (losing it makes the next run a first run). The webhook comes from ALERT_WEBHOOK_URL.
ALERT_STATE_DIR ?= $(CURDIR)/state/alerts
ALERT_DIGEST_DIR ?= $(CURDIR)/build/alerts/digests
# The HTML health report `make report` writes from the served marts (self-contained, offline).
REPORT ?= $(CURDIR)/build/report/health_report.html
# The exposure customer_health_dashboard links to it (models/marts/_exposures.yml).
export HEALTH_REPORT_URL := file://$(REPORT)
# Benchmark: one scale (BENCH_ACCOUNTS) or several (BENCH_SCALES=2000,20000); BENCH_ARGS for more
# (e.g. --skip-tests --repeat 3). Data, databases and bench_<accounts>.json go in build/bench/.
BENCH_ACCOUNTS ?= 20000
BENCH_SCALES ?=
BENCH_ARGS ?=
# pytest workers in `make test` (pytest-xdist): one per core ("auto"), at most 4 (each builds the
# sample once and may hold DuckDB's 3GB); PYTEST_WORKERS=0 runs in this one process.
PYTEST_WORKERS ?= auto
# Orchestration: Dagster's instance folder (run history, schedules) and `dagster dev` options
# (e.g. DAGSTER_ARGS="-p 3001"). The pipeline lock file is PIPELINE_LOCK (build/pipeline.lock).
ORCHESTRATION := $(VENV)/.orchestration-installed
SPARK_INSTALLED := $(VENV)/.spark-installed
DAGSTER_HOME ?= $(CURDIR)/build/dagster_home
DAGSTER_ARGS ?=
# What the pipeline (cron runner or Dagster) reads besides RAW_DATA_DIR and DBT_DUCKDB_PATH.
PIPELINE_ENV = SERVE_DIR=$(SERVE_DIR) ALERT_STATE_DIR=$(ALERT_STATE_DIR) ALERT_DIGEST_DIR=$(ALERT_DIGEST_DIR)

.PHONY: help venv orchestration-venv spark-venv data pg-up pg-load build publish alerts report summary demo lint \
	conventions test test-spark gx calibrate scenario docs bench daily orchestrate clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

venv: $(VENV)/.installed  ## create the virtualenv with the pinned toolchain

# Dagster and dagster-dbt on top of the core pins (requirements-orchestration.txt).
$(ORCHESTRATION): $(VENV)/.installed requirements-orchestration.txt
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt \
	  -r requirements-orchestration.txt
	touch $@

orchestration-venv: $(ORCHESTRATION)  ## add Dagster (requirements-orchestration.txt) to the virtualenv

# dbt-spark and pyspark on top of the core pins (requirements-spark.txt); Spark runs on Java 17.
$(SPARK_INSTALLED): $(VENV)/.installed requirements-spark.txt
	@test -x "$(JAVA_HOME)/bin/java" || command -v java >/dev/null || { \
	  echo "Spark needs a Java 17 runtime: apt-get install openjdk-17-jre-headless (or set JAVA_HOME)"; exit 2; }
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt -r requirements-spark.txt
	touch $@

spark-venv: $(SPARK_INSTALLED)  ## add dbt-spark and pyspark (requirements-spark.txt) for DBT_TARGET=spark

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

pg-up: venv  ## start the local Postgres for DBT_TARGET=pg (a throwaway cluster on 127.0.0.1:55432)
	$(BIN)/python -m python_checks.pg_server up

pg-load: data  ## load the raw Parquet folders into Postgres (schemas raw_<source>; PGHOST... or pg-up's)
	$(if $(filter 127.0.0.1 localhost,$(or $(PGHOST),127.0.0.1)),$(BIN)/python -m python_checks.pg_server up)
	$(BIN)/python -m python_checks.load_raw --target postgres --raw-dir $(RAW_DATA_DIR)

build: data  ## dbt build (seeds, models and their tests) into build/dev.duckdb (DBT_TARGET=pg: Postgres)
	@mkdir -p $(dir $(DBT_DUCKDB_PATH))
ifeq ($(DBT_TARGET),pg)
	$(MAKE) --no-print-directory pg-load
	$(DBT) build
else ifeq ($(DBT_TARGET),spark)
	$(MAKE) --no-print-directory spark-venv
	$(DBT) build
else ifeq ($(GENERATE_SAMPLE)$(SHAPE),yesconnectors)
	$(DBT) build --vars "{\"connectors\": $$(tr -d '\n' < $(RAW_DATA_DIR)/_connectors.json)}"
else
	$(DBT) build
endif

publish: build  ## serve the passing build to BI tools: build/serve/health.duckdb + Parquet
	$(BIN)/python -m python_checks.publish --build-db $(DBT_DUCKDB_PATH) --serve-dir $(SERVE_DIR)

alerts: publish  ## deliver new alerts from the served database: digests, webhook if ALERT_WEBHOOK_URL
	$(BIN)/python -m python_checks.alerts deliver --database $(SERVE_DIR)/health.duckdb \
	  --state-dir $(ALERT_STATE_DIR) --digest-dir $(ALERT_DIGEST_DIR)

report: publish  ## HTML health report from the served marts: build/report/health_report.html
	$(BIN)/python -m python_checks.report --database $(SERVE_DIR)/health.duckdb --out $(REPORT) \
	  --calibration-dir build/calibration

summary: venv  ## print what the marts say
	$(BIN)/python -m python_checks.summary --database $(DBT_DUCKDB_PATH)

demo: build publish summary report  ## set up, sample data, build, publish, summary, HTML report
	@echo "Health report: $(REPORT) (open it in a browser)"

lint: venv  ## sqlfluff on the models, ruff on the Python
	$(BIN)/sqlfluff lint models analyses
	$(BIN)/ruff check python_checks
	$(BIN)/ruff format --check python_checks

# The project's conventions (python_checks/conventions/rules.py, settings and exceptions in
# pyproject.toml) checked by dbt-score on the manifest; offline, no database needed.
conventions: venv  ## naming, access, primary-key tests, descriptions, joins: dbt-score on the manifest
	$(DBT) parse --quiet
	$(BIN)/dbt-score lint --manifest target/manifest.json

test: build lint conventions $(ORCHESTRATION)  ## everything that checks the project: dbt build + tests, lint, conventions, pytest
	$(DBT) source freshness || echo "(source freshness: stale sources are reported above as warnings)"
	$(BIN)/python -m pytest -q -n $(PYTEST_WORKERS) --maxprocesses 4 --dist loadfile --no-loadscope-reorder \
	  --durations=20 python_checks

# Not part of `make test`: a Spark build of the sample takes minutes (docs/engines.md).
test-spark: $(SPARK_INSTALLED)  ## build the sample on Spark (in-process) and compare its marts with the DuckDB build
	CUSTOMER_HEALTH_SPARK=1 $(BIN)/python -m pytest -q -m spark python_checks/tests/test_spark_parity.py

gx: venv  ## Great Expectations suites on the marts; Data Docs in build/gx_docs (PREVIOUS=db for drift)
	$(BIN)/python -m python_checks.gx_suites --database $(DBT_DUCKDB_PATH) --docs-dir build/gx_docs \
	  $(if $(PREVIOUS),--previous $(PREVIOUS))

calibrate: venv  ## propose weights from the back-test: build/calibration/ (never edits seeds/)
	$(BIN)/python -m python_checks.calibrate --database $(DBT_DUCKDB_PATH) --out build/calibration

scenario: venv  ## re-score under WEIGHTS=file.csv and compare with the build: build/scenarios/
	@test -n "$(WEIGHTS)" || { echo "usage: make scenario WEIGHTS=path/to/weights.csv"; exit 2; }
	$(BIN)/python -m python_checks.scenario compare --weights $(WEIGHTS) --database $(DBT_DUCKDB_PATH) \
	  --out build/scenarios

DOCS_DIR ?= $(CURDIR)/build/docs

docs: build  ## dbt docs as one self-contained page that opens from disk: build/docs/index.html
	$(DBT) docs generate --static
	@mkdir -p $(DOCS_DIR)
	cp target/static_index.html $(DOCS_DIR)/index.html
	@echo "Docs: open $(DOCS_DIR)/index.html in a browser (manifest and catalog are inside the page)"

bench: venv  ## time raw load, full build, tests, daily runs, a weight change and two DuckDB floors (day, history), with peak memory and spill
	$(BIN)/python -m python_checks.bench --accounts $(BENCH_ACCOUNTS) \
	  $(if $(BENCH_SCALES),--scales $(BENCH_SCALES)) $(BENCH_ARGS)

daily: data  ## the cron job: build → publish → alerts under the pipeline lock (no Dagster)
	$(PIPELINE_ENV) $(BIN)/python -m python_checks.pipeline daily

orchestrate: $(ORCHESTRATION) data  ## Dagster UI and daemon on the pipeline (dagster dev; daily schedule)
	@mkdir -p $(DAGSTER_HOME)
	cp python_checks/orchestrate/dagster.yaml $(DAGSTER_HOME)/dagster.yaml
	$(PIPELINE_ENV) DAGSTER_HOME=$(DAGSTER_HOME) $(BIN)/dagster dev -m python_checks.orchestrate \
	  $(DAGSTER_ARGS)

clean:  ## remove build output (keeps the venv, sample data and the empty build/ folder)
	rm -rf target logs
	find build -mindepth 1 -maxdepth 1 ! -name .gitkeep -exec rm -rf {} +
