# Terbuka: the two set-up commands are `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
PORT ?= 8000
export TERBUKA_DEBUG ?= 1

.PHONY: demo test test-sqlite test-postgres lint install-web install-test chromium css

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

install-web: $(BIN)/python
	$(BIN)/pip install -q -e '.[web]'

install-test: $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'

chromium:
	@command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)

## Install, migrate, load the demo regency and serve at http://127.0.0.1:$(PORT) (make demo PORT=8080)
demo: export TERBUKA_BASE_URL ?= http://127.0.0.1:$(PORT)
demo: export TERBUKA_WALLET_ISSUER_KEY_FILE ?= $(CURDIR)/var/wallet-issuer.json
demo: install-web
	mkdir -p var && test -f "$$TERBUKA_WALLET_ISSUER_KEY_FILE" || $(BIN)/terbuka wallet keygen --out "$$TERBUKA_WALLET_ISSUER_KEY_FILE"
	$(BIN)/terbuka manage migrate --verbosity 0
	$(BIN)/terbuka demo
	$(BIN)/terbuka serve 127.0.0.1:$(PORT)

## Install the test dependencies and run the whole suite on SQLite and on PostgreSQL
test: install-test chromium lint test-sqlite test-postgres

lint:
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

test-sqlite:
	$(BIN)/pytest -p no:cacheprovider -q -n 2 tests

test-postgres:
	DATABASE_URL=$(PG_URL) $(BIN)/pytest -p no:cacheprovider -q -n 2 tests/web

## Rebuild the vendored USWDS stylesheet from design/uswds/terbuka-uswds.scss (needs node and npm)
css:
	design/uswds/build.sh
