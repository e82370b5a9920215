"""Triage with the default policy: every reference decision of docs/requirements.md §11, deadlines, errors, batches."""

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import kefu
from kefu.tickets import read_tickets

CST = dt.timezone(dt.timedelta(hours=8))
RULES = Path(__file__).resolve().parents[2] / "rules"


@pytest.fixture(scope="module")
def policy() -> kefu.Policy:
    return kefu.default_policy()


def facts(**changes):
    base = dict(business="mall", channel="phone", category="consultation", received_at=dt.datetime(2026, 3, 2, 10, tzinfo=CST))
    base.update(changes)
    return base


# ---- §11 risk level ----

@pytest.mark.parametrize(
    ("changes", "level", "signals"),
    [
        (dict(text="孩子吃了以后腹泻住院了"), "critical", ["RISK-SAFETY-WORDS"]),
        (dict(text="吃完过敏了"), "critical", ["RISK-SAFETY-WORDS"]),
        (dict(category="safety_injury"), "critical", ["RISK-SAFETY-CATEGORY"]),
        (dict(collective=True), "critical", ["RISK-COLLECTIVE"]),
        (dict(text="再不处理就发微博曝光"), "high", ["RISK-MEDIA"]),
        (dict(text="我已经打了１２３１５"), "high", ["RISK-REGULATOR"]),
        (dict(text="我要找律師起訴你們"), "high", ["RISK-LEGAL"]),
        (dict(text="客服态度差还不解决"), "high", ["RISK-ANGER"]),
        (dict(claimed_amount="1000.01"), "high", ["RISK-LARGE-CLAIM"]),
        (dict(claimed_amount="1000.00"), "normal", []),
        (dict(repeat_complaints=2), "high", ["RISK-REPEAT"]),
        (dict(repeat_complaints=1), "normal", []),
        (dict(text="订单号4123159876什么时候发货"), "normal", []),
        (dict(text="媒体曝光，还有人受伤了", claimed_amount="5000"), "critical", ["RISK-SAFETY-WORDS", "RISK-MEDIA", "RISK-LARGE-CLAIM"]),
    ],
)
def test_risk_level_and_signals(policy, changes, level, signals):
    r = policy.triage(facts(**changes))
    assert r.risk.level == level
    assert [s.rule_id for s in r.risk.signals] == signals


def test_signals_name_the_words_found(policy):
    r = policy.triage(facts(text="我要找媒体曝光，孩子腹瀉住院"))
    words = {s.rule_id: s.words for s in r.risk.signals}
    assert words == {"RISK-SAFETY-WORDS": ["腹瀉", "住院"], "RISK-MEDIA": ["媒体", "曝光"]}


# ---- §11 escalation tier and its targets ----

@pytest.mark.parametrize(
    ("changes", "tier", "rules"),
    [
        (dict(category="logistics_delay"), "L1", ["ESC-CATEGORY-L1"]),
        (dict(category="refund_request"), "L2", ["ESC-CATEGORY-L2"]),
        (dict(category="quality_defect"), "L3", ["ESC-CATEGORY-L3"]),
        (dict(category="logistics_delay", claimed_amount="1000.01"), "L3", ["ESC-AMOUNT-L3"]),
        (dict(category="logistics_delay", text="态度差"), "L2", ["ESC-RISK-HIGH-L2"]),
        (dict(category="refund_request", text="食物中毒"), "L3", ["ESC-RISK-CRITICAL-L3"]),
        (dict(category="cold_chain_break", claimed_amount="2000", collective=True), "L3",
         ["ESC-CATEGORY-L3", "ESC-AMOUNT-L3", "ESC-RISK-CRITICAL-L3"]),
    ],
)
def test_tier_is_the_highest_of_category_amount_and_risk(policy, changes, tier, rules):
    r = policy.triage(facts(**changes))
    assert (r.tier, r.tier_rules) == (tier, rules)


