"""DecisionPolicy.evaluate_columns: a batch in as a DataFrame, a dict of columns or a list of dicts; the
decisions out as numpy columns, equal row by row to evaluate_many's Decision objects."""

import datetime as dt
import random
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kefu

ROOT = Path(__file__).resolve().parents[2]
POLICY = ROOT / "tests" / "data" / "policies" / "refund.yaml"
TABLE_30 = ROOT / "benchmarks" / "data" / "refund_30.yaml"
DEFAULTS = sorted(p for p in Path(kefu.default_rules_dir()).glob("*.yaml") if p.read_text(encoding="utf-8").startswith(("policy:", "#")) and "\npolicy:" in "\n" + p.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def policy() -> kefu.DecisionPolicy:
    return kefu.DecisionPolicy.load(POLICY)


def facts(**changes):
    base = dict(business="mall", category="quality_defect", days_since_purchase=3, claimed_amount="100.00", has_receipt=True)
    base.update(changes)
    return base


def as_columns(rows, names):
    return {name: [r.get(name) for r in rows] for name in names}


def assert_same(policy, cols, decisions):
    """The columns say, row by row, what the Decision objects say."""
    assert len(cols) == len(decisions)
    assert cols.rule_id.tolist() == [d.rule_id for d in decisions]
    assert cols.rule_ids == [d.rule_ids for d in decisions]
    assert cols.by_default.tolist() == [d.by_default for d in decisions]
    ids = [r.id for r in policy.rules]
    assert [ids[i] if i >= 0 else None for i in cols.rule_index.tolist()] == [d.rule_id for d in decisions]
    offsets, rules = cols.match_offsets.tolist(), cols.match_rules.tolist()
    assert [[ids[k] for k in rules[offsets[i]:offsets[i + 1]]] for i in range(len(decisions))] == [d.rule_ids for d in decisions]
    assert list(cols.outputs) == [f.name for f in policy.outputs]
    for name, column in cols.outputs.items():
        assert column.tolist() == [d.outputs[name] for d in decisions], name


def outcome(fn):
    try:
        return fn()
    except kefu.Error as e:
        return (type(e).__name__, str(e))


# ---- agreement with evaluate_many ------------------------------------------------------------


def value_strategy(field: kefu.Field, optional: bool):
    t = field.type
    if t == "bool":
        s = st.booleans()
    elif t == "int":
        s = st.integers(-3, 400)
    elif t == "money":
        s = st.integers(0, 150_001).flatmap(lambda fen: st.sampled_from(
            [f"{fen // 100}.{fen % 100:02d}", kefu.Money.from_fen(fen), Decimal(fen) / 100, fen // 100]))
    elif t == "decimal":
        s = st.integers(0, 10**7).map(lambda m: Decimal(m) / 10**6)
    elif t == "enum":
        s = st.sampled_from(field.values)
    elif t == "set":
        s = st.frozensets(st.sampled_from(field.values))
    elif t == "text":
        s = st.sampled_from(["", "我要投诉你们", "要去微博曝光", "打了１２３１５热线", "订单4123159876", "吃了拉肚子住院了",
                             "律师函已经寄出", "态度差", "hello"])
    elif t == "date":
        s = st.dates(dt.date(2025, 1, 1), dt.date(2026, 12, 31))
    elif t == "duration":
        s = st.integers(0, 10**6).map(lambda x: dt.timedelta(seconds=x))
    else:
        raise AssertionError(f"no strategy for {t}")
    return st.one_of(st.none(), s) if optional else s


def rows_strategy(policy: kefu.DecisionPolicy):
    fields = {f.name: value_strategy(f, f.default is not None) for f in policy.inputs}
    return st.lists(st.fixed_dictionaries(fields), min_size=0, max_size=40)


def check_agreement(policy, rows):
    names = [f.name for f in policy.inputs]
    many = outcome(lambda: policy.evaluate_many(rows))
    for data in (rows, as_columns(rows, names)):
        cols = outcome(lambda: policy.evaluate_columns(data))
        if isinstance(many, tuple):
            assert cols == many
        else:
            assert_same(policy, cols, many)


@pytest.mark.parametrize("path", DEFAULTS, ids=lambda p: p.name)
def test_default_policies_agree_with_evaluate_many(path):
    policy = kefu.DecisionPolicy.load(path)

    @settings(max_examples=25, deadline=None, derandomize=True)
    @given(rows_strategy(policy))
    def agree(rows):
        check_agreement(policy, rows)

    agree()


def test_the_default_policies_are_all_covered():
    assert [p.name for p in DEFAULTS] == ["actions.yaml", "customer-value.yaml", "escalation.yaml", "refund.yaml", "risk.yaml",
                                          "service-calendar.yaml", "sla-targets.yaml", "tiers.yaml"]


def benchmark_rows(n, seed):
    """Tickets like benchmarks/rules_peers.py's (every input given)."""
    policy = kefu.DecisionPolicy.load(TABLE_30)
    r = random.Random(seed)
    rows = []
    for _ in range(n):
        row = {}
        for f in policy.inputs:
            if f.type == "enum":
                row[f.name] = r.choice(f.values)
            elif f.type == "bool":
                row[f.name] = r.random() < 0.5
            elif f.type == "int":
                row[f.name] = r.choice([r.randrange(17), r.randrange(401), r.randrange(5)])
            elif f.type == "money":
                fen = r.choice([r.randrange(150_001), 20000, 20001, 30000, 30001, 50000, 50001, 100000, 100001])
                row[f.name] = f"{fen // 100}.{fen % 100:02d}"
        rows.append(row)
    return policy, rows


def test_benchmark_table_agrees_in_every_input_form():
    policy, rows = benchmark_rows(3000, 7)
    many = policy.evaluate_many(rows)
    assert len({d.rule_id for d in many}) >= 25  # most rules decide some row
    frame = pd.DataFrame(rows)
    typed = {name: np.asarray(frame[name]) if frame[name].dtype != object else frame[name].tolist() for name in frame}
    categorical = {name: (frame[name].astype("category") if frame[name].dtype == object or str(frame[name].dtype).startswith("str")
                          else frame[name]) for name in frame}
    for data in (rows, tuple(rows), as_columns(rows, frame.columns), frame, typed, categorical, pd.DataFrame(categorical)):
        assert_same(policy, policy.evaluate_columns(data), many)


@settings(max_examples=30, deadline=None, derandomize=True)
@given(st.integers(0, 2**32), st.integers(0, 60))
def test_benchmark_table_agrees_randomized(seed, n):
    policy, rows = benchmark_rows(n, seed)
    check_agreement(policy, rows)


def test_collect_lists_every_matched_rule():
    policy = kefu.DecisionPolicy.load(Path(kefu.default_rules_dir()) / "risk.yaml")
    base = dict(category="quality_defect", text="", claimed_amount="100", collective=False, repeat_complaints=0, vip=False,
                cold_chain_break_confirmed=False, counterfeit_suspected=False)
    rows = [base, {**base, "text": "我要起诉, 还要去微博曝光"}, {**base, "text": "我要起诉"}]
    many = policy.evaluate_many(rows)
    cols = policy.evaluate_columns(rows)
    assert_same(policy, cols, many)
    assert len(cols.rule_ids[1]) >= 2 and cols.rule_ids[0] == many[0].rule_ids
    frame = cols.to_pandas()
    assert list(frame.columns) == ["level", "actions", "rule_id", "rule_ids"]
    assert frame["rule_ids"].tolist() == [d.rule_ids for d in many]


# ---- columns and their types -------------------------------------------------------------------

TYPED = """
policy: typed
inputs:
  kind: {type: enum, values: [a, b, c]}
  note: {type: text, default: ""}
outputs:
  ok: bool
  count: int
  wait: duration
  due: date
  amount: money
  rate: decimal
  label: {type: enum, values: [low, high]}
  roles: {type: set, values: [agent, qc]}
  within: deadline
  maybe: int
rules:
  - id: A
    when: kind == a
    then: {ok: true, count: 3, wait: 2h, due: 2026-02-14, amount: "12.50", rate: "0.85", label: high, roles: [agent, qc],
           within: 3 workdays, maybe: 7}
  - id: B
    when: kind == b and contains_any(note, words)
    then: {ok: false, count: -1, wait: 90s, due: 2026-03-01, amount: "0", rate: "1", label: low, roles: [], within: 24h}
keywords:
  words: [急]
default: {ok: false, count: 0, wait: 0s, due: 2026-01-01, amount: "1", rate: "0", label: low, roles: [qc], within: 4 business hours}
"""


def test_typed_columns():
    policy = kefu.DecisionPolicy.from_yaml(TYPED, "typed.yaml")
    rows = [{"kind": "a"}, {"kind": "b", "note": "很急"}, {"kind": "c"}, {"kind": "b"}]
    cols = policy.evaluate_columns(rows)
    assert_same(policy, cols, policy.evaluate_many(rows))
    out = cols.outputs
    assert {name: str(a.dtype) for name, a in out.items()} == {
        "ok": "bool", "count": "int64", "wait": "timedelta64[s]", "due": "datetime64[D]", "amount": "object",
        "rate": "object", "label": "object", "roles": "object", "within": "object", "maybe": "object"}
    assert out["count"].tolist() == [3, -1, 0, 0]
    assert out["wait"].tolist() == [dt.timedelta(hours=2), dt.timedelta(seconds=90), dt.timedelta(0), dt.timedelta(0)]
    assert out["due"].tolist() == [dt.date(2026, 2, 14), dt.date(2026, 3, 1), dt.date(2026, 1, 1), dt.date(2026, 1, 1)]
    assert out["amount"].tolist() == [kefu.Money("12.50"), kefu.Money("0"), kefu.Money("1"), kefu.Money("1")]
    assert out["rate"].tolist() == [Decimal("0.85"), Decimal("1"), Decimal("0"), Decimal("0")]
    assert out["label"].tolist() == ["high", "low", "low", "low"]
    assert out["roles"].tolist() == [frozenset({"agent", "qc"}), frozenset(), frozenset({"qc"}), frozenset({"qc"})]
    assert out["within"].tolist() == ["3 workdays", "24h", "4 business hours", "4 business hours"]
    assert out["maybe"].tolist() == [7, None, None, None]  # some rule leaves it unset: an object column
    assert cols["label"] is out["label"]
    assert cols.codes("label").tolist() == [1, 0, 0, 0] and cols.codes("label").dtype == np.int32
    assert cols.rule_id.tolist() == ["A", "B", None, None]
    assert cols.rule_index.tolist() == [0, 1, -1, -1] and cols.rule_index.dtype == np.int32
    assert cols.by_default.tolist() == [False, False, True, True]
    assert cols.match_offsets.tolist() == [0, 1, 2, 2, 2] and cols.match_rules.tolist() == [0, 1]
    assert repr(cols) == ("DecisionColumns(policy 'typed', 4 rows; outputs ok, count, wait, due, amount, rate, label, roles, "
                          "within, maybe)")
    with pytest.raises(KeyError, match="no output 'nope' in policy 'typed'"):
        cols["nope"]
    with pytest.raises(TypeError, match="^output 'count' is int, not enum: codes are for enum outputs$"):
        cols.codes("count")
    # The decisions of evaluate_many report deadlines by their spelling too (they were None).
    assert policy.evaluate({"kind": "a"}).outputs["within"] == "3 workdays"


def test_to_pandas_keeps_the_index_and_can_make_categoricals(policy):
    frame = pd.DataFrame([facts(days_since_purchase=n) for n in (1, 9, 3)], index=["T1", "T2", "T3"])
    cols = policy.evaluate_columns(frame)
    assert cols.index.tolist() == ["T1", "T2", "T3"]
    out = cols.to_pandas()
    assert list(out.columns) == ["decision", "reason", "rule_id"] and out.index.tolist() == ["T1", "T2", "T3"]
    assert out["decision"].tolist() == ["refund", "deny", "refund"]
    assert out.equals(policy.evaluate(frame))  # what evaluate(DataFrame) returns
    cat = cols.to_pandas(categorical=True)
    assert isinstance(cat["decision"].dtype, pd.CategoricalDtype)
    assert cat["decision"].cat.categories.tolist() == ["refund", "exchange", "deny", "manual_review"]
    assert cat["decision"].tolist() == ["refund", "deny", "refund"]
    assert policy.evaluate_columns(frame.to_dict("records")).to_pandas(index=[7, 8, 9]).index.tolist() == [7, 8, 9]


def test_inputs_in_many_forms(policy):
    n = 6
    columns = {
        "business": pd.Series(["mall"] * n, dtype="category"),
        "category": pd.array(["quality_defect", "billing_error"] * 3, dtype="string"),
        "days_since_purchase": np.arange(n, dtype=np.int16) * 2,
        "claimed_amount": np.array([100, 200, 300, 400, 500, 600]),  # ints are whole yuan
        "has_receipt": np.array([True, True, False, True, True, True]),
        "used": pd.array([None, True, None, False, None, None], dtype="boolean"),  # missing: the default
        "text": (t for t in ["", None, "微博上曝光", float("nan"), "", ""]),  # any iterable
    }
    cols = policy.evaluate_columns(columns)
    rows = [{k: v for k, v in zip(["business", "category", "days_since_purchase", "claimed_amount", "has_receipt", "used", "text"], vals)}
            for vals in zip(["mall"] * n, ["quality_defect", "billing_error"] * 3, [0, 2, 4, 6, 8, 10], [100, 200, 300, 400, 500, 600],
                            [True, True, False, True, True, True], [None, True, None, False, None, None], ["", None, "微博上曝光", None, "", ""])]
    assert_same(policy, cols, policy.evaluate_many(rows))
    assert cols.rule_id.tolist() == ["R-QUALITY-7D", "R-BILLING", "R-MEDIA", "R-BILLING", None, "R-BILLING"]
    # Inputs with a default may be left out altogether; empty batches give empty columns.
    assert policy.evaluate_columns({k: v for k, v in as_columns([facts()], policy_names(policy)).items() if k not in ("used", "text")}).rule_id.tolist() == ["R-QUALITY-7D"]
    empty = policy.evaluate_columns([])
    assert len(empty) == 0 and empty.outputs["decision"].tolist() == [] and empty.match_offsets.tolist() == [0]
    assert len(policy.evaluate_columns(pd.DataFrame(columns=["business"]))) == 0


def policy_names(policy):
    return [f.name for f in policy.inputs]


# ---- errors: as evaluate_many's, naming the row and the input --------------------------------


def errors_of(policy, rows, forms=("rows", "columns", "frame")):
    """The error each input form raises, checked to be evaluate_many's own."""
    expected = outcome(lambda: policy.evaluate_many(rows))
    assert isinstance(expected, tuple), "expected an error"
    names = list(dict.fromkeys(k for r in rows for k in r))
    data = {"rows": rows, "columns": as_columns(rows, names), "frame": pd.DataFrame(as_columns(rows, names), dtype=object)}
    for form in forms:
        assert outcome(lambda: policy.evaluate_columns(data[form])) == expected, form
    return expected


def test_bad_values_name_the_row_and_input(policy):
    assert errors_of(policy, [facts(), facts(), facts(claimed_amount=100.5)]) == (
        "ParseError", "row 2: input 'claimed_amount': money cannot be a float (inexact); pass text, a Decimal or kefu.Money"
        " (a CSV read by pandas.read_csv gives floats: read it with kefu.read_tickets(path), or "
        "pd.read_csv(path, dtype={'claimed_amount': str}))")
    assert errors_of(policy, [facts(), facts(business="malls")]) == (
        "ParseError", "row 1: input 'business': 'malls' is not one of ecommerce, mall, smart_counter, fresh (did you mean 'mall'?)")
    assert errors_of(policy, [facts(has_receipt=1)]) == ("ParseError", "row 0: input 'has_receipt': expected a bool, got int")
    assert errors_of(policy, [facts(), facts(claimed_amount="12.345")]) == (
        "ParseError", "row 1: input 'claimed_amount': bad amount '12.345': more than two decimal places (amounts are exact to the fen)")
    assert errors_of(policy, [facts(), facts(days_since_purchase="3天")])[1].startswith("row 1: input 'days_since_purchase': ")


def test_missing_inputs_name_the_row(policy):
    assert errors_of(policy, [facts(), facts(), facts(has_receipt=None)]) == (
        "Error", "row 2: policy 'refund-test': missing input(s) has_receipt")
    assert errors_of(policy, [facts(has_receipt=None, days_since_purchase=None)]) == (
        "Error", "row 0: policy 'refund-test': missing input(s) days_since_purchase, has_receipt")
    # A whole column left out: every row misses it.
    no_receipt = [{k: v for k, v in facts().items() if k != "has_receipt"}] * 2
    assert errors_of(policy, no_receipt) == ("Error", "row 0: policy 'refund-test': missing input(s) has_receipt")
    # The first row at fault wins, whatever the column order; in one row, a bad value before missing inputs.
    assert errors_of(policy, [facts(), facts(has_receipt=None), facts(business="x")])[1] == (
        "row 1: policy 'refund-test': missing input(s) has_receipt")
    assert errors_of(policy, [facts(), facts(has_receipt=None, business="x")])[1].startswith("row 1: input 'business': 'x' is not one of")
    assert errors_of(policy, [facts(), facts(has_receipt=None, business="x", category="y")])[1].startswith(
        "row 1: input 'business': 'x' is not one of")


def test_unknown_inputs(policy):
    rows = [facts(), dict(facts(), catgory="x")]
    message = "policy 'refund-test': unknown input 'catgory' (did you mean 'category'?)"
    assert errors_of(policy, rows, forms=("rows",)) == ("Error", "row 1: " + message)
    # A column is not a row: with strict=True, the input is unknown for the whole batch.
    for data in (as_columns(rows, ["business", "catgory"]), pd.DataFrame({"catgory": ["x"]})):
        with pytest.raises(kefu.Error) as e:
            policy.evaluate_columns(data, strict=True)
        assert str(e.value) == message
    # By default a frame's (or dict's) other columns are ignored: ids, names, notes ride along unread.
    frame = pd.DataFrame([facts(), facts(claimed_amount="80")])
    extra = frame.assign(ticket_id=["T-1", "T-2"], catgory="x")
    assert list(policy.evaluate_columns(extra).rule_id) == list(policy.evaluate_columns(frame).rule_id)
    assert policy.evaluate(extra).equals(policy.evaluate(frame))
    with pytest.raises(kefu.Error, match=r"^row 0: policy 'refund-test': unknown input 'ticket_id'"):
        policy.evaluate(extra, strict=True)


def test_evaluation_errors_name_the_row():
    strict = kefu.DecisionPolicy.from_yaml(
        "policy: strict\nhit_policy: unique\ninputs: {n: int}\noutputs: {ok: bool}\nrules:\n"
        "  - {id: LOW, when: n < 5, then: {ok: true}}\n  - {id: MID, when: n > 3 and n < 10, then: {ok: false}}\n",
        "strict.yaml")
    assert errors_of(strict, [{"n": 1}, {"n": 20}]) == ("Error", "row 1: policy 'strict': no rule matches and there is no default")
    assert errors_of(strict, [{"n": 1}, {"n": 2}, {"n": 4}]) == (
        "Error", "row 2: policy 'strict' (hit policy unique): rules LOW and MID both match")
    assert strict.evaluate_columns({"n": np.array([1, 2, 6])}).outputs["ok"].tolist() == [True, True, False]


def test_malformed_batches(policy):
    good = as_columns([facts()] * 3, policy_names(policy)[:5])
    with pytest.raises(ValueError, match=r"^column 'days_since_purchase' has 2 values, column 'business' has 3$"):
        policy.evaluate_columns({**good, "days_since_purchase": [1, 2]})
    with pytest.raises(TypeError, match=r"^column 'business': expected a sequence of values \(list, numpy array or pandas Series\), got str$"):
        policy.evaluate_columns({**good, "business": "mall"})
    with pytest.raises(TypeError, match=r"^column 'days_since_purchase': expected a sequence of values \(list, numpy array or pandas Series\), got int$"):
        policy.evaluate_columns({**good, "days_since_purchase": 3})
    with pytest.raises(TypeError, match=r"^column 'days_since_purchase': expected one value per row \(a 1-dimensional array\), got 2 dimensions$"):
        policy.evaluate_columns({**good, "days_since_purchase": np.zeros((3, 1), dtype=np.int64)})
    with pytest.raises(TypeError, match=r"^evaluate_columns: expected a pandas DataFrame, a dict of columns or a list of dicts, got int$"):
        policy.evaluate_columns(3)
    with pytest.raises(TypeError, match=r"^facts must be a dict of name to value, got int$"):
        policy.evaluate_columns([facts(), 3])
    with pytest.raises(ValueError, match=r"^column 'business' is given twice$"):
        policy.evaluate_columns(pd.DataFrame([["mall", "fresh"]], columns=["business", "business"]))
    # int columns are ints: floats (as pandas makes an int column with NaN) are refused, not rounded.
    with pytest.raises(kefu.ParseError, match=r"^row 0: input 'days_since_purchase': expected an int, got float$"):
        policy.evaluate_columns({**good, "days_since_purchase": np.array([3.0, np.nan, 4.0])})
