"""003's training assessment (DOM-KPI-4): the exam pass mark 60/100 and the 30/60/90-day follow-ups, from Python."""

import datetime as dt

import pandas as pd
import pytest

import kefu
from kefu import kpi

EXAMS = pd.DataFrame({"agent": ["A01", "A02", "A03"], "training": ["fresh-2026-01"] * 3,
                      "ended": ["2026-01-31"] * 3, "score": [60, 59.5, 88]})


def test_pass_mark_and_follow_ups_as_of_a_day():
    evaluations = pd.DataFrame({"agent": ["A01", "A03"], "training": ["fresh-2026-01"] * 2, "follow_up": [30, 30],
                                "done": [dt.date(2026, 3, 2), dt.date(2026, 3, 1)]})
    t = kpi.training(EXAMS, evaluations, as_of=dt.date(2026, 4, 1))
    assert list(t.index) == [("A01", "fresh-2026-01"), ("A02", "fresh-2026-01"), ("A03", "fresh-2026-01")]
    assert list(t["passed"]) == [True, False, True]                      # 60 passes, 59.5 does not
    assert list(t["follow_up_30d_due"].dt.date.astype(str)) == ["2026-03-02"] * 3
    assert list(t["follow_up_60d_due"].dt.date.astype(str)) == ["2026-04-01"] * 3
    assert list(t["follow_up_90d_due"].dt.date.astype(str)) == ["2026-05-01"] * 3
    assert list(t["follow_up_30d"]) == ["done", "overdue", "done"]
    assert list(t["follow_up_60d"]) == ["upcoming"] * 3                  # due on as_of itself: not yet overdue
    assert t.loc[("A02", "fresh-2026-01"), "follow_up_30d_done"] is pd.NaT
    # The next day the 60-day follow-ups are overdue.
    assert list(kpi.training(EXAMS, evaluations, as_of="2026-04-02")["follow_up_60d"]) == ["overdue"] * 3


def test_the_rules_come_from_a_targets_file():
    assert kpi.default_targets("fresh-food-team").training == {
        "full_marks": 100.0, "pass_mark": 60.0, "follow_up_days": [30, 60, 90], "source": "DOM-KPI-4; seed 003 培训考核方法"}
    assert kpi.default_targets().training is None
    strict = kefu.KpiTargets.from_string("targets: t\ntraining: {full_marks: 10, pass_mark: 9, follow_up_days: [7]}\n")
    t = kpi.training(EXAMS.assign(score=[9, 8.5, 10]), as_of="2026-02-10", targets=strict)
    assert list(t["passed"]) == [True, False, True]
    assert [c for c in t.columns if c.startswith("follow_up")] == ["follow_up_7d_due", "follow_up_7d_done", "follow_up_7d"]
    assert list(t["follow_up_7d"]) == ["overdue"] * 3
    with pytest.raises(kefu.Error, match=r"^targets 'service-kpis' have no `training:` block") as e:
        kpi.training(EXAMS, as_of="2026-02-10", targets=kpi.default_targets())
    assert e.value.id == "kefu.kpi.training"


def test_bad_rows_are_refused_naming_the_row():
    with pytest.raises(kefu.Error, match=r"^exam row 1: score 101 of agent 'A02' is not between 0 and 100") as e:
        kpi.training(EXAMS.assign(score=[60, 101, 70]), as_of="2026-04-01")
    assert e.value.id == "kefu.kpi.training"
    late = pd.DataFrame({"agent": ["A01"], "training": ["fresh-2026-01"], "follow_up": [45], "done": ["2026-03-17"]})
    with pytest.raises(kefu.Error, match=r"^evaluation row 0: there is no 45-day follow-up \(the rules have 30, 60, 90 days\)$"):
        kpi.training(EXAMS, late, as_of="2026-04-01")
    with pytest.raises(kpi.ColumnError, match=r"^exams row 2: column 'ended' has no date$"):
        kpi.training(EXAMS.assign(ended=["2026-01-31", "2026-01-31", None]), as_of="2026-04-01")
    with pytest.raises(kpi.ColumnError, match=r"^exams: column 'score' is required but missing$"):
        kpi.training(EXAMS.drop(columns="score"), as_of="2026-04-01")