def test_tier_targets_owners_follow_up_and_report(policy):
    # Received Friday 13 Feb 2026, 10:00: Sat 14 is a make-up working day, 15–23 Feb the Spring Festival.
    received = dt.datetime(2026, 2, 13, 10, tzinfo=CST)
    l1 = policy.triage(facts(category="logistics_delay", received_at=received))
    assert (l1.owners, l1.follow_up_required, l1.report_required) == (["agent"], False, False)
    assert l1.deadlines.first_response.due == dt.datetime(2026, 2, 13, 11, tzinfo=CST)
    assert l1.deadlines.resolution.due == dt.datetime(2026, 2, 14, 10, tzinfo=CST)
    assert l1.deadlines.follow_up is None
    l2 = policy.triage(facts(category="refund_request", received_at=received))
    assert (l2.owners, l2.follow_up_required, l2.report_required) == (["supervisor"], True, False)
    assert l2.deadlines.resolution.due == dt.datetime(2026, 2, 15, 10, tzinfo=CST)
    # Follow-up: 3 working days after the resolution deadline (Sun 15 Feb, in the holiday) → close of Thu 26 Feb.
    assert l2.deadlines.follow_up.due == dt.datetime(2026, 2, 27, 0, tzinfo=CST)
    assert l2.deadlines.follow_up.calendar == "cn-mainland"
    l3 = policy.triage(facts(category="quality_defect", received_at=received))
    assert (l3.owners, l3.follow_up_required, l3.report_required) == (["supervisor", "qc", "legal"], False, True)
    assert l3.deadlines.first_response.due == dt.datetime(2026, 2, 14, 10, tzinfo=CST)
    # 7 working days: 14, 24, 25, 26, 27, 28 Feb (make-up Saturday), 2 Mar → close of 2 Mar.
    assert l3.deadlines.resolution.due == dt.datetime(2026, 3, 3, 0, tzinfo=CST)
    assert (l3.deadlines.resolution.within, l3.deadlines.resolution.rule_id) == ("7 workdays", "TIER-L3")


def test_channel_and_category_targets(policy):
    r = policy.triage(facts(business="ecommerce", channel="email", category="payment_failure", text="态度差"))
    got = {t.rule_id: (t.within, t.due) for t in r.targets}
    start = dt.datetime(2026, 3, 2, 10, tzinfo=CST)
    assert got == {
        "SLA-EMAIL-REPLY": ("2h", start + dt.timedelta(hours=2)),
        "SLA-RISK-ALERT": ("5min", start + dt.timedelta(minutes=5)),
        "SLA-REPUTATION-RISK": ("48h", start + dt.timedelta(hours=48)),
        "SLA-PAYMENT-PROBLEM": ("5min", start + dt.timedelta(minutes=5)),
        # 002 §6.4's complaint ticket SLA, in cn-office opening hours: 10:00–12:00 on Monday 2 March.
        "SLA-TICKET-COMPLAINT": ("2 business hours", start + dt.timedelta(hours=2)),
        # 态度差 is high risk: priority 二级, within 24 h (DOM-ESC-2).
        "SLA-PRIORITY-2": ("24h", start + dt.timedelta(hours=24)),
    }
    counter = policy.triage(facts(business="smart_counter", channel="online", category="duplicate_charge",
                                  received_at=dt.datetime(2026, 2, 13, 22, tzinfo=CST)))
    close = next(t for t in counter.targets if t.rule_id == "SLA-COUNTER-AFTER-SALES-CLOSE")
    assert (close.within, close.calendar, close.due) == ("3 workdays", "cn-mainland", dt.datetime(2026, 2, 26, tzinfo=CST))


# ---- §11 refund decisions, in order ----

GOODS = dict(has_receipt=True, packaging_intact=True, resalable=True, purchased_at=dt.date(2026, 2, 27))  # day 3


