#!/usr/bin/env python3
"""Core parsing (money, instants, local days) in C++: writes the section "core_cpp" of docs/performance.md
from build/cpp/benchmarks/kefu_bench_core (Google Benchmark, benchmarks/bench_core.cpp).

    make cpp-build python-install && .venv/bin/python benchmarks/core_cpp.py
"""

from __future__ import annotations

import sys

import _doc
from _timing import fmt_rate, fmt_time

NAMES = ["core_cpp"]
ROWS = [
    ("BM_money_parse", "`money::parse` (`\"¥1,000.50\"` and similar)"),
    ("BM_parse_instant", "`parse_instant(\"2026-02-14T10:00:00+08:00\")`"),
    ("BM_local_day", "`time_zone::local_day(instant)`"),
]


def render(run: _doc.Run, gb) -> str:
    L = ["## Core parsing (foundation)", "", run.line(), "",
         f"Google Benchmark, `benchmarks/bench_core.cpp`, one core: `{' '.join(gb.command)}`. Times are the median "
         f"of {gb.repetitions} repetitions; \"spread\" is the fastest and the slowest repetition.", "",
         "| operation | time per call | spread | throughput |", "| --- | --- | --- | --- |"]
    for name, what in ROWS:
        r = gb.get(name)
        if r is None:
            L.append(f"| {what} | not run | | |")
            continue
        L.append(f"| {what} | {fmt_time(r.time())} | {r.spread()} | {fmt_rate(1 / r.time(), 'calls')} |")
    L += ["", "Every incoming ticket parses a few amounts and instants; at these rates that is noise next to the "
          "work the later layers do (the triage section below gives the whole)."]
    return "\n".join(L) + "\n"


def main(argv: list[str] | None = None) -> int:
    return _doc.google_benchmark_main(argv, __doc__, "core_cpp.py", "core_cpp", "kefu_bench_core", render)


if __name__ == "__main__":
    sys.exit(main())
