#!/usr/bin/env python3
"""Compiled calendars in C++ — queries, loading and memory: writes the section "calendar_cpp" of
docs/performance.md from build/cpp/benchmarks/kefu_bench_calendar (Google Benchmark, benchmarks/bench_calendar.cpp).

    make cpp-build python-install && .venv/bin/python benchmarks/calendar_cpp.py
"""

from __future__ import annotations

import sys

import _doc
from _timing import fmt_bytes, fmt_rate, fmt_time, yes

NAMES = ["calendar_cpp"]

QUERIES = [
    ("BM_add_workdays/1", "`add_workdays(t, 1)`", "cn-office"),
    ("BM_add_workdays/3", "`add_workdays(t, 3)`", "cn-office"),
    ("BM_add_workdays/10", "`add_workdays(t, 10)`", "cn-office"),
    ("BM_add_workdays_with_provisional_flag", "`add_workdays(t, 3)` + `provisional_at(due)` (what triage computes)",
     "cn-office"),
    ("BM_add_workdays_projected", "`add_workdays(t, 3)` from instants in the projection (2027–2035)", "cn-office"),
    ("BM_add_working_time_4h", "`add_working_time(t, 4h)` (\"4 business hours\")", "cn-office"),
    ("BM_working_time_between", "`working_time_between(a, b)`", "cn-office"),
    ("BM_working_days_between", "`working_days_between(day_a, day_b)`", "cn-mainland"),
    ("BM_is_working_day", "`is_working_day(day)`", "cn-mainland"),
]
WORKDAY_CALLS = ["BM_add_workdays/1", "BM_add_workdays/3", "BM_add_workdays/10", "BM_working_days_between"]


def calendar_range() -> str:
    """cn-mainland's compiled range, from the installed kefu (official data, then the projection)."""
    try:
        import kefu

        cal = kefu.Calendar.builtin("cn-mainland")
        prov = cal.provisional_until
        return (f"{cal.first_date.year}–{cal.last_date.year}, official data to {cal.official_until.isoformat()}"
                + (f", projected to {prov.isoformat()}" if prov else ""))
    except Exception as e:  # noqa: BLE001 — the section still says what it could not read
        return f"range not read: {e}"


def goals(gb) -> list[tuple[str, str, str]]:
    out = []
    got = [(n, gb[n].time()) for n in WORKDAY_CALLS if n in gb]
    if got:
        worst = max(t for _, t in got)
        out.append(("(#17) `add_workdays` and `working_days_between` ≤ 10 ns per C++ call",
                    ", ".join(f"{n.removeprefix('BM_')}: {fmt_time(t)}" for n, t in got), yes(worst <= 10e-9)))
    r = gb.get("BM_add_working_time_4h")
    if r:
        out.append(("(#17) business hours (`add_working_time`) ≤ 20 ns per C++ call",
                    f"{fmt_time(r.time())} (repetitions {r.spread()})", yes(r.time() <= 20e-9)))
    mems = [(c, gb.get(f"BM_memory_{c.replace('-', '_')}")) for c in ("cn-mainland", "cn-office")]
    mems = [(c, m) for c, m in mems if m]
    if mems:
        worst = max(m.counter("total_bytes") for _, m in mems)
        out.append(("(#17) a compiled calendar over its whole range stays under 2 MB",
                    ", ".join(f"{c}: {fmt_bytes(m.counter('total_bytes'))}" for c, m in mems), yes(worst < 2e6)))
    return out


