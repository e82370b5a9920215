"""The ``kefu`` command line."""

from __future__ import annotations

import argparse
import sys

from . import Error, __version__, default_rules_dir, scan_rules


def _cmd_demo(args: argparse.Namespace) -> int:
    from .demo import run

    return run(args.rules, args.tickets, html=args.html)


def _cmd_rules(args: argparse.Namespace) -> int:
    directory = args.directory or default_rules_dir()
    documents = scan_rules(directory)
    for doc in documents:
        version = f" v{doc.version}" if doc.version else ""
        print(f"{doc.path}: {doc.kind} {doc.name}{version} ({doc.entries} entries)")
    print(f"{len(documents)} documents in {directory}")
    if any(doc.kind == "facts" for doc in documents):
        # A rules directory: load it as a whole, as Policy.load does, so "listed" never passes for "loads".
        from . import Policy

        p = Policy.load(directory)
        print(f"loaded: {len(p.policies)} policies, {len(p.kpi_targets)} targets, {len(p.scorecards)} scorecards, "
              f"{p.rule_test_cases} rule-test cases passed")
    return 0


def _cmd_lint(args: argparse.Namespace) -> int:
    from .authoring import format_findings, lint, yaml_files

    import datetime as dt

    paths = args.paths or [default_rules_dir()]
    findings = lint(paths, today=args.today or dt.date.today())
    format_findings(findings, len(yaml_files(paths)), args.format, sys.stdout)
    errors = any(f.severity == "error" for f in findings)
    strict = args.strict and findings
    return 1 if errors or strict else 0


def _cmd_test(args: argparse.Namespace) -> int:
    from .authoring import format_mutations, mutate, run_tests

    if args.mutate:
        if args.k or args.format == "junit":
            print("kefu: error: --mutate runs every case of every suite: leave out -k and --format junit",
                  file=sys.stderr)
            return 2
        survived = format_mutations(mutate(args.paths or [default_rules_dir()], args.kind), args.format, sys.stdout)
        return 1 if survived else 0

    report = run_tests(args.paths or [default_rules_dir()], sys.stdout, fmt=args.format, pattern=args.k)
    if report.suites == 0 and not report.errors and report.deselected:
        print(f"kefu: error: -k {args.k!r} selects none of the {report.deselected} cases", file=sys.stderr)
        return 1
    if report.suites == 0 and not report.errors:
        print("kefu: error: no rule-test suites (files starting with `suite:`) found", file=sys.stderr)
        return 1
    uncovered = args.require_coverage and any(c.unreached for c in report.coverage.values())
    return 0 if report.ok and not uncovered else 1


def _cmd_explain(args: argparse.Namespace) -> int:
    from .authoring import explain

    print(explain(args.policy, args.input, args.format), end="")
    return 0


def _cmd_diff(args: argparse.Namespace) -> int:
    from . import diff

    tickets = diff.read_ticket_table(args.tickets)
    old, new = diff.load_rules(args.old), diff.load_rules(args.new)
    old_label, new_label = args.old, args.new
    # Two versions of one effective-dated file (DOM-RULE-1): each side pinned to the version in force then.
    if args.old_as_of is not None:
        old, old_label = old.as_of(args.old_as_of), f"{args.old} as of {args.old_as_of.isoformat()}"
    if args.new_as_of is not None:
        new, new_label = new.as_of(args.new_as_of), f"{args.new} as of {args.new_as_of.isoformat()}"
    changes = diff.diff_policies(old, new, tickets)
    summary = diff.summarize(changes, tickets, examples=args.examples)
    summary["new_rule_tests"] = diff.rule_tests(args.new)  # the diff loads NEW without running them
    if args.format == "json":
        text = diff.format_json(summary)
    elif args.format == "html":
        text = diff.format_html(summary, old_label, new_label)
    else:
        text = diff.format_text(summary, old_label, new_label)
    if args.output:
        from pathlib import Path

        Path(args.output).write_text(text, encoding="utf-8")
        print(f"wrote {args.output}")
    else:
        sys.stdout.write(text)
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    from .report import run

    return run(args.records, args.inputs, args.html, sys.stdout, rules_dir=args.rules, scorecard=args.scorecard,
               targets=args.targets)


def _cmd_graph(args: argparse.Namespace) -> int:
    from . import lifecycle_graph

    text = lifecycle_graph(args.format)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as f:
            f.write(text)
        print(f"wrote {args.output} ({args.format})")
    else:
        sys.stdout.write(text)
    return 0


