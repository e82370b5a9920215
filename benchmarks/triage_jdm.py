#!/usr/bin/env python3
"""kefu's triage side by side with the same triage as a zen-engine decision graph (GoRules JDM), issue #17.

The graph is generated from the shipped rules directory (`kefu.default_rules_dir()`), not written by hand: the
six policies become six decision tables chained in kefu's order (src/rules/triage.cpp) — risk, escalation,
tiers, refund, sla-targets, service-calendar — each condition translated by benchmarks/rules_peers.py's
translator (`Parser`, `dnf`, `unary`). What ZEN has no expression for is worked out by kefu beforehand, untimed,
and handed to zen as inputs, in zen's favour:

* `contains_any(text, set)`: kefu's keyword sets fold full-width and case, match numbers whole, and skip words
  that are negated or inside an exception phrase (DOM-RISK-5). Each ticket gets one bool per keyword set,
  `kw_<set>`, from the risk policy's own `kefu.KeywordSet.contains_any`; zen never sees the text.
* The derived facts (facts.yaml `derived:`): days_since_purchase (the local date of received_at in the policy's
  zone, `policy.zone.local_date`, minus purchased_at; −1 without one) and purchase_date_known.
* Deadlines: zen gives the offsets the tiers and SLA targets name ("24h", "7 workdays") and the calendars the
  service-calendar table picks; it computes no instant. kefu's side computes every due instant on its calendars
  (working days with 调休, business hours) inside its timing.

Hit policies: first → first; collect → collect, followed by an expression node where kefu's triage reduces the
matches (the risk level and the escalation tier are the highest among the matched rules, values listed lowest
first; priority_routing is true when a matched rule says so), the default's value when none gives one; unique
(tiers) → first, the same answer wherever kefu answers (kefu refuses a ticket two rules of a unique policy
match). A rule with `or` across inputs becomes
a row per alternative; in a collect table the alternatives are made disjoint (A or B → A, then B and not A), so a
rule still matches at most once. Only the outputs the check compares are in the graph (no reasons, actions or
target texts): less work for zen.

Run alone, it checks zen's answers against kefu's on the shipped tickets and times both; benchmarks/
triage_throughput.py calls `compare` and reports the result in its section of docs/performance.md.

    .venv/bin/python benchmarks/triage_jdm.py [--tickets N] [--repeat N] [--write-jdm FILE]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import kefu
import yaml

from _timing import DRY_REPEAT, REPEAT, Timing, fmt_ratio, fmt_time, measure_together
from rules_peers import Parser, dnf, jdm_cells

KEY = "kefu-triage"  # the decision's key in zen's loader
# The six policies in the order kefu's triage runs them (src/rules/triage.cpp runs service-calendar before
# sla-targets; neither reads the other, so the order between them changes nothing).
CHAIN = ["risk", "escalation", "tiers", "refund", "sla-targets", "service-calendar"]
# Facts triage derives from one policy's decision for the policies after it (include/kefu/rules/triage.hpp).
CHAINED = {"risk_level": ("risk", "level"), "tier": ("escalation", "tier"), "refund_decision": ("refund", "decision")}
# Collect policies whose outputs triage reduces to the highest value among the matched rules.
HIGHEST = {"risk": ["level"], "escalation": ["tier", "priority_routing"]}
# The outputs the graph gives (what the check compares), and the policies whose matched rule ids it gives too.
KEPT = {"risk": ["level"], "escalation": ["tier", "priority_routing"],
        "tiers": ["first_response", "resolution", "follow_up", "owners", "follow_up_required", "report_required"],
        "refund": ["decision"], "sla-targets": ["within"], "service-calendar": ["business_hours", "working_days"]}
RULE_IDS = {"risk", "refund", "sla-targets"}


def zkey(policy: str) -> str:
    """A policy's name as a key in zen's context (no hyphen)."""
    return policy.replace("-", "_")


def keyword_input(text: str, keyword_set: str) -> str:
    if text != "text":
        raise ValueError(f"contains_any({text}, {keyword_set}): only the ticket's text is scanned")
    return f"kw_{keyword_set}"


@dataclass(frozen=True)
class KeywordInput:
    """The stand-in field of a precomputed keyword match (a bool input of the graph)."""

    name: str
    type: str = "bool"
    values: tuple = ()


@dataclass
class Graph:
    jdm: dict
    facts: list[str]  # the ticket facts the graph reads, by name (derived ones included, text not)
    keyword_sets: dict[str, kefu.KeywordSet]  # by input name, kw_<set>
    rows: dict[str, int] = field(default_factory=dict)  # decision-table rows per policy


# --- the graph ------------------------------------------------------------------------------------


def allowed_values(conj: list[tuple], inputs: dict) -> dict[str, set] | None:
    """What each enum or bool input may still be under a conjunction; None when some input can be nothing
    (a row that never matches)."""
    out: dict[str, set] = {}
    for atom in conj:
        f = inputs[atom[1]]
        if f.type not in ("enum", "bool"):
            continue
        values = out.setdefault(atom[1], set(f.values) if f.type == "enum" else {True, False})
        if atom[0] == "bool":
            values &= {atom[2]}
        elif atom[0] == "cmp" and atom[2] in ("==", "!="):
            values &= {atom[3]} if atom[2] == "==" else values - {atom[3]}
        elif atom[0] == "in" and atom[2][0] == "set":
            values &= (values - set(atom[2][1])) if atom[3] else set(atom[2][1])
        if not values:
            return None
    return out


def simplified(conj: list[tuple], inputs: dict) -> list[tuple] | None:
    """The conjunction with several atoms on one enum input merged into one (`== v` or `in {…}`); None when it
    can never hold."""
    allowed = allowed_values(conj, inputs)
    if allowed is None:
        return None
    counts = Counter(a[1] for a in conj if inputs[a[1]].type == "enum")
    out, done = [], set()
    for atom in conj:
        name = atom[1]
        if inputs[name].type != "enum" or counts[name] == 1:
            out.append(atom)
        elif name not in done:
            done.add(name)
            values = [v for v in inputs[name].values if v in allowed[name]]
            out.append(("cmp", name, "==", values[0]) if len(values) == 1 else ("in", name, ("set", values), False))
    return out


def negation(atom: tuple) -> tuple:
    return dnf(atom, negate=True)[0][0]


def disjoint(conjs: list[list[tuple]], inputs: dict) -> list[list[tuple]]:
    """The same disjunction as alternatives that never hold together (A or B → A, then B and not A), so a collect
    table matches the rule at most once; alternatives that can never hold are dropped."""
    out: list[list[tuple]] = []
    for k, conj in enumerate(conjs):
        parts = [conj]
        for earlier in conjs[:k]:
            # not (a1 and … and an) = not a1, or a1 and not a2, …: disjoint pieces
            pieces = [earlier[:i] + [negation(earlier[i])] for i in range(len(earlier))]
            parts = [p + q for p in parts for q in pieces]
        out += [s for s in (simplified(p, inputs) for p in parts) if s is not None]
    return out


def load_policies(policy: kefu.Policy) -> dict[str, dict]:
    """Each policy's YAML (its rules' `then:` and its `default:` are not in kefu's Python objects), checked to be
    the file kefu loaded."""
    out = {}
    for name in CHAIN:
        pol = policy.policies[name]
        doc = yaml.safe_load(Path(pol.file).read_text(encoding="utf-8"))
        if "rules" not in doc or [r["id"] for r in doc["rules"]] != [r.id for r in pol.rules]:
            raise ValueError(f"{pol.file}: its rules are not the ones kefu loaded (effective-dated versions?)")
        out[name] = doc
    return out


def _node(node_id: str, kind: str, x: int, content: dict | None = None) -> dict:
    n = {"id": node_id, "type": kind, "name": node_id, "position": {"x": x, "y": 0}}
    if content is not None:
        n["content"] = content
    return n


def build_graph(policy: kefu.Policy) -> Graph:
    """The triage as one JDM graph: request → six decision tables (and after the collect ones the expression
    node that reduces their matches) → response."""
    docs = load_policies(policy)
    nodes = [_node("request", "inputNode", 0)]
    edges: list[tuple[str, str]] = []
    keyword_sets: dict[str, kefu.KeywordSet] = {}
    facts: list[str] = []
    result_node: dict[str, str] = {}  # policy → the node whose output holds its results
    rows_per_policy = {}
    for k, name in enumerate(CHAIN):
        pol, doc = policy.policies[name], docs[name]
        collect = pol.hit_policy == "collect"
        inputs: dict = {f.name: f for f in pol.inputs}

        def kw(text: str, keyword_set: str, pol=pol, inputs=inputs) -> str:
            name_ = keyword_input(text, keyword_set)
            inputs[name_] = KeywordInput(name_)
            keyword_sets[name_] = pol.keyword_sets[keyword_set]
            return name_

        conjunctions = [dnf(Parser(str(r["when"]), inputs, kw).parse()) for r in doc["rules"]]
        if collect:
            conjunctions = [disjoint(c, inputs) for c in conjunctions]
        used = [n for n in inputs if any(a[1] == n for c in conjunctions for conj in c for a in conj)]
        col = {n: f"{zkey(name)}-in-{n}" for n in used}
        outputs = {f.name: f for f in pol.outputs}
        kept = KEPT[name]
        ranked = HIGHEST.get(name, [])

        def values_of(o: str) -> list:
            return [False, True] if outputs[o].type == "bool" else list(outputs[o].values)

        def cell(o: str, value) -> str:
            if o in ranked:  # its rank among the output's values, −1 when the rule does not give it
                return str(values_of(o).index(value) if value is not None else -1)
            return json.dumps(value, ensure_ascii=False)

        out_names = [f"{o}_rank" if o in ranked else o for o in kept] + (["rule"] if name in RULE_IDS else [])
        out_col = {o: f"{zkey(name)}-out-{o}" for o in out_names}
        default = doc.get("default") or {}
        rows = []
        for rule, conj_list in zip(doc["rules"], conjunctions):
            then = rule["then"]
            for j, conj in enumerate(conj_list, 1):
                row = {"_id": f"{rule['id']}#{j}", **jdm_cells(conj, used, col, inputs)}
                for o in kept:
                    # first hit: an output the rule leaves out is the default's (as kefu's policy::output_of)
                    value = then.get(o) if collect else then.get(o, default.get(o))
                    row[out_col[f"{o}_rank" if o in ranked else o]] = cell(o, value)
                if name in RULE_IDS:
                    row[out_col["rule"]] = json.dumps(rule["id"])
                rows.append(row)
        if not collect and default:
            row = {"_id": "default", **{col[n]: "" for n in used}}
            row.update({out_col[o]: cell(o, default.get(o)) for o in kept})
            if name in RULE_IDS:
                row[out_col["rule"]] = "null"
            rows.append(row)
        rows_per_policy[name] = len(rows)
        matched = f"{zkey(name)}_matched"
        table = {"hitPolicy": "collect" if collect else "first",
                 "inputs": [{"id": col[n], "name": n, "field": ".".join((zkey(CHAINED[n][0]), CHAINED[n][1]))
                             if n in CHAINED else n} for n in used],
                 "outputs": [{"id": out_col[o], "name": o, "field": o if collect else f"{zkey(name)}.{o}"}
                             for o in out_names],
                 "rules": rows, "passThrough": False, "inputField": None,
                 "outputPath": matched if collect else None, "executionMode": "single"}
        table_id = f"{name}-table"
        nodes.append(_node(table_id, "decisionTableNode", 250 * (2 * k + 1), table))
        edges.append(("request", table_id))
        for n in used:
            if n in CHAINED:
                edges.append((result_node[CHAINED[n][0]], table_id))
            elif not isinstance(inputs[n], KeywordInput) and n not in facts:
                facts.append(n)
        result_node[name] = table_id
        if collect and ranked:  # sla-targets: its matched rows go to the response as they are
            expressions = []
            for o in ranked:
                default_value = default.get(o, values_of(o)[0])
                m = f"map({matched}, #.{o}_rank)"
                expressions.append((o, f"len(filter({matched}, #.{o}_rank >= 0)) > 0 ? "
                                       f"{json.dumps(values_of(o), ensure_ascii=False)}[max({m})] : "
                                       f"{json.dumps(default_value, ensure_ascii=False)}"))
            if name in RULE_IDS:
                expressions.append(("rules", f"map({matched}, #.rule)"))
            content = {"expressions": [{"id": f"{zkey(name)}-{o}", "key": o, "value": v} for o, v in expressions],
                       "passThrough": False, "inputField": None, "outputPath": zkey(name), "executionMode": "single"}
            expr_id = f"{name}-highest"
            nodes.append(_node(expr_id, "expressionNode", 250 * (2 * k + 2), content))
            edges.append((table_id, expr_id))
            result_node[name] = expr_id
    nodes.append(_node("response", "outputNode", 250 * (2 * len(CHAIN) + 1)))
    edges += [(result_node[name], "response") for name in CHAIN]
    jdm = {"contentType": "application/vnd.gorules.decision", "nodes": nodes,
           "edges": [{"id": f"{s}>{t}", "type": "edge", "sourceId": s, "targetId": t} for s, t in edges]}
    return Graph(jdm, facts, keyword_sets, rows_per_policy)


# --- zen's inputs: the facts, derived and keyword matches precomputed by kefu ------------------------


def _parse_default(f: kefu.Field):
    if f.default is None:
        return None
    return {"bool": lambda t: t == "true", "int": int, "money": lambda t: kefu.Money(t).fen / 100}.get(
        f.type, lambda t: t)(f.default)


def _peer_value(f: kefu.Field, v):
    if f.type == "money":  # yuan as a float, as zen reads numbers (rules_peers.py gives it the same)
        return (v if isinstance(v, kefu.Money) else kefu.Money(v)).fen / 100
    if f.type == "bool":
        return bool(v)
    if f.type == "int":
        return int(v)
    return str(v)


def _missing(v) -> bool:
    return v is None or (isinstance(v, float) and v != v)


def zen_contexts(policy: kefu.Policy, graph: Graph, frame) -> list[dict]:
    """One context per ticket: the facts the graph reads (defaults filled in as kefu fills them), the derived
    facts and a bool per keyword set, all computed by kefu before any timing."""
    n = len(frame)
    fields = {f.name: f for f in policy.facts}
    columns: dict[str, list] = {}
    received = list(frame["received_at"])
    purchased = list(frame["purchased_at"]) if "purchased_at" in frame else [None] * n
    days = []
    for r, p in zip(received, purchased):
        if _missing(p):
            days.append(-1)
        else:
            p = p if isinstance(p, dt.date) and not isinstance(p, dt.datetime) else kefu.parse_date(str(p))
            days.append((policy.zone.local_date(r) - p).days)
    columns["days_since_purchase"] = days
    columns["purchase_date_known"] = [d >= 0 for d in days]
    for name in graph.facts:
        if name in columns:
            continue
        f = fields[name]
        default = _parse_default(f)
        raw = list(frame[name]) if name in frame else [None] * n
        columns[name] = [default if _missing(v) else _peer_value(f, v) for v in raw]
    texts = [("" if _missing(t) else str(t)) for t in frame["text"]] if "text" in frame else [""] * n
    for name, keywords in graph.keyword_sets.items():
        columns[name] = [keywords.contains_any(t) for t in texts]
    names = list(columns)
    return [dict(zip(names, values)) for values in zip(*(columns[k] for k in names))]


# --- the check: every row equal -----------------------------------------------------------------------


def _due(policy: kefu.Policy, start, within: str, zen_row: dict):
    """A due instant from zen's offset, on the calendar zen's service-calendar table picked (kefu computes it)."""
    d = kefu.Duration(within)
    if d.clock == kefu.Clock.wall:
        return start + dt.timedelta(seconds=d.amount)
    chosen = zen_row["service_calendar"]["business_hours" if d.clock == kefu.Clock.business else "working_days"]
    return policy.calendar(chosen).add(start, d)


def check(policy: kefu.Policy, frame, answers: list[dict]) -> tuple[dict[str, int], Counter[str], list[str]]:
    """zen's answers against kefu's on every row: how many rows each field was compared on, how many differ per
    field, and the first differences spelled out. kefu's side: `triage_columns` (decisions, rule ids, due instants)
    and `triage` of the same rows (the deadline spellings, which the columns do not hold)."""
    cols = {name: column.tolist() for name, column in policy.triage_columns(frame, threads=1).items()}
    results = policy.triage(frame.to_dict("records"))
    received = list(frame["received_at"])
    compared: Counter[str] = Counter()
    differ: Counter[str] = Counter()
    samples: list[str] = []

    def same(i: int, what: str, kefu_value, zen_value) -> None:
        compared[what] += 1
        if kefu_value != zen_value:
            differ[what] += 1
            if len(samples) < 20:
                samples.append(f"row {i}: {what}: kefu {kefu_value!r}, zen {zen_value!r}")

    for i, (answer, r) in enumerate(zip(answers, results)):
        if not answer.get("success"):
            same(i, "zen evaluated", True, answer)
            continue
        z = answer["data"]["result"]
        tiers = z["tiers"]
        same(i, "risk level", cols["risk_level"][i], z["risk"]["level"])
        same(i, "risk signals", list(cols["risk_signals"][i]), z["risk"]["rules"])
        same(i, "tier", cols["tier"][i], z["escalation"]["tier"])
        same(i, "priority routing", bool(cols["priority_routing"][i]), z["escalation"]["priority_routing"])
        same(i, "owners", list(cols["owners"][i]), tiers["owners"])
        same(i, "follow-up required", bool(cols["follow_up_required"][i]), tiers["follow_up_required"])
        same(i, "report required", bool(cols["report_required"][i]), tiers["report_required"])
        same(i, "refund decision", cols["refund_decision"][i], z["refund"]["decision"])
        rule = cols["refund_rule_id"][i]  # missing (NaN) when the default decided
        same(i, "refund rule", None if _missing(rule) or not rule else rule, z["refund"]["rule"])
        targets = [t for t in z["sla_targets_matched"] if t["within"] is not None]
        same(i, "SLA target rules", list(cols["target_rules"][i]), [t["rule"] for t in targets])
        # the offsets: kefu's deadline spellings
        follow_up = tiers["follow_up"] if tiers["follow_up_required"] else None
        same(i, "first-response offset", r.deadlines.first_response.within, tiers["first_response"])
        same(i, "resolution offset", r.deadlines.resolution.within, tiers["resolution"])
        same(i, "follow-up offset", r.deadlines.follow_up.within if r.deadlines.follow_up else None, follow_up)
        same(i, "SLA target offsets", [t.within for t in r.targets], [t["within"] for t in targets])
        # the instants kefu computes from zen's offsets, on the calendars zen picked, against triage_columns' own
        first = _due(policy, received[i], tiers["first_response"], z)
        resolution = _due(policy, received[i], tiers["resolution"], z)
        same(i, "first-response due", cols["first_response_due"][i], first)
        same(i, "resolution due", cols["resolution_due"][i], resolution)
        if follow_up:
            same(i, "follow-up due", cols["follow_up_due"][i], _due(policy, resolution, follow_up, z))
    return dict(compared), differ, samples


# --- side by side ---------------------------------------------------------------------------------------


@dataclass
class JdmResult:
    tickets: int
    zen_version: str
    rows: dict[str, int]  # decision-table rows per policy
    keyword_sets: int
    facts: int
    compared: dict[str, int]  # rows compared per field
    differ: Counter[str]  # rows that differ per field
    samples: list[str]  # the first differences spelled out
    zen: dict[str, Timing] = field(default_factory=dict)  # per form of evaluate_batch
    kefu: Timing | None = None

    @property
    def agreed(self) -> bool:
        return not sum(self.differ.values())

    @property
    def fastest(self) -> str:
        return min(self.zen, key=lambda form: self.zen[form].median)

    @property
    def ratio(self) -> float:
        return self.zen[self.fastest].median / self.kefu.median

    def ratio_spread(self) -> str:
        z, k = self.zen[self.fastest].per_run(), self.kefu.per_run()
        ratios = [a / b for a, b in zip(z, k)]
        return f"{fmt_ratio(min(ratios))}–{fmt_ratio(max(ratios))}"


def zen_version() -> str:
    try:
        return metadata.version("zen-engine")
    except metadata.PackageNotFoundError:
        return "?"


def compare(policy: kefu.Policy, frame, repeat: int = REPEAT, time_it: bool = True) -> JdmResult:
    """Build the graph, give zen its inputs, check every row, then (when the rows agree) time zen's
    `evaluate_batch` in its two loader forms and kefu's `triage_columns(frame, threads=1)` together."""
    import zen

    graph = build_graph(policy)
    text = json.dumps(graph.jdm, ensure_ascii=False)
    content = zen.ZenDecisionContent(text)
    # zen's batch forms (as in rules_peers.py): a static loader (the graph parsed once, cached by key) and a loader
    # handing out the precompiled ZenDecisionContent. ZenDecision has no batch call.
    engines = {"static loader": zen.ZenEngine({"loader": {"type": "static", "content": {KEY: graph.jdm}}}),
               "ZenDecisionContent loader": zen.ZenEngine({"loader": lambda _key: content})}
    requests = [{"key": KEY, "context": c} for c in zen_contexts(policy, graph, frame)]  # untimed, in zen's favour
    answers = engines["static loader"].evaluate_batch(requests)
    compared, differ, samples = check(policy, frame, answers)
    other = engines["ZenDecisionContent loader"].evaluate_batch(requests)
    differ["zen's two loader forms"] = sum(a.get("data", {}).get("result") != b.get("data", {}).get("result")
                                           for a, b in zip(answers, other))
    res = JdmResult(len(frame), zen_version(), graph.rows, len(graph.keyword_sets), len(graph.facts), compared,
                    differ, samples)
    if time_it and res.agreed:
        n = len(frame)
        fns = {form: (lambda e=e: e.evaluate_batch(requests), n) for form, e in engines.items()}
        fns["kefu"] = (lambda: policy.triage_columns(frame, threads=1), n)
        t = measure_together(fns, repeat)
        res.kefu = t.pop("kefu")
        res.zen = t
    return res


