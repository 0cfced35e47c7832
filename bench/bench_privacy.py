"""Benchmark the anonymisation scanner against the labelled corpus.

    .venv/bin/python bench/bench_privacy.py

Prints one table: recall per kind on the labelled documents, false findings per 1,000 words of
clean case-summary text, and the median time to scan a 10,000-word review. Exits non-zero when
a target is missed. Needs no Django settings.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from _common import bench  # noqa: E402

from reviews.privacy.scanner import KINDS, scan_text  # noqa: E402
from tests.reviews.privacy_corpus import loader  # noqa: E402

RECALL_TARGET = 0.95
FALSE_PER_1000_TARGET = 1.0
SCAN_MS_TARGET = 100.0
REVIEW_WORDS = 10_000
RUNS = 9
# A review's protected names: a child, a parent and a school, as a real review would list.
BENCH_PROTECTED = ("Jordan", "Kelly Smith", "Sunnyside Primary School")


def _overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


def measure_recall() -> tuple[Counter[str], Counter[str], Counter[str], Counter[str]]:
    """Planted, found (overlapping), exact and unlabelled findings per kind."""
    planted: Counter[str] = Counter()
    found: Counter[str] = Counter()
    exact: Counter[str] = Counter()
    extra: Counter[str] = Counter()
    for doc in loader.load("labelled"):
        findings = scan_text(doc.text, protected_names=doc.protected, pseudonyms=doc.pseudonyms)
        for label in doc.labels:
            planted[label.kind] += 1
            same_kind = [f for f in findings if f.kind == label.kind]
            found[label.kind] += any(
                _overlaps(f.start, f.end, label.start, label.end) for f in same_kind
            )
            exact[label.kind] += any(
                (f.start, f.end) == (label.start, label.end) for f in same_kind
            )
        for f in findings:
            if not any(
                lb.kind == f.kind and _overlaps(f.start, f.end, lb.start, lb.end)
                for lb in doc.labels
            ):
                extra[f.kind] += 1
    return planted, found, exact, extra


def measure_clean() -> tuple[Counter[str], int]:
    false: Counter[str] = Counter()
    words = 0
    for doc in loader.load("clean"):
        words += doc.words
        for f in scan_text(doc.text, pseudonyms=doc.pseudonyms):
            false[f.kind] += 1
    return false, words


def review_text(words: int = REVIEW_WORDS) -> str:
    """A 10,000-word review built from the corpus, identifiers included, as a worst case."""
    docs = loader.load("clean") + loader.load("labelled")
    paragraphs = [p for doc in docs for p in doc.text.split("\n\n")]
    out: list[str] = []
    count = 0
    while count < words:
        for paragraph in paragraphs:
            out.append(paragraph)
            count += len(paragraph.split())
            if count >= words:
                break
    return " ".join(" ".join(out).split()[:words])


def measure_speed() -> tuple[float, float, int]:
    text = review_text()
    scan_text("Warm-up loads the first-name lists once.", protected_names=["x"])
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        scan_text(text, protected_names=BENCH_PROTECTED)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times), len(text.split())


def main() -> int:
    planted, found, exact, extra = measure_recall()
    false, clean_words = measure_clean()
    median_ms, worst_ms, review_words = measure_speed()

    failures: list[str] = []
    rows = []
    for kind in KINDS:
        recall = found[kind] / planted[kind] if planted[kind] else 0.0
        per_1000 = false[kind] * 1000 / clean_words
        ok = recall >= RECALL_TARGET
        if not ok:
            failures.append(f"recall for {kind} is {recall:.1%}")
        exact_rate = exact[kind] / planted[kind] if planted[kind] else 0.0
        verdict = "ok" if ok else "MISS"
        rows.append(
            f"| {kind:<15} | {planted[kind]:>7} | {recall:>7.1%} | {exact_rate:>6.1%} "
            f"| {extra[kind]:>5} | {false[kind]:>5} | {per_1000:>6.2f} | {verdict:<4} |"
        )
    total_false = sum(false.values())
    total_per_1000 = total_false * 1000 / clean_words
    if total_per_1000 > FALSE_PER_1000_TARGET:
        failures.append(f"{total_per_1000:.2f} false findings per 1,000 clean words")
    if median_ms >= SCAN_MS_TARGET:
        failures.append(f"{review_words:,}-word scan took {median_ms:.1f} ms")

    header = (
        "| kind            | planted |  recall |  exact | extra | clean | /1000w | pass |\n"
        "|-----------------|---------|---------|--------|-------|-------|--------|------|"
    )
    print(header)
    print("\n".join(rows))
    print(
        f"| all (clean text: {clean_words:,} words)"
        f"{'':<24}| {total_false:>5} | {total_per_1000:>6.2f} | "
        f"{'ok' if total_per_1000 <= FALSE_PER_1000_TARGET else 'MISS':<4} |"
    )
    print(
        f"| scan {review_words:,} words: median {median_ms:.1f} ms, worst {worst_ms:.1f} ms "
        f"over {RUNS} runs (target < {SCAN_MS_TARGET:.0f} ms)"
        f"{'':<3}| {'ok' if median_ms < SCAN_MS_TARGET else 'MISS':<4} |"
    )
    print(
        "\nrecall: planted identifiers overlapped by a finding of the same kind; exact: same "
        "span;\nextra: findings in labelled texts matching no label; clean: findings in clean "
        "summaries."
    )
    # The same figures as lines for bench/run.py's one table.
    for kind in KINDS:
        recall = found[kind] / planted[kind] if planted[kind] else 0.0
        bench(f"recall, {kind}", round(100 * recall, 1), "%", ">= 95 %", recall >= RECALL_TARGET)
    bench(
        f"false findings per 1,000 clean words ({clean_words:,} words)",
        round(total_per_1000, 2),
        "",
        "<= 1",
        total_per_1000 <= FALSE_PER_1000_TARGET,
    )
    bench(
        f"scan a {review_words:,}-word review (median of {RUNS})",
        round(median_ms, 1),
        "ms",
        "< 100 ms",
        median_ms < SCAN_MS_TARGET,
    )
    for failure in failures:
        print(f"TARGET MISSED: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
