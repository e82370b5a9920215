"""Policy.triage keeps a compact triage and spells each attribute out when it is read (docs/architecture.md,
"Decision: compact triage results"): every attribute, through risk, deadlines, targets, refund and actions, must be
what the step-by-step triage gives (the path explain() takes, Policy._triage_reference), for every shipped ticket
and for edge facts."""

import datetime as dt

import pytest

import kefu
from kefu.tickets import read_tickets

CST = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture(scope="module")
def policy() -> kefu.Policy:
    return kefu.default_policy()


@pytest.fixture(scope="module")
def tickets(policy) -> list[dict]:
    names = {f.name for f in policy.facts}
    return [{k: v for k, v in r.items() if k in names} for r in read_tickets(kefu.default_data_path())]


def deadline(d):
    if d is None:
        return None
    return (type(d), d.what, d.within, d.calendar, d.due, d.due.utcoffset(), d.rule_id, d.source, d.provisional, repr(d))


def action(a):
    return (type(a), a.code, a.description, a.owners, a.policy, a.rule_id, a.source, deadline(a.deadline), repr(a))


def spelled(r) -> dict:
    """Every attribute of a TriageResult, recursively, with the types of the values."""
    risk, refund, due = r.risk, r.refund, r.deadlines
    out = {
        "risk": (type(risk), risk.level, repr(risk),
                 [(type(s), s.rule_id, s.level, s.description, s.source, s.words, repr(s)) for s in risk.signals]),
        "deadlines": (type(due), deadline(due.first_response), deadline(due.resolution), deadline(due.follow_up)),
        "targets": [deadline(t) for t in r.targets],
        "refund": (type(refund), refund.decision, refund.rule_id, refund.reason, refund.source, repr(refund)),
        "actions": [action(a) for a in r.actions],
        "repr": repr(r),
    }
    for name in ("tier", "tier_rules", "owners", "follow_up_required", "report_required", "priority_routing",
                 "customer_tier", "customer_tier_computed", "days_since_purchase"):
        value = getattr(r, name)
        out[name] = (type(value), value)
    return out


def test_every_shipped_ticket_is_spelled_as_the_step_by_step_triage(policy, tickets):
    assert len(tickets) == 3000
    seen = {"signals": 0, "follow_up": 0, "no_follow_up": 0, "actions": 0, "targets": 0}
    for i, facts in enumerate(tickets):
        compact, reference = policy.triage(facts), policy._triage_reference(facts)
        assert type(compact) is kefu.TriageResult
        assert spelled(compact) == spelled(reference), f"ticket {i}"
        seen["signals"] += len(reference.risk.signals)
        seen["follow_up" if reference.deadlines.follow_up else "no_follow_up"] += 1
        seen["actions"] += len(reference.actions)
        seen["targets"] += len(reference.targets)
    # The tickets reach every part that is spelled out when read (each has a purchase date: the edge facts below
    # leave it out).
    assert all(seen.values()), seen


def test_a_list_of_tickets_is_spelled_as_one_at_a_time(policy, tickets):
    some = tickets[:300]
    assert [spelled(r) for r in policy.triage(some)] == [spelled(policy._triage_reference(f)) for f in some]


def base(**changes):
    facts = dict(business="mall", channel="phone", category="quality_defect",
                 received_at=dt.datetime(2026, 3, 2, 10, tzinfo=CST))
    facts.update(changes)
    return facts


@pytest.mark.parametrize("facts", [
    base(),  # only the required facts: defaults everywhere, no purchase date, no customer tier
    base(category="consultation", channel="online"),
    base(text="孩子吃了以后腹泻住院了，要去微博曝光", collective=True),  # critical: signals with words, actions
    base(received_at=dt.datetime(2029, 9, 28, 17, 30, tzinfo=CST), purchased_at=dt.date(2029, 9, 20)),  # provisional
    base(received_at=dt.datetime(2026, 9, 30, 17, 30)),  # naive: the policy's zone; the National Day holiday
    base(spend_12m=kefu.Money("12000"), orders_12m=30, repurchase_rate=0.6, complaints_12m=0),  # tier computed (DOM-CH-3)
    base(customer_tier="A", vip=True, business="ecommerce", channel="email"),  # priority routing (DOM-ESC-5)
    base(business="fresh", category="cold_chain_break", item_class="cold_chain", cold_chain_break_confirmed=True),
])
def test_edge_facts_are_spelled_as_the_step_by_step_triage(policy, facts):
    compact, reference = policy.triage(facts), policy._triage_reference(facts)
    assert spelled(compact) == spelled(reference)
    assert compact.explain() == reference.explain()


def test_edge_facts_reach_what_they_are_there_for(policy):
    assert policy.triage(base()).days_since_purchase is None
    assert policy.triage(base()).customer_tier is None
    assert policy.triage(base(category="consultation", channel="online")).deadlines.follow_up is None
    late = policy.triage(base(received_at=dt.datetime(2029, 9, 28, 17, 30, tzinfo=CST)))
    assert late.deadlines.resolution.provisional  # DOM-SLA-8
    computed = policy.triage(base(spend_12m=kefu.Money("12000"), orders_12m=30, repurchase_rate=0.6, complaints_12m=0))
    assert computed.customer_tier_computed and computed.customer_tier is not None
    critical = policy.triage(base(text="孩子吃了以后腹泻住院了，要去微博曝光"))
    assert critical.risk.level == "critical" and any(s.words for s in critical.risk.signals) and critical.actions


def test_attributes_read_twice_give_equal_fresh_objects(policy):
    # As before the compact result: each read builds the value again, equal to the last.
    r = policy.triage(base(text="孩子吃了以后腹泻住院了"))
    assert spelled(r) == spelled(r)
    assert r.risk is not r.risk and r.owners is not r.owners