def describe(res: JdmResult) -> str:
    """What zen is given and what is compared: the paragraph of docs/performance.md."""
    rows = ", ".join(f"{name} {k}" for name, k in res.rows.items())
    fields = len(res.compared)
    return (f"zen-engine {res.zen_version} runs the same triage as one JDM decision graph generated from the shipped "
            f"rules by `benchmarks/triage_jdm.py` (the condition translator of `benchmarks/rules_peers.py`): the "
            f"six policies as decision tables chained in kefu's order ({rows} rows; an `or` across inputs is a row "
            "per alternative, hit policy unique as first), and after the collect tables of risk and escalation an "
            "expression node that keeps the highest level and tier among the matched rules, as kefu's triage does. "
            "What ZEN has no expression for is computed by kefu before the timing and handed to zen as inputs, in "
            f"its favour: the {res.keyword_sets} keyword-set matches of the risk policy (a bool per set per ticket "
            "from `kefu.KeywordSet.contains_any`, negation and exception phrases included; zen never sees the "
            "text) and the derived facts days_since_purchase and purchase_date_known; money as floats. zen gives "
            "the deadline offsets the tiers and SLA targets name (\"24h\", \"7 workdays\") and the calendars, not "
            "the due instants, which kefu computes on its working-day and business-hour calendars inside its "
            "timing; the graph holds only the outputs compared (no reasons, actions or target texts). zen's "
            "request list is built before the timing; kefu's time includes reading the DataFrame's columns and "
            f"building its result. Checked first, on all {res.tickets:,} tickets: {fields} fields per ticket "
            "(risk level and signals, tier, priority routing, owners, follow-up and report flags, refund decision "
            "and rule, the SLA targets' rules and offsets, the three tier offsets, and the due instants kefu "
            "computes from zen's offsets on the calendars zen picked against `triage_columns`' own) — "
            + ("every row agrees." if res.agreed else "NOT EQUAL: " + ", ".join(
                f"{what} on {k:,} rows" for what, k in res.differ.items() if k) + "."))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tickets", type=int, default=None, help="use only the first N shipped tickets")
    ap.add_argument("--repeat", type=int, default=REPEAT, help="timed runs of each side")
    ap.add_argument("--dry-run", action="store_true", help="200 tickets, two runs: the numbers mean nothing")
    ap.add_argument("--write-jdm", type=Path, default=None, metavar="FILE",
                    help="write the generated graph to FILE (for the GoRules editor) and stop")
    args = ap.parse_args(argv)
    import pandas as pd
    from kefu.tickets import read_tickets

    policy = kefu.default_policy()
    if args.write_jdm:
        args.write_jdm.write_text(json.dumps(build_graph(policy).jdm, ensure_ascii=False, indent=2) + "\n",
                                  encoding="utf-8")
        print(f"wrote {args.write_jdm}")
        return 0
    if args.dry_run:
        args.tickets, args.repeat = 200, DRY_REPEAT
    names = {f.name for f in policy.facts}
    rows = [{k: v for k, v in r.items() if k in names} for r in read_tickets(kefu.default_data_path())][: args.tickets]
    res = compare(policy, pd.DataFrame(rows), args.repeat)
    print(describe(res))
    for line in res.samples:
        print("  " + line)
    if not res.agreed:
        return 1
    for form, t in res.zen.items():
        print(f"zen-engine evaluate_batch, {form}: {fmt_time(t.median)} per ticket ({t.spread()}, "
              f"CPU/wall {t.cores:.1f})")
    print(f"kefu triage_columns(frame, threads=1): {fmt_time(res.kefu.median)} per ticket ({res.kefu.spread()}, "
          f"CPU/wall {res.kefu.cores:.1f})")
    print(f"ratio {fmt_ratio(res.ratio)} (runs {res.ratio_spread()}) against the {res.fastest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
