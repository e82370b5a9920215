#!/usr/bin/env python3
"""kefu's rules engine side by side with the Python rules engines and keyword matchers people use instead.

One run times, on the same pseudo-random tickets and the same complaint texts:

* a 30-rule first-hit refund/escalation table, benchmarks/data/refund_30.yaml, in kefu
  (`DecisionPolicy.evaluate_columns` on the same list of dicts, on a dict of columns and on a DataFrame,
  returning numpy columns; `evaluate_many` on a list of dicts, returning Decision objects; and
  `evaluate` per dict), in zen-engine (the same
  table as a JDM decision table with hit policy first, benchmarks/data/refund_30.jdm.json, generated
  from the YAML by this script; per row, `evaluate_batch` and `async_evaluate`) and in rule-engine (one
  `rule_engine.Rule` per rule, tried in order until one matches);
* the risk-word scan: 60 words (benchmarks/data/risk_words.txt) over ~1 MB of complaints (the text
  column of examples/data/tickets.csv, five times, shuffled), in kefu (a policy with the one rule
  `contains_any(text, risk)`) and in pyahocorasick (an `Automaton`, first match of `iter` per text);
* the C++ benchmarks of build/cpp/benchmarks/kefu_bench_rules, when built.

Before timing, every engine's decision (the id of the rule that decided, or "default") is checked
against kefu's on every row, and every keyword answer on every text; the script stops with exit
status 1 when they differ. It then rewrites the section "## Rules engine vs peers" of
docs/performance.md, and with --write-cpp-section also "## Rules engine (C++)" (the other sections are kept).

    make cpp-build python-install
    .venv/bin/pip install -r benchmarks/requirements.txt
    .venv/bin/python benchmarks/rules_peers.py
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import datetime as dt
import decimal
import json
import os
import platform
import re
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import ahocorasick
import pandas as pd
import rule_engine
import yaml
import zen

import kefu

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / "data"
DOC = ROOT / "docs" / "performance.md"
TABLE_YAML = DATA / "refund_30.yaml"
TABLE_JDM = DATA / "refund_30.jdm.json"
RISK_WORDS = DATA / "risk_words.txt"
TICKETS = ROOT / "examples" / "data" / "tickets.csv"
CPP_BENCH = ROOT / "build" / "cpp" / "benchmarks" / "kefu_bench_rules"
HEADING_CPP = "## Rules engine (C++)"
HEADING = "## Rules engine vs peers"
COMMAND = (
    "make cpp-build python-install && .venv/bin/pip install -r benchmarks/requirements.txt && "
    ".venv/bin/python benchmarks/rules_peers.py"
)
CPP_COMMAND = ("make cpp-build && build/cpp/benchmarks/kefu_bench_rules --benchmark_repetitions=5 "
               "--benchmark_report_aggregates_only=true")
SEED = 2026
CORPUS_REPEATS = 5
MASK64 = (1 << 64) - 1
# One policy file: kefu.DecisionPolicy (kefu.Policy before it became the rules-directory facade).
FilePolicy = getattr(kefu, "DecisionPolicy", kefu.Policy)


# Timing and number formats: benchmarks/_timing.py.
from _timing import best_seconds, fmt_ratio, fmt_time  # noqa: E402


def fmt_rate(per_second: float, unit: str) -> str:
    if per_second >= 1e6:
        return f"{per_second / 1e6:.3g} M {unit}/s"
    if per_second >= 1e3:
        return f"{per_second / 1e3:.3g} k {unit}/s"
    return f"{per_second:.3g} {unit}/s"


@dataclass
class Row:
    operation: str
    peer: str
    peer_s: float  # seconds per element (row or text)
    kefu_call: str
    kefu_s: float
    n_peer: int
    n_kefu: int
    unit: str = "row"
    bytes_per_element: float = 0.0  # for MB/s

    @property
    def ratio(self) -> float:
        return self.peer_s / self.kefu_s


@dataclass
class Results:
    rows: list[Row] = field(default_factory=list)
    variants: list[tuple[str, float, str]] = field(default_factory=list)  # (kefu call, s per row, note)
    checks: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    spread: str = ""
    cpp: dict[str, dict] = field(default_factory=dict)  # benchmark name -> median aggregate
    cpp_context: dict = field(default_factory=dict)

    def check(self, ok: bool, text: str) -> None:
        (self.checks if ok else self.failures).append(text)
        print(("  ok   " if ok else "  FAIL ") + text, flush=True)


def timed(res: Results, operation: str, peer: str, peer_fn, n_peer: int, kefu_call: str, kefu_fn, n_kefu: int,
          repeat: int, peer_s: float | None = None, kefu_s: float | None = None, unit: str = "row",
          bytes_per_element: float = 0.0) -> Row:
    if peer_s is None:
        peer_s = best_seconds(peer_fn, repeat) / n_peer
    if kefu_s is None:
        kefu_s = best_seconds(kefu_fn, repeat) / n_kefu
    row = Row(operation, peer, peer_s, kefu_call, kefu_s, n_peer, n_kefu, unit, bytes_per_element)
    res.rows.append(row)
    print(f"  {operation:58s} {fmt_time(peer_s):>10s} {fmt_time(kefu_s):>10s} {fmt_ratio(row.ratio):>9s}", flush=True)
    return row


# --- the tickets (keep in step with make_rows in benchmarks/bench_rules.cpp) ---------------------


class SplitMix64:
    def __init__(self, seed: int) -> None:
        self.s = seed & MASK64

    def __call__(self) -> int:
        self.s = (self.s + 0x9E3779B97F4A7C15) & MASK64
        z = self.s
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        return z ^ (z >> 31)


BUSINESS = ["ecommerce", "mall", "smart_counter", "fresh"]
CHANNEL = ["phone", "online", "email", "wecom", "merchant_platform", "social", "store"]
CATEGORY = ["consultation", "order_query", "logistics_delay", "refund_request", "abnormal_order", "duplicate_charge",
            "delayed_charge", "quality_defect", "expiry", "service_attitude", "billing_error", "wrong_item",
            "safety_injury", "live_seafood_dead", "spoiled_on_arrival", "ripening", "cold_chain_break"]
ITEM_CLASS = ["normal", "clearance", "fresh", "live_seafood", "cold_chain"]
OWN = [[0, 1, 2, 3, 7, 8, 9, 11], [0, 3, 7, 9, 10, 11, 12], [0, 4, 5, 6, 7, 8], [1, 2, 3, 7, 13, 14, 15, 16]]
EDGES = [20000, 20001, 30000, 30001, 50000, 50001, 100000, 100001]  # fen: ¥200, ¥300, ¥500, ¥1,000 and a fen above


def make_rows(n: int, seed: int) -> tuple[list[dict], list[dict]]:
    """n tickets as dicts: (for kefu, with claimed_amount as text "123.45"; for the peers, as a float)."""
    r = SplitMix64(seed)
    kefu_rows, peer_rows = [], []
    for _ in range(n):
        biz = r() % 4
        channel = CHANNEL[r() % 7]
        cat = r() % 17 if r() % 4 == 0 else OWN[biz][r() % len(OWN[biz])]
        item = ITEM_CLASS[r() % 5]
        days = r() % 17 if r() % 2 else r() % 401
        k = r() % 10
        fen = r() % 50001 if k < 7 else r() % 150001 if k < 9 else EDGES[r() % 8]
        rep = r() % 10
        repeats = 0 if rep < 6 else 1 if rep < 8 else 2 if rep == 8 else 3 + r() % 2
        row = {"business": BUSINESS[biz], "channel": channel, "category": CATEGORY[cat], "item_class": item,
               "days_since_purchase": days, "claimed_amount": f"{fen // 100}.{fen % 100:02d}",
               "repeat_complaints": repeats, "has_receipt": r() % 4 != 0, "used": r() % 2 != 0,
               "packaging_intact": r() % 3 != 0, "vip": r() % 7 == 0, "verified": r() % 2 != 0}
        kefu_rows.append(row)
        peer_rows.append({**row, "claimed_amount": fen / 100})
    return kefu_rows, peer_rows


def make_corpus(seed: int) -> list[str]:
    """The text column of tickets.csv, CORPUS_REPEATS times, shuffled as in bench_rules.cpp."""
    with TICKETS.open(encoding="utf-8", newline="") as f:
        texts = [row["text"] for row in csv.DictReader(f)]
    out = texts * CORPUS_REPEATS
    r = SplitMix64(seed)
    for i in range(len(out) - 1, 0, -1):
        j = r() % (i + 1)
        out[i], out[j] = out[j], out[i]
    return out


def risk_words() -> list[str]:
    return [ln.strip() for ln in RISK_WORDS.read_text(encoding="utf-8").splitlines()
            if ln.strip() and not ln.lstrip().startswith("#")]


# --- kefu's condition language (the subset the table uses) → rule-engine and JDM --------------------

TOKEN = re.compile(r"\s*(?:(?P<money>[¥￥][0-9][0-9,]*(?:\.[0-9]+)?)|(?P<number>[0-9]+)|"
                   r"(?P<op>==|!=|<=|>=|\.\.|[<>(){}\[\],])|(?P<name>[A-Za-z_][A-Za-z0-9_]*))")


def tokenize(text: str) -> list[tuple[str, object]]:
    out, i = [], 0
    while i < len(text):
        if text[i:].strip() == "":
            break
        m = TOKEN.match(text, i)
        if not m:
            raise ValueError(f"cannot translate '{text}' at {i}")
        i = m.end()
        if m.group("money"):
            out.append(("lit", ("money", int(decimal.Decimal(m.group("money")[1:].replace(",", "")) * 100))))
        elif m.group("number"):
            out.append(("lit", ("int", int(m.group("number")))))
        elif m.group("op"):
            out.append(("op", m.group("op")))
        else:
            out.append(("name", m.group("name")))
    out.append(("end", None))
    return out


class Parser:
    """or := and ('or' and)*; and := not ('and' not)*; not := 'not' not | atom. Atoms read one input:
    `x op literal`, `x [not] in {a, b}`, `x [not] in [lo..hi]`, or a bool input alone."""

    def __init__(self, text: str, inputs: dict[str, kefu.Field]) -> None:
        self.toks, self.i, self.inputs, self.text = tokenize(text), 0, inputs, text

    def peek(self, kind: str, value=None) -> bool:
        k, v = self.toks[self.i]
        return k == kind and (value is None or v == value)

    def take(self, kind: str, value=None):
        if not self.peek(kind, value):
            raise ValueError(f"cannot translate '{self.text}': expected {value or kind} at token {self.i}")
        self.i += 1
        return self.toks[self.i - 1][1]

    def parse(self):
        node = self.or_()
        self.take("end")
        return node

    def or_(self):
        node = self.and_()
        while self.peek("name", "or"):
            self.i += 1
            node = ("or", node, self.and_())
        return node

    def and_(self):
        node = self.not_()
        while self.peek("name", "and"):
            self.i += 1
            node = ("and", node, self.not_())
        return node

    def not_(self):
        if self.peek("name", "not"):
            self.i += 1
            return ("not", self.not_())
        return self.atom()

    def value(self, f: kefu.Field):
        if f.type in ("enum",):
            v = self.take("name")
            if v not in f.values:
                raise ValueError(f"'{v}' is not a value of {f.name}")
            return v
        kind, v = self.take("lit")
        if (f.type == "money") != (kind == "money"):
            raise ValueError(f"cannot translate '{self.text}': {f.name} is {f.type}")
        return v

    def atom(self):
        if self.peek("op", "("):
            self.i += 1
            node = self.or_()
            self.take("op", ")")
            return node
        name = self.take("name")
        f = self.inputs[name]
        if self.peek("op") and self.toks[self.i][1] in ("==", "!=", "<", "<=", ">", ">="):
            op = self.take("op")
            return ("cmp", name, op, self.value(f))
        negated = False
        if self.peek("name", "not"):
            self.i += 1
            negated = True
            self.take("name", "in")
            return self.membership(name, f, negated)
        if self.peek("name", "in"):
            self.i += 1
            return self.membership(name, f, negated)
        if f.type != "bool":
            raise ValueError(f"cannot translate '{self.text}': {name} alone is not a bool")
        return ("bool", name, True)

    def membership(self, name, f, negated):
        if self.peek("op", "{"):
            self.i += 1
            values = [self.value(f)]
            while self.peek("op", ","):
                self.i += 1
                values.append(self.value(f))
            self.take("op", "}")
            return ("in", name, ("set", values), negated)
        self.take("op", "[")
        lo = self.value(f)
        self.take("op", "..")
        hi = self.value(f)
        self.take("op", "]")
        return ("in", name, ("range", lo, hi), negated)


def peer_literal(f: kefu.Field, v) -> str:
    """A literal as the peers read it: enums as strings, money as yuan (the peers get floats)."""
    if f.type == "enum":
        return json.dumps(v)
    if f.type == "money":
        return repr(v / 100)
    return str(v)


def to_rule_engine(node, inputs: dict[str, kefu.Field]) -> str:
    kind = node[0]
    if kind in ("and", "or"):
        return f"({to_rule_engine(node[1], inputs)} {kind} {to_rule_engine(node[2], inputs)})"
    if kind == "not":
        return f"not {to_rule_engine(node[1], inputs)}"
    if kind == "bool":
        return node[1] if node[2] else f"not {node[1]}"
    if kind == "cmp":
        _, name, op, v = node
        return f"{name} {op} {peer_literal(inputs[name], v)}"
    _, name, what, negated = node
    f = inputs[name]
    if what[0] == "set":
        text = f"{name} in [{', '.join(peer_literal(f, v) for v in what[1])}]"
    else:
        text = f"({name} >= {peer_literal(f, what[1])} and {name} <= {peer_literal(f, what[2])})"
    return f"not ({text})" if negated else text


FLIP = {"==": "!=", "!=": "==", "<": ">=", ">=": "<", "<=": ">", ">": "<="}


def dnf(node, negate: bool = False) -> list[list[tuple]]:
    """The condition as a disjunction of conjunctions of atoms (negations pushed into the atoms)."""
    kind = node[0]
    if kind == "not":
        return dnf(node[1], not negate)
    if kind in ("and", "or"):
        conj = (kind == "and") != negate
        left, right = dnf(node[1], negate), dnf(node[2], negate)
        return [a + b for a in left for b in right] if conj else left + right
    if not negate:
        return [[node]]
    if kind == "bool":
        return [[("bool", node[1], not node[2])]]
    if kind == "cmp":
        return [[("cmp", node[1], FLIP[node[2]], node[3])]]
    return [[("in", node[1], node[2], not node[3])]]


def unary(atom, f: kefu.Field, alone: bool) -> str:
    """A JDM decision-table cell ('$' is the column's value); the short forms when the atom is alone."""
    kind = atom[0]
    if kind == "bool":
        return ("true" if atom[2] else "false") if alone else f"$ == {'true' if atom[2] else 'false'}"
    if kind == "cmp":
        _, _, op, v = atom
        if op == "==" and alone and f.type == "enum":
            return peer_literal(f, v)
        return f"{op} {peer_literal(f, v)}" if alone and op != "!=" else f"$ {op} {peer_literal(f, v)}"
    _, _, what, negated = atom
    if what[0] == "set":
        items = ", ".join(peer_literal(f, v) for v in what[1])
        if negated:
            return f"not($ in [{items}])"
        return items if alone else f"$ in [{items}]"
    lo, hi = peer_literal(f, what[1]), peer_literal(f, what[2])
    if negated:
        return f"($ < {lo} or $ > {hi})"
    return f"[{lo}..{hi}]" if alone else f"($ >= {lo} and $ <= {hi})"


@dataclass
class Table:
    policy: object  # FilePolicy
    ids: list[str]
    when: list[str]
    then: list[dict]
    default: dict
    inputs: dict[str, kefu.Field]
    outputs: list[str]


def load_table() -> Table:
    pol = FilePolicy.load(str(TABLE_YAML))
    doc = yaml.safe_load(TABLE_YAML.read_text(encoding="utf-8"))
    rules = doc["rules"]
    assert [r["id"] for r in rules] == [r.id for r in pol.rules]
    return Table(pol, [r["id"] for r in rules], [str(r["when"]) for r in rules], [r["then"] for r in rules],
                 doc["default"], {f.name: f for f in pol.inputs}, [f.name for f in pol.outputs])


def jdm_of(t: Table) -> dict:
    """The table as a GoRules JSON Decision Model: input → decision table (hit policy first) → output.
    A rule whose condition has an `or` across inputs becomes consecutive rows with the same outputs."""
    conjunctions = [dnf(Parser(w, t.inputs).parse()) for w in t.when]
    used = [name for name in t.inputs if any(a[1] == name for c in conjunctions for conj in c for a in conj)]
    col = {name: f"in-{name}" for name in used}
    out_col = {name: f"out-{name}" for name in t.outputs + ["rule"]}
    rows = []
    for rid, conj_list, then in zip(t.ids, conjunctions, t.then):
        for k, conj in enumerate(conj_list, 1):
            cells = {col[name]: "" for name in used}
            for name in used:
                atoms = [a for a in conj if a[1] == name]
                if atoms:
                    cells[col[name]] = " and ".join(unary(a, t.inputs[name], len(atoms) == 1) for a in atoms)
            row = {"_id": f"{rid}#{k}", **cells}
            for o in t.outputs:
                row[out_col[o]] = json.dumps(then.get(o, t.default.get(o)))
            row[out_col["rule"]] = json.dumps(rid)
            rows.append(row)
    rows.append({"_id": "default", **{col[name]: "" for name in used},
                 **{out_col[o]: json.dumps(t.default.get(o)) for o in t.outputs}, out_col["rule"]: json.dumps("default")})
    table = {"hitPolicy": "first",
             "inputs": [{"id": col[name], "name": name, "field": name} for name in used],
             "outputs": [{"id": out_col[o], "name": o, "field": o} for o in t.outputs + ["rule"]],
             "rules": rows}
    return {"contentType": "application/vnd.gorules.decision",
            "nodes": [{"id": "request", "type": "inputNode", "name": "Request", "position": {"x": 0, "y": 0}},
                      {"id": "refund-30", "type": "decisionTableNode", "name": "refund-30",
                       "position": {"x": 250, "y": 0}, "content": table},
                      {"id": "response", "type": "outputNode", "name": "Response", "position": {"x": 500, "y": 0}}],
            "edges": [{"id": "request-table", "type": "edge", "sourceId": "request", "targetId": "refund-30"},
                      {"id": "table-response", "type": "edge", "sourceId": "refund-30", "targetId": "response"}]}


def jdm_text(t: Table) -> str:
    return json.dumps(jdm_of(t), ensure_ascii=False, indent=2) + "\n"


# --- the comparisons ----------------------------------------------------------------------------


def first_hit(rules, row) -> str:
    for rid, rule in rules:
        if rule.matches(row):
            return rid
    return "default"


def compare_table(res: Results, t: Table, n: int, n_slow: int, repeat: int) -> None:
    kefu_rows, peer_rows = make_rows(n, SEED)
    pol = t.policy
    expected = [d.rule_id or "default" for d in pol.evaluate_many(kefu_rows)]
    counts = Counter(expected)
    top = counts.most_common(1)[0]
    res.spread = (f"{len(counts) - ('default' in counts)} of {len(t.ids)} rules decide at least one row; the default "
                  f"{100 * counts['default'] / n:.1f} %; the most frequent, {top[0]}, {100 * top[1] / n:.1f} %; "
                  f"{sum((t.ids.index(r) + 1 if r != 'default' else len(t.ids)) for r in expected) / n:.1f} rules "
                  "tried per row on average")
    print(f"refund_30: {n:,} rows; {res.spread}")

    # zen-engine: the committed JDM file must be this table's translation.
    generated = jdm_text(t)
    committed = TABLE_JDM.read_text(encoding="utf-8") if TABLE_JDM.exists() else ""
    jdm_rows = [r["_id"].split("#")[0] for r in jdm_of(t)["nodes"][1]["content"]["rules"]]
    split = [rid for rid, k in Counter(jdm_rows).items() if k > 1]
    res.check(committed == generated, f"{TABLE_JDM.relative_to(ROOT)} is the translation of "
              f"{TABLE_YAML.relative_to(ROOT)} ({len(jdm_rows)} rows: {len(t.ids)} rules, the `or` across inputs of "
              f"{', '.join(split)} as a row per alternative, and a default row)"
              + ("" if committed == generated else " — run with --write-jdm"))
    key = "refund_30"
    engine = zen.ZenEngine({"loader": {"type": "static", "content": {key: json.loads(generated)}}})
    decision = engine.create_decision(generated)
    slow_kefu, slow_peer, slow_expected = kefu_rows[:n_slow], peer_rows[:n_slow], expected[:n_slow]

    def zen_rule(response) -> str:
        return response["result"]["rule"]

    zen_rules = [zen_rule(engine.evaluate(key, r)) for r in peer_rows]
    res.check(zen_rules == expected, f"zen-engine ZenEngine.evaluate(key, row) == kefu evaluate_many on all {n:,} rows "
              f"({sum(a != b for a, b in zip(zen_rules, expected)):,} differ)")
    batch_requests = [{"key": key, "context": r} for r in peer_rows]
    batch = engine.evaluate_batch(batch_requests)
    batch_rules = [zen_rule(b["data"]) if b.get("success") else "error" for b in batch]
    res.check(batch_rules == expected, f"zen-engine ZenEngine.evaluate_batch == kefu on all {n:,} rows")
    decision_rules = [zen_rule(decision.evaluate(r)) for r in slow_peer]
    res.check(decision_rules == slow_expected, f"zen-engine ZenDecision.evaluate(row) == kefu on the first {n_slow:,} rows")

    async def zen_async(rows):
        return await asyncio.gather(*[engine.async_evaluate(key, r) for r in rows])

    async_rules = [zen_rule(x) for x in asyncio.run(zen_async(slow_peer))]
    res.check(async_rules == slow_expected, f"zen-engine ZenEngine.async_evaluate under asyncio.gather == kefu on the "
              f"first {n_slow:,} rows")

    rules = [(rid, rule_engine.Rule(to_rule_engine(Parser(w, t.inputs).parse(), t.inputs))) for rid, w in zip(t.ids, t.when)]
    re_rules = [first_hit(rules, r) for r in peer_rows]
    res.check(re_rules == expected, f"rule-engine (30 Rule objects, first that matches) == kefu on all {n:,} rows "
              f"({sum(a != b for a, b in zip(re_rules, expected)):,} differ)")
    per_call = [pol.evaluate(r).rule_id or "default" for r in kefu_rows]
    res.check(per_call == expected, f"kefu {FilePolicy.__name__}.evaluate per dict == evaluate_many on all {n:,} rows")
    outputs_ok = all(d.outputs == {o: z["result"][o] for o in t.outputs}
                     for d, z in zip(pol.evaluate_many(slow_kefu), (engine.evaluate(key, r) for r in slow_peer)))
    res.check(outputs_ok, f"kefu Decision.outputs == zen-engine's decision and tier on the first {n_slow:,} rows")

    evaluate, evaluate_many, zevaluate = pol.evaluate, pol.evaluate_many, engine.evaluate

    def kefu_many():
        return [d.rule_id for d in evaluate_many(kefu_rows)]

    # The columnar form: the same list of dicts, or columns built before timing (a dict of lists, a DataFrame).
    evaluate_columns = pol.evaluate_columns
    kefu_columns = {name: [r[name] for r in kefu_rows] for name in kefu_rows[0]}
    kefu_frame = pd.DataFrame(kefu_rows)
    for form, data in (("list of dicts", kefu_rows), ("dict of lists", kefu_columns), ("DataFrame", kefu_frame)):
        got = [x or "default" for x in evaluate_columns(data).rule_id.tolist()]
        res.check(got == expected, f"kefu evaluate_columns({form}).rule_id == evaluate_many on all {n:,} rows "
                  f"({sum(a != b for a, b in zip(got, expected)):,} differ)")
    first_outputs = evaluate_columns(slow_kefu).outputs
    outputs_ok = all(first_outputs[o].tolist() == [z["result"][o] for z in (engine.evaluate(key, r) for r in slow_peer)]
                     for o in t.outputs)
    res.check(outputs_ok, f"kefu evaluate_columns(rows).outputs == zen-engine's decision and tier on the first {n_slow:,} rows")

    print(f"  {'operation (peer vs kefu, per row)':58s} {'peer':>10s} {'kefu':>10s} {'ratio':>9s}")
    batch_peer = "zen-engine `engine.evaluate_batch([{'key': …, 'context': row}, …])`"
    cols_call = "`policy.evaluate_columns(rows)`: list of dicts in, numpy columns out"
    cols = timed(res, "30-rule table, batch, list of dicts in", batch_peer, lambda: engine.evaluate_batch(batch_requests), n,
                 cols_call, lambda: evaluate_columns(kefu_rows), n, repeat)
    timed(res, "30-rule table, batch, columns in", batch_peer, None, n,
          "`policy.evaluate_columns({name: list, …})`: dict of lists in (built before timing), numpy columns out",
          lambda: evaluate_columns(kefu_columns), n, repeat, peer_s=cols.peer_s)
    timed(res, "30-rule table, batch, DataFrame in", batch_peer, None, n,
          "`policy.evaluate_columns(frame)`: DataFrame in (built before timing), numpy columns out",
          lambda: evaluate_columns(kefu_frame), n, repeat, peer_s=cols.peer_s)
    many_call = "`policy.evaluate_many(rows)`, then `.rule_id` of each"
    many = timed(res, "30-rule table, batch, Decision objects", batch_peer, None, n, many_call, kefu_many, n, repeat,
                 peer_s=cols.peer_s)
    zen_row = timed(res, "30-rule table, per row", "zen-engine `engine.evaluate(key, row)`",
                    lambda: [zevaluate(key, r) for r in peer_rows], n, cols_call, None, n, repeat, kefu_s=cols.kefu_s)
    slow_repeat = max(1, min(repeat, 3))
    timed(res, "30-rule table, asyncio", "zen-engine `asyncio.gather(*(engine.async_evaluate(key, row) …))`",
          lambda: asyncio.run(zen_async(slow_peer)), n_slow, cols_call, None, n, slow_repeat, kefu_s=cols.kefu_s)
    timed(res, "30-rule table, per row (ZenDecision)", "zen-engine `decision.evaluate(row)`",
          lambda: [decision.evaluate(r) for r in slow_peer], n_slow, cols_call, None, n, slow_repeat,
          kefu_s=cols.kefu_s)
    timed(res, "30-rule table, call for call", "zen-engine `engine.evaluate(key, row)`", None, n,
          "`policy.evaluate(row).rule_id`", lambda: [evaluate(r).rule_id for r in kefu_rows], n, repeat,
          peer_s=zen_row.peer_s)
    timed(res, "30-rule table, per row", "rule-engine: 30 `Rule.matches(row)`, first that matches",
          lambda: [first_hit(rules, r) for r in slow_peer], n_slow, cols_call, None, n, slow_repeat,
          kefu_s=cols.kefu_s)

    # What kefu's own Python calls cost, to show where the time goes (docs: "kefu's binding").
    texts_rows = [{k: (str(v).lower() if isinstance(v, bool) else str(v)) for k, v in r.items()} for r in kefu_rows]
    money_rows = [{**r, "claimed_amount": kefu.Money(r["claimed_amount"])} for r in kefu_rows]
    call_for_call = get(res, "30-rule table, call for call").kefu_s
    variants = [
        ("`policy.evaluate_columns(rows)`", cols.kefu_s, "list of dicts in, numpy columns out (the call of the table above)"),
        ("`policy.evaluate_columns(rows).to_pandas()`", lambda: evaluate_columns(kefu_rows).to_pandas(),
         "the same as a DataFrame (outputs, rule_id)"),
        ("`policy.evaluate_columns(rows)`, claimed_amount as `kefu.Money`", lambda: evaluate_columns(money_rows),
         "Money objects built before timing: no amount text to parse"),
        ("building the dict of lists from the list of dicts in Python",
         lambda: {name: [r[name] for r in kefu_rows] for name in kefu_rows[0]}, "what `columns in` leaves out of its time"),
        ("`policy.evaluate_many(rows)` (Decision objects only)", lambda: evaluate_many(kefu_rows),
         "the dict conversion, the evaluation and one Decision object per row"),
        ("`policy.evaluate_many(rows)`, then `.rule_id` of each", many.kefu_s, "Decision objects (above)"),
        ("`policy.evaluate_many(rows)`, then `.outputs` of each", lambda: [d.outputs for d in evaluate_many(kefu_rows)],
         "what zen-engine returns: a dict of the outputs per row"),
        ("`policy.evaluate_many(rows)`, every value as text", lambda: evaluate_many(texts_rows),
         "ints and bools as '12', 'true': no Python-side str()"),
        ("`policy.evaluate_many(rows)`, claimed_amount as `kefu.Money`", lambda: evaluate_many(money_rows),
         "Money objects built before timing"),
        ("`policy.evaluate(row).rule_id` per row", call_for_call, "call for call (above)"),
    ]
    print("  kefu variants (per row):")
    for call, fn, note in variants:
        s = fn if isinstance(fn, float) else best_seconds(fn, repeat) / n
        res.variants.append((call, s, note))
        print(f"    {call:70s} {fmt_time(s):>10s}", flush=True)
    baseline = best_seconds(lambda: [r.get("business") for r in kefu_rows], repeat) / n
    res.variants.append(("(baseline) a Python loop reading one key of each dict", baseline, "for scale"))


def risk_policy_yaml(words: list[str]) -> str:
    return ("policy: risk-scan\nhit_policy: first\ninputs:\n  text: text\nkeywords:\n  risk: [" + ", ".join(words) +
            "]\noutputs:\n  risk: {type: enum, values: [normal, high]}\nrules:\n  - id: RISK-WORD\n"
            "    when: contains_any(text, risk)\n    then: {risk: high}\ndefault: {risk: normal}\n")


# kefu's folding (include/kefu/rules/keywords.hpp): full-width ASCII U+FF01-FF5E to ASCII, U+3000 to a space,
# ASCII capitals to lower case. pyahocorasick matches code points as given, so its texts are folded first.
FOLD = {c: chr(c - 0xFF01 + 0x21).lower() for c in range(0xFF01, 0xFF5F)}
FOLD[0x3000] = " "
FOLD.update({c: chr(c + 32) for c in range(ord("A"), ord("Z") + 1)})


def fold(text: str) -> str:
    return text.translate(FOLD)


def compare_keywords(res: Results, repeat: int) -> None:
    words = risk_words()
    texts = make_corpus(SEED)
    n = len(texts)
    nbytes = sum(len(x.encode("utf-8")) for x in texts)
    pol = FilePolicy.from_yaml(risk_policy_yaml(words), "risk-scan.yaml")
    rows = [{"text": x} for x in texts]
    automaton = ahocorasick.Automaton()
    for i, w in enumerate(words):
        automaton.add_word(fold(w), i)
    automaton.make_automaton()
    folded = [fold(x) for x in texts]
    print(f"keywords: {len(words)} words, {n:,} texts, {nbytes:,} bytes of UTF-8")

    # kefu's rule for words that begin or end with an ASCII letter or digit (12315, 12345): they match
    # only where the text does not continue that run of letters or digits (not inside an order number).
    left = [w[0].isascii() and w[0].isalnum() for w in words]
    right = [w[-1].isascii() and w[-1].isalnum() for w in words]
    length = [len(w) for w in words]

    def alnum(ch: str) -> bool:
        return ch.isascii() and ch.isalnum()

    def aho_first(x: str, it=automaton.iter) -> bool:
        for end, i in it(x):
            start = end - length[i] + 1
            if ((not left[i] or start == 0 or not alnum(x[start - 1])) and
                    (not right[i] or end + 1 == len(x) or not alnum(x[end + 1]))):
                return True
        return False

    def aho_any(texts_):
        return [aho_first(x) for x in texts_]

    def aho_fold_any(texts_):
        return [aho_first(x.translate(FOLD)) for x in texts_]

    k = [d.rule_id is not None for d in pol.evaluate_many(rows)]
    p = aho_any(folded)
    raw = aho_any(texts)
    anywhere = [next(automaton.iter(x), None) is not None for x in folded]
    res.check(k == p, f"kefu contains_any(text, risk) == pyahocorasick (a match of Automaton.iter) on the folded text, "
              f"all {n:,} texts ({sum(k):,} with a risk word; {sum(a != b for a, b in zip(k, p))} differ). On the "
              f"unfolded text pyahocorasick misses {sum(a != b for a, b in zip(k, raw))}: full-width '１２３１５' in "
              f"the complaints. Matching 12315 and 12345 anywhere, not only as whole numbers, would change "
              f"{sum(a != b for a, b in zip(p, anywhere))} answers here")
    res.check(all(fold(w) == w for w in words), "folding leaves every risk word unchanged, so kefu and pyahocorasick "
              "look for the same strings")
    blob = "\n".join(folded)
    blob_bytes = len("\n".join(texts).encode("utf-8"))  # the corpus as written (folding is part of the job)
    matches = sum(1 for _ in automaton.iter(blob))
    print(f"  whole corpus: {matches:,} matches")

    evaluate_many, evaluate = pol.evaluate_many, pol.evaluate
    print(f"  {'operation (peer vs kefu, per text)':58s} {'peer':>10s} {'kefu':>10s} {'ratio':>9s}")
    many_call = "`policy.evaluate_many([{'text': t}, …])`, then `.rule_id` of each"
    many = timed(res, "risk words, per ticket text", "pyahocorasick: first match of `A.iter(text)` (ASCII words "
                 "whole only), text folded before timing", lambda: aho_any(folded), n, many_call,
                 lambda: [d.rule_id for d in evaluate_many(rows)], n, repeat, unit="text", bytes_per_element=nbytes / n)
    timed(res, "risk words, per ticket text, folding timed", "pyahocorasick on `text.translate(FOLD)`",
          lambda: aho_fold_any(texts), n, many_call, None, n, repeat, kefu_s=many.kefu_s, unit="text",
          bytes_per_element=nbytes / n)
    timed(res, "risk words, per ticket text, call for call", "pyahocorasick: first match of `A.iter(text)`, text "
          "folded before timing", None, n, "`policy.evaluate({'text': t}).rule_id`",
          lambda: [evaluate(r).rule_id for r in rows], n, repeat, peer_s=many.peer_s, unit="text",
          bytes_per_element=nbytes / n)
    cpp = res.cpp.get("BM_keywords_matches_whole_corpus")
    if cpp:
        aho_blob = best_seconds(lambda: sum(1 for _ in automaton.iter(blob)), repeat)
        timed(res, "risk words, the whole ~1 MB as one text, every match", "pyahocorasick `for m in A.iter(blob)`",
              None, 1, "C++ `keyword_set::matches(blob)` (no Python binding)", None, 1, repeat, peer_s=aho_blob,
              kefu_s=cpp["real_time_ns"] * 1e-9, unit="corpus", bytes_per_element=blob_bytes)


def run_cpp(res: Results, binary: Path, min_time: float) -> None:
    if not binary.exists():
        print(f"{binary} not built: the C++ rows are left out (make cpp-build)")
        return
    cmd = [str(binary), "--benchmark_repetitions=5", "--benchmark_report_aggregates_only=true",
           "--benchmark_format=json", f"--benchmark_min_time={min_time}"]
    print("running " + " ".join(cmd[:1]) + " …", flush=True)
    run = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if run.returncode != 0:
        res.check(False, f"{binary.name} failed: {run.stderr.strip()[-300:]}")
        return
    report = json.loads(run.stdout)
    res.cpp_context = report.get("context", {})
    unit_ns = {"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}
    labels = {}
    for b in report["benchmarks"]:
        if b.get("label"):
            labels[b["run_name"]] = b["label"]
        if b.get("aggregate_name") != "median":
            continue
        res.cpp[b["run_name"]] = {
            "real_time_ns": b["real_time"] * unit_ns[b["time_unit"]],
            "items_per_second": b.get("items_per_second"),
            "bytes_per_second": b.get("bytes_per_second"),
        }
    for name, label in labels.items():
        if name in res.cpp:
            res.cpp[name]["label"] = label
    for name, v in res.cpp.items():
        print(f"  {name:58s} {fmt_time(v['real_time_ns'] * 1e-9):>10s}")


# --- report -------------------------------------------------------------------------------------


def version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "?"


def machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    os_name = platform.platform()
    try:
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                os_name = line.split("=", 1)[1].strip('"')
    except OSError:
        pass
    return (f"{cpu}, {os.cpu_count()} logical CPUs, {os_name}, Python {platform.python_version()}, zen-engine "
            f"{version('zen-engine')}, rule-engine {version('rule-engine')}, pyahocorasick {version('pyahocorasick')}, "
            f"kefu {getattr(kefu, '__version__', '?')} (`make python-install`, Release)")


def get(res: Results, op: str, peer_prefix: str = "") -> Row | None:
    return next((r for r in res.rows if r.operation == op and r.peer.startswith(peer_prefix)), None)


def goals(res: Results) -> list[tuple[str, str, str]]:
    out = []
    zen_rows = [r for r in res.rows if r.peer.startswith("zen-engine") and "call for call" not in r.operation]
    same_input = get(res, "30-rule table, batch, list of dicts in")
    if zen_rows and same_input:
        fastest = min(r.peer_s for r in zen_rows)
        ratio = fastest / same_input.kefu_s
        text = (f"{fmt_ratio(ratio)} against zen-engine's fastest form (`evaluate_batch`), both given the same list of dicts: "
                f"{fmt_time(fastest)} vs {fmt_time(same_input.kefu_s)} per row (kefu: `evaluate_columns`, numpy columns out)")
        for op, what in (("30-rule table, batch, columns in", "a dict of lists"), ("30-rule table, batch, DataFrame in", "a DataFrame")):
            r = get(res, op)
            if r:
                text += f"; {fmt_ratio(fastest / r.kefu_s)} with kefu given {what} ({fmt_time(r.kefu_s)})"
        many = get(res, "30-rule table, batch, Decision objects")
        if many:
            text += f"; {fmt_ratio(fastest / many.kefu_s)} for `evaluate_many` (Decision objects, {fmt_time(many.kefu_s)})"
        out.append(("≥ 10× zen-engine's throughput from Python on batches", text, "yes" if ratio >= 10 else "no"))
    r, rf = get(res, "risk words, per ticket text"), get(res, "risk words, per ticket text, folding timed")
    if r and rf:
        out.append(("keyword scan at least as fast as pyahocorasick",
                    f"{fmt_ratio(r.ratio)} per ticket from Python against pyahocorasick on text folded beforehand "
                    f"({r.bytes_per_element / r.kefu_s / 1e6:.3g} MB/s vs {r.bytes_per_element / r.peer_s / 1e6:.3g} "
                    f"MB/s); {fmt_ratio(rf.ratio)} when pyahocorasick folds each text itself",
                    f"{'yes' if r.ratio >= 1 else 'no'}; {'yes' if rf.ratio >= 1 else 'no'} with folding"))
    r = get(res, "risk words, the whole ~1 MB as one text, every match")
    if r:
        out.append(("(same, the automaton alone)", f"{fmt_ratio(r.ratio)}: C++ `matches` "
                    f"{r.bytes_per_element / r.kefu_s / 1e6:.0f} MB/s vs pyahocorasick "
                    f"{r.bytes_per_element / r.peer_s / 1e6:.0f} MB/s", "yes" if r.ratio >= 1 else "no"))
    c = res.cpp.get("BM_policy_evaluate_refund30")
    if c:
        rate = 1e9 / c["real_time_ns"]
        out.append(("≥ 5 M decisions/s on one core (C++, 30-rule table)", f"{rate / 1e6:.2g} M/s "
                    f"({fmt_time(c['real_time_ns'] * 1e-9)} per decision)", "yes" if rate >= 5e6 else "no"))
    return out


CPP_ROWS = [
    ("BM_policy_evaluate_refund30", "evaluate the 30-rule table, record built, `decision` reused", "decision"),
    ("BM_policy_set_from_text_and_evaluate_refund30", "12 × `policy::set(record, slot, text)` into a reused record, "
     "then evaluate", "decision"),
    ("BM_policy_fresh_record_by_name_and_evaluate_refund30", "`make_record`, 12 × `set(r, slot(name), text)`, "
     "`evaluate(r)` returning a new `decision`", "decision"),
    ("BM_keywords_contains_any_per_ticket", "`keyword_set::contains_any(text)` per ticket text (60 words)", "text"),
    ("BM_keywords_contains_any_per_ticket_chinese_only", "the same without 12315 and 12345 (58 Chinese words)", "text"),
    ("BM_policy_keyword_rule_per_ticket", "a policy with the rule `contains_any(text, risk)`, per ticket text", "text"),
    ("BM_keywords_matches_whole_corpus", "`keyword_set::matches(blob)`: the ~1 MB as one text, every match", "corpus"),
    ("BM_keywords_build_60_words", "compile the 60-word set", ""),
    ("BM_policy_load_refund30", "`load_policy_string` of refund_30.yaml (YAML, checks, compile)", ""),
]


def render_cpp(res: Results) -> str:
    L = [HEADING_CPP, ""]
    L.append(f"Generated by `benchmarks/rules_peers.py` ({dt.date.today().isoformat()}), which runs:")
    L += ["", "```sh", CPP_COMMAND, "```", ""]
    ctx = res.cpp_context
    L.append(f"Google Benchmark, `benchmarks/bench_rules.cpp`, one core, medians of 5 repetitions "
             f"({ctx.get('num_cpus', '?')} CPUs at {ctx.get('mhz_per_cpu', '?')} MHz; GCC, Release). The table "
             "benchmarks walk 4,096 pseudo-random tickets built before timing (the first 4,096 rows of the "
             "Python comparison below), evaluated first-hit against `benchmarks/data/refund_30.yaml`; the "
             "keyword benchmarks read the text column of `examples/data/tickets.csv` five times, shuffled "
             "(15,000 texts, ~1 MB), against the 60 words of `benchmarks/data/risk_words.txt`. On this shared "
             "2-core machine repeated runs differ by up to ±30 %.")
    label = res.cpp.get("BM_policy_evaluate_refund30", {}).get("label")
    if label:
        L += ["", f"The 4,096 tickets: {label}."]
    L += ["", "| operation | time | throughput |", "| --- | --- | --- |"]
    for name, what, unit in CPP_ROWS:
        c = res.cpp.get(name)
        if not c:
            continue
        rate = []
        if c.get("bytes_per_second"):
            rate.append(f"{c['bytes_per_second'] / 1e6:.0f} MB/s")
        if c.get("items_per_second") and unit:
            rate.append(fmt_rate(c["items_per_second"], unit + "s"))
        if unit == "decision":
            when = f"{fmt_time(c['real_time_ns'] * 1e-9)} per decision"
        elif unit == "text" and c.get("items_per_second"):
            when = (f"{fmt_time(c['real_time_ns'] * 1e-9)} per 15,000 texts "
                    f"({fmt_time(1 / c['items_per_second'])} per text)")
        else:
            when = fmt_time(c["real_time_ns"] * 1e-9)
        L.append(f"| {what} | {when} | {', '.join(rate) or '—'} |")
    L += [""]
    c = res.cpp.get("BM_policy_evaluate_refund30")
    if c:
        rate = 1e9 / c["real_time_ns"]
        L.append(f"The goal of 5 M decisions/s on one core is {'met' if rate >= 5e6 else 'not met'}: "
                 f"{rate / 1e6:.2g} M/s. The time goes to `detail::program::eval`, a recursive walk over "
                 "expression nodes: `category == quality_defect` is three nodes (compare, input, literal), and a "
                 "first-hit table tries every rule above the one that decides (the average is given above the table).")
        L.append("")
    L.append("A keyword scan costs about the same called directly or through a rule (`contains_any` hits are "
             "computed once per text before the rules run). The automaton is a dense 256-wide transition table "
             "per state, one table read per byte, with full-width and case folding done on the fly; "
             "`contains_any` stops at the first match, `matches` reads every byte.")
    a, c = res.cpp.get("BM_keywords_contains_any_per_ticket"), res.cpp.get("BM_keywords_contains_any_per_ticket_chinese_only")
    if a and c:
        L.append("")
        L.append(f"Words that begin or end with an ASCII letter or digit (here 12315 and 12345) match only as whole "
                 f"numbers or words. A set with one such word answers `contains_any` through `matches`, which folds a "
                 f"copy of the text and reads it to the end: the 60-word set scans at "
                 f"{a['bytes_per_second'] / 1e6:.0f} MB/s, the 58 Chinese words alone at "
                 f"{c['bytes_per_second'] / 1e6:.0f} MB/s ({c['bytes_per_second'] / a['bytes_per_second']:.1f}×).")
    L.append("")
    return "\n".join(L)


def render(res: Results, args) -> str:
    L = [HEADING, ""]
    L.append(f"Generated by `benchmarks/rules_peers.py` ({dt.date.today().isoformat()}); do not edit by hand. "
             "Reproduce with:")
    L += ["", "```sh", COMMAND, "```", ""]
    L.append(f"Machine: {machine()}.")
    L.append("")
    L.append(f"Table: `benchmarks/data/refund_30.yaml`, 30 rules over 12 inputs, first hit, with a default; "
             f"{args.rows:,} pseudo-random tickets (seed {SEED}; rule-engine and zen-engine's asyncio and ZenDecision forms: "
             f"the first {args.slow_rows:,}). "
             f"{res.spread[0].upper() + res.spread[1:]}. Keywords: 60 risk words (`benchmarks/data/risk_words.txt`) "
             "over the text column of `examples/data/tickets.csv` five times, shuffled (15,000 texts, ~1 MB). "
             f"Times are the best of {args.repeat} runs divided by the number of rows or texts; \"ratio\" is peer "
             "time / kefu time (above 1: kefu is faster). Every row includes the Python loop or list building on "
             "both sides. The machine is shared: other builds ran during some runs, and repeated runs of this "
             "script differ by up to ±30 % (ratios, timed back to back, move less).")
    L += ["", "### Goals", "", "| goal | measured | met |", "| --- | --- | --- |"]
    for goal, measured, met in goals(res):
        L.append(f"| {goal} | {measured} | {met} |")
    L += ["", "### Per operation", "",
          "| operation | peer | peer time | kefu | kefu time | ratio |", "| --- | --- | --- | --- | --- | --- |"]
    for r in res.rows:
        L.append(f"| {r.operation} | {r.peer} | {fmt_time(r.peer_s)} | {r.kefu_call} | {fmt_time(r.kefu_s)} | "
                 f"{fmt_ratio(r.ratio)} |")
    L += ["", "### Where kefu's Python time goes", "", "| kefu call | time per row | note |", "| --- | --- | --- |"]
    for call, s, note in res.variants:
        if note == "seconds per byte":
            continue
        L.append(f"| {call} | {fmt_time(s)} | {note} |")
    cpp_eval = res.cpp.get("BM_policy_evaluate_refund30")
    cpp_text = res.cpp.get("BM_policy_set_from_text_and_evaluate_refund30")
    many = next((s for c, s, _ in res.variants if c.startswith("`policy.evaluate_many(rows)`, then `.rule_id`")), None)
    columnar = next((s for c, s, _ in res.variants if c == "`policy.evaluate_columns(rows)`"), None)
    if cpp_eval and cpp_text and many and columnar:
        L += ["", f"The evaluation itself is {fmt_time(cpp_eval['real_time_ns'] * 1e-9)} per row; parsing the 12 values "
              f"from text in C++ brings it to {fmt_time(cpp_text['real_time_ns'] * 1e-9)}. `evaluate_columns` on the list "
              f"of dicts takes {fmt_time(columnar)}: it gathers each input's values into a column (one dict walk per "
              "row, interned keys found by identity), converts each column with the per-value rules of `evaluate` "
              "(enum values by hash, the amount text parsed in C++), evaluates every row into one reused record "
              "without the GIL, and builds each output column with one numpy `take` from a per-rule table (a rule "
              "always gives the same outputs). `evaluate_many` takes "
              f"{fmt_time(many)}: it builds one record and one `Decision` object per row."]
    L += ["", "### What is compared", ""]
    L += [
        "- **The table**: the YAML is the source; the script translates each condition into rule-engine's "
        "language and into a JDM decision table (a column per input, one unary test per cell, hit policy first; "
        "a rule with `or` across inputs becomes consecutive rows with the same outputs, which first-hit keeps "
        "equivalent). `benchmarks/data/refund_30.jdm.json` is that translation, checked on every run. The "
        "conditions keep to what all three engines express: comparisons, ranges, enum equality and membership, "
        f"and/or/not. kefu loads the YAML itself: `policy = kefu.{FilePolicy.__name__}.load(path)`.",
        "- **Inputs**: the same dicts for every engine, except `claimed_amount`: text (`'1000.01'`) for kefu, which "
        "refuses floats for money, and a float for zen-engine and rule-engine. kefu checks every row against the "
        "declared types and enum values (an unknown key or value is an error naming it); the peers do not.",
        "- **Input forms**: zen-engine and rule-engine get the list of dicts; so does kefu's headline call, "
        "`evaluate_columns(rows)`. Two kefu rows take the same data as columns instead, built before timing (a dict "
        "of lists, a DataFrame); building the dict of lists from the list of dicts in Python costs the time given "
        "below, so those rows are for data that is columnar already (a CSV, a query result).",
        "- **Outputs**: every engine's answer is the id of the deciding rule (zen-engine: an output column "
        "`rule`; rule-engine: the first `Rule` that matches; kefu: the `rule_id` column of `evaluate_columns` or "
        "`Decision.rule_id`, None for the default). zen-engine returns a dict of all outputs per row; "
        "`evaluate_columns` returns every output as a numpy column (here: object arrays of str for the two enum "
        "outputs) plus `rule_id`, `rule_index` and `by_default` columns, all built inside the timed call; "
        "`evaluate_many` returns `Decision` objects whose outputs are read on demand (a row below reads "
        "`.outputs` of each).",
        "- **zen-engine's forms**: `ZenEngine.evaluate(key, row)` per row and `ZenEngine.evaluate_batch` with a "
        "static loader (the decision compiled once and cached by key), `ZenEngine.async_evaluate` under "
        "`asyncio.gather`, and `ZenDecision.evaluate(row)` on a decision made by `create_decision`, which is "
        "much slower per call than the engine's own cache. `evaluate_batch` may use more than one core; kefu's "
        "batch calls use one.",
        "- **Keywords**: kefu has no Python call for a bare keyword scan (`keyword_set` is C++ only), so the "
        "scan goes through a one-rule policy, `contains_any(text, risk)`, via `evaluate_many` and `evaluate`. "
        "pyahocorasick answers the same question per text with the first match of `Automaton.iter`. kefu folds "
        "full-width ASCII and ASCII case while scanning (so '１２３１５' in a complaint matches 12315), and "
        "matches a word with ASCII letters or digits at an edge only where the text does not continue that run "
        "(12315 is not found inside an order number); pyahocorasick does neither, so its matches are checked "
        "for the second rule in Python (only texts with a match pay for it) and it is given the texts folded the same way — before timing in the main row "
        "(which favours it), inside the timing with `str.translate` in the next. The last keyword row compares "
        "the automata alone: pyahocorasick over the whole folded corpus as one string from Python against "
        "kefu's C++ `matches`.",
    ]
    L += ["", "### Agreement checks (run before timing)", ""]
    L += [f"- {c}" for c in res.checks]
    L.append("")
    return "\n".join(L)


def update_doc(heading: str, section: str) -> None:
    text = DOC.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    start = next((i for i, ln in enumerate(lines) if ln.rstrip("\n") == heading), None)
    if start is None:
        new = text.rstrip("\n") + "\n\n" + section
    else:
        end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
        tail = "".join(lines[end:])
        new = "".join(lines[:start]) + section + ("\n" + tail if tail else "")
    DOC.write_text(new.rstrip("\n") + "\n", encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=100_000, help="tickets evaluated by kefu and zen-engine")
    ap.add_argument("--slow-rows", type=int, default=10_000, help="tickets timed for rule-engine (pure Python)")
    ap.add_argument("--repeat", type=int, default=5, help="timed runs per measurement (the best is kept)")
    ap.add_argument("--cpp", type=Path, default=CPP_BENCH, help="the kefu_bench_rules binary")
    ap.add_argument("--cpp-min-time", type=float, default=0.5, help="--benchmark_min_time for it (seconds)")
    ap.add_argument("--write-jdm", action="store_true", help=f"(re)write {TABLE_JDM.relative_to(ROOT)} and stop")
    ap.add_argument("--no-write", action="store_true", help="print only; leave docs/performance.md alone")
    ap.add_argument("--write-cpp-section", action="store_true", help=f"also rewrite '{HEADING_CPP}' of docs/performance.md")
    args = ap.parse_args()

    table = load_table()
    if args.write_jdm:
        TABLE_JDM.write_text(jdm_text(table), encoding="utf-8")
        print(f"wrote {TABLE_JDM.relative_to(ROOT)}")
        return 0
    res = Results()
    run_cpp(res, args.cpp, args.cpp_min_time)
    compare_table(res, table, args.rows, args.slow_rows, args.repeat)
    compare_keywords(res, args.repeat)
    print()
    for goal, measured, met in goals(res):
        print(f"goal: {goal}: {measured}: met: {met}")
    if res.failures:
        print(f"\n{len(res.failures)} agreement check(s) failed; docs/performance.md not updated", file=sys.stderr)
        return 1
    if not args.no_write:
        if res.cpp and args.write_cpp_section:
            update_doc(HEADING_CPP, render_cpp(res))
            print(f"\nwrote the section '{HEADING_CPP}' of {DOC.relative_to(ROOT)}")
        update_doc(HEADING, render(res, args))
        print(f"\nwrote the section '{HEADING}' of {DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
