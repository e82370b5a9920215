"""State Council holiday notices from Python and the CLI (DOM-SLA-9), and the round trip: every stored
notice 2004–2026, amendments applied, gives exactly the holidays and make-up days of cn-mainland."""

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import pytest

import kefu
from kefu.cli import main

NOTICES = Path(__file__).resolve().parents[1] / "data" / "notices"

NOTICE_2027 = """国务院办公厅关于2027年部分节假日安排的通知

一、元旦：1月1日（周五）至3日（周日）放假，共3天。
二、春节：2月5日（农历除夕、周五）至11日（周四）放假调休，共7天。2月14日（周日）上班。
"""


def test_parse_a_notice():
    n = kefu.HolidayNotice.parse((NOTICES / "2026.txt").read_text(encoding="utf-8"))
    assert (n.year, n.is_amendment) == (2026, False)
    assert n.title == "国务院办公厅关于2026年部分节假日安排的通知"
    assert list(n.festivals) == ["元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"]
    assert n.festivals["元旦"] == [dt.date(2026, 1, 1), dt.date(2026, 1, 2), dt.date(2026, 1, 3)]
    assert n.festival_working_days["春节"] == [dt.date(2026, 2, 14), dt.date(2026, 2, 28)]
    assert n.working_days == sorted(n.working_days) and len(n.working_days) == 6
    assert len(n.days_off) == 33 and all(isinstance(d, dt.date) for d in n.days_off)
    assert n.to_yaml().startswith("# 国务院办公厅关于2026年部分节假日安排的通知 — calendar data made by `kefu calendar notice`\n")
    assert "  - {date: 2026-02-15, to: 2026-02-23, name: 春节 Spring Festival}\n" in n.to_yaml()


def test_amendments_and_several_notices():
    base = kefu.HolidayNotice.parse((NOTICES / "2020.txt").read_bytes())
    text = (NOTICES / "2020-spring-festival-extension.txt").read_text(encoding="utf-8")
    alone = kefu.HolidayNotice.parse(text)
    assert alone.is_amendment and alone.year == 2020 and list(alone.festivals) == ["春节"]
    amended = kefu.HolidayNotice.parse(text, base=base)
    assert amended.festivals["春节"][-1] == dt.date(2020, 2, 2)
    assert dt.date(2020, 2, 1) in base.working_days and dt.date(2020, 2, 1) not in amended.working_days
    assert amended.sources == [base.title, alone.title]
    assert kefu.notices_to_yaml([base, alone]) == amended.to_yaml()


def test_errors_carry_the_line():
    with pytest.raises(kefu.ParseError) as e:
        kefu.HolidayNotice.parse("国务院办公厅关于2027年部分节假日安排的通知\n五、端午节：6月9日至11日放加。\n", name="n.txt")
    assert (e.value.file, e.value.line, e.value.column) == ("n.txt", 2, 7)
    assert e.value.detail.startswith("cannot read '6月9日至11日放加'")
    with pytest.raises(kefu.PolicyError, match=r"^n.txt:4:42: 2月14日 is a Sunday, the notice says 周六$"):
        kefu.HolidayNotice.parse(NOTICE_2027.replace("2月14日（周日）", "2月14日（周六）"), name="n.txt")
    with pytest.raises(kefu.ParseError, match="the notice is empty"):
        kefu.HolidayNotice.parse("")


