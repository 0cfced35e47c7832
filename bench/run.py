"""Runs every benchmark (bench/bench_*.py) and prints one table.

Each benchmark is a script run in its own process. It prints its results as lines of the
form `BENCH {"name": ..., "value": ..., "unit": ..., "target": ..., "ok": true|false}`
(target and ok may be null for figures that are reported, not judged); anything else it
prints is shown only when it fails. `bench/run.py NAME...` runs only the named ones.
Each starts once the machine has settled from the one before (settle()).
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Before each benchmark, wait (at most SETTLE_SECONDS) for the one-minute load average to
# fall below SETTLE_LOAD: a benchmark started straight after the load test ran with the
# machine still busy from it (load 2.3) and measured that as well as its own work.
SETTLE_LOAD = float(os.environ.get("BENCH_SETTLE_LOAD", "1.0"))
SETTLE_SECONDS = int(os.environ.get("BENCH_SETTLE_SECONDS", "90"))


def settle() -> None:
    waited = 0
    while os.getloadavg()[0] >= SETTLE_LOAD and waited < SETTLE_SECONDS:
        time.sleep(5)
        waited += 5
    if waited:
        load = os.getloadavg()[0]
        print(f"  waited {waited} s for the machine to settle (load {load:.2f})", file=sys.stderr)


def run(script: Path) -> tuple[list[dict], str, int, float]:
    started = time.perf_counter()
    completed = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, cwd=HERE.parent
    )
    rows = []
    for line in completed.stdout.splitlines():
        if line.startswith("BENCH "):
            rows.append(json.loads(line[len("BENCH ") :]))
    output = completed.stdout + completed.stderr
    return rows, output, completed.returncode, time.perf_counter() - started


def main(names: list[str]) -> int:
    scripts = sorted(HERE.glob("bench_*.py"))
    if names:
        scripts = [s for s in scripts if s.stem.removeprefix("bench_") in names]
    table: list[tuple[str, str, str, str, str]] = []
    failed = False
    for script in scripts:
        settle()
        print(f"running {script.name} ...", file=sys.stderr, flush=True)
        rows, output, status, seconds = run(script)
        if status != 0 and not rows:
            failed = True
            table.append((script.stem, "error", "", "", "FAIL"))
            print(output[-4000:], file=sys.stderr)
            continue
        for row in rows:
            ok = row.get("ok")
            failed |= ok is False
            value = row["value"]
            shown = f"{value:,.2f}" if isinstance(value, float) else f"{value:,}"
            table.append(
                (
                    f"{script.stem.removeprefix('bench_')}: {row['name']}",
                    f"{shown} {row.get('unit', '')}".strip(),
                    str(row.get("target") or ""),
                    "" if ok is None else ("ok" if ok else "MISSED"),
                    "",
                )
            )
        if status != 0:
            failed = True
            print(output[-4000:], file=sys.stderr)
    widths = [
        max(len(row[i]) for row in table + [("benchmark", "value", "target", "", "")])
        for i in range(4)
    ]
    header = ("benchmark", "value", "target", "result")
    print(" | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print("-+-".join("-" * w for w in widths))
    for row in table:
        print(" | ".join(cell.ljust(w) for cell, w in zip(row[:4], widths, strict=True)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
