# monitor: the two commands are `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck unit system-deps clean bench

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

## demo: install, serve the bundled feeds locally, poll them, render ./site/
demo: $(STAMP)
	$(BIN)/monitor demo --out site --data demo-data

## system-deps: Debian packages the tests need (headless Chromium); root only
system-deps:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "installing Debian chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null; \
	else echo "note: /usr/bin/chromium missing and not root: browser tests will skip (they fail under CI=true)"; fi

lint: $(STAMP)
	$(BIN)/ruff check monitor tests bench
	$(BIN)/ruff format --check monitor tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest -n 2 -q

## test: everything CI runs: lint, types, the whole suite (PostgreSQL, SMTP, Chromium included)
test: $(STAMP) system-deps lint typecheck unit

bench: $(STAMP)
	$(BIN)/python bench/poll.py
	$(BIN)/python bench/cluster.py
	$(BIN)/python bench/digest.py

clean:
	rm -rf $(VENV) site demo-data .mypy_cache .ruff_cache .pytest_cache
