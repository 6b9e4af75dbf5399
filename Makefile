# translate-news: `make demo` runs the job on samples/, `make test` runs the tests.
# Both set up everything they need on a fresh machine (Debian packages, a .venv).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
APT_PACKAGES := apertium apertium-eng-spa apertium-fr-es gettext

.PHONY: setup system venv demo test lint bench clean

setup: system venv

# Debian packages: the Apertium engine and its pairs, and gettext's msgfmt.
system:
	@if ! dpkg -s $(APT_PACKAGES) >/dev/null 2>&1; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(APT_PACKAGES); \
	fi

# The package is installed in place (editable) and byte-compiled ahead, as pip does
# for any other package, so a run does not recompile it where PYTHONDONTWRITEBYTECODE
# is set; Python still recompiles a module whose source changed since.
# argostranslate is installed without its dependencies: we only read its package
# folders, and its declared dependencies (stanza, spaCy, torch) are hundreds of MB
# we never import. See README, "Dependencies".
$(BIN)/translate-news: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	$(BIN)/pip install -q --no-deps 'argostranslate==1.11.0'
	$(BIN)/python -m compileall -q translator
	@touch $@

venv: $(BIN)/translate-news

demo: setup
	$(BIN)/translate-news samples/ out/ --to es --glossary glossaries/news.yml \
		--compendium glossaries/ui/es.po

test: setup
	$(BIN)/python -m pytest

lint: venv
	$(BIN)/ruff check translator tests bench
	$(BIN)/ruff format --check translator tests bench
	$(BIN)/mypy

# Byte-compiled first, as installed: where PYTHONDONTWRITEBYTECODE is set, a module
# edited since setup would be compiled again by every run the bench times.
bench: setup
	$(BIN)/python -m compileall -q translator
	$(BIN)/python -m bench

clean:
	rm -rf out .pytest_cache .mypy_cache .ruff_cache
