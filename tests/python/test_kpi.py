"""KPIs from Python: hand-computed values, agreement with the pandas groupby an analyst writes,
column errors, targets, scorecards and the QC sampler."""

from __future__ import annotations

import datetime as dt
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import kefu
import kefu.kpi as kk

REPO = Path(__file__).resolve().parents[2]
RECORDS = REPO / "examples" / "data" / "records.csv"
T0 = pd.Timestamp("2026-01-05T09:00:00+08:00")
CN = dt.timezone(dt.timedelta(hours=8))


def local(day: str, tz: dt.tzinfo = CN) -> pd.Timestamp:
    """A period label as kefu gives it: the first local midnight, aware in the zone."""
    return pd.Timestamp(day).tz_localize(tz)


def by_month(frame: pd.DataFrame) -> pd.DataFrame:
    """A scorecard indexed by (subject, month as YYYY-MM) to look rows up by month."""
    from kefu.report import month_labels

    return month_labels(frame)


def fixture() -> pd.DataFrame:
    s = pd.Timedelta(seconds=1)
    nat = pd.NaT
    return pd.DataFrame({
        "agent": ["A", "A", "A", "B", "B"],
        "team": ["T1"] * 5,
        "channel": ["online", "online", "phone", "phone", "email"],
        "category": ["refund_request", "consultation", "refund_request", "consultation", "refund_request"],
        "created_at": [T0, T0 + 3600 * s, T0 + 86400 * s, T0, T0],
        "first_response_at": [T0 + 20 * s, T0 + 3640 * s, T0 + 86410 * s, T0 + 20 * s, nat],
        "resolved_at": [T0 + 600 * s, T0 + 10800 * s, T0 + 86700 * s, nat, nat],
        "handle_seconds": [300.0, 1200, 200, 700, 0],
        "responses": [4, 2, 3, 1, 0],
        "response_seconds": [400.0, 100, 90, 20, 0],
        "contacts": [1, 2, 1, 1, 1],
        "escalated": [False, True, False, False, False],
        "reopened": [False, False, True, False, False],
        "csat": [5, 3, np.nan, 4, np.nan],
        "nps": [10, 6, 8, np.nan, np.nan],
        "qc_score": [90, np.nan, 50, 70, np.nan],
    })


def test_hand_computed_per_agent():
    m = kk.kpis(fixture(), by="agent")
    a = m.loc["A"]
    assert a["tickets"] == 3
    assert a["frt_mean"] == pytest.approx(70 / 3)
    assert a["frt_within_target"] == pytest.approx(2 / 3)  # online ≤ 30 s, phone ≤ 15 s
    assert a["art"] == pytest.approx(590 / 9)
    assert a["aht"] == pytest.approx(1700 / 3)
    assert a["fcr_rate"] == pytest.approx(1 / 3)
    assert a["escalation_rate"] == pytest.approx(1 / 3)
    assert a["csat_mean"] == 4 and a["satisfied_rate"] == 0.5
    assert a["survey_return_rate"] == pytest.approx(2 / 3)
    assert a["nps"] == 0
    assert a["qc_mean"] == 70 and a["qc_pass_rate"] == 0.5
    assert a["frt_mean[online]"] == 30
    # 7 of 12 goals met before 001 §1.2's satisfaction ≥ 90% (DOM-KPI-8), which A misses (satisfied_rate 0.5).
    assert a["targets_met_rate"] == pytest.approx(7 / 13)
    b = m.loc["B"]
    assert b["response_rate"] == 0.5 and b["frt_within_target"] == 0 and math.isnan(b["reopen_rate"])


def test_outcomes_say_met_or_missed():
    r = kk.evaluate(fixture(), by="channel")
    assert r.outcomes.loc["online", "frt_mean[online]"] == "met"      # mean 30 s ≤ 30 s
    assert r.outcomes.loc["phone", "frt_mean[phone]"] == "met"  # (10 + 20) / 2 = 15 s ≤ 15 s
    assert r.outcomes.loc["phone", "escalation_rate"] == "met"
    assert r.outcomes.loc["email", "frt_mean[online]"] == "no data"


def test_periods_in_the_zone():
    """Periods are local days, weeks and months (DOM-KPI-7)."""
    df = fixture()
    days = kk.kpis(df, by="agent", period="day")
    assert list(days.index) == [("A", local("2026-01-05")), ("A", local("2026-01-06")), ("B", local("2026-01-05"))]
    assert str(days.index.get_level_values("period").dtype) == "datetime64[us, UTC+08:00]"   # as triage's instants
    # 2026-01-31T17:30Z: February in +08:00, January in UTC.
    df["created_at"] = pd.Timestamp("2026-01-31T17:30:00Z")
    df["first_response_at"] = df["created_at"] + pd.Timedelta(seconds=5)
    df["resolved_at"] = pd.NaT
    assert kk.kpis(df, period="month").index[0] == local("2026-02-01")
    assert kk.kpis(df, period="month", zone="UTC").index[0] == local("2026-01-01", dt.timezone.utc)
    # Naive datetimes are local time in the zone.
    df["created_at"] = pd.Timestamp("2026-02-01T01:30:00")
    df["first_response_at"] = pd.NaT
    assert kk.kpis(df, period="week").index[0] == local("2026-01-26")


