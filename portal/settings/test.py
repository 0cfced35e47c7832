"""The test suite. Same as development, minus what makes tests slow or flaky."""

import os
import tempfile

from portal.settings.base import *  # noqa: F403
from portal.settings.base import DATABASES

SECRET_KEY = "test-only-not-secret"  # noqa: S105 - never used outside tests
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
# Off, so one test's pages are never served to the next; tests/portal/test_cache.py turns
# it on where it is what is being tested.
PUBLIC_CACHE_SECONDS = 0
# Off: a test makes many requests from one address in a moment; tests/portal/test_ratelimit.py
# turns it on where it is what is being tested.
PUBLIC_REQUESTS_PER_ADDRESS = 0

# Several people (and CI) may run the suite against one PostgreSQL server at once.
# (SQLite test databases live in memory, one per process, so they need no suffix.)
if (suffix := os.environ.get("TEST_DB_SUFFIX")) and "sqlite" not in DATABASES["default"]["ENGINE"]:
    DATABASES["default"].setdefault("TEST", {})["NAME"] = f"test_portal_{suffix}"

# Each test run (and each test, through tests/conftest.py) stores PDFs in a folder of its own.
PDF_STORE_DIR = os.environ.get("PDF_STORE_DIR") or tempfile.mkdtemp(prefix="portal-test-pdfs-")
# Evidence files never land in the worktree's private/ folder.
PRIVATE_MEDIA_ROOT = tempfile.mkdtemp(prefix="portal-test-private-")

# Each test process has its own generation of public content: with the suite run in
# parallel, one worker publishing must not move the generation under another's feet (the
# file is otherwise shared by every process of this folder and database).
PUBLIC_CACHE_GENERATION_FILE = os.path.join(
    tempfile.mkdtemp(prefix="portal-test-generation-"), "generation"
)