def _cmd_schema(args: argparse.Namespace) -> int:
    import json

    from . import Policy
    from .authoring import facts_json_schema, rules_schema_path

    if args.what != "facts":  # a rules file's schema, as shipped (docs/schema/README.md)
        sys.stdout.write(rules_schema_path(args.what).read_text(encoding="utf-8"))
        return 0
    policy = Policy.load(args.rules or default_rules_dir())
    print(json.dumps(facts_json_schema(policy), ensure_ascii=False, indent=2))
    return 0


def _cmd_triage(args: argparse.Namespace) -> int:
    from . import Policy
    from .authoring import partial_triage_json, read_facts, triage_json

    policy = Policy.load(args.rules or default_rules_dir())
    facts = read_facts(args.input)
    try:
        result = policy.triage(facts)
    except Error as e:
        if e.id != "kefu.rules.missing_fact":
            raise
        # Required facts left out: say what the given ones settle and which rules could still fire.
        partial = policy.triage_partial(facts)
        print(partial_triage_json(partial) if args.format == "json" else partial.explain(), end="")
        return 0
    if args.format == "json":
        print(triage_json(result), end="")
    else:
        print(result.explain() if args.explain else _triage_summary(result), end="")
    return 0


def _cmd_calendar_info(args: argparse.Namespace) -> int:
    import datetime as dt

    from . import Policy
    from .calendar_info import info_text
    from .notices import calendar_named

    if args.rules:
        calendar = Policy.load(args.rules).calendar(args.name)  # the directory's overlays apply
    else:
        calendar = calendar_named(args.name)
    sys.stdout.write(info_text(calendar, args.today or dt.date.today()))
    return 0


def _cmd_calendar_notice(args: argparse.Namespace) -> int:
    from . import notices_to_yaml
    from .notices import calendar_named, compare, read_notices

    try:
        notices = read_notices(args.files)
        if args.check:
            calendar = calendar_named(args.check)
            lines, differing = compare(notices, calendar)
            for line in lines:
                print(line)
            years = ", ".join(str(n.year) for n in notices)
            if differing:
                print(f"{differing} day{'s' if differing != 1 else ''} differ between the notices ({years}) and {calendar.name}")
                return 1
            print(f"the notices ({years}) and {calendar.name} agree")
            return 0
        sys.stdout.write(notices_to_yaml(notices))
        return 0
    except Error as e:
        where = f"{e.file}:{e.line}" if e.file and e.line else (e.file or "kefu")
        print(f"{where}: {e.detail}", file=sys.stderr)
        return 2
    except OSError as e:
        print(f"kefu: error: {e}", file=sys.stderr)
        return 2


def _triage_summary(r) -> str:
    d = r.deadlines
    lines = [
        f"risk: {r.risk.level}" + (f" ({', '.join(s.rule_id for s in r.risk.signals)})" if r.risk.signals else ""),
        f"tier: {r.tier} by {', '.join(r.tier_rules)}; owners {', '.join(r.owners)}",
        f"first response due {d.first_response.due.isoformat()} ({d.first_response.within})",
        f"resolution due {d.resolution.due.isoformat()} ({d.resolution.within})",
    ]
    if d.follow_up:
        lines.append(f"follow-up due {d.follow_up.due.isoformat()} ({d.follow_up.within} after the resolution deadline)")
    if r.report_required:
        lines.append("written report required before closing")
    if r.customer_tier_computed:
        lines.append(f"customer tier: {r.customer_tier} (from the customer value index) / 客户价值等级")
    if r.priority_routing:
        lines.append("priority routing: ahead of the queue (VIP green channel) / 优先分配")
    for t in r.targets:
        lines.append(f"target: {t.what} due {t.due.isoformat()} ({t.within}) [{t.rule_id}]")
    lines.append(f"refund: {r.refund.decision} by {r.refund.rule_id or 'default'} — {r.refund.reason}")
    return "\n".join(lines) + "\n"


def _date_argument(text: str):
    import datetime as dt

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, got {text!r}") from None