def test_quarters_and_years_in_the_zone():
    """Quarters (001 §6.2) and years (003) of the local date in the zone (DOM-KPI-8): a quarter starts on
    2026-01-01 00:00 +08:00, not at UTC midnight."""
    df = fixture()
    df["created_at"] = [pd.Timestamp("2025-12-31T16:00:00Z"),          # 2026-01-01 00:00 +08:00
                        pd.Timestamp("2025-12-31T15:59:59Z"),          # 2025-12-31 23:59:59 +08:00
                        pd.Timestamp("2026-03-31T15:59:59Z"),          # 2026-03-31 23:59:59 +08:00
                        pd.Timestamp("2026-03-31T16:00:00Z"),          # 2026-04-01 00:00 +08:00
                        pd.Timestamp("2026-06-30T16:00:00Z")]          # 2026-07-01 00:00 +08:00
    df["first_response_at"] = df["created_at"] + pd.Timedelta(seconds=5)
    df["resolved_at"] = pd.NaT
    q = kk.kpis(df, period="quarter")
    assert list(q.index) == [local(d) for d in ("2025-10-01", "2026-01-01", "2026-04-01", "2026-07-01")]
    assert q["tickets"].tolist() == [1, 2, 1, 1]
    y = kk.kpis(df, by="agent", period="year")
    assert list(y.index) == [("A", local("2025-01-01")), ("A", local("2026-01-01")), ("B", local("2026-01-01"))]
    assert y["tickets"].tolist() == [1, 2, 2]
    utc = kk.kpis(df, period="quarter", zone="UTC")
    assert list(utc.index) == [local(d, dt.timezone.utc) for d in ("2025-10-01", "2026-01-01", "2026-04-01")]
    assert utc["tickets"].tolist() == [2, 2, 1]
    with pytest.raises(kefu.Error, match=r"^unknown period 'quater' \(expected day, week, month, quarter or year\)$"):
        kk.kpis(df, period="quater")


def test_queue_wait_bands_agree_with_pandas(records):
    """DOM-SLA-7 (003 等待时间): measured queue waits in the bands ≤ 30 s, ≤ 2 min, ≤ 5 min and past 5 min, per
    channel; email and merchant messages have no wait measured (missing = not counted)."""
    ours = kk.kpis(records, by="channel")
    wait = records["queue_seconds"]
    channel = records["channel"].astype(str)
    bands = pd.cut(wait, [-1, 30, 120, 300, np.inf], labels=["patient", "explain", "alternatives", "complaint_risk"])
    shares = pd.crosstab(channel, bands, normalize="index")
    for ch in shares.index:
        for band in shares.columns:
            assert ours.loc[ch, f"wait_{band}_rate"] == pytest.approx(shares.loc[ch, band], abs=1e-12), (ch, band)
        assert ours.loc[ch, "queue_waits"] == wait[channel == ch].notna().sum()
        assert ours.loc[ch, "queue_wait_mean"] == pytest.approx(wait[channel == ch].mean(), rel=1e-12)
    assert ours.loc["email", "queue_waits"] == 0 and math.isnan(ours.loc["email", "wait_patient_rate"])
    assert ours.loc["online", "wait_patient_rate"] == pytest.approx(0.6660, abs=5e-5)
    assert kk.default_targets().waiting_bands == (30, 120, 300)
    # A wait of exactly 30 s is patient waiting, 30.5 s calls for an explanation.
    df = fixture()
    df["queue_seconds"] = [30, 30.5, 120, 301, np.nan]
    one = kk.kpis(df, targets=None).iloc[0]
    assert (one["queue_waits"], one["wait_patient_rate"], one["wait_explain_rate"], one["wait_alternatives_rate"],
            one["wait_complaint_risk_rate"]) == (4, 0.25, 0.5, 0, 0.25)
    df["queue_seconds"] = [30, -2, 120, 301, np.nan]
    with pytest.raises(kefu.ColumnError, match=r"^column 'queue_seconds', row 1: -2 seconds is negative$"):
        kk.kpis(df)


def test_column_errors_name_the_column():
    df = fixture()
    with pytest.raises(kefu.ColumnError, match="column 'handle_seconds': is required but missing") as e:
        kk.kpis(df.drop(columns="handle_seconds"), by="agent")
    assert e.value.column_name == "handle_seconds" and e.value.row is None
    bad = fixture()
    bad.loc[3, "csat"] = 7
    with pytest.raises(kefu.ColumnError, match=r"column 'csat', row 3: 7 is outside 1–5") as e:
        kk.kpis(bad)
    assert e.value.row == 3
    bad = fixture()
    bad["contacts"] = ["1", "2", "1", "1", "1"]
    with pytest.raises(kefu.ColumnError, match="column 'contacts': has dtype (object|str)"):
        kk.kpis(bad)
    with pytest.raises(kefu.ColumnError, match="column 'team'"):
        kk.kpis(fixture().drop(columns="team"), by="team")
    assert isinstance(e.value, ValueError) and isinstance(e.value, kefu.Error)


def test_user_column_names_and_numpy_dicts():
    df = fixture()
    renamed = df.rename(columns={"agent": "坐席", "handle_seconds": "处理时长"})
    a = kk.kpis(renamed, by="agent", columns={"坐席": "agent", "处理时长": "handle_seconds"})
    pd.testing.assert_frame_equal(a, kk.kpis(df, by="agent"))
    arrays = {c: df[c].to_numpy() for c in df.columns if c not in kk.INSTANT_COLUMNS}
    for c in kk.INSTANT_COLUMNS:
        arrays[c] = df[c].dt.tz_convert("UTC").dt.tz_localize(None).to_numpy() + np.timedelta64(8, "h")
    pd.testing.assert_frame_equal(kk.kpis(arrays, by="agent"), kk.kpis(df, by="agent"))


# ---------------------------------------------------------------------------------------------------
# Agreement with pandas on the synthetic records
# ---------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def records() -> pd.DataFrame:
    return kk.read_records(RECORDS)


