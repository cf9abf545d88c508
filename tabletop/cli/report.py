"""`tabletop report`: the terugkoppeling for the LOVP from one or many decision logs."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from tabletop.cli.parsing import helptext
from tabletop.errors import LocalizedError, TabletopUserError, UsageError


class ReportRefused(TabletopUserError):
    """A log failed verification (exit 1, with `verify`'s message)."""


_SUFFIXES = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".docx": "docx"}


def _format(args: argparse.Namespace) -> str:
    if args.format:
        return str(args.format)
    if args.output:
        return _SUFFIXES.get(Path(args.output).suffix.lower(), "md")
    return "md"


def cmd_report(args: argparse.Namespace) -> int:
    from tabletop.report.api import ReportError, build_document, load_logs, render, write_private

    fmt = _format(args)
    logs = [Path(p) for p in args.logs]
    if fmt == "docx" and not args.output:
        raise UsageError("cli.report.docx_output")
    if args.output:
        target = Path(args.output)
        for log in logs:
            if log.exists() and target.exists() and os.path.samefile(log, target):
                raise UsageError("cli.report.output_is_log", path=str(target))
    try:
        exercises = load_logs(logs, Path(args.scenario) if args.scenario else None)
    except ReportError as exc:
        raise ReportRefused(str(exc)) from None
    lang = args.lang or str(exercises[0].journal.header.get("lang") or "nl")
    data = render(build_document(exercises, lang, args.anonymise), fmt)
    if args.output:
        try:
            write_private(Path(args.output), data)
        except OSError as exc:
            raise LocalizedError("cli.report.cannot_write", path=str(args.output),
                                 reason=str(exc.strerror)) from None
        return 0
    sys.stdout.buffer.write(data)
    sys.stdout.flush()
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    file = helptext("cli.mv.file")
    p = sub.add_parser("report", help=helptext("cli.help.report"))
    p.add_argument("logs", nargs="+", metavar=helptext("cli.mv.log"),
                   help=helptext("cli.help.report.logs"))
    p.add_argument("-f", "--format", choices=["md", "html", "docx"], default=None,
                   help=helptext("cli.help.report.format"))
    p.add_argument("-o", "--output", metavar=file, help=helptext("cli.help.report.output"))
    p.add_argument("--anonymise", action="store_true",
                   help=helptext("cli.help.report.anonymise"))
    p.add_argument("--lang", choices=["nl", "en"], default=argparse.SUPPRESS,
                   help=helptext("cli.help.report.lang"))
    p.add_argument("--scenario", metavar=file, help=helptext("cli.help.scenario_moved"))
    p.set_defaults(func=cmd_report)
