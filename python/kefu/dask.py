"""KPIs, triage and policy diffs on a Dask cluster: ``kefu.dask.kpis(ddf, by=...)``, ``kefu.dask.triage(ddf)``,
``kefu.dask.diff_policies(ddf, old, new)``.

Each partition of the Dask DataFrame is reduced on a worker to kefu's KPI accumulators
(``kefu.kpi.partial``, one thread per partition) and merged: under a dask.distributed client, first on
each worker (the partials it holds), then one table per worker; under another scheduler, in a tree. A
partition's accumulators stay in its worker's memory as a table; they are written as bytes
(``KpiTable.to_bytes``, about a kB per group) only when Dask moves them to another worker or to the client,
so a merge of partials that sit on one worker costs only the merge. For speed, let the workers load or make
the partitions (``dd.read_parquet``, ``dd.read_csv``, ``dd.from_map``) rather than ``dd.from_pandas`` on the
client, which ships every row to the cluster; and keep partitions to a million rows or more, since each partition's partial is written
and merged at a cost that grows with its groups, not its rows. Counts, sums, means and rates are exactly
those of one process; percentiles too, because the quantile sketches merge bucket by bucket (both are
within the sketch's documented relative accuracy of the exact percentile).

Targets must be given as ``"default"``, a path to a targets file, or None, so workers can load them.

``CLUSTER_CONFIG`` holds the Dask settings for workers that run kefu on partitions of a million rows or more;
apply them before the cluster starts: ``with dask.config.set(kefu.dask.CLUSTER_CONFIG): LocalCluster(...)``.
"""

from __future__ import annotations

import functools

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from . import kpi as _kpi
from ._core import KpiTable, KpiTargets, TimeZone

if TYPE_CHECKING:
    import os

    import dask.dataframe as dd

__all__ = ["CLUSTER_CONFIG", "diff_policies", "kpis", "partial", "triage"]

#: Dask settings for workers that triage, diff or reduce partitions of a million rows or more. Dask's nanny
#: starts each worker with ``MALLOC_TRIM_THRESHOLD_=65536``, which also turns off glibc's adaptive mmap
#: threshold: every array of more than 128 kB is then a fresh mmap, so each partition pays its page faults
#: again (measured: a 1.25 M-ticket partition triaged 20–40 % slower, and Dask's 2 workers no faster than one
#: process). ``None`` leaves the variable unset, as in a plain Python process. ``worker-saturation`` 1.0 hands
#: each worker thread one partition at a time instead of making the next one while the current one is triaged
#: (two partitions in memory, neither in warm pages).
CLUSTER_CONFIG: dict[str, Any] = {
    "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
    "distributed.scheduler.worker-saturation": 1.0,
}


def _targets_spec(targets: Any) -> str | None:
    if targets is None:
        return None
    if isinstance(targets, KpiTargets):
        raise TypeError("kefu.dask needs targets as 'default' or a path (workers load them), not a KpiTargets object")
    if isinstance(targets, (str, Path)):
        return str(targets)
    raise TypeError(f"targets must be 'default', a path or None, not {type(targets).__name__}")


def _load_targets(spec: str | None) -> KpiTargets | None:
    return _kpi._targets(spec)


class _Partial:
    """A partition's KPI table as it sits in a worker's memory, with what is needed to read it back: pickled
    (as ``to_bytes``) only when Dask moves it between processes."""

    __slots__ = ("table", "options")

    def __init__(self, table: KpiTable, options: tuple) -> None:
        self.table = table
        self.options = options  # (by, period, targets spec, zone, relative accuracy)

    def __reduce__(self) -> tuple:
        return (_read_partial, (self.table.to_bytes(), self.options))


def _read_partial(data: bytes, options: tuple) -> _Partial:
    by, period, spec, zone, accuracy = options
    return _Partial(KpiTable.from_bytes(data, by, period or "none", zone, _load_targets(spec), accuracy), options)


def _partition(frame: pd.DataFrame, by: list[str], period: str | None, spec: str | None, zone: Any,
               columns: Mapping[str, str] | None, accuracy: float) -> _Partial:
    # One thread per partition: the workers already run partitions in parallel.
    table = _kpi.partial(frame, by, period, _load_targets(spec), zone, columns, accuracy, threads=1)
    return _Partial(table, (by, period, spec, zone, accuracy))


def _merge(parts: list[_Partial]) -> _Partial:
    # Into a copy: the inputs are Dask's results, which a task must not change (Dask may hand them to
    # another task, or keep them for a retry).
    merged = parts[0].table.copy()
    for p in parts[1:]:
        merged.merge(p.table)
    return _Partial(merged, parts[0].options)


def _cluster_client() -> Any:
    """The dask.distributed client that dask.compute would use now, or None (another scheduler, or none)."""
    import dask

    try:
        from distributed import default_client
        client = default_client()
    except (ImportError, ValueError):
        return None
    return client if getattr(dask.base.get_scheduler(), "__self__", None) is client else None


