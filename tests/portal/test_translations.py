"""The Welsh catalogue is complete: what scripts/check-translations.sh checks in CI, so that
`make test` catches a new interface string without its Welsh translation."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "check-translations.sh"

pytestmark = [
    pytest.mark.skipif(
        shutil.which("msgfmt") is None or shutil.which("msgcmp") is None,
        reason="needs gettext (msgfmt, msgcmp): sudo apt-get install gettext",
    ),
    # No database is used; marked so the suite's session fixtures find theirs set up.
    pytest.mark.django_db,
]


def run_check(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603
        ["bash", str(root / "scripts" / "check-translations.sh")],  # noqa: S607
        capture_output=True,
        text=True,
        env={**os.environ, "DATABASE_URL": ""},
        timeout=120,
    )


def test_every_interface_string_has_its_welsh_translation():
    result = run_check(ROOT)

    assert result.returncode == 0, result.stdout + result.stderr


def copy_of_the_project(tmp_path: Path) -> Path:
    copy = tmp_path / "project"
    copy.mkdir()
    for name in ("manage.py", "portal", "reviews", "learning", "templates", "locale", "scripts"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, copy / name)
    (copy / ".venv").symlink_to(ROOT / ".venv")
    return copy


def test_a_new_string_without_a_translation_fails_the_check(tmp_path):
    copy = copy_of_the_project(tmp_path)
    page = copy / "templates" / "404.html"
    page.write_text(page.read_text() + '{% translate "A sentence nobody translated" %}\n')

    result = run_check(copy)

    assert result.returncode != 0
    assert "A sentence nobody translated" in result.stdout + result.stderr


def test_a_fuzzy_translation_fails_the_check(tmp_path):
    copy = copy_of_the_project(tmp_path)
    catalogue = copy / "locale" / "cy" / "LC_MESSAGES" / "django.po"
    text = catalogue.read_text()
    fuzzy = text.replace('msgid "Page not found"', '#, fuzzy\nmsgid "Page not found"', 1)
    catalogue.write_text(fuzzy)

    result = run_check(copy)

    assert result.returncode != 0
    assert "Page not found" in result.stderr
