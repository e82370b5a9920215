"""Policy impact analysis: which tickets decide differently under a changed rules directory (``kefu diff``).

Both versions triage the same tickets through kefu's batch path (C++, columnar, without the GIL); the
comparison is vectorised in pandas. The result is one row per ticket and output that changes, from which
:func:`summarize` counts changes per output, the transitions (old value → new value), the rules that gain
and lose hits, and example tickets with personal data masked (DOM-PRIV-1). ``kefu.dask.diff_policies``
gives the same rows for a Dask frame, partition by partition. docs/rules.md, "Impact of a change".
"""

from __future__ import annotations

import html
import json
import os
from collections import Counter
from typing import Any, Iterable, Union

import numpy as np
import pandas as pd

from ._core import Policy, diff_triage, mask_text
from .tickets import read_ticket_table

__all__ = [
    "OUTPUTS", "PolicyLike", "RULE_OUTPUTS", "diff_policies", "format_html", "format_json", "format_text", "load_rules",
    "read_ticket_table", "rule_tests", "summarize",
]

#: The triage outputs compared, in report order.
OUTPUTS: tuple[str, ...] = (
    "risk_level", "risk_signals", "tier", "tier_rules", "owners", "first_response_due", "resolution_due",
    "follow_up_due", "follow_up_required", "report_required", "refund_decision", "refund_rule_id", "refund_reason",
    "target_rules", "actions",
)
#: Outputs that list rule ids: their changes are rules gaining and losing hits.
RULE_OUTPUTS: tuple[str, ...] = ("risk_signals", "tier_rules", "refund_rule_id", "target_rules")

#: A rules directory (its path) or a loaded Policy.
PolicyLike = Union[Policy, str, "os.PathLike[str]"]


def load_rules(rules: PolicyLike) -> Policy:
    """A rules directory as a diff reads it: loaded with every structural check but without running its rule
    tests (the new version of a change usually breaks the tests the change is about)."""
    if isinstance(rules, Policy):
        return rules
    return Policy.load(rules, run_rule_tests=False)


def _vocabulary(rules: Policy) -> list[tuple[Any, ...]]:
    """What decides how a column is read: each fact's name, type, values and whether it is derived, and the
    zone naive datetimes are read in."""
    return [str(rules.zone), *((f.name, str(f.type), tuple(f.values), bool(f.derived)) for f in rules.facts)]


def diff_policies(old: PolicyLike, new: PolicyLike, tickets: pd.DataFrame,
                  outputs: Iterable[str] = OUTPUTS) -> pd.DataFrame:
    """The decisions that change between two versions of the rules, for the same tickets.

    `old` and `new` are rules directories (or loaded ``Policy`` objects); `tickets` a DataFrame of ticket
    facts (text or typed values, as ``Policy.triage`` takes them; extra columns such as ``ticket_id`` or
    ``text`` are kept for the examples). Returns one row per ticket and output that differs, with columns
    ``ticket`` (the tickets' index label), ``output``, ``old`` and ``new`` (values as text, deadlines in ISO
    8601), in ticket order then :data:`OUTPUTS` order; when the tickets have them, ``ticket_id`` and ``text``
    (personal data masked, DOM-PRIV-1) come along for the examples. An error in a ticket names its row.

    Both versions triage the tickets in C++ on every core (``kefu/rules/triage_diff.hpp``); the columns are
    read once when the two versions share their facts vocabulary."""
    old_rules, new_rules = load_rules(old), load_rules(new)
    wanted = list(outputs)
    for out in wanted:
        if out not in OUTPUTS:
            raise ValueError(f"unknown output {out!r} (expected one of {', '.join(OUTPUTS)})")

    def facts_for(rules: Policy) -> pd.DataFrame:
        return tickets[[f.name for f in rules.facts if f.name in tickets.columns and not f.derived]]

    old_facts = facts_for(old_rules)
    new_facts = None if _vocabulary(old_rules) == _vocabulary(new_rules) else facts_for(new_rules)
    if wanted:
        rows, names, before, after = diff_triage(old_rules, new_rules, old_facts, new_facts, wanted)
    else:  # no output asked for: nothing can differ (the core reads an empty list as "all of them")
        rows, names, before, after = np.zeros(0, dtype=np.int64), [], [], []
    changes = pd.DataFrame({"ticket": tickets.index[rows] if len(rows) else pd.Series([], dtype=tickets.index.dtype),
                            "output": pd.Series(names, dtype=object), "old": pd.Series(before, dtype=object),
                            "new": pd.Series(after, dtype=object)})
    # Only the changed rows are taken out of the columns: a whole text column as Python objects would cost more
    # than the diff itself.
    if "ticket_id" in tickets.columns:
        changes.insert(1, "ticket_id", tickets["ticket_id"].iloc[rows].to_numpy())
    if "text" in tickets.columns:
        # A ticket changes in several outputs at once: each changed ticket's text is masked once.
        changed, where = np.unique(rows, return_inverse=True)
        masked = np.array([mask_text(t) if isinstance(t, str) else None for t in tickets["text"].iloc[changed].to_numpy()],
                          dtype=object)
        changes["text"] = masked[where] if len(rows) else []
    return changes


