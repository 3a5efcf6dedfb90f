# Two promises (see README): `make run` serves the demo, `make test` runs the suite.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
# The test suite talks to a real PostgreSQL; pytest-django creates test_unikum.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/unikum

.PHONY: run test venv messages lint bench bench-checker bench-register bench-assessment eval-checker clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet ".[dev]"
	touch $@

venv: $(VENV)/.installed

# The compiled .mo files are committed too, so a machine without gettext still shows Swedish.
messages: venv
	@if command -v msgfmt >/dev/null; then $(PY) manage.py compilemessages --ignore=.venv -v 0; fi

run: messages
	$(PY) manage.py migrate --no-input -v 0
	$(PY) manage.py load_curriculum planning/data/curriculum-demo.json -v 0
	$(PY) manage.py seed_demo
	$(PY) manage.py seed_demo_documents
	$(PY) manage.py runserver 127.0.0.1:8000

test: messages
	DATABASE_URL=$(TEST_DATABASE_URL) $(PY) -m pytest $(PYTEST_ARGS)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

eval-checker: venv
	$(PY) bench/eval_checker.py

# Benchmarks at municipal scale; figures and how to read them in bench/README.md.
BENCH_DB ?= postgres://postgres@127.0.0.1:5432
SCALE ?= 1.0

bench: bench-checker bench-register bench-assessment

bench-checker: venv
	$(PY) bench/checker_bench.py

bench-register: venv
	DATABASE_URL=$(BENCH_DB)/unikum_register_bench $(PY) bench/register_bench.py --scale $(SCALE)

bench-assessment: venv
	DATABASE_URL=$(BENCH_DB)/unikum_bench_assessment $(PY) bench/assessment_bench.py

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
