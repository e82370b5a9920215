"""kefu report: terminal tables and a self-contained HTML page with three charts, no personal data."""

from __future__ import annotations

import html
import io
from pathlib import Path

import pytest

pytest.importorskip("matplotlib")

from kefu.cli import main  # noqa: E402
from kefu.report import run  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / "examples" / "data"


def _records_with_personal_data(target: Path) -> tuple[Path, list[str]]:
    """records.csv with the customers' names and mobile numbers from tickets.csv (same ticket ids) and a postal
    address per ticket added as columns, as an export from a ticket system would carry them. Returns the
    file and every personal value in it."""
    import pandas as pd

    records = pd.read_csv(DATA / "records.csv", dtype=str, keep_default_na=False)
    people = pd.read_csv(DATA / "tickets.csv", dtype=str, keep_default_na=False)[
        ["ticket_id", "customer_name", "customer_phone"]]
    merged = records.merge(people, on="ticket_id", how="left", validate="one_to_one")
    streets = ["建国路", "中山北路", "解放大道", "人民南路", "长江西路"]
    merged["customer_address"] = [f"{['北京市朝阳区', '上海市静安区', '武汉市江汉区', '成都市武侯区', '南京市鼓楼区'][i % 5]}"
                                  f"{streets[(i // 5) % 5]}{i % 97 + 1}号{i % 13 + 1}单元" for i in range(len(merged))]
    assert merged["customer_name"].ne("").all() and merged["customer_phone"].str.fullmatch(r"1\d{10}").all()
    merged.to_csv(target, index=False)
    values = [*merged["customer_name"], *merged["customer_phone"], *merged["customer_address"]]
    return target, values


def test_report_tables_and_html(tmp_path, capsys):
    page = tmp_path / "kpi.html"
    assert main(["report", "--records", str(DATA / "records.csv"), "--inputs", str(DATA / "agent_inputs.csv"),
                 "--html", str(page)]) == 0
    out = capsys.readouterr().out
    assert "KPIs by channel" in out and "Scorecard smart-counter-monthly 2026-03" in out and "retrain (bottom 10%)" in out
    # DOM-SLA-7: queue waits by channel in 003's bands, headed in English and Chinese.
    assert "Queue wait by channel / 各渠道排队等待 (003)" in out
    assert "≤30s patient 耐心等待" in out and ">5min complaint risk 投诉风险" in out
    waits = out[out.index("Queue wait by channel"):out.index("KPIs by team")]
    online = next(line for line in waits.splitlines() if line.startswith("online "))
    assert online.split()[1:] == ["1063", "31", "s", "66.6%", "30.5%", "2.6%", "0.3%"]
    # DOM-KPI-6: the flag says what it counts, over the whole record by default.
    assert ("disciplinary review (≥5 upheld_complaints, the whole record / 全部记录) / 纪律审查: " in out)
    # DOM-KPI-8 (002 §7.3 月度服务之星): each month's highest CSAT and highest FCR, as pandas finds them.
    import kefu.kpi as kk
    from test_kpi import _stars_by_pandas

    heading = ("Monthly service stars / 月度服务之星 (002 §7.3; agents with at least 20 tickets, rated tickets for CSAT "
               "/ 至少20张工单，满意度按已评价工单计)")
    block = out[out.index(heading):out.index("\nScorecard ")].strip().splitlines()
    assert block[1].split() == ["month", "highest", "CSAT", "/", "满意度最高", "highest", "FCR", "/", "一次解决率最高"]
    stars = _stars_by_pandas(kk.read_records(DATA / "records.csv"), 20)
    assert len(block) == 3 + stars["month"].nunique() == 7  # heading, column names, rule, one line per month
    for line, (month, m) in zip(block[3:], stars.groupby("month")):
        csat, fcr = m[m["award"] == "csat"], m[m["award"] == "fcr"]
        assert line.split(None, 1)[0] == month
        assert f"{', '.join(csat['agent'])} ({csat['value'].iloc[0]:.2f})" in line, line
        assert f"{', '.join(fcr['agent'])} ({fcr['value'].iloc[0]:.1%})" in line, line
    text = page.read_text(encoding="utf-8")
    assert html.escape(heading) in text
    assert "Queue wait by channel / 各渠道排队等待" in text
    assert text.count("data:image/png;base64,") == 3
    assert "SLA attainment by channel" in text and "Scorecard per agent" in text

    # DOM-PRIV-1: records carrying customers' names, mobile numbers and addresses give the same report, and
    # none of those values appears in it (terminal or HTML).
    personal, values = _records_with_personal_data(tmp_path / "records-with-customers.csv")
    assert len(values) == 3 * 3000 and "杜嘉敏" in values and "15345683768" in values
    leaky = tmp_path / "kpi-personal.html"
    assert main(["report", "--records", str(personal), "--inputs", str(DATA / "agent_inputs.csv"),
                 "--html", str(leaky)]) == 0
    out_personal = capsys.readouterr().out
    html_personal = html.unescape(leaky.read_text(encoding="utf-8"))
    assert out_personal.replace(str(leaky), str(page)) == out
    for value in values:
        assert value not in out_personal and value not in html_personal, value
    for phone in values[3000:6000]:  # nor the masked form of a mobile number (138****5678)
        assert f"{phone[:3]}****{phone[-4:]}" not in out_personal + html_personal


