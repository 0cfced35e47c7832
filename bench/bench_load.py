"""A press spike on the Baby C page: wrk on loopback against gunicorn (2 sync workers) with
production settings on PostgreSQL, in one run:

- a static file of the same size, served by WhiteNoise (the ceiling);
- the Baby C page from the public page cache;
- the Baby C page uncached (a second server with PUBLIC_CACHE_SECONDS=0);
- then 60 s against the uncached page, which must give no errors;
- memory per worker.

`wrk -t2 -c32 -d15s` as in issue 8; BENCH_SECONDS shortens the runs for a quick look.
"""

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import bench  # noqa: E402
from _gunicorn import HEADERS, PAGE, ROOT, Server, environment, prepare_database, say

SECONDS = int(os.environ.get("BENCH_SECONDS", "15"))
LONG_SECONDS = int(os.environ.get("BENCH_LONG_SECONDS", "60"))
CONNECTIONS = 32
STATIC_NAME = "bench/baby-c-same-size.html"


def to_ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def wrk(url: str, seconds: int) -> dict:
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency", "--timeout", "5s"]
    for name, value in HEADERS.items():
        command += ["-H", f"{name}: {value}"]
    out = subprocess.run(command + [url], capture_output=True, text=True, check=True).stdout
    result = {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": to_ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1)),
        "p99": to_ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1)),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "errors": 0,
    }
    if match := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        result["errors"] += int(match.group(1))
    if match := re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    ):
        result["errors"] += sum(int(n) for n in match.groups())
    return result


def main() -> int:
    if not shutil.which("wrk"):
        say("wrk is not installed: run scripts/browser-deps.sh (apt-get install wrk)")
        return 1
    env = environment()
    say("preparing database portal_bench with the demo reviews ...")
    prepare_database(env)

    cached = Server(env)
    uncached = Server(environment(PUBLIC_CACHE_SECONDS="0", SECRET_KEY=env["SECRET_KEY"]))
    try:
        status, page = uncached.get(PAGE)
        if status != 200:
            say(f"{PAGE} answered {status}; is Baby C in the demo content?")
            return 1
        # The same bytes as a static file; WhiteNoise finds files when it starts, so the
        # cached server is restarted to see it.
        static_file = ROOT / "staticfiles" / STATIC_NAME
        static_file.parent.mkdir(parents=True, exist_ok=True)
        static_file.write_bytes(page)
        cached.stop()
        cached = Server(env)
        assert cached.get("/static/" + STATIC_NAME)[0] == 200
        assert cached.get(PAGE)[0] == 200

        runs = {}
        for label, server, path in (
            ("static", cached, "/static/" + STATIC_NAME),
            ("cached", cached, PAGE),
            ("uncached", uncached, PAGE),
        ):
            wrk(server.url + path, 2)  # warm up: connections, caches, imports
            runs[label] = wrk(server.url + path, SECONDS)
            say(label, runs[label])
        time.sleep(1)
        long_run = wrk(uncached.url + PAGE, LONG_SECONDS)
        long_cached = wrk(cached.url + PAGE, min(LONG_SECONDS, 20))
        say("long", long_run, long_cached)
        memory = max(cached.worker_rss_mb() + uncached.worker_rss_mb())
    finally:
        cached.stop()
        uncached.stop()

    bench("page size", round(len(page) / 1024, 1), "KB")
    for label in ("static", "cached", "uncached"):
        bench(f"{label} requests/s", round(runs[label]["rps"], 1), "req/s")
    cached_ratio = runs["cached"]["rps"] / runs["static"]["rps"] * 100
    uncached_ratio = runs["uncached"]["rps"] / runs["static"]["rps"] * 100
    bench("cached / static", round(cached_ratio, 1), "%", ">= 85 %", cached_ratio >= 85)
    bench("uncached / static", round(uncached_ratio, 1), "%", ">= 25 %", uncached_ratio >= 25)
    for label, limit in (("static", None), ("cached", 100), ("uncached", 250)):
        bench(f"{label} p50", round(runs[label]["p50"], 2), "ms")
        p99 = runs[label]["p99"]
        target = f"< {limit} ms" if limit else None
        bench(f"{label} p99", round(p99, 2), "ms", target, p99 < limit if limit else None)
    errors = long_run["errors"] + long_cached["errors"] + sum(r["errors"] for r in runs.values())
    bench(
        f"errors in {LONG_SECONDS} s uncached + cached runs",
        errors,
        "errors",
        "0",
        errors == 0,
    )
    bench("memory per worker (max RSS)", round(memory, 1), "MB", "< 150 MB", memory < 150)
    return 0


if __name__ == "__main__":
    sys.exit(main())