def _merge_by_worker(client: Any, parts: list) -> _Partial:
    # Each worker first merges the partials it holds (nothing travels), then one task merges one table per worker:
    # as many tables cross the network as there are workers, not half the partitions as in a tree over them.
    import distributed

    futures = client.compute(parts)
    distributed.wait(futures)
    holders = client.who_has(futures)
    by_worker: dict[str, list] = {}
    for f in futures:
        where = holders.get(f.key) or ("",)
        by_worker.setdefault(where[0], []).append(f)
    local = [fs[0] if len(fs) == 1 else
             client.submit(_merge, fs, workers=[w] if w else None, allow_other_workers=True, pure=False)
             for w, fs in by_worker.items()]
    final = local[0] if len(local) == 1 else client.submit(_merge, local, pure=False)
    return final.result()


def partial(ddf: dd.DataFrame, by: str | Sequence[str] | None = None, period: str | None = None,
            targets: str | Path | None = "default", zone: TimeZone | str = _kpi.DEFAULT_ZONE, columns: Mapping[str, str] | None = None,
            relative_accuracy: float = _kpi.DEFAULT_ACCURACY, split_every: int = 8) -> KpiTable:
    """The merged accumulators of every partition (a ``KpiTable``), computed on the cluster. Under a
    dask.distributed client each worker merges the partials it holds and one table per worker travels;
    under another scheduler the partials merge in a tree, `split_every` at a time."""
    import dask

    groups = _kpi._by(by)
    spec = _targets_spec(targets)
    zone_text = zone if isinstance(zone, str) else str(zone)
    parts = [dask.delayed(_partition)(p, groups, period, spec, zone_text, columns, relative_accuracy)
             for p in ddf.to_delayed()]
    if not parts:
        raise ValueError("the Dask DataFrame has no partitions")
    client = _cluster_client()
    if client is not None:
        return _merge_by_worker(client, parts).table
    while len(parts) > 1:  # tree reduction
        parts = [dask.delayed(_merge)(parts[i:i + split_every]) for i in range(0, len(parts), split_every)]
    (result,) = dask.compute(parts[0])
    return result.table


def kpis(ddf: dd.DataFrame, by: str | Sequence[str] | None = None, period: str | None = None,
         targets: str | Path | None = "default", zone: TimeZone | str = _kpi.DEFAULT_ZONE, columns: Mapping[str, str] | None = None,
         relative_accuracy: float = _kpi.DEFAULT_ACCURACY, split_every: int = 8) -> pd.DataFrame:
    """KPIs per group of a Dask DataFrame, computed on the workers: the same DataFrame as
    ``kefu.kpi.kpis`` on the whole data."""
    return _kpi.to_frame(partial(ddf, by, period, targets, zone, columns, relative_accuracy, split_every))


@functools.lru_cache(maxsize=8)
def _rules(directory: str) -> Any:
    # Loaded once per worker process and directory, as kefu.diff loads them (no rule tests).
    from .diff import load_rules

    return load_rules(directory)


def _diff_partition(frame: pd.DataFrame, old: str, new: str, outputs: tuple[str, ...]) -> pd.DataFrame:
    from .diff import diff_policies

    return diff_policies(_rules(old), _rules(new), frame, outputs)


def diff_policies(ddf: dd.DataFrame, old: str | Path, new: str | Path, outputs: Sequence[str] | None = None) -> pd.DataFrame:
    """``kefu.diff.diff_policies`` on a Dask DataFrame of tickets: each partition is triaged under both rules
    directories on the workers (which load them by path), and the changed rows come back as one pandas
    DataFrame, in partition order — the same rows as the single-process diff of the whole frame.
    ``kefu.diff.summarize(changes, len(ddf))`` reports them."""
    import dask

    from .diff import OUTPUTS

    if not isinstance(old, (str, Path)) or not isinstance(new, (str, Path)):
        raise TypeError("kefu.dask.diff_policies needs the rules directories as paths (workers load them)")
    chosen = tuple(outputs) if outputs is not None else OUTPUTS
    parts = [dask.delayed(_diff_partition)(p, str(old), str(new), chosen) for p in ddf.to_delayed()]
    if not parts:
        raise ValueError("the Dask DataFrame has no partitions")
    frames = dask.compute(*parts)
    return pd.concat(frames, ignore_index=True)


@functools.lru_cache(maxsize=8)
def _policy(directory: str) -> Any:
    # Loaded once per worker process and directory, with its rule tests, as Policy.load does everywhere.
    from ._core import Policy

    return Policy.load(directory)


def _triage_partition(frame: pd.DataFrame, directory: str, strict: bool) -> pd.DataFrame:
    # One thread per partition: the workers already run partitions in parallel.
    return _policy(directory).triage_columns(frame, threads=1, strict=strict)


def triage(ddf: dd.DataFrame, rules: str | Path | None = None, *, strict: bool = False) -> dd.DataFrame:
    """``Policy.triage_columns`` on a Dask DataFrame of tickets: a Dask DataFrame of the triage (the same columns,
    dtypes and index as the single-process triage of each partition), computed on the workers when asked for
    (``.compute()``, ``.to_parquet(...)``, an aggregation). `rules` is a rules directory by path (workers load
    it, rule tests included; default: the shipped rules). Extra columns are ignored unless ``strict=True``."""
    from . import default_rules_dir

    if rules is not None and not isinstance(rules, (str, Path)):
        raise TypeError("kefu.dask.triage needs the rules directory as a path (workers load it)")
    directory = str(default_rules_dir() if rules is None else rules)
    empty = pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in ddf.dtypes.items()})
    meta = _triage_partition(empty, directory, strict)
    return ddf.map_partitions(_triage_partition, directory, strict, meta=meta)
