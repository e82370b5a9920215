"""KPIs and scorecards over ticket records: the pandas / numpy face of ``kefu._core.KpiTable``.

Records are a pandas DataFrame or a mapping of column name to numpy array (see docs/kpis.md for the
columns). Read in place by the C++ core (no copy): numeric columns of float64/float32/int64/int32/
int16/int8/uint8/bool, categorical labels (their codes), and datetime64 instants of s/ms/us/ns, aware
(their UTC values) or naive (local time in ``zone``: the core is given the offset). Converted: pandas
nullable columns (``Int64``, ``boolean``) to float64 with NaN, text labels (factorized), ISO 8601 text
and mixed instant layouts. The C++ pass releases the GIL and may use several threads (``threads=``).
``columns={"your name": "kefu name"}`` renames your columns first.

    >>> import kefu.kpi
    >>> df = kefu.kpi.read_records(kefu.default_data_path("records.csv"))
    >>> kefu.kpi.kpis(df, by=["channel"], targets="default")            # doctest: +SKIP
"""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Union

import numpy as np
import numpy.typing as npt
import pandas as pd

from ._core import ColumnError, KpiTable, KpiTargets, Scorecard, TimeZone, kpi_columns
from ._core import default_star_min_tickets as DEFAULT_STAR_MIN_TICKETS
from ._core import assess_training as _assess_training
from ._core import qc_sample as _qc_sample
from ._core import service_stars as _service_stars

__all__ = [
    "COLUMNS", "DIMENSIONS", "INSTANT_COLUMNS", "KpiResult", "LABEL_COLUMNS", "NUMBER_COLUMNS", "default_scorecard",
    "DEFAULT_STAR_MIN_TICKETS", "default_targets", "evaluate", "kpis", "partial", "qc_sample", "read_records", "scorecard",
    "service_stars", "to_frame", "training",
]

# The records columns come from the C++ column table (kefu/kpi/records.hpp, KEFU_KPI_COLUMNS): one dict per
# column with name, kind (label, instant, number, flag), need (required, optional, grouping), unit, range,
# whole and description.
COLUMNS: tuple[dict[str, Any], ...] = tuple(kpi_columns())
LABEL_COLUMNS = tuple(c["name"] for c in COLUMNS if c["kind"] == "label")
DIMENSIONS = LABEL_COLUMNS  # the grouping dimensions are the label columns
INSTANT_COLUMNS = tuple(c["name"] for c in COLUMNS if c["kind"] == "instant")
NUMBER_COLUMNS = tuple(c["name"] for c in COLUMNS if c["kind"] in ("number", "flag"))  # flags are 0/1 numbers
DEFAULT_ZONE = "+08:00"
DEFAULT_ACCURACY = 0.005

Records = Union[pd.DataFrame, Mapping[str, Any]]
TargetsLike = Union[str, "os.PathLike[str]", KpiTargets, None]
#: A zone: a TimeZone or its spelling ("+08:00", "Asia/Shanghai").
ZoneLike = Union[TimeZone, str]
_NAT = np.iinfo(np.int64).min


def _rules_dir() -> Path:
    from . import default_rules_dir

    return default_rules_dir()


#: The shipped targets files by name (rules/kpi/).
SHIPPED_TARGETS = {"service-kpis": "targets.yaml", "fresh-food-team": "targets-fresh-food.yaml"}


def default_targets(name: str = "service-kpis") -> KpiTargets:
    """Shipped targets: ``service-kpis`` (rules/kpi/targets.yaml: DOM-KPI-1, 001's satisfaction) or
    ``fresh-food-team`` (rules/kpi/targets-fresh-food.yaml: 003's team targets, DOM-KPI-4)."""
    if name not in SHIPPED_TARGETS:
        raise ValueError(f"no shipped targets {name!r} (expected {' or '.join(SHIPPED_TARGETS)})")
    return KpiTargets.load(_rules_dir() / "kpi" / SHIPPED_TARGETS[name])


def default_scorecard(name: str = "monthly") -> Scorecard:
    """A shipped scorecard: ``monthly`` (seed 000 Table 1), ``agent`` or ``supervisor`` (seed 002 §7.3)."""
    path = _rules_dir() / "kpi" / f"scorecard-{name}.yaml"
    if not path.is_file():
        raise ValueError(f"no shipped scorecard {name!r} (expected monthly, agent or supervisor)")
    return Scorecard.load(path)


