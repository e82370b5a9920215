"""The rules area's errors carry specific ids (docs/errors.md, "Rules"), kept when a batch names the row."""

from pathlib import Path

import pandas as pd
import pytest

import kefu

POLICY = Path(__file__).resolve().parents[2] / "tests" / "data" / "policies" / "refund.yaml"


def facts(**changes):
    base = dict(business="mall", category="quality_defect", days_since_purchase=3, claimed_amount="100.00", has_receipt=True)
    base.update(changes)
    return base


def raised(fn):
    try:
        fn()
    except kefu.Error as e:
        return type(e).__name__, e.id, str(e)
    raise AssertionError("no error")


@pytest.fixture(scope="module")
def policy() -> kefu.DecisionPolicy:
    return kefu.DecisionPolicy.load(POLICY)


def test_evaluation_ids(policy):
    assert raised(lambda: policy.evaluate(facts(catgory="x")))[:2] == ("Error", "kefu.rules.unknown_input")
    assert raised(lambda: policy.evaluate(facts(business="malls")))[:2] == ("ParseError", "kefu.rules.unknown_value")
    assert raised(lambda: policy.evaluate(facts(has_receipt=1)))[:2] == ("ParseError", "kefu.rules.type_mismatch")
    assert raised(lambda: policy.evaluate(facts(claimed_amount=1.5)))[:2] == ("ParseError", "kefu.rules.type_mismatch")
    assert raised(lambda: policy.evaluate(facts(claimed_amount="12.345")))[:2] == ("ParseError", "kefu.rules.bad_value")
    assert raised(lambda: policy.evaluate(facts(has_receipt=None)))[:2] == ("Error", "kefu.rules.missing_input")


@pytest.mark.parametrize("form", ["rows", "columns", "frame", "many"])
def test_batches_name_the_row_and_keep_class_and_id(policy, form):
    rows = [facts(), facts(), facts(business="malls")]
    data = {"rows": rows, "columns": {k: [r[k] for r in rows] for k in rows[0]}, "frame": pd.DataFrame(rows), "many": rows}[form]
    run = policy.evaluate_many if form == "many" else policy.evaluate_columns
    kind, id, message = raised(lambda: run(data))
    assert (kind, id) == ("ParseError", "kefu.rules.unknown_value")
    assert message.startswith("row 2: input 'business': 'malls' is not one of")
    rows = [facts(), facts(has_receipt=None)]
    assert raised(lambda: policy.evaluate_columns(rows))[:2] == ("Error", "kefu.rules.missing_input")


def test_evaluation_errors_of_a_batch():
    strict = kefu.DecisionPolicy.from_yaml(
        "policy: strict\nhit_policy: unique\ninputs: {n: int}\noutputs: {ok: bool}\nrules:\n"
        "  - {id: LOW, when: n < 5, then: {ok: true}}\n  - {id: MID, when: n > 3 and n < 10, then: {ok: false}}\n")
    assert raised(lambda: strict.evaluate_columns({"n": [1, 20]}))[1:] == (
        "kefu.rules.no_match", "row 1: policy 'strict': no rule matches and there is no default")
    assert raised(lambda: strict.evaluate_columns({"n": [4]}))[1] == "kefu.rules.not_unique"


def test_loading_ids():
    # A rules file kefu cannot accept: PolicyError; conditions name what is wrong (kefu lint reports the same id);
    # `values: from facts` that does not resolve has its own; other file errors are kefu.policy.
    text = "policy: p\ninputs: {kind: {type: enum, values: KIND}}\noutputs: {ok: bool}\nrules:\n  - {id: A, when: knd == a, then: {ok: true}}\n"
    assert raised(lambda: kefu.DecisionPolicy.from_yaml(text.replace("KIND", "[a, b]"), "p.yaml"))[:2] == (
        "PolicyError", "kefu.rules.unknown_input")
    syntax = text.replace("KIND", "[a, b]").replace("knd == a", "kind ==")
    assert raised(lambda: kefu.DecisionPolicy.from_yaml(syntax, "p.yaml"))[:2] == ("PolicyError", "kefu.rules.condition")
    assert raised(lambda: kefu.DecisionPolicy.from_yaml(text.replace("KIND", "[a, b]").replace("rules:", "rulez:"), "p.yaml"))[:2] == (
        "PolicyError", "kefu.policy")
    assert raised(lambda: kefu.DecisionPolicy.from_yaml(text.replace("KIND", "from facts"), "p.yaml"))[:2] == (
        "PolicyError", "kefu.rules.from_facts")


