"""The command line: parse arguments, call the core, print results, map errors to exit codes."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from tabletop import __version__
from tabletop.cli.output import print_problems, say
from tabletop.cli.parsing import argparse_in, helptext, requested_language
from tabletop.errors import Msg, ScenarioProblems, TabletopUserError, UsageError

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


# -- validate / schema / new -----------------------------------------------------------
def cmd_validate(args: argparse.Namespace) -> int:
    from tabletop.model.validate import validate_paths

    report = validate_paths([Path(p) for p in args.paths],
                            Path(args.roles) if args.roles else None)
    print_problems(report.problems)
    for message in report.usage:
        say(str(message), "red", stderr=True)
    if report.usage:
        return EXIT_USAGE
    failed = report.errors or (args.strict and report.warnings)
    say(validate_summary(report.files, report.errors, report.warnings),
        "red" if failed else "green", stderr=True)
    return EXIT_PROBLEMS if failed else EXIT_OK


def validate_summary(files: int, errors: int, warnings: int, lang: str | None = None) -> str:
    """`3 bestanden: 1 fout, 2 waarschuwingen` (or `3 files: no problems`), plurals by Babel."""
    from tabletop.i18n import Translator, current_language
    from tabletop.i18n.words import plural

    t = Translator(lang or current_language())
    counted = plural(t, "cli.n.file", files)
    if not errors and not warnings:
        return t("cli.validate.clean", files=counted)
    return t("cli.validate.summary", files=counted, errors=plural(t, "cli.n.error", errors),
             warnings=plural(t, "cli.n.warning", warnings))


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
        raise UsageError("cli.new.exists", path=str(path))
    if not path.parent.is_dir():
        raise UsageError("cli.no_folder", path=str(path.parent))
    schema = path.parent / "scenario.schema.json"
    schema_ref = "scenario.schema.json" if schema.is_file() else str(
        bundled_dir("scenarios") / "scenario.schema.json")
    path.write_text(starter_text(ident, str(path), schema_ref), encoding="utf-8")
    say(str(Msg("cli.new.wrote", path=str(path))), stderr=True)
    return EXIT_OK


# -- the parser ----------------------------------------------------------------------
_OWN_COMMANDS = ("validate", "schema", "new")
"""Commands defined in this module: parsing them needs none of the other CLI modules."""


def _command(argv: Sequence[str]) -> str | None:
    """The command word of `argv` (after options such as `--lang en`), if any."""
    words = iter(argv)
    for word in words:
        if word == "--lang":
            next(words, None)
        elif not word.startswith("-"):
            return word
    return None


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser, in the current language; for one of this module's own commands, without
    the other modules' ones (importing those loads the journal and Rich, which
    `tabletop validate` does not need)."""
    parser = argparse.ArgumentParser(prog="tabletop", description=helptext("cli.help.description"))
    parser.add_argument("--version", action="version", version=f"tabletop {__version__}",
                        help=helptext("cli.help.version"))
    parser.add_argument("--lang", choices=["nl", "en"], default=None,
                        help=helptext("cli.help.lang"))
    sub = parser.add_subparsers(dest="command", metavar=helptext("cli.mv.command"))

    p = sub.add_parser("validate", help=helptext("cli.help.validate"))
    p.add_argument("paths", nargs="+", metavar=helptext("cli.mv.path"),
                   help=helptext("cli.help.validate.paths"))
    p.add_argument("--strict", action="store_true", help=helptext("cli.help.validate.strict"))
    p.add_argument("--roles", metavar=helptext("cli.mv.dir"),
                   help=helptext("cli.help.validate.roles"))
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("schema", help=helptext("cli.help.schema"))
    p.add_argument("kind", nargs="?", choices=["scenario", "roles"], default="scenario",
                   help=helptext("cli.help.schema.kind"))
    p.set_defaults(func=cmd_schema)

    p = sub.add_parser("new", help=helptext("cli.help.new"))
    p.add_argument("name", metavar=helptext("cli.mv.name"), help=helptext("cli.help.new.name"))
    p.set_defaults(func=cmd_new)

    if command not in _OWN_COMMANDS:
        for register in _extra_commands():
            register(sub)
    return parser


def _extra_commands() -> list[Callable[[argparse._SubParsersAction], None]]:  # type: ignore[type-arg]
    """Registrations of the commands defined in the other modules of the CLI layer."""
    from tabletop.cli import app, logs, msel, play, report, seats, store

    return [play.register, logs.register, app.register, report.register, msel.register,
            seats.register, store.register]


def main(argv: Sequence[str] | None = None) -> int:
    """The command line. Run as the program (no `argv`), an error in the program itself is
    a crash report beside the log and exit 70 rather than a traceback."""
    if argv is not None:
        return _main(argv)
    try:
        return _main(argv)
    except Exception as exc:  # the last resort: never a bare traceback
        return _crashed(exc)


def _crashed(exc: Exception) -> int:
    from tabletop.journal.crash import EXIT_CRASH, crash_message, write_crash_report

    log = next((Path(a) for a in sys.argv[1:] if a.endswith(".jsonl")), None)
    folder = None
    try:
        from tabletop.tui.library import log_dir

        folder = log_dir() if log_dir().is_dir() else None
    except OSError:
        pass
    report = write_crash_report(exc, log if log is not None and log.exists() else None, folder)
    say(crash_message(report, None), "red", stderr=True)
    return EXIT_CRASH


def _os_error(exc: OSError) -> str:
    import errno

    reason = str(Msg("cli.disk_full")) if exc.errno == errno.ENOSPC else (
        exc.strerror or str(exc))
    where = f"{exc.filename}: " if exc.filename else ""
    return f"tabletop: {where}{reason}"


def _main(argv: Sequence[str] | None = None) -> int:
    from tabletop.i18n import current_language, set_language

    words = list(sys.argv[1:] if argv is None else argv)
    # The language before the parser: its help and argparse's usage errors speak it too.
    with argparse_in(set_language(requested_language(words))):
        parser = build_parser(_command(words))
        args = parser.parse_args(words)
    set_language(getattr(args, "lang", None))
    try:
        if args.command is None:
            from tabletop.tui.app import run_app

            return run_app(lang=current_language())
        return int(args.func(args))
    except ScenarioProblems as exc:
        print_problems(exc.problems)
        return EXIT_PROBLEMS
    except UsageError as exc:
        say(f"tabletop: {exc}", "red", stderr=True)
        return EXIT_USAGE
    except TabletopUserError as exc:
        say(f"tabletop: {exc}", "red", stderr=True)
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
    except OSError as exc:  # a full disk, a folder that vanished: say which and why
        say(_os_error(exc), "red", stderr=True)
        return EXIT_PROBLEMS


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