def _targets(targets: TargetsLike) -> KpiTargets | None:
    if targets is None or isinstance(targets, KpiTargets):
        return targets
    if isinstance(targets, str) and targets == "default":
        return default_targets()
    return KpiTargets.load(targets)


def read_records(path: str | os.PathLike[str], zone: ZoneLike = DEFAULT_ZONE) -> pd.DataFrame:
    """Reads a records CSV (examples/data/records.csv) with the right dtypes: labels as categories,
    instants as aware datetimes in ``zone`` (default +08:00, as every DataFrame kefu returns: triage, history,
    KPI periods), optional numbers as float64 with NaN."""
    df = pd.read_csv(path, dtype={c: "category" for c in DIMENSIONS} | {"ticket_id": str}, keep_default_na=True)
    tz = _tzinfo(zone)
    for c in INSTANT_COLUMNS:
        if c in df:
            df[c] = pd.to_datetime(df[c], format="ISO8601", utc=True).dt.tz_convert(tz)
    return df


def _tzinfo(zone: ZoneLike | int) -> _dt.tzinfo:
    """The fixed-offset tzinfo of a zone ("+08:00", a TimeZone, seconds east of UTC): the one triage and history
    use too."""
    seconds = zone if isinstance(zone, int) else _zone_offset(zone)
    return _dt.timezone(_dt.timedelta(seconds=seconds))


def _local_days(periods: pd.Series) -> np.ndarray:
    """Period labels (aware local midnights, or naive local dates) as local days since 1970-01-01."""
    if getattr(periods.dt, "tz", None) is not None:
        periods = periods.dt.tz_localize(None)  # the wall time, i.e. the local date
    return periods.to_numpy(dtype="datetime64[D]").astype(np.int64)


# ---------------------------------------------------------------------------------------------------
# Columns → the core's arrays
# ---------------------------------------------------------------------------------------------------


def _get(records: Records, name: str) -> Any:
    return records[name] if name in records else None


def _labels(name: str, values: Any) -> tuple[np.ndarray, list[str]]:
    """Codes and labels. A categorical's codes (int8/int16/int32) are passed as they are (no copy);
    other values are factorized."""
    if isinstance(values, pd.Series) and isinstance(values.dtype, pd.CategoricalDtype):
        return values.array.codes, [str(c) for c in values.cat.categories]
    arr = values.to_numpy() if isinstance(values, pd.Series) else np.asarray(values)
    if arr.ndim != 1:
        raise ColumnError(f"column {name!r}: must be one-dimensional")
    codes, uniques = pd.factorize(arr, sort=False, use_na_sentinel=True)
    return codes.astype(np.int32, copy=False), [str(u) for u in uniques]


_UNITS = {"s": 1, "ms": 1_000, "us": 1_000_000, "ns": 1_000_000_000}


def _zone_offset(zone: Any) -> int:
    tz = zone if isinstance(zone, TimeZone) else TimeZone(zone)
    return int(tz.offset.total_seconds())


def _datetime64(arr: np.ndarray, naive: bool) -> tuple[np.ndarray, int, bool]:
    unit = np.datetime_data(arr.dtype)[0]
    if unit not in _UNITS:
        arr, unit = arr.astype("datetime64[ns]" if unit in ("ps", "fs", "as") else "datetime64[s]"), (
            "ns" if unit in ("ps", "fs", "as") else "s")
    return np.ascontiguousarray(arr).view(np.int64), _UNITS[unit], naive


def _instants(name: str, values: Any) -> tuple[np.ndarray, int, bool]:
    """(int64 values, units per second, naive?). datetime64 columns of s/ms/us/ns are viewed as int64
    in place (aware ones hold UTC); text is parsed first."""
    if isinstance(values, np.ndarray) and values.dtype.kind == "M":
        return _datetime64(values, True)
    series = values if isinstance(values, pd.Series) else pd.Series(np.asarray(values))
    if not pd.api.types.is_datetime64_any_dtype(series.dtype):
        try:
            series = pd.to_datetime(series, format="ISO8601", utc=False)
        except (ValueError, TypeError) as e:
            raise ColumnError(f"column {name!r}: not instants (datetime64 or ISO 8601 text): {e}") from None
        if series.dtype == object:  # mixed offsets
            series = pd.to_datetime(series, format="ISO8601", utc=True)
    if isinstance(series.dtype, pd.DatetimeTZDtype):
        utc = series.array.asi8  # the UTC values, NaT = INT64_MIN
        unit = series.dtype.unit
        return np.ascontiguousarray(utc), _UNITS[unit], False
    return _datetime64(series.to_numpy(), True)


