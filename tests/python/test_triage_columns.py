"""Columnar triage (Policy.triage_columns, and Policy.triage of a DataFrame): every row as Policy.triage
triages its dict, from a DataFrame, a pyarrow Table or a dict of numpy columns; errors name the first bad row."""

import datetime as dt

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kefu
from kefu.tickets import read_tickets

CST = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture(scope="module")
def policy() -> kefu.Policy:
    return kefu.default_policy()


@pytest.fixture(scope="module")
def rows(policy):
    names = {f.name for f in policy.facts}
    return [{k: v for k, v in r.items() if k in names} for r in read_tickets(kefu.default_data_path())][:600]


def expect_equal(frame: pd.DataFrame, results: list) -> None:
    """Every column of the columnar triage equals the per-ticket results, row for row."""
    assert len(frame) == len(results)
    assert list(frame["risk_level"]) == [r.risk.level for r in results]
    assert list(frame["risk_signals"]) == [[s.rule_id for s in r.risk.signals] for r in results]
    assert list(frame["tier"]) == [r.tier for r in results]
    assert list(frame["tier_rules"]) == [list(r.tier_rules) for r in results]
    assert list(frame["owners"]) == [list(r.owners) for r in results]
    assert list(frame["first_response_due"]) == [r.deadlines.first_response.due for r in results]
    assert list(frame["resolution_due"]) == [r.deadlines.resolution.due for r in results]
    assert [None if pd.isna(x) else x for x in frame["follow_up_due"]] == [
        r.deadlines.follow_up.due if r.deadlines.follow_up else None for r in results]
    assert list(frame["follow_up_required"]) == [r.follow_up_required for r in results]
    assert list(frame["report_required"]) == [r.report_required for r in results]
    assert list(frame["priority_routing"]) == [r.priority_routing for r in results]
    assert [None if pd.isna(x) else x for x in frame["customer_tier"]] == [r.customer_tier for r in results]
    assert list(frame["refund_decision"]) == [r.refund.decision for r in results]
    assert [x if isinstance(x, str) else None for x in frame["refund_rule_id"]] == [r.refund.rule_id for r in results]
    assert list(frame["refund_reason"]) == [r.refund.reason for r in results]
    assert list(frame["target_rules"]) == [[t.rule_id for t in r.targets] for r in results]
    provisional = [r.deadlines.first_response.provisional or r.deadlines.resolution.provisional
                   or bool(r.deadlines.follow_up and r.deadlines.follow_up.provisional)
                   or any(t.provisional for t in r.targets) for r in results]
    assert list(frame["deadlines_provisional"]) == provisional
    catalogue = kefu.default_policy().policies["actions"].inputs[0].values  # the column lists codes in its order
    assert list(frame["actions"]) == [sorted((a.code for a in r.actions), key=catalogue.index) for r in results]


def test_a_dataframe_a_table_and_a_dict_of_columns_triage_as_the_rows_do(policy, rows):
    results = policy.triage(rows)
    frame = pd.DataFrame(rows)
    expect_equal(policy.triage(frame), results)
    expect_equal(policy.triage_columns(frame, threads=1), results)
    expect_equal(policy.triage_columns(frame, threads=4), results)
    expect_equal(policy.triage_columns({k: frame[k].to_numpy() for k in frame.columns}), results)
    expect_equal(policy.triage_columns({k: frame[k].tolist() for k in frame.columns}), results)
    table = pa.Table.from_pandas(frame.assign(claimed_amount=frame.claimed_amount.map(str),
                                              order_amount=frame.order_amount.map(str)), preserve_index=False)
    expect_equal(policy.triage_columns(table), results)


def test_the_index_of_a_frame_is_kept(policy, rows):
    frame = pd.DataFrame(rows).set_index("ticket_id", drop=False)
    out = policy.triage_columns(frame)
    assert list(out.index) == list(frame.index)
    assert list(out.columns) == ["risk_level", "risk_signals", "tier", "owners", "first_response_due", "resolution_due",
                                 "follow_up_due", "deadlines_provisional", "follow_up_required", "report_required",
                                 "priority_routing", "customer_tier", "refund_decision", "refund_rule_id", "refund_reason", "tier_rules", "target_rules", "actions"]
    assert str(out["resolution_due"].dtype) == "datetime64[us, UTC+08:00]"


