"""The per-call fast entries (bindings/python/fastcall.hpp): Calendar.add, DecisionPolicy.evaluate and Policy.triage
answer and fail exactly as the pybind11 methods they stand in front of (kept as `_<name>_general`), for the calls
they take themselves and for the ones they hand over (keywords, other argument types, errors)."""

import collections
import datetime as dt
from pathlib import Path

import pytest

import kefu

CST = dt.timezone(dt.timedelta(hours=8))
POLICY = Path(__file__).resolve().parents[1] / "data" / "policies" / "refund.yaml"
office = kefu.Calendar.builtin("cn-office")
mainland = kefu.Calendar.builtin("cn-mainland")


def _error(call):
    with pytest.raises(Exception) as info:
        call()
    return type(info.value), str(info.value), getattr(info.value, "id", None)


def test_the_fast_entries_are_installed_with_the_general_methods_help():
    for cls, name in ((kefu.Calendar, "add"), (kefu.DecisionPolicy, "evaluate"), (kefu.Policy, "triage")):
        assert type(vars(cls)[name]).__name__ == "method_descriptor"
        assert getattr(cls, name).__doc__ == getattr(cls, f"_{name}_general").__doc__
        assert getattr(cls, name).__doc__.startswith(f"{name}(self: ")


@pytest.mark.parametrize("t", [dt.datetime(2026, 9, 30, 17, 30), dt.datetime(2026, 9, 30, 17, 30, tzinfo=CST),
                               dt.datetime(2026, 9, 30, 9, 30, tzinfo=dt.timezone.utc)])
@pytest.mark.parametrize("spec", ["4 business hours", "3 workdays", "24h"])
def test_calendar_add_answers_as_the_general_method(t, spec):
    d = kefu.Duration(spec)
    got = office.add(t, d)
    assert got == office._add_general(t, d) == office.add(t, spec) == office.add(t=t, spec=d)
    assert (got.tzinfo is None) == (t.tzinfo is None)


def test_calendar_add_exact_deadlines_through_the_fast_entry():
    # DOM-SLA-4: the National Day holiday 2026-10-01…07 is skipped: half an hour on Sep 30, then Oct 8 from 09:00
    # with the lunch break; the third working day after Sep 30 is Sat Oct 10, a make-up workday (调休), and a
    # working-day deadline falls at the end of that day.
    assert office.add(dt.datetime(2026, 9, 30, 17, 30), kefu.Duration("4 business hours")) == dt.datetime(2026, 10, 8, 14, 0)
    assert mainland.add(dt.datetime(2026, 9, 30, 10, 0), kefu.Duration("3 workdays")) == dt.datetime(2026, 10, 11, 0, 0)


def test_calendar_add_errors_are_the_general_methods():
    late = dt.datetime(2035, 12, 31, 12, 0)
    fast = _error(lambda: mainland.add(late, kefu.Duration("3 workdays")))
    assert fast == _error(lambda: mainland._add_general(late, kefu.Duration("3 workdays")))
    assert fast[0] is not TypeError and "2035" in fast[1]
    assert _error(lambda: office.add(late)) == _error(lambda: office._add_general(late))
    assert _error(lambda: office.add("2026-01-01", "3 workdays"))[0] is TypeError