def _common_instants(instants: dict[str, tuple[np.ndarray, int, bool]], zone: Any) -> tuple[dict[str, np.ndarray], int, int]:
    """The instant columns in one unit and clock: as they are when they agree (the usual case, no
    copy), else converted to UTC nanoseconds."""
    offset = _zone_offset(zone)
    kinds = {(unit, naive) for _, unit, naive in instants.values()}
    if len(kinds) <= 1:
        unit, naive = next(iter(kinds)) if kinds else (1_000_000_000, False)
        return {k: v for k, (v, _, _) in instants.items()}, unit, offset if naive else 0
    out = {}
    for k, (v, unit, naive) in instants.items():
        missing = v == _NAT
        ns = v * (1_000_000_000 // unit) - (offset * 1_000_000_000 if naive else 0)
        ns[missing] = _NAT
        out[k] = ns
    return out, 1_000_000_000, 0


def _numbers(name: str, values: Any) -> np.ndarray:
    if isinstance(values, pd.Series):
        dtype = values.dtype
        if isinstance(dtype, pd.api.extensions.ExtensionDtype) and not isinstance(dtype, np.dtype):
            if pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype):
                return values.to_numpy(dtype=np.float64, na_value=np.nan)
            raise ColumnError(f"column {name!r}: has dtype {dtype}; expected numbers or booleans")
        arr = values.to_numpy()
    else:
        arr = np.asarray(values)
    if arr.dtype.kind not in "fiub":
        if arr.dtype.kind == "m":  # timedelta → seconds
            return arr.astype("timedelta64[ns]").astype(np.int64) / 1e9
        raise ColumnError(f"column {name!r}: has dtype {arr.dtype}; expected numbers or booleans")
    return arr


def _arrays(records: Records, columns: Mapping[str, str] | None, zone: Any, need: Iterable[str]) -> dict[str, Any]:
    if columns:
        missing = [user for user in columns if user not in records]
        if missing:
            raise ColumnError(f"column {missing[0]!r}: named in columns= but not in the records")
        records = {columns.get(k, k): records[k] for k in records}
    n = None
    numbers: dict[str, np.ndarray] = {}
    labels: dict[str, tuple[np.ndarray, list[str]]] = {}
    need = set(need)
    for name in LABEL_COLUMNS:
        v = _get(records, name)
        if v is not None and name in need:
            labels[name] = _labels(name, v)
    raw_instants = {}
    for name in INSTANT_COLUMNS:
        v = _get(records, name)
        if v is not None:
            raw_instants[name] = _instants(name, v)
    instants, unit, offset = _common_instants(raw_instants, zone)
    for name in NUMBER_COLUMNS:
        v = _get(records, name)
        if v is not None:
            numbers[name] = _numbers(name, v)
    for arr in list(numbers.values()) + list(instants.values()) + [c for c, _ in labels.values()]:
        n = len(arr)
        break
    if n is None:
        n = len(records) if isinstance(records, pd.DataFrame) else 0
    return {"rows": n, "numbers": numbers, "instants": instants, "instant_unit": unit, "instant_offset": offset,
            "labels": labels}


def _by(by: str | Sequence[str] | None) -> list[str]:
    if by is None:
        return []
    by = [by] if isinstance(by, str) else list(by)
    for b in by:
        if b not in DIMENSIONS:
            raise ValueError(f"cannot group by {b!r} (expected agent, team, channel or category; periods: period=)")
    return by


