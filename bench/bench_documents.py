"""Review documents at catalogue scale: export 1,000 generated reviews, import the folder into
an empty database (target: under 60 s), export again and compare the files byte for byte.

Runs manage.py in subprocesses against two throwaway SQLite databases, as a board would run
the commands. Prints BENCH lines for bench/run.py.
"""

import filecmp
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import bench  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
COUNT = int(os.environ.get("BENCH_DOCUMENTS", "1000"))


def manage(database: Path, *args: str) -> float:
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "DATABASE_URL": f"sqlite:///{database}",
    }
    started = time.perf_counter()
    subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True,
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    return time.perf_counter() - started


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        source, target = folder / "source.sqlite3", folder / "target.sqlite3"
        first, second = folder / "first", folder / "second"
        manage(source, "migrate", "--noinput")
        manage(source, "generate_reviews", "--count", str(COUNT), "--seed", "7")
        export_seconds = manage(source, "export_reviews", str(first))
        documents = len(list(first.glob("*.md")))
        manage(target, "migrate", "--noinput")
        import_seconds = manage(target, "import_reviews", "--keep-status", str(first))
        manage(target, "export_reviews", str(second))
        names = sorted(path.name for path in first.glob("*.md"))
        _, mismatch, errors = filecmp.cmpfiles(first, second, names, shallow=False)

    bench(f"export {documents} documents", round(export_seconds, 1), "s")
    bench(
        f"import a folder of {documents} documents",
        round(import_seconds, 1),
        "s",
        "< 60 s",
        import_seconds < 60 and documents == COUNT,
    )
    different = len(mismatch) + len(errors)
    bench(
        "documents not byte-identical after the round trip", different, "files", "0", different == 0
    )


if __name__ == "__main__":
    main()
