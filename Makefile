# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck unit properties bench fuzz clean

# Python's default: write bytecode. An environment with PYTHONDONTWRITEBYTECODE set makes every
# process (each pytest-xdist worker, each test that runs the command, each `frontmatter-qt`
# child) compile the package again and re-run pytest's rewriting of every test module: a few
# seconds per process, about ten per suite run. The cache lives in __pycache__ (git-ignored).
unexport PYTHONDONTWRITEBYTECODE

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(PY) examples/demo.py
	@echo '== frontmatter-qt check examples/articles (exit 1: it finds problems)'
	$(VENV)/bin/frontmatter-qt check examples/articles || true
	@echo '== frontmatter-qt fix --diff --encoding examples/articles (writes nothing)'
	$(VENV)/bin/frontmatter-qt fix --diff --encoding examples/articles

lint: $(STAMP)
	$(VENV)/bin/ruff check frontmatter_qt tests bench examples
	$(VENV)/bin/ruff format --check frontmatter_qt tests bench examples

typecheck: $(STAMP)
	$(VENV)/bin/mypy --strict frontmatter_qt

# pytest exits 5 when it collected no tests; that must fail, and does (non-zero). The default
# hypothesis profile runs a tenth of each property test's stated examples (tests/strategies.py),
# the corpus tests take one hard text per key and are one item per source, so `make test` stays
# near a minute on two cores. --dist worksteal: an idle worker takes queued tests from a busy
# one (with the default `load`, one worker could be left alone with its queue for ~10 s).
PYTEST_XDIST := -n auto --dist worksteal

unit: $(STAMP)
	$(PY) -m pytest $(PYTEST_XDIST)

# Every property test with the number of examples it states, every hard text on every real key.
properties: $(STAMP)
	FQ_FUZZ_PROFILE=full $(PY) -m pytest $(PYTEST_XDIST)

test: lint typecheck unit

bench: $(STAMP)
	$(PY) bench/bench_engine.py
	$(PY) bench/bench_models.py
	$(PY) bench/bench_positions.py
	$(PY) bench/bench_bulk.py
	$(PY) bench/bench_startup.py
	$(PY) bench/bench_scaling.py
	$(PY) bench/bench_many_edits.py

# The long hypothesis profile (20,000 examples per test) over the fuzz, property, re-read and
# command-line parsing tests; outside CI. Prints per-test example counts.
fuzz: $(STAMP)
	FQ_FUZZ_PROFILE=long $(PY) -m pytest -q -p no:cacheprovider --hypothesis-show-statistics \
		tests/test_fuzz.py tests/test_properties.py tests/test_read_back.py tests/test_cli_parsing.py \
		tests/test_json_properties.py tests/test_json_scan.py tests/test_toml_properties.py \
		tests/test_tags.py tests/test_chars.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
