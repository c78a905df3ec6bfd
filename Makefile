# Every command a newcomer needs. `make help` lists them.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
RECORDED ?= ../shared/recorded

.PHONY: help install install-test install-bench lock audit demo serve serve-debug refresh rebuild status test test-fast test-browser test-faults lint format bench bench-quick clean

help:  ## list the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python  ## install the package (ETL + dashboard) into .venv, pinned by requirements.lock
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .

install-test: $(BIN)/python  ## install with test tools (requirements-test.lock), plus Debian chromium/chromium-driver and systemd
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements-test.lock  # complete lock; --no-deps: pip does not know [tool.uv]'s overrides
	$(BIN)/pip install --quiet --no-deps -e .
	./scripts/install-chromium.sh
	./scripts/install-systemd.sh

lock: $(BIN)/python  ## re-pin requirements.lock and requirements-test.lock from pyproject.toml (with hashes)
	$(BIN)/pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --python-version 3.11 --generate-hashes --quiet -o requirements.lock
	$(BIN)/uv pip compile pyproject.toml --extra test --python-version 3.11 --generate-hashes --quiet -o requirements-test.lock
	$(BIN)/uv pip compile pyproject.toml --extra test --extra bench --python-version 3.11 --generate-hashes --quiet -o requirements-bench.lock

audit: install-test  ## check the pinned dependencies for known vulnerabilities; fails unless every one was audited
	$(BIN)/pip install --quiet pip-audit
	$(BIN)/python scripts/audit.py requirements-test.lock

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

test: install-test  ## the whole test suite, browser tests included (what CI runs), then the audit count
	@$(BIN)/pip install --quiet pip-audit || echo "audit: pip-audit could not be installed"
	$(BIN)/pytest --webdriver Chrome --headless; rc=$$?; \
	$(BIN)/python scripts/audit.py requirements-test.lock --report; exit $$rc

test-fast: install-test  ## everything but the browser tests
	$(BIN)/pytest -m "not browser"

test-faults: install-test  ## the fault suite alone (prints its one-line summary)
	$(BIN)/pytest tests/faults

lint: install-test  ## ruff lint and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-test  ## apply ruff formatting and safe fixes
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

install-bench: install-test  ## the test tools plus the benchmark peers (pxwebpy, koladapy), pinned by requirements-bench.lock
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements-bench.lock
	$(BIN)/pip install --quiet --no-deps -e .

bench: install-bench  ## run every benchmarks/bench_*.py, then write benchmarks/RESULTS.md
	@rm -rf benchmarks/out
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || echo "!! $$b failed"; done
	$(BIN)/python benchmarks/report.py

bench-quick: install-bench  ## the same as a smoke run (BENCH_QUICK=1: few repetitions, small sizes)
	@rm -rf benchmarks/out
	@for b in benchmarks/bench_*.py; do echo "== $$b"; BENCH_QUICK=1 $(BIN)/python $$b || echo "!! $$b failed"; done
	$(BIN)/python benchmarks/report.py

clean:  ## remove the virtualenv and built data (keeps nothing under data/)
	rm -rf $(VENV) data/labour.duckdb data/raw data/demo-raw data/demo-reference data/runs.jsonl