def rule_tests(rules_dir: str | os.PathLike[str]) -> dict[str, Any]:
    """How the rule tests of a rules directory fare (``kefu diff`` reports them for the new directory, which it
    loads without running them): ``passed``, ``failed``, ``errors`` (suites that cannot run) and ``failing``
    ([{file, line, name}] of the failing cases, in file order)."""
    import io

    from .authoring import run_tests

    report = run_tests([rules_dir], io.StringIO())
    failing = [{"file": s.file, "line": c.line, "name": c.name} for s in report.results for c in s.cases if not c.passed]
    return {"passed": report.passed, "failed": report.failed, "errors": len(report.errors), "failing": failing}


def _ids(text: str) -> set[str]:
    return {t for t in text.split(",") if t}


def summarize(changes: pd.DataFrame, tickets: int | pd.DataFrame, examples: int = 3) -> dict[str, Any]:
    """The report of a diff: ``tickets`` (how many were compared), ``changed`` (how many decide differently in
    any output), ``by_output`` (output → tickets changed), ``transitions`` (output → [{old, new, count}],
    most frequent first; not for the rule-id outputs), ``rules`` ({gained: {rule: tickets}, lost: {…}}: a
    rule gains a hit on a ticket where it fires under the new rules only), and ``examples`` (output → up to
    `examples` tickets: ``ticket``, ``ticket_id`` when the tickets have one, ``old``, ``new`` and ``text``
    with personal data masked). `tickets` is how many tickets were compared (or the tickets themselves)."""
    by_output = {out: int(n) for out, n in changes.groupby("output", sort=False)["ticket"].nunique().items()}
    by_output = {out: by_output[out] for out in OUTPUTS if out in by_output}
    transitions: dict[str, list[dict[str, Any]]] = {}
    for out in by_output:
        if out in RULE_OUTPUTS:
            continue
        rows = changes[changes["output"] == out]
        counted = rows.groupby(["old", "new"], sort=False).size().reset_index(name="count")
        counted = counted.sort_values(["count", "old", "new"], ascending=[False, True, True], kind="stable")
        transitions[out] = [{"old": o, "new": n, "count": int(c)} for o, n, c in counted.itertuples(index=False)]
    gained: Counter[str] = Counter()
    lost: Counter[str] = Counter()
    for old, new in changes.loc[changes["output"].isin(RULE_OUTPUTS), ["old", "new"]].itertuples(index=False):
        before, after = _ids(old), _ids(new)
        gained.update(after - before)
        lost.update(before - after)
    sample: dict[str, list[dict[str, Any]]] = {}
    for out in by_output:
        picked = []
        for row in changes[changes["output"] == out].head(examples).to_dict("records"):
            item: dict[str, Any] = {"ticket": _plain(row["ticket"])}
            if "ticket_id" in row:
                item["ticket_id"] = _plain(row["ticket_id"])
            item["old"], item["new"] = row["old"], row["new"]
            if isinstance(row.get("text"), str):
                item["text"] = row["text"]
            picked.append(item)
        sample[out] = picked
    return {
        "tickets": int(tickets if isinstance(tickets, int) else len(tickets)),
        "changed": int(changes["ticket"].nunique()),
        "by_output": by_output,
        "transitions": transitions,
        "rules": {"gained": dict(sorted(gained.items(), key=lambda kv: (-kv[1], kv[0]))),
                  "lost": dict(sorted(lost.items(), key=lambda kv: (-kv[1], kv[0])))},
        "examples": sample,
    }


