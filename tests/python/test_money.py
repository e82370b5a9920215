"""kefu.Money: exact yuan amounts (foundation issue, DOM §10 'money, yuan with 2 decimals')."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

import kefu
from kefu import Money


@pytest.mark.parametrize(
    ("text", "fen"),
    [("1000", 100000), ("1000.50", 100050), ("¥1,000.50", 100050), ("￥1000", 100000), ("-12.30", -1230), ("1000元", 100000)],
)
def test_parses_handbook_spellings(text, fen):
    assert Money(text).fen == fen


def test_rejects_more_than_two_decimals_with_the_text():
    with pytest.raises(kefu.ParseError) as info:
        Money("1000.505")
    assert str(info.value) == "bad amount '1000.505': more than two decimal places (amounts are exact to the fen)"


def test_refuses_floats_but_takes_int_and_decimal():
    with pytest.raises(TypeError, match="inexact"):
        Money(1000.5)
    with pytest.raises(TypeError):
        Money(True)
    assert Money(1000) == Money("1000.00")
    assert Money(Decimal("12.3")).fen == 1230
    assert Money(Decimal("1E+3")).fen == 100000
    with pytest.raises(kefu.ParseError):
        Money(Decimal("0.001"))


def test_threshold_is_exact_and_arithmetic_stays_in_fen():
    assert not Money("1000.00") > 1000
    assert Money("1000.01") > 1000
    assert Money("0.10") + "0.20" == Money("0.30")
    assert sum([Money("0.10")] * 3, Money(0)) == Money("0.30")
    assert 3 * Money("0.10") == Money("0.30")
    assert str(Money.from_fen(-5)) == "-0.05"
    assert repr(Money("1000.5")) == "Money('1000.50')"
    assert Money.from_fen(123456789).display() == "¥1,234,567.89"
    assert Money("12.30").to_decimal() == Decimal("12.30")
    assert Money("1") != "abc"
    assert len({Money("1"), Money("1.00"), Money("2")}) == 2


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_round_trips_through_text(fen):
    m = Money.from_fen(fen)
    assert Money(str(m)) == m
    assert Money(m.display()) == m
    assert Money(m.to_decimal()) == m


def test_arithmetic_overflow_is_an_error_not_a_wrap():
    biggest = kefu.Money.from_fen(2**63 - 1)
    with pytest.raises(kefu.Error) as info:
        biggest + kefu.Money("0.01")
    assert info.value.id == "kefu.money.overflow"
    assert str(info.value) == "amount overflow: ¥92,233,720,368,547,758.07 + ¥0.01 is beyond ±¥92,233,720,368,547,758.07"
    with pytest.raises(kefu.Error, match="amount overflow"):
        biggest * 2
    assert (biggest - kefu.Money("0.01")) + kefu.Money("0.01") == biggest