def test_datetime64_columns_naive_aware_and_nat(policy):
    base = {"business": ["mall"] * 3, "channel": ["phone"] * 3, "category": ["consultation"] * 3}
    aware = pd.Series(pd.to_datetime(["2026-03-02T10:00:00+08:00", "2026-03-02T02:00:00+00:00", "2026-03-03T09:30:00.750+08:00"],
                                     format="ISO8601", utc=True)).dt.tz_convert(CST)
    naive = pd.Series(pd.to_datetime(["2026-03-02T10:00:00", "2026-03-02T10:00:00", "2026-03-03T09:30:00.750"], format="ISO8601"))
    a = policy.triage_columns({**base, "received_at": aware})
    b = policy.triage_columns({**base, "received_at": naive})   # naive: Beijing time, as a naive datetime is read
    c = policy.triage_columns({**base, "received_at": naive.to_numpy().astype("datetime64[ms]")})
    one = policy.triage({"business": "mall", "channel": "phone", "category": "consultation",
                         "received_at": dt.datetime(2026, 3, 3, 9, 30, tzinfo=CST)})
    assert list(a["first_response_due"]) == list(b["first_response_due"]) == list(c["first_response_due"])
    assert a["first_response_due"].iloc[2] == one.deadlines.first_response.due  # the fraction of a second dropped
    with pytest.raises(kefu.Error, match=r"^row 1: missing fact\(s\) received_at$"):
        policy.triage_columns({**base, "received_at": pd.Series(pd.to_datetime(["2026-03-02T10:00:00", None, None]))})


def test_arrow_backed_text_with_missing_values_takes_the_default(policy):
    texts = pd.Series(["我要去微博曝光", None, "还好孩子没有受伤"], dtype="str")
    out = policy.triage_columns({"business": ["mall"] * 3, "channel": ["phone"] * 3, "category": ["consultation"] * 3,
                                 "received_at": [dt.datetime(2026, 3, 2, 10, tzinfo=CST)] * 3, "text": texts})
    assert list(out["risk_level"]) == ["high", "normal", "normal"]
    assert list(out["risk_signals"]) == [["RISK-MEDIA"], [], []]


def test_errors_name_the_first_bad_row_and_the_fact(policy, rows):
    frame = pd.DataFrame(rows[:50])
    bad = frame.copy()
    bad.loc[30, "purchased_at"] = dt.date(2030, 1, 1)   # after receipt: triage's error
    bad.loc[40, "repeat_complaints"] = -1                 # a value that cannot be read: refused before triage
    with pytest.raises(kefu.ParseError, match=r"^row 40: fact 'repeat_complaints' cannot be negative \(got -1\)$"):
        policy.triage_columns(bad)
    bad.loc[40, "repeat_complaints"] = 0
    with pytest.raises(kefu.Error, match=r"^row 30: fact 'purchased_at' \(2030-01-01\) is after the local date of received_at"):
        policy.triage_columns(bad)
    with pytest.raises(kefu.Error, match=r"^row 30: fact 'purchased_at'"):
        policy.triage(bad.to_dict("records"))
    with pytest.raises(kefu.Error, match=r"fact 'tier' is derived"):
        policy.triage_columns(frame.assign(tier="L1"))
    with pytest.raises(kefu.Error, match=r"unknown fact 'categroy' \(did you mean 'category'\?\)"):
        policy.triage_columns(frame.rename(columns={"category": "categroy"}), strict=True)
    # Not strict (the default), a misspelt column is another column: the fact it should have been is missing.
    with pytest.raises(kefu.Error, match=r"^row 0: missing fact\(s\) category"):
        policy.triage_columns(frame.rename(columns={"category": "categroy"}))
    with pytest.raises(ValueError, match=r"column 'channel' has 3 values, column 'business' has 2"):
        policy.triage_columns({"business": ["mall", "mall"], "channel": ["phone"] * 3})
    with pytest.raises(TypeError, match=r"expected a pandas DataFrame, a pyarrow Table or a dict of columns"):
        policy.triage_columns([{"business": "mall"}])


def test_an_empty_frame_gives_an_empty_frame(policy, rows):
    out = policy.triage_columns(pd.DataFrame(rows).iloc[:0])
    assert len(out) == 0
    assert "resolution_due" in out.columns


_CATEGORIES = ["consultation", "quality_defect", "refund_request", "safety_injury", "live_seafood_dead",
               "billing_error", "logistics_delay", "service_attitude", "cold_chain_break", "duplicate_charge"]
