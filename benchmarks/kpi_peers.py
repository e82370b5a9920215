#!/usr/bin/env python3
"""KPIs over N synthetic records (default 10 M): kefu vs the equivalent pandas groupby, with a numpy
floor (one sum over the same columns) measured in the same run, and kefu.dask with 2 workers.

    .venv/bin/python benchmarks/kpi_peers.py [--rows 10000000] [--dask] [--repeat 3]

Both sides compute the same 19 metrics per agent × month (local months at +08:00) from the same
DataFrame (categorical labels, tz-aware UTC instants, float64 with NaN for missing scores), and the
run checks that they agree: exact metrics to 1e-9, the FRT percentiles within kefu's sketch bound of
pandas' exact ones. kefu runs once on one thread and once with its default (one thread per core).

With --dask, the records are generated on the workers, one partition each (dd.from_map), and
persisted there, so only kefu's partial accumulators travel; the one-process baseline computes the
same partitions concatenated, and the two results must be identical.
docs/performance.md "## KPIs" records the output.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "examples"))
from generate_records import synthetic  # noqa: E402

import kefu.kpi as kk  # noqa: E402
from _timing import best  # noqa: E402

BY = ["agent"]
EXACT = ["tickets", "response_rate", "frt_mean", "art", "aht", "resolution_rate", "resolution_mean", "fcr_rate",
         "escalation_rate", "reopen_rate", "csat_mean", "satisfied_rate", "survey_return_rate", "nps", "qc_sampled",
         "qc_mean", "qc_pass_rate"]
PERCENTILES = ["frt_p50", "frt_p90"]


def frame(n: int, seed: int) -> pd.DataFrame:
    """n synthetic records as the DataFrame an analyst would hold: categories, aware instants."""
    cols = synthetic(n, seed=seed)
    data = {}
    for k, v in cols.items():
        if k.endswith("_labels"):
            continue
        if k + "_labels" in cols:
            data[k] = pd.Categorical.from_codes(v, cols[k + "_labels"])
        elif v.dtype.kind == "M":
            data[k] = pd.Series(v).dt.tz_localize("UTC")  # synthetic() gives UTC instants
        else:
            data[k] = v
    return pd.DataFrame(data)


def floor(df: pd.DataFrame) -> None:
    for c in ("handle_seconds", "response_seconds", "csat", "nps", "qc_score"):
        np.nansum(df[c].to_numpy())
    for c in ("responses", "contacts"):
        df[c].to_numpy().sum()


def kefu_kpis(df: pd.DataFrame, threads: int | None) -> pd.DataFrame:
    return kk.kpis(df, by=BY, period="month", targets=None, threads=threads)


def pandas_kpis(df: pd.DataFrame) -> pd.DataFrame:
    """The same metrics with idiomatic pandas (vectorised groupby aggregations, exact lower percentiles)."""
    frt = (df["first_response_at"] - df["created_at"]).dt.total_seconds()
    resolution = (df["resolved_at"] - df["created_at"]).dt.total_seconds()
    resolved = df["resolved_at"].notna()
    month = df["created_at"].dt.tz_convert("Asia/Shanghai").dt.tz_localize(None).dt.to_period("M")
    x = pd.DataFrame({
        "frt": frt, "resolution": resolution, "resolved": resolved,
        "fcr": resolved & (df["contacts"] <= 1) & ~df["reopened"],
        "escalated": df["escalated"], "reopened": df["reopened"], "handle": df["handle_seconds"],
        "responses": df["responses"], "response_seconds": df["response_seconds"], "csat": df["csat"],
        "satisfied": df["csat"] >= 4, "nps": df["nps"], "promoter": df["nps"] >= 9, "detractor": df["nps"] <= 6,
        "qc": df["qc_score"], "qc_pass": df["qc_score"] >= 60,
    })
    g = x.groupby([df["agent"], month.rename("period")], observed=True)
    s = g.agg(tickets=("frt", "size"), responded=("frt", "count"), frt_mean=("frt", "mean"),
              resolved=("resolved", "sum"), resolution_mean=("resolution", "mean"), fcr=("fcr", "sum"),
              escalated=("escalated", "sum"), reopened=("reopened", "sum"), handle=("handle", "sum"),
              responses=("responses", "sum"), response_seconds=("response_seconds", "sum"), rated=("csat", "count"),
              csat_mean=("csat", "mean"), satisfied=("satisfied", "sum"), nps_n=("nps", "count"),
              promoters=("promoter", "sum"), detractors=("detractor", "sum"), qc_sampled=("qc", "count"),
              qc_mean=("qc", "mean"), qc_pass=("qc_pass", "sum"))
    q = g["frt"].quantile([0.5, 0.9], interpolation="lower").unstack()
    return pd.DataFrame({
        "tickets": s["tickets"], "response_rate": s["responded"] / s["tickets"], "frt_mean": s["frt_mean"],
        "frt_p50": q[0.5], "frt_p90": q[0.9], "art": s["response_seconds"] / s["responses"],
        "aht": s["handle"] / s["tickets"], "resolution_rate": s["resolved"] / s["tickets"],
        "resolution_mean": s["resolution_mean"], "fcr_rate": s["fcr"] / s["tickets"],
        "escalation_rate": s["escalated"] / s["tickets"], "reopen_rate": s["reopened"] / s["resolved"],
        "csat_mean": s["csat_mean"], "satisfied_rate": s["satisfied"] / s["rated"],
        "survey_return_rate": s["rated"] / s["tickets"],
        "nps": 100 * (s["promoters"] - s["detractors"]) / s["nps_n"], "qc_sampled": s["qc_sampled"],
        "qc_mean": s["qc_mean"], "qc_pass_rate": s["qc_pass"] / s["qc_sampled"],
    })


def check_agree(ours: pd.DataFrame, theirs: pd.DataFrame) -> None:
    theirs = theirs.copy()
    theirs.index = pd.MultiIndex.from_arrays([theirs.index.get_level_values(0).astype(str),
                                              theirs.index.get_level_values(1).to_timestamp()],
                                             names=["agent", "period"])
    ours = ours.copy()
    ours.index = pd.MultiIndex.from_arrays([ours.index.get_level_values(0).astype(str),
                                            ours.index.get_level_values(1)], names=["agent", "period"])
    theirs = theirs.sort_index()
    ours = ours.sort_index().loc[theirs.index]
    assert len(ours) == len(theirs), (len(ours), len(theirs))
    for c in EXACT:
        np.testing.assert_allclose(ours[c].to_numpy(float), theirs[c].to_numpy(float), rtol=1e-9, err_msg=c)
    for c in PERCENTILES:
        exact = theirs[c].to_numpy(float)
        assert (np.abs(ours[c].to_numpy(float) - exact) <= kk.DEFAULT_ACCURACY * exact * (1 + 1e-9)).all(), c


def run_dask(rows: int, repeat: int) -> None:
    import dask.dataframe as dd
    import distributed

    import kefu.dask

    parts = 8
    sizes = [rows * (k + 1) // parts - rows * k // parts for k in range(parts)]
    specs = [(sizes[k], 100 + k) for k in range(parts)]
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  silence_logs=40) as cluster, distributed.Client(cluster) as client:
        ddf = dd.from_map(lambda spec: frame(*spec), specs, meta=frame(2, 0).iloc[:0]).persist()
        distributed.wait(ddf)
        t_dask = best(lambda: kefu.dask.kpis(ddf, by=BY, period="month", targets=None), repeat)
        ours = kefu.dask.kpis(ddf, by=BY, period="month", targets=None)
        workers = len(client.scheduler_info()["workers"])
        del ddf
    local = pd.concat([frame(*spec) for spec in specs], ignore_index=True)
    t_one = best(lambda: kefu_kpis(local, threads=1), repeat)
    pd.testing.assert_frame_equal(ours, kefu_kpis(local, threads=1), check_exact=True)
    print(f"kefu.dask, {workers} worker processes (partitions made on the workers, {parts} partitions)")
    print(f"  one process, one thread      {t_one:.3f} s")
    print(f"  kefu.dask.kpis               {t_dask:.3f} s  (speed-up {t_one / t_dask:.2f}× over one process;"
          " results identical)")


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--rows", type=int, default=10_000_000)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--dask", action="store_true")
    a = p.parse_args()
    df = frame(a.rows, seed=1)
    check_agree(kefu_kpis(df, threads=1), pandas_kpis(df))

    t_floor = best(lambda: floor(df), a.repeat)
    t_kefu1 = best(lambda: kefu_kpis(df, threads=1), a.repeat)
    t_kefu = best(lambda: kefu_kpis(df, threads=None), a.repeat)
    t_pandas = best(lambda: pandas_kpis(df), a.repeat)
    threads = max(1, min(os.cpu_count() or 1, a.rows // 250_000))
    print(f"rows {a.rows:,}  groups agent × month  ({os.cpu_count()} cores; results agree)")
    print(f"numpy floor (sum of 7 columns)     {t_floor:.3f} s")
    print(f"kefu.kpi.kpis, 1 thread            {t_kefu1:.3f} s  ({t_kefu1 / t_floor:.1f}× floor)")
    print(f"kefu.kpi.kpis, {threads} threads (default) {t_kefu:.3f} s  ({t_kefu / t_floor:.1f}× floor)")
    print(f"pandas groupby                     {t_pandas:.3f} s  ({t_pandas / t_floor:.1f}× floor)")
    print(f"kefu over pandas                   {t_pandas / t_kefu1:.1f}× (1 thread), {t_pandas / t_kefu:.1f}× (default)")
    if a.dask:
        del df
        run_dask(a.rows, a.repeat)


if __name__ == "__main__":
    main()
