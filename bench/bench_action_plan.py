"""Action plans at board scale: import a CSV of 10,000 actions into a portal of 200
generated reviews, export them, import the export again (all rows unchanged) and export
again: the two exports must be identical, byte for byte.

Runs manage.py in subprocesses against a throwaway SQLite database, as a board would run
the commands. Prints BENCH lines for bench/run.py.
"""

import csv
import datetime
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import bench  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
ACTIONS = int(os.environ.get("BENCH_ACTIONS", "10000"))
REVIEWS = int(os.environ.get("BENCH_ACTION_REVIEWS", "200"))
# The slugs, recommendation counts and agencies the plan can use, read from the database.
FACTS = (
    "import json; from django.db.models import Count; from reviews.models import Agency, Review;"
    "print(json.dumps({'reviews': list(Review.objects.working_copies().annotate("
    "n=Count('recommendations')).filter(n__gt=0).values_list('slug', 'n')),"
    "'agencies': list(Agency.objects.values_list('name', flat=True))}))"
)


def manage(env: dict, *args: str, capture: bool = False) -> tuple[float, str]:
    started = time.perf_counter()
    result = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True,
        stdout=subprocess.PIPE if capture else subprocess.DEVNULL, text=True,
    )  # fmt: skip
    return time.perf_counter() - started, result.stdout or ""


def plan_csv(facts: dict) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        ["review", "recommendation", "action", "owner", "due", "status", "progress", "evidence"]
    )
    today = datetime.date.today()
    statuses = ["not-started", "in-progress", "evidence-submitted", "complete"]
    reviews, agencies = facts["reviews"], facts["agencies"]
    for index in range(ACTIONS):
        slug, recommendations = reviews[index % len(reviews)]
        status = statuses[index % 4]
        writer.writerow([
            slug, 1 + index % recommendations, f"=Action {index}: audit the records",
            agencies[index % len(agencies)], (today + datetime.timedelta(index % 200)).isoformat(),
            status, "Progress, with “quotes” and a comma", "Minutes" if index % 4 >= 2 else "",
        ])  # fmt: skip
    return ("\ufeff" + out.getvalue()).encode()


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        env = os.environ | {
            "DJANGO_SETTINGS_MODULE": "portal.settings.test",
            "DATABASE_URL": f"sqlite:///{folder / 'portal.sqlite3'}",
        }
        manage(env, "migrate", "--noinput")
        manage(env, "generate_reviews", "--count", str(REVIEWS), "--seed", "7")
        _, facts = manage(env, "shell", "-c", FACTS, capture=True)
        plan = folder / "plan.csv"
        plan.write_bytes(plan_csv(json.loads(facts.strip().splitlines()[-1])))
        first, second = folder / "first.csv", folder / "second.csv"
        import_seconds, _ = manage(env, "import_action_plan", str(plan))
        export_seconds, _ = manage(env, "export_action_plan", "-o", str(first))
        again_seconds, _ = manage(env, "import_action_plan", str(first))
        manage(env, "export_action_plan", "-o", str(second))
        identical = first.read_bytes() == second.read_bytes()
        rows = first.read_bytes().count(b"\r\n") - 1

    bench(f"import a CSV of {ACTIONS} new actions", round(import_seconds, 1), "s")
    bench(f"export {rows} actions", round(export_seconds, 1), "s")
    bench(f"import the export again ({rows} rows, none changed)", round(again_seconds, 1), "s")
    bench("export, import, export: identical bytes", identical, "", "True", identical)


if __name__ == "__main__":
    main()
