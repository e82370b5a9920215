"""Explanations (``kefu explain``, ``kefu triage --explain``) in Chinese.

The C++ core writes an explanation in a small fixed grammar (src/rules/policy.cpp ``policy::explain``,
partial.cpp ``explain_partial``, triage.cpp and triage_partial.cpp): a head line per policy, ``decision:``,
``by:``, one line per rule and per condition, provisional deadlines and the actions asked for. Each of those
line shapes has its Chinese here; what the rules themselves say (ids, conditions, values, sources,
descriptions) is kept as written. A line of another shape stays as it is: nothing is guessed."""

from __future__ import annotations

import re
from collections.abc import Callable

from .i18n import MESSAGES, tr, value_names

_HIT = {
    "first": "first：第一条适用的规则决定",
    "collect": "collect：所有适用的规则共同决定",
    "unique": "unique：只能有一条规则适用",
    "priority": "priority：优先级最高的适用规则决定",
}
def _either(text: str) -> str:
    """'a, b or c' → 'a、b 或 c'."""
    head, _, last = text.rpartition(" or ")
    return f"{head.replace(', ', '、')} 或 {last}" if head else text


def _owners(text: str) -> str:
    return value_names(text.split(", "), "zh")


def _named(prefix: str, words: str) -> str:
    """A clock or outcome the core writes in words ("first response", "refund decision") by the catalogue's
    Chinese name; as written when the catalogue has none."""
    key = f"{prefix}.{words.replace(' ', '_').replace('-', '_')}"
    return tr(key, "zh") if key in MESSAGES else words


def _condition(m: re.Match[str]) -> str:
    result = "成立  " if m["result"] == "true " else "不成立"
    rest = m["rest"]
    rest = re.sub(r"   not counted: (.*)$", r"   不计（否定或例外）：\1", rest)
    rest = re.sub(r"   matched: (.*?)(?=   不计|$)", r"   命中关键词：\1", rest)
    return f"      {result}  {rest}"


def _version(m: re.Match[str]) -> str:
    since = "一直有效" if m["from"] is None else f"自 {m['from']} 起生效"
    until = f"，至 {m['until']} 止" if m["until"] else ""
    pinned = "（已固定：不论受理时刻都用此版本）" if m["pinned"] else ""
    return f"版本：{m['name']}，{since}{until}{pinned}{m['description'] or ''}"


#: Line shapes and their Chinese, tried in order; the first full match wins.
_LINES: tuple[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]], ...] = tuple(
    (re.compile(p), r) for p, r in (
        (r"policy (?P<name>\S+)(?: v(?P<version>\S+))? \(hit policy (?P<hit>\w+)\)",
         lambda m: f"规则集 {m['name']}" + (f" 版本 {m['version']}" if m["version"] else "")
         + f"（命中策略 {_HIT.get(m['hit'], m['hit'])}）"),
        (r"version: not known — .*", "版本：未定——决定版本的时刻未提供；每条规则前标出其所属版本"),
        (r"version: (?P<name>.+?), in force (?:since always|from (?P<from>\S+))(?: until (?P<until>\S+))?"
         r"(?P<pinned> \(pinned: applied whatever the receipt instant\))?(?P<description> — .*)?", _version),
        (r"not given: (.*) \((\d+) of (\d+) inputs\) / 未提供", r"未提供：\1（共 \3 个输入，缺 \2 个）"),
        (r"not given: (.*) / 未提供", r"未提供：\1"),
        (r"decision: not settled — .*", "决定：尚未确定，取决于未提供的输入"),
        (r"decision: (.*)   \(settled: what is not given cannot change it / 已确定\)",
         r"决定：\1   （已确定：未提供的输入不会改变它）"),
        (r"decision: (.*)", r"决定：\1"),
        (r"by: default \(no rule matched\)", "依据：默认值（没有规则适用）"),
        (r"by: (.*)", r"依据：\1"),
        (r"  fires whatever is missing: (.*)", r"  无论缺少什么都适用：\1"),
        (r"  if (\S+) fires too: an error — .*", r"  若 \1 也适用：出错——unique 命中策略下两条规则同时适用（规则冲突）"),
        (r"  if (\S+) fires: (.*)", r"  若 \1 适用：\2"),
        (r"  if no rule fires: (.*) \(default\)", r"  若没有规则适用：\1（默认值）"),
        (r"rules:", "规则："),
        (r"  · (.*)   \(not reached\)", r"  · \1   （未执行到：前面的规则已经决定）"),
        (r"  \? (.*)   \(could fire: needs (.*)\)", r"  ? \1   （可能适用：还需要 \2）"),
        (r"  ([✓✗] .*)", r"  \1"),  # a rule and its condition: the rule's own words
        (r"      (?P<result>true |false)  (?P<rest>.*)", _condition),
        (r"provisional: the (?P<clock>.+?) deadline (?P<due>\S+) rests on days after (?P<date>\S+), where calendar "
         r"'(?P<calendar>.+?)' has no official data yet \(.*\) / .*",
         lambda m: f"暂定：{_named('clock', m['clock'])}期限 {m['due']} 落在 {m['date']} 之后，日历 "
         f"'{m['calendar']}' 尚无官方数据（按节假日法推算；以国务院当年的节假日安排通知为准，可能变动）"),
        (r"actions / 处置措施:", "处置措施："),
        (r"  (?P<code>\S+) — (?P<description>.*) \((?P<owners>[a-z_, ]+)\)(?:, due (?P<due>\S+) \(within (?P<within>.+?)\))?"
         r"; asked by (?P<policy>\S+) (?P<rule>\S+)",
         lambda m: f"  {m['code']} — {m['description']}（负责人：{_owners(m['owners'])}）"
         + (f"，须在 {m['due']} 前完成（{_duration(m['within'])}）" if m["due"] else "")
         + "；由规则集 " + m["policy"] + (" 的默认值要求" if m["rule"] == "default" else f" 的规则 {m['rule']} 要求")),
        (r"triage on partial facts \((.*)\)", r"按部分事实分诊（\1）"),
        (r"(?P<what>risk level|tier|refund decision): (?P<value>.*)   \(settled / 已确定\)",
         lambda m: f"{_named('diff.out', m['what'])}：{m['value']}   （已确定）"),
        (r"(?P<what>risk level|tier|refund decision): not settled — (?P<values>.*) / 尚未确定",
         lambda m: f"{_named('diff.out', m['what'])}：尚未确定——可能是 {_either(m['values'])}"),
        (r"deadlines: every fact is given: a complete triage computes the deadlines", "期限：事实已齐全，完整分诊会算出期限"),
        (r"deadlines: computed once every fact is given \(a complete triage\)", "期限：事实齐全后（完整分诊）才能计算"),
    ))


def _duration(text: str) -> str:
    from .i18n import duration_text

    return duration_text(text, "zh")


def localize_line(line: str) -> str | None:
    """The Chinese of one explanation line, or None when the line is of no known shape."""
    for pattern, replacement in _LINES:
        m = pattern.fullmatch(line)
        if m:
            return replacement(m) if callable(replacement) else m.expand(replacement)
    return None


def localize_explanation(text: str, lang: str) -> str:
    """An explanation in `lang`: unchanged in English; in Chinese every line of a known shape translated, the
    rules' own words kept, blank lines and lines of another shape as they are."""
    if lang != "zh":
        return text
    out = []
    for line in text.split("\n"):
        out.append(line if not line else (localize_line(line) or line))
    return "\n".join(out)
