"""The command line: parse arguments, call the core, print results, map errors to exit codes."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from rich.text import Text

from tabletop import __version__
from tabletop.cli.output import console as _console
from tabletop.cli.output import print_problems
from tabletop.errors import ScenarioProblems, TabletopUserError, UsageError

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


# -- validate / schema / new -----------------------------------------------------------
def cmd_validate(args: argparse.Namespace) -> int:
    from tabletop.model.validate import validate_paths

    report = validate_paths([Path(p) for p in args.paths],
                            Path(args.roles) if args.roles else None)
    out = _console()
    print_problems(report.problems, out)
    for message in report.usage:
        _console(stderr=True).print(Text(message, style="red"))
    if report.usage:
        return EXIT_USAGE
    failed = report.errors or (args.strict and report.warnings)
    summary = (f"{report.files} file{'s' if report.files != 1 else ''}: "
               f"{report.errors} error{'s' if report.errors != 1 else ''}, "
               f"{report.warnings} warning{'s' if report.warnings != 1 else ''}")
    if not report.problems:
        summary = f"{report.files} file{'s' if report.files != 1 else ''}: no problems"
    _console(stderr=True).print(Text(summary, style="red" if failed else "green"))
    return EXIT_PROBLEMS if failed else EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    from tabletop.model.schema import schema_text

    sys.stdout.write(schema_text(args.kind))
    return EXIT_OK


def cmd_new(args: argparse.Namespace) -> int:
    from tabletop.model.loading import bundled_dir
    from tabletop.model.starter import starter_text

    path = Path(args.name)
    if path.suffix not in (".yaml", ".yml"):
        path = path.with_suffix(".yaml")
    ident = path.stem.lower().replace("_", "-").replace(" ", "-")
    if path.exists():
        raise UsageError(f"{path}: already exists; choose another name")
    if not path.parent.is_dir():
        raise UsageError(f"{path.parent}: no such folder")
    schema = path.parent / "scenario.schema.json"
    schema_ref = "scenario.schema.json" if schema.is_file() else str(
        bundled_dir("scenarios") / "scenario.schema.json")
    path.write_text(starter_text(ident, str(path), schema_ref), encoding="utf-8")
    _console(stderr=True).print(Text(f"wrote {path}; check it with: tabletop validate {path}"))
    return EXIT_OK


# -- the parser ----------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tabletop",
        description="Tabletop exercises on gezagsdilemma's under military threat. "
                    "Without a command: the app.",
    )
    parser.add_argument("--version", action="version", version=f"tabletop {__version__}")
    parser.add_argument("--lang", choices=["nl", "en"], default=None,
                        help="language of the app (default: nl)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("validate", help="check scenarios and roles; FILE:LINE:COL: message")
    p.add_argument("paths", nargs="+", metavar="PATH", help="scenario files, folders, roles/")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p.add_argument("--roles", metavar="DIR", help="roles folder to check scenarios against")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("schema", help="print the JSON Schema of the format")
    p.add_argument("kind", nargs="?", choices=["scenario", "roles"], default="scenario")
    p.set_defaults(func=cmd_schema)

    p = sub.add_parser("new", help="write a commented starter scenario that validates")
    p.add_argument("name", metavar="NAME", help="file name (NAME.yaml)")
    p.set_defaults(func=cmd_new)

    for register in _extra_commands():
        register(sub)
    return parser


def _extra_commands() -> list[Callable[[argparse._SubParsersAction], None]]:  # type: ignore[type-arg]
    """Registrations of the commands defined in the other modules of the CLI layer."""
    from tabletop.cli import app, logs, msel, play, report

    return [play.register, logs.register, app.register, report.register, msel.register]


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from tabletop.i18n import set_language

    set_language(getattr(args, "lang", None))
    try:
        if args.command is None:
            from tabletop.tui.app import run_app

            return run_app(lang=args.lang)
        return int(args.func(args))
    except ScenarioProblems as exc:
        print_problems(exc.problems, _console())
        return EXIT_PROBLEMS
    except UsageError as exc:
        _console(stderr=True).print(Text(f"tabletop: {exc}", style="red"))
        return EXIT_USAGE
    except TabletopUserError as exc:
        _console(stderr=True).print(Text(f"tabletop: {exc}", style="red"))
        return EXIT_PROBLEMS
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`tabletop log LOG | head`): stop quietly, no traceback.
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return EXIT_PROBLEMS


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
