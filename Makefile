# Factory Tiers — two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
VENDOR := factorytiers/static/vendor
HOST ?= 127.0.0.1
PORT ?= 8000
# Development mode (factorytiers/settings.py): DEBUG on, a fixed SECRET_KEY, static files without
# collectstatic. Only the development recipes below set it; production never does.
DEV := FACTORYTIERS_DEV=1

.PHONY: run test install lock assets migrate demo serve serve-prod lint format messages ci clean

run: install assets migrate demo serve

test: install assets
	$(BIN)/lint-imports --no-cache
	$(DEV) $(BIN)/pytest -n $${PYTEST_WORKERS:-2} $(PYTEST_ARGS)

# Python packages: exact versions and hashes from requirements.lock (runtime and test extra),
# then the project itself without resolving anything again; pip check fails when pyproject.toml
# names a dependency the lock lacks (run `make lock`).
install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python -m pip check
	touch $@

# Regenerate requirements.lock after editing the dependencies in pyproject.toml. Pins that still
# fit are kept; `make lock LOCK_ARGS=--upgrade` moves everything to the newest allowed versions.
lock:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet pip-tools
	CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/pip-compile --quiet --extra test --strip-extras \
	  --generate-hashes --allow-unsafe --no-emit-index-url --no-emit-find-links \
	  $(LOCK_ARGS) -o requirements.lock pyproject.toml

# Front-end assets come from npm (package-lock.json) and are served as our own static files.
assets: $(VENDOR)/.copied

# Bootstrap's source maps come along: the files name them, and collectstatic's manifest
# storage refuses a reference to a missing file.
$(VENDOR)/.copied: package.json package-lock.json Makefile
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p $(VENDOR)/bootstrap $(VENDOR)/htmx $(VENDOR)/echarts
	cp node_modules/bootstrap/dist/css/bootstrap.min.css \
	   node_modules/bootstrap/dist/css/bootstrap.min.css.map \
	   node_modules/bootstrap/dist/js/bootstrap.bundle.min.js \
	   node_modules/bootstrap/dist/js/bootstrap.bundle.min.js.map $(VENDOR)/bootstrap/
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx/
	cp node_modules/echarts/dist/echarts.min.js $(VENDOR)/echarts/
	# CJK fonts embedded in PDFs and charts (one complete TTF per weight, SIL OFL).
	mkdir -p $(VENDOR)/fonts
	cp node_modules/@expo-google-fonts/noto-serif-sc/400Regular/NotoSerifSC_400Regular.ttf $(VENDOR)/fonts/
	cp node_modules/@expo-google-fonts/noto-serif-sc/700Bold/NotoSerifSC_700Bold.ttf $(VENDOR)/fonts/
	cp node_modules/@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf $(VENDOR)/fonts/
	cp node_modules/@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf $(VENDOR)/fonts/
	touch $@

migrate: install
	$(DEV) $(BIN)/python manage.py migrate --no-input

demo: install
	$(DEV) $(BIN)/python manage.py load_demo

serve: install
	$(DEV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

# The production way on this machine: DEBUG off, hashed static files served by whitenoise,
# gunicorn workers (docs/DEPLOYMENT.md). Uses the environment's SECRET_KEY, DATABASE_URL,
# CELERY_BROKER_URL…; without SECRET_KEY, a key kept in var/ for local runs. HTTPS=0: plain
# HTTP on 127.0.0.1 (behind a proxy that terminates HTTPS, leave HTTPS on).
serve-prod: install assets
	mkdir -p var
	test -s var/local-secret-key || $(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > var/local-secret-key
	export SECRET_KEY="$${SECRET_KEY:-$$(cat var/local-secret-key)}" HTTPS="$${HTTPS:-0}" \
	  ALLOWED_HOSTS="$${ALLOWED_HOSTS:-$(HOST),localhost}"; \
	$(BIN)/python manage.py check --deploy --fail-level ERROR && \
	$(BIN)/python manage.py migrate --no-input && \
	$(BIN)/python manage.py collectstatic --no-input -v 0 && \
	exec $(BIN)/gunicorn factorytiers.wsgi --bind $(HOST):$(PORT) \
	  --workers "$${WEB_CONCURRENCY:-3}" --timeout 60 --access-logfile -

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: install
	cd factorytiers && ../$(BIN)/django-admin makemessages -l en --no-obsolete -i "static/vendor/*"
	cd factorytiers && ../$(BIN)/django-admin compilemessages

ci:
	bash .ci/run

clean:
	rm -rf $(VENV) node_modules $(VENDOR) var