def test_cli_writes_the_overlay(tmp_path, capsys):
    notice = tmp_path / "notice-2027.txt"
    notice.write_text(NOTICE_2027, encoding="utf-8")
    assert main(["calendar", "notice", str(notice)]) == 0
    assert capsys.readouterr().out == (
        "# 国务院办公厅关于2027年部分节假日安排的通知 — calendar data made by `kefu calendar notice`\n"
        "calendar: cn-mainland\n"
        "extends: cn-mainland\n"
        "official_until: 2027-12-31\n"
        "holidays:\n"
        "  - {date: 2027-01-01, to: 2027-01-03, name: 元旦 New Year's Day}\n"
        "  - {date: 2027-02-05, to: 2027-02-11, name: 春节 Spring Festival}\n"
        "workdays:\n"
        "  - {date: 2027-02-14, name: 春节调休}\n"
    )
    # An amendment applies to the notice of its year given before it.
    files = [str(NOTICES / "2019.txt"), str(NOTICES / "2019-labour-day-amendment.txt")]
    assert main(["calendar", "notice", *files]) == 0
    out = capsys.readouterr().out
    assert "  - {date: 2019-05-01, to: 2019-05-04, name: 劳动节 Labour Day}\n" in out
    assert "  - {date: 2019-05-05, name: 劳动节调休}\n" in out


def test_cli_check(tmp_path, capsys):
    assert main(["calendar", "notice", str(NOTICES / "2025.txt"), "--check", "cn-mainland"]) == 0
    assert capsys.readouterr().out == "the notices (2025) and cn-mainland agree\n"
    notice = tmp_path / "notice-2027.txt"
    notice.write_text(NOTICE_2027, encoding="utf-8")
    assert main(["calendar", "notice", str(notice), "--check", "cn-mainland"]) == 1
    out = capsys.readouterr().out.splitlines()
    # The projection knows the law's days (除夕, 初一–初三), not the bridge days or the make-up day.
    assert "2027-02-09 notice: day off (春节 Spring Festival); cn-mainland: working day, provisional" in out
    assert "2027-02-14 notice: working day (春节调休); cn-mainland: rest day, provisional" in out
    assert "2027-02-05 notice: day off (春节 Spring Festival); cn-mainland: day off" not in "\n".join(out)
    assert out[-1].endswith("differ between the notices (2027) and cn-mainland")
    # A calendar file works too.
    team = tmp_path / "team.yaml"
    team.write_text('calendar: team\nzone: "+08:00"\nrange: {from: 2025-01-01, to: 2025-12-31}\nhours: ["09:00-18:00"]\n')
    assert main(["calendar", "notice", str(NOTICES / "2025.txt"), "--check", str(team)]) == 1
    assert "2025-01-01 notice: day off (元旦 New Year's Day); team: working day" in capsys.readouterr().out


def test_cli_errors_and_stdin(tmp_path, capsys):
    bad = tmp_path / "bad.txt"
    bad.write_text("国务院办公厅关于2027年部分节假日安排的通知\n二、春节：2月30日放假。\n", encoding="utf-8")
    assert main(["calendar", "notice", str(bad)]) == 2
    assert capsys.readouterr().err == f"{bad}:2: 2月30日 does not exist (2027年2月 has 28 days)\n"
    assert main(["calendar", "notice", str(tmp_path / "missing.txt")]) == 2
    assert "missing.txt" in capsys.readouterr().err
    assert main(["calendar"]) == 2
    assert "notice" in capsys.readouterr().out
    run = subprocess.run([sys.executable, "-m", "kefu", "calendar", "notice", "-"], input=NOTICE_2027.encode(),
                         capture_output=True, check=False)
    assert run.returncode == 0 and "official_until: 2027-12-31" in run.stdout.decode()
    helped = subprocess.run([sys.executable, "-m", "kefu", "calendar", "notice", "--help"], capture_output=True, text=True)
    assert "将国务院节假日安排通知" in helped.stdout and "State Council" in helped.stdout


def _stored_notices():
    """Every stored notice file parsed; amendments applied on top of the notice their header names."""
    files = sorted(NOTICES.glob("*.txt"))
    texts = {f.name: f.read_bytes() for f in files}
    amends = {}
    for name, text in texts.items():
        m = re.search(r"^# amends: (\S+)\s*$", text.decode("utf-8"), re.M)
        if m:
            amends[name] = m.group(1)
    notices = {}
    for name, text in texts.items():
        if name not in amends:
            notices[name] = kefu.HolidayNotice.parse(text, name=name)
    for name, base in amends.items():
        assert base in notices, f"{name} amends {base}, which is not stored"
        notices[base] = kefu.HolidayNotice.parse(texts[name], base=notices[base], name=name)
    return files, notices


