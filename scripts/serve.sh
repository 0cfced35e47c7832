#!/usr/bin/env bash
# `make serve`: the portal as it runs in production, behind a TLS-terminating proxy.
# Reads SECRET_KEY, DATABASE_URL, ALLOWED_HOSTS, CACHE_URL (and the rest of docs/deploy.md)
# from the environment; binds HOST:PORT (127.0.0.1:8000 unless told otherwise).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
export DJANGO_SETTINGS_MODULE=portal.settings.production

if [ -z "${SECRET_KEY:-}" ]; then
  echo "Set SECRET_KEY (at least 50 random characters), DATABASE_URL and ALLOWED_HOSTS." >&2
  echo "  For a local trial: SECRET_KEY=\$(python3 -c 'import secrets; print(secrets.token_urlsafe(60))')" >&2
  exit 2
fi

HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-8000}"
# Sync workers: one request each, so 2 per core plus one keeps the CPUs busy while others
# wait on PostgreSQL. Each worker holds one persistent database connection.
WORKERS="${WEB_CONCURRENCY:-$(( 2 * $(nproc) + 1 ))}"

if [ "${SKIP_COLLECTSTATIC:-}" != "1" ]; then
  $PY manage.py collectstatic --noinput --verbosity 0
fi
if [ "${SKIP_MIGRATE:-}" != "1" ]; then
  $PY manage.py migrate --noinput
  # Case summary pages are stored when published (reviews/publishing/pages.py); those stored by the
  # previous version of the templates are rendered again.
  $PY manage.py review_pages_render
fi

# Pages stored by the previous version of the code must not outlive it.
$PY manage.py shell -c "from portal.cache import public_cache_invalidate; public_cache_invalidate()"

exec .venv/bin/gunicorn portal.wsgi:application \
  --config scripts/gunicorn.conf.py \
  --bind "$HOST:$PORT" \
  --workers "$WORKERS"
