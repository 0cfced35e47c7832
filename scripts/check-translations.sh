#!/usr/bin/env bash
# The Welsh catalogue is complete (docs/welsh.md): fails, naming the strings, when
#   - the code or templates have an interface string the catalogue does not have
#     (a fresh `makemessages` over a copy of the code, compared with msgcmp),
#   - a string in the catalogue is untranslated or fuzzy, or
#   - a translation does not match its original's placeholders (msgfmt --check).
# Needs gettext (Debian package `gettext`, installed by scripts/system-packages.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
PY="$PWD/.venv/bin/python"
CATALOGUE=locale/cy/LC_MESSAGES/django.po

for tool in msgfmt msgcmp msgattrib xgettext msgmerge msguniq; do
  command -v "$tool" >/dev/null || {
    echo "check-translations: $tool is missing: install the Debian package gettext." >&2; exit 1; }
done

echo "== Welsh catalogue: placeholders and plural forms (msgfmt --check)"
msgfmt --check --statistics -o /dev/null "$CATALOGUE"

echo "== Welsh catalogue: nothing untranslated or fuzzy"
problems=$(msgattrib --untranslated --no-obsolete "$CATALOGUE"; msgattrib --only-fuzzy --no-obsolete "$CATALOGUE")
if [ -n "$problems" ]; then
  echo "$problems" | grep -E '^msgid ' | grep -v '^msgid ""$' >&2 || true
  echo "check-translations: the strings above need a Welsh translation (edit $CATALOGUE)." >&2
  exit 1
fi

echo "== Welsh catalogue: every interface string of the code is in it (makemessages, msgcmp)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A copy, so makemessages writes its fresh extraction there and never touches the catalogue.
cp -r manage.py portal reviews learning templates "$work/"
mkdir -p "$work/locale"
(cd "$work" && DATABASE_URL= "$PY" manage.py makemessages -l cy --no-wrap \
  --settings=portal.settings.test --ignore='*/__pycache__/*' >/dev/null)
if ! report=$(msgcmp "$CATALOGUE" "$work/$CATALOGUE" 2>&1); then
  # msgcmp names line numbers of the fresh extraction: print the strings themselves.
  echo "$report" | grep -oE 'django\.po:[0-9]+:' | cut -d: -f2 | while read -r line; do
    from=$((line > 2 ? line - 2 : 1))
    echo "Not in the Welsh catalogue: $(sed -n "${from},${line}p" "$work/$CATALOGUE" | grep '^msgid ' | head -n 1)" >&2
  done
  echo "check-translations: run 'python manage.py makemessages -l cy --no-wrap --add-location=file'" \
    "and translate the new strings in $CATALOGUE (docs/welsh.md)." >&2
  exit 1
fi
echo "Welsh catalogue complete."