def _plain(v: Any) -> Any:
    return v.item() if hasattr(v, "item") else v


def format_text(summary: dict[str, Any], old: str, new: str, lang: str = "en") -> str:
    """The summary for a terminal, in English (``lang="en"``) or Chinese (``"zh"``: outputs named in Chinese,
    with their identifiers)."""
    from .i18n import ljust, tr, width

    def _(key: str, **values: object) -> str:
        return tr(key, lang, **values)

    none = _("diff.none")
    n, changed = summary["tickets"], summary["changed"]
    share = f" ({100.0 * changed / n:.1f}%)" if n else ""
    lines = [_("diff.head", old=old, new=new, changed=changed, tickets=n, share=share)]
    labels = {out: _output_label(out, lang) for out in summary["by_output"]}
    column = max([20, *map(width, labels.values())])
    for out, count in summary["by_output"].items():
        lines.append(_("diff.output", output=ljust(labels[out], column), count=f"{count:>7}"))
        for t in summary["transitions"].get(out, [])[:5]:
            lines.append(f"      {t['old'] or none} → {t['new'] or none}: {t['count']}")
    tests = summary.get("new_rule_tests")
    if tests is not None:
        if tests["failed"] or tests["errors"]:
            lines.append(_("diff.tests_failed", new=new, passed=tests["passed"], failed=tests["failed"])
                         + (_("test.not_run", count=tests["errors"]) if tests["errors"] else "")
                         + _("diff.tests_update", new=new))
            lines += ["  " + _("test.fail", where=f"{t['file']}:{t['line']}", name=t["name"])
                      for t in tests["failing"][:10]]
        else:
            lines.append(_("diff.tests_pass", new=new, passed=tests["passed"]))
    rules = summary["rules"]
    if rules["gained"] or rules["lost"]:
        lines.append(_("diff.rules"))
        lines += [_("diff.gained", rule=rule, count=k) for rule, k in rules["gained"].items()]
        lines += [_("diff.lost", rule=rule, count=k) for rule, k in rules["lost"].items()]
    if summary["examples"]:
        lines.append(_("diff.examples"))
        for out, items in summary["examples"].items():
            if out in RULE_OUTPUTS:  # the same tickets again, under their rules: in JSON and HTML only
                continue
            for item in items:
                who = item.get("ticket_id", item["ticket"])
                text = f"  {item['text']}" if item.get("text") else ""
                lines.append(_("diff.example", output=_output_label(out, lang), ticket=who, old=item["old"] or none,
                               new=item["new"] or none, text=text))
    return "\n".join(lines) + "\n"


def _output_label(output: str, lang: str) -> str:
    """An output as the summary names it: its identifier in English, its Chinese name and identifier in Chinese."""
    from .i18n import MESSAGES, tr

    key = f"diff.out.{output}"
    return f"{tr(key, lang)}（{output}）" if lang == "zh" and key in MESSAGES else output


