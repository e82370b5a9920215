#!/usr/bin/env python3
"""kefu's rules engine side by side with the Python rules engines and keyword matchers people use instead.

One run times, on the same pseudo-random tickets and the same complaint texts:

* a 30-rule first-hit refund/escalation table, benchmarks/data/refund_30.yaml, in kefu
  (`DecisionPolicy.evaluate_columns` on the same list of dicts, on a dict of columns and on a DataFrame,
  returning numpy columns; `evaluate_many` on a list of dicts, returning Decision objects; and
  `evaluate` per dict), in zen-engine (the same
  table as a JDM decision table with hit policy first, benchmarks/data/refund_30.jdm.json, generated
  from the YAML by this script; per row, `evaluate_batch` and `async_evaluate`, with a static loader and
  with its precompiled `ZenDecisionContent`, and `ZenDecision.evaluate`) and in rule-engine (one
  `rule_engine.Rule` per rule, tried in order until one matches);
* the risk-word scan: 60 words (benchmarks/data/risk_words.txt) over ~1 MB of complaints (the text
  column of examples/data/tickets.csv, five times, shuffled), in kefu (a policy with the one rule
  `contains_any(text, risk)`) and in pyahocorasick (an `Automaton`, first match of `iter` per text);
* the C++ benchmarks of build/cpp/benchmarks/kefu_bench_rules (Google Benchmark).

Before timing, every engine's decision (the id of the rule that decided, or "default") is checked
against kefu's on every row, and every keyword answer on every text; the script stops with exit
status 1 when they differ. Both sides of every row are timed with benchmarks/_timing.py's one scheme
(interleaved runs, the same number for both, medians and their spread), and only like with like (call for
call, batch for batch) decides a goal. It then rewrites the sections "rules_cpp" (from the C++ run) and
"rules_peers" of docs/performance.md.

    make cpp-build python-install
    .venv/bin/pip install -r benchmarks/requirements.txt
    .venv/bin/python benchmarks/rules_peers.py
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import decimal
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import kefu

import _doc
from _timing import (DRY_REPEAT, REPEAT, GBRun, Pair, Timing, compare, fmt_rate, fmt_ratio, fmt_time,
                     google_benchmark, measure, yes)

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / "data"
TABLE_YAML = DATA / "refund_30.yaml"
TABLE_JDM = DATA / "refund_30.jdm.json"
RISK_WORDS = DATA / "risk_words.txt"
TICKETS = ROOT / "examples" / "data" / "tickets.csv"
NAMES = ["rules_cpp", "rules_peers"]
COMMAND = _doc.command("rules_peers.py")
SEED = 2026
CORPUS_REPEATS = 5
MASK64 = (1 << 64) - 1
# One policy file: kefu.DecisionPolicy (kefu.Policy before it became the rules-directory facade).
FilePolicy = getattr(kefu, "DecisionPolicy", kefu.Policy)

# The kinds of comparison: only like with like (call/call, batch/batch) decides a goal.
CALL, BATCH = "call for call", "batch for batch"
MIXED_LOOP = "peer loop vs kefu batch"
MIXED_CPP = "kefu C++ vs peer from Python"


@dataclass
class Row:
    operation: str
    kind: str
    peer: str
    kefu_call: str
    pair: Pair
    unit: str = "row"
    bytes_per_element: float = 0.0  # for MB/s

    @property
    def ratio(self) -> float:
        return self.pair.ratio

    @property
    def peer_s(self) -> float:
        return self.pair.peer.median

    @property
    def kefu_s(self) -> float:
        return self.pair.kefu.median


@dataclass
class Results:
    rows: list[Row] = field(default_factory=list)
    variants: list[tuple[str, Timing, str]] = field(default_factory=list)  # (kefu call, timing per row, note)
    checks: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    spread: str = ""
    cpp: GBRun | None = None

    def check(self, ok: bool, text: str) -> None:
        (self.checks if ok else self.failures).append(text)
        print(("  ok   " if ok else "  FAIL ") + text, flush=True)


def timed(res: Results, operation: str, kind: str, peer: str, peer_fn, n_peer: int, kefu_call: str, kefu_fn,
          n_kefu: int, repeat: int, peer_timing: Timing | None = None, kefu_timing: Timing | None = None,
          unit: str = "row", bytes_per_element: float = 0.0) -> Row:
    """Both sides with the same scheme, interleaved; or one side's runs of an earlier row, reused."""
    pair = compare(peer_fn, kefu_fn, n_peer, n_kefu, repeat, peer=peer_timing, kefu=kefu_timing)
    row = Row(operation, kind, peer, kefu_call, pair, unit, bytes_per_element)
    res.rows.append(row)
    print(f"  {operation:58s} {fmt_time(row.peer_s):>10s} {fmt_time(row.kefu_s):>10s} {fmt_ratio(row.ratio):>9s} "
          f"({pair.ratio_spread()})", flush=True)
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
    `x op literal`, `x [not] in {a, b}`, `x [not] in [lo..hi]`, or a bool input alone. A money input compares
    with `¥300` or a bare number of yuan (`claimed_amount > 1000`), as in kefu.

    `contains_any(text, set)` has no peer expression (kefu's keyword sets fold text and skip negated words): given
    `keyword_input`, it becomes a bool atom on the input that function names, whose value the caller computes
    with kefu beforehand (benchmarks/triage_jdm.py); without it, the condition cannot be translated."""

    def __init__(self, text: str, inputs: dict[str, kefu.Field], keyword_input=None) -> None:
        self.toks, self.i, self.inputs, self.text = tokenize(text), 0, inputs, text
        self.keyword_input = keyword_input  # (text input, keyword set) -> the name of a bool input

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
        if f.type == "money" and kind == "int":  # a bare number of yuan, in fen like the ¥ literals
            return v * 100
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
        if name == "contains_any" and self.peek("op", "("):
            return self.keyword_match()
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

    def keyword_match(self):
        self.take("op", "(")
        text = self.take("name")
        self.take("op", ",")
        keyword_set = self.take("name")
        self.take("op", ")")
        if self.keyword_input is None:
            raise ValueError(f"cannot translate '{self.text}': contains_any has no peer expression")
        return ("bool", self.keyword_input(text, keyword_set), True)

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


def jdm_cells(conj: list[tuple], used: list[str], col: dict[str, str], inputs: dict[str, kefu.Field]) -> dict[str, str]:
    """One JDM decision-table row's input cells for a conjunction of atoms: a cell per input column, the atoms on
    that input joined with `and`, empty (any value) where the conjunction does not read it."""
    cells = {col[name]: "" for name in used}
    for name in used:
        atoms = [a for a in conj if a[1] == name]
        if atoms:
            cells[col[name]] = " and ".join(unary(a, inputs[name], len(atoms) == 1) for a in atoms)
    return cells


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
    import yaml

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
            row = {"_id": f"{rid}#{k}", **jdm_cells(conj, used, col, t.inputs)}
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
    import pandas as pd
    import rule_engine
    import zen

    kefu_rows, peer_rows = make_rows(n, SEED)
    pol = t.policy
    expected = [d.rule_id or "default" for d in pol.evaluate_many(kefu_rows)]
    counts = Counter(expected)
    top = next(c for c in counts.most_common() if c[0] != "default")
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
    # zen-engine's forms: a static loader (the engine parses the JSON once and caches the decision by key); its
    # documented precompiled form, ZenDecisionContent, handed out by a loader; and ZenDecision objects made by
    # create_decision from the JSON text and from the ZenDecisionContent.
    content = zen.ZenDecisionContent(generated)
    engines = {
        "static loader": zen.ZenEngine({"loader": {"type": "static", "content": {key: json.loads(generated)}}}),
        "ZenDecisionContent loader": zen.ZenEngine({"loader": lambda _key: content}),
    }
    decisions = {
        "`create_decision(json)`": engines["static loader"].create_decision(generated),
        "`create_decision(ZenDecisionContent)`": engines["static loader"].create_decision(content),
    }
    slow_kefu, slow_peer, slow_expected = kefu_rows[:n_slow], peer_rows[:n_slow], expected[:n_slow]

    def zen_rule(response) -> str:
        return response["result"]["rule"]

    def requests(rows):
        return [{"key": key, "context": r} for r in rows]

    for form, engine in engines.items():
        got = [zen_rule(engine.evaluate(key, r)) for r in peer_rows]
        res.check(got == expected, f"zen-engine ZenEngine.evaluate(key, row), {form} == kefu evaluate_many on all "
                  f"{n:,} rows ({sum(a != b for a, b in zip(got, expected)):,} differ)")
        batch = engine.evaluate_batch(requests(peer_rows))
        got = [zen_rule(b["data"]) if b.get("success") else "error" for b in batch]
        res.check(got == expected, f"zen-engine ZenEngine.evaluate_batch, {form} == kefu on all {n:,} rows")
    for form, decision in decisions.items():
        got = [zen_rule(decision.evaluate(r)) for r in slow_peer]
        res.check(got == slow_expected, f"zen-engine ZenDecision.evaluate(row) from {form} == kefu on the first "
                  f"{n_slow:,} rows")
    engine = engines["static loader"]

    async def zen_async(rows):
        return await asyncio.gather(*[engine.async_evaluate(key, r) for r in rows])

    async_rules = [zen_rule(x) for x in asyncio.run(zen_async(slow_peer))]
    res.check(async_rules == slow_expected, f"zen-engine ZenEngine.async_evaluate under asyncio.gather == kefu on the "
              f"first {n_slow:,} rows")

    rules = [(rid, rule_engine.Rule(to_rule_engine(Parser(w, t.inputs).parse(), t.inputs))) for rid, w in zip(t.ids, t.when)]
    re_rules = [first_hit(rules, r) for r in slow_peer]
    res.check(re_rules == slow_expected, f"rule-engine (30 Rule objects, first that matches) == kefu on the first "
              f"{n_slow:,} rows ({sum(a != b for a, b in zip(re_rules, slow_expected)):,} differ)")
    per_call = [pol.evaluate(r).rule_id or "default" for r in kefu_rows]
    res.check(per_call == expected, f"kefu {FilePolicy.__name__}.evaluate per dict == evaluate_many on all {n:,} rows")
    outputs_ok = all(d.outputs == {o: z["result"][o] for o in t.outputs}
                     for d, z in zip(pol.evaluate_many(slow_kefu), (engine.evaluate(key, r) for r in slow_peer)))
    res.check(outputs_ok, f"kefu Decision.outputs == zen-engine's decision and tier on the first {n_slow:,} rows")

    evaluate, evaluate_many = pol.evaluate, pol.evaluate_many
    evaluate_columns = pol.evaluate_columns

    def kefu_many():
        return [d.rule_id for d in evaluate_many(kefu_rows)]

    def columns_of(rows):
        return {name: [r[name] for r in rows] for name in rows[0]}

    kefu_frame = pd.DataFrame(kefu_rows)
    peer_frame = pd.DataFrame(peer_rows)
    for form, data in (("list of dicts", kefu_rows), ("dict of lists", columns_of(kefu_rows)), ("DataFrame", kefu_frame)):
        got = [x or "default" for x in evaluate_columns(data).rule_id.tolist()]
        res.check(got == expected, f"kefu evaluate_columns({form}).rule_id == evaluate_many on all {n:,} rows "
                  f"({sum(a != b for a, b in zip(got, expected)):,} differ)")
    got = [zen_rule(b["data"]) for b in engine.evaluate_batch(requests(peer_frame.to_dict("records")))]
    res.check(got == expected, f"zen-engine evaluate_batch on DataFrame.to_dict('records') == kefu on all {n:,} rows")
    first_outputs = evaluate_columns(slow_kefu).outputs
    outputs_ok = all(first_outputs[o].tolist() == [z["result"][o] for z in (engine.evaluate(key, r) for r in slow_peer)]
                     for o in t.outputs)
    res.check(outputs_ok, f"kefu evaluate_columns(rows).outputs == zen-engine's decision and tier on the first {n_slow:,} rows")

    print(f"  {'operation (peer vs kefu, per row)':58s} {'peer':>10s} {'kefu':>10s} {'ratio':>9s}")
    cols_call = "`policy.evaluate_columns(rows)`: list of dicts in, numpy columns out"
    # Batches: each zen-engine batch form against kefu's, both from the same list of dicts, every conversion timed.
    batch_rows = []
    for form, e in engines.items():
        batch_rows.append(timed(
            res, "30-rule table, batch, list of dicts in", BATCH,
            f"zen-engine, {form}: `engine.evaluate_batch([{{'key': …, 'context': row}} for row in rows])`",
            lambda e=e: e.evaluate_batch(requests(peer_rows)), n, cols_call, lambda: evaluate_columns(kefu_rows), n,
            repeat))
    fastest = min(batch_rows, key=lambda r: r.peer_s)
    zen_batch = fastest.pair.peer
    fastest_peer = fastest.peer
    timed(res, "30-rule table, batch, columns in", BATCH, fastest_peer, None, n,
          "`policy.evaluate_columns({name: [r[name] for r in rows], …})`: the dict of lists built from the rows "
          "inside the timing", lambda: evaluate_columns(columns_of(kefu_rows)), n, repeat, peer_timing=zen_batch)
    timed(res, "30-rule table, batch, DataFrame in", BATCH, fastest_peer, None, n,
          "`policy.evaluate_columns(pd.DataFrame(rows))`: the DataFrame built from the rows inside the timing",
          lambda: evaluate_columns(pd.DataFrame(kefu_rows)), n, repeat, peer_timing=zen_batch)
    best_engine = engines[next(f for f in engines if f in fastest_peer)]
    timed(res, "30-rule table, batch, both given a DataFrame", BATCH,
          "zen-engine `engine.evaluate_batch(…)` on `frame.to_dict('records')` (timed)",
          lambda: best_engine.evaluate_batch(requests(peer_frame.to_dict("records"))), n,
          "`policy.evaluate_columns(frame)`", lambda: evaluate_columns(kefu_frame), n, repeat)
    many = timed(res, "30-rule table, batch, Decision objects", BATCH, fastest_peer, None, n,
                 "`policy.evaluate_many(rows)`, then `.rule_id` of each", kefu_many, n, repeat, peer_timing=zen_batch)
    timed(res, "30-rule table, asyncio", BATCH, "zen-engine `asyncio.gather(*(engine.async_evaluate(key, row) …))`",
          lambda: asyncio.run(zen_async(slow_peer)), n_slow, f"`policy.evaluate_columns(rows)` on the same {n_slow:,} rows",
          lambda: evaluate_columns(slow_kefu), n_slow, repeat)
    # Calls: one row at a time on both sides.
    kefu_call = "`policy.evaluate(row).rule_id`"
    call_rows = []
    for form, e in engines.items():
        zevaluate = e.evaluate
        call_rows.append(timed(res, "30-rule table, call for call", CALL, f"zen-engine, {form}: `engine.evaluate(key, row)`",
                               lambda z=zevaluate: [z(key, r) for r in peer_rows], n, kefu_call,
                               lambda: [evaluate(r).rule_id for r in kefu_rows], n, repeat))
    for form, d in decisions.items():
        devaluate = d.evaluate
        timed(res, "30-rule table, call for call (ZenDecision)", CALL, f"zen-engine `decision.evaluate(row)`, {form}",
              lambda z=devaluate: [z(r) for r in slow_peer], n_slow, f"{kefu_call} on the same {n_slow:,} rows",
              lambda: [evaluate(r).rule_id for r in slow_kefu], n_slow, repeat)
    timed(res, "30-rule table, call for call", CALL, "rule-engine: 30 `Rule.matches(row)`, first that matches",
          lambda: [first_hit(rules, r) for r in slow_peer], n_slow, f"{kefu_call} on the same {n_slow:,} rows",
          lambda: [evaluate(r).rule_id for r in slow_kefu], n_slow, repeat)

    # What kefu's own Python calls cost, to show where the time goes (docs: "kefu's binding").
    texts_rows = [{k: (str(v).lower() if isinstance(v, bool) else str(v)) for k, v in r.items()} for r in kefu_rows]
    money_rows = [{**r, "claimed_amount": kefu.Money(r["claimed_amount"])} for r in kefu_rows]
    cols = batch_rows[0]
    call = call_rows[0]
    kefu_columns = columns_of(kefu_rows)
    variants = [
        ("`policy.evaluate_columns(rows)`", cols.pair.kefu, "list of dicts in, numpy columns out (the batch rows above)"),
        ("`policy.evaluate_columns(rows).to_pandas()`", lambda: evaluate_columns(kefu_rows).to_pandas(),
         "the same as a DataFrame (outputs, rule_id)"),
        ("`policy.evaluate_columns(rows)`, claimed_amount as `kefu.Money`", lambda: evaluate_columns(money_rows),
         "Money objects built before timing: no amount text to parse"),
        ("building the dict of lists from the list of dicts in Python",
         lambda: columns_of(kefu_rows), "part of the `columns in` row above"),
        ("`policy.evaluate_columns(columns)`, the dict of lists built before timing", lambda: evaluate_columns(kefu_columns),
         "for data that is columnar already (a CSV, a query result)"),
        ("`policy.evaluate_columns(frame)`, the DataFrame built before timing", lambda: evaluate_columns(kefu_frame),
         "the same (row \"both given a DataFrame\" above)"),
        ("`policy.evaluate_many(rows)` (Decision objects only)", lambda: evaluate_many(kefu_rows),
         "the dict conversion, the evaluation and one Decision object per row"),
        ("`policy.evaluate_many(rows)`, then `.rule_id` of each", many.pair.kefu, "Decision objects (above)"),
        ("`policy.evaluate_many(rows)`, then `.outputs` of each", lambda: [d.outputs for d in evaluate_many(kefu_rows)],
         "what zen-engine returns: a dict of the outputs per row"),
        ("`policy.evaluate_many(rows)`, every value as text", lambda: evaluate_many(texts_rows),
         "ints and bools as '12', 'true': no Python-side str()"),
        ("`policy.evaluate_many(rows)`, claimed_amount as `kefu.Money`", lambda: evaluate_many(money_rows),
         "Money objects built before timing"),
        ("`policy.evaluate(row).rule_id` per row", call.pair.kefu, "call for call (above)"),
        ("(baseline) a Python loop reading one key of each dict", lambda: [r.get("business") for r in kefu_rows],
         "for scale"),
    ]
    print("  kefu variants (per row):")
    for name, fn, note in variants:
        timing = fn if isinstance(fn, Timing) else measure(fn, n, repeat)
        res.variants.append((name, timing, note))
        print(f"    {name:70s} {fmt_time(timing.median):>10s}", flush=True)


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
    import ahocorasick

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
    keyword_set = kefu.KeywordSet("risk", words)
    contains_any = keyword_set.contains_any
    res.check([contains_any(x) for x in texts] == k, f"kefu.KeywordSet.contains_any(text) == the policy's "
              f"contains_any(text, risk) on all {n:,} texts")
    print(f"  {'operation (peer vs kefu, per text)':58s} {'peer':>10s} {'kefu':>10s} {'ratio':>9s}")
    many_call = "`policy.evaluate_many([{'text': t}, …])`, then `.rule_id` of each"
    per_text = {"unit": "text", "bytes_per_element": nbytes / n}
    call = timed(res, "risk words, per ticket text, call for call", CALL, "pyahocorasick: first match of "
                 "`A.iter(text)` (ASCII words whole only), text folded before timing", lambda: aho_any(folded), n,
                 "`kefu.KeywordSet.contains_any(text)` (folds as it scans)", lambda: [contains_any(x) for x in texts],
                 n, repeat, **per_text)
    timed(res, "risk words, per ticket text, call for call, folding timed", CALL,
          "pyahocorasick on `text.translate(FOLD)`", lambda: aho_fold_any(texts), n,
          "`kefu.KeywordSet.contains_any(text)`", None, n, repeat, kefu_timing=call.pair.kefu, **per_text)
    timed(res, "risk words, per ticket text, call for call, through a policy", CALL,
          "pyahocorasick: first match of `A.iter(text)`, text folded before timing", None, n,
          "`policy.evaluate({'text': t}).rule_id` (a one-rule policy)", lambda: [evaluate(r).rule_id for r in rows], n,
          repeat, peer_timing=call.pair.peer, **per_text)
    many = timed(res, "risk words, per ticket text", MIXED_LOOP, "pyahocorasick: first match of `A.iter(text)`, text "
                 "folded before timing (it has no batch form: a Python loop)", None, n, many_call,
                 lambda: [d.rule_id for d in evaluate_many(rows)], n, repeat, peer_timing=call.pair.peer, **per_text)
    timed(res, "risk words, per ticket text, folding timed", MIXED_LOOP, "pyahocorasick on `text.translate(FOLD)`",
          lambda: aho_fold_any(texts), n, many_call, None, n, repeat, kefu_timing=many.pair.kefu, **per_text)
    cpp = res.cpp.get("BM_keywords_matches_whole_corpus") if res.cpp else None
    if cpp:
        k = cpp.times()
        timed(res, "risk words, the whole ~1 MB as one text, every match", MIXED_CPP,
              "pyahocorasick `for m in A.iter(blob)` from Python", lambda: sum(1 for _ in automaton.iter(blob)), 1,
              "C++ `keyword_set::matches(blob)` (no Python binding; its Google Benchmark repetitions)", None, 1,
              len(k), kefu_timing=Timing(tuple(k), tuple(k)), unit="corpus", bytes_per_element=blob_bytes)


def version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "?"


def get(res: Results, op: str, peer_prefix: str = "") -> Row | None:
    return next((r for r in res.rows if r.operation == op and r.peer.startswith(peer_prefix)), None)


def goals(res: Results) -> list[tuple[str, str, str]]:
    """(goal, measured, verdict); only like-with-like rows (call/call, batch/batch) decide."""
    out = []
    batch = [r for r in res.rows if r.operation == "30-rule table, batch, list of dicts in"]
    if batch:
        r = min(batch, key=lambda r: r.peer_s)  # zen-engine's fastest batch form
        text = (f"{fmt_ratio(r.ratio)} (runs {r.pair.ratio_spread()}) against zen-engine's fastest batch form "
                f"({r.peer.split(':')[0]}), both given the same list of dicts: {fmt_time(r.peer_s)} vs "
                f"{fmt_time(r.kefu_s)} per row (kefu: `evaluate_columns`, numpy columns out)")
        for op, what in (("30-rule table, batch, columns in", "columns built from the rows, building timed"),
                         ("30-rule table, batch, DataFrame in", "a DataFrame built from the rows, building timed"),
                         ("30-rule table, batch, both given a DataFrame", "both given a DataFrame")):
            x = get(res, op)
            if x:
                text += f"; {fmt_ratio(x.ratio)} with {what} ({fmt_time(x.peer_s)} vs {fmt_time(x.kefu_s)})"
        many = get(res, "30-rule table, batch, Decision objects")
        if many:
            text += f"; {fmt_ratio(many.ratio)} for `evaluate_many` (Decision objects, {fmt_time(many.kefu_s)})"
        both_frame = get(res, "30-rule table, batch, both given a DataFrame")
        worst = min([r.ratio] + ([both_frame.ratio] if both_frame else []))
        out.append(("≥ 10× zen-engine's throughput from Python on batches (its fastest batch form; judged on the "
                    "same list of dicts and on the same DataFrame)", text, yes(worst >= 10)))
    calls = [r for r in res.rows if r.operation == "30-rule table, call for call" and r.peer.startswith("zen-engine")]
    if calls:
        r = min(calls, key=lambda r: r.peer_s)
        out.append(("(#17) `policy.evaluate(dict)` ≤ 1.5 µs per call from Python",
                    f"{fmt_time(r.kefu_s)} per call ({r.pair.kefu.spread()} over the runs); zen-engine's fastest "
                    f"per-call form {fmt_time(r.peer_s)}: {fmt_ratio(r.ratio)} call for call", yes(r.kefu_s <= 1.5e-6)))
    r, rf = get(res, "risk words, per ticket text, call for call"), \
        get(res, "risk words, per ticket text, call for call, folding timed")
    if r and rf:
        out.append(("(#17) keyword scan at least as fast as pyahocorasick, call for call",
                    f"{fmt_ratio(r.ratio)} (runs {r.pair.ratio_spread()}) against pyahocorasick on text folded "
                    f"beforehand ({fmt_time(r.kefu_s)} vs {fmt_time(r.peer_s)} per text); {fmt_ratio(rf.ratio)} when "
                    "pyahocorasick folds each text itself (kefu: `kefu.KeywordSet.contains_any(text)`, folding as "
                    "it scans)",
                    f"{yes(r.ratio >= 1)}; {yes(rf.ratio >= 1)} with folding"))
    c = res.cpp.get("BM_policy_evaluate_refund30") if res.cpp else None
    if c:
        rate = 1 / c.time()
        out.append(("≥ 5 M decisions/s on one core (C++, 30-rule table)", f"{rate / 1e6:.2g} M/s "
                    f"({fmt_time(c.time())} per decision, repetitions {c.spread()})", yes(rate >= 5e6)))
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


def render_cpp(res: Results, run: _doc.Run) -> str:
    gb = res.cpp
    L = ["## Rules engine (C++)", "", run.line(), ""]
    if gb is None:
        return "\n".join(L + ["kefu_bench_rules was not run.", ""])
    L.append(f"Google Benchmark, `benchmarks/bench_rules.cpp`, one core: `{' '.join(gb.command)}`, in the same run as "
             "the Python comparison of the next section (which takes its C++ figures from here). Times are the median "
             f"of {gb.repetitions} repetitions, \"spread\" the fastest and slowest repetition (this run's largest "
             f"spread: {100 * gb.max_rel_spread():.0f} % of its median). The table benchmarks walk 4,096 "
             "pseudo-random tickets built before timing (the first 4,096 rows of the Python comparison below), "
             "evaluated first-hit against `benchmarks/data/refund_30.yaml`; the keyword benchmarks read the text "
             "column of `examples/data/tickets.csv` five times, shuffled (15,000 texts, ~1 MB), against the 60 "
             "words of `benchmarks/data/risk_words.txt`.")
    label = gb["BM_policy_evaluate_refund30"].label if "BM_policy_evaluate_refund30" in gb else ""
    if label:
        L += ["", f"The 4,096 tickets: {label}."]
    L += ["", "| operation | time | spread | throughput |", "| --- | --- | --- | --- |"]
    for name, what, unit in CPP_ROWS:
        c = gb.get(name)
        if not c:
            L.append(f"| {what} | not run | | |")
            continue
        rate = []
        if c.counter("bytes_per_second"):
            rate.append(f"{c.counter('bytes_per_second') / 1e6:.0f} MB/s")
        if c.counter("items_per_second") and unit:
            rate.append(fmt_rate(c.counter("items_per_second"), unit + "s"))
        if unit == "decision":
            when = f"{fmt_time(c.time())} per decision"
        elif unit == "text" and c.counter("items_per_second"):
            when = f"{fmt_time(c.time())} per 15,000 texts ({fmt_time(1 / c.counter('items_per_second'))} per text)"
        else:
            when = fmt_time(c.time())
        L.append(f"| {what} | {when} | {c.spread()} | {', '.join(rate) or '—'} |")
    L += [""]
    c = gb.get("BM_policy_evaluate_refund30")
    if c:
        rate = 1 / c.time()
        L.append(f"The goal of 5 M decisions/s on one core is {'met' if rate >= 5e6 else 'not met'}: "
                 f"{rate / 1e6:.2g} M/s (the same figure as in the next section's goals). The time goes to "
                 "`detail::program::eval`, a recursive walk over expression nodes: `category == quality_defect` is "
                 "three nodes (compare, input, literal), and a first-hit table tries every rule above the one that "
                 "decides (the average is given above the table).")
        L.append("")
    L.append("A keyword scan costs about the same called directly or through a rule (`contains_any` hits are "
             "computed once per text before the rules run). The automaton is a dense 256-wide transition table "
             "per state, one table read per byte, with full-width and case folding done on the fly; "
             "`contains_any` stops at the first match, `matches` reads every byte.")
    a, c = gb.get("BM_keywords_contains_any_per_ticket"), gb.get("BM_keywords_contains_any_per_ticket_chinese_only")
    if a and c and a.counter("bytes_per_second") and c.counter("bytes_per_second"):
        L.append("")
        L.append(f"Words that begin or end with an ASCII letter or digit (here 12315 and 12345) match only as whole "
                 f"numbers or words. A set with one such word answers `contains_any` through `matches`, which folds a "
                 f"copy of the text and reads it to the end: the 60-word set scans at "
                 f"{a.counter('bytes_per_second') / 1e6:.0f} MB/s, the 58 Chinese words alone at "
                 f"{c.counter('bytes_per_second') / 1e6:.0f} MB/s "
                 f"({c.counter('bytes_per_second') / a.counter('bytes_per_second'):.1f}×).")
    return "\n".join(L) + "\n"


def render(res: Results, args, run: _doc.Run) -> str:
    L = ["## Rules engine vs peers", "", run.line(), ""]
    L.append(f"Table: `benchmarks/data/refund_30.yaml`, 30 rules over 12 inputs, first hit, with a default; "
             f"{args.rows:,} pseudo-random tickets (seed {SEED}); rows timed on fewer (rule-engine, zen-engine's "
             f"asyncio and ZenDecision forms, and kefu against them) use the first {args.slow_rows:,}. "
             f"{res.spread[0].upper() + res.spread[1:]}. Keywords: 60 risk words (`benchmarks/data/risk_words.txt`) "
             "over the text column of `examples/data/tickets.csv` five times, shuffled (15,000 texts, ~1 MB).")
    L += ["", f"Every row times both sides with one scheme (`benchmarks/_timing.py`): one warm-up each, then "
          f"{args.repeat} runs of each, interleaved (peer, kefu, peer, …); times are the median run divided by the "
          "number of rows or texts; \"ratio\" is peer median / kefu median (above 1: kefu is faster) and \"ratio over "
          "runs\" the lowest and highest of peer run i / kefu run i. A row that reuses one side's runs from the row "
          "above says so. \"CPU/wall\" is process CPU time over wall time for each side: about 1 for one busy "
          "thread, up to 2 on this machine for a call that uses both cores. Every row includes the Python loop, the "
          "list building and every conversion on both sides. Only like with like decides a goal (\"compared\": call "
          "for call, batch for batch); rows marked otherwise are there for scale."]
    L += ["", "### Goals", "", "| goal | measured | met |", "| --- | --- | --- |"]
    L += [f"| {g} | {m} | {ok} |" for g, m, ok in goals(res)]
    L += ["", "### Per operation", "",
          "| operation | compared | peer | peer time | kefu | kefu time | ratio | ratio over runs | CPU/wall (peer, kefu) |",
          "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for r in res.rows:
        spread = r.pair.ratio_spread() + ("" if r.pair.interleaved else " (one side reused)")
        L.append(f"| {r.operation} | {r.kind} | {r.peer} | {fmt_time(r.peer_s)} | {r.kefu_call} | {fmt_time(r.kefu_s)} "
                 f"| {fmt_ratio(r.ratio)} | {spread} | {r.pair.peer.cores:.1f}, "
                 f"{'—' if r.kind == MIXED_CPP else f'{r.pair.kefu.cores:.1f}'} |")
    L += ["", "### Where kefu's Python time goes", "", "| kefu call | time per row | spread | note |",
          "| --- | --- | --- | --- |"]
    for name, timing, note in res.variants:
        L.append(f"| {name} | {fmt_time(timing.median)} | {timing.spread()} | {note} |")
    cpp_eval = res.cpp.get("BM_policy_evaluate_refund30") if res.cpp else None
    cpp_text = res.cpp.get("BM_policy_set_from_text_and_evaluate_refund30") if res.cpp else None
    many = next((t for c, t, _ in res.variants if c.startswith("`policy.evaluate_many(rows)`, then `.rule_id`")), None)
    columnar = next((t for c, t, _ in res.variants if c == "`policy.evaluate_columns(rows)`"), None)
    if cpp_eval and cpp_text and many and columnar:
        L += ["", f"The evaluation itself is {fmt_time(cpp_eval.time())} per row in C++ (previous section); parsing the "
              f"12 values from text in C++ brings it to {fmt_time(cpp_text.time())}. `evaluate_columns` on the list "
              f"of dicts takes {fmt_time(columnar.median)}: it gathers each input's values into a column (one dict walk "
              "per row, interned keys found by identity), converts each column with the per-value rules of `evaluate` "
              "(enum values by hash, the amount text parsed in C++), evaluates every row into one reused record "
              "without the GIL (on up to one thread per core: see CPU/wall above), and builds each output column with "
              "one numpy `take` from a per-rule table (a rule always gives the same outputs). `evaluate_many` takes "
              f"{fmt_time(many.median)}: it builds one record and one `Decision` object per row."]
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
        "- **Input forms**: every batch row starts from the same list of dicts on both sides and times every "
        "conversion: zen-engine's request list (`{'key': …, 'context': row}` per row) and kefu's columns (the "
        "`columns in` row builds the dict of lists inside the timing, the `DataFrame in` row the DataFrame). For "
        "data that is columnar already, the row \"both given a DataFrame\" starts both from the same DataFrame: "
        "zen-engine pays `to_dict('records')`, kefu reads the columns.",
        "- **Outputs**: every engine's answer is the id of the deciding rule (zen-engine: an output column "
        "`rule`; rule-engine: the first `Rule` that matches; kefu: the `rule_id` column of `evaluate_columns` or "
        "`Decision.rule_id`, None for the default). zen-engine returns a dict of all outputs per row; "
        "`evaluate_columns` returns every output as a numpy column (here: object arrays of str for the two enum "
        "outputs) plus `rule_id`, `rule_index` and `by_default` columns, all built inside the timed call; "
        "`evaluate_many` returns `Decision` objects whose outputs are read on demand (a row above reads "
        "`.outputs` of each).",
        "- **zen-engine's forms**: `ZenEngine.evaluate(key, row)` and `ZenEngine.evaluate_batch` with a static "
        "loader (the decision parsed once and cached by key) and with a loader that returns a `ZenDecisionContent`, "
        "zen-engine's documented precompiled form; `ZenEngine.async_evaluate` under `asyncio.gather`; and "
        "`ZenDecision.evaluate(row)` on decisions made by `create_decision` from the JSON text and from the "
        "`ZenDecisionContent`. The goals take its fastest form of each kind.",
        "- **Keywords**: kefu has no Python call for a bare keyword scan (`keyword_set` is C++ only), so the "
        "scan goes through a one-rule policy, `contains_any(text, risk)`, via `evaluate` and `evaluate_many`. "
        "pyahocorasick answers the same question per text with the first match of `Automaton.iter`. kefu folds "
        "full-width ASCII and ASCII case while scanning (so '１２３１５' in a complaint matches 12315), and "
        "matches a word with ASCII letters or digits at an edge only where the text does not continue that run "
        "(12315 is not found inside an order number); pyahocorasick does neither, so its matches are checked "
        "for the second rule in Python (only texts with a match pay for it) and it is given the texts folded the "
        "same way — before timing (which favours it) or inside the timing with `str.translate`. pyahocorasick has "
        "no batch call, so the rows against kefu's `evaluate_many` batch set its Python loop against a batch and "
        "decide nothing; nor do the automata alone, pyahocorasick from Python against kefu's C++ `matches`.",
    ]
    L += ["", "### Agreement checks (run before timing)", ""]
    L += [f"- {c}" for c in res.checks]
    return "\n".join(L) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=100_000, help="tickets evaluated by kefu and zen-engine")
    ap.add_argument("--slow-rows", type=int, default=10_000, help="tickets for the slow forms (rule-engine, "
                    "ZenDecision, asyncio) and kefu against them")
    ap.add_argument("--repeat", type=int, default=REPEAT, help="timed runs of each side of every comparison, and "
                    "repetitions of the C++ benchmarks")
    ap.add_argument("--cpp-min-time", type=float, default=None, help="--benchmark_min_time for kefu_bench_rules")
    ap.add_argument("--write-jdm", action="store_true", help=f"(re)write {TABLE_JDM.relative_to(ROOT)} and stop")
    _doc.common_arguments(ap, NAMES)
    args = ap.parse_args(argv)
    if _doc.list_sections_if_asked(args, NAMES):
        return 0
    if args.dry_run:
        args.rows, args.slow_rows, args.repeat, args.cpp_min_time = 500, 100, DRY_REPEAT, 0.001

    table = load_table()
    if args.write_jdm:
        TABLE_JDM.write_text(jdm_text(table), encoding="utf-8")
        print(f"wrote {TABLE_JDM.relative_to(ROOT)}")
        return 0
    run = _doc.Run("rules_peers.py", COMMAND, dry_run=args.dry_run)
    run.versions = [f"zen-engine {version('zen-engine')}", f"rule-engine {version('rule-engine')}",
                    f"pyahocorasick {version('pyahocorasick')}", f"kefu {kefu.__version__}"]
    cpp_run = _doc.Run("rules_peers.py", COMMAND, dry_run=args.dry_run)
    res = Results()
    print("running build/cpp/benchmarks/kefu_bench_rules …", flush=True)
    res.cpp = google_benchmark("kefu_bench_rules", repetitions=args.repeat, min_time=args.cpp_min_time)
    cpp_text = render_cpp(res, cpp_run)
    compare_table(res, table, args.rows, args.slow_rows, args.repeat)
    compare_keywords(res, args.repeat)
    print()
    for goal, measured, met in goals(res):
        print(f"goal: {goal}: {measured}: met: {met}")
    if res.failures:
        print(f"\n{len(res.failures)} agreement check(s) failed; docs/performance.md not updated", file=sys.stderr)
        return 1
    if not args.no_write:
        _doc.write_section("rules_cpp", cpp_text, args.doc)
        _doc.write_section("rules_peers", render(res, args, run), args.doc)
        print(f"\nwrote the sections 'rules_cpp' and 'rules_peers' of {args.doc}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
