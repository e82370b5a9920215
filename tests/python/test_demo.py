"""`kefu demo` and typed ticket reading (foundation issue item 8, DOM-PRIV-1)."""

import csv
import io
import re

import pytest

import kefu
from kefu import demo
from kefu.tickets import read_tickets


def test_demo_summarises_rules_and_tickets_without_personal_data():
    out = io.StringIO()
    assert demo.run(out=out) == 0
    text = out.getvalue()
    assert re.search(r"^  calendar +cn-mainland +calendars/cn-mainland.yaml +295 entries$", text, re.M)
    rows = list(csv.DictReader(kefu.default_data_path().open(encoding="utf-8")))
    assert f": {len(rows)}, received " in text
    for row in rows[:5]:
        assert row["customer_phone"] not in text
        assert row["customer_name"] not in text
        assert kefu.mask_phone(row["customer_phone"]) in text
    assert not re.search(r"1[3-9]\d{9}", text)
    # The replay measures the named clocks of rules/clocks.yaml (DOM-SLA-10): one line per clock that started,
    # with met / breached / open counts and the share met; the audit history shows milestones.
    section = text[text.index("named clocks from rules/clocks.yaml"):text.index("reopened after a follow-up")]
    clocks = re.findall(r"^    ([a-z_]+) +(\d+) / +(\d+) / +(\d+) +([\d.]+)% met  — [a-z][^\n]*$", section, re.MULTILINE)
    assert [c[0] for c in clocks] == ["initial_assessment", "result_feedback", "return_exchange", "pickup_arrangement",
                                      "goods_receipt", "refund_completion", "live_seafood_handling"]
    for _, met, breached, _open, share in clocks:
        assert float(share) == round(100.0 * int(met) / (int(met) + int(breached)), 1)
    assert "mark result_fed_back" in text


def test_ticket_values_get_kefu_types():
    first = next(read_tickets(kefu.default_data_path()))
    assert isinstance(first["claimed_amount"], kefu.Money)
    assert first["received_at"].utcoffset().total_seconds() == 8 * 3600
    assert isinstance(first["vip"], bool)


def test_bad_ticket_value_names_file_line_and_column(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("ticket_id,claimed_amount\nT1,12.30\nT2,12.305\n", encoding="utf-8")
    with pytest.raises(kefu.ParseError) as info:
        list(read_tickets(path))
    assert str(info.value) == (
        f"{path}:3: column 2 (claimed_amount): bad amount '12.305': more than two decimal places "
        "(amounts are exact to the fen)"
    )


def test_demo_shows_deadlines_across_spring_festival():
    out = io.StringIO()
    demo.run(out=out)
    text = out.getvalue()
    assert "Deadlines across Spring Festival 2026" in text
    # Received Fri 13 Feb: 3 workdays = Sat 14 (调休), Tue 24, Wed 25 → close of Wed 25 Feb.
    line = next(l for l in text.splitlines() if "Fri 02-13 00:29" in l)
    assert "Wed 02-25 24:00" in line and "Fri 02-13 11:00" in line


def test_demo_shows_one_provisional_deadline():
    out = io.StringIO()
    demo.run(out=out)
    text = out.getvalue()
    assert "cn-mainland has official data 2004-01-01 … 2026-12-31, then a provisional projection" in text
    assert "2027 days off as the law projects them (make-up days unknown until the notice): 01-01, 02-05, 02-06" in text
    assert (
        "an L3 ticket received 2026-12-24 10:00: resolution by Tue 01-05 24:00 (7 workdays on cn-mainland) — "
        "provisional (暂定)" in text
    )


def test_demo_shows_a_level_one_report_on_a_critical_ticket():
    # DOM-LC-8: the synthetic log makes the level-1 report (一级上报) of critical tickets, which close only after it.
    out = io.StringIO()
    demo.run(out=out)
    text = out.getvalue()
    line = next(l for l in text.splitlines() if l.startswith("  critical tickets (level-1 report required"))
    critical, reported, closed = (int(n) for n in re.findall(r": (\d+)", line))
    assert critical > 0 and closed <= reported <= critical
    example = next(l for l in text.splitlines() if l.startswith("    e.g. T"))
    assert " supervisor report_level_1 " in example and example.endswith("— 已告知项目管理层")
