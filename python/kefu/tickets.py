"""Reading ticket files (CSV with the ticket facts of docs/requirements.md §10) with exact types.

Every value goes through kefu's own parsers: amounts become :class:`kefu.Money`, instants aware
datetimes, dates :class:`datetime.date`, flags bools. A bad value is a :class:`kefu.ParseError`
naming the file, the line and the column, never a silent guess.
"""

from __future__ import annotations

import csv
import datetime as _dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ._core import Money, ParseError, parse_date, parse_instant

# Columns and how to read them; columns not listed stay text.
_MONEY = {"claimed_amount", "order_amount"}
_INSTANT = {"received_at"}
_DATE = {"purchased_at"}
_INT = {"repeat_complaints", "warranty_repairs"}
_BOOL = {
    "vip", "collective", "has_receipt", "used", "packaging_intact", "resalable", "defect_disclosed",
    "misuse", "unauthorized_dismantle", "warranty_card_valid", "model_mismatch", "force_majeure",
    "merchant_error", "duplicate_confirmed", "mischarge_confirmed", "cold_chain_break_confirmed",
}
_TRUE = {"true": True, "false": False}

#: Columns that hold customer personal data (DOM-PRIV-1): never print them unmasked.
PERSONAL_COLUMNS = frozenset({"customer_name", "customer_phone", "customer_address"})


def _convert(column: str, text: str) -> Any:
    if text == "":
        return None
    if column in _MONEY:
        return Money(text)
    if column in _INSTANT:
        return parse_instant(text, "+08:00")
    if column in _DATE:
        return parse_date(text)
    if column in _INT:
        if not text.lstrip("-").isdigit():
            raise ValueError(f"expected a whole number, got {text!r}")
        return int(text)
    if column in _BOOL:
        if text not in _TRUE:
            raise ValueError(f"expected true or false, got {text!r}")
        return _TRUE[text]
    return text


def read_tickets(path: str | Path) -> Iterator[dict[str, Any]]:
    """Yield one dict per ticket row of a CSV file, values converted to their kefu types."""
    path = Path(path)
    with path.open(newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader, None)
        if header is None:
            raise ParseError(f"{path}: empty ticket file (expected a header row)")
        for row in reader:
            line = reader.line_num
            if len(row) != len(header):
                raise ParseError(f"{path}:{line}: expected {len(header)} columns, found {len(row)}")
            ticket: dict[str, Any] = {}
            for index, (column, text) in enumerate(zip(header, row)):
                try:
                    ticket[column] = _convert(column, text)
                except (ValueError, TypeError) as e:
                    raise ParseError(f"{path}:{line}: column {index + 1} ({column}): {e}") from None
            yield ticket


def received_local_date(ticket: dict[str, Any]) -> _dt.date:
    """The local (+08:00) date a ticket was received."""
    received: _dt.datetime = ticket["received_at"]
    return received.date()
