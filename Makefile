# Retorno — two commands for a newcomer: `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
SIZES ?= 10000 100000
PEOPLE ?= 100000
# Local demo and tests only: production sets SECRET_KEY, DEBUG=False and secure cookies.
DEMO_ENV := DEBUG=True SECURE_COOKIES=False TIME_ZONE=America/El_Salvador SITE_URL=http://127.0.0.1:$(PORT)
# The test personas work in El Salvador: the tests' "today" is theirs, whatever the hour in UTC.
TEST_ENV := RETORNO_ALLOW_INSECURE_KEY=1 SECURE_COOKIES=False TASKS_IMMEDIATE=True TIME_ZONE=America/El_Salvador

.PHONY: demo test lint pytest messages makemessages openapi lock browser-deps gettext-deps clean bench-linkage bench-search bench-reception bench-cases bench-tracing bench-referrals bench-pages

$(VENV)/.base: requirements/base.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements/base.txt
	touch $@

$(VENV)/.dev: requirements/dev.txt $(VENV)/.base
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements/dev.txt
	touch $@

# gettext's msgfmt compiles the translations; Debian's chromium runs the browser tests.
gettext-deps:
	@command -v msgfmt >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext; }

browser-deps:
	@test -x /usr/bin/chromium || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-liberation; }

messages: gettext-deps $(VENV)/.base
	$(DEMO_ENV) $(PY) manage.py compilemessages --ignore=.venv -v0

demo: messages
	mkdir -p var
	$(DEMO_ENV) $(PY) manage.py migrate -v0
	$(DEMO_ENV) $(PY) manage.py demo_data --size $${SIZE:-small}
	@echo "Retorno is at http://127.0.0.1:$(PORT)/ (Ctrl+C stops it and its task worker)"
	$(DEMO_ENV) $(PY) manage.py run_huey >var/tasks.log 2>&1 & worker=$$!; trap "kill $$worker" EXIT; \
	$(DEMO_ENV) $(PY) manage.py runserver 127.0.0.1:$(PORT)

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(TEST_ENV) $(VENV)/bin/mypy .

pytest: $(VENV)/.dev messages browser-deps
	$(TEST_ENV) $(VENV)/bin/pytest -n 2 --dist loadfile $(PYTEST_ARGS)

test: lint pytest

# Update the .po files after adding or changing strings, then translate the empty entries.
makemessages: $(VENV)/.dev
	$(DEMO_ENV) $(PY) manage.py makemessages -l es -l en -l fr --ignore=.venv --ignore=var --no-obsolete --add-location=file
	$(PY) scripts/fill_english.py

openapi: $(VENV)/.dev
	$(TEST_ENV) $(PY) manage.py export_openapi_schema --api config.api.api --indent 2 --sorted --output docs/openapi.json

lock: $(VENV)/.dev
	$(VENV)/bin/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe -o requirements/base.txt requirements/base.in
	$(VENV)/bin/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe -o requirements/dev.txt requirements/dev.in
	$(VENV)/bin/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe -o requirements/bench.txt requirements/bench.in

# Benchmarks (not tests): figures go to docs/performance.md.
.venv-bench/.installed: requirements/bench.txt
	test -x .venv-bench/bin/python || $(PYTHON) -m venv .venv-bench
	.venv-bench/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements/bench.txt
	touch $@

bench-linkage: $(VENV)/.base .venv-bench/.installed
	$(TEST_ENV) $(PY) bench/linkage_vs_splink.py --sizes "$(SIZES)"

bench-search: $(VENV)/.base
	$(TEST_ENV) $(PY) bench/registry_search.py --people $(PEOPLE)

bench-reception: $(VENV)/.base
	$(TEST_ENV) $(PY) bench/reception_import.py --people $(PEOPLE)

CASES ?= 300000
bench-cases: $(VENV)/.base messages
	$(TEST_ENV) $(PY) bench/cases_pages.py --cases $(CASES)

bench-pages: $(VENV)/.base
	$(TEST_ENV) $(PY) bench/pages_accuracy.py

bench-referrals: $(VENV)/.base messages
	$(TEST_ENV) $(PY) bench/referrals_pages.py --referrals $${REFERRALS:-100000} --services $${SERVICES:-2000}

bench-tracing: $(VENV)/.base messages
	$(TEST_ENV) $(PY) bench/tracing.py --people $(PEOPLE) --requests $${REQUESTS:-1000}

clean:
	rm -rf var $(VENV) .venv-bench