_TEXTS = ["", "我要投诉你们", "要去微博曝光", "打了１２３１５热线", "还好孩子没有受伤，就是包装破了", "吃了拉肚子住院了",
          "律师函已经寄出", "再不處理我就報警", "不会去微博曝光的，放心", "订单4123159876"]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.fixed_dictionaries({
    "business": st.sampled_from(["ecommerce", "mall", "smart_counter", "fresh"]),
    "channel": st.sampled_from(["phone", "online", "email", "wecom", "social", "store"]),
    "category": st.sampled_from(_CATEGORIES),
    "received_at": st.datetimes(min_value=dt.datetime(2025, 1, 1), max_value=dt.datetime(2028, 12, 31)).map(
        lambda d: d.replace(tzinfo=CST)),
    "days_before": st.integers(min_value=0, max_value=400),
    "text": st.sampled_from(_TEXTS),
    "claimed_amount": st.integers(min_value=0, max_value=5000),
    "has_receipt": st.booleans(),
    "vip": st.booleans(),
    "counterfeit_suspected": st.booleans(),
    "collective": st.booleans(),
    "repeat_complaints": st.integers(min_value=0, max_value=5),
    "customer_tier": st.sampled_from([None, "A", "B", "C", "D"]),
    # the customer value index (DOM-CH-3), all four or none
    "index": st.one_of(st.none(), st.tuples(st.integers(min_value=0, max_value=2_000_000), st.integers(0, 30),
                                            st.integers(0, 100), st.integers(0, 6))),
}), min_size=1, max_size=40))
def test_random_tickets_triage_as_one_at_a_time(policy, tickets):
    for t in tickets:
        t["purchased_at"] = (t["received_at"] - dt.timedelta(days=t.pop("days_before"))).date()
        if t["customer_tier"] is None:
            del t["customer_tier"]
        index = t.pop("index")
        if index is not None:
            fen, orders, percent, complaints = index
            # as text, so a frame's column with missing values stays a column of texts (not floats)
            t.update(spend_12m=f"{fen // 100}.{fen % 100:02d}", orders_12m=str(orders),
                     repurchase_rate=f"{percent / 100:.2f}", complaints_12m=str(complaints))
    frame = pd.DataFrame(tickets)
    expect_equal(policy.triage_columns(frame, threads=2), [policy.triage(t) for t in tickets])


def test_a_ticket_file_is_read_and_triaged_batch_by_batch(policy, tmp_path):
    from kefu.tickets import read_ticket_batches, read_ticket_table

    path = kefu.default_data_path()
    whole = policy.triage_columns(read_ticket_table(path))
    parts = [policy.triage_columns(b) for b in read_ticket_batches(path, rows=700)]
    assert [len(p) for p in parts] == [700, 700, 700, 700, 200]
    pd.testing.assert_frame_equal(pd.concat(parts), whole)
    table = read_ticket_table(path)
    table.to_parquet(tmp_path / "tickets.parquet")
    batches = list(read_ticket_batches(tmp_path / "tickets.parquet", rows=1000))
    assert [b.index[0] for b in batches] == [0, 1000, 2000]
    pd.testing.assert_frame_equal(pd.concat(policy.triage_columns(b) for b in batches), whole)
    with pytest.raises(ValueError, match=r"rows must be at least 1, got 0"):
        next(read_ticket_batches(path, rows=0))
    with pytest.raises(ValueError, match=r"tickets must be CSV"):
        next(read_ticket_batches(tmp_path / "tickets.xlsx"))