def pandas_kpis(df: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """What an analyst writes today with pandas groupby (DOM-KPI-1 formulas)."""
    d = df.copy()
    d["frt"] = (d["first_response_at"] - d["created_at"]).dt.total_seconds()
    d["responded"] = d["frt"].notna()
    d["resolved"] = d["resolved_at"].notna()
    d["fcr"] = d["resolved"] & (d["contacts"] <= 1) & (d["reopened"] == 0)
    d["rated"] = d["csat"].notna()
    d["satisfied"] = d["csat"] >= 4
    d["promoter"] = d["nps"] >= 9
    d["detractor"] = d["nps"] <= 6
    d["nps_answered"] = d["nps"].notna()
    limit = d["channel"].astype(str).map({"online": 30, "phone": 15, "email": 7200})
    d["targeted"] = limit.notna()
    d["within"] = d["targeted"] & (d["frt"] <= limit)
    d["reopened_resolved"] = d["reopened"] * d["resolved"]
    g = d.groupby(by, observed=True)
    s = g.agg(tickets=("ticket_id", "size"), responded=("responded", "sum"), frt_sum=("frt", "sum"),
              responses=("responses", "sum"), response_seconds=("response_seconds", "sum"),
              handle=("handle_seconds", "sum"), resolved=("resolved", "sum"), fcr=("fcr", "sum"),
              escalated=("escalated", "sum"), reopened=("reopened", "sum"), rated=("rated", "sum"),
              csat_sum=("csat", "sum"), satisfied=("satisfied", "sum"), promoters=("promoter", "sum"),
              detractors=("detractor", "sum"), nps_n=("nps_answered", "sum"), qc_mean=("qc_score", "mean"),
              targeted=("targeted", "sum"), within=("within", "sum"))
    out = pd.DataFrame(index=s.index)
    out["tickets"] = s["tickets"]
    out["response_rate"] = s["responded"] / s["tickets"]
    out["frt_mean"] = s["frt_sum"] / s["responded"]
    out["frt_within_target"] = s["within"] / s["targeted"]
    out["art"] = s["response_seconds"] / s["responses"]
    out["aht"] = s["handle"] / s["tickets"]
    out["resolution_rate"] = s["resolved"] / s["tickets"]
    out["fcr_rate"] = s["fcr"] / s["tickets"]
    out["escalation_rate"] = s["escalated"] / s["tickets"]
    out["reopen_rate"] = s["reopened"] / s["resolved"]
    out["csat_mean"] = s["csat_sum"] / s["rated"]
    out["satisfied_rate"] = s["satisfied"] / s["rated"]
    out["survey_return_rate"] = s["rated"] / s["tickets"]
    out["nps"] = 100 * (s["promoters"] - s["detractors"]) / s["nps_n"]
    out["qc_mean"] = s["qc_mean"]
    return out


@pytest.mark.parametrize("by", [["agent"], ["team", "channel"], ["category"], ["channel", "agent"]])
def test_agrees_with_pandas(records, by):
    """Grouped by agent, team, channel and category as an analyst would in pandas (DOM-KPI-1, DOM-KPI-7)."""
    ours = kk.kpis(records, by=by)
    theirs = pandas_kpis(records, by)
    ours.index = ours.index.set_names(theirs.index.names)
    theirs.index = theirs.index.map(lambda k: tuple(map(str, k)) if isinstance(k, tuple) else str(k))
    ours = ours.sort_index()
    theirs = theirs.sort_index()
    assert list(ours.index) == list(theirs.index)
    for col in theirs.columns:
        np.testing.assert_allclose(ours[col].to_numpy(float), theirs[col].to_numpy(float), rtol=1e-12,
                                   equal_nan=True, err_msg=col)


def test_monthly_periods_agree_with_pandas(records):
    ours = kk.kpis(records, by="channel", period="month")
    local = records["created_at"].dt.tz_convert("Asia/Shanghai")
    theirs = records.assign(period=local.dt.tz_localize(None).dt.to_period("M").dt.start_time.dt.tz_localize(CN))
    expected = theirs.groupby([theirs["channel"].astype(str), "period"], observed=True).size()
    assert ours["tickets"].to_dict() == expected.to_dict()
    assert ours["tickets"].sum() == len(records) == 3000


def test_percentiles_within_the_sketch_bound(records):
    ours = kk.kpis(records, by="channel")
    frt = (records["first_response_at"] - records["created_at"]).dt.total_seconds()
    for channel, values in frt.groupby(records["channel"].astype(str)):
        v = values.dropna().to_numpy()
        for q, col in [(0.5, "frt_p50"), (0.9, "frt_p90")]:
            exact = np.quantile(v, q, method="lower")
            assert abs(ours.loc[channel, col] - exact) <= kk.DEFAULT_ACCURACY * exact * (1 + 1e-9), (channel, q)


def test_partials_merge_exactly(records):
    """Partials of any split merge to exactly the table of all rows."""
    whole = kk.partial(records, by=["agent"], period="week")
    left = kk.partial(records.iloc[::2], by=["agent"], period="week")
    right = kk.partial(records.iloc[1::2], by=["agent"], period="week")
    left.merge(right)
    assert left == whole
    pd.testing.assert_frame_equal(kk.to_frame(left), kk.to_frame(whole))


def test_a_copied_table_is_independent(records):
    """KpiTable.copy() (and copy.copy / copy.deepcopy): merging into the copy leaves the original as it was
    (kefu.dask merges Dask's results into a copy, never into the results themselves)."""
    import copy

    left = kk.partial(records.iloc[::2], by=["agent"], period="week")
    right = kk.partial(records.iloc[1::2], by=["agent"], period="week")
    before = left.to_bytes()
    for dup in (left.copy(), copy.copy(left), copy.deepcopy(left)):
        assert dup == left
        dup.merge(right)
        assert dup == kk.partial(records, by=["agent"], period="week")
        assert left.to_bytes() == before


def test_sla_attainment_per_clock(records):
    m = kk.kpis(records, by="channel")
    created = records["created_at"]
    closed = (records["resolved_at"] - created).dt.total_seconds()
    channel = records["channel"].astype(str)
    within_72h = (closed <= 72 * 3600).groupby(channel).mean()
    np.testing.assert_allclose(m["sla_closure_72h"].sort_index(), within_72h.sort_index(), rtol=1e-12)
    # 3 workdays on cn-mainland, computed row by row with the calendar (unresolved = missed).
    cal = kefu.Calendar.builtin("cn-mainland")
    due = [cal.add(c.to_pydatetime(), "3 workdays") for c in created]
    met = [pd.notna(r) and r.to_pydatetime() <= d for r, d in zip(records["resolved_at"], due)]
    within_3_workdays = pd.Series(met, index=records.index).groupby(channel).mean()
    np.testing.assert_allclose(m["sla_closure_3_workdays"].sort_index(), within_3_workdays.sort_index(), rtol=1e-12)


def test_closure_within_72_hours_and_within_3_workdays_differ():
    # The synthetic records resolve within 72 h or not at all, so both clocks agree there. These six tickets
    # tell them apart (3 workdays on cn-mainland: the receipt's day is day 0, due at the end of the third):
    h = pd.Timedelta(hours=1)
    mon, fri = T0, T0 + 96 * h                                 # 2026-01-05 and 2026-01-09, 09:00 +08:00
    feb13 = pd.Timestamp("2026-02-13T10:00:00+08:00")          # the Friday before the Spring Festival
    created = [mon, mon, fri, feb13, fri, mon]
    resolved = [mon + 2 * h,                   # both met
                mon + 75 * h,                  # 72 h missed (due Thu 09:00); 3 workdays met (due Fri 01-09 00:00)
                fri + 99 * h,                  # 72 h missed (due Mon 09:00); 3 workdays met (due Thu 01-15 00:00)
                feb13 + 12 * 24 * h,           # 02-15..23 off, Sat 02-14 a make-up working day: due Thu 02-26
                fri + 145 * h,                 # Thu 01-15 10:00: both missed
                pd.NaT]                        # unresolved: both missed
    df = pd.DataFrame({
        "agent": ["C"] * 6, "team": ["T1"] * 6, "channel": ["phone"] * 6, "category": ["refund_request"] * 6,
        "created_at": created, "first_response_at": [c + pd.Timedelta(minutes=1) for c in created],
        "resolved_at": resolved, "handle_seconds": [0.0] * 6, "responses": [1] * 6, "response_seconds": [0.0] * 6,
        "contacts": [1] * 6, "escalated": [False] * 6, "reopened": [False] * 6,
    })
    m = kk.kpis(df, by="agent").loc["C"]
    assert m["sla_closure_72h"] == pytest.approx(1 / 6, rel=1e-12)
    assert m["sla_closure_3_workdays"] == pytest.approx(4 / 6, rel=1e-12)
    cal = kefu.Calendar.builtin("cn-mainland")
    assert [str(cal.add(c.to_pydatetime(), "3 workdays").date()) for c in created] == [
        "2026-01-09", "2026-01-09", "2026-01-15", "2026-02-26", "2026-01-15", "2026-01-09"]


# ---------------------------------------------------------------------------------------------------
# Targets and scorecards
# ---------------------------------------------------------------------------------------------------


def test_targets_file_errors_have_positions(tmp_path):
    p = tmp_path / "t.yaml"
    p.write_text("targets: t\nmetrics:\n  - {metric: csat_mean, at_least: lots}\n", encoding="utf-8")
    with pytest.raises(kefu.PolicyError) as e:
        kefu.KpiTargets.load(p)
    assert (e.value.line, e.value.column) == (3, 35)
    assert "bad number 'lots'" in str(e.value)


def test_scorecard_weights_checked_at_load(tmp_path):
    p = tmp_path / "s.yaml"
    p.write_text("scorecard: s\nitems:\n  - {id: a, weight: 50, value: csat_mean, full: 5}\n", encoding="utf-8")
    with pytest.raises(kefu.PolicyError, match=r"s\.yaml:3:3: scorecard 's': item weights sum to 50, not 100"):
        kefu.Scorecard.load(p)


def test_monthly_scorecard_items_and_flags(records):
    """Seed 000 Table 1 (DOM-KPI-2) and the flags retrain and disciplinary review (DOM-KPI-3, DOM-KPI-6)."""
    inputs = pd.read_csv(REPO / "examples" / "data" / "agent_inputs.csv")
    card = kk.default_scorecard("monthly")
    assert sum(i["weight"] for i in card.items) == 100
    sc = by_month(kk.scorecard(records, card, inputs))
    items = [i["id"] for i in card.items]
    np.testing.assert_allclose(sc[items].sum(axis=1) + sc["bonus"], sc["total"], rtol=1e-12)
    # Leads: max(submitted, last month's converted) / 10, capped at 10 points; bonus +1 per commendation.
    row = inputs.set_index(["agent", "month"]).loc[("A03", "2026-01")]
    assert sc.loc[("A03", "2026-01"), "online_leads"] == pytest.approx(
        10 * min(1, max(row["leads_submitted"], row["leads_converted_last_month"]) / 10))
    assert sc.loc[("A03", "2026-01"), "bonus"] == row["commendations"]
    m = kk.kpis(records, by="agent", period="month")
    jan = m.xs(local("2026-01-01"), level="period")
    assert sc.loc[("A03", "2026-01"), "satisfaction"] == pytest.approx(10 * jan.loc["A03", "satisfied_rate"])
    # Bottom 10% per month retrain: ⌈0.1 · 24⌉ = 3 lowest totals (ties included).
    for month, group in sc.groupby(level="month"):
        flagged = group[group["retrain"]]
        assert len(flagged) >= 3
        assert flagged["total"].max() <= group[~group["retrain"]]["total"].min()
    # ≥ 5 upheld complaints over the whole record up to the month → disciplinary review (DOM-KPI-6).
    upheld = m["upheld_complaints"].rename(index=lambda p: p.strftime("%Y-%m") if isinstance(p, pd.Timestamp) else p)
    so_far = upheld.groupby(level="agent").cumsum()
    assert (sc["disciplinary_review"] == (so_far.reindex(sc.index) >= 5)).all()
    assert sc["disciplinary_review"].any()
    assert (sc["disciplinary_review"] & ~(upheld.reindex(sc.index) >= 5)).any()  # flags a month alone would not


def test_upheld_complaints_count_over_the_whole_record():
    """DOM-KPI-6 (004 §3.10): 3 upheld complaints in January and 3 in February flag the agent in February by
    default; `window: 1 month` judges each month alone."""
    jan, feb = pd.Timestamp("2026-01-10T10:00:00+08:00"), pd.Timestamp("2026-02-10T10:00:00+08:00")
    rows = fixture().iloc[[0] * 6].reset_index(drop=True)
    rows["created_at"] = [jan] * 3 + [feb] * 3
    rows["first_response_at"] = rows["created_at"] + pd.Timedelta(seconds=20)
    rows["resolved_at"] = rows["created_at"] + pd.Timedelta(minutes=10)
    rows["complaint_upheld"] = True
    inputs = pd.DataFrame({"agent": ["A", "A"], "month": ["2026-01", "2026-02"], "exam_score": [80, 80],
                           "commendations": [0, 0]})
    card = kk.default_scorecard("agent")
    assert card.disciplinary_review == {"metric": "upheld_complaints", "at_least": 5.0, "window": None}
    sc = kk.scorecard(rows, card, inputs)
    assert sc["disciplinary_review"].to_dict() == {("A", local("2026-01-01")): False, ("A", local("2026-02-01")): True}
    text = (kefu.default_rules_dir() / "kpi" / "scorecard-agent.yaml").read_text(encoding="utf-8")
    monthly = kefu.Scorecard.from_string(text.replace("window: all", "window: 1 month"))
    assert monthly.disciplinary_review["window"] == 1
    assert not kk.scorecard(rows, monthly, inputs)["disciplinary_review"].any()


def _promotions_by_hand(records, goal: float, months: int = 3, top: float = 0.20) -> set[tuple[str, str]]:
    """seed 002 §5.2.3 written out with pandas: (agent, month) where the agent met `goal` of its KPI targets
    and had a CSAT among the top ⌈top·n⌉ of the month (ties included) in this month and the months-1 before."""
    m = kk.kpis(records, by=["agent"], period="month").reset_index()
    m["month"] = m["period"].dt.strftime("%Y-%m")
    ok: dict[tuple[str, str], bool] = {}
    for month, group in m.groupby("month"):
        csat = group["csat_mean"].dropna().sort_values(ascending=False)
        cut = csat.iloc[math.ceil(top * len(csat) - 1e-9) - 1]
        for _, row in group.iterrows():
            ok[(str(row["agent"]), month)] = bool(row["csat_mean"] >= cut and row["targets_met_rate"] >= goal)
    order = sorted(m["month"].unique())
    return {(agent, month) for (agent, month) in ok
            if order.index(month) >= months - 1
            and all(ok.get((agent, order[order.index(month) - back]), False) for back in range(months))}


def test_agent_scorecard_promotes_stars(records, tmp_path):
    """Seed 002 §7.3 and §5.2.3: the agent's month and the promotion flag (DOM-KPI-3)."""
    inputs = pd.read_csv(REPO / "examples" / "data" / "agent_inputs.csv")

    def promoted(card) -> set[tuple[str, str]]:
        sc = by_month(kk.scorecard(records, card, inputs))
        return set(sc[sc["promotion"]].index)

    # The shipped card wants every KPI target met three months running: the two stars (A07, A14; the top two
    # CSATs every month) each fall short in two of the four months (A07 in January and February, A14 in
    # December and February), so nobody is promoted on the synthetic data.
    assert promoted("agent") == _promotions_by_hand(records, goal=1.0) == set()
    # With 90% of the goals, the stars are: A07 from February (December to February at 100%, 91.7%, 91.7%),
    # A14 only in March (80% in December breaks its run).
    text = (kefu.default_rules_dir() / "kpi" / "scorecard-agent.yaml").read_text(encoding="utf-8")
    assert "at_least: 100%" in text
    (tmp_path / "agent-90.yaml").write_text(text.replace("at_least: 100%", "at_least: 90%"), encoding="utf-8")
    expected = {("A07", "2026-02"), ("A07", "2026-03"), ("A14", "2026-03")}
    assert promoted(kefu.Scorecard.load(tmp_path / "agent-90.yaml")) == _promotions_by_hand(records, goal=0.9) == expected


def test_supervisor_scorecard_per_team(records):
    """Seed 002 §7.3: the supervisor's month, on the team's records (DOM-KPI-3)."""
    inputs = pd.read_csv(REPO / "examples" / "data" / "team_inputs.csv")
    sc = by_month(kk.scorecard(records, "supervisor", inputs))
    assert sorted(set(sc.index.get_level_values("team"))) == ["aftersales", "fresh", "hotline", "online"]
    row = inputs.set_index(["team", "month"]).loc[("hotline", "2026-02")]
    assert sc.loc[("hotline", "2026-02"), "improvements"] == pytest.approx(
        20 * row["improvements_done"] / row["improvements_planned"])
    with pytest.raises(kefu.ColumnError, match="improvements_done"):
        kk.scorecard(records, "supervisor", inputs.drop(columns="improvements_done"))


def test_qc_sampler(records):
    """At least 20% of each agent's day, the same sample again for the same seed (DOM-KPI-5)."""
    mask = kk.qc_sample(records, rate=0.2, seed=7)
    assert mask.dtype == bool
    day = records["created_at"].dt.tz_convert("Asia/Shanghai").dt.date
    cells = pd.DataFrame({"agent": records["agent"].astype(str), "day": day, "s": mask}).groupby(["agent", "day"])["s"]
    assert (cells.sum() >= 0.2 * cells.size()).all()
    assert (cells.sum() == np.ceil(0.2 * cells.size() - 1e-9)).all()
    assert (kk.qc_sample(records, rate=0.2, seed=7) == mask).all()
    assert (kk.qc_sample(records, rate=0.2, seed=8) != mask).any()
    shuffled = records.sample(frac=1, random_state=1)
    np.testing.assert_array_equal(kk.qc_sample(shuffled, rate=0.2, seed=7), mask[shuffled.index.to_numpy()])


# ---------------------------------------------------------------------------------------------------
# Input layouts: zero-copy where the dtype allows, the same KPIs whatever the layout
# ---------------------------------------------------------------------------------------------------


def test_layouts_give_the_same_kpis():
    df = fixture()
    expected = kk.kpis(df, by=["agent", "channel"], period="day")
    # Categorical labels (int8 codes), naive local instants in seconds, an aware column in ms.
    other = df.copy()
    for c in ("agent", "channel"):
        other[c] = other[c].astype("category")
    for c in kk.INSTANT_COLUMNS:
        other[c] = other[c].dt.tz_convert("Asia/Shanghai").dt.tz_localize(None).astype("datetime64[s]")
    pd.testing.assert_frame_equal(kk.kpis(other, by=["agent", "channel"], period="day"), expected)
    mixed = other.copy()
    mixed["resolved_at"] = df["resolved_at"].astype("datetime64[ms, UTC]")  # aware among naive: converted
    pd.testing.assert_frame_equal(kk.kpis(mixed, by=["agent", "channel"], period="day"), expected)
    # Naive datetime64[ns] numpy arrays in another zone, read as that zone's local time.
    arrays = {c: df[c].to_numpy() for c in df.columns if c not in kk.INSTANT_COLUMNS}
    for c in kk.INSTANT_COLUMNS:
        arrays[c] = df[c].dt.tz_convert("UTC").dt.tz_localize(None).to_numpy() - np.timedelta64(5, "h")
    pd.testing.assert_frame_equal(kk.kpis(arrays, by=["agent", "channel"], period="day", zone="-05:00"),
                                  kk.kpis(df, by=["agent", "channel"], period="day", zone="-05:00"))


def test_columns_are_passed_without_copies():
    df = fixture()
    df["agent"] = df["agent"].astype("category")
    a = kk._arrays(df, None, "+08:00", {"agent"})
    codes, labels = a["labels"]["agent"]
    assert codes.dtype == np.int8 and labels == ["A", "B"]
    assert np.shares_memory(codes, df["agent"].array.codes)
    assert np.shares_memory(a["instants"]["created_at"], df["created_at"].array.asi8)  # aware: the UTC values
    units = {"s": 1, "ms": 1_000, "us": 1_000_000, "ns": 1_000_000_000}
    assert a["instant_unit"] == units[df["created_at"].dtype.unit] and a["instant_offset"] == 0
    assert np.shares_memory(a["numbers"]["csat"], df["csat"].to_numpy())
    naive = {"created_at": np.array(["2026-01-05T09:00:00"], dtype="datetime64[s]")}
    b = kk._arrays(naive, None, "+08:00", set())
    assert b["instant_unit"] == 1 and b["instant_offset"] == 8 * 3600
    assert np.shares_memory(b["instants"]["created_at"], naive["created_at"])


def test_threads_give_the_same_table(records):
    one = kk.partial(records, by=["team", "channel"], period="week", threads=1)
    for threads in (2, 3):
        assert kk.partial(records, by=["team", "channel"], period="week", threads=threads) == one
    with pytest.raises(ValueError, match="threads must be at least 1"):
        kk.kpis(records, threads=0)
    bad = records.copy()
    bad.loc[2999, "csat"] = 0
    with pytest.raises(kefu.ColumnError, match="column 'csat', row 2999: 0 is outside 1–5") as e:
        kk.kpis(bad, threads=2)
    assert e.value.row == 2999


# ---------------------------------------------------------------------------------------------------
# One source of truth: the C++ column table, the metric entries, the docs; error ids
# ---------------------------------------------------------------------------------------------------

DOCS = REPO / "docs" / "kpis.md"


def _docs_table(heading: str) -> list[list[str]]:
    """The rows of the first table after `heading` in docs/kpis.md, as lists of cells."""
    text = DOCS.read_text(encoding="utf-8")
    lines = text[text.index(heading):].splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("|"))
    rows = []
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
    return rows