def test_round_trip_every_stored_notice_gives_cn_mainland():
    files, notices = _stored_notices()
    years = {n.year for n in notices.values()}
    assert years >= {int(f.name[:4]) for f in files}
    assert len(notices) + sum(1 for f in files if "-" in f.stem) == len(files)

    said = {}  # date → ("day off" | "make-up working day", festival) from the notices
    for n in notices.values():
        for festival, days in n.festivals.items():
            for d in days:
                said[d] = ("day off", festival)
        for festival, days in n.festival_working_days.items():
            for d in days:
                said[d] = ("make-up working day", festival)

    # The calendar's statutory days of those years (a December 元旦 belongs to the next year's notice).
    cal = kefu.Calendar.builtin("cn-mainland")
    shipped = {}
    d, last = cal.first_date, min(cal.official_until, dt.date(2026, 12, 31))
    while d <= last:
        info = cal.day_info(d)
        kind = {"holiday": "day off", "makeup_workday": "make-up working day"}.get(info.kind)
        owner = d.year + 1 if d.month == 12 and info.name.startswith("元旦") else d.year
        if kind and owner in years:
            shipped[d] = (kind, info.name)
        d += dt.timedelta(days=1)

    differences = []
    for day in sorted(set(said) | set(shipped)):
        notice_kind = said.get(day, (None,))[0]
        shipped_kind = shipped.get(day, (None,))[0]
        if notice_kind != shipped_kind:
            n = f"{said[day][0]} ({said[day][1]})" if day in said else "ordinary day"
            c = f"{shipped[day][0]} ({shipped[day][1]})" if day in shipped else "ordinary day"
            differences.append(f"{day}: notice says {n}; cn-mainland.yaml says {c}")
    assert not differences, "the notices and cn-mainland disagree:\n" + "\n".join(differences)
    assert sum(1 for k, _ in said.values() if k == "day off") == sum(1 for k, _ in shipped.values() if k == "day off")


def test_the_two_minute_procedure_from_notice_text_to_official_deadlines(tmp_path, capsys):
    """docs/calendars.md: notice text → overlay in a rules directory → lint, test, load: 2027 is official."""
    import shutil

    notice = tmp_path / "notice-2027.txt"
    notice.write_text(NOTICE_2027, encoding="utf-8")
    rules = tmp_path / "my-rules"
    shutil.copytree(kefu.default_rules_dir(), rules)
    assert main(["calendar", "notice", str(notice)]) == 0
    (rules / "calendars" / "cn-mainland.yaml").write_text(capsys.readouterr().out, encoding="utf-8")
    assert main(["lint", "--strict", "--today", "2026-12-01", str(rules)]) == 0  # no horizon warning any more
    assert capsys.readouterr().out.splitlines()[-1].startswith("0 errors, 0 warnings")
    assert main(["test", str(rules)]) == 0
    capsys.readouterr()
    policy = kefu.Policy.load(rules)
    cst = dt.timezone(dt.timedelta(hours=8))
    r = policy.triage({"business": "mall", "channel": "phone", "category": "quality_defect",
                       "received_at": dt.datetime(2027, 2, 4, 10, tzinfo=cst)})
    # 02-05..11 off, Sunday 02-14 worked: 02-12, 02-14, 02-15, 02-16, 02-17, 02-18, 02-19.
    assert (r.deadlines.resolution.due, r.deadlines.resolution.provisional) == (dt.datetime(2027, 2, 20, tzinfo=cst), False)
    assert policy.calendar("cn-office").official_until == dt.date(2027, 12, 31)
