#!/usr/bin/env python3
"""KPIs over N synthetic records (default 10 M): kefu vs the equivalent pandas groupby, with a numpy
floor (one sum over the same columns) measured in the same run, and kefu.dask with 2 workers.

    .venv/bin/python benchmarks/kpi_peers.py [--rows 10000000] [--dask]
Prints seconds and ratios; docs/performance.md "## KPIs" records them.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "examples"))
from generate_records import synthetic  # noqa: E402

import kefu.kpi as kk  # noqa: E402


def best(f, repeat=3):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--rows", type=int, default=10_000_000)
    p.add_argument("--dask", action="store_true")
    a = p.parse_args()
    cols = synthetic(a.rows, seed=1)
    df = pd.DataFrame({k: (pd.Categorical.from_codes(v, cols[k + "_labels"]) if k + "_labels" in cols else v)
                       for k, v in cols.items() if not k.endswith("_labels")})
    by = ["agent"]

    def floor():
        for c in ("handle_seconds", "response_seconds", "csat", "nps", "qc_score"):
            np.nansum(df[c].to_numpy())
        for c in ("responses", "contacts"):
            df[c].to_numpy().sum()

    def kefu_run():
        return kk.kpis(df, by=by, period="month", targets=None)

    def pandas_run():
        d = pd.DataFrame({"agent": df["agent"]})
        d["period"] = (df["created_at"] + pd.Timedelta(hours=8)).dt.to_period("M")
        d["frt"] = (df["first_response_at"] - df["created_at"]).dt.total_seconds()
        d["resolved"] = df["resolved_at"].notna()
        d["fcr"] = d["resolved"] & (df["contacts"] <= 1) & ~df["reopened"]
        d["rated"] = df["csat"].notna()
        d["satisfied"] = df["csat"] >= 4
        d["prom"] = df["nps"] >= 9
        d["detr"] = df["nps"] <= 6
        for c in ("handle_seconds", "responses", "response_seconds", "escalated", "reopened", "csat", "nps", "qc_score"):
            d[c] = df[c]
        g = d.groupby(["agent", "period"], observed=True)
        s = g.agg(tickets=("agent", "size"), frt=("frt", "mean"), p50=("frt", "median"),
                  p90=("frt", lambda x: x.quantile(0.9)), responded=("frt", "count"),
                  resp=("response_seconds", "sum"), n_resp=("responses", "sum"), aht=("handle_seconds", "mean"),
                  fcr=("fcr", "mean"), esc=("escalated", "mean"), reo=("reopened", "sum"), res=("resolved", "sum"),
                  csat=("csat", "mean"), sat=("satisfied", "sum"), rated=("rated", "sum"), prom=("prom", "sum"),
                  detr=("detr", "sum"), nps_n=("nps", "count"), qc=("qc_score", "mean"))
        s["art"] = s["resp"] / s["n_resp"]
        return s

    t_floor = best(floor)
    t_kefu = best(kefu_run)
    t_pandas = best(pandas_run, repeat=1)
    print(f"rows {a.rows:,}  groups agent×month")
    print(f"numpy floor (sum of 7 columns) {t_floor:.3f} s")
    print(f"kefu.kpi.kpis                  {t_kefu:.3f} s  ({t_kefu / t_floor:.1f}× floor)")
    print(f"pandas groupby                 {t_pandas:.3f} s  ({t_pandas / t_floor:.1f}× floor)")
    print(f"kefu speed-up over pandas      {t_pandas / t_kefu:.1f}×")
    if a.dask:
        import dask.dataframe as dd
        import distributed

        import kefu.dask

        ddf = dd.from_pandas(df, npartitions=8).persist()
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                      silence_logs=40) as cluster, distributed.Client(cluster):
            ddf = dd.from_pandas(df, npartitions=8).persist()
            t_dask = best(lambda: kefu.dask.kpis(ddf, by=by, period="month", targets=None), repeat=2)
        print(f"kefu.dask 2 workers            {t_dask:.3f} s  (speed-up {t_kefu / t_dask:.2f}× over one process)")


if __name__ == "__main__":
    main()