def test_a_frame_is_read_and_refused_as_its_rows_would_be(policy):
    base = {"business": "mall", "channel": "phone", "category": "consultation",
            "received_at": dt.datetime(2026, 3, 2, 10, tzinfo=CST)}

    def frame(**changes):
        return pd.DataFrame({k: [v] for k, v in {**base, **changes}.items()}, dtype=object)

    # A derived fact given no value is read as a dict holding None for it is; given a value, refused at its row.
    assert policy.triage(frame(tier=None))["tier"].tolist() == [policy.triage({**base, "tier": None}).tier]
    with pytest.raises(kefu.Error, match=r"^row 0: fact 'tier' is derived \("):
        policy.triage(frame(tier="L1"))
    # Text that is not valid Unicode: the same ParseError as for a dict, naming the row and the fact.
    for fact, value in (("text", "a\ud800b"), ("side", "a\ud800b"), ("claimed_amount", "1\ud800")):
        with pytest.raises(kefu.ParseError, match=rf"^row 0: fact '{fact}': the text is not valid Unicode"):
            policy.triage(frame(**{fact: value}))
    # strict=True: an unknown column is refused at the first row read; with no rows there is nothing to refuse.
    with pytest.raises(kefu.Error, match=r"^row 0: unknown fact 'categroy' \(did you mean 'category'\?\)"):
        policy.triage(frame(categroy="x"), strict=True)
    assert len(policy.triage(frame(categroy="x").iloc[:0], strict=True)) == 0
    # By default other columns are ignored: the triage is the frame's without them.
    assert policy.triage(frame(categroy="x", agent="a1")).equals(policy.triage(frame()))


def test_pyarrow_timestamp_columns_are_read_like_datetimes(policy):
    received = pd.Series(pd.to_datetime(["2026-03-02T03:00:00"], utc=True)).astype("timestamp[us, tz=UTC][pyarrow]")
    out = policy.triage_columns({"business": ["mall"], "channel": ["phone"], "category": ["consultation"],
                                 "received_at": received})
    one = policy.triage({"business": "mall", "channel": "phone", "category": "consultation",
                         "received_at": dt.datetime(2026, 3, 2, 11, tzinfo=CST)})
    assert out["first_response_due"].iloc[0] == one.deadlines.first_response.due


