"""Shared by the load and fault benchmarks: a production-settings portal under gunicorn on a
free loopback port, on its own PostgreSQL database holding the demo reviews."""

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
DATABASE = os.environ.get("BENCH_DATABASE", "portal_bench")
HEADERS = {"X-Forwarded-Proto": "https", "Host": "localhost"}
PAGE = "/reviews/baby-c/"


def say(*args) -> None:
    print(*args, file=sys.stderr, flush=True)


def environment(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        DATABASE_URL=f"{PG}/{DATABASE}",
        SECRET_KEY=env.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(60),
        ALLOWED_HOSTS="localhost,127.0.0.1",
        EMAIL_HOST="localhost",
        PYTHONUNBUFFERED="1",
        # Load from one address measures capacity, not the per-address budget
        # (bench_hostile.py turns it back on).
        PUBLIC_REQUESTS_PER_ADDRESS="0",
    )
    env.pop("CACHE_URL", None)
    env.update(extra)
    return env


def psql(sql: str) -> None:
    subprocess.run(
        ["psql", f"{PG}/postgres", "-q", "-v", "ON_ERROR_STOP=1", "-c", sql],
        check=True,
        capture_output=True,
    )


def prepare_database(env: dict[str, str]) -> None:
    """A fresh database with the demo content, and collected static files."""
    if not Path("/usr/bin/psql").exists():
        raise SystemExit("needs PostgreSQL's psql client and server on 127.0.0.1:5432")
    psql(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
    psql(f'CREATE DATABASE "{DATABASE}"')
    for command in (
        # Static files first: loading the demo stores rendered pages, whose {% static %}
        # links need the manifest (on a fresh clone there is none yet).
        ["collectstatic", "--noinput", "-v0"],
        ["migrate", "--noinput", "-v0"],
        ["load_demo"],
    ):
        done = subprocess.run(
            [PY, "manage.py", *command], cwd=ROOT, env=env, capture_output=True, text=True
        )
        if done.returncode:
            raise SystemExit(f"manage.py {' '.join(command)} failed:\n{done.stderr[-3000:]}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn as scripts/serve.sh runs it (same config file), with a fixed worker count."""

    def __init__(self, env: dict[str, str], workers: int = 2, log: Path | None = None):
        """`log`: a file for gunicorn's own log (worker timeouts), else it is dropped."""
        self.port = free_port()
        self.env = env
        self.log = log
        self.process = subprocess.Popen(
            [
                GUNICORN,
                "portal.wsgi:application",
                "--config",
                "scripts/gunicorn.conf.py",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
            ],
            cwd=ROOT,
            env=env,
            stdout=log.open("wb") if log else subprocess.DEVNULL,
            stderr=subprocess.STDOUT if log else subprocess.DEVNULL,
            start_new_session=True,
        )
        self.wait_ready()

    def worker_timeouts(self) -> int:
        """Workers gunicorn killed for running past its timeout (needs `log`)."""
        return self.log.read_text(errors="replace").count("WORKER TIMEOUT") if self.log else 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def get(self, path: str, timeout: float = 5) -> tuple[int, bytes]:
        request = urllib.request.Request(self.url + path, headers=HEADERS)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def wait_ready(self) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit("gunicorn exited while starting")
            with contextlib.suppress(OSError):
                if self.get("/healthz", timeout=2)[0] == 200:
                    return
            time.sleep(0.2)
        raise SystemExit("gunicorn did not answer /healthz within 30 s")

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def worker_rss_mb(self) -> list[float]:
        sizes = []
        for pid in self.worker_pids():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    sizes.append(int(line.split()[1]) / 1024)
        return sizes

    def stop(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