def partial(
    records: Records,
    by: str | Sequence[str] | None = None,
    period: str | None = None,
    targets: TargetsLike = "default",
    zone: ZoneLike = DEFAULT_ZONE,
    columns: Mapping[str, str] | None = None,
    relative_accuracy: float = DEFAULT_ACCURACY,
    threads: int | None = None,
) -> KpiTable:
    """The mergeable KPI accumulators of some records (``table.merge(other)`` adds another partition).

    ``threads``: how many threads read the rows (the shares merge exactly); None = one per core for
    large inputs (one per 250,000 rows at most)."""
    groups = _by(by)
    goals = _targets(targets)
    need = set(groups) | ({"channel"} if goals is not None and goals.channels else set())
    a = _arrays(records, columns, zone, need)
    if threads is None:
        threads = max(1, min(os.cpu_count() or 1, a["rows"] // 250_000))
    elif threads < 1:
        raise ValueError(f"threads must be at least 1, got {threads}")
    return KpiTable.compute(a["rows"], a["numbers"], a["instants"], a["instant_unit"], a["labels"], groups,
                            period or "none", zone, goals, relative_accuracy, a["instant_offset"], threads)


def to_frame(table: KpiTable, outcomes: bool = False) -> pd.DataFrame:
    """A KPI table as a DataFrame indexed by its groups (and ``period``: the instant the period starts, local
    midnight of its first day, aware in the table's zone — the one convention of kefu's DataFrames).
    With ``outcomes=True``, the goals' outcomes ("met", "missed", "no data") instead of the metrics."""
    cols = table.columns()
    keys = dict(cols["keys"])
    if "period" in keys:
        keys["period"] = pd.to_datetime(np.asarray(keys["period"], dtype="datetime64[D]")).as_unit("us").tz_localize(
            _tzinfo(table.zone_offset))
    index_names = list(cols["groups"]) + (["period"] if "period" in keys else [])
    if outcomes:
        names = {1: "met", 0: "missed", -1: "no data"}
        data = {k: pd.Categorical([names[int(x)] for x in v], categories=["met", "missed", "no data"])
                for k, v in cols["outcomes"].items()}
    else:
        data = dict(cols["metrics"])
    frame = pd.DataFrame({**{k: keys[k] for k in index_names}, **data})
    if "tickets" in frame:
        frame["tickets"] = frame["tickets"].astype(np.int64)
    if index_names:
        frame = frame.set_index(index_names)
    return frame


@dataclass
class KpiResult:
    """Metrics per group, the goals' outcomes per group, and the accumulators they came from."""

    metrics: pd.DataFrame
    outcomes: pd.DataFrame
    table: KpiTable


def evaluate(records: Records, by: str | Sequence[str] | None = None, period: str | None = None,
             targets: TargetsLike = "default", zone: ZoneLike = DEFAULT_ZONE, columns: Mapping[str, str] | None = None,
             relative_accuracy: float = DEFAULT_ACCURACY, threads: int | None = None) -> KpiResult:
    """KPIs per group with each goal met / missed (DOM-KPI-1, DOM-KPI-7)."""
    t = partial(records, by, period, targets, zone, columns, relative_accuracy, threads)
    return KpiResult(to_frame(t), to_frame(t, outcomes=True), t)


def kpis(records: Records, by: str | Sequence[str] | None = None, period: str | None = None,
         targets: TargetsLike = "default", zone: ZoneLike = DEFAULT_ZONE, columns: Mapping[str, str] | None = None,
         relative_accuracy: float = DEFAULT_ACCURACY, threads: int | None = None) -> pd.DataFrame:
    """KPIs per group as a DataFrame (one row per group, one column per metric; formulas in docs/kpis.md)."""
    return to_frame(partial(records, by, period, targets, zone, columns, relative_accuracy, threads))


def scorecard(records: Records, card: Scorecard | str = "monthly", inputs: pd.DataFrame | None = None,
              targets: TargetsLike = "default", zone: ZoneLike = DEFAULT_ZONE,
              columns: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Monthly scores per subject (agent or team) with the flags retrain, promotion, disciplinary_review,
    indexed by (subject, ``period``) — ``period`` as in :func:`kpis`: the month's first local midnight, aware.

    ``inputs`` has one row per subject and month (columns ``agent`` or ``team``, and ``month`` as ``YYYY-MM`` or
    a date, or ``period`` as :func:`kpis` gives it) and a column per ``input.NAME`` the scorecard reads."""
    if isinstance(card, str):
        card = default_scorecard(card)
    subject = card.subject
    m = kpis(records, by=[subject], period="month", targets=targets, zone=zone, columns=columns).reset_index()
    months = pd.Series(_local_days(m["period"]).astype("datetime64[D]").astype("datetime64[M]").astype(str))
    needed = card.inputs
    input_cols: dict[str, list[float]] = {name: [] for name in needed}
    if needed:
        if inputs is None:
            raise ValueError(f"scorecard {card.name!r} reads inputs {', '.join(needed)}: pass inputs=DataFrame")
        inp = inputs.copy()
        if "month" not in inp and "period" in inp:  # keyed like kpis()/scorecard() output
            inp["month"] = pd.Series(_local_days(pd.to_datetime(inp["period"])).astype("datetime64[D]"),
                                     index=inp.index).astype("datetime64[M]").astype(str)
        for col in [subject, "month", *needed]:
            if col not in inp:
                raise ColumnError(f"column {col!r}: missing from the scorecard inputs" +
                                  (" (give month as YYYY-MM, or period)" if col == "month" else ""))
        inp["month"] = pd.to_datetime(inp["month"].astype(str)).dt.strftime("%Y-%m")
        inp[subject] = inp[subject].astype(str)
        keyed = inp.set_index([subject, "month"])
        if not keyed.index.is_unique:
            raise ValueError(f"scorecard inputs have more than one row for a {subject} and month")
        for s, mo in zip(m[subject].astype(str), months):
            if (s, mo) not in keyed.index:
                raise ValueError(f"scorecard inputs have no row for {subject} {s!r} in {mo}")
            row = keyed.loc[(s, mo)]
            for name in needed:
                input_cols[name].append(float(row[name]))
    metric_names = [c for c in m.columns if c not in (subject, "period")]
    metrics = {c: m[c].astype(float).tolist() for c in metric_names}
    periods = _local_days(m["period"]).tolist()
    out = card.evaluate(m[subject].astype(str).tolist(), periods, metrics, input_cols)
    frame = pd.DataFrame({subject: m[subject].astype(str), "period": m["period"], **out})
    return frame.set_index([subject, "period"])


def service_stars(records: Records, min_tickets: int = DEFAULT_STAR_MIN_TICKETS, by: str = "agent",
                  zone: ZoneLike = DEFAULT_ZONE, columns: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Monthly service stars (002 §7.3 月度服务之星, DOM-KPI-8): per month, the agents (or teams, ``by``) with the
    highest mean CSAT and those with the highest first-contact resolution rate. Eligible for CSAT: at least
    ``min_tickets`` rated tickets in the month; for FCR: at least ``min_tickets`` tickets (default 20, so that a
    few lucky tickets do not win). One row per star: ``period`` (the month's first local midnight, aware, as in
    :func:`kpis`), ``award`` (``csat`` or ``fcr``), the subject, ``value`` (csat_mean or fcr_rate); ties give a
    row each, a month with nobody eligible none."""
    if by not in ("agent", "team"):
        raise ValueError(f"service stars are per agent or per team, not {by!r}")
    m = kpis(records, by=[by], period="month", targets=None, zone=zone, columns=columns).reset_index()
    periods = _local_days(m["period"]).tolist()
    label = dict(zip(periods, m["period"]))  # a period's day → its aware label
    metrics = {c: m[c].astype(float).tolist() for c in ("tickets", "survey_return_rate", "csat_mean", "fcr_rate")}
    stars = _service_stars(m[by].astype(str).tolist(), periods, metrics, min_tickets)
    rows = [{"period": label[s["period"]], "award": s["award"], by: subject, "value": s["value"]}
            for s in stars for subject in s["subjects"]]
    frame = pd.DataFrame(rows, columns=["period", "award", by, "value"])
    frame["period"] = pd.to_datetime(frame["period"]).dt.tz_convert(_tzinfo(zone)) if rows else \
        pd.Series([], dtype=pd.DatetimeTZDtype("us", _tzinfo(zone)))
    return frame


def _days(frame: pd.DataFrame, column: str, what: str, zone: ZoneLike) -> list[int]:
    """A column of dates (date, datetime, Timestamp, 'YYYY-MM-DD') as local days since 1970-01-01."""
    if column not in frame:
        raise ColumnError(f"{what}: column {column!r} is required but missing")
    values = pd.to_datetime(frame[column], format="mixed")
    if getattr(values.dt, "tz", None) is not None:  # an aware instant: its local date in the zone
        values = values.dt.tz_convert(_dt.timezone(_dt.timedelta(seconds=_zone_offset(zone)))).dt.tz_localize(None)
    missing = values.isna().to_numpy()
    if missing.any():
        raise ColumnError(f"{what} row {int(np.argmax(missing))}: column {column!r} has no date")
    return values.to_numpy(dtype="datetime64[D]").astype(np.int64).tolist()


def training(exams: pd.DataFrame, evaluations: pd.DataFrame | None = None, *, as_of: _dt.date | _dt.datetime | str,
             targets: TargetsLike = "fresh-food-team", zone: ZoneLike = DEFAULT_ZONE) -> pd.DataFrame:
    """003's training assessment (培训考核, DOM-KPI-4): each agent's exam against the pass mark (60 of 100) and the
    follow-up evaluations due 30, 60 and 90 days after the training ends, as of the day ``as_of``.

    ``exams``: columns ``agent``, ``training``, ``ended`` (the day the training ended) and ``score``;
    ``evaluations`` (optional): ``agent``, ``training``, ``follow_up`` (30, 60 or 90: which one) and ``done`` (the
    day it was made). The rules come from a targets file's ``training:`` block (default: the shipped
    ``fresh-food-team``). One row per exam, indexed by (agent, training): ``ended``, ``score``, ``passed``, then
    for each follow-up N ``follow_up_Nd_due``, ``follow_up_Nd_done`` (NaT until made) and ``follow_up_Nd``
    (``done``, ``upcoming`` or ``overdue``). Dates are local days (naive). Bad rows raise naming the row
    (id ``kefu.kpi.training``)."""
    rules = default_targets(targets) if isinstance(targets, str) and targets in SHIPPED_TARGETS else _targets(targets)
    if rules is None:
        raise ValueError("training needs targets with a `training:` block (e.g. 'fresh-food-team')")
    for c in ("agent", "training", "score"):
        if c not in exams:
            raise ColumnError(f"exams: column {c!r} is required but missing")
    ended = _days(exams, "ended", "exams", zone)
    scores = pd.to_numeric(exams["score"], errors="coerce").astype(float)
    exam_rows = list(zip(exams["agent"].astype(str), exams["training"].astype(str), ended, scores.tolist()))
    evaluation_rows: list[tuple[str, str, int, int]] = []
    if evaluations is not None and len(evaluations):
        for c in ("agent", "training", "follow_up"):
            if c not in evaluations:
                raise ColumnError(f"evaluations: column {c!r} is required but missing")
        done = _days(evaluations, "done", "evaluations", zone)
        evaluation_rows = list(zip(evaluations["agent"].astype(str), evaluations["training"].astype(str),
                                   evaluations["follow_up"].astype(int).tolist(), done))
    today = _days(pd.DataFrame({"as_of": [as_of]}), "as_of", "as_of", zone)[0]
    assessed = _assess_training(rules, exam_rows, evaluation_rows, today)

    def day(d: int | None) -> Any:
        return pd.NaT if d is None else pd.Timestamp(np.datetime64(d, "D"))

    out: dict[str, Any] = {"ended": [day(d) for d in ended], "score": scores.to_numpy(),
                           "passed": np.array([p for p, _ in assessed], dtype=bool)}
    for k, n in enumerate(rules.training["follow_up_days"]):
        out[f"follow_up_{n}d_due"] = [day(f[k][1]) for _, f in assessed]
        out[f"follow_up_{n}d_done"] = [day(f[k][2]) for _, f in assessed]
        out[f"follow_up_{n}d"] = [f[k][3] for _, f in assessed]
    frame = pd.DataFrame(out, index=pd.MultiIndex.from_arrays(
        [exams["agent"].astype(str).to_numpy(), exams["training"].astype(str).to_numpy()], names=["agent", "training"]))
    for c in frame.columns:
        if c == "ended" or c.endswith(("_due", "_done")):
            frame[c] = pd.to_datetime(frame[c]).astype("datetime64[s]")
    return frame


def qc_sample(records: Records, rate: float = 0.2, seed: int = 0, zone: ZoneLike = DEFAULT_ZONE,
              columns: Mapping[str, str] | None = None) -> npt.NDArray[np.bool_]:
    """A reproducible QC sample (DOM-KPI-5): a boolean mask selecting ⌈rate·n⌉ of each agent's n tickets
    per local day, chosen by a seeded hash of ticket_id (independent of row order)."""
    if columns:
        records = {columns.get(k, k): records[k] for k in records}
    for c in ("agent", "created_at", "ticket_id"):
        if c not in records:
            raise ColumnError(f"column {c!r}: is required but missing")
    codes, labels = _labels("agent", records["agent"])
    created, unit, naive = _instants("created_at", records["created_at"])
    if naive:  # local time in the zone → UTC
        created = np.where(created == _NAT, _NAT, created - _zone_offset(zone) * unit)
    ids = [str(x) for x in (records["ticket_id"].tolist() if hasattr(records["ticket_id"], "tolist")
                            else list(records["ticket_id"]))]
    return _qc_sample(codes, labels, created, unit, ids, rate, seed, zone)


