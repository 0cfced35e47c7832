#!/usr/bin/env bash
# Debian packages the portal needs besides Python packages: Pango for WeasyPrint (the PDF
# versions of the printable sheets), the fonts those PDFs embed, and gettext (msgfmt and
# friends) to compile and check the Welsh interface catalogue (docs/welsh.md). Installs only what is
# missing; safe to run again. Without root it says what to install instead of failing.
set -euo pipefail

PACKAGES=(libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation2 fonts-dejavu-core gettext)

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "Not a Debian system: install Pango and the Liberation fonts for PDF sheets, and gettext, yourself." >&2
  exit 0
fi
missing=()
for package in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "PDF sheets and the Welsh catalogue need: sudo apt-get install -y ${missing[*]}" >&2
  exit 0
fi
echo "== Installing ${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
