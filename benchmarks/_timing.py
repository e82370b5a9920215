"""Helpers shared by the Python benchmark scripts: best-of-N timing and Google Benchmark medians."""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def best(fn: Callable[[], object], repeat: int = 5) -> float:
    """The fastest of `repeat` runs of fn(), in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def google_benchmark_medians(program: str) -> dict[str, dict]:
    """Runs build/cpp/benchmarks/<program> 3 times; each benchmark's median record (times, counters)."""
    exe = ROOT / "build" / "cpp" / "benchmarks" / program
    out = subprocess.run([str(exe), "--benchmark_format=json", "--benchmark_repetitions=3",
                          "--benchmark_report_aggregates_only=true"], capture_output=True, text=True, check=True).stdout
    return {b["run_name"]: b for b in json.loads(out)["benchmarks"] if b.get("aggregate_name") == "median"}


def seconds(record: dict, field: str = "real_time") -> float:
    """A Google Benchmark time field in seconds."""
    return record[field] * {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}[record["time_unit"]]


def best_seconds(fn: Callable[[], object], repeat: int) -> float:
    """Best wall time of `repeat` runs of fn() (after one untimed warm-up run)."""
    fn()
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def fmt_time(seconds: float) -> str:
    """A duration with 3 significant digits in ns, µs or ms."""
    ns = seconds * 1e9
    if ns < 1_000:
        return f"{ns:.3g} ns" if ns < 100 else f"{ns:.0f} ns"
    if ns < 1_000_000:
        return f"{ns / 1e3:.3g} µs" if ns < 100_000 else f"{ns / 1e3:.0f} µs"
    return f"{ns / 1e6:.3g} ms"


def fmt_ratio(r: float) -> str:
    """A ratio as the docs print it: 2,462×, 57×, 8.8×, 0.54×."""
    if r >= 100:
        return f"{r:,.0f}×"
    if r >= 10:
        return f"{r:.0f}×"
    return f"{r:.2g}×" if r < 1 else f"{r:.1f}×"
