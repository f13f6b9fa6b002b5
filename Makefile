# Zhiliang (质量). `make run` serves the site; `make test` runs everything CI runs.
# Each target is a thin wrapper around scripts/, so CI, developers and the README say the same thing.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
HOST ?= 127.0.0.1
PORT ?= 8000
export PYTHON HOST PORT

.PHONY: help venv venv-dev system-deps fonts run test lint check-migrations test-sqlite test-pg test-browser bench clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

venv: ## Create .venv (python3 -m venv + uv) with the runtime dependencies from uv.lock
	@bash scripts/bootstrap.sh run

venv-dev: ## Same, plus the dev group (pytest, playwright, ruff)
	@bash scripts/bootstrap.sh dev

system-deps: ## apt-get install Chromium, CJK fonts, poppler-utils, LibreOffice when missing (root only)
	@bash scripts/system_deps.sh test

fonts: ## apt-get install the CJK fonts the PDF/.docx documents use, when missing (root only)
	@bash scripts/system_deps.sh run

run: venv fonts ## Migrate, load sample data on first run, serve http://$(HOST):$(PORT) with gunicorn, worker and scheduler
	@bash scripts/run.sh

test: venv-dev system-deps ## Lint, migrations check, pytest on SQLite and PostgreSQL, browser tests
	@bash scripts/test.sh all

lint: venv-dev ## ruff check + ruff format --check
	@bash scripts/test.sh lint

check-migrations: venv-dev ## makemigrations --check --dry-run
	@bash scripts/test.sh check-migrations

test-sqlite: venv-dev ## pytest -m "not browser" on SQLite
	@bash scripts/test.sh test-sqlite

test-pg: venv-dev ## pytest -m "not browser" on PostgreSQL (ZHILIANG_TEST_PG_URL)
	@bash scripts/test.sh test-pg

test-browser: venv-dev system-deps ## pytest -m browser: Playwright + Debian Chromium
	@bash scripts/test.sh test-browser

bench: venv ## Parser throughput benchmark (BENCH_ARGS="--files 1000 --seed 7")
	@.venv/bin/python bench/parse_throughput.py $(BENCH_ARGS)

clean: ## Remove .venv, caches, collected static files and test artifacts (keeps var/ data and secret key)
	rm -rf .venv .ruff_cache .pytest_cache test-results var/static *.egg-info
	find . -name __pycache__ -type d -prune -not -path './.git/*' -exec rm -rf {} +
