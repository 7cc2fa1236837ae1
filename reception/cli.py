"""The ``reception`` command.  Each part adds its own subcommands through ``add_commands(sub)``.

Parts are imported by name, and each imports its libraries only inside its commands, so
that ``reception hub`` never imports Kivy and every command's options can be listed on a
Pi that has only its own role's extra.  A command whose extra is missing says which one
to install (``reception.extras``) instead of ending in a traceback.
"""
from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys

from reception.errors import ConfigError, ReceptionError
from reception.extras import EXIT_UNAVAILABLE, missing_part

PARTS = ("reception.commands", "reception.up", "hub.cli", "kiosk.cli", "display_board.cli", "hardware.cli", "bench.cli",
         "hub.report.cli", "web.cli")

EXIT_CONFIG = 78  # EX_CONFIG: systemd shows it, and Restart=on-failure will not loop forever on it
EXIT_BROKEN_PIPE = 128 + 13  # as a program ended by SIGPIPE: `set -o pipefail` still sees it


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="reception", description="The Borgerservice reception appliance: "
                                     "hub, kiosk, display board, desk units, reports and benchmarks.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug messages")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in PARTS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name and name.startswith(exc.name):
                continue  # the part is not installed here
            raise
        module.add_commands(sub)
    for listed in sub._choices_actions:  # each command's own --help opens with what the list says it does
        command = sub.choices[listed.dest]
        command.description = command.description or listed.help
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        return run(argv)
    except BrokenPipeError:
        return reader_gone()


def reader_gone() -> int:
    """The reader of our output went away (``reception simulate | head``): stop quietly, as ``cat``
    does.  Python would otherwise fail again flushing stdout at exit, so stdout goes nowhere now."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return EXIT_BROKEN_PIPE


def run(argv: list[str] | None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        return args.func(args) or 0
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    except ReceptionError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except ImportError as exc:
        message = missing_part(args.command, exc)
        if message is None:
            raise
        print(message, file=sys.stderr)
        return EXIT_UNAVAILABLE


if __name__ == "__main__":
    sys.exit(main())
