# Agora: `make run` serves the demo store, `make test` runs the suite. Both start from a fresh clone.
VENV    := .venv
PY      := $(VENV)/bin/python
AGORA   := $(VENV)/bin/agora
STAMP   := $(VENV)/.installed
ASSETS  := agora/static/vendor/.built
HOST    ?= 127.0.0.1
PORT    ?= 8000

.PHONY: run test test-e2e install assets messages epcis-schema lint lock ci clean

run: install assets
	$(AGORA) migrate --noinput
	$(AGORA) demo --if-empty
	$(AGORA) serve --host $(HOST) --port $(PORT)

# The suite, then the browser tests (E2E=0 leaves those out: CI runs them as a step of their own).
E2E ?= 1
test: install assets
	$(VENV)/bin/pytest $(PYTEST_ARGS)
	@if [ "$(E2E)" != 0 ]; then $(MAKE) --no-print-directory test-e2e; fi

# Browser tests (tests/e2e): Playwright for Python driving Debian's Chromium. Chromium is
# installed with apt-get when missing (as root, or with passwordless sudo); when it truly cannot
# be, they are skipped with a loud message, unless AGORA_REQUIRE_BROWSER is set (CI): then it fails.
CHROMIUM ?= /usr/bin/chromium
test-e2e: install assets
	@if [ ! -x "$(CHROMIUM)" ]; then \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; \
	  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then SUDO="sudo -n"; \
	  else SUDO=no; fi; \
	  if [ "$$SUDO" = no ]; then \
	    echo "make: $(CHROMIUM) is missing and installing it needs root: run 'sudo apt-get install -y chromium'" >&2; \
	  elif ! command -v apt-get >/dev/null; then \
	    echo "make: $(CHROMIUM) is missing and there is no apt-get here to install it with" >&2; \
	  else \
	    echo "make: installing Chromium: $${SUDO:+$$SUDO }apt-get install -y chromium"; \
	    $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium || { $$SUDO apt-get update && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; }; \
	  fi; \
	fi; \
	if [ ! -x "$(CHROMIUM)" ]; then \
	  if [ -n "$$AGORA_REQUIRE_BROWSER" ]; then \
	    echo "error: the browser tests need Chromium at $(CHROMIUM) (AGORA_REQUIRE_BROWSER is set)" >&2; exit 1; \
	  fi; \
	  echo "################################################################################"; \
	  echo "## SKIPPED: the browser tests (tests/e2e) did NOT run: no Chromium at $(CHROMIUM)"; \
	  echo "## Install it (Debian/Ubuntu: sudo apt-get install -y chromium), then make test-e2e"; \
	  echo "################################################################################"; \
	  exit 0; \
	fi; \
	AGORA_CHROMIUM="$(CHROMIUM)" $(VENV)/bin/pytest tests/e2e -m e2e $(PYTEST_ARGS)

install: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	@PYBIN=$$(scripts/find-python) || exit 1; \
	if [ ! -x $(PY) ]; then echo "make: creating $(VENV) with $$PYBIN"; $$PYBIN -m venv $(VENV) || exit 1; fi
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade "pip>=25"
	$(PY) -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[dev]'
	@touch $@

assets: $(ASSETS) messages epcis-schema

# Our copy of the official EPCIS 2.0 JSON schema (agora/traceability/epcis reads it; not committed),
# taken from the shared data where the tests look for it too (tests/helpers.py shared_data):
# $AGORA_SHARED_DATA, else ../shared/data beside this checkout, else /work/shared/data. Without
# it: a warning, and `agora epcis validate` says the schema is missing; with
# AGORA_REQUIRE_SHARED_DATA set: an error.
SHARED_DATA  ?= $(firstword $(wildcard $(AGORA_SHARED_DATA) ../shared/data /work/shared/data) ../shared/data)
EPCIS_SCHEMA := agora/traceability/epcis/EPCIS-JSON-Schema.json
EPCIS_SOURCE := $(wildcard $(SHARED_DATA)/epcis/EPCIS-JSON-Schema.json)
epcis-schema: $(EPCIS_SCHEMA)

$(EPCIS_SCHEMA): $(EPCIS_SOURCE)
	@if [ -z "$(EPCIS_SOURCE)" ]; then \
	  msg="$(SHARED_DATA)/epcis/EPCIS-JSON-Schema.json is missing: EPCIS validation will not work"; \
	  if [ -n "$$AGORA_REQUIRE_SHARED_DATA" ]; then echo "error: $$msg" >&2; exit 1; fi; \
	  echo "make: warning: $$msg" >&2; \
	else install -m 0644 "$(EPCIS_SOURCE)" $@ && echo "make: copied the EPCIS schema to $@"; fi

# Translations: every agora/**/locale/**/django.po to .mo with Babel (no msgfmt needed).
messages: install
	$(PY) scripts/compile-messages

$(ASSETS): package.json package-lock.json scripts/build-assets.mjs
	@command -v npm >/dev/null || { echo "error: npm (Node.js 18+) is needed to build the front-end assets; install Node.js and npm" >&2; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	npm run --silent build
	@touch $@

lint: install
	$(VENV)/bin/ruff check agora tests bench
	$(VENV)/bin/ruff format --check agora tests bench

# Re-resolve the pinned set after changing a range in pyproject.toml.
lock:
	@PYBIN=$$(scripts/find-python) || exit 1; rm -rf .lockenv && $$PYBIN -m venv .lockenv && \
	.lockenv/bin/pip install --quiet --upgrade pip && .lockenv/bin/pip install --quiet -e '.[dev]' && \
	.lockenv/bin/pip freeze --exclude-editable | grep -v '^-e' > requirements.lock && rm -rf .lockenv
	@echo "requirements.lock updated"

ci:
	.ci/run

clean:
	rm -rf $(VENV) node_modules agora/static/vendor var/static
