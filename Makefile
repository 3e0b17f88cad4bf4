# The two commands: `make site` builds the site, `make test` passes the tests.
# Both do all of the set-up they need on a fresh machine.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
export NO_MKDOCS_2_WARNING := 1

.PHONY: site test setup setup-test generate validate serve clean goldens help bench

help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(VENV)/.site-installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.test-installed: $(VENV)/.site-installed requirements-dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

setup: $(VENV)/.site-installed  ## Create .venv with the pinned site dependencies

setup-test: $(VENV)/.test-installed  ## Add the pinned test dependencies

validate: setup  ## Check every fact file
	$(PY) -m generator validate

generate: setup  ## Write the generated Markdown into content/
	$(PY) -m generator generate

site: setup  ## Set up, validate, generate and build site/
	$(PY) -m generator build

test: setup-test  ## Set up and run the whole test suite
	$(PY) -m pytest

bench: setup  ## Benchmark the pipeline on synthetic corpora; writes BENCHMARKS.md (several minutes)
	$(PY) -m benchmarks.bench

goldens: setup-test  ## Regenerate the golden Markdown files after an intended change
	$(PY) -m tests.goldens

clean:  ## Remove the built site and the virtual environment
	rm -rf site $(VENV)
