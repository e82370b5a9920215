"""What this machine can give, measured: the reference for reading one page against another, and the ceiling of
any two-process scale-out (benchmarks/all.py writes both into the overview).

- **speed**: a fixed pure-Python loop (compute-bound) and a fixed numpy pass over 256 MB (memory-bound), each in
  one process. The same work on another day or host shows how much of a change between pages is the machine.
- **two at once**: the same two workloads in two processes at the same time; the gain is 2 × (one alone) /
  (slower of the two). Two independent cores give about 2×; two logical CPUs that share a core, or a host
  that is busy, give less, and no two-worker scale-out (Dask, threads) can beat this on the same kind of work.
"""

from __future__ import annotations

import multiprocessing
import time
from dataclasses import dataclass

LOOP = 4_000_000
ARRAY_MB = 256


def _loop(n: int) -> float:
    t = time.perf_counter()
    x = 0
    for i in range(n):
        x += i * i % 7
    return time.perf_counter() - t


def _memory(mb: int) -> float:
    import numpy as np

    a = np.ones(mb * 1024 * 1024 // 8)
    a.sum()  # pages touched before timing
    t = time.perf_counter()
    for _ in range(5):
        a.sum()
    return time.perf_counter() - t


@dataclass
class Probe:
    loop_s: float
    loop_gain: float
    memory_s: float
    memory_gain: float


def probe(scale: float = 1.0, rounds: int = 3) -> Probe:
    """Best of `rounds` for one process; the median gain of `rounds` runs two at once."""
    n, mb = max(1000, int(LOOP * scale)), max(8, int(ARRAY_MB * scale))
    ctx = multiprocessing.get_context("spawn")
    out = []
    with ctx.Pool(2) as pool:
        for fn, arg in ((_loop, n), (_memory, mb)):
            ones, gains = [], []
            for _ in range(rounds):
                one = pool.apply(fn, (arg,))
                two = pool.map(fn, [arg, arg], chunksize=1)
                ones.append(one)
                gains.append(2 * one / max(two))
            out += [min(ones), sorted(gains)[len(gains) // 2]]
    return Probe(*out)


def describe(start: Probe, end: Probe) -> list[str]:
    return [
        "| probe (`benchmarks/_machine.py`) | at the start | at the end |", "| --- | --- | --- |",
        f"| speed: a fixed pure-Python loop ({LOOP:,} steps), one process | {start.loop_s * 1e3:.0f} ms | "
        f"{end.loop_s * 1e3:.0f} ms |",
        f"| speed: numpy sums over {ARRAY_MB} MB, 5 passes, one process | {start.memory_s * 1e3:.0f} ms | "
        f"{end.memory_s * 1e3:.0f} ms |",
        f"| two at once: the loop in 2 processes, throughput over one | {start.loop_gain:.2f}× | {end.loop_gain:.2f}× |",
        f"| two at once: the sums in 2 processes, throughput over one | {start.memory_gain:.2f}× | "
        f"{end.memory_gain:.2f}× |",
    ]


if __name__ == "__main__":
    p = probe()
    print("\n".join(describe(p, p)))
