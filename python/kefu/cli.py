"""The ``kefu`` command line."""

from __future__ import annotations

import argparse
import sys

from . import Error, __version__, default_rules_dir, scan_rules


def _cmd_demo(args: argparse.Namespace) -> int:
    from .demo import run

    return run(args.rules, args.tickets)


def _cmd_rules(args: argparse.Namespace) -> int:
    directory = args.directory or default_rules_dir()
    documents = scan_rules(directory)
    for doc in documents:
        version = f" v{doc.version}" if doc.version else ""
        print(f"{doc.path}: {doc.kind} {doc.name}{version} ({doc.entries} entries)")
    print(f"{len(documents)} documents in {directory}")
    return 0


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
    demo.set_defaults(handler=_cmd_demo)

    rules = commands.add_parser("rules", help="list the documents of a rules directory and check they load")
    rules.add_argument("directory", nargs="?", help="rules directory (default: the shipped rules)")
    rules.set_defaults(handler=_cmd_rules)
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
    except OSError as e:
        print(f"kefu: error: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
