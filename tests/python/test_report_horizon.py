"""The KPI report says when SLA figures rest on provisional calendar days (DOM-SLA-8)."""

from __future__ import annotations

import pandas as pd

from kefu import default_data_path
from kefu import kpi as kk
from kefu import report


def test_shipped_records_rest_on_official_days_only():
    records = kk.read_records(default_data_path("records.csv"))
    assert report.provisional_notes(records) == []


def test_december_records_get_a_note_per_calendar_sla():
    records = kk.read_records(default_data_path("records.csv")).head(4).copy()
    # 3 workdays after 12-29 and 12-30 reach into 2027 (provisional); after 12-28 they close at 24:00 on
    # 12-31, the last official day, so they are not.
    records["created_at"] = pd.to_datetime(
        ["2026-12-01T10:00+08:00", "2026-12-28T10:00+08:00", "2026-12-29T23:30+08:00", "2026-12-30T10:00+08:00"],
        utc=True,
    )
    assert report.provisional_notes(records) == [
        "SLA closure_3_workdays (3 workdays on cn-mainland): 2 of 4 tickets have deadlines past 2026-12-31, where the "
        "calendar's data is provisional (projected from the holiday law) / 2 张工单的期限依据尚未公布的节假日安排推算，以国务院通知为准"
    ]
