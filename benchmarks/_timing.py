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
