# The two set-up commands are `make run` and `make test`; both create the environment
# they need, so a fresh machine with Python 3.11 and make is enough.
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 5000
STAMP := $(VENV)/.installed

.PHONY: run test test-stack accuracy fuzz bench load load-burst lint messages clean

$(PY):
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed: install python3.11 (with venv) first." >&2; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): $(PY) setup.cfg pyproject.toml
	$(PY) -m pip install --quiet --upgrade 'setuptools>=68' wheel
	$(PY) -m pip install --quiet -e '.[dev,pg]'
	@touch $(STAMP)

# Served by gunicorn with the project's worker (not Flask's development server), on the
# embedded default: SQLite, local files, checks in-process in a small pool of sandbox workers.
run: $(STAMP)
	$(VENV)/bin/flask --app web db upgrade -d web/migrations
	$(VENV)/bin/gunicorn -c gunicorn.conf.py --bind 127.0.0.1:$(PORT) "web:create_app()"

# One test worker per core; each test file stays on one worker (some files sum up their own runs).
test: $(STAMP)
	$(PY) -m pytest -n auto --dist loadfile

# The web tests again on the servers of a scaled-out deployment: PostgreSQL (the database named by
# INTAKE_TEST_DATABASE_URL, one beside it per test process), an S3 server and a Celery worker per
# test process that the suite starts, Redis (INTAKE_TEST_STACK_REDIS_URL) as broker and for limits.
INTAKE_TEST_DATABASE_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
test-stack: $(STAMP)
	INTAKE_TEST_STACK=1 INTAKE_TEST_DATABASE_URL=$(INTAKE_TEST_DATABASE_URL) $(PY) -m pytest -n auto --dist loadfile tests/web

# Every labelled packet of tests/accuracy through the library and the web API: per problem code,
# what was found, missed and found unasked; fails on any case that does not match its labels.
accuracy: $(STAMP)
	$(PY) -m tests.accuracy

# Mutated forms through the sandboxed reader, many more than the test suite tries, at random.
FUZZ_EXAMPLES ?= 2000
fuzz: $(STAMP)
	INTAKE_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(PY) -m pytest tests/intake/test_fuzz.py -q

# Both scripts always run; the target fails if either missed its mark. The project's own
# bytecode is compiled first, as any non-editable install does, so a cold start is compared
# with a pypdf that pip compiled at install time, not with our source being compiled.
bench: $(STAMP)
	@$(PY) -m compileall -q intake >/dev/null
	@status=0; for script in bench_read bench_check bench_hostile bench_ocr; do $(PY) bench/$$script.py || status=1; done; \
	  exit $$status

# Load on one machine (not a test): its own PostgreSQL database, Redis, S3 server, two web hosts
# and 1 then 2 check workers, driven by locust with real packets; a worker is killed and Redis
# restarted mid-run. Writes test-output/load.json, prints PASS/FAIL per target and fails on any FAIL.
# LOAD_SECONDS sets the length of each paced run; load-burst sends 50 packets at once.
LOAD_SECONDS ?= 120
LOAD_STAMP := $(VENV)/.installed-load

$(LOAD_STAMP): $(STAMP) setup.cfg
	$(PY) -m pip install --quiet -e '.[dev,pg,load]'
	@touch $(LOAD_STAMP)

load: $(STAMP) $(LOAD_STAMP)
	LOAD_SECONDS=$(LOAD_SECONDS) $(PY) -m bench.load

load-burst: $(STAMP) $(LOAD_STAMP)
	$(PY) -m bench.load --burst

# Any installed dependency with a published advisory fails the build (--strict: so does one
# that cannot be checked). The canary, Jinja2 2.10, has known advisories: if they are not
# reported, the check itself is broken and the build fails too.
# The audit first asks about a canary with known advisories (Jinja2 2.10): when the advisory
# database answers, any advisory against an installed dependency fails the build. Where no
# advisory database can be reached, it says so loudly and, unless AUDIT_REQUIRED is set, lets
# the tests run: a network that hides the database must not pass for a clean bill.
audit: $(STAMP)
	@printf 'jinja2==2.10\n' > $(VENV)/audit-canary.txt
	@if $(VENV)/bin/pip-audit --no-deps --disable-pip --progress-spinner off -r $(VENV)/audit-canary.txt 2>&1 \
	    | grep -qE 'PYSEC-|GHSA-|CVE-'; then \
	  $(VENV)/bin/pip-audit --strict --skip-editable --progress-spinner off; \
	elif [ -n "$$AUDIT_REQUIRED" ]; then \
	  echo "dependency audit: no advisory database answered (pip-audit saw nothing for Jinja2 2.10)" >&2; exit 1; \
	else \
	  echo "WARNING: dependency audit skipped: no advisory database answered (pip-audit saw nothing for" >&2; \
	  echo "WARNING: Jinja2 2.10, which has known advisories). Set AUDIT_REQUIRED=1 to make this an error." >&2; \
	fi

lint: $(STAMP)
	$(VENV)/bin/ruff check intake web tests bench
	$(VENV)/bin/mypy intake

messages: $(STAMP)
	$(VENV)/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o web/translations/messages.pot --no-location .
	$(VENV)/bin/pybabel update -i web/translations/messages.pot -d web/translations --no-fuzzy-matching
	$(VENV)/bin/pybabel compile -d web/translations
	$(VENV)/bin/pybabel compile -D intake -d intake/locale

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
