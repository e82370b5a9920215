"""kefu.dask.kpis on a real dask.distributed LocalCluster with two worker processes: the same
results as one process (exact metrics identical; percentiles identical too, and within the sketch's
bound of the exact percentile)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import kefu.kpi as kk

dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")

import kefu.dask  # noqa: E402

RECORDS = Path(__file__).resolve().parents[2] / "examples" / "data" / "records.csv"


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  silence_logs=40) as cluster, distributed.Client(cluster) as c:
        yield c


@pytest.mark.parametrize("by,period", [(["agent"], "month"), (["channel"], None), (["team", "category"], "week"),
                                       (["team"], "quarter"), (["channel"], "year")])
def test_cluster_matches_one_process(client, by, period):
    df = kk.read_records(RECORDS)
    ddf = dd.from_pandas(df, npartitions=7)
    ours = kefu.dask.kpis(ddf, by=by, period=period)
    local = kk.kpis(df, by=by, period=period)
    assert len(client.scheduler_info()["workers"]) == 2
    pd.testing.assert_frame_equal(ours, local, check_exact=True)
    if period == "quarter":  # DOM-KPI-8: the records span 2025-12 … 2026-03 (+08:00): two quarters per team
        assert sorted(set(ours.index.get_level_values("period"))) == [pd.Timestamp("2025-10-01T00:00:00+08:00"),
                                                                     pd.Timestamp("2026-01-01T00:00:00+08:00")]
        assert str(ours.index.get_level_values("period").dtype) == "datetime64[us, UTC+08:00]"


def test_cluster_percentiles_within_bound(client):
    df = kk.read_records(RECORDS)
    ours = kefu.dask.kpis(dd.from_pandas(df, npartitions=5), by="channel")
    frt = (df["first_response_at"] - df["created_at"]).dt.total_seconds()
    for channel, values in frt.groupby(df["channel"].astype(str)):
        exact = np.quantile(values.dropna().to_numpy(), 0.9, method="lower")
        assert abs(ours.loc[channel, "frt_p90"] - exact) <= kk.DEFAULT_ACCURACY * exact * (1 + 1e-9)


def test_targets_object_is_refused_with_a_reason(client):
    df = kk.read_records(RECORDS)
    with pytest.raises(TypeError, match="path"):
        kefu.dask.kpis(dd.from_pandas(df, npartitions=2), targets=kk.default_targets())


def test_triage_on_the_cluster_matches_one_process(client):
    """kefu.dask.triage: each partition triaged on a worker (the rules loaded there by path); the frame that
    comes back is the single-process triage of the whole frame, row for row, dtypes and index included."""
    import kefu

    tickets = kefu.read_tickets(kefu.default_data_path())
    tickets.index = pd.RangeIndex(1000, 1000 + len(tickets))
    ddf = dd.from_pandas(tickets, npartitions=4)
    lazy = kefu.dask.triage(ddf)
    ours = lazy.compute()
    expected = kefu.default_policy().triage_columns(tickets)
    pd.testing.assert_frame_equal(ours, expected)
    assert list(lazy.dtypes.astype(str)) == list(expected.dtypes.astype(str))
    assert ours["tier"].value_counts().to_dict() == expected["tier"].value_counts().to_dict()
    with pytest.raises(TypeError, match="needs the rules directory as a path"):
        kefu.dask.triage(ddf, kefu.default_policy())
    with pytest.raises(Exception, match="unknown fact 'nickname'"):
        kefu.dask.triage(dd.from_pandas(tickets.assign(nickname="x"), npartitions=2), strict=True).compute()


def test_partials_merge_per_worker_under_the_client_and_in_a_tree_otherwise(client):
    import dask

    df = kk.read_records(RECORDS)
    ddf = dd.from_pandas(df, npartitions=9)
    assert kefu.dask._cluster_client() is client
    on_cluster = kefu.dask.kpis(ddf, by=["agent"], period="month")
    with dask.config.set(scheduler="sync"):
        assert kefu.dask._cluster_client() is None
        in_a_tree = kefu.dask.kpis(ddf, by=["agent"], period="month", split_every=2)
    pd.testing.assert_frame_equal(on_cluster, in_a_tree, check_exact=True)
    pd.testing.assert_frame_equal(on_cluster, kk.kpis(df, by=["agent"], period="month"), check_exact=True)
