#!/usr/bin/env bash
# What the browser tests and load benchmarks need, from Debian and the npm registry only:
# Chromium and its driver (Playwright drives /usr/bin/chromium; it never downloads a browser),
# Java for the Nu Html Checker, wrk for load, npm, and pinned axe-core and vnu-jar in
# .browser-deps/ (gitignored). Without root it says what is missing and the tests skip.
set -euo pipefail
cd "$(dirname "$0")/.."

AXE_CORE_VERSION=4.14.1
VNU_JAR_VERSION=26.9.27

missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v chromedriver >/dev/null || missing+=(chromium-driver)
command -v java >/dev/null || missing+=(default-jre-headless)
command -v wrk >/dev/null || missing+=(wrk)
command -v npm >/dev/null || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "== Installing ${missing[*]} (apt)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "Missing ${missing[*]}: run as root, or install them with apt-get." >&2
  fi
fi

if ! command -v npm >/dev/null; then
  echo "No npm: axe-core and vnu-jar not installed; their browser tests will skip." >&2
  exit 0
fi
mkdir -p .browser-deps
if [ ! -f .browser-deps/node_modules/axe-core/axe.min.js ] \
  || [ ! -f .browser-deps/node_modules/vnu-jar/build/dist/vnu.jar ] \
  || ! grep -q "\"version\": \"$AXE_CORE_VERSION\"" .browser-deps/node_modules/axe-core/package.json; then
  echo "== Installing axe-core $AXE_CORE_VERSION and vnu-jar $VNU_JAR_VERSION (npm)"
  (cd .browser-deps && npm install --no-save --no-package-lock --no-audit --no-fund --silent \
    "axe-core@$AXE_CORE_VERSION" "vnu-jar@$VNU_JAR_VERSION")
fi
