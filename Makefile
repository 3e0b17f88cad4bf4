# The two commands: `make site` builds the site, `make test` passes the tests.
# Both do all of the set-up they need on a fresh machine.

PYTHON ?= python3
VENV := .venv
PROPERDOCS_VENV := .venv-properdocs
ZENSICAL_VENV := .venv-zensical
PY := $(VENV)/bin/python
ADDR ?= 127.0.0.1:8000
export NO_MKDOCS_2_WARNING := 1
# apt-get needs root: CI here runs as root; a hosted runner's user has sudo.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: site test setup setup-dev setup-test setup-npm setup-browser generate validate serve clean goldens help bench

help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(VENV)/.site-installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev-installed: $(VENV)/.site-installed requirements-dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

$(VENV)/.test-installed: $(VENV)/.dev-installed $(PROPERDOCS_VENV)/.installed $(ZENSICAL_VENV)/.installed
	touch $@

# npm packages pinned in package-lock.json: the iframe-worker shim the offline
# bundle ships, and axe-core for the accessibility tests. Neither needs an install
# script, so none is run: a pull request's lock file cannot run one on a reviewer's machine.
node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

# Debian's Chromium, which Playwright drives (it cannot download a browser here).
/usr/bin/chromium:
	$(SUDO) apt-get update
	$(SUDO) apt-get install -y --no-install-recommends chromium

# ProperDocs and Zensical get a virtualenv each: the portability tests build the site with them too.
$(PROPERDOCS_VENV)/.installed: requirements-properdocs.txt requirements.txt
	$(PYTHON) -m venv $(PROPERDOCS_VENV)
	$(PROPERDOCS_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-properdocs.txt
	touch $@

$(ZENSICAL_VENV)/.installed: requirements-zensical.txt requirements.txt
	$(PYTHON) -m venv $(ZENSICAL_VENV)
	$(ZENSICAL_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-zensical.txt
	touch $@

setup: $(VENV)/.site-installed  ## Create .venv with the pinned site dependencies

setup-dev: $(VENV)/.dev-installed  ## Add the pinned linters, pytest and pre-commit to .venv (no browser)

setup-npm: node_modules/.installed  ## Install the pinned npm packages (npm ci)

setup-browser: /usr/bin/chromium setup-npm  ## Install Chromium (apt) and the npm packages the browser tests use

setup-test: $(VENV)/.test-installed setup-browser  ## Add the pinned test dependencies, ProperDocs, Zensical, Chromium and npm packages

validate: setup  ## Check every fact file
	$(PY) -m generator validate

generate: setup  ## Write the generated Markdown into content/
	$(PY) -m generator generate

site: setup setup-npm  ## Set up, validate, generate, build site/ and the offline zip in dist/
	$(PY) -m generator build

serve: setup  ## Preview the site on http://127.0.0.1:8000/fact-sheets/ (or ADDR=host:port) with live reload
	$(PY) -m generator serve -a $(ADDR)

test: setup-test  ## Set up, lint, type-check and run the whole test suite
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy
	$(PY) -m pytest

bench: setup  ## Benchmark the pipeline on synthetic corpora; writes BENCHMARKS.md (several minutes)
	$(PY) -m benchmarks.bench

goldens: setup  ## Regenerate the golden Markdown files after an intended change
	$(PY) -m tests.goldens

clean:  ## Remove the built site, the bundle, the virtual environments and node_modules
	rm -rf site dist $(VENV) $(PROPERDOCS_VENV) $(ZENSICAL_VENV) node_modules
