# `make run` and `make test` bootstrap everything on a fresh machine.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck pytest bench dist screenshots clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	@touch $(STAMP)

run: $(STAMP)
	@bash tools/system-deps.sh
	$(PY) -m desktop

test: $(STAMP)
	@bash tools/system-deps.sh
	$(PY) -m ruff check desktop tests bench
	$(PY) -m ruff format --check desktop tests bench
	$(PY) -m mypy desktop
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) bench/run_all.py

screenshots: $(STAMP)
	@bash tools/system-deps.sh --screenshots
	PY=$(PY) bash tools/screenshots/run_all.sh

dist: $(STAMP)
	@bash tools/system-deps.sh
	bash installers/build.sh

clean:
	rm -rf $(VENV) build dist