def test_calendar_add_hands_other_argument_kinds_to_the_general_method():
    # The fast entry takes exact kefu.Duration and Calendar instances and datetime.timezone offsets; a subclass and
    # other tzinfo kinds go to the general method, which answers the same.
    from zoneinfo import ZoneInfo

    class Later(kefu.Duration):
        pass

    t = dt.datetime(2026, 9, 30, 17, 30, tzinfo=CST)
    assert office.add(t, Later("4 business hours")) == office._add_general(t, kefu.Duration("4 business hours"))
    shanghai = dt.datetime(2026, 9, 30, 17, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert office.add(shanghai, kefu.Duration("4 business hours")) == dt.datetime(2026, 10, 8, 14, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(scope="module")
def refund() -> kefu.DecisionPolicy:
    return kefu.DecisionPolicy.load(POLICY)


def _facts(**changes):
    base = dict(business="mall", category="quality_defect", days_since_purchase=3, claimed_amount=kefu.Money("100"),
                has_receipt=True)
    base.update(changes)
    return base


class _Name(str):
    pass


@pytest.mark.parametrize("changes", [{}, dict(category="service_attitude"), dict(claimed_amount="1000.50"),
                                     dict(category=_Name("quality_defect")), dict(days_since_purchase=400)])
def test_evaluate_answers_as_the_general_method(refund, changes):
    facts = _facts(**changes)
    fast, general = refund.evaluate(facts), refund._evaluate_general(facts)
    assert (fast.rule_id, fast.outputs) == (general.rule_id, general.outputs)
    ordered = refund.evaluate(collections.OrderedDict(facts))  # not an exact dict: the general method reads it
    assert (ordered.rule_id, ordered.outputs) == (general.rule_id, general.outputs)
    traced = refund.evaluate(facts, trace=True)
    assert traced.rule_id == general.rule_id


@pytest.mark.parametrize("changes", [dict(category="quality_defekt"), dict(colour="red"), dict(days_since_purchase=2**70),
                                     dict(has_receipt="maybe"), dict(claimed_amount="12.345")])
def test_evaluate_errors_are_the_general_methods(refund, changes):
    facts = _facts(**changes)
    fast = _error(lambda: refund.evaluate(facts))
    assert fast == _error(lambda: refund._evaluate_general(facts))
    assert fast[0] is not SystemError


def test_evaluate_missing_input_is_named(refund):
    facts = _facts()
    del facts["has_receipt"]
    kind, message, error_id = _error(lambda: refund.evaluate(facts))
    assert "missing input(s) has_receipt" in message and error_id == "kefu.rules.missing_input"


@pytest.fixture(scope="module")
def policy() -> kefu.Policy:
    return kefu.default_policy()


def _ticket(**changes):
    base = dict(business="mall", channel="phone", category="quality_defect", received_at=dt.datetime(2026, 3, 2, 10, tzinfo=CST),
                claimed_amount="199.00", text="质量问题，要求退货", repeat_complaints=1)
    base.update(changes)
    return base


def _due(result):
    d = result.deadlines
    return [repr(x) for x in (d.first_response, d.resolution, d.follow_up)]


@pytest.mark.parametrize("changes", [{}, dict(text="孩子吃了以后腹泻住院了"), dict(category=_Name("consultation")),
                                     dict(repeat_complaints=0, claimed_amount=kefu.Money("5000"))])
def test_triage_answers_as_the_general_method(policy, changes):
    facts = _ticket(**changes)
    fast, general = policy.triage(facts), policy._triage_general(facts)
    assert (fast.risk.level, fast.tier, fast.owners, _due(fast), fast.refund.decision, repr(fast.actions)) == \
        (general.risk.level, general.tier, general.owners, _due(general), general.refund.decision, repr(general.actions))
    assert fast.explain() == general.explain()


@pytest.mark.parametrize("changes", [dict(repeat_complaints=-1), dict(claimed_amount="-5"), dict(days_since_purchase=3),
                                     dict(channel="pigeon"), dict(received_at="yesterday")])
def test_triage_errors_are_the_general_methods(policy, changes):
    # The facts vocabulary refuses negative counts and amounts and derived facts given as input.
    facts = _ticket(**changes)
    fast = _error(lambda: policy.triage(facts))
    assert fast == _error(lambda: policy._triage_general(facts))
    assert fast[0] is not SystemError and fast[1]


def test_triage_negative_count_message(policy):
    kind, message, error_id = _error(lambda: policy.triage(_ticket(repeat_complaints=-1)))
    assert "repeat_complaints" in message and "-1" in message
    kind, message, error_id = _error(lambda: policy.triage(_ticket(days_since_purchase=3)))
    assert message.startswith("fact 'days_since_purchase' is derived") and error_id == "kefu.rules.derived_fact"