def render(run: _doc.Run, gb) -> str:
    L = ["## Calendar (C++)", "", run.line(), "",
         f"Google Benchmark, `benchmarks/bench_calendar.cpp`, one core: `{' '.join(gb.command)}`. Times are the "
         f"median of {gb.repetitions} repetitions; \"spread\" is the fastest and the slowest repetition (this run's "
         f"largest spread of a query: {100 * gb.max_rel_spread([q for q, _, _ in QUERIES]):.0f} % of its median). "
         "The queries walk 4,096 precomputed pseudo-random instants (or their dates) in 2024-01-01 … 2026-11-30, "
         "+08:00, so the timed loop draws no random numbers and does not hit one cached day; \"between\" queries "
         "pair them with a second, independent sample (on average a year apart). cn-mainland's compiled range: "
         f"{calendar_range()}.", ""]
    L += ["### Goals", "", "| goal | measured | met |", "| --- | --- | --- |"]
    L += [f"| {g} | {m} | {ok} |" for g, m, ok in goals(gb)]
    L += ["", "### Queries", "", "| operation | calendar | time per call | spread | throughput |",
          "| --- | --- | --- | --- | --- |"]
    for name, what, cal in QUERIES:
        r = gb.get(name)
        if r is None:
            L.append(f"| {what} | {cal} | not run | | |")
        else:
            L.append(f"| {what} | {cal} | {fmt_time(r.time())} | {r.spread()} | {fmt_rate(1 / r.time(), 'calls')} |")
    L += ["", "No query walks day by day: the cost of `add_workdays` does not grow with n, and `working_days_between` "
          "is two table reads whatever the span. The provisional flag costs one more day look-up, and projected days "
          "are compiled into the same tables as official ones, so a deadline in 2030 costs what a deadline in 2025 does."]
    L += ["", "### Loading", "", "| operation | time | spread |", "| --- | --- | --- |"]
    comp, load, notice = gb.get("BM_compile_cn_mainland"), gb.get("BM_load_cn_mainland_yaml"), gb.get("BM_parse_notice_2026")
    if comp:
        L.append(f"| compile cn-mainland ({comp.counter('days'):,.0f} days, of which {comp.counter('official_days'):,.0f} "
                 f"official) from its parsed definition (`BM_compile_cn_mainland`) | {fmt_time(comp.time())} | "
                 f"{comp.spread()} |")
    if load:
        L.append(f"| `load_string` of `rules/calendars/cn-mainland.yaml` ({fmt_bytes(load.counter('yaml_bytes'))}: YAML "
                 f"parse, definition, compile; `BM_load_cn_mainland_yaml`) | {fmt_time(load.time())} | {load.spread()} |")
    if notice:
        L.append(f"| parse the 2026 State Council notice ({fmt_bytes(notice.counter('text_bytes'))} of text) and write its "
                 f"overlay YAML (`BM_parse_notice_2026`) | {fmt_time(notice.time())} | {notice.spread()} |")
    L += ["", "### Memory per compiled calendar", "",
          "`BM_memory_*`: live heap measured through the global `operator new` with `malloc_usable_size`, reported as "
          "counters (the same in every repetition).", "",
          "| | cn-mainland | cn-office |", "| --- | --- | --- |"]
    m, o = gb.get("BM_memory_cn_mainland"), gb.get("BM_memory_cn_office")

    def cell(r, key, per_day=False):
        if r is None or r.counter(key) is None:
            return "not run"
        text = fmt_bytes(r.counter(key))
        if per_day:
            text += f" ({r.counter('table_bytes_per_day'):.0f} B per day)"
        return text

    days = f"{m.counter('days'):,.0f} days" if m else "?"
    L += [f"| `sizeof(calendar)` | {cell(m, 'sizeof')} | {cell(o, 'sizeof')} |",
          f"| definition it keeps (`source()`: entries, names, source locations) | {cell(m, 'definition_bytes')} | "
          f"{cell(o, 'definition_bytes')} |",
          f"| compiled tables ({days}) | {cell(m, 'tables_bytes', True)} | {cell(o, 'tables_bytes', True)} |",
          f"| **total** | **{cell(m, 'total_bytes')}** | **{cell(o, 'total_bytes')}** |",
          f"| transient extra heap while compiling | {cell(m, 'compile_peak_bytes')} | {cell(o, 'compile_peak_bytes')} |",
          f"| merged working intervals | {m.counter('intervals'):,.0f} | {o.counter('intervals'):,.0f} |"
          if m and o else "| merged working intervals | not run | not run |"]
    L += ["", "cn-office costs more than cn-mainland because it has two intervals per working day (three `int64` each) "
          "where cn-mainland's whole days merge into one interval per run of working days.", "",
          "kefu against QuantLib's China calendar is a second binary, built only when QuantLib is installed "
          "(`apt-get install libquantlib0-dev`, then `make cpp-build`; `make benchmark-docs` installs it): "
          "`build/cpp/benchmarks/kefu_bench_quantlib`. Its numbers are in the next section, which "
          "`benchmarks/calendar_peers.py` writes."]
    return "\n".join(L) + "\n"


def main(argv: list[str] | None = None) -> int:
    return _doc.google_benchmark_main(argv, __doc__, "calendar_cpp.py", "calendar_cpp", "kefu_bench_calendar", render)


if __name__ == "__main__":
    sys.exit(main())
