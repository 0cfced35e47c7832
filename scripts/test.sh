#!/usr/bin/env bash
# Runs the suite on the database DATABASE_URL names (SQLite when unset), on every CPU
# (pytest-xdist), and says plainly what it could not run here.
#
#   scripts/test.sh                 everything (make test)
#   scripts/test.sh --fast          everything but the browser tests (make test-fast)
#   scripts/test.sh ARGS...         extra pytest arguments, e.g. -k search or tests/reviews
#   TEST_WORKERS=0 scripts/test.sh  in one process, no workers (for pdb, or -x on the first)
set -uo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python

if [ -n "${DATABASE_URL:-}" ]; then
  echo "== Test suite on ${DATABASE_URL%%:*} (DATABASE_URL is set)"
else
  echo "== Test suite on SQLite (set DATABASE_URL=postgres://... to run it on PostgreSQL too)"
fi

fast=()
if [ "${1:-}" = "--fast" ]; then
  shift
  fast=(-m "not browser")
  echo "== Leaving out the browser tests (tests/browser): 'make test' runs them"
fi

# One worker per CPU ("auto"); each has its own test database (SQLite in memory, or
# test_portal_<TEST_DB_SUFFIX>_gw0, _gw1... on PostgreSQL). loadgroup keeps the browser tests
# together on one worker, so one Chromium starts; the rest go to whichever worker is free.
workers="${TEST_WORKERS:-auto}"
parallel=(-n "$workers")
if [ "$workers" != 0 ]; then
  parallel+=(--dist loadgroup)
  echo "== In parallel: pytest-xdist with -n $workers (TEST_WORKERS=0 runs in one process)"
fi

DATABASE_URL= $PY manage.py makemigrations --check --dry-run --settings=portal.settings.test >/dev/null || {
  echo "Models and migrations differ: run 'python manage.py makemigrations'." >&2; exit 1; }

$PY -m pytest "${parallel[@]}" "${fast[@]}" "$@"
status=$?
if [ $status -eq 5 ]; then
  echo "No tests were collected." >&2
fi
exit $status
