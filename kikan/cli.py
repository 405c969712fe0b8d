"""Entry point of ``kikan``. Each sub-command lives in its own module ``kikan.cmd_<name>``.

A sub-command module exposes ``add_parser(subparsers)`` which registers its parser and sets
``func`` (taking the parsed ``argparse.Namespace`` and returning an exit code). Modules are
imported only when listed here; heavy imports happen inside ``func``.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from kikan import __version__

#: sub-command name -> module defining add_parser()
COMMANDS = {
    "run": "kikan.cmd_run",
    "serve": "kikan.cmd_serve",
    "standards": "kikan.cmd_standards",
    "report": "kikan.cmd_report",
    "data": "kikan.cmd_data",
}


class UserError(Exception):
    """An error the user can fix; printed as one line without a traceback."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kikan",
        description="標準準拠システムの適合性試験 / Conformance suite for Japan's standardised municipal systems",
    )
    parser.add_argument("--version", action="version", version=f"kikan {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module_name in COMMANDS.values():
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        module.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except UserError as exc:
        print(f"kikan: エラー / error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("kikan: 中断しました / interrupted", file=sys.stderr)
        return 130
