"""What the benchmarks share: the BENCH line bench/run.py reads, a percentile, and a scratch
PostgreSQL database made for one benchmark and dropped after it."""

import json
import os
from collections.abc import Callable
from urllib.parse import urlparse


def bench(name: str, value, unit: str = "ms", target: str | None = None, ok: bool | None = None):
    """One figure, as the line bench/run.py collects into its table."""
    row = {"name": name, "value": value, "unit": unit, "target": target, "ok": ok}
    print("BENCH " + json.dumps(row), flush=True)


def percentile(samples: list[float], fraction: float) -> float:
    """The sample at `fraction` (0.95 for p95) of the sorted samples, nearest rank."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def _admin_connection(database_url: str):
    import psycopg2

    parsed = urlparse(database_url)
    connection = psycopg2.connect(
        host=parsed.hostname,
        port=parsed.port or 5432,
        user=parsed.username or "postgres",
        password=parsed.password or None,
        dbname="postgres",
        connect_timeout=3,
    )
    connection.autocommit = True
    return connection, parsed.path.lstrip("/")


def on_scratch_database(
    *, database_url: str, label: str, run: Callable[[], int], keep_connection: bool = False
) -> int:
    """Create the database `database_url` names (dropping an old one), point Django at it,
    call `run`, and drop the database whatever happens. Without a reachable PostgreSQL, say
    so and return 0: a benchmark skipped is not a failure.

    `keep_connection` keeps one backend for the whole run, so its CPU time can be read
    (bench/_pgcpu.py); it must be set before Django starts."""
    try:
        admin, name = _admin_connection(database_url)
    except Exception as error:  # noqa: BLE001 - any failure to connect means "skip"
        print(f"SKIP {label}: PostgreSQL not reachable at {database_url} ({error})")
        return 0
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings.test"
    if keep_connection:
        os.environ["CONN_MAX_AGE"] = "3600"
    try:
        return run()
    finally:
        from django.db import connections

        connections.close_all()
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
