#!/usr/bin/env python3
"""Every benchmark script in one go; writes the whole of docs/performance.md.

Runs, one after the other, every script of benchmarks/_doc.py SECTIONS against an empty page, then writes
the page: its title, the overview (this script's: the run, how to read the tables, and every section's goal
verdicts in one table), and every section in order. Nothing of the previous page survives, and when a script
fails the page is left as it was. `make benchmark-docs` builds what is needed and runs this.

    make benchmark-docs
    .venv/bin/python benchmarks/all.py [--dry-run] [--doc PATH] [--only SCRIPT …]
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _doc
import _machine
from _timing import REPEAT

HERE = Path(__file__).resolve().parent
NAMES = ["overview"]


def anchor(heading: str) -> str:
    """GitHub's anchor of a '## heading'."""
    text = heading.lstrip("#").strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def overview(run: _doc.Run, bodies: dict[str, str], timings: list[tuple[str, float, float, float]],
             machine: tuple[_machine.Probe, _machine.Probe]) -> str:
    L = ["## Overview", "", run.line(), "",
         "Every section below was written by its script in this one run of `benchmarks/all.py` (the scripts ran one "
         "after the other; each section names its script, its start time, the load around it and the command that "
         "reproduces it alone). Tests never time anything; `tests/python/test_benchmark_docs.py` checks that this "
         "page holds exactly the sections the scripts write, so a hand edit is caught.", "",
         "How every table is measured (`benchmarks/_timing.py`):", "",
         f"- **Python**: one untimed warm-up, then {REPEAT} timed runs of each side, interleaved (peer, kefu, peer, "
         "kefu …, or round-robin over several measurements), so both sides see the same machine and get the same "
         "number of runs. Times are the **median** run divided by the elements per run; \"spread\" is the fastest "
         "and slowest run; a ratio is peer median / kefu median, with the range of the per-run ratios.",
         f"- **C++**: Google Benchmark with `--benchmark_repetitions={REPEAT}`; times are the median repetition, the "
         "spread the fastest and slowest repetition.",
         "- **Like with like**: a goal is judged call for call or batch for batch, every conversion on each side "
         "timed (kefu's column building included), each peer in its fastest documented form; rows that compare "
         "other forms say so and decide nothing.",
         "- **Goals** marked (#17) are issue 17's targets; the others are the targets of earlier work.", ""]
    rows, met, unmet, other = [], 0, 0, 0
    for name, _script in _doc.SECTIONS:
        body = bodies.get(name, "")
        if not body:
            continue
        heading = body.splitlines()[0]
        for goal, measured, verdict in _doc.goal_rows(body):
            rows.append(f"| [{heading.lstrip('# ')}](#{anchor(heading)}) | {goal} | {measured} | {verdict} |")
            v = verdict.lower()
            if "not measured" in v:
                other += 1
            elif v.startswith("yes") and "no" not in v:
                met += 1
            else:
                unmet += 1
    L += ["### Goals", "", f"{met} met, {unmet} not met, {other} not measured.", "",
          "| section | goal | measured | met |", "| --- | --- | --- | --- |"]
    L += rows
    L += ["", "### The run", "", "| script | sections | minutes | load at start → end |", "| --- | --- | --- | --- |"]
    for script, minutes, l0, l1 in timings:
        names = ", ".join(n for n, s in _doc.SECTIONS if s == script)
        L.append(f"| `benchmarks/{script}` | {names} | {minutes:.1f} | {l0:.2f} → {l1:.2f} |")
    L += ["", "### The machine", "",
          "Measured before the first script and after the last. The speed rows are fixed work: compare them "
          "between pages before comparing any time (the same host has run them up to twice as fast on another "
          "day). The two-at-once rows are the ceiling of every two-worker figure on the page (Dask, threads): "
          "the throughput two processes get over one on this machine for compute-bound and for memory-bound "
          "work.", ""]
    L += _machine.describe(*machine)
    return "\n".join(L) + "\n"


def wait_for_quiet(max_load: float, minutes: float) -> None:
    deadline = time.monotonic() + minutes * 60
    while True:
        load = _doc.load_average()
        if load < max_load:
            print(f"1-minute load average {load:.2f} < {max_load}: starting", flush=True)
            return
        if time.monotonic() >= deadline:
            print(f"1-minute load average still {load:.2f} after {minutes:g} min: starting anyway", flush=True)
            return
        print(f"1-minute load average {load:.2f} ≥ {max_load}: waiting 60 s", flush=True)
        time.sleep(60)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", nargs="*", default=None, help="run only these scripts (the page is then not written: "
                    "use the script itself to rewrite its section)")
    ap.add_argument("--wait-for-load", type=float, default=None, metavar="LOAD",
                    help="first wait (checking every 60 s) until the 1-minute load average is below LOAD")
    ap.add_argument("--wait-minutes", type=float, default=40, help="give up waiting after this long (default 40)")
    _doc.common_arguments(ap, NAMES)
    args = ap.parse_args(argv)
    if _doc.list_sections_if_asked(args, NAMES):
        return 0
    if args.wait_for_load is not None:
        wait_for_quiet(args.wait_for_load, args.wait_minutes)
    run = _doc.Run("all.py", "make benchmark-docs", dry_run=args.dry_run)
    scripts = [s for s in _doc.SCRIPTS if s != "all.py"]
    if args.only is not None:
        scripts = [s for s in scripts if s in args.only]
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1"}  # numpy's BLAS threads spin on a 2-core machine
    timings = []
    scale = 0.02 if args.dry_run else 1.0
    first_probe = _machine.probe(scale)
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp) / "performance.md"
        for script in scripts:
            cmd = [sys.executable, str(HERE / script), "--doc", str(scratch)] + (["--dry-run"] if args.dry_run else [])
            print(f"=== benchmarks/{script} (load {_doc.load_average():.2f})", flush=True)
            t0, l0 = time.monotonic(), _doc.load_average()
            done = subprocess.run(cmd, env=env, cwd=_doc.ROOT)
            timings.append((script, (time.monotonic() - t0) / 60, l0, _doc.load_average()))
            if done.returncode != 0:
                print(f"benchmarks/{script} failed (exit {done.returncode}); {args.doc} left as it was", file=sys.stderr)
                return 1
        if args.only is not None or args.no_write:
            return 0
        bodies = _doc.sections(scratch.read_text(encoding="utf-8"))
    missing = [n for n, s in _doc.SECTIONS if s != "all.py" and n not in bodies]
    if missing:
        print(f"no section {', '.join(missing)} was written; {args.doc} left as it was", file=sys.stderr)
        return 1
    bodies["overview"] = overview(run, bodies, timings, (first_probe, _machine.probe(scale)))
    page = _doc.page(bodies)
    _doc.refuse_dry_run_on_the_page(page, args.doc)
    args.doc.write_text(page, encoding="utf-8")
    print(f"wrote {args.doc} ({len(bodies)} sections)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