def _docs_row(c: dict) -> list[str]:
    """How docs/kpis.md describes a column of the table."""
    if c["kind"] == "number":
        kind = {"seconds": "number ≥ 0 (seconds)", "count": "whole number ≥ 0"}.get(c["unit"])
        if kind is None:
            lo, hi = (f"{x:g}" for x in c["range"])
            kind = f"{lo}–{hi}" + (" whole" if c["whole"] else "")
    else:
        kind = {"label": "text / category", "instant": "instant", "flag": "bool / 0-1"}[c["kind"]]
    if c["need"] == "optional":
        kind += ", may be missing"
    need = {"required": "yes", "optional": "no", "grouping": "to group by it"}[c["need"]]
    return [f"`{c['name']}`", kind, need, c["description"]]


def test_the_column_table_is_the_one_list():
    table = kefu._core.kpi_columns()
    assert list(kk.COLUMNS) == table
    names = [c["name"] for c in table]
    assert len(set(names)) == len(names)
    # kefu.kpi's lists are the table's, in its order.
    assert kk.LABEL_COLUMNS == kk.DIMENSIONS == ("agent", "team", "channel", "category")
    assert kk.INSTANT_COLUMNS == ("created_at", "first_response_at", "resolved_at")
    assert kk.LABEL_COLUMNS + kk.INSTANT_COLUMNS + kk.NUMBER_COLUMNS == tuple(names)
    # docs/kpis.md's records table says the same, row for row.
    expected = [_docs_row(c) for c in table]
    rendered = "\n".join("| " + " | ".join(r) + " |" for r in expected)
    assert _docs_table("## Records (the input columns)") == expected, "docs/kpis.md records table:\n" + rendered


