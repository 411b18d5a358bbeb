# Two commands: `make run` starts the terminal bot, `make test` runs every test.
# Both create .venv on first use and reinstall only when pyproject.toml changes.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
TORCH_VERSION ?= 2.13.0

.PHONY: run test lint typecheck bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Core install: enough to run the bot (no torch).
$(VENV)/.core: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	@touch $@

# Everything the tests need. torch goes first, pinned, so that the images extra
# does not pull a CUDA build.
$(VENV)/.full: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet "torch==$(TORCH_VERSION)"
	$(BIN)/pip install --quiet -e ".[images,dev,postgres]"
	@touch $(VENV)/.core $@

run: $(VENV)/.core
	$(BIN)/python -m bot shell

test: $(VENV)/.full
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

lint: $(VENV)/.full
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: $(VENV)/.full
	$(BIN)/mypy

bench: $(VENV)/.full
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
