"""The one timing scheme every benchmark script uses, for kefu and for its peers alike.

Python: `measure(fn, n)` runs fn() once untimed (the warm-up), then `repeat` timed runs (REPEAT unless a
script is told otherwise: the same N for every measurement of a run), and keeps every run's wall time and
process CPU time. Times are reported per element (run time / n) as the **median** of the runs, with the
fastest and slowest run as the spread. `compare(peer_fn, kefu_fn, …)` times both sides interleaved —
peer, kefu, peer, kefu … after one warm-up of each — so both see the same machine, and its ratio is
peer median / kefu median with the range of the per-run ratios (run i of the peer over run i of kefu).

C++: `google_benchmark(program)` runs a Google Benchmark binary with --benchmark_repetitions=REPEAT and
keeps, for every benchmark, the median aggregate (times and counters) and the slowest and fastest
repetition, read from its JSON output.

Number formats (fmt_time, fmt_ratio, fmt_spread) are shared too, so every table prints alike.
"""

from __future__ import annotations

import json
import re
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = ROOT / "build" / "cpp" / "benchmarks"

REPEAT = 5  # timed runs per measurement, both sides of every comparison (after WARMUP untimed runs)
WARMUP = 1
DRY_REPEAT = 2  # --dry-run: the scheme is exercised, the numbers mean nothing


# --- Python ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Timing:
    """The timed runs of one measurement: wall and process CPU seconds per run, n elements per run."""

    wall: tuple[float, ...]
    cpu: tuple[float, ...]
    n: int = 1

    @property
    def median(self) -> float:
        """Seconds per element, median run."""
        return statistics.median(self.wall) / self.n

    @property
    def best(self) -> float:
        return min(self.wall) / self.n

    @property
    def worst(self) -> float:
        return max(self.wall) / self.n

    @property
    def runs(self) -> int:
        return len(self.wall)

    @property
    def cores(self) -> float:
        """Process CPU time over wall time: about 1 for one busy thread, up to the cores used."""
        wall = sum(self.wall)
        return sum(self.cpu) / wall if wall > 0 else 0.0

    def per_run(self) -> list[float]:
        return [w / self.n for w in self.wall]

    def spread(self) -> str:
        return fmt_spread(self.best, self.worst)


def _once(fn: Callable[[], object]) -> tuple[float, float]:
    c0, t0 = time.process_time(), time.perf_counter()
    fn()
    t1, c1 = time.perf_counter(), time.process_time()
    return t1 - t0, c1 - c0


def measure(fn: Callable[[], object], n: int = 1, repeat: int = REPEAT, warmup: int = WARMUP) -> Timing:
    """`warmup` untimed runs of fn(), then `repeat` timed ones; n = elements per run."""
    for _ in range(warmup):
        fn()
    runs = [_once(fn) for _ in range(repeat)]
    return Timing(tuple(w for w, _ in runs), tuple(c for _, c in runs), n)


@dataclass(frozen=True)
class Pair:
    """A peer and kefu timed with the same scheme; ratio > 1: kefu is faster."""

    peer: Timing
    kefu: Timing
    interleaved: bool = True

    @property
    def ratio(self) -> float:
        return self.peer.median / self.kefu.median

    @property
    def ratios(self) -> list[float]:
        """Run i of the peer over run i of kefu (interleaved runs saw the same machine)."""
        return [p / k for p, k in zip(self.peer.per_run(), self.kefu.per_run())]

    @property
    def ratio_min(self) -> float:
        return min(self.ratios)

    @property
    def ratio_max(self) -> float:
        return max(self.ratios)

    def ratio_spread(self) -> str:
        return f"{fmt_ratio(self.ratio_min)}–{fmt_ratio(self.ratio_max)}"


def measure_together(fns: dict[str, tuple[Callable[[], object], int]], repeat: int = REPEAT,
                     warmup: int = WARMUP) -> dict[str, Timing]:
    """Several measurements interleaved round-robin (a warm-up of each, then run i of each in turn), so that
    all of them see the same machine; fns maps a name to (fn, elements per run)."""
    for _ in range(warmup):
        for fn, _n in fns.values():
            fn()
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in fns}
    for _ in range(repeat):
        for name, (fn, _n) in fns.items():
            runs[name].append(_once(fn))
    return {name: Timing(tuple(w for w, _ in r), tuple(c for _, c in r), fns[name][1]) for name, r in runs.items()}