def test_every_required_column_is_required():
    # The binding takes every column of the table, and refuses records without a required one.
    df = fixture()
    for c in kk.COLUMNS:
        if c["need"] == "required":
            with pytest.raises(kefu.ColumnError, match=f"column '{c['name']}': is required but missing"):
                kk.kpis(df.drop(columns=c["name"]), targets=None)
    with pytest.raises(kefu.ColumnError, match=r"is not a grouping column \(agent, team, channel, category\)"):
        _compute_with_labels({"created_by": (np.zeros(5, np.int32), ["x"])})


def _compute_with_labels(labels):
    """The binding called directly, with the label columns given."""
    a = kk._arrays(fixture(), None, "+08:00", set())
    return kefu._core.KpiTable.compute(a["rows"], a["numbers"], a["instants"], a["instant_unit"], labels, [],
                                       "none", "+08:00", None, kk.DEFAULT_ACCURACY, a["instant_offset"], 1)


def test_docs_name_every_metric():
    table = kk.partial(fixture(), by="agent")  # the default targets: channel and SLA metrics too
    documented = set()
    for row in _docs_table("## Metrics (formulas)"):
        documented |= set(re.findall(r"`([a-z_0-9]+(?:\[CH\])?)`", row[0]))
    for name in table.metric_names():
        name = re.sub(r"\[.*\]$", "[CH]", name)
        name = "sla_NAME" if name.startswith("sla_") else name
        assert name in documented or name == "sla_NAME", name


