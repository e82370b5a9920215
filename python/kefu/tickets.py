"""Reading ticket files (CSV with the ticket facts of docs/requirements.md §10) with exact types.

Every value goes through kefu's own parsers: amounts become :class:`kefu.Money`, instants aware
datetimes, dates :class:`datetime.date`, flags bools. A bad value is a :class:`kefu.ParseError`
naming the file, the line and the column, never a silent guess.
"""

from __future__ import annotations

import csv
import datetime as _dt
import math
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._core import Money, ParseError, parse_date, parse_instant

if TYPE_CHECKING:
    import os

    import pandas as pd

__all__ = ["PERSONAL_COLUMNS", "read_ticket_batches", "read_ticket_table", "read_tickets", "received_local_date"]

# Columns and how to read them; columns not listed stay text.
_MONEY = {"claimed_amount", "order_amount"}
_INSTANT = {"received_at"}
_DATE = {"purchased_at"}
_INT = {"repeat_complaints", "warranty_repairs"}
_BOOL = {
    "vip", "collective", "has_receipt", "used", "packaging_intact", "resalable", "defect_disclosed",
    "misuse", "unauthorized_dismantle", "warranty_card_valid", "model_mismatch", "force_majeure",
    "merchant_error", "duplicate_confirmed", "mischarge_confirmed", "cold_chain_break_confirmed", "counterfeit_suspected",
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


def read_tickets(path: str | os.PathLike[str]) -> Iterator[dict[str, Any]]:
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


def received_local_date(ticket: Mapping[str, Any]) -> _dt.date:
    """The local (+08:00) date a ticket was received."""
    received: _dt.datetime = ticket["received_at"]
    return received.date()


def _text_frame(frame: Any) -> Any:
    """Every value as the text triage reads (kefu parses each fact by its type in the vocabulary): missing
    values become None, datetimes ISO 8601, bools true/false. Typed readers (Parquet, JSON) give floats for
    amounts, which kefu refuses as money; their text is exact for the amounts a file can hold."""
    import pandas as pd

    out = {}
    for name, col in frame.items():
        if pd.api.types.is_datetime64_any_dtype(col):
            out[name] = [None if pd.isna(v) else v.isoformat() for v in col]
        elif pd.api.types.is_bool_dtype(col):
            out[name] = ["true" if v else "false" for v in col]
        else:
            out[name] = [None if (v is None or (isinstance(v, float) and math.isnan(v))) else
                         ("true" if v is True else "false" if v is False else str(v)) for v in col]
    return pd.DataFrame(out, index=frame.index)


def _suffix(p: Path) -> str:
    suffix = p.suffix.lower()
    if suffix not in (".csv", ".parquet", ".pq", ".jsonl", ".ndjson"):
        raise ValueError(f"{p}: tickets must be CSV (.csv), Parquet (.parquet) or JSON lines (.jsonl), not '{suffix}'")
    return suffix


def read_ticket_table(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Tickets from CSV, Parquet or JSON lines (by suffix: .csv, .parquet/.pq, .jsonl/.ndjson) as a pandas
    DataFrame of text, as triage reads it (``kefu triage``, ``kefu diff --tickets``)."""
    import pandas as pd

    p = Path(path)
    suffix = _suffix(p)
    if suffix == ".csv":
        frame = pd.read_csv(p, dtype=str, keep_default_na=False)
        return frame.where(frame != "", None)
    if suffix in (".parquet", ".pq"):
        return _text_frame(pd.read_parquet(p))
    return _text_frame(pd.read_json(p, lines=True, dtype=False))


def read_ticket_batches(path: str | os.PathLike[str], rows: int = 100_000) -> Iterator[pd.DataFrame]:
    """The tickets of a CSV, Parquet or JSON lines file, `rows` at a time, each batch a DataFrame of text as
    :func:`read_ticket_table` gives it (its index: the tickets' positions in the file, from 0). Triage each
    with ``policy.triage_columns(batch)`` to work through a file of any size in the memory of one batch."""
    import pandas as pd

    if rows < 1:
        raise ValueError(f"rows must be at least 1, got {rows}")
    p = Path(path)
    suffix = _suffix(p)
    if suffix == ".csv":
        for chunk in pd.read_csv(p, dtype=str, keep_default_na=False, chunksize=rows):
            yield chunk.where(chunk != "", None)
    elif suffix in (".parquet", ".pq"):
        import pyarrow.parquet as pq

        start = 0
        for batch in pq.ParquetFile(p).iter_batches(batch_size=rows):
            frame = batch.to_pandas()
            frame.index = pd.RangeIndex(start, start + len(frame))
            start += len(frame)
            yield _text_frame(frame)
    else:
        for chunk in pd.read_json(p, lines=True, dtype=False, chunksize=rows):
            yield _text_frame(chunk)
