#!/usr/bin/env bash
# Runs the whole suite on the database DATABASE_URL names (SQLite when unset) and says
# plainly what it could not run here.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python

if [ -n "${DATABASE_URL:-}" ]; then
  echo "== Test suite on ${DATABASE_URL%%:*} (DATABASE_URL is set)"
else
  echo "== Test suite on SQLite (set DATABASE_URL=postgres://... to run it on PostgreSQL too)"
fi

DATABASE_URL= $PY manage.py makemigrations --check --dry-run --settings=portal.settings.test >/dev/null || {
  echo "Models and migrations differ: run 'python manage.py makemigrations'." >&2; exit 1; }

$PY -m pytest "$@"
status=$?
if [ $status -eq 5 ]; then
  echo "No tests were collected." >&2
fi
exit $status
