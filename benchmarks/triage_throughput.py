#!/usr/bin/env python3
"""Triage throughput with the shipped policy: C++ (Google Benchmark, build/cpp/benchmarks/kefu_bench_triage)
and the Python paths (one dict, a list of dicts, a DataFrame), and the same triage as a zen-engine decision graph
(benchmarks/triage_jdm.py, results checked equal first), in one run; writes the section "triage" of
docs/performance.md.

    make cpp-build python-install && .venv/bin/python benchmarks/triage_throughput.py
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import kefu
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from kefu import diff
from kefu.tickets import read_tickets

import _doc
import triage_jdm
from _timing import (DRY_REPEAT, REPEAT, fmt_ratio, fmt_spread, fmt_time, google_benchmark, measure, measure_together,
                     yes)

NAMES = ["triage"]
COMMAND = _doc.command("triage_throughput.py", peers=False)


def goals(c_triage: float, c_columns: float, t: dict, jdm: triage_jdm.JdmResult, stream: dict,
          dask: dict | None) -> list[tuple[str, str, str]]:
    one, big1 = t["one"], t["big1"]
    zen = jdm.zen[jdm.fastest]
    issue_frame = 34e-6  # the issue's DataFrame path: 34 µs per ticket
    return [
        ("(#17) `policy.triage(dict)` ≤ 8 µs per call from Python", f"{fmt_time(one.median)} ({one.spread()} over the "
         "runs)", yes(one.median <= 8e-6)),
        ("(#17) columnar triage from Python ≤ 3 µs per ticket on one core (≥ 10× the DataFrame path of the issue)",
         f"{fmt_time(big1.median)} per ticket ({big1.spread()}) for a DataFrame of {big1.n:,} typed tickets on one "
         f"thread, reading its columns included: {issue_frame / big1.median:.1f}× the issue's 34 µs; "
         f"{fmt_time(t['frame1'].median)} for {t['frame1'].n:,} tickets (fixed costs per call weigh more)",
         yes(big1.median <= 3e-6)),
        ("(#17) triage ≤ 1.5 µs per ticket in C++", f"columnar (`triage_batch`, one thread): {fmt_time(c_columns)}; one "
         f"record at a time with the full result (`triage_policy::triage`): {fmt_time(c_triage)}",
         yes(c_columns <= 1.5e-6)),
        ("(#17) ≥ 20× zen-engine's `evaluate_batch` on the same triage as a JDM decision graph",
         f"{fmt_ratio(jdm.ratio)} (runs {jdm.ratio_spread()}): zen-engine {fmt_time(zen.median)} per ticket "
         f"(`evaluate_batch`, {jdm.fastest}, its faster form) against kefu {fmt_time(jdm.kefu.median)} "
         f"(`policy.triage_columns(frame, threads=1)`) on the {jdm.tickets:,} shipped tickets, every row checked "
         "equal first; zen is given the keyword-set matches and derived facts computed by kefu, and gives deadline "
         "offsets, not instants (\"The same triage in zen-engine\" below)", yes(jdm.ratio >= 20)),
        ("(#17) Dask, 2 worker processes: triage of ≥ 50 M tickets made on the workers ≥ 1.6× one process, results "
         "identical",
         (f"{dask['speed']:.2f}× on {dask['tickets'] / 1e6:g} M tickets ({dask['one']:.1f} s one process, "
          f"{dask['dask']:.1f} s on the cluster; one run each); results {'identical' if dask['same'] else 'DIFFER'}")
         if dask else "not run (--no-dask or --dry-run)",
         yes(dask["speed"] >= 1.6 and dask["same"] and dask["tickets"] >= 50_000_000) if dask else "not measured"),
        ("(#17) 10 M tickets triaged in chunks in bounded memory (peak RSS reported)",
         f"{stream['tickets']:,} tickets in chunks of {stream['chunk']:,}: {stream['seconds']:.1f} s "
         f"({fmt_time(stream['seconds'] / stream['tickets'])} per ticket, every core), peak RSS "
         f"{stream['peak_mb']:,.0f} MB ({stream['start_mb']:,.0f} MB before the first chunk)",
         yes(stream["tickets"] >= 10_000_000 and stream["peak_mb"] - stream["start_mb"] < 2048)),
        ("(#13) `kefu diff`: millions of tickets in seconds on one machine (≤ 2 µs per ticket for both versions)",
         f"{fmt_time(t['diff_big'].median)} per ticket for {t['diff_big'].n:,} typed tickets (both versions, the new "
         f"one deciding again only what the change reaches; every core, CPU/wall {t['diff_big'].cores:.1f}); {fmt_time(t['diff'].median)} for {t['diff'].n:,} tickets read "
         "as text (`kefu diff --tickets FILE`)", yes(t["diff_big"].median <= 2e-6)),
    ]


def sampled_tickets(frame: pd.DataFrame, n: int, seed: int) -> pd.DataFrame:
    """n tickets drawn from the shipped ones, each received up to a year later (purchase dates move with it)."""
    rng = np.random.default_rng(seed)
    take = frame.iloc[rng.integers(0, len(frame), n)].reset_index(drop=True)
    shift = pd.to_timedelta(rng.integers(0, 365, n), unit="D")
    take["received_at"] = take["received_at"] + shift
    if isinstance(take["purchased_at"].dtype, pd.ArrowDtype):  # dates as pyarrow date32: moved without a loop
        days = pc.add(pa.array(take["purchased_at"].array).cast(pa.int32()), pa.array(shift.days.to_numpy(), pa.int32()))
        take["purchased_at"] = pd.arrays.ArrowExtensionArray(days.cast(pa.date32()))
    else:
        take["purchased_at"] = [None if p is None or p != p else p + dt.timedelta(days=int(d))
                                for p, d in zip(take["purchased_at"], shift.days)]
    return take


def as_stored(frame: pd.DataFrame) -> pd.DataFrame:
    """The tickets as a worker reads them from a typed Parquet file: dates as pyarrow date32, amounts as their
    text (exact), everything else as it is. Dask would turn object columns into text on every partition (its
    `dataframe.convert-string` setting), so the Dask comparison gives both sides these columns."""
    out = frame.copy()
    out["purchased_at"] = pd.arrays.ArrowExtensionArray(pa.array(list(frame["purchased_at"]), pa.date32()))
    for name in ("claimed_amount", "order_amount"):
        out[name] = pd.array([None if v is None else str(v) for v in frame[name]], dtype="str")
    return out


def stream(policy: kefu.Policy, frame: pd.DataFrame, tickets: int, chunk: int) -> dict:
    """Triage `tickets` tickets chunk by chunk (each chunk made, triaged, counted and dropped): the time and the
    process's peak resident memory."""
    start = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    pool = sampled_tickets(frame, chunk, 1)  # one chunk's facts, re-dated per chunk below
    tiers: Counter[str] = Counter()
    t0 = time.perf_counter()
    done = 0
    k = 0
    while done < tickets:
        size = min(chunk, tickets - done)
        part = pool.iloc[:size].assign(received_at=pool["received_at"].iloc[:size] + pd.Timedelta(minutes=k % 600))
        out = policy.triage_columns(part)
        tiers.update(out["tier"].value_counts().to_dict())
        done += size
        k += 1
    seconds = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    assert sum(tiers.values()) == tickets
    return {"tickets": tickets, "chunk": chunk, "seconds": seconds, "peak_mb": peak, "start_mb": start}