def format_html(summary: dict[str, Any], old: str, new: str, lang: str = "en") -> str:
    """A self-contained HTML page of the summary (no scripts, no external resources), in `lang` ("en" or "zh")."""
    from .i18n import tr

    def _(key: str, **values: object) -> str:
        return tr(key, lang, **values)

    e = html.escape

    def head(*keys: str) -> str:
        return "<tr>" + "".join(f"<th>{e(_(f'diff.col.{k}'))}</th>" for k in keys) + "</tr>"

    def output(out: str) -> str:
        label = _output_label(out, lang)
        return e(label) if label == out else f"{e(_(f'diff.out.{out}'))} <code>{e(out)}</code>"

    none = _("diff.none")
    rows = "".join(f"<tr><td>{output(out)}</td><td>{count}</td></tr>" for out, count in summary["by_output"].items())
    trans = "".join(
        f"<h3>{output(out)}</h3><table>{head('old', 'new', 'tickets')}"
        + "".join(f"<tr><td>{e(t['old'] or none)}</td><td>{e(t['new'] or none)}</td><td>{t['count']}</td></tr>"
                  for t in items)
        + "</table>"
        for out, items in summary["transitions"].items())
    rules = "".join(f"<tr><td>{e(r)}</td><td>+{k}</td></tr>" for r, k in summary["rules"]["gained"].items()) + \
        "".join(f"<tr><td>{e(r)}</td><td>−{k}</td></tr>" for r, k in summary["rules"]["lost"].items())
    examples = "".join(
        f"<tr><td>{output(out)}</td><td>{e(str(i.get('ticket_id', i['ticket'])))}</td><td>{e(i['old'] or none)}</td>"
        f"<td>{e(i['new'] or none)}</td><td>{e(i.get('text', ''))}</td></tr>"
        for out, items in summary["examples"].items() for i in items)
    n, changed = summary["tickets"], summary["changed"]
    share = f" ({100.0 * changed / n:.1f}%)" if n else ""
    tests = summary.get("new_rule_tests")
    if tests is None:
        tested = ""
    elif tests["failed"] or tests["errors"]:
        tested = (_("diff.tests_failed", new=new, passed=tests["passed"], failed=tests["failed"])
                  + (_("test.not_run", count=tests["errors"]) if tests["errors"] else "") + _("diff.tests_update", new=new))
    else:
        tested = _("diff.tests_pass", new=new, passed=tests["passed"])
    fonts = '"Noto Sans CJK SC","WenQuanYi Micro Hei","Microsoft YaHei",sans-serif' if lang == "zh" else "sans-serif"
    return (
        f"<!doctype html><html lang=\"{'zh-CN' if lang == 'zh' else 'en'}\"><meta charset=\"utf-8\">"
        f"<title>{e(_('diff.html.title', old=old, new=new))}</title>"
        f"<style>body{{font-family:{fonts}}}table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;"
        "padding:2px 6px;text-align:left}</style>"
        f"<h1>{e(old)} → {e(new)}</h1>"
        f"<p>{e(_('diff.head', old=old, new=new, changed=changed, tickets=n, share=share))}</p>"
        + (f"<p>{e(tested)}</p>" if tested else "")
        + f"<h2>{e(_('diff.html.by_output'))}</h2><table>{head('output', 'tickets')}{rows}</table>"
        f"<h2>{e(_('diff.html.transitions'))}</h2>{trans}"
        f"<h2>{e(_('diff.html.rules'))}</h2><table>{head('rule', 'tickets')}{rules}</table>"
        f"<h2>{e(_('diff.html.examples'))}</h2><table>{head('output', 'ticket', 'old', 'new', 'text')}{examples}"
        "</table></html>\n")


def format_json(summary: dict[str, Any]) -> str:
    """The summary as a JSON document (``kefu diff --format json``)."""
    return json.dumps(summary, ensure_ascii=False, indent=2) + "\n"
