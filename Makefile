# Two commands: `make run` and `make test`. Both set up .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SEEDS := $(wildcard ../shared/samples/seeds)
DB ?= veille.db

.PHONY: run test setup lint clean

$(BIN)/veille: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[dev]"
	touch $(BIN)/veille

setup: $(BIN)/veille
	@if [ ! -e /usr/bin/chromium ] && command -v apt-get >/dev/null; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium || echo "chromium could not be installed: the browser tests will fail"; fi

run: setup
	$(BIN)/veille run examples $(SEEDS) --db $(DB)
	$(BIN)/veille events --db $(DB) --limit 60
	@echo "Explore the events in a browser: $(BIN)/veille serve --db $(DB)  (then open http://127.0.0.1:8000)"

lint: setup
	$(BIN)/ruff check src tests benchmarks

test: setup lint
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) $(DB) $(DB)-wal $(DB)-shm
