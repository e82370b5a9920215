#!/usr/bin/env python3
"""kefu's working-day calendars side by side with the tools people use instead.

One run times, on the same pseudo-random sample of instants in 2024-2026 (local time, +08:00):

* numpy.busday_offset / busday_count / is_busday: given kefu's non-working days as `holidays` and
  a seven-day weekmask, numpy computes exactly kefu's working days (make-up days included);
* chinese-calendar (PyPI `chinesecalendar`): find_workday, is_workday, get_workdays, day by day;
* pandas CustomBusinessHour 09:00-18:00 with the same holidays, for "4 business hours", against a
  kefu calendar with one interval 09:00-18:00 (`extends: cn-mainland`);
* QuantLib's China(SSE) calendar, through the C++ benchmark build/cpp/benchmarks/kefu_bench_quantlib
  when it has been built (QuantLib has no Python here);

and kefu's scalar and vectorised (numpy datetime64) calls. Before timing, every pair of calls is run
on the whole sample and the results are checked to agree where the semantics match; the script stops
with exit status 1 when they do not. It then rewrites the section "## Calendars vs peers" of
docs/performance.md (the other sections are kept).

    make cpp-build python-install
    .venv/bin/pip install -r benchmarks/requirements.txt
    .venv/bin/python benchmarks/calendar_peers.py
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import chinese_calendar
import numpy as np
import pandas as pd

import kefu

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "performance.md"
HEADING = "## Calendars vs peers"
QUANTLIB_BENCH = ROOT / "build" / "cpp" / "benchmarks" / "kefu_bench_quantlib"
COMMAND = (
    "make cpp-build python-install && .venv/bin/pip install -r benchmarks/requirements.txt && "
    ".venv/bin/python benchmarks/calendar_peers.py"
)

WORKDAYS = 3  # "3 workdays"
SAMPLE_FROM = np.datetime64("2024-01-01T00:00:00", "s")
SAMPLE_TO = np.datetime64("2026-12-01T00:00:00", "s")  # leaves room for the results inside 2026
HOLIDAYS_FROM = np.datetime64("2023-12-01", "D")  # numpy's roll='backward' may step before 2024
HOLIDAYS_TO = np.datetime64("2027-01-01", "D")  # exclusive; cn-mainland ends 2026-12-31
OFFICE_YAML = 'calendar: office9to18\nextends: cn-mainland\nhours: ["09:00-18:00"]\n'
ONE_SECOND = np.timedelta64(1, "s")
ONE_DAY = np.timedelta64(1, "D")


# Timing and number formats: benchmarks/_timing.py.
from _timing import best_seconds, fmt_ratio, fmt_time  # noqa: E402


@dataclass
class Row:
    operation: str
    peer: str  # the peer call
    peer_s: float  # seconds per operation
    kefu_call: str
    kefu_s: float
    n_peer: int
    n_kefu: int

    @property
    def ratio(self) -> float:
        return self.peer_s / self.kefu_s


@dataclass
class Results:
    rows: list[Row] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    quantlib_notes: list[str] = field(default_factory=list)
    quantlib_version: str | None = None

    def check(self, ok: bool, text: str) -> None:
        (self.checks if ok else self.failures).append(text)
        print(("  ok   " if ok else "  FAIL ") + text, flush=True)


def timed(results: Results, operation: str, peer: str, peer_fn, n_peer: int, kefu_call: str, kefu_fn, n_kefu: int,
          repeat: int, peer_s: float | None = None) -> Row:
    """Times both sides (or takes the peer's time per operation from an earlier row)."""
    if peer_s is None:
        peer_s = best_seconds(peer_fn, repeat) / n_peer
    kefu_s = best_seconds(kefu_fn, repeat) / n_kefu
    row = Row(operation, peer, peer_s, kefu_call, kefu_s, n_peer, n_kefu)
    results.rows.append(row)
    print(f"  {operation:58s} {fmt_time(peer_s):>10s} {fmt_time(kefu_s):>10s} {fmt_ratio(row.ratio):>9s}", flush=True)
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
    timed(res, "N workdays, array", f"`np.busday_offset(days, {WORKDAYS}, roll='backward', busdaycal=…)`",
          lambda: np.busday_offset(s.day, WORKDAYS, roll="backward", busdaycal=bdc), n,
          f"`cal.add(t, '{spec}')`, t datetime64[s]", lambda: cal.add(s.t, spec), n, repeat)
    timed(res, "working days between, array", "`np.busday_count(a, b, busdaycal=…)`",
          lambda: np.busday_count(s.day, s.far, busdaycal=bdc), n,
          "`cal.working_days_between(a, b)`, datetime64[D]", lambda: cal.working_days_between(s.day, s.far), n, repeat)
    timed(res, "is working day, array", "`np.is_busday(days, busdaycal=…)`",
          lambda: np.is_busday(s.day, busdaycal=bdc), n,
          "`cal.is_working_day(days)`, datetime64[D]", lambda: cal.is_working_day(s.day), n, repeat)
    # numpy's holiday list is parsed on every call unless a busdaycalendar is reused; for the record:
    timed(res, "N workdays, array, holidays= per call", f"`np.busday_offset(days, {WORKDAYS}, roll='backward', "
          "weekmask='1111111', holidays=…)`",
          lambda: np.busday_offset(s.day, WORKDAYS, roll="backward", weekmask="1111111", holidays=holidays), n,
          f"`cal.add(t, '{spec}')`, t datetime64[s]", lambda: cal.add(s.t, spec), n, repeat)


def compare_chinese_calendar(res: Results, cal, s: Sample, n_call: int, repeat: int) -> None:
    cc = chinese_calendar
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
    first = timed(res, "N workdays, per call", f"`chinese_calendar.find_workday({WORKDAYS - 1}, d + 1 day)`",
          lambda: [find_workday(WORKDAYS - 1, x) for x in d_next], n_call,
          "`cal.add(datetime, Duration('3 workdays'))`", lambda: [add(x, dur) for x in t], n_call, repeat)
    n_vec = len(s.t)
    spec = f"{WORKDAYS} workdays"
    timed(res, "N workdays, per call vs kefu array", f"`chinese_calendar.find_workday({WORKDAYS - 1}, d + 1 day)`",
          lambda: [find_workday(WORKDAYS - 1, x) for x in d_next], n_call,
          f"`cal.add(t, '{spec}')`, t datetime64[s], per element", lambda: cal.add(s.t, spec), n_vec, repeat,
          peer_s=first.peer_s)
    is_workday, is_working_day = cc.is_workday, cal.is_working_day
    timed(res, "is working day, per call", "`chinese_calendar.is_workday(d)`",
          lambda: [is_workday(x) for x in d], n_call,
          "`cal.is_working_day(d)`", lambda: [is_working_day(x) for x in d], n_call, repeat)
    get_workdays, between = cc.get_workdays, cal.working_days_between
    timed(res, "working days between (1-30 days apart), per call", "`len(chinese_calendar.get_workdays(a, b - 1 day))`",
          lambda: [len(get_workdays(a, b)) for a, b in zip(d, near_last)], n_call,
          "`cal.working_days_between(a, b)`", lambda: [between(a, b) for a, b in zip(d, near)], n_call, repeat)


def compare_pandas(res: Results, office, s: Sample, n_pandas: int, repeat: int) -> None:
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
    days = np.arange(np.datetime64("2024-01-01"), np.datetime64("2026-12-01")).astype("datetime64[s]")
    edges = np.array([0, 9 * 3600 - 1, 9 * 3600, 13 * 3600 + 59 * 60 + 59, 14 * 3600, 14 * 3600 + 1, 18 * 3600 - 1,
                      18 * 3600, 21 * 3600], dtype="timedelta64[s]")
    for what, probe in ((f"{n_pandas:,} samples", t), (f"{len(days) * len(edges):,} edge instants (every day of "
                        "2024-01-01 … 2026-11-30 at 00:00, 08:59:59, 09:00, 13:59:59, 14:00, 14:00:01, 17:59:59, "
                        "18:00, 21:00)", (days[:, None] + edges[None, :]).ravel())):
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
    n_vec = len(s.t)
    timed(res, "4 business hours, array", "`DatetimeIndex + CustomBusinessHour(n=4, …)`", pandas_array, n_pandas,
          f"`office.add(t, '{spec}')`, t datetime64[s]", lambda: office.add(s.t, spec), n_vec, repeat)
    add = office.add
    timed(res, "4 business hours, per call", "`Timestamp + CustomBusinessHour(n=4, …)`",
          lambda: [x + cbh4 for x in stamps], n_pandas,
          "`office.add(datetime, Duration('4 business hours'))`", lambda: [add(x, dur) for x in times], n_pandas, repeat)


def compare_quantlib(res: Results, binary: Path, min_time: float) -> None:
    if not binary.exists():
        print(f"QuantLib: {binary} not built (apt-get install libquantlib0-dev, then make cpp-build); skipped")
        return
    print(f"QuantLib: running {binary.relative_to(ROOT)}")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "ql.json"
        run = subprocess.run([str(binary), f"--benchmark_out={out}", "--benchmark_out_format=json",
                              f"--benchmark_min_time={min_time}", "--benchmark_color=false"], capture_output=True, text=True)
        report = json.loads(out.read_text()) if out.exists() else {"benchmarks": []}
    lines = run.stdout.splitlines()
    for line in lines:  # the data-range and disagreement report printed before the benchmarks
        if line.startswith("kefu on QuantLib") or line.startswith("---") or re.match(r"\d{4}-\d\d-\d\dT", line):
            break  # the agreement check (reported separately), then Google Benchmark's output
        if line.startswith("QuantLib ") and " China(SSE) " in line:
            res.quantlib_version = line.split()[1]
        if line.strip():
            res.quantlib_notes.append(line.rstrip())
    identical = [ln for ln in lines if ln.startswith("kefu on QuantLib")]
    res.check(run.returncode == 0 and bool(identical),
              "QuantLib China(SSE) vs kefu on a calendar with QuantLib SSE's own business days: " +
              (identical[0].split(": ", 1)[1] if identical else "no agreement report") +
              " (advance(d, n, Days) n = 1, 3, 10 vs add_workdays; businessDaysBetween vs working_days_between, "
              "backward pairs shifted as for numpy)")
    ns = {b["name"]: b["real_time"] * {"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}[b["time_unit"]]
          for b in report["benchmarks"] if b.get("run_type", "iteration") == "iteration"}
    pairs = [
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
    print(f"  {'operation (QuantLib vs kefu, C++)':58s} {'QuantLib':>10s} {'kefu':>10s} {'ratio':>9s}")
    for op, peer, ql, call, kf in pairs:
        if ql in ns and kf in ns:
            row = Row(op, peer, ns[ql] * 1e-9, call, ns[kf] * 1e-9, 4096, 4096)
            res.rows.append(row)
            print(f"  {op:58s} {fmt_time(row.peer_s):>10s} {fmt_time(row.kefu_s):>10s} {fmt_ratio(row.ratio):>9s}")


# --- report -------------------------------------------------------------------------------------


def machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    os_name = platform.platform()
    try:
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                os_name = line.split("=", 1)[1].strip('"')
    except OSError:
        pass
    return (f"{cpu}, {os.cpu_count()} logical CPUs, {os_name}, Python {platform.python_version()}, numpy {np.__version__}, "
            f"pandas {pd.__version__}, chinesecalendar {chinese_calendar.__version__}, kefu "
            f"{getattr(kefu, '__version__', '?')} (`make python-install`, Release)")


def goals(res: Results) -> list[tuple[str, str, str]]:
    """(goal, what was measured, verdict) for the goals of the calendar issue."""
    out: list[tuple[str, str, str]] = []

    def get(op):
        return next((r for r in res.rows if r.operation == op), None)

    def yes(ok: bool) -> str:
        return "yes" if ok else "no"

    r = get("N workdays, array")
    if r:
        out.append(("working-day offsets on arrays at least as fast as `numpy.busday_offset`",
                    f"{fmt_ratio(r.ratio)} ({fmt_time(r.peer_s)} vs {fmt_time(r.kefu_s)} per element)", yes(r.ratio >= 1)))
    r, rv = get("N workdays, per call"), get("N workdays, per call vs kefu array")
    if r and rv:
        out.append(("≥ 100× chinese-calendar (`find_workday`, which has no array form)",
                    f"{fmt_ratio(rv.ratio)} against kefu's array call per element; {fmt_ratio(r.ratio)} call for "
                    "call from Python", f"{yes(rv.ratio >= 100)} with arrays; {yes(r.ratio >= 100)} call for call"))
    qs = [x for x in res.rows if x.operation.startswith("N workdays, per call, C++")]
    if qs:
        out.append(("≥ 5× QuantLib per call (`advance` vs `add_workdays`, C++)",
                    ", ".join(f"{fmt_ratio(x.ratio)} (n = {x.operation.split('n = ')[1].rstrip(')')})" for x in qs),
                    yes(min(x.ratio for x in qs) >= 5)))
    else:
        out.append(("≥ 5× QuantLib per call", "not measured (kefu_bench_quantlib not built)", "—"))
    r, rc = get("4 business hours, array"), get("4 business hours, per call")
    if r and rc:
        out.append(("≥ 1000× pandas for business hours (`CustomBusinessHour`)",
                    f"{fmt_ratio(r.ratio)} array against array per element; {fmt_ratio(rc.ratio)} call for call "
                    "from Python", f"{yes(r.ratio >= 1000)} with arrays; {yes(rc.ratio >= 1000)} call for call"))
    return out


def render(res: Results, args) -> str:
    L = [HEADING, ""]
    L.append(f"Generated by `benchmarks/calendar_peers.py` ({dt.date.today().isoformat()}); do not edit by hand. "
             "Reproduce with:")
    L += ["", "```sh", COMMAND, "```", ""]
    L.append(f"Machine: {machine()}. QuantLib rows: QuantLib {res.quantlib_version} (Debian `libquantlib0-dev`) "
             "and kefu in one C++ binary, `build/cpp/benchmarks/kefu_bench_quantlib` (GCC, Release)."
             if res.quantlib_version else f"Machine: {machine()}.")
    L.append("")
    L.append(f"Sample: {args.n_vector:,} pseudo-random instants in 2024-01-01 … 2026-11-30 local time (seed "
             f"{args.seed}); per-call rows use the first {args.n_call:,} (pandas: {args.n_pandas:,}). Times are "
             f"the best of {args.repeat} runs, divided by the number of elements; \"ratio\" is peer time / kefu "
             "time (above 1: kefu is faster). Python per-call rows include the Python loop on both sides.")
    L += ["", "### Goals", "", "| goal | measured | met |", "| --- | --- | --- |"]
    for goal, measured, met in goals(res):
        L.append(f"| {goal} | {measured} | {met} |")
    L += ["", "### Per operation", "",
          "| operation | peer | peer time | kefu | kefu time | ratio |", "| --- | --- | --- | --- | --- | --- |"]
    for r in res.rows:
        L.append(f"| {r.operation} | {r.peer} | {fmt_time(r.peer_s)} | {r.kefu_call} | {fmt_time(r.kefu_s)} | "
                 f"{fmt_ratio(r.ratio)} |")
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
        "(it warns \"Non-vectorized DateOffset\").",
        "- kefu's array calls take numpy `datetime64[s]` (instants) or `datetime64[D]` (dates) and loop in C++ with "
        "the GIL released; numpy's take `datetime64[D]`; conversions are made before timing.",
        "- QuantLib: `China(China::SSE)`'s `advance(d, n, Days)` is the n-th business day after d, the day kefu's "
        "`add_workdays` closes. QuantLib "
        "walks day by day, so its cost grows with n and with the span; kefu's does not. Checked on a kefu "
        "calendar built from QuantLib SSE's own business days; timed on cn-mainland.",
    ]
    per_call = next((r for r in res.rows if r.operation == "N workdays, per call"), None)
    cpp = next((r for r in res.rows if r.operation == f"N workdays, per call, C++ (n = {WORKDAYS})"), None)
    if per_call and cpp:
        L.append(f"- kefu's Python per-call rows are dominated by the binding, not the calendar: "
                 f"`cal.add(datetime, Duration)` takes {fmt_time(per_call.kefu_s)} from Python where the C++ "
                 f"`add_workdays` takes {fmt_time(cpp.kefu_s)}; the difference is converting the `datetime` in and "
                 "out. The array calls pay that once per array.")
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
    L.append("")
    return "\n".join(L)


def update_doc(section: str) -> None:
    text = DOC.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    start = next((i for i, ln in enumerate(lines) if ln.rstrip("\n") == HEADING), None)
    if start is None:
        new = text.rstrip("\n") + "\n\n" + section
    else:
        end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
        tail = "".join(lines[end:])
        new = "".join(lines[:start]) + section + ("\n" + tail if tail else "")
    DOC.write_text(new.rstrip("\n") + "\n", encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n-vector", type=int, default=100_000, help="elements of the array calls")
    ap.add_argument("--n-call", type=int, default=10_000, help="calls of the per-call comparisons")
    ap.add_argument("--n-pandas", type=int, default=10_000, help="elements for pandas (element by element)")
    ap.add_argument("--repeat", type=int, default=5, help="timed runs per measurement (the best is kept)")
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--quantlib", type=Path, default=QUANTLIB_BENCH, help="the kefu_bench_quantlib binary")
    ap.add_argument("--quantlib-min-time", type=float, default=0.5, help="--benchmark_min_time for it (seconds)")
    ap.add_argument("--no-write", action="store_true", help="print only; leave docs/performance.md alone")
    args = ap.parse_args()

    res = Results()
    sample = make_sample(args.n_vector, args.seed)
    mainland = kefu.Calendar.builtin("cn-mainland")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "office9to18.yaml"
        path.write_text(OFFICE_YAML, encoding="utf-8")
        office = kefu.Calendar.load(str(path))

    compare_numpy(res, mainland, sample, args.repeat)
    compare_chinese_calendar(res, mainland, sample, args.n_call, args.repeat)
    compare_pandas(res, office, sample, args.n_pandas, max(1, min(args.repeat, 3)))
    compare_quantlib(res, args.quantlib, args.quantlib_min_time)
    print()
    for goal, measured, met in goals(res):
        print(f"goal: {goal}: {measured}: met: {met}")
    if res.failures:
        print(f"\n{len(res.failures)} agreement check(s) failed; docs/performance.md not updated", file=sys.stderr)
        return 1
    if not args.no_write:
        update_doc(render(res, args))
        print(f"\nwrote the section '{HEADING}' of {DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
