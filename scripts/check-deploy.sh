#!/usr/bin/env bash
# `check --deploy` with production settings must report nothing at all.
set -euo pipefail
cd "$(dirname "$0")/.."
SECRET_KEY="$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(60))')" \
ALLOWED_HOSTS=portal.example.org \
EMAIL_HOST=smtp.example.org \
  .venv/bin/python manage.py check --deploy --fail-level WARNING --settings=portal.settings.production