def test_report_without_html():
    buf = io.StringIO()
    assert run(DATA / "records.csv", DATA / "agent_inputs.csv", None, buf) == 0
    assert "goals missed" in buf.getvalue()


def _missed(out: str) -> tuple[int, str]:
    line = next(line for line in out.splitlines() if line.startswith("goals missed ("))
    return int(line[len("goals missed ("):line.index(")")]), line


def test_report_and_demo_use_the_kpi_files_of_the_rules_directory_given(tmp_path, capsys):
    # `--rules DIR` brings DIR's targets and scorecard, loaded and checked with the directory; the
    # shipped ones are used only where DIR has none, and a note says so.
    import shutil

    rules = tmp_path / "rules"
    shutil.copytree(Path(__file__).resolve().parents[2] / "rules", rules)
    assert main(["report"]) == 0
    shipped = capsys.readouterr().out
    assert main(["report", "--rules", str(rules)]) == 0
    assert capsys.readouterr().out == shipped
    count, line = _missed(shipped)
    assert "fcr_rate" in line and "Scorecard smart-counter-monthly 2026-03" in shipped

    targets = rules / "kpi" / "targets.yaml"
    targets.write_text(targets.read_text(encoding="utf-8").replace("{metric: fcr_rate, at_least: 90%}",
                                                                   "{metric: fcr_rate, at_least: 70%}"), encoding="utf-8")
    card = rules / "kpi" / "scorecard-monthly.yaml"
    card.write_text(card.read_text(encoding="utf-8").replace("scorecard: smart-counter-monthly",
                                                             "scorecard: store-monthly"), encoding="utf-8")
    assert main(["report", "--rules", str(rules)]) == 1
    assert capsys.readouterr().err == (
        f"kefu: error: rules directory {rules} has no scorecard 'smart-counter-monthly' (it has ecommerce-agent-monthly, "
        "ecommerce-supervisor-monthly, store-monthly): name one with --scorecard\n")
    assert main(["report", "--rules", str(rules), "--scorecard", "store-monthly"]) == 0
    out = capsys.readouterr().out
    relaxed, line = _missed(out)
    assert "fcr_rate" not in line and relaxed < count  # every channel's FCR is above 70%
    assert "Scorecard store-monthly 2026-03" in out and "note:" not in out

    shutil.rmtree(rules / "kpi")
    assert main(["report", "--rules", str(rules)]) == 0
    out = capsys.readouterr().out
    assert f"note: {rules} has no targets file: the shipped targets 'service-kpis' are used" in out
    assert f"note: {rules} has no scorecard file: the shipped scorecard 'smart-counter-monthly' is used" in out
    assert out.split("KPIs by channel", 1)[1] == shipped.split("KPIs by channel", 1)[1]


def test_report_measures_against_the_targets_named(tmp_path, capsys):
    """`--targets NAME` picks one of the rules directory's targets files (DOM-KPI-4: 003's fresh-food-team)."""
    import shutil

    rules = tmp_path / "rules"
    shutil.copytree(Path(__file__).resolve().parents[2] / "rules", rules)
    assert main(["report", "--rules", str(rules), "--targets", "fresh-food-team"]) == 0
    _, line = _missed(capsys.readouterr().out)
    goals = {g.split(":", 1)[1] for g in line.split(": ", 1)[1].split(", ")}
    assert goals and goals <= {"standard_execution_rate", "standard_awareness_rate", "standard_resolution_rate", "art"}
    assert main(["report", "--rules", str(rules), "--targets", "fresh"]) == 1
    assert capsys.readouterr().err == (
        f"kefu: error: rules directory {rules} has no targets 'fresh' (it has fresh-food-team, service-kpis): "
        "name one with --targets / 规则目录中没有目标 'fresh'，请用 --targets 指定\n")
