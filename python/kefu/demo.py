"""``kefu demo``: the main job on the embedded default data.

Loads the shipped rules directory and the synthetic tickets, and prints what kefu can tell about
them. Personal data is masked (DOM-PRIV-1).
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import TextIO

from . import __version__, default_data_path, default_rules_dir, scan_rules
from ._core import Money, mask_name, mask_phone
from .tickets import read_tickets, received_local_date


def _table(out: TextIO, title: str, counts: Counter[str], total: int, limit: int | None = None) -> None:
    out.write(f"  {title}:\n")
    for key, n in counts.most_common(limit):
        out.write(f"    {key:<20} {n:>6}  {100.0 * n / total:5.1f}%\n")


def run(rules_dir: str | Path | None = None, tickets: str | Path | None = None, out: TextIO = sys.stdout) -> int:
    rules_path = Path(rules_dir) if rules_dir else default_rules_dir()
    tickets_path = Path(tickets) if tickets else default_data_path("tickets.csv")
    out.write(f"kefu {__version__} — demo on the embedded default data\n\n")

    documents = scan_rules(rules_path)
    out.write(f"Rules in {rules_path}: {len(documents)} documents\n")
    for doc in documents:
        out.write(f"  {doc.kind:<10} {doc.name:<24} {doc.path:<36} {doc.entries:>5} entries\n")

    rows = list(read_tickets(tickets_path))
    if not rows:
        out.write(f"\nNo tickets in {tickets_path}\n")
        return 0
    total = len(rows)
    dates = sorted(received_local_date(t) for t in rows)
    out.write(f"\nTickets in {tickets_path}: {total}, received {dates[0]} … {dates[-1]} (+08:00)\n")
    for column, limit in (("business", None), ("channel", None), ("category", 8)):
        _table(out, f"by {column}" + (f" (top {limit})" if limit else ""), Counter(t[column] for t in rows), total, limit)

    claimed = [t["claimed_amount"] for t in rows if t.get("claimed_amount") is not None]
    limit = Money(1000)
    over = sum(1 for m in claimed if m > limit)
    out.write(
        f"  claimed amounts (exact, in fen): total {sum(claimed, Money(0)).display()}, "
        f"largest {max(claimed).display()}, over ¥1,000.00: {over}\n"
    )

    out.write("\nFirst tickets (personal data masked, DOM-PRIV-1):\n")
    for t in rows[:5]:
        text = t["text"] if len(t["text"]) <= 30 else t["text"][:29] + "…"
        out.write(
            f"  {t['ticket_id']}  {mask_name(t.get('customer_name') or ''):<4} "
            f"{mask_phone(t.get('customer_phone') or ''):<12} {t['business']:<13} {t['category']:<18} {text}\n"
        )
    return 0