@pytest.mark.parametrize(
    ("changes", "decision", "rule"),
    [
        # 1. mall clearance goods with the defect disclosed
        (dict(category="quality_defect", item_class="clearance", defect_disclosed=True), "deny", "REF-CLEARANCE-DISCLOSED"),
        (dict(business="ecommerce", category="quality_defect", item_class="clearance", defect_disclosed=True), "refund", "REF-QUALITY-7D"),
        # 2. misuse etc. → paid repair, before anything else
        (dict(category="quality_defect", misuse=True), "repair_paid", "REF-PAID-REPAIR"),
        (dict(category="billing_error", force_majeure=True), "repair_paid", "REF-PAID-REPAIR"),
        # 3. smart counters
        (dict(business="smart_counter", category="duplicate_charge", duplicate_confirmed=True), "refund", "REF-COUNTER-DUPLICATE"),
        (dict(business="smart_counter", category="duplicate_charge"), "manual_review", None),
        (dict(business="smart_counter", category="delayed_charge", mischarge_confirmed=True), "refund", "REF-COUNTER-MISCHARGE"),
        (dict(business="smart_counter", category="abnormal_order"), "manual_review", "REF-COUNTER-ABNORMAL"),
        # 4. fresh food
        (dict(business="fresh", category="cold_chain_break", cold_chain_break_confirmed=True), "refund", "REF-FRESH-COLD-CHAIN"),
        (dict(business="fresh", category="live_seafood_dead"), "refund", "REF-FRESH-DEAD-OR-SPOILED"),
        (dict(business="fresh", category="spoiled_on_arrival"), "refund", "REF-FRESH-DEAD-OR-SPOILED"),
        (dict(business="fresh", category="ripening"), "deny", "REF-FRESH-RIPENING"),
        # 5. any business
        (dict(business="ecommerce", category="billing_error"), "refund", "REF-BILLING-ERROR"),
        (dict(category="wrong_item", merchant_error=True), "exchange", "REF-WRONG-ITEM"),
        (dict(category="quality_defect", warranty_repairs=2), "exchange", "REF-REPEATED-REPAIR"),
        (dict(category="quality_defect", warranty_repairs=1), "refund", "REF-QUALITY-7D"),
        (dict(category="service_attitude"), "deny", "REF-SERVICE-ATTITUDE"),
        # 6. quality or expiry within 7 days with a receipt — day 7 in, day 8 out
        (dict(category="expiry", purchased_at=dt.date(2026, 2, 23)), "refund", "REF-QUALITY-7D"),
        (dict(category="expiry", purchased_at=dt.date(2026, 2, 22)), "manual_review", None),
        # 7. quality defect after the window: 三包
        (dict(category="quality_defect", purchased_at=dt.date(2026, 2, 22), warranty_card_valid=True), "repair_free", "REF-REPAIR-FREE"),
        (dict(category="quality_defect", purchased_at=dt.date(2026, 2, 22)), "repair_paid", "REF-REPAIR-PAID"),
        # 8. mall dissatisfaction within 3 days — day 3 in, day 4 out, used out
        (dict(category="refund_request"), "refund", "REF-MALL-3D"),
        (dict(category="refund_request", purchased_at=dt.date(2026, 2, 26)), "manual_review", None),
        (dict(category="refund_request", used=True), "manual_review", None),
        # 9. e-commerce seven days without reason
        (dict(business="ecommerce", category="refund_request", purchased_at=dt.date(2026, 2, 23)), "refund", "REF-ECOMMERCE-7D"),
        (dict(business="ecommerce", category="refund_request", purchased_at=dt.date(2026, 2, 22)), "manual_review", None),
        # 10. safety, then everything else
        (dict(category="safety_injury"), "manual_review", "REF-SAFETY-INJURY"),
        (dict(category="late_delivery"), "manual_review", None),
        (dict(category="quality_defect", purchased_at=None), "manual_review", None),  # no purchase date, no window
    ],
)
def test_refund_decisions_follow_section_11_in_order(policy, changes, decision, rule):
    r = policy.triage(facts(**{**GOODS, **changes}))
    assert (r.refund.decision, r.refund.rule_id) == (decision, rule)
    assert r.refund.reason  # every decision says why (DOM-REF-7)


# ---- bad facts ----

