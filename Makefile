PYTHON ?= python3
VENV ?= .venv
PY = $(VENV)/bin/python
SMALL_STEPS_TEST_PG ?= postgresql://postgres@127.0.0.1:5432/small_steps_test
export SMALL_STEPS_TEST_PG

.PHONY: venv lock postgres node infra-tools run chat test test-fast bench bench-load bench-projections nlu-report clean

venv: $(VENV)/.installed

# Exactly what requirements.lock pins, each file checked against its hash; then the
# project itself, built by the locked setuptools.
$(VENV)/.installed: pyproject.toml requirements.lock
	@test -x $(PY) || { echo "==> creating virtualenv $(VENV)"; $(PYTHON) -m venv $(VENV); }
	@echo "==> installing the locked Python dependencies (requirements.lock)"
	$(PY) -m pip install --require-hashes -r requirements.lock
	@echo "==> installing the project"
	$(PY) -m pip install --no-deps --no-build-isolation -e .
	@touch $@

# After changing a dependency in pyproject.toml: resolve and pin everything again.
lock:
	PYTHON=$(PYTHON) scripts/lock.sh

postgres:
	scripts/ensure-postgres.sh

node:
	scripts/ensure-node-deps.sh

infra-tools:
	scripts/ensure-infra-tools.sh

# The skill on http://127.0.0.1:8000/alexa with the embedded SQLite store (var/).
run: venv
	$(VENV)/bin/small-steps serve $(SERVE_ARGS)

# Type what you would say to an Echo; starts its own loopback server on the same store.
chat: venv
	$(VENV)/bin/small-steps chat $(CHAT_ARGS)

test: venv postgres node infra-tools
	$(PY) -m pytest $(PYTEST_ARGS)

test-fast: venv
	$(PY) -m pytest -m "not postgres and not slow" $(PYTEST_ARGS)

bench: venv postgres
	$(PY) bench/history.py

# Real HTTP load on the production shape (gunicorn, PostgreSQL, verification on).
bench-load: venv postgres
	$(PY) bench/load.py $(BENCH_ARGS)

# Rebuild every view from 1,000,000 events on PostgreSQL.
bench-projections: venv postgres
	$(PY) bench/projections.py $(BENCH_ARGS)

# The labelled corpus of everyday utterances through the chat resolver and virtual-alexa;
# last line nlu_agreement=X. Also writes the NLU annotation set (tests/nlu/).
nlu-report: venv node
	$(PY) bench/nlu_report.py $(NLU_ARGS)

clean:
	rm -rf $(VENV) var/ .pytest_cache .hypothesis *.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