def test_error_ids():
    bad = fixture()
    bad.loc[3, "csat"] = 7
    with pytest.raises(kefu.ColumnError) as e:
        kk.kpis(bad)
    assert e.value.id == "kefu.kpi.column"
    # Partials carry their layout; other layouts, truncated and foreign bytes are kefu.kpi.partial.
    data = kk.partial(fixture(), by="agent").to_bytes()
    assert data[:8] == b"KEFUKPI:" and len(data) > 16
    read = lambda b, period="none": kefu._core.KpiTable.from_bytes(  # noqa: E731
        b, ["agent"], period, "+08:00", kk.default_targets(), kk.DEFAULT_ACCURACY)
    assert read(data) == kk.partial(fixture(), by="agent")
    for b, message in [(b"KEFUKPI2" + data[16:], "another layout"), (data[:-3], "truncated"),
                       (b"PK\x03\x04", "bad header")]:
        with pytest.raises(kefu.Error, match=message) as e:
            read(b)
        assert e.value.id == "kefu.kpi.partial"
    with pytest.raises(kefu.Error, match="different options") as e:
        read(data, period="month")
    assert e.value.id == "kefu.kpi.options"
    # Targets and scorecard files: PolicyError (with the position) and their own ids.
    with pytest.raises(kefu.PolicyError) as e:
        kefu.KpiTargets.from_string("targets: t\nmetrics:\n  - {metric: fcr_rte, at_least: 90%}\n", "t.yaml")
    assert (e.value.id, e.value.line) == ("kefu.kpi.targets", 3)
    with pytest.raises(kefu.PolicyError) as e:
        kefu.Scorecard.from_string("scorecard: s\nitems:\n  - {id: a, weight: 90, value: csat_mean, full: 5}\n")
    assert e.value.id == "kefu.kpi.scorecard"