def test_bad_facts_are_errors_naming_the_field(policy):
    with pytest.raises(kefu.Error, match=r"^unknown fact 'catgory' \(did you mean 'category'\?\)$"):
        policy.triage(dict(facts(), catgory="x"))
    with pytest.raises(kefu.ParseError, match=r"^fact 'channel': 'wechat' is not one of phone, online, email, wecom, merchant_platform, social, store"):
        policy.triage(facts(channel="wechat"))
    with pytest.raises(kefu.Error, match=r"^fact 'days_since_purchase' is derived \(local date of received_at"):
        policy.triage(facts(days_since_purchase=3))
    with pytest.raises(kefu.Error, match=r"^missing fact\(s\) business, channel$"):
        policy.triage(dict(category="consultation", received_at=dt.datetime(2026, 3, 2, 10)))
    with pytest.raises(kefu.Error, match=r"^fact 'purchased_at' \(2026-03-05\) is after the local date of received_at \(2026-03-02\)$"):
        policy.triage(facts(purchased_at=dt.date(2026, 3, 5)))


def test_naive_received_at_is_beijing_time(policy):
    a = policy.triage(facts(received_at=dt.datetime(2026, 3, 2, 10)))
    b = policy.triage(facts(received_at=dt.datetime(2026, 3, 2, 2, tzinfo=dt.timezone.utc)))
    assert a.deadlines.resolution.due == b.deadlines.resolution.due == dt.datetime(2026, 3, 3, 10, tzinfo=CST)


def test_explain_names_every_policy_and_masks_phone_numbers(policy):
    text = policy.triage(facts(category="quality_defect", text="请回电13812345678，孩子腹泻了")).explain()
    for name in ("policy risk", "policy escalation", "policy tiers", "policy refund", "policy sla-targets"):
        assert name in text
    assert "13812345678" not in text and "138****5678" in text


# ---- the synthetic tickets, against an independent reading of §11 ----

def reference(t: dict) -> tuple[str, str, str]:
    """docs/requirements.md §11 written out in plain Python, independently of the YAML policies."""
    text = t["text"].translate({0xFF10 + i: ord("0") + i for i in range(10)})
    def has(*words):
        return any(w in text for w in words)
    safety = has("受伤", "受傷", "中毒", "腹泻", "腹瀉", "过敏", "過敏", "住院", "拉肚子", "送医", "送醫", "急诊", "急診")
    import re
    regulator = bool(re.search(r"(?<![0-9])12315(?![0-9])", text)) or has("消协", "消協", "消费者协会", "消費者協會", "市场监管", "市場監管", "市场监督", "市場監督", "工商局")
    media = has("曝光", "媒体", "媒體", "记者", "記者", "微博", "抖音", "小红书", "小紅書", "发帖", "發帖", "发朋友圈", "负面评价", "負面評價", "差评", "差評")
    legal = has("律师", "律師", "起诉", "起訴", "法院", "打官司", "诉讼", "訴訟")
    anger = has("态度差", "態度差", "不解决", "不解決", "投诉你", "投訴你", "说话很冲")  # 说话很冲: DOM-RISK-5's wider vocabulary
    over = t["claimed_amount"] > kefu.Money(1000)
    if safety or t["category"] == "safety_injury" or t["collective"]:
        risk = "critical"
    elif media or regulator or legal or anger or over or t["repeat_complaints"] >= 2:
        risk = "high"
    else:
        risk = "normal"
    cat_tier = {c: 1 for c in "consultation order_query logistics_delay payment_failure out_of_stock ripening counter_operation restocking".split()}
    cat_tier.update({c: 3 for c in ("quality_defect", "safety_injury", "cold_chain_break")})
    tier = max(cat_tier.get(t["category"], 2), 3 if over else 1, {"normal": 1, "high": 2, "critical": 3}[risk])
    c, b = t["category"], t["business"]
    days = (t["received_at"].date() - t["purchased_at"]).days if t.get("purchased_at") else None
    if b == "mall" and t["item_class"] == "clearance" and t["defect_disclosed"]:
        refund = "deny"
    elif t["misuse"] or t["unauthorized_dismantle"] or t["model_mismatch"] or t["force_majeure"]:
        refund = "repair_paid"
    elif b == "smart_counter" and ((c == "duplicate_charge" and t["duplicate_confirmed"]) or (c == "delayed_charge" and t["mischarge_confirmed"])):
        refund = "refund"
    elif b == "smart_counter" and c == "abnormal_order":
        refund = "manual_review"
    elif b == "fresh" and ((c == "cold_chain_break" and t["cold_chain_break_confirmed"]) or c in ("live_seafood_dead", "spoiled_on_arrival")):
        refund = "refund"
    elif b == "fresh" and c == "ripening":
        refund = "deny"
    elif c == "billing_error":
        refund = "refund"
    elif c == "wrong_item" and t["merchant_error"]:
        refund = "exchange"
    elif c == "quality_defect" and t["warranty_repairs"] >= 2:
        refund = "exchange"
    elif c == "service_attitude":
        refund = "deny"
    elif c in ("quality_defect", "expiry") and t["has_receipt"] and days is not None and days <= 7:
        refund = "refund"
    elif c == "quality_defect" and days is not None and days > 7:
        refund = "repair_free" if t["has_receipt"] and t["warranty_card_valid"] else "repair_paid"
    elif b == "mall" and c == "refund_request" and t["has_receipt"] and days is not None and days <= 3 and not t["used"] and t["packaging_intact"] and t["resalable"]:
        refund = "refund"
    elif b == "ecommerce" and c == "refund_request" and days is not None and days <= 7 and t["packaging_intact"] and t["resalable"]:
        refund = "refund"
    else:
        refund = "manual_review"
    return risk, f"L{tier}", refund


