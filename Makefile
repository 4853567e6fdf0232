# The newcomer's contract: every target sets itself up (venv, install, dbt parse) idempotently.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
MANIFEST := dbt_project/target/manifest.json
DBT_SOURCES := $(shell find dbt_project -path dbt_project/target -prune -o \( -name '*.sql' -o -name '*.yml' -o -name '*.csv' \) -print)

export DAGSTER_HOME ?= $(CURDIR)/.dagster_home
# the venv's tools (dbt, dagster, dg) first, as if it were activated: dagster-dbt runs `dbt` from PATH
export VIRTUAL_ENV := $(CURDIR)/$(VENV)
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)
export GX_ANALYTICS_ENABLED := false
export DO_NOT_TRACK := 1
export DBT_SEND_ANONYMOUS_USAGE_STATS := false

.PHONY: setup demo run test dev sql docs quality lint bench bench-archive bench-scale clean lock browser

setup: $(INSTALLED) $(MANIFEST) $(DAGSTER_HOME)/dagster.yaml

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# constraints.txt pins every package to the version CI tested (the lock); pyproject.toml keeps the ranges
$(INSTALLED): pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

$(MANIFEST): $(INSTALLED) $(DBT_SOURCES)
	$(BIN)/dbt parse --project-dir dbt_project --profiles-dir dbt_project --quiet
	touch $@

$(DAGSTER_HOME)/dagster.yaml: orchestration/dagster.yaml
	mkdir -p $(DAGSTER_HOME)
	cp $< $@

## The whole pipeline offline over the bundled captures (demo/captures), with a local webhook sink.
## make demo BAD=1: after it, one day (2025-12-20) replayed with an edited Anthropic capture on a copy of the
## warehouse in a temporary folder: what the content gates hold and reject, and the copy's quality page.
BAD ?=
demo: setup
	$(BIN)/costcurve demo $(if $(BAD),--bad)

## Today's daily run against the live sources (needs network).
run: setup
	COSTCURVE_MODE=live $(BIN)/costcurve run

test: setup browser
	$(BIN)/pytest

## Headless Chromium for the report's browser test: apt-get installs chromium and chromium-driver when they
## are missing and it can (root or sudo -n); otherwise it says so and that test skips. Never fails the build.
browser:
	@tools/ensure-chromium

## Dagster UI on http://$(DEV_HOST):$(DEV_PORT) with every asset, check, job and schedule.
DEV_HOST ?= 127.0.0.1
DEV_PORT ?= 3000
## Ctrl-C or SIGTERM (to make, or to the wrapper) stops every child: costcurve/dev_server.py.
dev: setup
	$(BIN)/python -m costcurve.dev_server --host $(DEV_HOST) --port $(DEV_PORT)

## Query the published analyst copy: make sql Q="SELECT * FROM fct_price_history LIMIT 10"
sql: setup
	$(BIN)/costcurve sql "$(Q)"

## The dbt docs site (models, columns, tests, lineage) from the published copy: dbt_project/target/docs/static_index.html.
## Needs a built warehouse: without one it stops and says to run `make demo` first.
docs: setup
	$(BIN)/costcurve docs

## The quality page, warehouse/reports/quality.html: the last run's GX gates, the quarantine, freshness per source.
## Freshness is judged as of today; the demo's captures end in 2026-08, so see it fresh with AS_OF=2026-08-21.
## Needs a built warehouse: without one it stops and says to run `make demo` first.
AS_OF ?=
quality: setup
	$(BIN)/costcurve quality $(if $(AS_OF),--as-of $(AS_OF))

lint: setup
	$(BIN)/ruff check .

bench: setup
	$(BIN)/python bench/run.py

## The raw archive over 365 unchanged days and 5 years (bench/archive.py, about a minute).
bench-archive: setup
	$(BIN)/python bench/archive.py

## How a day's cost grows with history (issue 10): 30 days and 1 year at real volume, slow (see bench/README.md).
## Other sizes: make bench-scale DAYS="30 365 1825"
DAYS ?= 30 365
bench-scale: setup
	$(BIN)/python -m bench.scale --days $(DAYS)

## Re-resolve the stack within pyproject.toml's ranges and write the lock (constraints.txt).
lock: | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade --upgrade-strategy eager -e '.[dev]'
	{ sed -n '1,3p' constraints.txt; $(BIN)/pip freeze --exclude-editable | grep -v '^-e'; } > constraints.txt.new
	mv constraints.txt.new constraints.txt

clean:
	rm -rf warehouse/*.duckdb warehouse/*.duckdb.lock warehouse/*.duckdb.lock.json warehouse/published warehouse/exports data .dagster_home dbt_project/target
