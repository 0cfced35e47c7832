"""CPU time a page costs, counted in the Django process and in its PostgreSQL backend.

The development machine is shared: with other work running, a page's wall-clock time
includes waiting for a CPU, and varied 3x between runs of the same benchmark minutes apart.
CPU time (the process's own, plus the backend's from /proc/<pid>/schedstat, which counts
only time on a CPU) does not. The benchmarks report both; their targets judge the wall
clock. Needs the backend on this machine and a persistent connection (CONN_MAX_AGE set
before Django starts); elsewhere the backend's share reads as 0.
"""

import time
from pathlib import Path


def _backend_cpu_ns(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/schedstat").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 0


def backend_pid() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def timed_get(client, path: str, params: dict | None = None) -> tuple[float, float, int]:
    """(wall ms, CPU ms of Django + PostgreSQL, status code) of one GET."""
    pid = backend_pid()
    wall, cpu, backend = time.perf_counter(), time.process_time(), _backend_cpu_ns(pid)
    response = client.get(path, params or {})
    wall_ms = (time.perf_counter() - wall) * 1000
    cpu_ms = (time.process_time() - cpu) * 1000 + (_backend_cpu_ns(pid) - backend) / 1e6
    return wall_ms, cpu_ms, response.status_code