def test_every_synthetic_ticket_matches_the_reference_reading(policy):
    rows = list(read_tickets(kefu.default_data_path()))
    results = policy.triage(rows)
    mismatches = [
        (t["ticket_id"], reference(t), (r.risk.level, r.tier, r.refund.decision))
        for t, r in zip(rows, results)
        if reference(t) != (r.risk.level, r.tier, r.refund.decision)
    ]
    assert mismatches == []
    assert len(rows) == 3000


def test_dataframe_batch(policy):
    rows = list(read_tickets(kefu.default_data_path()))[:200]
    frame = pd.DataFrame(rows).set_index("ticket_id", drop=False)
    out = policy.triage(frame)
    assert list(out.index) == list(frame.index)
    assert list(out.columns[:4]) == ["risk_level", "risk_signals", "tier", "owners"]
    single = policy.triage(rows[7])
    row = out.iloc[7]
    assert (row["risk_level"], row["tier"], row["refund_decision"]) == (single.risk.level, single.tier, single.refund.decision)
    assert row["resolution_due"] == single.deadlines.resolution.due


def test_ecommerce_ticket_sla_counts_opening_hours_of_the_service_calendar(policy):
    # 002 §6.4: the ticket system's SLA is 4 hours for a consultation and 2 hours for a complaint, in opening
    # hours (cn-office: 09:00-12:00, 13:30-18:00 on cn-mainland's working days; DOM-SLA-1).
    def target(facts, rule):
        r = policy.triage({"business": "ecommerce", "channel": "online", **facts})
        (t,) = [t for t in r.targets if t.rule_id == rule]
        return t.within, t.calendar, t.due.isoformat()

    # Friday 17:00: one hour that day, the second on Monday from 09:00.
    assert target({"category": "late_delivery", "received_at": "2026-12-04T17:00:00+08:00"}, "SLA-TICKET-COMPLAINT") == (
        "2 business hours", "cn-office", "2026-12-07T10:00:00+08:00")
    # The day before National Day (1–7 October 2026 off): two hours that day, two after the holiday.
    assert target({"category": "consultation", "received_at": "2026-09-30T16:00:00+08:00"}, "SLA-TICKET-CONSULTATION") == (
        "4 business hours", "cn-office", "2026-10-08T11:00:00+08:00")
    # Not for the mall.
    mall = policy.triage({"business": "mall", "channel": "online", "category": "late_delivery",
                          "received_at": "2026-12-04T17:00:00+08:00"})
    assert [t.rule_id for t in mall.targets if t.rule_id.startswith("SLA-TICKET")] == []


