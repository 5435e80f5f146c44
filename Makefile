# Two commands for a fresh clone: `make run` and `make test`. See README.md.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PARCOURS := $(BIN)/parcours
STAMP := $(VENV)/.installed
PEOPLE ?= 150000

export PARCOURS_DATA_DIR ?= $(CURDIR)/data

.PHONY: run test test-fast lint bench install demo clean messages

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 est requis ($(PYTHON) introuvable)."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Development server with the demo PLIE of Clermont Auvergne Métropole.
run: $(STAMP)
	mkdir -p $(PARCOURS_DATA_DIR)
	PARCOURS_DEBUG=1 $(PARCOURS) migrate --no-input
	PARCOURS_DEBUG=1 $(PARCOURS) load-territory
	PARCOURS_DEBUG=1 $(PARCOURS) demo-data --if-empty
	PARCOURS_DEBUG=1 PARCOURS_DEMO=1 $(PARCOURS) runserver 127.0.0.1:8000

# The layers of docs/architecture.md, ruff and mypy (the kernel's types), checked on every run of the suite.
lint: $(STAMP)
	$(BIN)/lint-imports --no-cache
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

# The whole suite; browser tests need Debian's chromium (installed here when root, skipped loudly otherwise).
test: lint
	@bash scripts/ensure-chromium.sh
	$(BIN)/pytest -p no:cacheprovider $(PYTEST_ARGS)

test-fast: $(STAMP)
	$(BIN)/pytest -p no:cacheprovider -m "not browser" -x $(PYTEST_ARGS)

# PostgreSQL and SQLite, N = PEOPLE (default 150,000); e.g. make bench PEOPLE=2000 BENCH_ARGS="--backends sqlite".
bench: $(STAMP)
	$(BIN)/python bench/run.py --people $(PEOPLE) $(BENCH_ARGS)

messages: $(STAMP)
	cd src/parcours && ../../$(PARCOURS) makemessages -l fr --no-obsolete && ../../$(PARCOURS) compilemessages

clean:
	rm -rf $(VENV) data