PART_TICKETS = 1_250_000  # tickets per Dask partition


def _digest(out: pd.DataFrame) -> int:
    """A partition's triage as one number: equal digests, equal decisions and deadlines (row by row)."""
    cols = ["risk_level", "tier", "refund_decision", "first_response_due", "resolution_due", "follow_up_due",
            "follow_up_required", "report_required"]
    return int(pd.util.hash_pandas_object(out[cols], index=False).sum() % (1 << 61))


def run_dask(pool: pd.DataFrame, tickets: int) -> dict:
    """`tickets` tickets in partitions made on 2 worker processes (sampled from `pool`), triaged there with
    kefu.dask.triage, each partition reduced to a digest; one process makes and triages the same partitions in
    turn on one thread. One timed run each (a run of 50 M tickets takes minutes); the digests must be equal."""
    import dask
    import dask.dataframe as dd
    import distributed

    import kefu.dask

    pool = as_stored(pool)
    parts = max(2, round(tickets / PART_TICKETS))
    specs = [(tickets * (k + 1) // parts - tickets * k // parts, 1000 + k) for k in range(parts)]
    policy = kefu.default_policy()

    def one() -> list[int]:
        return [_digest(policy.triage_columns(sampled_tickets(pool, n, seed), threads=1)) for n, seed in specs]

    def digests(chosen: list[tuple[int, int]]) -> list[int]:
        meta = sampled_tickets(pool, 2, 0).iloc[:0]
        ddf = dd.from_map(lambda spec: sampled_tickets(pool, *spec), chosen, meta=meta)
        out = kefu.dask.triage(ddf).map_partitions(lambda part: pd.Series([_digest(part)]), meta=(None, "int64"))
        return [int(x) for x in out.compute()]

    with dask.config.set(kefu.dask.CLUSTER_CONFIG), \
            distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                     silence_logs=40) as cluster, distributed.Client(cluster):
        digests([(1_000, 1), (1_000, 2)])  # warm-up on other partitions: the workers load the rules
        t0 = time.perf_counter()
        theirs = digests(specs)  # the partitions' first and only computation on the cluster
        dask_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    ours = one()
    one_s = time.perf_counter() - t0
    return {"tickets": tickets, "parts": parts, "one": one_s, "dask": dask_s, "speed": one_s / dask_s,
            "same": ours == theirs}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=REPEAT, help="timed runs of each measurement (and C++ repetitions)")
    ap.add_argument("--tickets", type=int, default=None, help="use only the first N tickets of the data set")
    ap.add_argument("--stream", type=int, default=10_000_000, help="tickets triaged in chunks for the memory goal")
    ap.add_argument("--dask-tickets", type=int, default=50_000_000,
                    help="tickets of the Dask comparison, made on the workers (default 50 M, as issue 17 asks)")
    ap.add_argument("--no-dask", action="store_true", help="leave out the Dask comparison")
    _doc.common_arguments(ap, NAMES)
    args = ap.parse_args(argv)
    if _doc.list_sections_if_asked(args, NAMES):
        return 0
    min_time = None
    big_n = 60_000
    if args.dry_run:
        args.repeat, args.tickets, min_time, big_n, args.stream = DRY_REPEAT, 200, 0.001, 2_000, 20_000
    run = _doc.Run("triage_throughput.py", COMMAND, dry_run=args.dry_run)
    run.versions = [f"pandas {pd.__version__}", f"zen-engine {triage_jdm.zen_version()}", f"kefu {kefu.__version__}"]

    policy = kefu.default_policy()
    names = {f.name for f in policy.facts}
    rows = [{k: v for k, v in r.items() if k in names} for r in read_tickets(kefu.default_data_path())][: args.tickets]
    frame = pd.DataFrame(rows)
    big = sampled_tickets(frame, big_n, 7)
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
                          "frame1": (lambda: policy.triage_columns(frame, threads=1), n),
                          "big1": (lambda: policy.triage_columns(big, threads=1), big_n),
                          "big": (lambda: policy.triage_columns(big), big_n),
                          "diff": (lambda: diff.diff_policies(old_rules, new_rules, text_frame), n),
                          "diff_big": (lambda: diff.diff_policies(old_rules, new_rules, big), big_n)}, args.repeat)
    shutil.rmtree(widened.parent)
    # zen-engine on the same tickets: every row checked equal before its timing (benchmarks/triage_jdm.py).
    jdm = triage_jdm.compare(policy, frame, args.repeat)
    if not jdm.agreed:
        print("\n".join(jdm.samples), file=sys.stderr)
        print(f"zen-engine's triage differs from kefu's: {dict(jdm.differ)}; docs/performance.md not updated",
              file=sys.stderr)
        return 1
    load = measure(kefu.default_policy, 1, args.repeat)
    streamed = stream(policy, frame, args.stream, 100_000 if not args.dry_run else 5_000)
    dask = None if args.dry_run or args.no_dask else run_dask(frame, args.dask_tickets)
    if dask:
        print(f"dask {dask['dask']:.1f} s, one process {dask['one']:.1f} s, identical: {dask['same']}", flush=True)
    gb = google_benchmark("kefu_bench_triage", repetitions=args.repeat, min_time=min_time)
    c, cl = gb["BM_triage"], gb["BM_load_default_policy"]
    c1, c_all = gb["BM_triage_columns/0"], gb["BM_triage_columns/1"]
    diff_full, diff_shared = gb["BM_diff_policies/0"], gb["BM_diff_policies/1"]
    per_row = 1 / 4096  # BM_triage_columns triages 4,096 tickets per iteration

    L = ["## Triage", "", run.line(), "",
         "One triage runs the six default policies (risk, escalation, tiers, refund, service-calendar, SLA targets), "
         "computes the derived facts and every deadline on its calendar. C++ input is prepared facts "
         f"(`benchmarks/bench_triage.cpp`, `{' '.join(gb.command)}`, median of {gb.repetitions} repetitions): one "
         "record at a time with the full result, or 4,096 tickets as columns (`kefu::rules::triage_batch`). Python "
         f"input is the {n:,} synthetic tickets of `examples/data/tickets.csv` as typed values (kefu.Money, dates, "
         f"aware datetimes; pandas' default dtypes in a DataFrame), and {big_n:,} tickets drawn from them with "
         "their dates moved up to a year on. Every Python time includes reading the facts and building the "
         "result; a `TriageResult` (one dict, a list) holds the compact triage (codes into the policy, "
         "`kefu::rules::compact_triage`) and spells each attribute out when it is read, so these times read none "
         "(docs/architecture.md, \"Decision: compact triage results\"). The Python paths are timed with one scheme "
         f"(`benchmarks/_timing.py`): a warm-up of each, then {args.repeat} runs of each, round-robin; times are the "
         "median run per ticket, \"spread\" the fastest and slowest run, \"CPU/wall\" process CPU time over wall "
         "time (above 1: more than one core busy).", "",
         "### Goals", "", "| goal | measured | met |", "| --- | --- | --- |"]
    L += [f"| {g} | {m} | {ok} |" for g, m, ok in goals(c.time(), c1.time() * per_row, t, jdm, streamed, dask)]
    L += ["", "### Throughput", "", "| path | time per ticket | spread | tickets/s | CPU/wall |",
          "| --- | --- | --- | --- | --- |",
          f"| C++ `triage_policy::triage`, one record with the full result (`BM_triage`) | {fmt_time(c.time())} | "
          f"{c.spread()} | {1 / c.time():,.0f} | {c.time('cpu_time') / c.time():.1f} |"]
    for what, x in ((f"C++ `triage_batch`, 4,096 tickets as columns, one thread (`BM_triage_columns/0`)", c1),
                    (f"C++ `triage_batch`, the same on every core (`BM_triage_columns/1`)", c_all),
                    ("C++ `kefu diff` of the same tickets under the shipped rules and the refund window widened, "
                     "one thread: both versions triaged in full, then compared (`BM_diff_policies/0`)", diff_full),
                    ("C++ `diff_policies`, the same: what the new rules share taken from the old triage "
                     "(`BM_diff_policies/1`)", diff_shared)):
        L.append(f"| {what} | {fmt_time(x.time() * per_row)} | {fmt_spread(min(x.times()) * per_row, max(x.times()) * per_row)} | "
                 f"{1 / (x.time() * per_row):,.0f} | "
                 f"{x.time('cpu_time') / x.time():.1f} |")
    for key, what in (("one", "Python, one dict at a time `policy.triage(dict)`"),
                      ("list", f"Python, a list of {n:,} dicts (GIL released while triaging)"),
                      ("frame", f"Python, `policy.triage(DataFrame)` of {n:,} rows → DataFrame (every core)"),
                      ("frame1", f"Python, `policy.triage_columns(DataFrame, threads=1)`, {n:,} rows"),
                      ("big1", f"Python, `policy.triage_columns(DataFrame, threads=1)`, {big_n:,} rows"),
                      ("big", f"Python, `policy.triage_columns(DataFrame)`, {big_n:,} rows, every core"),
                      ("diff", f"Python, `kefu.diff.diff_policies` of {n:,} tickets as text under two rules "
                               "directories (refund window 7 → 15 days)"),
                      ("diff_big", f"Python, `kefu.diff.diff_policies` of {big_n:,} typed tickets, the same two "
                                   "directories")):
        x = t[key]
        L.append(f"| {what} | {fmt_time(x.median)} | {x.spread()} | {1 / x.median:,.0f} | {x.cores:.1f} |")
    L += ["", f"Streaming: {streamed['tickets']:,} tickets triaged with `policy.triage_columns` in chunks of "
          f"{streamed['chunk']:,} (each chunk triaged, its tiers counted, the result dropped) took "
          f"{streamed['seconds']:.1f} s; the process's peak resident memory was {streamed['peak_mb']:,.0f} MB "
          f"({streamed['start_mb']:,.0f} MB before the first chunk, with the data sets of the table above loaded). "
          "Memory follows the chunk, not the number of tickets: `kefu.tickets.read_ticket_batches(path, rows)` reads "
          "a CSV or Parquet file that way (docs/triage.md).",
          *(["", f"Dask: `kefu.dask.triage` on `LocalCluster(n_workers=2, threads_per_worker=1)` started under "
              f"`kefu.dask.CLUSTER_CONFIG` (docs/triage.md: glibc's adaptive mmap threshold left on, one partition "
              f"per worker thread at a time); the {dask['tickets']:,} tickets are made on the workers as "
              f"{dask['parts']} partitions (`dd.from_map`, tickets drawn from the shipped ones, dates moved; purchase "
              "dates as `date32[pyarrow]` and amounts as text, as a typed Parquet file gives them, so Dask converts "
              "no object column) and each partition's triage is reduced there to a digest, so only digests "
              "travel; one process makes and triages the same partitions in turn on one thread. Making the tickets is "
              f"inside both timings. One process: {dask['one']:.1f} s; the cluster: {dask['dask']:.1f} s "
              f"(**{dask['speed']:.2f}×**); digests {'identical' if dask['same'] else 'DIFFERENT'}."] if dask else []),
          "", f"Loading the default policy (facts vocabulary, six policies, four calendars, all checks): "
          f"{fmt_time(cl.time())} in C++ (`BM_load_default_policy`, {cl.spread()}), {fmt_time(load.median)} from "
          f"Python ({load.spread()}) — once per process; the policy is immutable and shared across threads."]
    zen = jdm.zen[jdm.fastest]
    others = "; ".join(f"{form}: {fmt_time(x.median)} ({x.spread()}, CPU/wall {x.cores:.1f})"
                       for form, x in jdm.zen.items() if form != jdm.fastest)
    L += ["", "### The same triage in zen-engine", "", triage_jdm.describe(jdm), "",
          f"zen-engine `engine.evaluate_batch(requests)`, {jdm.fastest}: **{fmt_time(zen.median)}** per ticket "
          f"({zen.spread()}, CPU/wall {zen.cores:.1f}; the other loader form, {others}); kefu "
          f"`policy.triage_columns(frame, threads=1)`: **{fmt_time(jdm.kefu.median)}** per ticket "
          f"({jdm.kefu.spread()}, CPU/wall {jdm.kefu.cores:.1f}); {jdm.tickets:,} tickets per run, both timed "
          f"together with the scheme above: **{fmt_ratio(jdm.ratio)}** (runs {jdm.ratio_spread()}). At this size "
          f"kefu's fixed cost per call weighs more than on the {big_n:,} tickets of the table above, in zen's favour"
          + ("; and zen-engine's `evaluate_batch` spreads a batch over more than one core (CPU/wall above 1) where "
             "kefu's call runs on one thread." if zen.cores > 1.1 else ".")]
    text = "\n".join(L) + "\n"
    print(text)
    if not args.no_write:
        _doc.write_section("triage", text, args.doc)
    return 0


if __name__ == "__main__":
    sys.exit(main())