def test_dataframe_of_text_reads_like_a_list_of_typed_dicts(policy):
    # A frame is read column by column (docs/performance.md); the results equal the list path's, row for row,
    # whether its values are typed or text, and an error names the first bad row as the list path does.
    rows = list(read_tickets(kefu.default_data_path()))[:300]
    text = pd.read_csv(kefu.default_data_path(), dtype=str, keep_default_na=False).head(300)
    listed = policy.triage(rows)
    for frame in (pd.DataFrame(rows), text.where(text != "", None)):
        out = policy.triage(frame)
        assert list(out["tier"]) == [r.tier for r in listed]
        assert [x if isinstance(x, str) else None for x in out["refund_rule_id"]] == [r.refund.rule_id for r in listed]
        assert list(out["risk_signals"]) == [[s.rule_id for s in r.risk.signals] for r in listed]  # lists stay lists
        assert list(out["first_response_due"]) == [r.deadlines.first_response.due for r in listed]
        assert list(out["tier_rules"]) == [list(r.tier_rules) for r in listed]
    bad = text.copy()
    bad.loc[7, "business"] = "mal"   # an earlier column, a later row
    bad.loc[3, "channel"] = "phon"   # a later column, the first bad row
    with pytest.raises(kefu.ParseError, match=r"^row 3: fact 'channel': 'phon' is not one of .* \(did you mean 'phone'\?\)"):
        policy.triage(bad)


# ---- the rules directory itself ----

def _kefu(*args):
    return subprocess.run([sys.executable, "-m", "kefu", *args], capture_output=True, text=True, check=False)


def test_shipped_rule_tests_pass_with_every_rule_covered():
    result = _kefu("test", "--require-coverage", str(RULES))
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
    assert "not reached" not in result.stdout


def test_shipped_rules_are_lint_clean():
    # Pinned to a day well before cn-mainland's official data ends (2026-12-31), see the horizon test below.
    result = _kefu("lint", "--strict", "--today", "2026-06-01", str(RULES))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1].startswith("0 errors, 0 warnings in ")


def test_lint_warns_when_the_calendar_data_runs_out():
    result = _kefu("lint", "--today", "2026-12-01", str(RULES))
    assert result.returncode == 0, result.stdout + result.stderr  # a warning, not an error
    lines = result.stdout.splitlines()
    mainland = [line for line in lines if "cn-mainland.yaml" in line and "warning" in line]
    assert mainland == [
        f"{RULES / 'calendars' / 'cn-mainland.yaml'}:14:1: warning: calendar 'cn-mainland': official data ends on "
        "2026-12-31 (in 30 days); after it, deadlines are provisional (projected from the holiday law until "
        "2035-12-31): load the next holiday notice (kefu calendar notice) / 官方节假日数据即将用完，请导入下一年度国务院通知 "
        "[calendar-horizon]"
    ]
    assert lines[-1].startswith("0 errors, 2 warnings in ")  # cn-mainland and cn-office (which extends it)
    assert _kefu("lint", "--strict", "--today", "2026-12-01", str(RULES)).returncode == 1
    bad = _kefu("lint", "--today", "01.12.2026", str(RULES))
    assert bad.returncode == 2 and "expected a date as YYYY-MM-DD, got '01.12.2026'" in bad.stderr


def test_published_facts_schema_is_up_to_date_and_accepts_the_tickets(policy):
    import csv
    import json

    from kefu.authoring import facts_json_schema

    published = json.loads((Path(__file__).resolve().parents[2] / "docs" / "schema" / "facts.schema.json").read_text(encoding="utf-8"))
    assert published == facts_json_schema(policy), "run: kefu schema facts > docs/schema/facts.schema.json"
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(published)
    types = {f.name: f.type for f in policy.facts}
    with kefu.default_data_path().open(encoding="utf-8") as f:
        for row in list(csv.DictReader(f))[:300]:
            doc = {}
            for k, v in row.items():
                if v == "":
                    continue
                doc[k] = {"bool": lambda x: x == "true", "int": int}.get(types[k], lambda x: x)(v)
            assert list(validator.iter_errors(doc)) == []
    bad = [e.message for e in validator.iter_errors({"business": "mall", "chanel": "phone"})]
    assert "Additional properties are not allowed ('chanel' was unexpected)" in bad


