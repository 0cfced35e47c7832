"""Real-browser checks: Playwright drives Debian's Chromium (never a downloaded browser).

scripts/browser-deps.sh installs what these need; without it they skip, saying what is missing.
"""

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import attach_serialized_contents

ROOT = Path(__file__).resolve().parent.parent.parent
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
AXE = ROOT / ".browser-deps" / "node_modules" / "axe-core" / "axe.min.js"
VNU = ROOT / ".browser-deps" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make to set
# up data are still ordinary synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    reasons = []
    if not CHROMIUM.exists():
        reasons.append(f"no Chromium at {CHROMIUM} (run scripts/browser-deps.sh)")
    try:
        import playwright  # noqa: F401
    except ImportError:
        reasons.append("the playwright package is not installed (make install)")
    for item in items:
        if "browser" not in item.keywords:
            continue
        if reasons:
            item.add_marker(pytest.mark.skip(reason="; ".join(reasons)))
        elif "axe" in item.keywords and not AXE.exists():
            item.add_marker(
                pytest.mark.skip(reason="axe-core missing: run scripts/browser-deps.sh")
            )
        elif "vnu" in item.keywords and (not VNU.exists() or not shutil.which("java")):
            item.add_marker(
                pytest.mark.skip(reason="vnu.jar or java missing: run scripts/browser-deps.sh")
            )


@pytest.fixture(scope="session")
def chromium(_serialized_test_database):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # Under Playwright's event loop Django hands out other connection objects.
        attach_serialized_contents(_serialized_test_database)
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    context = chromium.new_context()
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def axe_page(chromium):
    """A page whose CSP is bypassed: Playwright injects axe-core as an inline script, which
    our CSP rightly blocks. Used only for the axe run; every other check keeps the CSP."""
    context = chromium.new_context(bypass_csp=True)
    page = context.new_page()
    yield page
    context.close()
