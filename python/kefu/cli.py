"""The ``kefu`` command line."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Mapping
from typing import Any

from . import Error, __version__, default_rules_dir, scan_rules
from ._explain_zh import localize_explanation
from .i18n import LANGS, argparse_message, default_lang, duration_text, localize_error, tr, value_label, value_names


def _cmd_demo(args: argparse.Namespace) -> int:
    from .demo import run

    return run(args.rules, args.tickets, html=args.html, lang=args.lang)


def _cmd_rules(args: argparse.Namespace) -> int:
    directory = args.directory or default_rules_dir()
    documents = scan_rules(directory)
    for doc in documents:
        version = f" v{doc.version}" if doc.version else ""
        print(tr("cli.rules.line", args.lang, path=doc.path, kind=tr(f"kind.{doc.kind}", args.lang), name=doc.name,
                 version=version,
                 entries=doc.entries))
    print(tr("cli.rules.count", args.lang, count=len(documents), directory=directory))
    if any(doc.kind == "facts" for doc in documents):
        # A rules directory: load it as a whole, as Policy.load does, so "listed" never passes for "loads".
        from . import Policy

        p = Policy.load(directory)
        print(tr("cli.rules.loaded", args.lang, policies=len(p.policies), targets=len(p.kpi_targets),
                 scorecards=len(p.scorecards), cases=p.rule_test_cases))
    return 0


def _cmd_lint(args: argparse.Namespace) -> int:
    from .authoring import format_findings, lint, yaml_files

    import datetime as dt

    paths = args.paths or [default_rules_dir()]
    findings = lint(paths, today=args.today or dt.date.today())
    format_findings(findings, len(yaml_files(paths)), args.format, sys.stdout, lang=args.lang)
    errors = any(f.severity == "error" for f in findings)
    strict = args.strict and findings
    return 1 if errors or strict else 0


def _cmd_test(args: argparse.Namespace) -> int:
    from .authoring import format_mutations, mutate, run_tests

    if args.mutate:
        if args.k or args.format == "junit":
            print(tr("cli.error", args.lang, message=tr("cli.test.mutate_k", args.lang)), file=sys.stderr)
            return 2
        survived = format_mutations(mutate(args.paths or [default_rules_dir()], args.kind), args.format, sys.stdout,
                                    lang=args.lang)
        return 1 if survived else 0

    report = run_tests(args.paths or [default_rules_dir()], sys.stdout, fmt=args.format, pattern=args.k, lang=args.lang)
    if report.suites == 0 and not report.errors and report.deselected:
        print(tr("cli.error", args.lang, message=tr("cli.test.none_selected", args.lang, pattern=args.k,
                                                    count=report.deselected)), file=sys.stderr)
        return 1
    if report.suites == 0 and not report.errors:
        print(tr("cli.error", args.lang, message=tr("cli.test.no_suites", args.lang)), file=sys.stderr)
        return 1
    uncovered = args.require_coverage and any(c.unreached for c in report.coverage.values())
    return 0 if report.ok and not uncovered else 1


def _cmd_explain(args: argparse.Namespace) -> int:
    from .authoring import explain

    text = explain(args.policy, args.input, args.format)
    print(text if args.format == "json" else localize_explanation(text, args.lang), end="")
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
        text = diff.format_html(summary, old_label, new_label, args.lang)
    else:
        text = diff.format_text(summary, old_label, new_label, args.lang)
    if args.output:
        from pathlib import Path

        Path(args.output).write_text(text, encoding="utf-8")
        print(tr("cli.wrote", args.lang, path=args.output))
    else:
        sys.stdout.write(text)
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    from .report import run

    return run(args.records, args.inputs, args.html, sys.stdout, rules_dir=args.rules, scorecard=args.scorecard,
               targets=args.targets, lang=args.lang)


def _cmd_graph(args: argparse.Namespace) -> int:
    from . import lifecycle_graph

    text = lifecycle_graph(args.format)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as f:
            f.write(text)
        print(tr("cli.graph.wrote", args.lang, path=args.output, format=args.format))
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
        print(partial_triage_json(partial) if args.format == "json" else localize_explanation(partial.explain(), args.lang),
              end="")
        return 0
    if args.format == "json":
        print(triage_json(result), end="")
    else:
        print(localize_explanation(result.explain(), args.lang) if args.explain else _triage_summary(result, args.lang),
              end="")
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
    sys.stdout.write(info_text(calendar, args.today or dt.date.today(), args.lang))
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
                print(tr("cli.notice.differ", args.lang, count=differing, s="s" if differing != 1 else "", years=years,
                         calendar=calendar.name))
                return 1
            print(tr("cli.notice.agree", args.lang, years=years, calendar=calendar.name))
            return 0
        sys.stdout.write(notices_to_yaml(notices))
        return 0
    except Error as e:
        where = f"{e.file}:{e.line}" if e.file and e.line else (e.file or "kefu")
        print(f"{where}: {localize_error(e.detail, getattr(e, 'id', None), args.lang)}", file=sys.stderr)
        return 2
    except OSError as e:
        print(tr("cli.error", args.lang, message=e), file=sys.stderr)
        return 2


def _triage_summary(r, lang: str = "en") -> str:
    def _(key: str, **values: object) -> str:
        return tr(key, lang, **values)

    d = r.deadlines
    ids = ", ".join(s.rule_id for s in r.risk.signals)
    signals = ("" if not ids else f"（{ids}）" if lang == "zh" else f" ({ids})")
    lines = [
        _("triage.risk", level=value_label(r.risk.level, lang), signals=signals),
        _("triage.tier", tier=r.tier, rules=", ".join(r.tier_rules), owners=value_names(r.owners, lang)),
        _("triage.first_response", due=d.first_response.due.isoformat(), within=duration_text(d.first_response.within, lang)),
        _("triage.resolution", due=d.resolution.due.isoformat(), within=duration_text(d.resolution.within, lang)),
    ]
    if d.follow_up:
        lines.append(_("triage.follow_up", due=d.follow_up.due.isoformat(), within=duration_text(d.follow_up.within, lang)))
    if r.report_required:
        lines.append(_("triage.report"))
    if r.customer_tier_computed:
        lines.append(_("triage.customer_tier", tier=r.customer_tier))
    if r.priority_routing:
        lines.append(_("triage.priority"))
    for t in r.targets:
        lines.append(_("triage.target", what=t.what, due=t.due.isoformat(), within=duration_text(t.within, lang),
                       rule=t.rule_id))
    lines.append(_("triage.refund", decision=value_label(r.refund.decision, lang), rule=r.refund.rule_id or _("demo.default"),
                   reason=r.refund.reason))
    return "\n".join(lines) + "\n"


def _iso_argument(parse_iso: Callable[[str], Any], message: str, lang: str = "en") -> Callable[[str], Any]:
    """An argparse type that reads ISO 8601 text with `parse_iso`, and otherwise says `message` in `lang`."""

    def parse(text: str) -> Any:
        try:
            return parse_iso(text)
        except ValueError:
            raise argparse.ArgumentTypeError(tr(message, lang, text=text)) from None

    return parse


def _date_argument(lang: str = "en") -> Callable[[str], Any]:
    import datetime as dt

    return _iso_argument(dt.date.fromisoformat, "cli.bad_date", lang)


def _instant_argument(lang: str = "en") -> Callable[[str], Any]:
    import datetime as dt

    return _iso_argument(dt.datetime.fromisoformat, "cli.bad_instant", lang)


def _formatter(lang: str) -> type[argparse.HelpFormatter]:
    class Formatter(argparse.HelpFormatter):
        def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[no-untyped-def]
            super().add_usage(usage, actions, groups, tr("cli.usage", lang) if prefix is None else prefix)

    return Formatter


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose own error messages follow `lang` (subcommands' parsers are of the same class)."""

    lang = "en"

    def error(self, message: str) -> Any:
        self.print_usage(sys.stderr)
        label = "错误：" if self.lang == "zh" else "error: "
        self.exit(2, f"{self.prog}: {label}{argparse_message(message, self.lang)}\n")