def _stars_by_pandas(records: pd.DataFrame, min_tickets: int) -> pd.DataFrame:
    """002 §7.3's monthly service stars written out with pandas: per local month (+08:00), the agents with the
    highest CSAT among those with ≥ min_tickets rated tickets, and the highest FCR among those with ≥ min_tickets
    tickets; ties all win."""
    d = records.assign(month=records["created_at"].dt.tz_convert("Asia/Shanghai").dt.strftime("%Y-%m"),
                       agent=records["agent"].astype(str))
    d["fcr"] = d["resolved_at"].notna() & (d["contacts"] <= 1) & (d["reopened"] == 0)
    g = d.groupby(["month", "agent"]).agg(tickets=("ticket_id", "size"), rated=("csat", "count"),
                                          csat_sum=("csat", "sum"), fcr=("fcr", "sum")).reset_index()
    g["csat"] = g["csat_sum"] / g["rated"]
    g["fcr"] = g["fcr"] / g["tickets"]
    rows = []
    for month, m in g.groupby("month"):
        for award, measured in (("csat", "rated"), ("fcr", "tickets")):
            eligible = m[m[measured] >= min_tickets]
            best = eligible[award].max()
            rows += [(month, award, a, best) for a in sorted(eligible.loc[eligible[award] == best, "agent"])]
    return pd.DataFrame(rows, columns=["month", "award", "agent", "value"])


