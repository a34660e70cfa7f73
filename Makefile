# Agora: `make run` serves the demo store, `make test` runs the suite. Both start from a fresh clone.
VENV    := .venv
PY      := $(VENV)/bin/python
AGORA   := $(VENV)/bin/agora
STAMP   := $(VENV)/.installed
ASSETS  := agora/static/vendor/.built
HOST    ?= 127.0.0.1
PORT    ?= 8000

.PHONY: run test install assets lint lock ci clean

run: install assets
	$(AGORA) migrate --noinput
	$(AGORA) demo --if-empty
	$(AGORA) serve --host $(HOST) --port $(PORT)

test: install assets
	$(VENV)/bin/pytest $(PYTEST_ARGS)

install: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	@PYBIN=$$(scripts/find-python) || exit 1; \
	if [ ! -x $(PY) ]; then echo "make: creating $(VENV) with $$PYBIN"; $$PYBIN -m venv $(VENV) || exit 1; fi
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade "pip>=25"
	$(PY) -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[dev]'
	@touch $@

assets: $(ASSETS)

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