def _instant_argument(text: str):
    import datetime as dt

    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected an instant such as 2027-01-01T00:00:00+08:00 (without an offset: the rules' zone), got {text!r}"
        ) from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kefu",
        description="kefu (客服): retail customer-service handbooks as executable policy.",
        epilog="Run 'kefu COMMAND --help' for a command's options.",
    )
    parser.add_argument("--version", action="version", version=f"kefu {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = commands.add_parser("demo", help="run the main job on the embedded default data")
    demo.add_argument("--rules", metavar="DIR", help="rules directory (default: the shipped rules)")
    demo.add_argument("--tickets", metavar="CSV", help="ticket file (default: the shipped synthetic tickets)")
    demo.add_argument("--html", metavar="PATH", help="also write the KPI report as an HTML page with charts")
    demo.set_defaults(handler=_cmd_demo)

    rules = commands.add_parser("rules", help="list the documents of a rules directory and check they load")
    rules.add_argument("directory", nargs="?", help="rules directory (default: the shipped rules)")
    rules.set_defaults(handler=_cmd_rules)

    lint = commands.add_parser("lint", help="check rules files: syntax, types, unreachable rules, overlaps, gaps")
    lint.add_argument("paths", nargs="*", help="files or directories (default: the shipped rules)")
    lint.add_argument("--format", choices=["text", "json"], default="text", help="output format (json for editors and CI)")
    lint.add_argument("--strict", action="store_true", help="exit non-zero on warnings too")
    lint.add_argument(
        "--today",
        type=_date_argument,
        metavar="YYYY-MM-DD",
        help="the date calendar-horizon warnings count from (default: today) / 以此日期检查日历数据是否即将用完",
    )
    lint.set_defaults(handler=_cmd_lint)

    test = commands.add_parser("test", help="run the rule tests (suite files) and report coverage")
    test.add_argument("paths", nargs="*", help="files or directories (default: the shipped rules)")
    test.add_argument("--require-coverage", action="store_true", help="fail when a rule is reached by no case")
    test.add_argument("--format", choices=["text", "json", "junit"], default="text",
                      help="text (default), json, or junit (JUnit XML for CI systems)")
    test.add_argument("-k", metavar="PATTERN",
                      help="run only the cases whose name, suite name or suite file contains PATTERN (ignoring case)")
    test.add_argument("--mutate", action="store_true",
                      help="mutation testing: change each rule a little (bounds, and/or, conditions, outputs, keywords, "
                           "listed values) and report every change no case notices; fails when one survives / "
                           "变异测试：逐条微改规则，报告测试未能发现的改动")
    test.add_argument("--kind", action="append", choices=["bound", "and_or", "drop_condition", "output", "keyword",
                                                          "set_item"],
                      help="with --mutate: only these kinds of mutant (repeat the option for several)")
    test.set_defaults(handler=_cmd_test)

    explain = commands.add_parser("explain", help="decide for one set of facts and show every condition")
    explain.add_argument("policy", help="policy file")
    explain.add_argument("--input", required=True, metavar="FACTS.yaml",
                         help="a YAML mapping of input name to value (- reads it from standard input)")
    explain.add_argument("--format", choices=["text", "json"], default="text")
    explain.set_defaults(handler=_cmd_explain)

    triage = commands.add_parser("triage", help="risk, tier, deadlines and refund decision for one ticket's facts")
    triage.add_argument("--input", required=True, metavar="FACTS.yaml",
                        help="a YAML mapping of fact name to value (- reads it from standard input)")
    triage.add_argument("--format", choices=["text", "json"], default="text",
                        help="text (default; --explain for every policy's reasoning) or json")
    triage.add_argument("--rules", metavar="DIR", help="rules directory (default: the shipped rules)")
    triage.add_argument("--explain", action="store_true", help="show every policy's reasoning")
    triage.set_defaults(handler=_cmd_triage)

    schema = commands.add_parser(
        "schema", help="print a JSON Schema: the facts a triage accepts, or a kind of rules file / 打印 JSON Schema")
    schema.add_argument(
        "what", choices=["facts", "policy", "calendar", "suite", "targets", "scorecard", "vocabulary", "clocks", "rules"],
        help="facts: the ticket facts a triage accepts, generated from the rules directory's facts vocabulary; "
             "policy, calendar, suite, targets, scorecard, vocabulary (the facts: file), rules (any rules file): "
             "the schema editors use for that kind of rules file (docs/schema/README.md)")
    schema.add_argument("--rules", metavar="DIR", help="rules directory for `facts` (default: the shipped rules)")
    schema.set_defaults(handler=_cmd_schema)

    graph = commands.add_parser("graph", help="the ticket lifecycle diagram, from the state machine's own transition table")
    graph.add_argument("--format", choices=["mermaid", "dot"], default="mermaid", help="Mermaid (default) or Graphviz DOT")
    graph.add_argument("-o", "--output", metavar="PATH", help="write to a file instead of standard output")
    graph.set_defaults(handler=_cmd_graph)

    diff = commands.add_parser(
        "diff", help="which tickets decide differently under a changed rules directory / 规则变更影响分析")
    diff.add_argument("old", help="the rules directory in force")
    diff.add_argument("new", help="the changed rules directory (its rule tests are not run)")
    diff.add_argument("--tickets", required=True, metavar="FILE",
                      help="ticket facts: CSV, Parquet (.parquet) or JSON lines (.jsonl)")
    diff.add_argument("--format", choices=["text", "json", "html"], default="text")
    diff.add_argument("--examples", type=int, default=3, metavar="N", help="example tickets per output (default 3)")
    diff.add_argument("--output", metavar="PATH", help="write the report to PATH instead of the terminal")
    diff.add_argument("--old-as-of", type=_instant_argument, metavar="INSTANT",
                      help="judge every ticket by the OLD rules' versions in force at INSTANT (effective-dated policies) "
                           "/ 旧规则按该时刻生效的版本")
    diff.add_argument("--new-as-of", type=_instant_argument, metavar="INSTANT",
                      help="judge every ticket by the NEW rules' versions in force at INSTANT; with the same directory "
                           "twice, compares two versions of one file / 新规则按该时刻生效的版本")
    diff.set_defaults(handler=_cmd_diff)

    report = commands.add_parser("report", help="KPI and scorecard report of ticket records (terminal + HTML)")
    report.add_argument("--records", metavar="CSV", help="ticket records (default: the shipped synthetic records)")
    report.add_argument("--inputs", metavar="CSV", help="scorecard inputs per agent and month (default: shipped)")
    report.add_argument("--html", metavar="PATH", help="also write a self-contained HTML page with charts")
    report.add_argument("--rules", metavar="DIR",
                        help="rules directory whose KPI targets and scorecard to use (default: the shipped ones)")
    report.add_argument("--scorecard", metavar="NAME", default="smart-counter-monthly",
                        help="which scorecard of the rules directory to show (default: smart-counter-monthly)")
    report.add_argument("--targets", metavar="NAME", default="service-kpis",
                        help="which targets of the rules directory to measure against (default: service-kpis; "
                             "the shipped rules also have fresh-food-team) / 使用哪组 KPI 目标")
    report.set_defaults(handler=_cmd_report)

    # kefu calendar SUBCOMMAND: calendar tools; more subcommands go beside `notice`.
    calendar = commands.add_parser("calendar", help="calendar tools / 日历工具")
    calendar_commands = calendar.add_subparsers(dest="calendar_command", metavar="SUBCOMMAND")
    calendar.set_defaults(handler=lambda _: calendar.print_help() or 2)
    notice = calendar_commands.add_parser(
        "notice",
        help="Parse a State Council holiday notice into calendar data / 将国务院节假日安排通知转换为日历数据",
        description=(
            "Parse State Council holiday notices (国务院办公厅关于YYYY年部分节假日安排的通知) and their amendments "
            "into a calendar overlay for cn-mainland, or compare them with a calendar. / "
            "将国务院节假日安排通知（及调整、延长通知）转换为 cn-mainland 的日历数据，或与日历逐日比较。"
        ),
    )
    notice.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        help="notice texts in order, '-' for standard input; an amendment applies to the latest earlier notice of "
        "its year / 按顺序给出通知文本文件（'-' 为标准输入），调整通知作用于同年最近的通知",
    )
    notice.add_argument(
        "--check",
        metavar="NAME",
        help="instead of the YAML, list the days where the notices and this calendar (a built-in name or a YAML "
        "file) differ; exit 1 when they do / 不输出 YAML，逐日列出通知与该日历（内置名称或 YAML 文件）的差异，有差异时退出码为 1",
    )
    notice.set_defaults(handler=_cmd_calendar_notice)
    info = calendar_commands.add_parser(
        "info",
        help="a calendar's official data, provisional span and horizon warning / 日历的官方数据范围、暂定范围及到期提示",
    )
    info.add_argument("name", help="a built-in calendar name or a calendar YAML file / 内置日历名称或 YAML 文件")
    info.add_argument("--rules", metavar="DIR", help="look the calendar up in this rules directory (its overlays "
                      "apply) / 在该规则目录中查找日历（含覆盖文件）")
    info.add_argument("--today", type=_date_argument, metavar="YYYY-MM-DD",
                      help="the date the horizon warning counts from (default: today) / 以此日期计算到期提示")
    info.set_defaults(handler=_cmd_calendar_info)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    try:
        return int(args.handler(args))
    except Error as e:
        print(f"kefu: error: {e}", file=sys.stderr)
        return 1
    except (OSError, ValueError) as e:  # a file that cannot be read, a choice the data cannot satisfy
        print(f"kefu: error: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
