# The two commands of the README: `make run` and `make test`. Both install what they need.
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# The PostgreSQL server the suite also runs against (trust auth on the local machine).
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/bibliography_ci

.PHONY: run superuser test test-postgres lint system-deps node-deps postgres-up redis-up clean bench serve publish

# Two stamps, each redone whenever pyproject.toml (the pinned dependencies) changes: the site's
# own dependencies, which are all `make run` waits for, and the test extras on top of them
# (pytest, playwright, ruff, hypothesis, pybtex...), which only the test targets install.
$(VENV)/.installed: pyproject.toml
	@PYTHON=$(PYTHON) bash scripts/install-system-deps.sh --python
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

## Command one: migrate, load the 20 seed works (idempotent) and serve on http://HOST:PORT/
run: $(VENV)/.installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_seed
	@echo ""
	@echo "  The site:  http://$(HOST):$(PORT)/"
	@echo "  The admin: http://$(HOST):$(PORT)/admin/  (first time: 'make superuser' in another terminal)"
	@echo ""
	$(PY) manage.py runserver $(HOST):$(PORT)

## Production (README, "Production"): collect static files, migrate, check, serve with gunicorn.
## Needs SECRET_KEY and ALLOWED_HOSTS in the environment; HOST, PORT and WORKERS set the socket.
WORKERS ?= 2
serve: export DJANGO_SETTINGS_MODULE = site_config.production
serve: $(VENV)/.installed
	$(PY) manage.py collectstatic --noinput
	$(PY) manage.py migrate --noinput
	$(PY) manage.py check --deploy
	exec $(VENV)/bin/gunicorn site_config.wsgi:application --bind $(HOST):$(PORT) \
		--workers $(WORKERS) --access-logfile - --error-logfile - --no-control-socket

## The public site as files on a gh-pages branch (README, "Publish as static files"): builds
## into a temporary directory for PUBLISH_BASE_URL and force-pushes it, as one commit, to
## PUBLISH_BRANCH of PUBLISH_REMOTE (a remote's name or a URL). Plain git; the data is this
## checkout's database (DATABASE_URL).
PUBLISH_BASE_URL ?= http://localhost/
PUBLISH_REMOTE ?= origin
PUBLISH_BRANCH ?= gh-pages
publish: $(VENV)/.installed
	@set -e; out=$$(mktemp -d); trap 'rm -rf "$$out"' EXIT; \
	remote=$$(git remote get-url "$(PUBLISH_REMOTE)" 2>/dev/null || echo "$(PUBLISH_REMOTE)"); \
	$(PY) manage.py build_static "$$out/site" --base-url "$(PUBLISH_BASE_URL)"; \
	git -C "$$out/site" init -q; \
	git -C "$$out/site" checkout -q -b "$(PUBLISH_BRANCH)"; \
	git -C "$$out/site" add -A; \
	git -C "$$out/site" -c user.name="build_static" -c user.email="build_static@localhost" \
		commit -q -m "Publish the static site for $(PUBLISH_BASE_URL)"; \
	git -C "$$out/site" push -q -f "$$remote" "$(PUBLISH_BRANCH)"; \
	echo "Pushed to $(PUBLISH_BRANCH) of $$remote."

## Create the first admin account (asks for a user name and a password).
superuser: $(VENV)/.installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createsuperuser

## Command two: install what the tests need, lint, check, and run the whole suite on SQLite.
test: $(VENV)/.installed-test system-deps node-deps postgres-up redis-up lint
	$(PY) -m pytest

## The same suite against a real PostgreSQL server (started here if it is not running).
test-postgres: $(VENV)/.installed-test system-deps node-deps postgres-up redis-up
	DATABASE_URL=$(POSTGRES_URL) $(PY) manage.py check --database default
	DATABASE_URL=$(POSTGRES_URL) $(PY) -m pytest

lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

# Debian packages the tests drive for real: chromium (browser tests), bibtex (texlive), java
# (the Nu HTML Checker) and npm (the browser tests' tools).
system-deps:
	@bash scripts/install-system-deps.sh

# The browser tests' npm tools (axe-core, the Nu HTML Checker), pinned by package-lock.json.
node-deps:
	@if [ -f package.json ]; then npm ci --no-audit --no-fund --loglevel=error; fi

postgres-up:
	@bash scripts/postgres-up.sh

## The Redis server the shared-cache tests use (started here, installed if missing).
redis-up:
	@bash scripts/redis-up.sh

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache

## The benchmark of issue 5 (not part of the test suite): writes bench/RESULTS.md; then the
## static build's (full build and one-paper rebuild, STATIC_BENCH_ARGS="--papers 1000").
bench: $(VENV)/.installed postgres-up
	@command -v wrk >/dev/null || { sudo=""; [ "$$(id -u)" -eq 0 ] || sudo=sudo; $$sudo apt-get install -y -qq wrk >/dev/null; }
	$(PY) bench/run.py $(BENCH_ARGS)
	$(PY) bench/static_build.py $(STATIC_BENCH_ARGS)
