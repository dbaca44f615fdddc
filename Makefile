# The two commands: `make run` (set up and start the local service + playground) and `make test`.
PYTHON ?= python3
PORT ?= 8765
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
# setuptools says "Editable installation." on every editable install: information, not a problem
QUIET_BUILD := PYTHONWARNINGS="ignore:Editable installation"

.PHONY: run test lint check train noise evaluate bench bench-memory bench-server bench-batch bench-report report-demo extension clean

# the service only (requirements.lock): what `make run` needs
$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(QUIET_BUILD) $(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

# tests, training and the linter on top (requirements-dev.lock)
$(DEV_STAMP): $(STAMP) requirements-dev.lock
	$(BIN)/python -m pip install --quiet -r requirements-dev.lock
	touch $(DEV_STAMP)

run: $(STAMP)  ## start the local service and print the playground URL: make run [PORT=8800]
	$(BIN)/hisho-tone serve --port $(PORT)

lint: $(DEV_STAMP)  ## ruff over the whole tree: the linter and the formatter's check (configured in pyproject.toml)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: $(DEV_STAMP)  ## the linter, then every test (browser tests need Debian's chromium: see .ci/run)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest $(PYTEST_ARGS)

check: $(STAMP)  ## analyse TEXT from the command line: make check TEXT='例の件お願いします'
	$(BIN)/hisho-tone check "$(TEXT)"

train: $(DEV_STAMP)  ## retrain the shipped model from models/data
	$(BIN)/hisho-tone train

noise: $(DEV_STAMP)  ## how often the shipped model tells real sentences (shared/data) to call
	$(BIN)/python -m hisho_tone_models.noise

bench: $(DEV_STAMP)  ## speed benchmarks (ratios against a same-run baseline)
	$(BIN)/python benchmarks/bench_analyze.py
	$(BIN)/python benchmarks/bench_thread.py

bench-memory: $(STAMP)  ## RSS of one process over 100,000 distinct drafts, analyze() time per 1,000 chars at 500 vs 5,000 (minutes)
	$(BIN)/python benchmarks/bench_memory.py $(BENCH_ARGS)

bench-server: $(STAMP)  ## typing in a 15-message thread on the real service: with the thread vs the draft alone
	$(BIN)/python benchmarks/bench_server_thread.py $(BENCH_ARGS)

bench-batch: $(STAMP)  ## hisho-tone batch: 1 vs 2 workers, Dask vs local, memory at 20,000 vs 200,000 messages (minutes)
	$(BIN)/python benchmarks/bench_batch.py $(BENCH_ARGS)

report-demo: $(STAMP)  ## write the demo archive and its report: demo/report.html (open it in a browser)
	$(BIN)/python tools/make_demo_archive.py -o demo/archive.jsonl
	$(BIN)/hisho-tone report demo/archive.jsonl -o demo/report.html --json demo/summary.json --by-author

bench-report: $(STAMP)  ## hisho-tone report over 100,000 messages: scoring vs rendering time, peak RSS (minutes)
	$(BIN)/python benchmarks/bench_report.py $(BENCH_ARGS)

extension:  ## pack the Chrome extension into dist/hisho-tone-extension.zip
	mkdir -p dist && rm -f dist/hisho-tone-extension.zip
	cd extension && zip -qr ../dist/hisho-tone-extension.zip . -x '*.DS_Store' 'tools/*' 'README.md'
	@echo "dist/hisho-tone-extension.zip"

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache test-artifacts