def compare(peer_fn: Callable[[], object] | None, kefu_fn: Callable[[], object] | None, n_peer: int, n_kefu: int,
            repeat: int = REPEAT, warmup: int = WARMUP, peer: Timing | None = None, kefu: Timing | None = None) -> Pair:
    """Times peer_fn and kefu_fn interleaved (same repeat, same warm-up). A side given as a Timing already
    measured (with the same repeat) is reused instead of timed again; the pair is then not interleaved."""
    if peer is not None or kefu is not None:
        peer = peer or measure(peer_fn, n_peer, repeat, warmup)  # type: ignore[arg-type]
        kefu = kefu or measure(kefu_fn, n_kefu, repeat, warmup)  # type: ignore[arg-type]
        if peer.runs != kefu.runs:
            raise ValueError(f"a comparison needs the same number of runs on both sides ({peer.runs} vs {kefu.runs})")
        return Pair(peer, kefu, interleaved=False)
    t = measure_together({"peer": (peer_fn, n_peer), "kefu": (kefu_fn, n_kefu)}, repeat, warmup)  # type: ignore[dict-item]
    return Pair(t["peer"], t["kefu"])


def pair_of(peer: Timing, kefu: Timing) -> Pair:
    """Two timings taken together by measure_together (interleaved)."""
    return Pair(peer, kefu)


# --- Google Benchmark ------------------------------------------------------------------------------


_UNIT = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}


@dataclass
class GBResult:
    """One benchmark's repetitions: the median aggregate record and the per-repetition records."""

    name: str
    median: dict
    reps: list[dict] = field(default_factory=list)

    def time(self, which: str = "real_time") -> float:
        """The median repetition's time per iteration, in seconds."""
        return self.median[which] * _UNIT[self.median["time_unit"]]

    def times(self, which: str = "real_time") -> list[float]:
        return [r[which] * _UNIT[r["time_unit"]] for r in self.reps] or [self.time(which)]

    def counter(self, key: str) -> float | None:
        v = self.median.get(key)
        return float(v) if v is not None else None

    def counters(self, key: str) -> list[float]:
        return [float(r[key]) for r in self.reps if key in r]

    @property
    def label(self) -> str:
        return next((r["label"] for r in self.reps if r.get("label")), self.median.get("label", ""))

    def spread(self, which: str = "real_time") -> str:
        t = self.times(which)
        return fmt_spread(min(t), max(t))

    def rel_spread(self, which: str = "real_time") -> float:
        """(slowest - fastest) / median over the repetitions."""
        t = self.times(which)
        return (max(t) - min(t)) / self.time(which) if self.time(which) > 0 else 0.0


@dataclass
class GBRun:
    program: str
    results: dict[str, GBResult]
    context: dict
    stdout: str
    command: list[str]
    repetitions: int

    def __getitem__(self, name: str) -> GBResult:
        return self.results[name]

    def __contains__(self, name: str) -> bool:
        return name in self.results

    def get(self, name: str) -> GBResult | None:
        return self.results.get(name)

    def max_rel_spread(self, names: Sequence[str] | None = None, which: str = "real_time") -> float:
        rs = [r.rel_spread(which) for n, r in self.results.items() if names is None or n in names]
        return max(rs, default=0.0)


def short_name(run_name: str) -> str:
    """A benchmark's name without the options Google Benchmark appends: BM_x/10000000/real_time → BM_x/10000000."""
    return re.sub(r"/(iterations:\d+|min_time:[0-9.]+s?|real_time|manual_time|threads:\d+)", "", run_name)


