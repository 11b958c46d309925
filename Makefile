# The two commands of the README. Each installs whatever is missing (Debian packages, a virtual
# environment, the package with its extras) and is quick the second time.
SHELL := /bin/bash
VENV  := .venv
PY    := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)

.PHONY: setup demo test test-fast lint act bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml scripts/setup-system.sh
	bash scripts/setup-system.sh
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,postgres,distributed]'
	rm -f $(VENV)/.installed-*
	touch $@

demo: setup
	$(VENV)/bin/accesscheck demo

test: setup lint
	$(PY) -m pytest -q

# Every test that needs no browser (checks on saved pages, crawl policies, store, reports): seconds.
test-fast: setup
	$(PY) -m pytest -q -m 'not browser and not slow'

# ruff and mypy on src/ (rules and settings in pyproject.toml).
lint: setup
	$(VENV)/bin/ruff check src
	$(VENV)/bin/mypy

# All 558 W3C ACT test cases through the real scan, with the consistency table (make test runs a subset).
act: setup
	$(PY) -m pytest -q -m slow tests/act

bench: setup
	$(PY) tests/benchmarks/scan_throughput.py $(BENCH_ARGS)
	$(PY) tests/benchmarks/probe_cost.py
	$(PY) tests/benchmarks/engine_throughput.py

clean:
	rm -rf $(VENV) reports/demo

# Bandwidth pillar: simulated vs real CDP-throttled 3G load times, and the pillar's cost per page.
# Run as a script (textstat installs a top-level `tests` package that shadows ours for `-m`).
.PHONY: bench-bandwidth
bench-bandwidth: setup
	$(PY) tests/benchmarks/bandwidth_accuracy.py

# Distributed path: the same portfolio local vs. through two Celery workers (docs/distributed.md).
.PHONY: bench-distributed
bench-distributed: setup
	$(PY) tests/benchmarks/distributed_overhead.py
