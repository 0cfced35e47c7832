"""The Welsh catalogue for the tests: compiled when stale, so Welsh pages read Welsh."""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "locale" / "cy" / "LC_MESSAGES" / "django.po"


def compile_catalogue() -> None:
    compiled = CATALOGUE.with_suffix(".mo")
    msgfmt = shutil.which("msgfmt")
    if not CATALOGUE.exists() or msgfmt is None:
        return
    if compiled.exists() and compiled.stat().st_mtime >= CATALOGUE.stat().st_mtime:
        return
    # Written beside it and moved into place, so a reader never sees half a file.
    fd, temporary = tempfile.mkstemp(dir=compiled.parent, suffix=".part")
    os.close(fd)
    subprocess.run([msgfmt, "--check", "-o", temporary, str(CATALOGUE)], check=True)  # noqa: S603
    os.replace(temporary, compiled)
