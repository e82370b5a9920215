#!/usr/bin/env python3
"""Triage throughput with the shipped policy: C++ (Google Benchmark, build/cpp/benchmarks/kefu_bench_triage)
and the Python paths (one dict, a list of dicts, a DataFrame), in one run; writes the section "triage" of
docs/performance.md.

    make cpp-build python-install && .venv/bin/python benchmarks/triage_throughput.py
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

import kefu
import pandas as pd
from kefu import diff
from kefu.tickets import read_tickets

import _doc
from _timing import DRY_REPEAT, REPEAT, fmt_time, google_benchmark, measure, measure_together, yes

NAMES = ["triage"]
COMMAND = _doc.command("triage_throughput.py", peers=False)


def goals(c_triage: float, t: dict) -> list[tuple[str, str, str]]:
    one, batch, frame = t["one"], t["list"], t["frame"]
    fastest = min(batch.median, frame.median)
    return [
        ("(#17) `policy.triage(dict)` ≤ 8 µs per call from Python", f"{fmt_time(one.median)} ({one.spread()} over the "
         "runs)", yes(one.median <= 8e-6)),
        ("(#17) columnar triage from Python ≤ 3 µs per ticket on one core (≥ 10× the DataFrame path of the issue)",
         f"no columnar triage yet: a list of dicts {fmt_time(batch.median)} (CPU/wall {batch.cores:.1f}), a DataFrame "
         f"{fmt_time(frame.median)} (CPU/wall {frame.cores:.1f}) per ticket", yes(fastest <= 3e-6)),
        ("(#17) triage ≤ 1.5 µs per ticket in C++", f"{fmt_time(c_triage)}", yes(c_triage <= 1.5e-6)),
        ("(#17) ≥ 20× zen-engine's `evaluate_batch` on the same triage as a JDM decision graph",
         "not measured: the triage has no JDM translation yet", "not measured"),
        ("(#17) 10 M tickets triaged in chunks in bounded memory (peak RSS reported)", "not measured: no streaming "
         "triage yet", "not measured"),
        ("(#13) `kefu diff`: millions of tickets in seconds on one machine (≤ 2 µs per ticket for both versions)",
         f"{fmt_time(t['diff'].median)} per ticket (two DataFrame triages and the comparison)",
         yes(t["diff"].median <= 2e-6)),
    ]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=REPEAT, help="timed runs of each measurement (and C++ repetitions)")
    ap.add_argument("--tickets", type=int, default=None, help="use only the first N tickets of the data set")
    _doc.common_arguments(ap, NAMES)
    args = ap.parse_args(argv)
    if _doc.list_sections_if_asked(args, NAMES):
        return 0
    min_time = None
    if args.dry_run:
        args.repeat, args.tickets, min_time = DRY_REPEAT, 200, 0.001
    run = _doc.Run("triage_throughput.py", COMMAND, dry_run=args.dry_run)
    run.versions = [f"pandas {pd.__version__}", f"kefu {kefu.__version__}"]

    policy = kefu.default_policy()
    rows = list(read_tickets(kefu.default_data_path()))[: args.tickets]
    frame = pd.DataFrame(rows)
    n = len(rows)
    triage = policy.triage
    # kefu diff's question: the shipped rules against a copy with the refund window widened to 15 days.
    widened = Path(tempfile.mkdtemp()) / "rules"
    shutil.copytree(kefu.default_rules_dir(), widened)
    refund = widened / "refund.yaml"
    refund.write_text(refund.read_text(encoding="utf-8").replace(
        "and days_since_purchase <= 7\n    then: {decision: refund", "and days_since_purchase <= 15\n    then: {decision: refund"),
        encoding="utf-8")
    old_rules, new_rules = diff.load_rules(kefu.default_rules_dir()), diff.load_rules(widened)
    text_frame = diff.read_ticket_table(kefu.default_data_path()).head(n)
    t = measure_together({"one": (lambda: [triage(r) for r in rows], n), "list": (lambda: triage(rows), n),
                          "frame": (lambda: triage(frame), n),
                          "diff": (lambda: diff.diff_policies(old_rules, new_rules, text_frame), n)}, args.repeat)
    shutil.rmtree(widened.parent)
    load = measure(kefu.default_policy, 1, args.repeat)
    gb = google_benchmark("kefu_bench_triage", repetitions=args.repeat, min_time=min_time)
    c, cl = gb["BM_triage"], gb["BM_load_default_policy"]

    L = ["## Triage", "", run.line(), "",
         "One triage runs the six default policies (risk, escalation, tiers, refund, service-calendar, SLA targets), "
         "computes the derived facts and every deadline on its calendar. C++ input is a prepared facts record "
         f"(`benchmarks/bench_triage.cpp`, `{' '.join(gb.command)}`, median of {gb.repetitions} repetitions); Python "
         f"input is the {n:,} synthetic tickets of `examples/data/tickets.csv` as typed dicts (kefu.Money, dates, "
         "aware datetimes), converted per row. The Python paths are timed with one scheme "
         f"(`benchmarks/_timing.py`): a warm-up of each, then {args.repeat} runs of each, round-robin; times are the "
         "median run per ticket, \"spread\" the fastest and slowest run, \"CPU/wall\" process CPU time over wall "
         "time (above 1: more than one core busy).", "",
         "### Goals", "", "| goal | measured | met |", "| --- | --- | --- |"]
    L += [f"| {g} | {m} | {ok} |" for g, m, ok in goals(c.time(), t)]
    L += ["", "### Throughput", "", "| path | time per ticket | spread | tickets/s | CPU/wall |",
          "| --- | --- | --- | --- | --- |",
          f"| C++ `triage_policy::triage` (`BM_triage`) | {fmt_time(c.time())} | {c.spread()} | {1 / c.time():,.0f} | {c.time('cpu_time') / c.time():.1f} |"]
    for key, what in (("one", "Python, one dict at a time `policy.triage(dict)`"),
                      ("list", f"Python, a list of {n:,} dicts (GIL released while triaging)"),
                      ("frame", f"Python, a pandas DataFrame of {n:,} rows → DataFrame"),
                      ("diff", f"Python, `kefu.diff.diff_policies` of {n:,} tickets as text under two rules "
                               "directories (refund window 7 → 15 days)")):
        x = t[key]
        L.append(f"| {what} | {fmt_time(x.median)} | {x.spread()} | {1 / x.median:,.0f} | {x.cores:.1f} |")
    L += ["", f"Loading the default policy (facts vocabulary, six policies, four calendars, all checks): "
          f"{fmt_time(cl.time())} in C++ (`BM_load_default_policy`, {cl.spread()}), {fmt_time(load.median)} from "
          f"Python ({load.spread()}) — once per process; the policy is immutable and shared across threads."]
    text = "\n".join(L) + "\n"
    print(text)
    if not args.no_write:
        _doc.write_section("triage", text, args.doc)
    return 0


if __name__ == "__main__":
    sys.exit(main())
