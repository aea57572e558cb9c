# Two entry points do all set-up on a fresh machine:
#   make demo   create/refresh .venv, install skseq, run the benchmark report
#   make test   create/refresh .venv, install skseq[dev], run the whole test suite
#   make docs   install skseq[docs] into .venv and build the site into docs/_build/html
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: demo test venv lint bench m3 mutants clean docs

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	# The CPU build of torch lies on local disk; any other torch request pulls a multi-GB CUDA build.
	$(PY) -c "import torch" 2>/dev/null || $(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

demo: $(STAMP)
	$(PY) -m skseq.benchmark --suite quick

test: $(STAMP)
	$(PY) -m pytest -n 2 -q

# The M3 monthly competition benchmark (about ten minutes on 2 cores).
m3: $(STAMP)
	$(PY) -m skseq.benchmark --suite m3-monthly

# Mutation testing (mutmut, [tool.mutmut] in pyproject.toml) of the core modules with their fast
# tests; not part of `make test` (slow: minutes to an hour per module on 2 cores). Results are cached in
# mutants/, so a run resumes; MUTANTS="skseq.windows*" restricts it to one module. Prints the
# mutants that survived (and those no test reaches).
MUTANTS ?=
mutants: $(STAMP)
	$(VENV)/bin/mutmut run --max-children 1 $(MUTANTS)
	$(VENV)/bin/mutmut results

# The documentation site (Sphinx, docs/conf.py): every warning fails the build (-W), and every
# gallery example (examples/gallery/) runs, about three minutes on 2 cores; an example runs again
# only when its script changed. -E re-reads every page, since Sphinx cannot see a docstring change.
# SPHINXOPTS adds options, e.g. SPHINXOPTS="-D plot_gallery=0" to skip running the gallery.
DOCS_STAMP := $(VENV)/.installed-docs
SPHINXOPTS ?=
$(DOCS_STAMP): $(STAMP)
	$(PY) -m pip install --quiet -e ".[docs]"
	touch $(DOCS_STAMP)

docs: $(DOCS_STAMP)
	$(PY) -m sphinx -b html -E -W --keep-going -j 1 $(SPHINXOPTS) docs docs/_build/html
	@echo "The site: docs/_build/html/index.html"

lint: $(STAMP)
	$(VENV)/bin/ruff check skseq tests benchmarks examples docs

bench: $(STAMP)
	$(PY) benchmarks/bench_training_speed.py --threads 1
	$(PY) benchmarks/bench_recurrent_dropout.py

clean:
	rm -rf $(VENV) .pytest_cache build dist *.egg-info docs/_build docs/auto_examples docs/api \
		docs/gen_modules docs/user_guide docs/sg_execution_times.rst

# What pruning and n_jobs=2 save on a 30-trial attention-LSTM study (long: tens of minutes on 2 cores).
bench-tuning: $(STAMP)
	$(PY) benchmarks/bench_tuning.py
