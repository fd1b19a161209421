#!/usr/bin/env bash
# The load run of bench/README.md: a fresh PostgreSQL database with the demo data, gunicorn in
# production settings, locust headless, then the count of what was stored. The database is
# dropped at the end.
#   bash bench/load/run.sh [users] [duration] [enterprises]
set -euo pipefail
cd "$(dirname "$0")/../.."

USERS=${1:-200}
DURATION=${2:-5m}
ENTERPRISES=${3:-3000}
PORT=${LOAD_PORT:-8765}
DB=factorytiers_load
OUT=var/load
mkdir -p "$OUT"

# locust lives in its own environment: it is a tool of this script, not of the product.
test -x .venv-bench/bin/locust || {
  python3 -m venv .venv-bench
  .venv-bench/bin/pip install --quiet "locust==2.*"
}

export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB"
export SECRET_KEY="load-run-only-$(head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
export ALLOWED_HOSTS=127.0.0.1 HTTPS=0 FACTORYTIERS_VAR_DIR="$PWD/$OUT/var" CONN_MAX_AGE=60
psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
trap 'kill "${SERVER:-0}" 2>/dev/null || true; sleep 2; psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $DB"' EXIT

.venv/bin/python manage.py migrate --no-input -v 0
.venv/bin/python manage.py collectstatic --no-input -v 0
.venv/bin/python manage.py load_demo --enterprises "$ENTERPRISES" >/dev/null
.venv/bin/python bench/load/prepare.py "$USERS" "$OUT/accounts.json"

# Workers as gunicorn's documentation suggests for the cores here (2 × cores + 1).
WORKERS=$((2 * $(nproc) + 1))
.venv/bin/gunicorn factorytiers.wsgi --bind "127.0.0.1:$PORT" --workers "$WORKERS" \
  --timeout 60 --access-logfile /dev/null --error-logfile "$OUT/gunicorn.log" &
SERVER=$!
for _ in $(seq 1 30); do curl -fs -o /dev/null "http://127.0.0.1:$PORT/accounts/login/" && break; sleep 1; done

LOAD_ACCOUNTS="$OUT/accounts.json" .venv-bench/bin/locust -f bench/load/locustfile.py --headless \
  --users "$USERS" --spawn-rate 10 --run-time "$DURATION" --host "http://127.0.0.1:$PORT" \
  --csv "$OUT/locust" --only-summary 2>&1 | tee "$OUT/locust.txt" | tail -n 45 || true

echo "== counted afterwards"
.venv/bin/python bench/load/count.py "$OUT/accounts.json" "$OUT/locust_stats.csv"
echo "== server errors logged: $(grep -c -E 'ERROR|Traceback|WORKER TIMEOUT' "$OUT/gunicorn.log" || true)"