def stored(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame as read from a typed Parquet file or as Dask makes it: purchase dates as pyarrow date32, amounts
    as pandas' default str (text, exact)."""
    out = frame.copy()
    out["purchased_at"] = pd.arrays.ArrowExtensionArray(pa.array(list(frame["purchased_at"]), pa.date32()))
    for name in ("claimed_amount", "order_amount"):
        out[name] = pd.array([None if v is None else str(v) for v in frame[name]], dtype="str")
    return out


def test_date32_and_text_amount_columns_triage_as_typed_values(policy, rows):
    # DOM-REF-1: the refund window counts days from the purchase date, whichever way the date column is stored.
    frame = pd.DataFrame(rows)
    assert frame["purchased_at"].isna().sum() == 0 and frame["claimed_amount"].notna().any()
    typed = policy.triage_columns(frame)
    as_stored = stored(frame)
    assert str(as_stored["purchased_at"].dtype) == "date32[day][pyarrow]" and str(as_stored["claimed_amount"].dtype) == "str"
    assert policy.triage_columns(as_stored).equals(typed)
    # A pyarrow Table with a date32 column: its dates are read as day numbers too.
    table = pa.Table.from_pandas(as_stored)
    assert table.schema.field("purchased_at").type == pa.date32()
    assert policy.triage_columns(table).equals(typed)
    # A slice starts inside the Arrow buffers (an offset): rows keep their own values.
    assert policy.triage_columns(as_stored.iloc[100:]).equals(typed.iloc[100:])
    # numpy datetime64[D] is a column of dates too; NaT and Arrow nulls are "not given", as None is.
    days = frame["purchased_at"].map(np.datetime64).to_numpy().astype("datetime64[D]")
    assert policy.triage_columns({**{k: frame[k] for k in frame.columns}, "purchased_at": days}).equals(typed)
    gaps = frame.assign(purchased_at=[None if i % 3 == 0 else d for i, d in enumerate(frame["purchased_at"])])
    gaps_stored = stored(gaps)
    assert gaps_stored["purchased_at"].isna().sum() == (len(gaps) + 2) // 3
    assert policy.triage_columns(gaps_stored).equals(policy.triage_columns(gaps))
    nat = days.copy()
    nat[::3] = np.datetime64("NaT")
    assert policy.triage_columns({**{k: frame[k] for k in frame.columns}, "purchased_at": nat}).equals(
        policy.triage_columns(gaps))


def test_text_amounts_are_refused_as_in_a_dict(policy, rows):
    frame = stored(pd.DataFrame(rows[:20]))
    frame.loc[13, "claimed_amount"] = "12.345"
    with pytest.raises(kefu.ParseError) as columns:
        policy.triage_columns(frame)
    with pytest.raises(kefu.ParseError) as one:
        policy.triage({**rows[13], "claimed_amount": "12.345"})
    assert str(columns.value) == f"row 13: {one.value}"
    # A datetime64 column of instants is no column of dates: refused, not cut to its day.
    with pytest.raises(kefu.ParseError, match=r"^row 0: input 'purchased_at': expected a date \(not a datetime\), got Timestamp$"):
        policy.triage_columns(stored(pd.DataFrame(rows[:20])).assign(purchased_at=pd.Timestamp("2026-03-01")))


def test_concurrent_first_calls_share_one_row_reader(policy):
    # The row reader each policy keeps is made on its first call; two threads making their first calls at once
    # both get a reader that stays alive while they use it.
    import threading

    fresh = kefu.Policy.load(kefu.default_rules_dir(), run_rule_tests=False)
    facts = {"business": "mall", "channel": "phone", "category": "consultation",
             "received_at": dt.datetime(2026, 3, 2, 10, tzinfo=CST)}
    results, errors = [], []

    def work():
        try:
            for _ in range(200):
                results.append(fresh.triage(facts).tier)
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and results == ["L1"] * 800


def test_a_csv_read_by_pandas_gets_a_message_that_names_the_fix(policy):
    """pandas.read_csv guesses numbers: amounts become floats, phone numbers ints. Triage refuses both (an amount
    must be exact, a phone number keeps its leading zeros) and says how to read the file instead (#14)."""
    raw = pd.read_csv(kefu.default_data_path())
    with pytest.raises(kefu.ParseError, match=r"^row 0: input 'claimed_amount': money cannot be a float .*"
                       r"read it with kefu\.read_tickets\(path\), or pd\.read_csv\(path, dtype=\{'claimed_amount': str\}\)\)$"):
        policy.triage(raw)
    amounts_as_text = raw.assign(**{c: raw[c].map(lambda x: None if pd.isna(x) else f"{x:.2f}")
                                    for c in ("claimed_amount", "order_amount")})
    with pytest.raises(kefu.ParseError, match=r"^row 0: input 'customer_phone': expected text, got int \(digits read as a "
                       r"number lose their leading zeros.*dtype=\{'customer_phone': str\}\)\)$"):
        policy.triage(amounts_as_text)
    # The way out the message names: the same tiers as the typed rows of kefu.tickets.read_tickets.
    table = kefu.read_tickets(kefu.default_data_path())
    assert table["customer_phone"].map(type).eq(str).all() and len(table) == 3000
    typed = list(read_tickets(kefu.default_data_path()))
    assert list(policy.triage(table)["tier"]) == [r.tier for r in policy.triage(typed)]


def test_enum_text_columns_stored_by_arrow_read_as_in_a_dict(policy, rows):
    # The enum facts (business, channel, category … : every policy's first conditions, DOM-ESC-1, DOM-REF-1) as pandas'
    # pyarrow-stored strings are coded by kefu from the Arrow buffers; object columns are read value by value.
    enums = [f.name for f in policy.facts if f.type == "enum" and not f.derived]
    frame = pd.DataFrame(rows[:300])
    arrow = frame.astype({name: pd.StringDtype("pyarrow") for name in enums if name in frame.columns})
    objects = frame.astype({name: object for name in enums if name in frame.columns})
    assert all(str(arrow[name].dtype) == "string" for name in ("business", "category", "channel"))
    assert policy.triage_columns(arrow).equals(policy.triage_columns(objects))
    expect_equal(policy.triage_columns(arrow.iloc[:40]), [policy.triage(r) for r in rows[:40]])
    # Missing values are "not given" (the default applies), in runs and alone; a slice keeps its rows' values.
    gaps = arrow.copy()
    gaps.loc[::4, "item_class"] = None
    gaps.loc[10:20, "side"] = None
    assert gaps["item_class"].isna().sum() == 75
    assert policy.triage_columns(gaps).equals(policy.triage_columns(gaps.astype({"item_class": object, "side": object})))
    assert policy.triage_columns(gaps.iloc[7:]).equals(policy.triage_columns(gaps).iloc[7:])
    # A value outside the vocabulary: the error a dict gets, at its row.
    bad = arrow.copy()
    bad.loc[17, "category"] = "qualty_defect"
    with pytest.raises(kefu.Error) as columns:
        policy.triage_columns(bad)
    with pytest.raises(kefu.Error) as one:
        policy.triage({**rows[17], "category": "qualty_defect"})
    assert type(columns.value) is type(one.value) and str(columns.value) == f"row 17: {one.value}"
