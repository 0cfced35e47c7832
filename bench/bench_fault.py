"""PostgreSQL restarts under steady load: requests may fail only while it is down, all
succeed again within 2 s of it being back, and no worker is left stuck.

8 client threads request the Baby C page (page cache off, so every request needs the
database) from gunicorn with production settings; PostgreSQL on 127.0.0.1:5432 is stopped
for 2 s with pg_ctlcluster and started again.
"""

import http.client
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import bench  # noqa: E402
from _gunicorn import HEADERS, PAGE, Server, environment, prepare_database, say

THREADS = 8


def cluster() -> list[str]:
    version = sorted(Path("/etc/postgresql").iterdir())[0].name
    return ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main"]


def pg_ready() -> bool:
    return subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1"]).returncode == 0


def load(port: int, until: float, results: list) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    while time.monotonic() < until:
        started = time.monotonic()
        try:
            connection.request("GET", PAGE, headers=HEADERS)
            response = connection.getresponse()
            response.read()
            ok = response.status == 200
        except (OSError, http.client.HTTPException):
            ok = False
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        results.append((started, time.monotonic() - started, ok))


def main() -> int:
    env = environment(PUBLIC_CACHE_SECONDS="0")
    prepare_database(env)
    server = Server(env)
    results: list = []
    try:
        until = time.monotonic() + 14
        threads = [
            threading.Thread(target=load, args=(server.port, until, results))
            for _ in range(THREADS)
        ]
        for thread in threads:
            thread.start()
        time.sleep(4)
        down_at = time.monotonic()
        subprocess.run([*cluster(), "stop", "-m", "fast"], check=True)
        time.sleep(2)
        subprocess.run([*cluster(), "start"], check=True)
        while not pg_ready():
            time.sleep(0.05)
        back_at = time.monotonic()
        say(f"PostgreSQL down {back_at - down_at:.2f} s")
        for thread in threads:
            thread.join()
        health = server.get("/healthz")[0]
        workers_alive = len(server.worker_pids())
    finally:
        server.stop()
        if not pg_ready():
            subprocess.run([*cluster(), "start"], check=False)

    before = [r for r in results if r[0] + r[1] < down_at]
    after = [r for r in results if r[0] >= back_at + 2]
    failures = [r for r in results if not r[2]]
    last_failure = max((r[0] + r[1] for r in failures), default=back_at)
    recovery = max(0.0, last_failure - back_at)
    slowest_after = max((r[1] for r in after), default=0) * 1000
    bench("requests during the fault run", len(results), "requests")
    bench("failed while PostgreSQL was down", len(failures), "requests")
    bench(
        "failures before the restart",
        sum(not r[2] for r in before),
        "requests",
        "0",
        all(r[2] for r in before),
    )
    bench(
        "failures from 2 s after it is back",
        sum(not r[2] for r in after),
        "requests",
        "0",
        bool(after) and all(r[2] for r in after),
    )
    bench("recovery after PostgreSQL is back", round(recovery, 2), "s", "<= 2 s", recovery <= 2)
    bench(
        "slowest request after recovery",
        round(slowest_after, 1),
        "ms",
        "< 1000 ms",
        slowest_after < 1000,
    )
    bench(
        "health check and workers after",
        health,
        "HTTP status",
        "200 with 2 workers",
        health == 200 and workers_alive == 2,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
