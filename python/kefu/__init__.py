"""kefu (客服): retail customer-service handbooks as executable policy.

The native core (``kefu._core``) does the work; this package is its thin Python face:
exceptions with their fields, exact money, instants and zones, rules directories, and the
``kefu`` command line (``python -m kefu``).
"""

# No `from __future__ import annotations` and private aliases for what this module uses itself, so that
# `dir(kefu)` lists kefu's names only (not Path, Any or annotations).
import os as _os
import typing as _typing
from pathlib import Path as _Path

if _typing.TYPE_CHECKING:
    import pandas as _pd

from ._core import (
    Calendar,
    CalendarRangeError,
    Clock,
    ColumnError,
    ConditionTrace,
    DayInfo,
    Decision,
    DecisionColumns,
    DecisionPolicy,
    Deadline,
    Deadlines,
    Diagnostic,
    Duration,
    Error,
    Field,
    HolidayNotice,
    KeywordHit,
    KeywordSet,
    KpiTable,
    KpiTargets,
    Money,
    ParseError,
    PartialDecision,
    PartialTriage,
    Policy,
    PolicyError,
    PolicyHandle,
    PolicyVersion,
    RefundAssessment,
    RequiredAction,
    ReloadResult,
    RiskAssessment,
    RiskSignal,
    Rule,
    RulesDocument,
    Scorecard,
    SlaClock,
    SlaStatus,
    Ticket,
    TicketPlan,
    TimeZone,
    TransitionError,
    TriagePolicyHandle,
    TriageResult,
    __version__,
    format_instant,
    lifecycle_graph,
    lifecycle_transitions,
    mask_address,
    mask_name,
    mask_phone,
    mask_text,
    notices_to_yaml,
    parse_date,
    parse_instant,
    statutory_holidays,
)
from ._core import scan_rules_directory as _scan_rules_directory
from .lifecycle import clock_attainment, lifecycle_summary, replay

__all__ = [
    "Calendar",
    "CalendarRangeError",
    "Clock",
    "ColumnError",
    "ConditionTrace",
    "DayInfo",
    "Deadline",
    "Deadlines",
    "Decision",
    "DecisionColumns",
    "DecisionPolicy",
    "Diagnostic",
    "Duration",
    "Error",
    "Field",
    "HolidayNotice",
    "KeywordHit",
    "KeywordSet",
    "KpiTable",
    "KpiTargets",
    "Money",
    "ParseError",
    "PartialDecision",
    "PartialTriage",
    "Policy",
    "PolicyError",
    "PolicyHandle",
    "PolicyVersion",
    "RefundAssessment",
    "RequiredAction",
    "ReloadResult",
    "RiskAssessment",
    "RiskSignal",
    "Rule",
    "RulesDocument",
    "Scorecard",
    "SlaClock",
    "SlaStatus",
    "Ticket",
    "TicketPlan",
    "TimeZone",
    "TransitionError",
    "TriagePolicyHandle",
    "TriageResult",
    "__version__",
    "default_data_path",
    "diff_policies",
    "default_policy",
    "default_rules_dir",
    "format_instant",
    "lifecycle_graph",
    "lifecycle_summary",
    "clock_attainment",
    "lifecycle_transitions",
    "mask_address",
    "mask_name",
    "mask_phone",
    "mask_text",
    "notices_to_yaml",
    "parse_date",
    "parse_instant",
    "read_tickets",
    "replay",
    "scan_rules",
    "statutory_holidays",
]


def default_rules_dir() -> _Path:
    """The default policy shipped inside the package (calendars, policies, rule tests)."""
    return _Path(__file__).resolve().parent / "rules"


def default_policy(beyond_official: '_typing.Literal["project", "error"] | None' = None) -> Policy:
    """The shipped handbook policy (risk, escalation, tiers, refund, SLA targets, calendars).

    ``beyond_official="error"`` makes its calendars strict: a deadline past the official holiday data
    raises :class:`CalendarRangeError` instead of being marked ``provisional`` (see docs/calendars.md).
    It is loaded as :meth:`Policy.load` loads any rules directory, rule tests included (rules/tests/).
    Each call loads it afresh; keep the returned policy and share it (it is immutable)."""
    return Policy.load(default_rules_dir(), beyond_official=beyond_official)


def default_data_path(name: str = "tickets.csv") -> _Path:
    """A file of the embedded synthetic data set (used by ``kefu demo``)."""
    path = _Path(__file__).resolve().parent / "data" / name
    if not path.is_file():
        raise FileNotFoundError(f"kefu ships no data file {name!r} (looked in {path.parent})")
    return path


def scan_rules(directory: "str | _os.PathLike[str] | None" = None) -> "list[RulesDocument]":
    """Summaries of the rules documents below ``directory`` (default: the shipped rules)."""
    return _scan_rules_directory(default_rules_dir() if directory is None else directory)


def read_tickets(path: "str | _os.PathLike[str]") -> "_pd.DataFrame":
    """Tickets from a CSV, Parquet or JSON lines file as a pandas DataFrame that triage reads as the file means
    it: every value as its text (phone numbers keep their leading zeros, amounts stay exact to the fen), empty
    cells as not given; each fact is parsed by its type in the vocabulary when triaged. ``pd.read_csv`` guesses
    numbers instead (``13800138000`` becomes an int, ``19.90`` a float), which triage refuses, naming this.
    (``kefu.tickets.read_tickets`` yields one typed dict per CSV row instead.)"""
    from .tickets import read_ticket_table as _read

    return _read(path)


def diff_policies(old: "Policy | str | _os.PathLike[str]", new: "Policy | str | _os.PathLike[str]",
                  tickets: "_pd.DataFrame") -> "_pd.DataFrame":
    """Which tickets decide differently under two versions of the rules: one row per ticket and output
    that changes (``kefu.diff.diff_policies``; ``kefu.diff.summarize`` reports them, ``kefu diff`` from the
    shell). Imported on first use, so ``import kefu`` does not load pandas."""
    from .diff import diff_policies as _diff

    return _diff(old, new, tickets)