def test_triage_ids():
    policy = kefu.default_policy()
    good = dict(business="mall", channel="phone", category="quality_defect", received_at="2026-03-02T10:00:00+08:00")
    assert raised(lambda: policy.triage({**good, "catgory": "x"}))[:2] == ("Error", "kefu.rules.unknown_fact")
    assert raised(lambda: policy.triage({**good, "tier": "L1"}))[:2] == ("Error", "kefu.rules.derived_fact")
    assert raised(lambda: policy.triage({**good, "channel": "wechat"}))[:2] == ("ParseError", "kefu.rules.unknown_value")
    assert raised(lambda: policy.triage({"business": "mall"}))[:2] == ("Error", "kefu.rules.missing_fact")
    kind, id, message = raised(lambda: policy.triage([good, {**good, "channel": "wechat"}]))
    assert (kind, id) == ("ParseError", "kefu.rules.unknown_value") and message.startswith("row 1: fact 'channel': ")


def test_negative_counts_and_amounts_are_refused_naming_the_fact():
    # facts.yaml marks them `non_negative: true`; the audit had -1 repeat complaints and -¥5 claims accepted.
    policy = kefu.default_policy()
    good = dict(business="mall", channel="phone", category="quality_defect", received_at="2026-03-02T10:00:00+08:00")
    assert raised(lambda: policy.triage({**good, "repeat_complaints": -1})) == (
        "ParseError", "kefu.rules.negative_fact", "fact 'repeat_complaints' cannot be negative (got -1)")
    assert raised(lambda: policy.triage({**good, "claimed_amount": "-5.00"}))[2] == (
        "fact 'claimed_amount' cannot be negative (got -¥5.00)")
    kind, id, message = raised(lambda: policy.triage([good, {**good, "warranty_repairs": -2}]))
    assert (kind, id, message) == ("ParseError", "kefu.rules.negative_fact",
                                   "row 1: fact 'warranty_repairs' cannot be negative (got -2)")
    assert [f.name for f in policy.facts if f.non_negative] == [
        "claimed_amount", "order_amount", "spend_12m", "orders_12m", "repurchase_rate", "complaints_12m",
        "repeat_complaints", "warranty_repairs"]
    assert raised(lambda: policy.triage({**good, "repurchase_rate": "-0.1", "spend_12m": "1", "orders_12m": 1,
                                         "complaints_12m": 0})) == (
        "ParseError", "kefu.rules.negative_fact", "fact 'repurchase_rate' cannot be negative (got -0.1)")
    assert policy.triage({**good, "repeat_complaints": 0, "claimed_amount": "0"}).tier == "L3"


def test_values_python_cannot_hand_over_name_the_field():
    # Ints past 64 bits and lone surrogates used to give "Unable to cast … to C++ type '?'" with no name.
    triage = kefu.default_policy()
    good = dict(business="mall", channel="phone", category="quality_defect", received_at="2026-03-02T10:00:00+08:00")
    assert raised(lambda: triage.triage({**good, "repeat_complaints": 2**63})) == (
        "ParseError", "kefu.rules.bad_value",
        "fact 'repeat_complaints': the number 9223372036854775808 is out of range (whole numbers between "
        "-9223372036854775808 and 9223372036854775807)")
    assert raised(lambda: triage.triage({**good, "text": "ab\udc80"})) == (
        "ParseError", "kefu.rules.bad_value", "fact 'text': the text is not valid Unicode (it holds a lone surrogate)")
    p = kefu.DecisionPolicy.from_yaml(
        "policy: o\nhit_policy: first\ninputs:\n  a: int\noutputs:\n  ok: bool\nrules:\n"
        "  - {id: R, when: a > 1, then: {ok: true}}\ndefault: {ok: false}\n", "o.yaml")
    for batch in (p.evaluate_many, p.evaluate_columns):
        kind, id, message = raised(lambda: batch([{"a": 1}, {"a": 2**64}]))
        assert (kind, id) == ("ParseError", "kefu.rules.bad_value")
        assert message.startswith("row 1: input 'a': the number 18446744073709551616 is out of range")
