# Pulih: `make run` serves the demo, `make test` runs the whole suite.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
APPS := units surveys complaints cases documents reports api notifications organisations recovery
DEMO_PASSWORD ?= pulih-demo-2026
PG_URL ?= postgres://postgres@127.0.0.1:5432/pulih

.PHONY: run test test-pg install migrate demo lint format messages bench bench-national reliability samples clean

$(BIN)/python:
	$(PY) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q uv || true
	if [ -x $(BIN)/uv ]; then $(BIN)/uv pip install -q -p $(BIN)/python -r pyproject.toml --extra dev; \
	else $(BIN)/pip install -q -e ".[dev]"; fi
	touch $@

install: $(VENV)/.installed

# Settings read .env; the first run writes one with a fresh SECRET_KEY (DEBUG is off by default,
# and the app refuses to start with DEBUG off and no real key).
.env:
	@printf 'SECRET_KEY=%s\n' "$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')" > $@
	@echo "wrote .env with a new SECRET_KEY"

migrate: install .env
	$(BIN)/python manage.py migrate --noinput -v0
	$(BIN)/python manage.py createcachetable

demo: migrate
	$(BIN)/python manage.py demo_data --password $(DEMO_PASSWORD)

run: demo
	DEBUG=0 $(BIN)/python manage.py collectstatic --noinput -v0
	@echo "Pulih on http://127.0.0.1:8000 — log in with the accounts above, password $(DEMO_PASSWORD)"
	@echo "(gunicorn with 3 workers and one task worker; Ctrl-C stops both)"
	DEBUG=0 HTTPS=0 deploy/run-local

test: install
	$(BIN)/pytest $(PYTEST_ARGS)

test-pg: install
	DATABASE_URL=$(PG_URL) $(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Regenerate and compile the Indonesian catalogues (needs GNU gettext). `makemessages` keeps an
# app's catalogue to the strings that app uses: a string translated in one app's catalogue but
# used in another's code would be dropped from the first and come back untranslated in the
# second. The catalogues as they were, merged into one compendium, give those their translation
# back; a catalogue's own translations come first.
CATALOGUES := $(foreach app,pulih $(APPS),$(app)/locale/id/LC_MESSAGES/django.po)
messages: install
	rm -rf var/messages && mkdir -p var/messages
	msgcat --use-first -o var/messages/compendium.po $(wildcard $(CATALOGUES))
	cd pulih && ../$(BIN)/python ../manage.py makemessages -l id --no-obsolete --no-location -i "*.txt" >/dev/null
	for app in $(APPS); do mkdir -p $$app/locale; (cd $$app && ../$(BIN)/python ../manage.py makemessages -l id --no-obsolete --no-location >/dev/null); done
	for po in $(CATALOGUES); do \
	  [ -f $$po ] || continue; \
	  msgattrib --translated --no-fuzzy -o var/messages/own.po $$po && \
	  msgmerge -q --no-fuzzy-matching --no-location --compendium=var/messages/compendium.po \
	    -o var/messages/merged.po var/messages/own.po $$po && \
	  cp var/messages/merged.po $$po || exit 1; \
	done
	$(BIN)/python manage.py compilemessages -v0 --ignore=.venv

bench: install
	$(BIN)/python -m bench $(BENCH_ARGS)

# PostgreSQL at a ministry's size (500 units, 10,000,000 responses, 1,000,000 cases) in its own
# database pulih_national, dropped at the end; PG_ADMIN_URL names the server (default local).
bench-national: install
	$(BIN)/python -m bench.national $(BENCH_ARGS)

reliability: install
	$(BIN)/python -m reliability $(RELIABILITY_ARGS)

# docs/samples/*.png: the first page of each letter and of the report, from the demo data.
samples: install
	$(BIN)/python docs/samples/make_samples.py

clean:
	rm -rf $(VENV) staticfiles db.sqlite3* var
