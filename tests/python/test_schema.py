"""JSON Schemas of rules files (docs/schema/): editors' completion and checks for rule authors.

The schemas are a convenience; ``kefu lint`` is the authority. These tests keep them honest both ways:

- every schema is a valid draft 2020-12 schema, uses only keywords editors understand, and documents its
  properties in English and Chinese;
- every policy, calendar, rule-test, KPI targets, scorecard and facts vocabulary file under rules/ and
  tests/data/ that kefu loads matches its schema, and so do complete examples of each kind (checked
  against kefu first);
- the structural defects of tests/data/malformed_policies/ (and of a few examples of the other kinds,
  which kefu rejects too) fail validation at the right place, while the defects only kefu can judge
  (types in ``when``, unknown outputs, duplicate keys…) pass;
- the keys of the targets, scorecard and vocabulary schemas are the keys their loaders accept (the
  loaders list them in their "unknown key" errors);
- every shipped rules file ends with a modeline naming its schema, and ``kefu schema KIND`` prints it.

Every document is read twice: as an editor reads it (YAML 1.2 core schema, which yaml-language-server
uses: true/false are booleans, 7 and 4.5 numbers; dates and ``no`` stay strings) and as kefu reads it
(every scalar as text: yaml.BaseLoader). A schema must accept both.

Needs the optional packages jsonschema and pyyaml; skipped without them.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

import pytest

jsonschema = pytest.importorskip("jsonschema")
yaml = pytest.importorskip("yaml")
referencing = pytest.importorskip("referencing")

from referencing import Registry, Resource  # noqa: E402
from referencing.jsonschema import DRAFT7, DRAFT202012  # noqa: E402

try:
    import kefu
except ImportError:  # the schemas are still checked; "kefu loads it" is then assumed
    kefu = None

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_DIR = ROOT / "docs" / "schema"
KINDS = ("policy", "calendar", "suite", "targets", "scorecard", "vocabulary", "clocks")
# The key that starts a file of each kind (kefu's document kind); the facts vocabulary's schema is
# vocabulary.schema.json, facts.schema.json being the schema of the ticket facts a triage accepts.
KIND_KEY = {kind: kind for kind in KINDS} | {"vocabulary": "facts"}
KIND_OF_KEY = {key: kind for kind, key in KIND_KEY.items()}
SCHEMA_NAMES = KINDS + ("rules",)  # rules.schema.json: any rules file, dispatched on its kind key
SCHEMAS: dict[str, Any] = {
    name: json.loads((SCHEMA_DIR / f"{name}.schema.json").read_text(encoding="utf-8")) for name in SCHEMA_NAMES
}
REGISTRY = Registry().with_resources(
    (f"{name}.schema.json", Resource.from_contents(schema, default_specification=DRAFT202012))
    for name, schema in SCHEMAS.items()
)


# ---- reading YAML as an editor and as kefu ----


class EditorLoader(yaml.SafeLoader):
    """YAML 1.2 core schema (what yaml-language-server sees): only true/false, numbers and null are typed."""

    yaml_implicit_resolvers: dict = {}


EditorLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
EditorLoader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"), list("-+0123456789")
)
EditorLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"),
    list("-+0123456789."),
)
EditorLoader.add_implicit_resolver("tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""])


def _int(loader: yaml.SafeLoader, node: yaml.Node) -> int:
    text = loader.construct_scalar(node)
    return int(text, 0) if text[:2] in ("0x", "0o") else int(text)


def _float(loader: yaml.SafeLoader, node: yaml.Node) -> float:
    text = loader.construct_scalar(node).lower()
    if text.endswith(".inf"):
        return float("-inf") if text.startswith("-") else float("inf")
    return float("nan") if text == ".nan" else float(text)


EditorLoader.add_constructor("tag:yaml.org,2002:int", _int)
EditorLoader.add_constructor("tag:yaml.org,2002:float", _float)

READINGS = {"editor": EditorLoader, "kefu": yaml.BaseLoader}


def read(text: str, reading: str) -> Any:
    return yaml.load(text, Loader=READINGS[reading])


def test_editor_reading_is_yaml_1_2_core() -> None:
    doc = read("a: no\nb: 2026-02-14\nc: true\nd: 7\ne: 4.5\nf: '+08:00'\ng: +08:00\nh:\ni: 0o17\n", "editor")
    assert doc == {"a": "no", "b": "2026-02-14", "c": True, "d": 7, "e": 4.5, "f": "+08:00", "g": "+08:00", "h": None, "i": 15}
    assert read("c: true\nd: 7\nh:\n", "kefu") == {"c": "true", "d": "7", "h": ""}


# ---- validation helpers ----


def validator(name: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(SCHEMAS[name], registry=REGISTRY)


def errors_of(name: str, doc: Any) -> list[jsonschema.ValidationError]:
    return sorted(validator(name).iter_errors(doc), key=lambda e: [str(p) for p in e.absolute_path])


def describe(errors: list[jsonschema.ValidationError]) -> str:
    return "\n".join(f"  at /{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors)


def assert_valid(name: str, doc: Any, what: str) -> None:
    errors = errors_of(name, doc)
    assert not errors, f"{what} does not match {name}.schema.json:\n{describe(errors)}"


def all_errors(errors: list[jsonschema.ValidationError]) -> Iterator[jsonschema.ValidationError]:
    """The errors and, recursively, the errors of the branches of anyOf/oneOf behind them."""
    for e in errors:
        yield e
        yield from all_errors(list(e.context or []))


ANY = "any keyword"


def assert_rejected_at(name: str, doc: Any, path: tuple, keyword: str | None, what: str) -> None:
    """Invalid, with an error (possibly inside an anyOf branch) at `path` from `keyword`
    (None: a `false` subschema, i.e. a property not allowed there; ANY: whatever keyword)."""
    errors = errors_of(name, doc)
    assert errors, f"{what} matches {name}.schema.json but should not"
    found = [e for e in all_errors(errors) if tuple(e.absolute_path) == path and (keyword == ANY or e.validator == keyword)]
    assert found, f"{what}: no error from {keyword!r} at /{'/'.join(map(str, path))}; errors:\n{describe(list(all_errors(errors)))}"


def kind_of(doc: Any) -> str | None:
    """As kefu does: the first key names the kind (its schema's name: `facts:` is a vocabulary)."""
    if isinstance(doc, dict) and doc:
        return KIND_OF_KEY.get(next(iter(doc)))
    return None


# ---- (1) the schemas themselves ----


def walk(node: Any, skip: tuple[str, ...] = ()) -> Iterator[tuple[str, Any]]:
    """(key, value) of every dict entry, not descending into keys in `skip`."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield k, v
            if k not in skip:
                yield from walk(v, skip)
    elif isinstance(node, list):
        for v in node:
            yield from walk(v, skip)


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_schema_is_a_valid_draft_2020_12_schema(name: str) -> None:
    schema = SCHEMAS[name]
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)
    # Every $ref resolves (jsonschema would only notice when a document reaches it).
    resolver = REGISTRY.resolver(base_uri=f"{name}.schema.json")
    refs = [v for k, v in walk(schema) if k == "$ref"]
    assert refs
    for ref in refs:
        resolver.lookup(ref)


# yaml-language-server validates documents with draft-07 semantics, and older versions check schemas
# against draft-07's meta-schema; 2019-09/2020-12 keywords would be ignored there, so the schemas do without
# them ($defs is only a place for $ref to point at).
NEWER_KEYWORDS = {
    "prefixItems", "unevaluatedProperties", "unevaluatedItems", "dependentRequired", "dependentSchemas",
    "$dynamicRef", "$dynamicAnchor", "$recursiveRef", "$recursiveAnchor", "$anchor", "minContains", "maxContains",
}


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_schema_uses_only_keywords_editors_understand(name: str) -> None:
    used = {k for k, _ in walk(SCHEMAS[name])} & NEWER_KEYWORDS
    assert not used, f"{name}.schema.json uses {sorted(used)}"
    jsonschema.Draft7Validator.check_schema(SCHEMAS[name])


@pytest.mark.parametrize("name", KINDS)
def test_every_property_is_described_in_english_and_chinese(name: str) -> None:
    missing = []
    resolver = REGISTRY.resolver(base_uri=f"{name}.schema.json")
    # if/then/else, not, allOf and anyOf hold validation-only subschemas, not what an editor shows.
    for key, value in walk(SCHEMAS[name], skip=("if", "then", "else", "not", "allOf", "anyOf")):
        if key != "properties" or not isinstance(value, dict):
            continue
        for prop, sub in value.items():
            if sub is False:
                continue
            if "description" not in sub and "$ref" in sub:  # shown from the definition it points at
                sub = resolver.lookup(sub["$ref"]).contents
            desc = sub.get("description", "")
            if not (re.search(r"[A-Za-z]{3}", desc) and re.search(r"[\u4e00-\u9fff]", desc)):
                missing.append(prop)
    assert not missing, f"properties without an English and Chinese description: {missing}"


def examples_of(name: str) -> Iterator[tuple[str, Any, Any]]:
    def visit(node: Any, where: str) -> Iterator[tuple[str, Any, Any]]:
        if isinstance(node, dict):
            for example in node.get("examples", []):
                yield where, node, example
            for k, v in node.items():
                if k not in ("examples", "default", "const", "enum", "defaultSnippets"):
                    yield from visit(v, f"{where}/{k}")
        elif isinstance(node, list):
            for i, v in enumerate(node):
                yield from visit(v, f"{where}/{i}")

    return visit(SCHEMAS[name], "#")


@pytest.mark.parametrize("name", KINDS)
def test_every_example_in_a_schema_matches_its_own_schema(name: str) -> None:
    root = validator(name)
    seen = 0
    for where, node, example in examples_of(name):
        errors = list(root.evolve(schema=node).iter_errors(example))
        assert not errors, f"{name}.schema.json {where}: example {example!r} is invalid:\n{describe(errors)}"
        seen += 1
    assert seen >= 5


# ---- (2) files kefu loads match their schema ----


def rules_files() -> list[tuple[Path, str]]:
    """(file, kind) of every rules file of a kind with a schema under rules/ and tests/data/ (not the
    malformed corpus)."""
    found = []
    for base in (ROOT / "rules", ROOT / "tests" / "data"):
        for path in sorted(base.rglob("*")):
            if path.suffix not in (".yaml", ".yml") or not path.is_file() or "malformed_policies" in path.parts:
                continue
            try:
                kind = kind_of(read(path.read_text(encoding="utf-8"), "kefu"))
            except yaml.YAMLError:
                kind = "not YAML to PyYAML"
            if kind:
                found.append((path, kind))
    return found


RULES_FILES = rules_files()


def test_the_shipped_calendars_are_among_the_files_checked() -> None:
    names = {p.name for p, kind in RULES_FILES if kind == "calendar"}
    assert {"cn-mainland.yaml", "cn-office.yaml"} <= names


def test_every_kind_of_shipped_rules_file_is_checked() -> None:
    shipped = {(p.relative_to(ROOT).as_posix(), kind) for p, kind in RULES_FILES if p.is_relative_to(ROOT / "rules")}
    assert {kind for _, kind in shipped} == set(KINDS)
    assert {("rules/kpi/targets.yaml", "targets"), ("rules/kpi/scorecard-monthly.yaml", "scorecard"),
            ("rules/facts.yaml", "vocabulary")} <= shipped


def rule_suite() -> Any:
    return getattr(kefu, "RuleSuite", None) or kefu._core.RuleSuite


def load_vocabulary(path: Path) -> None:
    """Loads a facts vocabulary as kefu does, in a rules directory that holds only it. Policy.load reads the
    vocabulary (and its defaults) first; a directory without policies then fails for want of the policies
    triage needs, which means the vocabulary itself loaded."""
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        (Path(d) / "facts.yaml").write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
        try:
            kefu.Policy.load(d)
        except kefu.Error as e:
            if f"rules directory '{d}' has no policy named 'risk'" not in str(e):
                raise


def load_clocks(path: Path) -> None:
    """Loads a named-clocks document as kefu does: in a copy of the shipped rules directory, in place of its
    clocks.yaml (its names are checked against that directory's vocabulary and calendars)."""
    import shutil
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        shutil.copytree(ROOT / "rules", Path(d) / "rules")
        (Path(d) / "rules" / "clocks.yaml").write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
        kefu.Policy.load(str(Path(d) / "rules"), run_rule_tests=False)


def loader(kind: str) -> Any:
    return {"policy": kefu.DecisionPolicy.load, "calendar": kefu.Calendar.load, "suite": rule_suite().load,
            "targets": kefu.KpiTargets.load, "scorecard": kefu.Scorecard.load, "vocabulary": load_vocabulary,
            "clocks": load_clocks}[kind]


@lru_cache(maxsize=None)
def kefu_load_error(path: Path, kind: str) -> str | None:
    """Why kefu does not load the file, or None when it does (or kefu is not importable)."""
    if kefu is None:
        return None
    try:
        loader(kind)(path)
    except kefu.Error as e:
        return str(e)
    return None


@pytest.mark.parametrize("reading", READINGS)
@pytest.mark.parametrize("path,kind", RULES_FILES, ids=[str(p.relative_to(ROOT)) for p, _ in RULES_FILES])
def test_rules_file_that_kefu_loads_matches_its_schema(path: Path, kind: str, reading: str) -> None:
    if kind not in KINDS:  # PyYAML cannot read it: kefu must not be able to either
        if kefu is None:
            pytest.skip("PyYAML cannot read it, and kefu is not importable")
        try:
            kind = KIND_OF_KEY.get(kefu._core.describe_rules_file(path).kind, "no schema")
        except kefu.Error as e:
            pytest.skip(f"kefu does not load it: {e}")
        assert kind not in KINDS or kefu_load_error(path, kind), f"kefu loads {path}, PyYAML cannot read it"
        pytest.skip(f"a {kind} file")
    why = kefu_load_error(path, kind)
    if why:
        pytest.skip(f"kefu does not load it: {why}")
    doc = read(path.read_text(encoding="utf-8"), reading)
    assert_valid(kind, doc, str(path.relative_to(ROOT)))
    assert_valid("rules", doc, str(path.relative_to(ROOT)))


# Complete documents of each kind, using every key the loaders accept. kefu must load each one.
POLICY = """\
# yaml-language-server: $schema=../../docs/schema/policy.schema.json
policy: refund-eligibility
version: 3
description: 退款资格 Mall refund decisions
source: DOM-REF-1, DOM-REF-6
zone: "+08:00"
hit_policy: first
inputs:
  business: {type: enum, values: [ecommerce, mall, smart_counter, fresh], description: 业务线 business line}
  category: {type: enum, values: [quality_defect, refund_request, billing_error], default: refund_request}
  tags: {type: set, values: [vip, repeat, media], default: "vip, repeat"}
  days_since_purchase: int
  claimed_amount: money
  order_amount: {type: money, default: ¥100.50}
  rating: {type: decimal, default: 4.5}
  has_receipt: {type: bool, default: true}
  used: {type: bool, default: "false"}
  first_response_time: {type: duration, default: 30min}
  purchased_at: {type: date, default: 2026-02-14}
  received_at: {type: datetime, default: "2026-02-14T10:00:00+08:00"}
  complaint: text
  channel: {type: text, default: app}
  count: {type: int, default: 0}
keywords:
  媒体曝光: [曝光, 媒体, 微博, 抖音]
  监管: [12315, 消协, 市场监管]
outputs:
  decision: {type: enum, values: [refund, exchange, deny, manual_review], description: 决定 decision}
  refund_cap: money
  needs_callback: bool
  notify: {type: set, values: [store, legal, pr]}
  reason: text
  days: int
  score: decimal
  wait: duration
  review_on: date
  review_at: datetime
rules:
  - id: REF-MEDIA
    description: 媒体曝光先人工 media exposure goes to a person first
    source: DOM-RISK-2
    when: contains_any(complaint, 媒体曝光) or contains_any(complaint, 监管) or media in tags
    then: {decision: manual_review, needs_callback: true, notify: "[pr, legal]", reason: media}
  - id: REF-BILLING
    when: category == billing_error
    then: {decision: refund, refund_cap: "¥1,000.00", reason: refund the overcharge, days: 0}
  - id: 退款-质量
    when: >
      category == quality_defect and has_receipt
      and days_since_purchase in [0..7]
    then:
      decision: refund
      refund_cap: 5000
      score: 0.5
      wait: 24h
      review_on: 2026-03-01
      review_at: 2026-03-01T09:00:00+08:00
  - id: 1001
    when: "business in {mall, fresh} and not used and claimed_amount - order_amount <= ¥100 and days_since_purchase * 2 < 30"
    then: {decision: exchange, needs_callback: false}
  - id: REF-LATE
    when: workdays_between(purchased_at, received_at, 'cn-mainland') > 7 or days_between(purchased_at, received_at) > 15
    then: {decision: deny}
default: {decision: manual_review, reason: no rule applies}
"""

PRIORITY_POLICY = """\
policy: escalation-tier
hit_policy: priority
inputs:
  category: {type: enum, values: [consultation, refund_request, quality_defect]}
  claimed_amount: money
outputs:
  tier: {type: enum, values: [L1, L2, L3]}
rules:
  - id: ESC-L3-AMOUNT
    priority: 10
    when: claimed_amount > ¥1000
    then: {tier: L3}
  - id: ESC-L2-REFUND
    priority: "5"
    when: category == refund_request
    then: {tier: L2}
  - id: ESC-L1
    priority: -1
    when: true
    then: {tier: L1}
"""

COLLECT_POLICY = """\
policy: 风险等级
hit_policy: collect
inputs:
  客户原话: text
  集体投诉: bool
keywords:
  安全: [受伤, 中毒]
outputs:
  风险: {type: enum, values: [普通, 高, 严重]}
rules:
  - {id: 风险-安全, when: "contains_any(客户原话, 安全)", then: {风险: 严重}}
  - {id: 风险-集体, when: 集体投诉, then: {风险: 高}}
  - {id: 风险-其他, when: false, then: {}}
default: {风险: 普通}
"""

# Effective dating (DOM-RULE-1): versions instead of rules, picked by the receipt instant.
VERSIONED_POLICY = """\
policy: refund-window
description: the dissatisfaction window widens at midnight 2027-01-01
versions_by: received_at
inputs:
  received_at: datetime
  days: int
outputs:
  decision: {type: enum, values: [refund, deny]}
versions:
  - version: "2026.1"
    description: seven days
    rules:
      - {id: WINDOW, when: days <= 7, then: {decision: refund}}
  - version: "2027.1"
    description: fifteen days
    effective_from: 2027-01-01T00:00:00+08:00
    rules:
      - {id: WINDOW, when: days <= 15, then: {decision: refund}}
default: {decision: deny}
"""

CALENDAR = """\
calendar: east-china-support
description: 华东客服组 — office hours, Saturday mornings
version: 1
source: docs/calendars.md
zone: Asia/Shanghai
range: {from: 2026-01-01, to: 2026-12-31}
weekdays: [mon, Tue, WEDNESDAY, thu, fri]
hours: ["09:00-12:00", "13:30-18:00"]
week:
  sat: ["09:00-12:00"]
  Sunday: []
holidays:
  - {date: 2026-10-01, to: 2026-10-07, name: 国庆节 National Day}
  - 2026-06-19
workdays:
  - {date: 2026-10-10, name: 国庆调休}
  - {date: 2026-09-27, hours: ["09:00-12:00"], name: 调休半天}
special_days:
  - {date: 2026-12-31, hours: "09:00-12:00", name: 跨年半天}
"""

SHIFTS_CALENDAR = """\
calendar: fresh-night
zone: "+08"
range: {from: 2026-01-01, to: 2026-12-31}
weekdays: [mon, tue, wed, thu, fri, sat, sun]
shifts:
  - {name: 早班 early, hours: "07:00-15:00"}
  - {name: 中班 middle, hours: "14:00-22:00"}
  - "21:00-08:00+1"
"""

EXTENDS_CALENDAR = """\
calendar: cn-office-late
extends: cn-mainland
range: {from: 2026-01-01, to: 2026-12-31}
hours: ["10:00-12:00", "13:00-19:00"]
"""

WEEK_ONLY_CALENDAR = """\
calendar: weekend-desk
zone: "+08:00"
range: {from: 2026-01-01, to: 2026-12-31}
week: {sat: "10:00-16:00", sun: ["10:00-12:00", "13:00-16:00"]}
"""

SUITE = """\
suite: refund decisions 退款用例
description: cases next to the rules
policy: ../refund.yaml
defaults: {business: mall, has_receipt: true, tags: [vip, repeat], days_since_purchase: 3}
cases:
  - name: quality defect on day 7 is refunded (DOM-REF-1)
    input: {category: quality_defect, days_since_purchase: 7, claimed_amount: "¥200"}
    expect: {decision: refund, notify: []}
    rule: 退款-质量
  - input: {category: billing_error}
    rules: [REF-BILLING]
  - name: nothing applies
    input: {category: refund_request}
    expect: {decision: manual_review}
    rule: default
"""

TARGETS = """\
targets: service-kpis 服务目标
description: 服务质量目标 service-quality goals
source: "seed 002 §4.1: FRT, ART"
version: 2
qc_pass_mark: 60.5
channels:
  online: {first_response: 30s, average_response: 5min, handling: 15min}
  电话: {first_response: 15秒}
  email: {first_response: 2h}
sla:
  - {name: first_response_24h, until: first_response, within: 24h}
  - {name: closure_3_workdays, until: resolution, within: 3 workdays, calendar: cn-mainland}
  - name: closure_8_business_hours
    until: resolution
    within: 8 business hours
    calendar: cn-office
metrics:
  - {metric: fcr_rate, at_least: 90%, source: seed 002 §4.2}
  - {metric: escalation_rate, at_most: 0.05}
  - {metric: csat_mean, at_least: 4.5}
  - {metric: frt_p90, at_most: 1min}
  - {metric: "frt_mean[online]", at_most: 20s}
  - metric: art[电话]
    at_most: 1min
  - {metric: sla_closure_3_workdays, at_least: 95%}
"""

SCORECARD = """\
scorecard: smart-counter-monthly 月度考核
description: 月度考核 monthly scorecard
source: seed 000 §7.3
version: 1
subject: team
items:
  - {id: efficiency, group: core, weight: 20, value: tickets, full: input.target_workload, description: 效能达成}
  - {id: satisfaction, weight: 30.5, value: satisfied_rate, full: 1, cap: none}
  - {id: timely, weight: 9.5, value: frt_within_target, full: 1, cap: 120%}
  - id: leads
    weight: 10
    value: {max: [input.leads_submitted, {min: [input.leads_converted_last_month, 8]}]}
    full: 10
    cap: 1
  - {id: kpi, weight: 20, value: targets_met_rate, full: 1}
  - {id: sla, weight: 10, value: sla_closure_72h, full: "frt_mean[online]"}
bonus:
  - {id: commendations, value: input.commendations, points: 1, description: 表扬 commendations}
  - {id: complaints, value: upheld_complaints}
flags:
  retrain_bottom: 10%
  promotion: {months: 3, metric: targets_met_rate, at_least: 100%, rank_by: csat_mean, top: 0.2}
  disciplinary_review: {metric: upheld_complaints, at_least: 5}
"""

TEAM_SCORECARD = """\
scorecard: supervisor
items:
  - {id: team_kpi, weight: 100, value: targets_met_rate, full: 1}
flags:
  retrain_bottom: 0.1
"""

VOCABULARY = """\
facts: ticket-facts 工单事实
version: "1"
description: 工单事实 ticket facts
source: docs/requirements.md §10
zone: Asia/Shanghai
fields:
  ticket_id: text
  customer_phone: {type: text, personal: true, description: 客户电话 customer phone}
  business: {type: enum, values: [ecommerce, mall], required: true}
  tags: {type: set, values: [vip, repeat], default: "vip, repeat"}
  received_at: {type: datetime, required: "true"}
  purchased_at: date
  claimed_amount: {type: money, default: "0", non_negative: true}
  repeat_complaints: {type: int, default: 0, non_negative: false}
  vip: {type: bool, default: false}
  rating: {type: decimal, default: 4.5}
  wait: {type: duration, default: 30min}
  reply_within: {type: deadline, default: 2 workdays}
  days_since_purchase: {type: int, derived: received_at − purchased_at in days}
  risk_level: {type: enum, values: [normal, high], derived: the risk policy's level}
"""

GOOD = {
    "policy: every key": ("policy", POLICY),
    "policy: priority": ("policy", PRIORITY_POLICY),
    "policy: collect, flow-style rules": ("policy", COLLECT_POLICY),
    "policy: effective-dated versions": ("policy", VERSIONED_POLICY),
    "calendar: every key": ("calendar", CALENDAR),
    "calendar: shifts": ("calendar", SHIFTS_CALENDAR),
    "calendar: extends": ("calendar", EXTENDS_CALENDAR),
    "calendar: week only": ("calendar", WEEK_ONLY_CALENDAR),
    "suite: every key": ("suite", SUITE),
    "targets: every key": ("targets", TARGETS),
    "scorecard: every key": ("scorecard", SCORECARD),
    "scorecard: team, flags only retrain": ("scorecard", TEAM_SCORECARD),
    "vocabulary: every key": ("vocabulary", VOCABULARY),
}


def kefu_loads(kind: str, text: str, tmp_path: Path) -> str | None:
    """None when kefu loads the document, else its error message."""
    try:
        if kind == "policy":
            kefu.DecisionPolicy.from_yaml(text)
        elif kind == "calendar":
            kefu.Calendar.from_yaml(text)
        elif kind == "suite":
            (tmp_path / "tests").mkdir(exist_ok=True)
            path = tmp_path / "tests" / "suite.yaml"
            path.write_text(text, encoding="utf-8")
            rule_suite().load(path)
        else:
            path = tmp_path / f"{kind}.yaml"
            path.write_text(text, encoding="utf-8")
            loader(kind)(path)
    except kefu.Error as e:
        return str(e)
    return None


@pytest.mark.parametrize("reading", READINGS)
@pytest.mark.parametrize("example", GOOD)
def test_complete_document_matches_its_schema(example: str, reading: str, tmp_path: Path) -> None:
    kind, text = GOOD[example]
    if kefu is not None:
        assert kefu_loads(kind, text, tmp_path) is None, "the example itself must be valid"
    doc = read(text, reading)
    assert kind_of(doc) == kind
    assert_valid(kind, doc, example)
    assert_valid("rules", doc, example)


def test_when_examples_in_the_schema_are_conditions_kefu_compiles() -> None:
    if kefu is None:
        pytest.skip("kefu is not importable")
    examples = SCHEMAS["policy"]["$defs"]["when"]["examples"]
    head = POLICY.split("rules:\n")[0]
    for condition in examples:
        text = head + f"rules:\n  - id: EXAMPLE\n    when: {json.dumps(condition, ensure_ascii=False)}\n    then: {{decision: refund}}\n"
        try:
            kefu.DecisionPolicy.from_yaml(text)
        except kefu.Error as e:
            pytest.fail(f"schema example `when: {condition}` does not compile: {e}")


# ---- (3) structural errors fail; what only kefu can judge passes ----

MALFORMED = ROOT / "tests" / "data" / "malformed_policies"

# file → (path of the error, keyword that reports it); the error may sit inside an anyOf branch. None is a
# property the schema forbids (a `false` subschema), which jsonschema reports at the enclosing mapping.
STRUCTURAL_ERRORS = {
    "04_not_a_mapping.yaml": ((), "type"),
    "05_missing_policy_key.yaml": ((), "required"),
    "06_unknown_top_level_key.yaml": ((), "additionalProperties"),
    "07_missing_inputs.yaml": ((), "required"),
    "08_inputs_not_a_mapping.yaml": (("inputs",), "type"),
    "09_unknown_type_did_you_mean.yaml": (("inputs", "claimed_amount"), "enum"),
    "10_enum_without_values.yaml": (("inputs", "category"), "enum"),
    "11_duplicate_enum_value.yaml": (("inputs", "类别", "values"), "uniqueItems"),
    "12_values_on_non_enum.yaml": (("inputs", "days_since_purchase"), None),
    "13_bad_input_default.yaml": (("inputs", "used", "default"), "enum"),
    "15_missing_outputs.yaml": ((), "required"),
    "16_empty_keyword_set.yaml": (("keywords", "监管"), "minItems"),
    "18_keyword_set_not_a_list.yaml": (("keywords", "监管"), "type"),
    "19_duplicate_keyword.yaml": (("keywords", "安全"), "uniqueItems"),
    "20_missing_rules.yaml": ((), "required"),
    "21_rule_not_a_mapping.yaml": (("rules", 1), "type"),
    "22_rule_missing_id.yaml": (("rules", 1), "required"),
    "24_unknown_rule_key.yaml": (("rules", 0), "additionalProperties"),
    "25_rule_missing_when.yaml": (("rules", 0), "required"),
    "26_rule_missing_then.yaml": (("rules", 0), "required"),
    "29_priority_without_priority_hit_policy.yaml": (("rules", 0), None),
    "30_missing_priority_under_priority.yaml": (("rules", 1), "required"),
    "31_bad_hit_policy.yaml": (("hit_policy",), "enum"),
    "32_bad_zone.yaml": (("zone",), "anyOf"),
    "42_when_empty_condition.yaml": (("rules", 0, "when"), ANY),
    "53_output_with_default.yaml": (("outputs", "decision"), "additionalProperties"),
    "62_when_null.yaml": (("rules", 0, "when"), ANY),
    "63_empty_file.yaml": ((), "type"),
}

# Well-formed YAML whose defect only kefu finds: the schema must accept them (it is no stricter than it
# says). Duplicate keys (14, 17, 54, 55, 56) are reported by the editor's YAML parser, not by schemas.
ONLY_KEFU_FINDS = [
    "14_duplicate_input.yaml", "17_duplicate_keyword_set.yaml", "23_duplicate_rule_id.yaml",
    "27_unknown_output_in_then.yaml", "28_bad_output_value.yaml", "33_when_unknown_input.yaml",
    "34_when_enum_value_not_in_enum.yaml", "35_when_type_mismatch_money_vs_date.yaml",
    "36_when_text_compared_with_less_than.yaml", "37_when_single_equals.yaml", "38_when_double_ampersand.yaml",
    "39_when_exclamation_not.yaml", "40_when_unclosed_parenthesis.yaml", "41_when_unclosed_text_literal.yaml",
    "43_when_trailing_garbage.yaml", "44_when_money_too_many_decimals.yaml", "45_when_duration_without_unit.yaml",
    "46_when_unknown_function.yaml", "47_when_unknown_keyword_set.yaml", "48_when_keyword_set_as_value.yaml",
    "49_when_bad_date_literal.yaml", "50_when_range_ends_before_start.yaml", "51_when_not_boolean.yaml",
    "52_when_workdays_unknown_calendar.yaml", "54_duplicate_top_level_key.yaml", "55_rule_duplicate_when.yaml",
    "56_then_duplicate_output.yaml", "57_when_folded_block_error.yaml", "58_when_literal_block_error.yaml",
    "59_when_plain_multiline_error.yaml", "60_when_single_quoted_escape.yaml", "61_when_int_vs_money.yaml",
    "64_when_chinese_column.yaml",
]

# Not YAML at all: the editor's parser reports these before any schema applies.
YAML_SYNTAX_ERRORS = ["01_yaml_unclosed_flow_mapping.yaml", "02_yaml_bad_indentation.yaml", "03_yaml_tab_indentation.yaml"]


@pytest.mark.parametrize("reading", READINGS)
@pytest.mark.parametrize("name", STRUCTURAL_ERRORS)
def test_structural_error_fails_the_policy_schema(name: str, reading: str) -> None:
    path, keyword = STRUCTURAL_ERRORS[name]
    doc = read((MALFORMED / name).read_text(encoding="utf-8"), reading)
    assert_rejected_at("policy", doc, path, keyword, name)


@pytest.mark.parametrize("reading", READINGS)
@pytest.mark.parametrize("name", ONLY_KEFU_FINDS)
def test_defect_only_kefu_finds_passes_the_policy_schema(name: str, reading: str) -> None:
    doc = read((MALFORMED / name).read_text(encoding="utf-8"), reading)
    assert_valid("policy", doc, name)
    assert_valid("rules", doc, name)


@pytest.mark.parametrize("reading", READINGS)
@pytest.mark.parametrize("name", YAML_SYNTAX_ERRORS)
def test_yaml_syntax_error_is_not_yaml(name: str, reading: str) -> None:
    with pytest.raises(yaml.YAMLError):
        read((MALFORMED / name).read_text(encoding="utf-8"), reading)


def test_malformed_corpus_lists_name_existing_files() -> None:
    listed = set(STRUCTURAL_ERRORS) | set(ONLY_KEFU_FINDS) | set(YAML_SYNTAX_ERRORS)
    assert len(listed) == len(STRUCTURAL_ERRORS) + len(ONLY_KEFU_FINDS) + len(YAML_SYNTAX_ERRORS)
    assert listed <= {p.name for p in MALFORMED.glob("*.yaml")}


CALENDAR_HEAD = 'calendar: team\nzone: "+08:00"\nrange: {from: 2026-01-01, to: 2026-12-31}\n'
SUITE_HEAD = "suite: t\npolicy: ../p.yaml\n"
SCORECARD_HEAD = "scorecard: s\nitems:\n  - {id: a, weight: 100, value: csat_mean, full: 5}\n"

# (kind, document, path of the error, keyword): defects of calendars, suites, targets, scorecards and facts
# vocabularies that kefu rejects too.
BAD = {
    "calendar: unknown key": ("calendar", CALENDAR_HEAD + 'hours: ["09:00-18:00"]\nholidyas: [2026-01-01]\n', (), "additionalProperties"),
    "calendar: hours and shifts": ("calendar", CALENDAR_HEAD + 'hours: ["09:00-18:00"]\nshifts: ["07:00-15:00"]\n', (), "not"),
    "calendar: no zone": ("calendar", 'calendar: team\nrange: {from: 2026-01-01, to: 2026-12-31}\nhours: ["09:00-18:00"]\n', (), "required"),
    "calendar: no range": ("calendar", 'calendar: team\nzone: "+08:00"\nhours: ["09:00-18:00"]\n', (), "required"),
    "calendar: no hours": ("calendar", CALENDAR_HEAD, (), "anyOf"),
    "calendar: range without to": ("calendar", 'calendar: t\nzone: "+08:00"\nrange: {from: 2026-01-01}\nhours: ["09:00-18:00"]\n', ("range",), "required"),
    "calendar: bad weekday": ("calendar", CALENDAR_HEAD + 'weekdays: [mon, tues]\nhours: ["09:00-18:00"]\n', ("weekdays", 1), ANY),
    "calendar: bad week key": ("calendar", CALENDAR_HEAD + 'hours: ["09:00-18:00"]\nweek: {saturdy: []}\n', ("week",), ANY),
    "calendar: hours without leading zero": ("calendar", CALENDAR_HEAD + 'hours: ["9:00-18:00"]\n', ("hours", 0), "pattern"),
    "calendar: unknown key in a shift": ("calendar", CALENDAR_HEAD + 'shifts: [{name: early, hour: "07:00-15:00"}]\n', ("shifts", 0), "additionalProperties"),
    "calendar: hours on a holiday": ("calendar", CALENDAR_HEAD + 'hours: ["09:00-18:00"]\nholidays: [{date: 2026-10-01, hours: ["09:00-12:00"]}]\n', ("holidays", 0), "additionalProperties"),
    "calendar: date with slashes": ("calendar", CALENDAR_HEAD + 'hours: ["09:00-18:00"]\nholidays: [2026/10/01]\n', ("holidays", 0), ANY),
    "calendar: entry without date": ("calendar", CALENDAR_HEAD + 'hours: ["09:00-18:00"]\nworkdays: [{name: 调休}]\n', ("workdays", 0), "required"),
    "calendar: bad zone": ("calendar", 'calendar: t\nzone: Beijing\nrange: {from: 2026-01-01, to: 2026-12-31}\nhours: ["09:00-18:00"]\n', ("zone",), "anyOf"),
    "suite: unknown key": ("suite", SUITE_HEAD + "case:\n  - {expect: {decision: refund}}\n", (), "additionalProperties"),
    "suite: no policy": ("suite", "suite: t\ncases:\n  - {expect: {decision: refund}}\n", (), "required"),
    "suite: no cases": ("suite", SUITE_HEAD + "cases: []\n", ("cases",), "minItems"),
    "suite: unknown case key": ("suite", SUITE_HEAD + "cases:\n  - {inputs: {a: 1}, expect: {decision: refund}}\n", ("cases", 0), "additionalProperties"),
    "suite: nothing expected": ("suite", SUITE_HEAD + "cases:\n  - {name: x, input: {a: 1}}\n", ("cases", 0), "anyOf"),
    "suite: empty expect": ("suite", SUITE_HEAD + "cases:\n  - {input: {a: 1}, expect: {}}\n", ("cases", 0), "anyOf"),
    "suite: rule and rules": ("suite", SUITE_HEAD + "cases:\n  - {rule: A, rules: [A]}\n", ("cases", 0), "not"),
    "suite: rules not a list": ("suite", SUITE_HEAD + "cases:\n  - {rules: A}\n", ("cases", 0, "rules"), "type"),
    "suite: defaults not a mapping": ("suite", SUITE_HEAD + "defaults: [a]\ncases:\n  - {rule: A}\n", ("defaults",), "type"),
    "targets: misspelt key": ("targets", "targets: t\nmetrcs:\n  - {metric: fcr_rate, at_least: 90%}\n", (), "additionalProperties"),
    "targets: no goals": ("targets", "targets: t\nqc_pass_mark: 60\n", (), "anyOf"),
    "targets: misspelt channel key": ("targets", "targets: t\nchannels:\n  online: {first_respons: 30s}\n", ("channels", "online"), "additionalProperties"),
    "targets: threshold not a duration": ("targets", "targets: t\nchannels:\n  online: {first_response: soon}\n", ("channels", "online", "first_response"), ANY),
    "targets: until closed": ("targets", "targets: t\nsla:\n  - {name: c, until: closed, within: 24h}\n", ("sla", 0, "until"), "enum"),
    "targets: sla without within": ("targets", "targets: t\nsla:\n  - {name: c, until: resolution}\n", ("sla", 0), "required"),
    "targets: workdays without calendar": ("targets", "targets: t\nsla:\n  - {name: c, until: resolution, within: 3 workdays}\n", ("sla", 0), "required"),
    "targets: misspelt sla key": ("targets", "targets: t\nsla:\n  - {name: c, until: resolution, within: 24h, calender: cn-mainland}\n", ("sla", 0), "additionalProperties"),
    "targets: at_least and at_most": ("targets", "targets: t\nmetrics:\n  - {metric: fcr_rate, at_least: 90%, at_most: 95%}\n", ("metrics", 0), "not"),
    "targets: no bound": ("targets", "targets: t\nmetrics:\n  - {metric: fcr_rate}\n", ("metrics", 0), "anyOf"),
    "targets: goal without metric": ("targets", "targets: t\nmetrics:\n  - {at_least: 90%}\n", ("metrics", 0), "required"),
    "targets: unknown metric": ("targets", "targets: t\nmetrics:\n  - {metric: fcr, at_least: 90%}\n", ("metrics", 0, "metric"), ANY),
    "targets: misspelt goal key": ("targets", "targets: t\nmetrics:\n  - {metric: fcr_rate, atleast: 90%}\n", ("metrics", 0), "additionalProperties"),
    "scorecard: misspelt key": ("scorecard", SCORECARD_HEAD + "flag:\n  retrain_bottom: 10%\n", (), "additionalProperties"),
    "scorecard: subject shop": ("scorecard", SCORECARD_HEAD + "subject: shop\n", ("subject",), "enum"),
    "scorecard: no items": ("scorecard", "scorecard: s\nsubject: agent\n", (), "required"),
    "scorecard: empty items": ("scorecard", "scorecard: s\nitems: []\n", ("items",), "minItems"),
    "scorecard: item without full": ("scorecard", "scorecard: s\nitems:\n  - {id: a, weight: 100, value: csat_mean}\n", ("items", 0), "required"),
    "scorecard: misspelt item key": ("scorecard", "scorecard: s\nitems:\n  - {id: a, weight: 100, value: csat_mean, full: 5, cpa: none}\n", ("items", 0), "additionalProperties"),
    "scorecard: unknown metric": ("scorecard", "scorecard: s\nitems:\n  - {id: a, weight: 100, value: csat, full: 5}\n", ("items", 0, "value"), "anyOf"),
    "scorecard: max and min together": ("scorecard", "scorecard: s\nitems:\n  - {id: a, weight: 100, value: {max: [1], min: [2]}, full: 5}\n", ("items", 0, "value"), "anyOf"),
    "scorecard: empty max": ("scorecard", "scorecard: s\nitems:\n  - {id: a, weight: 100, value: {max: []}, full: 5}\n", ("items", 0, "value"), "anyOf"),
    "scorecard: bonus without value": ("scorecard", SCORECARD_HEAD + "bonus:\n  - {id: b, points: 1}\n", ("bonus", 0), "required"),
    "scorecard: misspelt flag": ("scorecard", SCORECARD_HEAD + "flags:\n  retrain: 10%\n", ("flags",), "additionalProperties"),
    "scorecard: promotion without months": ("scorecard", SCORECARD_HEAD + "flags:\n  promotion: {top: 20%}\n", ("flags", "promotion"), "required"),
    "scorecard: misspelt promotion key": ("scorecard", SCORECARD_HEAD + "flags:\n  promotion: {months: 3, rank: csat_mean}\n", ("flags", "promotion"), "additionalProperties"),
    "scorecard: misspelt review key": ("scorecard", SCORECARD_HEAD + "flags:\n  disciplinary_review: {metrc: upheld_complaints}\n", ("flags", "disciplinary_review"), "additionalProperties"),
    "vocabulary: misspelt key": ("vocabulary", "facts: f\nfeilds:\n  a: int\n", (), "additionalProperties"),
    "vocabulary: no fields": ("vocabulary", "facts: f\nversion: 1\n", (), "required"),
    "vocabulary: misspelt field key": ("vocabulary", "facts: f\nfields:\n  a: {type: int, requird: true}\n", ("fields", "a"), "additionalProperties"),
    "vocabulary: unknown type": ("vocabulary", "facts: f\nfields:\n  a: integer\n", ("fields", "a"), ANY),
    "vocabulary: enum without values": ("vocabulary", "facts: f\nfields:\n  a: {type: enum}\n", ("fields", "a"), "required"),
    "vocabulary: values from facts": ("vocabulary", "facts: f\nfields:\n  a: {type: enum, values: from facts}\n", ("fields", "a", "values"), "type"),
    "vocabulary: required with a default": ("vocabulary", "facts: f\nfields:\n  a: {type: int, required: true, default: 0}\n", ("fields", "a"), "not"),
    "vocabulary: required and derived": ("vocabulary", "facts: f\nfields:\n  a: {type: int, required: true, derived: by triage}\n", ("fields", "a"), "not"),
    "vocabulary: flag not true or false": ("vocabulary", "facts: f\nfields:\n  a: {type: text, personal: yes}\n", ("fields", "a", "personal"), "enum"),
}


@pytest.mark.parametrize("reading", READINGS)
@pytest.mark.parametrize("example", BAD)
def test_defect_kefu_rejects_fails_the_schema(example: str, reading: str, tmp_path: Path) -> None:
    kind, text, path, keyword = BAD[example]
    if kefu is not None:
        assert kefu_loads(kind, text, tmp_path) is not None, "kefu loads it, so the schema must accept it"
    doc = read(text, reading)
    assert_rejected_at(kind, doc, path, keyword, example)
    assert errors_of("rules", doc), f"{example} passes rules.schema.json"


# ---- editors: draft-07 semantics give the same verdicts ----

# yaml-language-server validates with draft-07 semantics (where, e.g., keywords beside $ref are ignored).
# The schemas are written so that reading them as draft-07 changes no verdict.
REGISTRY7 = Registry().with_resources((f"{name}.schema.json", DRAFT7.create_resource(schema)) for name, schema in SCHEMAS.items())


def all_documents(reading: str) -> Iterator[tuple[str, str, Any]]:
    for path, kind in RULES_FILES:
        if kind in KINDS:
            yield str(path.relative_to(ROOT)), kind, read(path.read_text(encoding="utf-8"), reading)
    for example, (kind, text) in GOOD.items():
        yield example, kind, read(text, reading)
    for example, (kind, text, _, _) in BAD.items():
        yield example, kind, read(text, reading)
    for name in list(STRUCTURAL_ERRORS) + ONLY_KEFU_FINDS:
        yield name, "policy", read((MALFORMED / name).read_text(encoding="utf-8"), reading)


@pytest.mark.parametrize("reading", READINGS)
def test_draft_07_reading_of_the_schemas_gives_the_same_verdicts(reading: str) -> None:
    checked = 0
    for what, kind, doc in all_documents(reading):
        for name in (kind, "rules"):
            new = validator(name).is_valid(doc)
            old = jsonschema.Draft7Validator(SCHEMAS[name], registry=REGISTRY7).is_valid(doc)
            assert new == old, f"{what}: {name}.schema.json says {new} under draft 2020-12 but {old} under draft-07"
            checked += 1
    assert checked > 100


# ---- the schemas' keys are the loaders' keys ----

# (kind, a document with the unknown key `bogus_key` at one level and nothing else wrong there, the schema
# node of that level). The targets, scorecard and facts loaders list the keys they accept in their "unknown
# key" error, "(expected a, b, c)": the schema's properties there must be the same keys.
KEY_PROBES = {
    "policy: version": ("policy", VERSIONED_POLICY.replace("    description: seven days\n", "    bogus_key: 1\n"),
                        "#/$defs/version"),
    "targets: top level": ("targets", "targets: t\nbogus_key: 1\nmetrics:\n  - {metric: fcr_rate, at_least: 90%}\n", "#"),
    "targets: channel": ("targets", "targets: t\nchannels:\n  online: {first_response: 30s, bogus_key: 1}\n", "#/$defs/channel"),
    "targets: sla entry": ("targets", "targets: t\nsla:\n  - {name: c, until: resolution, within: 24h, bogus_key: 1}\n", "#/$defs/sla"),
    "targets: training": ("targets", "targets: t\ntraining: {pass_mark: 60, bogus_key: 1}\n", "#/properties/training"),
    "targets: metric goal": ("targets", "targets: t\nmetrics:\n  - {metric: fcr_rate, at_least: 90%, bogus_key: 1}\n", "#/$defs/goal"),
    "scorecard: top level": ("scorecard", SCORECARD_HEAD + "bogus_key: 1\n", "#"),
    "scorecard: item": ("scorecard", "scorecard: s\nitems:\n  - {id: a, weight: 100, value: csat_mean, full: 5, bogus_key: 1}\n", "#/$defs/item"),
    "scorecard: bonus": ("scorecard", SCORECARD_HEAD + "bonus:\n  - {id: b, value: input.b, bogus_key: 1}\n", "#/$defs/bonus"),
    "scorecard: flags": ("scorecard", SCORECARD_HEAD + "flags:\n  bogus_key: 1\n", "#/properties/flags"),
    "scorecard: promotion": ("scorecard", SCORECARD_HEAD + "flags:\n  promotion: {months: 3, bogus_key: 1}\n", "#/properties/flags/properties/promotion"),
    "scorecard: service_star": ("scorecard", SCORECARD_HEAD + "flags:\n  service_star: {min_tickets: 20, bogus_key: 1}\n",
                                "#/properties/flags/properties/service_star"),
    "scorecard: disciplinary_review": ("scorecard", SCORECARD_HEAD + "flags:\n  disciplinary_review: {bogus_key: 1}\n", "#/properties/flags/properties/disciplinary_review"),
    "vocabulary: top level": ("vocabulary", "facts: f\nbogus_key: 1\nfields:\n  a: int\n", "#"),
    "vocabulary: field": ("vocabulary", "facts: f\nfields:\n  a: {type: int, bogus_key: 1}\n", "#/$defs/fact_field"),
}


@pytest.mark.parametrize("probe", KEY_PROBES)
def test_schema_keys_are_the_keys_the_loader_accepts(probe: str, tmp_path: Path) -> None:
    if kefu is None:
        pytest.skip("kefu is not importable")
    kind, text, pointer = KEY_PROBES[probe]
    why = kefu_loads(kind, text, tmp_path)
    assert why and "unknown key 'bogus_key'" in why, why
    listed = re.search(r"\(expected ([^)]*)\)", why)
    assert listed, f"kefu does not list the keys it accepts: {why}"
    accepted = listed.group(1).split(", ")
    node = REGISTRY.resolver(base_uri=f"{kind}.schema.json").lookup(pointer).contents
    assert node.get("additionalProperties") is False, f"{kind}.schema.json {pointer} allows unknown keys"
    assert sorted(node["properties"]) == sorted(accepted), f"{kind}.schema.json {pointer}"
    doc = read(text, "kefu")
    assert errors_of(kind, doc) and errors_of("rules", doc)


def test_every_level_with_fixed_keys_is_probed() -> None:
    """Each schema node that refuses unknown keys (in the KPI and vocabulary schemas) has a probe, so a key
    added to a loader at any level shows up here."""
    for kind in ("targets", "scorecard", "vocabulary"):
        probed = {pointer for k, _, pointer in KEY_PROBES.values() if k == kind}
        resolver = REGISTRY.resolver(base_uri=f"{kind}.schema.json")
        closed = set()

        def visit(node: Any, pointer: str) -> None:
            if isinstance(node, dict):
                if node.get("additionalProperties") is False and "properties" in node:
                    closed.add(pointer)
                for k, v in node.items():
                    visit(v, f"{pointer}/{k}")

        visit(SCHEMAS[kind], "#")
        closed.discard("#/$defs/term/anyOf/4")  # {max: [...]} / {min: [...]}: kefu names both in its error
        assert closed == probed, kind
        for pointer in probed:
            resolver.lookup(pointer)


def test_metric_names_are_kefus() -> None:
    if kefu is None:
        pytest.skip("kefu is not importable")
    pd = pytest.importorskip("pandas")
    import kefu.kpi as kk

    records = pd.read_csv(kefu.default_data_path("records.csv")).head(20)
    metrics = kk.partial(records, by="agent", targets=None).metric_names()
    assert SCHEMAS["targets"]["$defs"]["metric"]["anyOf"][0]["enum"] == metrics
    assert SCHEMAS["scorecard"]["$defs"]["metric"]["anyOf"][0]["enum"] == metrics + ["targets_met_rate"]
    for schema in ("targets", "scorecard"):
        described = SCHEMAS[schema]["$defs"]["metric"]["anyOf"][0]
        assert len(described["enumDescriptions"]) == len(described["enum"])


# ---- modelines and `kefu schema` ----

MODELINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$")


def shipped_rules_files() -> list[Path]:
    rules = ROOT / "rules"
    return sorted(p for pattern in ("*.yaml", "calendars/*.yaml", "tests/*.yaml", "kpi/*.yaml") for p in rules.glob(pattern))


@pytest.mark.parametrize("path", shipped_rules_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_shipped_rules_file_ends_with_the_modeline_of_its_kind(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    kind = kind_of(read(text, "kefu"))
    assert kind in KINDS
    last = text.rstrip("\n").splitlines()[-1]
    found = MODELINE.match(last)
    # At the end, not the top: tests pin line numbers in these files. yaml-language-server reads any comment line.
    assert found, f"{path.relative_to(ROOT)} does not end with `# yaml-language-server: $schema=…`"
    assert text.count("yaml-language-server") == 1
    schema = (path.parent / found.group(1)).resolve()
    assert schema == SCHEMA_DIR / f"{kind}.schema.json", f"{path.relative_to(ROOT)} names {found.group(1)}"
    if kefu is not None:  # the installed package: kefu/rules/… beside kefu/docs/schema/…
        installed = Path(kefu.default_rules_dir()) / path.relative_to(ROOT / "rules")
        if installed.is_file():
            assert (installed.parent / found.group(1)).is_file(), f"{found.group(1)} does not resolve from {installed}"


def test_every_shipped_rules_file_is_checked_for_its_modeline() -> None:
    yaml_files = sorted((ROOT / "rules").rglob("*.yaml"))
    assert yaml_files == shipped_rules_files()
    assert len(yaml_files) >= 21


@pytest.mark.parametrize("kind", SCHEMA_NAMES)
def test_kefu_schema_prints_the_shipped_schema(kind: str, capsys: pytest.CaptureFixture[str]) -> None:
    if kefu is None:
        pytest.skip("kefu is not importable")
    from kefu.cli import main

    assert main(["schema", kind]) == 0
    out = capsys.readouterr().out
    assert json.loads(out) == SCHEMAS[kind]
    assert out == (SCHEMA_DIR / f"{kind}.schema.json").read_text(encoding="utf-8")


def test_kefu_schema_facts_is_still_the_ticket_facts_schema(capsys: pytest.CaptureFixture[str]) -> None:
    if kefu is None:
        pytest.skip("kefu is not importable")
    from kefu.cli import main

    assert main(["schema", "facts"]) == 0
    assert json.loads(capsys.readouterr().out) == json.loads((SCHEMA_DIR / "facts.schema.json").read_text(encoding="utf-8"))


def test_kefu_schema_refuses_an_unknown_kind(capsys: pytest.CaptureFixture[str]) -> None:
    if kefu is None:
        pytest.skip("kefu is not importable")
    from kefu.cli import main

    with pytest.raises(SystemExit) as exit_:
        main(["schema", "scorecards"])
    assert exit_.value.code == 2
    assert "invalid choice: 'scorecards'" in capsys.readouterr().err
