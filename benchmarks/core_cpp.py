#!/usr/bin/env python3
"""Core parsing (money, instants, local days) in C++: writes the section "core_cpp" of docs/performance.md
from build/cpp/benchmarks/kefu_bench_core (Google Benchmark, benchmarks/bench_core.cpp).

    make cpp-build python-install && .venv/bin/python benchmarks/core_cpp.py
"""

from __future__ import annotations

import argparse
import sys

import _doc
from _timing import DRY_REPEAT, REPEAT, fmt_rate, fmt_time, google_benchmark

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
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    _doc.common_arguments(ap, NAMES)
    args = ap.parse_args(argv)
    if _doc.list_sections_if_asked(args, NAMES):
        return 0
    run = _doc.Run("core_cpp.py", _doc.command("core_cpp.py", peers=False), dry_run=args.dry_run)
    gb = google_benchmark("kefu_bench_core", repetitions=DRY_REPEAT if args.dry_run else REPEAT,
                          min_time=0.001 if args.dry_run else None)
    text = render(run, gb)
    print(text)
    if not args.no_write:
        _doc.write_section("core_cpp", text, args.doc)
    return 0


if __name__ == "__main__":
    sys.exit(main())