def test_monthly_service_stars_agree_with_pandas(records):
    """DOM-KPI-8 (002 §7.3 月度服务之星): each month's highest CSAT and highest first-contact resolution, ties
    listed, among agents with at least 20 tickets (rated ones for CSAT), so that a lucky ticket does not win."""
    assert kk.DEFAULT_STAR_MIN_TICKETS == 20
    ours = kk.service_stars(records)
    assert str(ours["period"].dtype) == "datetime64[us, UTC+08:00]"
    ours = ours.assign(month=ours["period"].dt.strftime("%Y-%m"))
    theirs = _stars_by_pandas(records, 20)
    assert ours[["month", "award", "agent"]].values.tolist() == theirs[["month", "award", "agent"]].values.tolist()
    np.testing.assert_allclose(ours["value"], theirs["value"], rtol=1e-12)
    assert len(ours) >= 8 and set(ours["month"]) == {"2025-12", "2026-01", "2026-02", "2026-03"}

    # One agent with a single five-star ticket, first contact solved: a star only without the minimum.
    lucky = records.iloc[[0]].copy()
    lucky["agent"] = pd.Categorical(["Z99"])
    lucky["csat"], lucky["contacts"], lucky["reopened"] = 5.0, 1, 0
    lucky["resolved_at"] = lucky["created_at"] + pd.Timedelta(minutes=5)
    more = pd.concat([records.astype({"agent": str}), lucky.astype({"agent": str})], ignore_index=True)
    month = lucky["created_at"].dt.tz_convert("Asia/Shanghai").dt.strftime("%Y-%m").iloc[0]
    assert "Z99" not in set(kk.service_stars(more)["agent"])
    anyone = kk.service_stars(more, min_tickets=1)
    anyone = anyone.assign(month=anyone["period"].dt.strftime("%Y-%m"))[["month", "award", "agent", "value"]]
    won = anyone[anyone["month"] == month].groupby("award")["agent"].apply(list).to_dict()
    assert "Z99" in won["csat"] and "Z99" in won["fcr"]   # with others at 5.0 / 100% on a few tickets
    assert anyone.values.tolist() == _stars_by_pandas(more, 1).values.tolist()
    with pytest.raises(kefu.Error, match=r"^service star: min_tickets must be a whole number of at least 1, got 0 \(e\.g\. 20\)$"):
        kk.service_stars(records, min_tickets=0)


def test_agent_scorecard_flags_the_service_stars(records):
    """The shipped agent scorecard (002 §7.3) flags each month's stars: star_csat and star_fcr (DOM-KPI-8)."""
    card = kk.default_scorecard("agent")
    assert card.service_star == {"min_tickets": 20}
    assert kk.default_scorecard("monthly").service_star is None
    sc = by_month(kk.scorecard(records, card, pd.read_csv(REPO / "examples" / "data" / "agent_inputs.csv")))
    theirs = _stars_by_pandas(records, 20)
    for award in ("csat", "fcr"):
        flagged = sorted(sc.index[sc[f"star_{award}"]], key=lambda k: (k[1], k[0]))
        expected = [(a, m) for m, a in theirs.loc[theirs["award"] == award, ["month", "agent"]].values.tolist()]
        assert flagged == sorted(expected, key=lambda k: (k[1], k[0]))


def test_satisfaction_target_of_001(records):
    """DOM-KPI-8 (001 §1.2 服务满意度目标90%以上): the shipped targets want ratings of 4 stars and up ≥ 90%; a
    group meets it exactly when pandas finds ≥ 90% of its ratings at 4 or 5."""
    assert [g for g in kk.default_targets().goals if g[0] == "satisfied_rate"] == [("satisfied_rate", ">=", 0.9, "≥ 90%")]
    r = kk.evaluate(records, by="agent", period="month")
    d = records.assign(month=records["created_at"].dt.tz_convert("Asia/Shanghai").dt.strftime("%Y-%m"),
                       agent=records["agent"].astype(str))
    rated = d[d["csat"].notna()]
    share = (rated["csat"] >= 4).groupby([rated["agent"], rated["month"]]).mean()
    ours = r.outcomes["satisfied_rate"].rename(lambda k: k.strftime("%Y-%m") if hasattr(k, "strftime") else k)
    assert {k: v for k, v in ours.items()} == {k: ("met" if v >= 0.9 else "missed") for k, v in share.items()}
    assert {"met", "missed"} <= set(ours)


def test_fresh_food_team_targets_of_003(records):
    """DOM-KPI-4 (003: 标准执行率95%, 标准知晓率98%, 标准化解决率92%, 平均响应3分钟): the shipped fresh-food-team
    targets, judged per month on the fresh team's records against the same rates computed with pandas."""
    fresh = kk.default_targets("fresh-food-team")
    assert [(m, c, t) for m, c, _, t in fresh.goals] == [
        ("standard_execution_rate", ">=", "≥ 95%"), ("standard_awareness_rate", ">=", "≥ 98%"),
        ("standard_resolution_rate", ">=", "≥ 92%"), ("art", "<=", "≤ 3min")]
    assert [g[2] for g in fresh.goals] == pytest.approx([0.95, 0.98, 0.92, 180])
    team = records[records["team"] == "fresh"]
    # The synthetic records carry no standard flags: every month has "no data" for 003's three rates.
    assert set(kk.evaluate(team, by="team", period="month", targets=fresh).outcomes["standard_execution_rate"]) == {"no data"}
    i = np.arange(len(team))   # flags that put the months on both sides of the goals
    team = team.assign(standard_executed=(i % 19 != 0).astype(float), standard_known=np.where(i % 7 == 0, np.nan, i % 45 != 1),
                       standard_resolved=(i % 13 != 0).astype(float))
    r = kk.evaluate(team, by="team", period="month", targets=fresh)
    d = team.assign(month=team["created_at"].dt.tz_convert("Asia/Shanghai").dt.strftime("%Y-%m"))
    expected = {}
    for month, m in d.groupby("month"):
        values = {"standard_execution_rate": m["standard_executed"].dropna().mean(),
                  "standard_awareness_rate": m["standard_known"].dropna().mean(),
                  "standard_resolution_rate": m["standard_resolved"].dropna().mean(),
                  "art": m["response_seconds"].sum() / m["responses"].sum()}
        goals = {"standard_execution_rate": 0.95, "standard_awareness_rate": 0.98, "standard_resolution_rate": 0.92}
        expected[month] = {k: ("met" if (v <= 180 if k == "art" else v >= goals[k]) else "missed")
                           for k, v in values.items()}
    ours = {p.strftime("%Y-%m"): {g: str(row[g]) for g in row.index} for (_, p), row in r.outcomes.iterrows()}
    assert ours == expected
    outcomes = {o for month in expected.values() for o in month.values()}
    assert outcomes == {"met", "missed"}
    with pytest.raises(ValueError, match=r"^no shipped targets 'fresh' \(expected service-kpis or fresh-food-team\)$"):
        kk.default_targets("fresh")
