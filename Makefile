# Kryptowelt – the two commands that matter: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
KW := $(VENV)/bin/kryptowelt
PORT ?= 8000
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: help install run serve serve-production test check-data lint format layers api-schema clean bench-http bench-pages bench-markets bench-related bench-calculators bench-glossary bench-import bench-lighthouse bench-scale clean-data bench-newsletter

help: ## Show this help
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-20s %s\n", $$1, $$2}'

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

# Bytecode compiled once here: with PYTHONDONTWRITEBYTECODE set (as in the shells here),
# Python never writes .pyc files itself and every process start - each `kryptowelt` command,
# gunicorn worker, test subprocess - compiled about 2,400 modules from source (about 9 s of
# CPU of a 14 s market sync). `compileall` only rewrites what changed.
$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --locked --quiet --compile-bytecode
	@touch $@

install: $(VENV)/.bytecode
# Once for a virtual environment synced before the flag was added.
$(VENV)/.bytecode: $(VENV)/.synced
	$(VENV)/bin/python -m compileall -q -j 0 $(VENV)/lib >/dev/null
	@touch $@

install: $(VENV)/.synced ## Create the virtual environment with the locked dependencies
	@$(VENV)/bin/python -m compileall -q kryptowelt benchmarks >/dev/null

run: export SITE_URL ?= http://127.0.0.1:$(PORT)
run: install ## Set up everything, load the demo and serve at http://127.0.0.1:$(PORT)
	$(KW) migrate --noinput
	$(KW) demo
	$(KW) serve --port $(PORT)

serve-production: install ## Production stack (nginx cache + gunicorn + redis) on http://127.0.0.1:8080
	deploy/serve-production.sh

bench-http: install ## Load figures (wrk) through make serve-production, queries per request
	scripts/ensure-debian-packages.sh wrk
	$(VENV)/bin/python benchmarks/http_load.py
	$(VENV)/bin/python benchmarks/queries.py

lint: install ## ruff lint and format check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

layers: install ## Print the app layers derived from the imports (and check them)
	$(VENV)/bin/python kryptowelt/tests/test_layers.py

api-schema: install ## Write kryptowelt/api/openapi.json anew (commit the diff: it is the public interface)
	$(VENV)/bin/kryptowelt api_openapi

format: install ## Apply ruff formatting and safe fixes
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

test: install lint ## Every check and test: SQLite + PostgreSQL + production stack + browser + a11y
	scripts/test.sh

check-data: install ## Checks on the real public data sets in $$KRYPTOWELT_DATA_DIR (default ../shared/data)
	scripts/check-data.sh

bench-related: install ## Related articles: quality vs. baselines, ablation, 100k scale (figures)
	$(VENV)/bin/python benchmarks/related_bench.py --ablation
bench-glossary: install ## Benchmark term linking (2,000 words, 1,000 terms) and the lexicon pages
	$(VENV)/bin/python benchmarks/glossary_bench.py

# Build output only: what `make install`, the tests and `collectstatic` regenerate. The data
# in var/ (database, media, secrets, logs) stays; `make clean-data` removes that.
BUILD_OUTPUT := $(VENV) $(TOOLS) .ruff_cache .pytest_cache static_collected var/static var/nginx
clean: ## Remove build output (.venv, .tools, caches, __pycache__, collected static); keeps var/ data
	rm -rf $(BUILD_OUTPUT)
	find . -path ./var -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +

# The local data of `make run` and `make serve-production` in ./var (never $$KRYPTOWELT_VAR_DIR
# elsewhere): database, media, generated secrets, logs. Says first what it deletes.
DATA := var media
clean-data: ## Delete the local database, media and logs in ./var (prints what it deletes)
	@found=$$(ls -d $(DATA) 2>/dev/null || true); \
	if [[ -z "$$found" ]]; then echo "Keine lokalen Daten (var/) vorhanden."; exit 0; fi; \
	echo "Lösche die lokalen Daten (Datenbank, Medien, Schlüssel, Logs):"; \
	find $$found -maxdepth 1 -mindepth 1 -exec du -sh {} + | sed 's/^/  /'; \
	rm -rf $$found; \
	echo "Gelöscht: $$found"

bench-newsletter: install ## Newsletter: one edition to 20,000 addresses via loopback SMTP (mails/s, peak memory, page rate); options: BENCH_ARGS="--adressen 2000"
	$(VENV)/bin/python benchmarks/newsletter_send.py $(BENCH_ARGS)

bench-pages: install ## Render time and queries per page on the demo content
	$(VENV)/bin/python benchmarks/pages.py

bench-markets: install ## Kurse & Trends: sync of 250 coins, /kurse/ and coin page timings, SVG size
	$(VENV)/bin/python benchmarks/markets.py

bench-calculators: install ## Sparplan (10 years weekly), tax (100,000 transactions; four exchanges with peak memory) timings
	$(VENV)/bin/python benchmarks/calculators.py

bench-import: install ## WordPress import: the shared export (checked against expected-a.json) and 10,000 generated posts
	$(VENV)/bin/python benchmarks/wordpress_import.py

bench-lighthouse: install ## Lighthouse (mobile + desktop) on eight page types through make serve-production
	scripts/ensure-debian-packages.sh chromium $$(command -v npm >/dev/null || echo nodejs npm)
	scripts/ensure-lighthouse.sh
	$(VENV)/bin/python benchmarks/lighthouse.py
bench-scale: install ## 100,000 generated articles in a throwaway PostgreSQL: load time, search and section p95, sitemaps (ARTICLES=N)
	scripts/ensure-debian-packages.sh postgresql
	$(VENV)/bin/python benchmarks/scale_100k.py --articles $(or $(ARTICLES),100000)
