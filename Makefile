# Every command a newcomer needs. `make help` lists them.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
RECORDED ?= ../shared/recorded

.PHONY: help install install-test demo serve serve-debug refresh rebuild status test test-fast test-browser lint format bench clean

help:  ## list the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python  ## install the package (ETL + dashboard) into .venv
	$(BIN)/pip install --quiet -e .

install-test: $(BIN)/python  ## install with test tools, plus Debian chromium + chromium-driver for browser tests
	$(BIN)/pip install --quiet -e ".[test]"
	./scripts/install-chromium.sh

demo: install  ## build the demo warehouse (synthetic values, labelled; real recordings where they exist)
	$(BIN)/labourdash demo $(if $(wildcard $(RECORDED)),--recorded $(RECORDED))
	$(BIN)/labourdash status

serve: install  ## serve the dashboard with gunicorn on http://127.0.0.1:8050
	$(BIN)/labourdash serve

serve-debug: install  ## serve the dashboard with the Dash development server
	$(BIN)/labourdash serve --debug

refresh: install  ## pull changed tables from SCB and Kolada (needs internet)
	$(BIN)/labourdash refresh

rebuild: install  ## rebuild staging and mart from the raw archive, offline
	$(BIN)/labourdash rebuild

status: install  ## last run, freshness and row counts
	$(BIN)/labourdash status

test: install-test  ## the whole test suite, browser tests included (what CI runs)
	$(BIN)/pytest --webdriver Chrome --headless

test-fast: install-test  ## everything but the browser tests
	$(BIN)/pytest -m "not browser"

lint: install-test  ## ruff lint and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-test  ## apply ruff formatting and safe fixes
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install-test  ## print benchmark figures (parsing, dashboard callbacks)
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(BIN)/python $$b; done

clean:  ## remove the virtualenv and built data (keeps nothing under data/)
	rm -rf $(VENV) data/labour.duckdb data/raw data/demo-raw data/runs.jsonl
