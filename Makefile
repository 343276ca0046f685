# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck unit properties bench fuzz clean

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
# hypothesis profile runs a quarter of each property test's stated examples (tests/strategies.py)
# and the real corpus takes one hard text per key, so this stays near a minute on two cores.
unit: $(STAMP)
	$(PY) -m pytest -n auto

# Every property test with the number of examples it states, every hard text on every real key.
properties: $(STAMP)
	FQ_FUZZ_PROFILE=full $(PY) -m pytest -n auto

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