def test_cli_triage(tmp_path):
    case = tmp_path / "case.yaml"
    case.write_text("business: fresh\nchannel: online\ncategory: live_seafood_dead\nreceived_at: 2026-02-16T23:00:00+08:00\n", encoding="utf-8")
    out = _kefu("triage", "--input", str(case))
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[:2] == ["risk: normal", "tier: L2 by ESC-CATEGORY-L2; owners supervisor"]
    assert "target: verify and handle dead live seafood due 2026-02-17T11:00:00+08:00 (12h) [SLA-LIVE-SEAFOOD-VERIFY]" in out.stdout
    assert out.stdout.splitlines()[-1] == "refund: refund by REF-FRESH-DEAD-OR-SPOILED — 到货死亡或变质，退款或补发 (dead or spoiled on arrival)"


# ---- priority (DOM-ESC-2) and the VIP green channel (DOM-ESC-5) ----

def _priority(result) -> tuple[str, str, str]:
    (t,) = [t for t in result.targets if t.rule_id.startswith("SLA-PRIORITY-")]
    return t.rule_id, t.within, t.due.isoformat()


@pytest.mark.parametrize("business", ["ecommerce", "mall", "smart_counter", "fresh"])
def test_every_business_gets_a_priority_and_a_vip_gets_the_next_level_up(policy, business):
    base = dict(business=business, channel="online", category="consultation",
                received_at=dt.datetime(2026, 2, 13, 10, tzinfo=CST))
    general = policy.triage(base)
    vip = policy.triage({**base, "vip": True})
    # 三级 48 h → 二级 24 h for a VIP (DOM-ESC-2 001 §6.1.2, DOM-ESC-5 003); the tier and its first response stay.
    assert _priority(general) == ("SLA-PRIORITY-3", "48h", "2026-02-15T10:00:00+08:00")
    assert _priority(vip) == ("SLA-PRIORITY-2", "24h", "2026-02-14T10:00:00+08:00")
    assert (general.tier, vip.tier) == ("L1", "L1")
    assert general.deadlines.first_response.due == vip.deadlines.first_response.due == dt.datetime(2026, 2, 13, 11, tzinfo=CST)
    assert (general.priority_routing, vip.priority_routing) == (False, True)
    # High risk: 二级 24 h; a high-risk VIP 一级, at once (5 min).
    media = {**base, "text": "再不处理就发微博曝光"}
    assert _priority(policy.triage(media)) == ("SLA-PRIORITY-2", "24h", "2026-02-14T10:00:00+08:00")
    assert _priority(policy.triage({**media, "vip": True})) == ("SLA-PRIORITY-1", "5min", "2026-02-13T10:05:00+08:00")
    # Critical: 一级 whoever complains.
    injury = {**base, "text": "孩子吃了以后腹泻住院了"}
    assert _priority(policy.triage(injury)) == ("SLA-PRIORITY-1", "5min", "2026-02-13T10:05:00+08:00")
    assert _priority(policy.triage({**injury, "vip": True})) == ("SLA-PRIORITY-1", "5min", "2026-02-13T10:05:00+08:00")


def test_priority_routing_is_in_the_json_and_the_summary_of_kefu_triage(tmp_path):
    case = tmp_path / "vip.yaml"
    case.write_text("business: mall\nchannel: phone\ncategory: consultation\nreceived_at: 2026-02-13T10:00:00+08:00\n"
                    "vip: true\n", encoding="utf-8")
    run = lambda *a: subprocess.run([sys.executable, "-m", "kefu", "triage", "--input", str(case), *a],  # noqa: E731
                                    capture_output=True, text=True, check=True).stdout
    import json
    assert json.loads(run("--format", "json"))["priority_routing"] is True
    assert "priority routing: ahead of the queue (VIP green channel) / 优先分配\n" in run()
    assert "target: handle at priority 2 (二级) due 2026-02-14T10:00:00+08:00 (24h) [SLA-PRIORITY-2]\n" in run()