def _localize(parser: argparse.ArgumentParser, lang: str) -> argparse.ArgumentParser:
    parser._positionals.title = tr("cli.positionals", lang)
    parser._optionals.title = tr("cli.options", lang)
    return parser


def build_parser(lang: str = "en") -> argparse.ArgumentParser:
    """The ``kefu`` argument parser, its help in `lang` ("en" or "zh")."""

    def _(key: str) -> str:
        return tr(key, lang)

    # -h and --lang on every command: `kefu --lang zh report` and `kefu report --lang zh` both work.
    parser_class = type("_Parser", (_Parser,), {"lang": lang})
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help=_("cli.help"))
    common.add_argument("--lang", choices=LANGS, default=argparse.SUPPRESS, help=_("cli.lang"))
    style = {"add_help": False, "parents": [common], "formatter_class": _formatter(lang)}

    parser = _localize(parser_class(prog="kefu", description=_("cli.description"), epilog=_("cli.epilog"), **style), lang)
    parser.add_argument("--version", action="version", version=f"kefu {__version__}", help=_("cli.version"))
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, key: str, description: str | None = None, within: Any = commands) -> argparse.ArgumentParser:
        return _localize(within.add_parser(name, help=_(key), description=description or _(key), **style), lang)

    demo = command("demo", "cli.demo")
    demo.add_argument("--rules", metavar="DIR", help=_("cli.rules_dir"))
    demo.add_argument("--tickets", metavar="CSV", help=_("cli.demo.tickets"))
    demo.add_argument("--html", metavar="PATH", help=_("cli.demo.html"))
    demo.set_defaults(handler=_cmd_demo)

    rules = command("rules", "cli.rules")
    rules.add_argument("directory", nargs="?", help=_("cli.rules_dir"))
    rules.set_defaults(handler=_cmd_rules)

    lint = command("lint", "cli.lint")
    lint.add_argument("paths", nargs="*", help=_("cli.paths"))
    lint.add_argument("--format", choices=["text", "json"], default="text", help=_("cli.lint.format"))
    lint.add_argument("--strict", action="store_true", help=_("cli.lint.strict"))
    lint.add_argument("--today", type=_date_argument(lang), metavar="YYYY-MM-DD", help=_("cli.lint.today"))
    lint.set_defaults(handler=_cmd_lint)

    test = command("test", "cli.test")
    test.add_argument("paths", nargs="*", help=_("cli.paths"))
    test.add_argument("--require-coverage", action="store_true", help=_("cli.test.coverage"))
    test.add_argument("--format", choices=["text", "json", "junit"], default="text", help=_("cli.test.format"))
    test.add_argument("-k", metavar="PATTERN", help=_("cli.test.k"))
    test.add_argument("--mutate", action="store_true", help=_("cli.test.mutate"))
    test.add_argument("--kind", action="append", choices=["bound", "and_or", "drop_condition", "output", "keyword",
                                                          "set_item"],
                      help=_("cli.test.kind"))
    test.set_defaults(handler=_cmd_test)

    explain = command("explain", "cli.explain")
    explain.add_argument("policy", help=_("cli.explain.policy"))
    explain.add_argument("--input", required=True, metavar="FACTS.yaml", help=_("cli.explain.input"))
    explain.add_argument("--format", choices=["text", "json"], default="text", help=_("cli.format"))
    explain.set_defaults(handler=_cmd_explain)

    triage = command("triage", "cli.triage")
    triage.add_argument("--input", required=True, metavar="FACTS.yaml", help=_("cli.triage.input"))
    triage.add_argument("--format", choices=["text", "json"], default="text", help=_("cli.triage.format"))
    triage.add_argument("--rules", metavar="DIR", help=_("cli.rules_dir"))
    triage.add_argument("--explain", action="store_true", help=_("cli.triage.explain"))
    triage.set_defaults(handler=_cmd_triage)

    schema = command("schema", "cli.schema")
    schema.add_argument(
        "what", choices=["facts", "policy", "calendar", "suite", "targets", "scorecard", "vocabulary", "clocks", "rules"],
        help=_("cli.schema.what"))
    schema.add_argument("--rules", metavar="DIR", help=_("cli.schema.rules"))
    schema.set_defaults(handler=_cmd_schema)

    graph = command("graph", "cli.graph")
    graph.add_argument("--format", choices=["mermaid", "dot"], default="mermaid", help=_("cli.graph.format"))
    graph.add_argument("-o", "--output", metavar="PATH", help=_("cli.graph.output"))
    graph.set_defaults(handler=_cmd_graph)

    diff = command("diff", "cli.diff")
    diff.add_argument("old", help=_("cli.diff.old"))
    diff.add_argument("new", help=_("cli.diff.new"))
    diff.add_argument("--tickets", required=True, metavar="FILE", help=_("cli.diff.tickets"))
    diff.add_argument("--format", choices=["text", "json", "html"], default="text", help=_("cli.format"))
    diff.add_argument("--examples", type=int, default=3, metavar="N", help=_("cli.diff.examples"))
    diff.add_argument("--output", metavar="PATH", help=_("cli.diff.output"))
    diff.add_argument("--old-as-of", type=_instant_argument(lang), metavar="INSTANT", help=_("cli.diff.old_as_of"))
    diff.add_argument("--new-as-of", type=_instant_argument(lang), metavar="INSTANT", help=_("cli.diff.new_as_of"))
    diff.set_defaults(handler=_cmd_diff)

    report = command("report", "cli.report")
    report.add_argument("--records", metavar="CSV", help=_("cli.report.records"))
    report.add_argument("--inputs", metavar="CSV", help=_("cli.report.inputs"))
    report.add_argument("--html", metavar="PATH", help=_("cli.report.html"))
    report.add_argument("--rules", metavar="DIR", help=_("cli.report.rules"))
    report.add_argument("--scorecard", metavar="NAME", default="smart-counter-monthly", help=_("cli.report.scorecard"))
    report.add_argument("--targets", metavar="NAME", default="service-kpis", help=_("cli.report.targets"))
    report.set_defaults(handler=_cmd_report)

    # kefu calendar SUBCOMMAND: calendar tools; more subcommands go beside `notice`.
    calendar = command("calendar", "cli.calendar")
    calendar_commands = calendar.add_subparsers(dest="calendar_command", metavar="SUBCOMMAND")
    calendar.set_defaults(handler=lambda _: calendar.print_help() or 2)
    notice = command("notice", "cli.notice", _("cli.notice.description"), calendar_commands)
    notice.add_argument("files", nargs="+", metavar="FILE", help=_("cli.notice.files"))
    notice.add_argument("--check", metavar="NAME", help=_("cli.notice.check"))
    notice.set_defaults(handler=_cmd_calendar_notice)
    info = command("info", "cli.info", within=calendar_commands)
    info.add_argument("name", help=_("cli.info.name"))
    info.add_argument("--rules", metavar="DIR", help=_("cli.info.rules"))
    info.add_argument("--today", type=_date_argument(lang), metavar="YYYY-MM-DD", help=_("cli.info.today"))
    info.set_defaults(handler=_cmd_calendar_info)
    return parser


def requested_lang(argv: list[str], environ: Mapping[str, str] | None = None) -> str:
    """The language of a command line: its ``--lang zh|en`` (``--lang=zh``; the last one, before any ``--``),
    else :func:`kefu.i18n.default_lang` of the environment (``KEFU_LANG``, then the locale)."""
    chosen = None
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(argv):
            chosen = argv[i + 1]
        elif arg.startswith("--lang="):
            chosen = arg.split("=", 1)[1]
    return chosen if chosen in LANGS else default_lang(environ)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    lang = requested_lang(argv)
    parser = build_parser(lang)
    args = parser.parse_args(argv)
    args.lang = getattr(args, "lang", lang)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    try:
        return int(args.handler(args))
    except Error as e:
        print(tr("cli.error", args.lang, message=localize_error(str(e), e.id, args.lang)), file=sys.stderr)
        return 1
    except (OSError, ValueError) as e:  # a file that cannot be read, a choice the data cannot satisfy
        print(tr("cli.error", args.lang, message=e), file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