def google_benchmark(program: str, repetitions: int = REPEAT, min_time: float | None = None,
                     benchmark_filter: str | None = None, check: bool = True) -> GBRun:
    """Runs build/cpp/benchmarks/<program> with `repetitions` repetitions; JSON through --benchmark_out (so a
    binary that prints its own report on stdout works too)."""
    exe = BENCH_DIR / program
    if not exe.exists():
        raise FileNotFoundError(f"{exe.relative_to(ROOT)} is not built (make cpp-build)")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.json"
        cmd = [str(exe), f"--benchmark_repetitions={repetitions}", f"--benchmark_out={out}",
               "--benchmark_out_format=json", "--benchmark_color=false"]
        if min_time is not None:
            cmd.append(f"--benchmark_min_time={min_time}")
        if benchmark_filter:
            cmd.append(f"--benchmark_filter={benchmark_filter}")
        run = subprocess.run(cmd, capture_output=True, text=True)
        if check and run.returncode != 0:
            raise RuntimeError(f"{program} exited with {run.returncode}: {run.stderr.strip()[-500:]}")
        text = out.read_text() if out.exists() else ""
        report = json.loads(text) if text.strip() else {"benchmarks": [], "context": {}}
    results: dict[str, GBResult] = {}
    reps: dict[str, list[dict]] = {}
    for b in report["benchmarks"]:
        name = short_name(b.get("run_name", b["name"]))
        if b.get("run_type") == "aggregate":
            if b.get("aggregate_name") == "median":
                results[name] = GBResult(name, b)
        elif not b.get("error_occurred"):
            reps.setdefault(name, []).append(b)
    for name, rs in reps.items():
        if name not in results:  # one repetition: no aggregates
            results[name] = GBResult(name, rs[len(rs) // 2])
        results[name].reps = rs
    shown = [c if not c.startswith(str(BENCH_DIR)) else "build/cpp/benchmarks/" + c[len(str(BENCH_DIR)) + 1:]
             for c in cmd if not c.startswith("--benchmark_out")]
    return GBRun(program, results, report.get("context", {}), run.stdout, shown, repetitions)


# --- formats ---------------------------------------------------------------------------------------


def fmt_time(seconds: float) -> str:
    """A duration with 3 significant digits in ns, µs, ms or s."""
    ns = seconds * 1e9
    if ns < 1_000:
        return f"{ns:.3g} ns" if ns < 100 else f"{ns:.0f} ns"
    if ns < 1_000_000:
        return f"{ns / 1e3:.3g} µs" if ns < 100_000 else f"{ns / 1e3:.0f} µs"
    if ns < 1_000_000_000:
        return f"{ns / 1e6:.3g} ms" if ns < 100_000_000 else f"{ns / 1e6:.0f} ms"
    return f"{ns / 1e9:.3g} s"


def fmt_spread(lo: float, hi: float) -> str:
    """Fastest–slowest run, each in its own unit: '14.1–19.8 ns', '1.2 µs–1.4 µs'."""
    a, b = fmt_time(lo), fmt_time(hi)
    ua, ub = a.split(" ")[1], b.split(" ")[1]
    return f"{a.split(' ')[0]}–{b}" if ua == ub else f"{a}–{b}"


def fmt_ratio(r: float) -> str:
    """A ratio as the docs print it: 2,462×, 57×, 8.8×, 0.54×."""
    if r >= 100:
        return f"{r:,.0f}×"
    if r >= 10:
        return f"{r:.0f}×"
    return f"{r:.2g}×" if r < 1 else f"{r:.1f}×"


def fmt_rate(per_second: float, unit: str) -> str:
    if per_second >= 1e9:
        return f"{per_second / 1e9:.3g} G {unit}/s"
    if per_second >= 1e6:
        return f"{per_second / 1e6:.3g} M {unit}/s"
    if per_second >= 1e3:
        return f"{per_second / 1e3:.3g} k {unit}/s"
    return f"{per_second:.3g} {unit}/s"


def fmt_bytes(n: float) -> str:
    if n >= 1e6:
        return f"{n / 1e6:.3g} MB"
    if n >= 1e3:
        return f"{n / 1e3:.3g} KB"
    return f"{n:.0f} B"


def yes(ok: bool) -> str:
    return "yes" if ok else "no"
