# Tasks for developers and CI; every target uses the venv made by `make setup`.
#   make setup      system packages, .venv, wiqnet with the test tools
#   make test       the pytest suite (PYTEST_ARGS="-m 'not browser'" to skip Chromium)
#   make lint       ruff check and ruff format --check
#   make typecheck  mypy --strict over the whole package
#   make check      lint, typecheck, test (what CI runs)
#   make bench      the start-up, load and search benchmarks
#   make serve      the web app on http://127.0.0.1:5000/

VENV := .venv/bin
PYTEST_ARGS ?=
SOURCES := wiqnet tests benchmarks

.PHONY: setup test lint typecheck check bench serve

setup:
	bash .ci/setup --test

test:
	$(VENV)/python -m pytest -n 2 -q -p no:cacheprovider $(PYTEST_ARGS)

lint:
	$(VENV)/ruff check $(SOURCES)
	$(VENV)/ruff format --check $(SOURCES)

typecheck:
	$(VENV)/mypy

check: lint typecheck test

bench:
	$(VENV)/python benchmarks/bench_cli_start.py
	$(VENV)/python benchmarks/bench_load.py --sizes 1000,10000
	$(VENV)/python benchmarks/bench_search.py --services 10000

serve:
	$(VENV)/wiqnet serve
