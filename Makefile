# Quick start: `make run` and `make test`. Everything else here serves those two.
PORT ?= 5000
KERN_VERSION ?= 2.7.2
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app fh_intranet
TRANSLATIONS := fh_intranet/translations
MO_FILES := $(patsubst %.po,%.mo,$(wildcard $(TRANSLATIONS)/*/LC_MESSAGES/messages.po))

.PHONY: run test lint install install-dev translations extract-messages update-messages clean bench kern

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed translations
install-dev: $(VENV)/.installed-dev translations

%.mo: %.po $(VENV)/.installed
	$(BIN)/pybabel compile --statistics -d $(TRANSLATIONS) -i $< -o $@

translations: $(MO_FILES)

run: install
	mkdir -p instance
	FH_ENV=development $(FLASK) db upgrade
	FH_ENV=development $(FLASK) seed-demo --if-empty
	@FH_ENV=development $(FLASK) demo-logins
	@echo "FH-Intranet runs on http://127.0.0.1:$(PORT) (Ctrl+C stops it; the mail worker runs alongside)"
	@# The mail worker delivers the outbox (without MAIL_SERVER: mails go to this log); it stops with the server.
	PORT=$(PORT) FH_ENV=development $(FLASK) send-mail & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	PORT=$(PORT) FH_ENV=development $(FLASK) run --host 127.0.0.1 --port $(PORT)

# KERN, the German administration's design system: the subset we use, from its SCSS, into
# static/kern.css (committed, so `make run` needs no Node). Only when upgrading KERN.
kern:
	assets/kern/build.sh $(KERN_VERSION)

# The W3C Nu HTML checker for the tests, from the npm registry (only when npm is there: the test
# that needs it fails under FH_REQUIRE_BROWSER, as in CI, and skips on a machine without it).
VNU_VERSION := 26.9.27
$(VENV)/vnu/vnu.jar: | $(VENV)/.installed
	@if command -v npm >/dev/null && command -v java >/dev/null; then \
	  tmp=$$(mktemp -d) && (cd $$tmp && npm pack --silent vnu-jar@$(VNU_VERSION) >/dev/null && tar xzf vnu-jar-*.tgz) \
	  && mkdir -p $(VENV)/vnu && cp $$tmp/package/build/dist/vnu.jar $@ && cp $$tmp/package/LICENSE $(VENV)/vnu/; \
	  rm -rf $$tmp; \
	else echo "npm or java missing: the Nu HTML checker test will not run"; fi

# pa11y-ci, the second pair of accessibility engines (HTML_CodeSniffer and axe), from the npm
# registry for the tests only; it drives Debian's Chromium, so Puppeteer downloads no browser.
PA11Y_CI_VERSION := 4.1.1
$(VENV)/pa11y/node_modules/.bin/pa11y-ci: | $(VENV)/.installed
	@if command -v npm >/dev/null; then \
	  PUPPETEER_SKIP_DOWNLOAD=1 npm install --prefix $(VENV)/pa11y --no-audit --no-fund --silent pa11y-ci@$(PA11Y_CI_VERSION); \
	else echo "npm missing: the pa11y test will not run"; fi

test: install-dev $(VENV)/vnu/vnu.jar $(VENV)/pa11y/node_modules/.bin/pa11y-ci
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Throughput against a bare Flask + peewee baseline on a ten-year data set (see bench/run.py);
# also on PostgreSQL when DATABASE_URL names one. BENCH_YEARS and BENCH_SECONDS shorten it.
bench: install-dev
	@command -v wrk >/dev/null || (apt-get update && apt-get install -y wrk)
	$(BIN)/python -m bench.run

lint: install-dev
	$(BIN)/ruff check fh_intranet tests

extract-messages: $(VENV)/.installed
	$(BIN)/pybabel extract --no-location --sort-output -F babel.cfg -k _l -k lazy_gettext -o $(TRANSLATIONS)/messages.pot .

update-messages: extract-messages
	$(BIN)/pybabel update --no-fuzzy-matching -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS)

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache
