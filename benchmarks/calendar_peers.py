#!/usr/bin/env python3
"""kefu's working-day calendars side by side with the tools people use instead.

One run times, on the same pseudo-random sample of instants in 2024-2026 (local time, +08:00):

* numpy.busday_offset / busday_count / is_busday: given kefu's non-working days as `holidays` and
  a seven-day weekmask, numpy computes exactly kefu's working days (make-up days included);
* chinese-calendar (PyPI `chinesecalendar`): find_workday, is_workday, get_workdays, day by day;
* pandas CustomBusinessHour 09:00-18:00 with the same holidays, for "4 business hours", against a
  kefu calendar with one interval 09:00-18:00 (`extends: cn-mainland`);
* QuantLib's China(SSE) calendar, through the C++ benchmark build/cpp/benchmarks/kefu_bench_quantlib
  (QuantLib has no Python here; `make benchmark-docs` installs libquantlib0-dev so that it is built);

and kefu's scalar and vectorised (numpy datetime64) calls. Before timing, every pair of calls is run
on the whole sample and the results are checked to agree where the semantics match; the script stops
with exit status 1 when they do not. Both sides of every row are timed with benchmarks/_timing.py's one
scheme (interleaved runs, the same number for both, medians and their spread). It then rewrites the
section "calendar_peers" of docs/performance.md.

    make cpp-build python-install
    .venv/bin/pip install -r benchmarks/requirements.txt
    .venv/bin/python benchmarks/calendar_peers.py
"""

from __future__ import annotations

import argparse
import datetime as dt
import operator
import re
import sys
import tempfile
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

import _doc
from _timing import (BENCH_DIR, DRY_REPEAT, REPEAT, Pair, Timing, compare, fmt_ratio, fmt_time, google_benchmark,
                     yes)

NAMES = ["calendar_peers"]
COMMAND = _doc.command("calendar_peers.py")
QUANTLIB = "kefu_bench_quantlib"

WORKDAYS = 3  # "3 workdays"
SAMPLE_FROM = np.datetime64("2024-01-01T00:00:00", "s")
SAMPLE_TO = np.datetime64("2026-12-01T00:00:00", "s")  # leaves room for the results inside 2026
HOLIDAYS_FROM = np.datetime64("2023-12-01", "D")  # numpy's roll='backward' may step before 2024
HOLIDAYS_TO = np.datetime64("2027-01-01", "D")  # exclusive
OFFICE_YAML = 'calendar: office9to18\nextends: cn-mainland\nhours: ["09:00-18:00"]\n'
ONE_SECOND = np.timedelta64(1, "s")
ONE_DAY = np.timedelta64(1, "D")

# The kinds of comparison: only like with like (call/call, batch/batch) decides a goal.
CALL, BATCH, MIXED = "call for call", "batch for batch", "peer loop vs kefu array"
# A peer call against no calendar work at all: the most any per-call function can reach on this machine.
FLOOR = "peer call vs the Python floor"


@dataclass
class Row:
    operation: str
    kind: str
    peer: str  # the peer call
    kefu_call: str
    pair: Pair

    @property
    def ratio(self) -> float:
        return self.pair.ratio


@dataclass
class Results:
    rows: list[Row] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    quantlib_notes: list[str] = field(default_factory=list)
    quantlib_version: str | None = None
    quantlib_command: str = ""
    versions: list[str] = field(default_factory=list)

    def check(self, ok: bool, text: str) -> None:
        (self.checks if ok else self.failures).append(text)
        print(("  ok   " if ok else "  FAIL ") + text, flush=True)

    def get(self, op: str) -> Row | None:
        return next((r for r in self.rows if r.operation == op), None)


def timed(res: Results, operation: str, kind: str, peer: str, peer_fn, n_peer: int, kefu_call: str, kefu_fn,
          n_kefu: int, repeat: int, peer_timing: Timing | None = None) -> Row:
    """Both sides with the same scheme, interleaved (or the peer's runs of an earlier row, reused)."""
    pair = compare(peer_fn, kefu_fn, n_peer, n_kefu, repeat, peer=peer_timing)
    row = Row(operation, kind, peer, kefu_call, pair)
    res.rows.append(row)
    print(f"  {operation:58s} {fmt_time(pair.peer.median):>10s} {fmt_time(pair.kefu.median):>10s} "
          f"{fmt_ratio(row.ratio):>9s} ({pair.ratio_spread()})", flush=True)
    return row


# --- the sample ---------------------------------------------------------------------------------


@dataclass
class Sample:
    t: np.ndarray  # datetime64[s], naive local time (what a ticket's received-at looks like)
    day: np.ndarray  # datetime64[D], the local date of t
    far: np.ndarray  # datetime64[D], an independent random date in the range (either direction)
    near: np.ndarray  # datetime64[D], 1-30 days after `day`


def make_sample(n: int, seed: int) -> Sample:
    rng = np.random.default_rng(seed)
    span = int((SAMPLE_TO - SAMPLE_FROM) / ONE_SECOND)
    t = SAMPLE_FROM + rng.integers(0, span, n).astype("timedelta64[s]")
    far = (SAMPLE_FROM + rng.integers(0, span, n).astype("timedelta64[s]")).astype("datetime64[D]")
    day = t.astype("datetime64[D]")
    near = day + rng.integers(1, 31, n).astype("timedelta64[D]")
    return Sample(t, day, far, near)


def to_py_datetimes(a: np.ndarray) -> list[dt.datetime]:
    return a.astype("datetime64[s]").astype(object).tolist()


def to_py_dates(a: np.ndarray) -> list[dt.date]:
    return a.astype("datetime64[D]").astype(object).tolist()


def kefu_close_day(close: np.ndarray) -> np.ndarray:
    """The day whose close an N-workdays deadline is; cn-mainland closes at 24:00 (= next midnight)."""
    return (close - ONE_SECOND).astype("datetime64[D]")


# --- the comparisons ----------------------------------------------------------------------------


def compare_numpy(res: Results, cal, s: Sample, repeat: int) -> None:
    all_days = np.arange(HOLIDAYS_FROM, HOLIDAYS_TO, dtype="datetime64[D]")
    holidays = all_days[~cal.is_working_day(all_days)]
    bdc = np.busdaycalendar(weekmask="1111111", holidays=holidays)
    n = len(s.t)
    spec = f"{WORKDAYS} workdays"
    print(f"numpy (weekmask 1111111, {len(holidays)} non-working days of cn-mainland as holidays), {n:,} elements")

    # N workdays from a ticket: kefu = close of the N-th working day after the receipt date (DOM-SLA-4);
    # numpy.busday_offset(date, N, roll='backward') is that day whether or not `date` is a working day.
    k = kefu_close_day(cal.add(s.t, spec))
    p = np.busday_offset(s.day, WORKDAYS, roll="backward", busdaycal=bdc)
    res.check(bool(np.array_equal(k, p)), f"numpy.busday_offset(d, {WORKDAYS}, roll='backward') == date of "
              f"kefu add(t, '{spec}') on all {n:,} samples")
    # Forward both count [a, b). Backward (b < a) numpy returns -(valid days in (b, a]) and kefu -(working
    # days in [b, a)): the same count on the interval shifted by one day.
    forward = s.day <= s.far
    k = np.where(forward, cal.working_days_between(s.day, s.far),
                 cal.working_days_between(s.day + ONE_DAY, s.far + ONE_DAY))
    p = np.busday_count(s.day, s.far, busdaycal=bdc)
    unshifted = int(np.sum(~forward & (cal.working_days_between(s.day, s.far) != p)))
    res.check(bool(np.array_equal(k, p)), f"numpy.busday_count(a, b) == kefu working_days_between(a, b) on all "
              f"{int(forward.sum()):,} forward pairs, and == working_days_between(a + 1, b + 1) on all "
              f"{int((~forward).sum()):,} backward pairs (numpy counts (b, a] backwards, kefu [b, a); unshifted, "
              f"{unshifted:,} of them differ)")
    k = cal.is_working_day(s.day)
    p = np.is_busday(s.day, busdaycal=bdc)
    res.check(bool(np.array_equal(k, p)), f"numpy.is_busday == kefu is_working_day on all {n:,} samples")

    print(f"  {'operation (numpy vs kefu, per element)':58s} {'numpy':>10s} {'kefu':>10s} {'ratio':>9s}")
    timed(res, "N workdays, array", BATCH, f"`np.busday_offset(days, {WORKDAYS}, roll='backward', busdaycal=…)`",
          lambda: np.busday_offset(s.day, WORKDAYS, roll="backward", busdaycal=bdc), n,
          f"`cal.add(t, '{spec}')`, t datetime64[s]", lambda: cal.add(s.t, spec), n, repeat)
    timed(res, "working days between, array", BATCH, "`np.busday_count(a, b, busdaycal=…)`",
          lambda: np.busday_count(s.day, s.far, busdaycal=bdc), n,
          "`cal.working_days_between(a, b)`, datetime64[D]", lambda: cal.working_days_between(s.day, s.far), n, repeat)
    timed(res, "is working day, array", BATCH, "`np.is_busday(days, busdaycal=…)`",
          lambda: np.is_busday(s.day, busdaycal=bdc), n,
          "`cal.is_working_day(days)`, datetime64[D]", lambda: cal.is_working_day(s.day), n, repeat)
    # numpy's holiday list is parsed on every call unless a busdaycalendar is reused; for the record:
    timed(res, "N workdays, array, holidays= per call", BATCH, f"`np.busday_offset(days, {WORKDAYS}, "
          "roll='backward', weekmask='1111111', holidays=…)`",
          lambda: np.busday_offset(s.day, WORKDAYS, roll="backward", weekmask="1111111", holidays=holidays), n,
          f"`cal.add(t, '{spec}')`, t datetime64[s]", lambda: cal.add(s.t, spec), n, repeat)


def compare_chinese_calendar(res: Results, cal, s: Sample, n_call: int, repeat: int) -> None:
    import chinese_calendar as cc

    import kefu

    res.versions.append(f"chinesecalendar {cc.__version__}")
    t = to_py_datetimes(s.t[:n_call])
    d = to_py_dates(s.day[:n_call])
    d_next = [x + dt.timedelta(days=1) for x in d]
    near = to_py_dates(s.near[:n_call])
    near_last = [x - dt.timedelta(days=1) for x in near]
    dur = kefu.Duration(f"{WORKDAYS} workdays")
    print(f"chinese-calendar {cc.__version__}, {n_call:,} calls")

    # Same definition, same answer: kefu's N workdays from day d is the N-th working day after d, which is
    # chinese_calendar.find_workday(N - 1, d + 1 day). find_workday(N, d) itself counts from the first working
    # day on or after d: the same day when d is a working day, one working day later when it is not.
    k = [(cal.add(x, dur) - dt.timedelta(seconds=1)).date() for x in t]
    p = [cc.find_workday(WORKDAYS - 1, x) for x in d_next]
    res.check(k == p, f"chinese_calendar.find_workday({WORKDAYS - 1}, d + 1 day) == date of kefu add(t, "
              f"'{WORKDAYS} workdays') on all {n_call:,} samples")
    raw = [cc.find_workday(WORKDAYS, x) for x in d]
    raw_differ = sum(a != b for a, b in zip(k, raw))
    nonworking = sum(not cal.is_working_day(x) for x in d)
    res.check(raw_differ == nonworking,
              f"find_workday({WORKDAYS}, d) differs from kefu on exactly the {nonworking:,} samples whose date d is "
              f"not a working day ({raw_differ:,} differ): it counts from the next working day (DOM-SLA-4)")
    days = to_py_dates(np.arange(np.datetime64("2024-01-01"), np.datetime64("2027-01-01")))
    differ = [x for x in days if cc.is_workday(x) != cal.is_working_day(x)]
    res.check(not differ, f"chinese_calendar.is_workday == kefu cn-mainland is_working_day on every day of "
              f"2024-2026 ({len(differ)} differ{': ' + ', '.join(map(str, differ[:10])) if differ else ''})")
    k = [cal.working_days_between(a, b) for a, b in zip(d, near)]
    p = [len(cc.get_workdays(a, b)) for a, b in zip(d, near_last)]
    res.check(k == p, f"len(chinese_calendar.get_workdays(a, b - 1 day)) == kefu working_days_between(a, b) on "
              f"{n_call:,} pairs 1-30 days apart")

    print(f"  {'operation (chinese-calendar vs kefu)':58s} {'cc':>10s} {'kefu':>10s} {'ratio':>9s}")
    find_workday, add = cc.find_workday, cal.add
    first = timed(res, "N workdays, per call", CALL, f"`chinese_calendar.find_workday({WORKDAYS - 1}, d + 1 day)`",
                  lambda: [find_workday(WORKDAYS - 1, x) for x in d_next], n_call,
                  "`cal.add(datetime, Duration('3 workdays'))`", lambda: [add(x, dur) for x in t], n_call, repeat)
    spec = f"{WORKDAYS} workdays"
    t_array = s.t[:n_call]
    timed(res, "N workdays, per call vs kefu array", MIXED,
          f"`chinese_calendar.find_workday({WORKDAYS - 1}, d + 1 day)` in a Python loop (it has no array form)",
          None, n_call, f"`cal.add(t, '{spec}')`, the same {n_call:,} instants as datetime64[s], per element",
          lambda: cal.add(t_array, spec), n_call, repeat, peer_timing=first.pair.peer)
    is_workday, is_working_day = cc.is_workday, cal.is_working_day
    timed(res, "is working day, per call", CALL, "`chinese_calendar.is_workday(d)`",
          lambda: [is_workday(x) for x in d], n_call,
          "`cal.is_working_day(d)`", lambda: [is_working_day(x) for x in d], n_call, repeat)
    get_workdays, between = cc.get_workdays, cal.working_days_between
    timed(res, "working days between (1-30 days apart), per call", CALL,
          "`len(chinese_calendar.get_workdays(a, b - 1 day))`",
          lambda: [len(get_workdays(a, b)) for a, b in zip(d, near_last)], n_call,
          "`cal.working_days_between(a, b)`", lambda: [between(a, b) for a, b in zip(d, near)], n_call, repeat)


def compare_pandas(res: Results, office, s: Sample, n_pandas: int, repeat: int, edge_days: int | None) -> None:
    import pandas as pd

    import kefu

    all_days = np.arange(HOLIDAYS_FROM, HOLIDAYS_TO, dtype="datetime64[D]")
    holidays = all_days[~office.is_working_day(all_days)]
    cbh4 = pd.offsets.CustomBusinessHour(n=4, start="09:00", end="18:00", weekmask="Mon Tue Wed Thu Fri Sat Sun",
                                         holidays=list(holidays))
    t = s.t[:n_pandas]
    idx = pd.DatetimeIndex(t)
    stamps = list(idx)
    times = to_py_datetimes(t)
    dur = kefu.Duration("4 business hours")
    spec = "4 business hours"
    print(f"pandas {pd.__version__} CustomBusinessHour 09:00-18:00, {len(holidays)} holidays, {n_pandas:,} elements")

    def pandas_array():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "Non-vectorized DateOffset being applied": it is what it is
            return idx + cbh4

    # Same answers, except that a deadline landing exactly on 18:00 is 18:00 in kefu (the close) and the next
    # opening (09:00 of the next working day) in pandas: the same point of working time. Checked on the random
    # sample and on every day of 2024 - 2026 at the edges of the hours (random seconds rarely hit them).
    days = np.arange(np.datetime64("2024-01-01"), np.datetime64("2026-12-01")).astype("datetime64[s]")[:edge_days]
    last = (days[-1].astype("datetime64[D]")).astype(object)
    edges = np.array([0, 9 * 3600 - 1, 9 * 3600, 13 * 3600 + 59 * 60 + 59, 14 * 3600, 14 * 3600 + 1, 18 * 3600 - 1,
                      18 * 3600, 21 * 3600], dtype="timedelta64[s]")
    for what, probe in ((f"{n_pandas:,} samples", t), (f"{len(days) * len(edges):,} edge instants (every day of "
                        f"2024-01-01 … {last.isoformat()} at 00:00, 08:59:59, 09:00, 13:59:59, 14:00, 14:00:01, "
                        "17:59:59, 18:00, 21:00)", (days[:, None] + edges[None, :]).ravel())):
        k = office.add(probe, spec)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            p = (pd.DatetimeIndex(probe) + cbh4).values.astype("datetime64[s]")
        same = k == p
        at_close = ~same & (k.astype("datetime64[D]") + np.timedelta64(18 * 3600, "s") == k)
        equivalent = np.all(office.working_time_between(k[at_close], p[at_close]) == np.timedelta64(0, "s"))
        res.check(bool(np.all(same | at_close) and equivalent),
                  f"pandas ts + CustomBusinessHour(n=4) == kefu add(t, '{spec}') on {what}: {int(same.sum()):,} "
                  f"identical, {int(at_close.sum()):,} deadlines at 18:00 that pandas writes as the next opening "
                  f"(zero working time apart), {int((~same & ~at_close).sum())} other")

    print(f"  {'operation (pandas vs kefu)':58s} {'pandas':>10s} {'kefu':>10s} {'ratio':>9s}")
    timed(res, "4 business hours, array", BATCH, "`DatetimeIndex + CustomBusinessHour(n=4, …)`", pandas_array,
          n_pandas, f"`office.add(t, '{spec}')`, the same {n_pandas:,} instants as datetime64[s]",
          lambda: office.add(t, spec), n_pandas, repeat)
    add = office.add
    per_call = timed(res, "4 business hours, per call", CALL, "`Timestamp + CustomBusinessHour(n=4, …)`",
                     lambda: [x + cbh4 for x in stamps], n_pandas,
                     "`office.add(datetime, Duration('4 business hours'))`", lambda: [add(x, dur) for x in times],
                     n_pandas, repeat)
    # The same loop calling a C function that returns a new datetime and does no calendar work: what a call from
    # Python costs on this machine before any work, so the ceiling of every per-call ratio against pandas.
    plus, four_hours = operator.add, dt.timedelta(hours=4)
    timed(res, "4 business hours, per call: the Python floor", FLOOR, "`Timestamp + CustomBusinessHour(n=4, …)`",
          None, n_pandas, "no calendar: `operator.add(datetime, timedelta(hours=4))`, the cheapest C call that "
          "returns a new datetime", lambda: [plus(x, four_hours) for x in times], n_pandas, repeat,
          peer_timing=per_call.pair.peer)


QUANTLIB_PAIRS = [
    ("N workdays, per call, C++ (n = 1)", "`China(SSE).advance(d, 1, Days)`", "BM_quantlib_advance/1",
     "`add_workdays(t, 1)`", "BM_kefu_add_workdays/1"),
    ("N workdays, per call, C++ (n = 3)", "`China(SSE).advance(d, 3, Days)`", "BM_quantlib_advance/3",
     "`add_workdays(t, 3)`", "BM_kefu_add_workdays/3"),
    ("N workdays, per call, C++ (n = 10)", "`China(SSE).advance(d, 10, Days)`", "BM_quantlib_advance/10",
     "`add_workdays(t, 10)`", "BM_kefu_add_workdays/10"),
    ("working days between (0-30 days apart), C++", "`China(SSE).businessDaysBetween(a, b)`",
     "BM_quantlib_businessDaysBetween_near", "`working_days_between(a, b)`", "BM_kefu_working_days_between_near"),
    ("working days between (random 2024-2026 pairs), C++", "`China(SSE).businessDaysBetween(a, b)`",
     "BM_quantlib_businessDaysBetween_far", "`working_days_between(a, b)`", "BM_kefu_working_days_between_far"),
    ("is working day, per call, C++", "`China(SSE).isBusinessDay(d)`", "BM_quantlib_isBusinessDay",
     "`is_working_day(day)`", "BM_kefu_is_working_day"),
]


def compare_quantlib(res: Results, repeat: int, min_time: float | None, required: bool) -> None:
    if not (BENCH_DIR / QUANTLIB).exists():
        msg = (f"QuantLib: build/cpp/benchmarks/{QUANTLIB} is not built (apt-get install libquantlib0-dev, then "
               "make cpp-build)")
        if required:
            res.check(False, msg)
        else:
            print(msg + "; skipped")
        return
    print(f"QuantLib: running build/cpp/benchmarks/{QUANTLIB}")
    gb = google_benchmark(QUANTLIB, repetitions=repeat, min_time=min_time, check=False)
    res.quantlib_command = " ".join(gb.command)
    lines = gb.stdout.splitlines()
    for line in lines:  # the data-range and disagreement report printed before the benchmarks
        if line.startswith("kefu on QuantLib") or line.startswith("---") or re.match(r"\d{4}-\d\d-\d\dT", line):
            break  # the agreement check (reported separately), then Google Benchmark's output
        if line.startswith("QuantLib ") and " China(SSE) " in line:
            res.quantlib_version = line.split()[1]
        if line.strip():
            res.quantlib_notes.append(line.rstrip())
    identical = [ln for ln in lines if ln.startswith("kefu on QuantLib")]
    res.check(bool(identical) and "WARNING" not in gb.stdout,
              "QuantLib China(SSE) vs kefu on a calendar with QuantLib SSE's own business days: " +
              (identical[0].split(": ", 1)[1] if identical else "no agreement report") +
              " (advance(d, n, Days) n = 1, 3, 10 vs add_workdays; businessDaysBetween vs working_days_between, "
              "backward pairs shifted as for numpy)")
    print(f"  {'operation (QuantLib vs kefu, C++)':58s} {'QuantLib':>10s} {'kefu':>10s} {'ratio':>9s}")
    for op, peer, ql, call, kf in QUANTLIB_PAIRS:
        if ql in gb and kf in gb:
            q, k = gb[ql].times(), gb[kf].times()
            n = min(len(q), len(k))
            pair = Pair(Timing(tuple(q[:n]), tuple(q[:n])), Timing(tuple(k[:n]), tuple(k[:n])), interleaved=False)
            row = Row(op, CALL, peer, call, pair)
            res.rows.append(row)
            print(f"  {op:58s} {fmt_time(pair.peer.median):>10s} {fmt_time(pair.kefu.median):>10s} "
                  f"{fmt_ratio(row.ratio):>9s}")


# --- report -------------------------------------------------------------------------------------


def goals(res: Results) -> list[tuple[str, str, str]]:
    """(goal, what was measured, verdict); only like-with-like rows decide."""
    out: list[tuple[str, str, str]] = []
    r = res.get("N workdays, array")
    if r:
        measured = (f"{fmt_ratio(r.ratio)} ({fmt_time(r.pair.peer.median)} vs {fmt_time(r.pair.kefu.median)} per "
                    f"element; runs {r.pair.ratio_spread()})")
        out.append(("working-day offsets on arrays at least as fast as `numpy.busday_offset`", measured,
                    yes(r.ratio >= 1)))
        out.append(("(#17) working-day offsets on arrays ≥ 10× `numpy.busday_offset`", measured, yes(r.ratio >= 10)))
    r = res.get("N workdays, per call")
    if r:
        out.append(("≥ 100× chinese-calendar (`find_workday`), call for call from Python",
                    f"{fmt_ratio(r.ratio)} ({fmt_time(r.pair.peer.median)} vs {fmt_time(r.pair.kefu.median)}; runs "
                    f"{r.pair.ratio_spread()}); it has no array form, so no batch verdict", yes(r.ratio >= 100)))
    qs = [x for x in res.rows if x.operation.startswith("N workdays, per call, C++")]
    if qs:
        out.append(("≥ 5× QuantLib per call (`advance` vs `add_workdays`, C++)",
                    ", ".join(f"{fmt_ratio(x.ratio)} (n = {x.operation.split('n = ')[1].rstrip(')')})" for x in qs),
                    yes(min(x.ratio for x in qs) >= 5)))
    else:
        out.append(("≥ 5× QuantLib per call (`advance` vs `add_workdays`, C++)",
                    f"not measured ({QUANTLIB} not built)", "not measured"))
    r, rc = res.get("4 business hours, array"), res.get("4 business hours, per call")
    if r:
        out.append(("≥ 1000× pandas for business hours (`CustomBusinessHour`), array against array",
                    f"{fmt_ratio(r.ratio)} (median of {r.pair.peer.runs} interleaved runs)", yes(r.ratio >= 1000)))
        out.append(("(#17) the same in every run (spread over the runs)",
                    f"{r.pair.ratio_spread()} over {r.pair.peer.runs} runs", yes(r.pair.ratio_min >= 1000)))
    if rc:
        floor = res.get("4 business hours, per call: the Python floor")
        ceiling = (f"; the Python floor (`operator.add(datetime, timedelta)` in the same loop, no calendar work: "
                   f"{fmt_time(floor.pair.kefu.median)} per call) is {fmt_ratio(floor.ratio)} pandas, the most any "
                   "per-call function can reach on this machine" if floor else "")
        out.append(("≥ 1000× pandas for business hours, call for call from Python",
                    f"{fmt_ratio(rc.ratio)} (runs {rc.pair.ratio_spread()}){ceiling}", yes(rc.ratio >= 1000)))
    calls = [x for x in (res.get("N workdays, per call"), rc) if x]
    if calls:
        worst = max(x.pair.kefu.median for x in calls)
        out.append(("(#17) `cal.add(datetime, Duration)` ≤ 250 ns from Python",
                    "; ".join(f"{x.kefu_call.strip('`')}: {fmt_time(x.pair.kefu.median)}" for x in calls),
                    yes(worst <= 250e-9)))
    return out


def render(res: Results, args, run: _doc.Run) -> str:
    L = ["## Calendars vs peers", "", run.line(), ""]
    if res.quantlib_version:
        L += [f"QuantLib rows: QuantLib {res.quantlib_version} (Debian `libquantlib0-dev`) and kefu in one C++ binary, "
              f"`{res.quantlib_command}`: medians of {args.repeat} repetitions of each side.", ""]
    L.append(f"Sample: {args.n_vector:,} pseudo-random instants in 2024-01-01 … 2026-11-30 local time (seed "
             f"{args.seed}); per-call rows and their array counterparts use the first {args.n_call:,} (pandas: "
             f"{args.n_pandas:,}). Every Python row times both sides with one scheme (`benchmarks/_timing.py`): one "
             f"warm-up each, then {args.repeat} runs of each, interleaved (peer, kefu, peer, …); times are the median "
             "run divided by the number of elements, \"ratio\" is peer median / kefu median (above 1: kefu is faster), "
             "and \"ratio over runs\" is the lowest and highest of peer run i / kefu run i. Python per-call rows include "
             "the Python loop on both sides. Only like with like decides a goal: call for call, or batch for batch; the "
             "one row that sets a Python loop over a peer without an array form against kefu's array call is marked "
             f"\"{MIXED}\" and decides nothing; the row marked \"{FLOOR}\" times the same Python loop calling a C "
             "function that does no calendar work, the ceiling of any per-call ratio against that peer.")
    L += ["", "### Goals", "", "| goal | measured | met |", "| --- | --- | --- |"]
    L += [f"| {g} | {m} | {ok} |" for g, m, ok in goals(res)]
    L += ["", "### Per operation", "",
          "| operation | compared | peer | peer time | kefu | kefu time | ratio | ratio over runs |",
          "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for r in res.rows:
        spread = r.pair.ratio_spread() + ("" if r.pair.interleaved else " (repetition i of each)"
                                          if "C++" in r.operation else " (peer runs of the row above)")
        L.append(f"| {r.operation} | {r.kind} | {r.peer} | {fmt_time(r.pair.peer.median)} | {r.kefu_call} | "
                 f"{fmt_time(r.pair.kefu.median)} | {fmt_ratio(r.ratio)} | {spread} |")
    L += ["", "### What is compared", ""]
    L += [
        f"- **N workdays** (N = {WORKDAYS}) is kefu's DOM-SLA-4 deadline: the close of the N-th working day after "
        "the local date of the ticket; cn-mainland closes at 24:00, so the result is the next midnight and its "
        "date minus one day is the working day compared. `numpy.busday_offset(d, N, roll='backward')` and "
        "`chinese_calendar.find_workday(N - 1, d + 1 day)` give that day for every d. "
        "`find_workday(N, d)` itself counts from the first working day on or after d, so from a Saturday "
        "`find_workday(1, …)` is the Tuesday where kefu's 1 workday is Monday's close; the checks count those.",
        "- numpy knows weekmasks and holiday lists, not make-up working days (调休): it is given weekmask "
        "`1111111` and every non-working day of cn-mainland from 2023-12-01 to 2026-12-31 as `holidays`, in a "
        "reused `np.busdaycalendar` (a row shows the cost of passing `holidays=` on each call instead).",
        "- **working days between** counts [a, b) on both sides when a <= b; when b < a, kefu returns "
        "-(working days in [b, a)) while numpy's `busday_count` and QuantLib's `businessDaysBetween` return "
        "-(days in (b, a]), so the check compares those pairs with kefu's (a + 1, b + 1) (the timed calls are "
        "the plain ones, on pairs in both directions). chinese-calendar's "
        "`get_workdays(a, b)` includes both ends, so it is called with b - 1 day and only on pairs 1-30 days "
        "apart (it lists every day).",
        "- **4 business hours**: pandas `CustomBusinessHour(n=4, start='09:00', end='18:00', weekmask='Mon … Sun', "
        "holidays=…)` with the same holidays, against a kefu calendar loaded from `calendar: office9to18`, "
        "`extends: cn-mainland`, `hours: [\"09:00-18:00\"]`. pandas applies the offset element by element "
        "(it warns \"Non-vectorized DateOffset\"); both sides of the array row get the same instants.",
        "- kefu's array calls take numpy `datetime64[s]` (instants) or `datetime64[D]` (dates) and loop in C++ with "
        "the GIL released; numpy's take `datetime64[D]`; conversions are made before timing, on both sides.",
        "- QuantLib: `China(China::SSE)`'s `advance(d, n, Days)` is the n-th business day after d, the day kefu's "
        "`add_workdays` closes. QuantLib walks day by day, so its cost grows with n and with the span; kefu's does "
        "not. Checked on a kefu calendar built from QuantLib SSE's own business days; timed on cn-mainland.",
    ]
    per_call = res.get("N workdays, per call")
    cpp = res.get(f"N workdays, per call, C++ (n = {WORKDAYS})")
    if per_call and cpp:
        L.append(f"- kefu's Python per-call rows are dominated by the binding, not the calendar: "
                 f"`cal.add(datetime, Duration)` takes {fmt_time(per_call.pair.kefu.median)} from Python where the C++ "
                 f"`add_workdays` takes {fmt_time(cpp.pair.kefu.median)}; the difference is converting the `datetime` "
                 "in and out. The array calls pay that once per array.")
    L += ["", "### Agreement checks (run before timing)", ""]
    L += [f"- {c}" for c in res.checks]
    if res.quantlib_notes:
        L += ["", "### QuantLib's China calendar against cn-mainland", "", "```"]
        L += res.quantlib_notes
        L += ["```", "",
              "`China::SSE` is the Shanghai Stock Exchange's trading calendar, not the statutory one: the exchange "
              "does not trade on Saturdays or Sundays, so it treats the make-up working days (调休) of the statutory "
              "calendar as holidays. QuantLib's SSE holiday data ends with the year named above; after it only "
              "1 January closes, so its weekday public holidays count as business days. The \"other\" days of "
              "2004-2007 (QuantLib 1.29) are weekdays QuantLib closes on the fixed dates 4 April, 9 June and "
              "15 September, which it applies up to 2008 (those festivals became public holidays in 2008), and a "
              "few extra Spring Festival weekdays of the exchange. For 2024-2026 the two calendars are different "
              "data, not different arithmetic: on QuantLib's own business days kefu gives the same answers "
              "(checks above). The timing compares the same calls on the same dates."]
    return "\n".join(L) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n-vector", type=int, default=100_000, help="elements of the numpy array comparisons")
    ap.add_argument("--n-call", type=int, default=10_000, help="calls of the per-call comparisons")
    ap.add_argument("--n-pandas", type=int, default=10_000, help="elements for pandas (element by element)")
    ap.add_argument("--repeat", type=int, default=REPEAT, help="timed runs of each side of every comparison")
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--quantlib-min-time", type=float, default=None, help="--benchmark_min_time for the QuantLib binary")
    _doc.common_arguments(ap, NAMES)
    args = ap.parse_args(argv)
    if _doc.list_sections_if_asked(args, NAMES):
        return 0
    edge_days = None
    if args.dry_run:
        args.n_vector, args.n_call, args.n_pandas, args.repeat = 2_000, 100, 100, DRY_REPEAT
        args.quantlib_min_time, edge_days = 0.001, 20

    import pandas as pd

    import kefu

    run = _doc.Run("calendar_peers.py", COMMAND, dry_run=args.dry_run)
    res = Results(versions=[f"numpy {np.__version__}", f"pandas {pd.__version__}", f"kefu {kefu.__version__}"])
    sample = make_sample(args.n_vector, args.seed)
    mainland = kefu.Calendar.builtin("cn-mainland")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "office9to18.yaml"
        path.write_text(OFFICE_YAML, encoding="utf-8")
        office = kefu.Calendar.load(str(path))

    compare_numpy(res, mainland, sample, args.repeat)
    compare_chinese_calendar(res, mainland, sample, args.n_call, args.repeat)
    compare_pandas(res, office, sample, args.n_pandas, args.repeat, edge_days)
    compare_quantlib(res, args.repeat, args.quantlib_min_time, required=not args.dry_run)
    run.versions = res.versions
    print()
    for goal, measured, met in goals(res):
        print(f"goal: {goal}: {measured}: met: {met}")
    if res.failures:
        print(f"\n{len(res.failures)} agreement check(s) failed; docs/performance.md not updated", file=sys.stderr)
        return 1
    text = render(res, args, run)
    if not args.no_write:
        _doc.write_section("calendar_peers", text, args.doc)
        print(f"\nwrote the section 'calendar_peers' of {args.doc}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