def test_the_chosen_business_hours_calendar_moves_the_ticket_sla(tmp_path):
    # DOM-SLA-1: the e-commerce ticket SLA (002 §6.4, 2 opening hours for a complaint) counts on the calendar the
    # service-calendar policy picks. On cn-office a complaint of Friday 17:00 is due Monday 10:00; with e-commerce
    # served on the fresh-food shifts (round the clock) the same complaint is due Friday 19:00.
    facts = {"business": "ecommerce", "channel": "online", "category": "late_delivery",
             "received_at": "2026-12-04T17:00:00+08:00"}

    def ticket_sla(p):
        (t,) = [t for t in p.triage(facts).targets if t.rule_id == "SLA-TICKET-COMPLAINT"]
        return t.calendar, t.due.isoformat()

    assert ticket_sla(kefu.default_policy()) == ("cn-office", "2026-12-07T10:00:00+08:00")
    import shutil
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    service = rules / "service-calendar.yaml"
    service.write_text(service.read_text(encoding="utf-8").replace(
        "default: {business_hours: cn-office",
        "  - id: CAL-ECOMMERCE-SHIFTS\n    when: business == ecommerce\n    then: {business_hours: fresh-shifts}\n"
        "default: {business_hours: cn-office"), encoding="utf-8")
    suite = rules / "tests" / "service-calendar.yaml"
    suite.write_text(suite.read_text(encoding="utf-8").replace(
        "    input: {business: ecommerce}\n    expect: {business_hours: cn-office, working_days: cn-mainland}\n    rule: default",
        "    input: {business: ecommerce}\n    expect: {business_hours: fresh-shifts, working_days: cn-mainland}\n"
        "    rule: CAL-ECOMMERCE-SHIFTS"), encoding="utf-8")
    moved = kefu.Policy.load(rules)
    assert ticket_sla(moved) == ("fresh-shifts", "2026-12-04T19:00:00+08:00")


# ---- the customer value index (DOM-CH-3) ----

def test_customer_tier_is_given_or_computed_from_the_customer_value_index(policy):
    base = dict(business="mall", channel="phone", category="consultation", received_at="2026-03-02T10:00:00+08:00")
    index = dict(spend_12m="3000.00", orders_12m=6, repurchase_rate="0.3", complaints_12m=3)
    r = policy.triage({**base, **index})
    assert (r.customer_tier, r.customer_tier_computed) == ("B", True)
    assert (policy.triage({**base, **index, "complaints_12m": 4}).customer_tier) == "C"
    # A tier the ticket gives is taken as it is, whatever the index says.
    given = policy.triage({**base, **index, "customer_tier": "A"})
    assert (given.customer_tier, given.customer_tier_computed) == ("A", False)
    nothing = policy.triage(base)
    assert (nothing.customer_tier, nothing.customer_tier_computed) == (None, False)
    with pytest.raises(kefu.Error, match=r"^missing fact\(s\) orders_12m, repurchase_rate, complaints_12m: the customer "
                                         r"value index \(policy 'customer-value'\) needs all of its facts, or give "
                                         r"customer_tier$"):
        policy.triage({**base, "spend_12m": "3000.00"})
    with pytest.raises(kefu.ParseError, match=r"^fact 'complaints_12m' cannot be negative \(got -1\)$"):
        policy.triage({**base, **index, "complaints_12m": -1})
    as_text = {k: str(v) for k, v in index.items()}  # a frame's int column with gaps would be floats
    frame = policy.triage(pd.DataFrame([{**base, **as_text}, base, {**base, "customer_tier": "D"}]))
    assert [None if pd.isna(x) else x for x in frame["customer_tier"]] == ["B", None, "D"]


def test_kefu_triage_refuses_a_bad_index_value_and_says_the_computed_tier(tmp_path):
    case = tmp_path / "cvi.yaml"
    case.write_text("business: mall\nchannel: phone\ncategory: consultation\nreceived_at: 2026-03-02T10:00:00+08:00\n"
                    "spend_12m: 3000.00\norders_12m: 6\nrepurchase_rate: 0.3333333\ncomplaints_12m: 0\n", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "kefu", "triage", "--input", str(case)], capture_output=True, text=True)
    assert run.returncode != 0
    assert run.stderr == ("kefu: error: fact 'repurchase_rate': bad decimal '0.3333333': expected a number with at most "
                          "6 decimals\n")
    customer = case.read_text(encoding="utf-8").replace("repurchase_rate: 0.3333333", "repurchase_rate: 0.35")
    case.write_text(customer, encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "kefu", "triage", "--input", str(case)], capture_output=True, text=True,
                         check=True).stdout
    assert "customer tier: B (from the customer value index) / 客户价值等级\n" in out
