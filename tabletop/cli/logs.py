"""Commands on decision logs: `log`, `verify`, `resume` (headless; the TUI when interactive)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text

from tabletop.cli.output import console, print_timeline
from tabletop.cli.parsing import helptext
from tabletop.errors import LocalizedError, Msg, TabletopUserError
from tabletop.i18n import current_language

if TYPE_CHECKING:
    from tabletop.journal.resume import Resumed
    from tabletop.model.scripted import ScriptEntry


class LogError(LocalizedError):
    """A log that cannot be used (exit 1)."""


def _path(value: str | None) -> Path | None:
    return Path(value) if value else None


def cmd_log(args: argparse.Namespace) -> int:
    from tabletop.i18n.names import Names
    from tabletop.journal.format import JournalError
    from tabletop.journal.reader import read_journal
    from tabletop.journal.replay import load_for
    from tabletop.model.text import json_safe
    from tabletop.report.timeline import timeline

    try:
        journal = read_journal(Path(args.log))
        loaded = None
        try:
            loaded = load_for(journal, _path(args.scenario))
        except (JournalError, TabletopUserError):
            loaded = None  # the timeline still shows ids
    except JournalError as exc:
        raise LogError(exc.msg) from None
    if args.json:
        header = dict(journal.header)
        if args.anonymise:
            header["participants"] = {r: "" for r in header.get("participants", {})}
            header["facilitator"] = ""
        out = sys.stdout
        out.write(json_safe(json.dumps(header, ensure_ascii=False)) + "\n")
        for line in journal.lines:
            out.write(json_safe(json.dumps({"seq": line.seq, "wall": line.wall,
                                            **line.payload}, ensure_ascii=False)) + "\n")
        return 0
    names = Names(loaded, args.lang or journal.header.get("lang") or current_language(),
                  journal.participants, args.anonymise, journal.header.get("parameters"))
    out = console()
    h = journal.header
    title = h.get("title", "")
    facilitator = "" if args.anonymise else h.get("facilitator", "")
    out.print(Text(f"{title} — {h.get('scenario', {}).get('id', '')}", style="bold"))
    meta = [h.get("region", ""), facilitator, h.get("created", "")]
    out.print(Text(" · ".join(m for m in meta if m), style="dim"))
    events = [line.event() for line in journal.lines if line.is_engine_event]
    print_timeline(timeline(events, names), out)
    if journal.torn is not None:
        console(stderr=True).print(Text(str(Msg("cli.log.torn", line=journal.torn_line)),
                                        style="yellow"))
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    from tabletop.journal.verify import verify

    verdict = verify(Path(args.log), _path(args.scenario), trusted=args.key or ())
    style = "green" if verdict.ok else "red"
    (console() if verdict.ok else console(stderr=True)).print(Text(verdict.message, style=style))
    return 0 if verdict.ok else 1


def cmd_resume(args: argparse.Namespace) -> int:
    from tabletop.journal.format import JournalError
    from tabletop.journal.resume import plan_script, prepare_resume
    from tabletop.model.scripted import load_script

    if not args.decisions:
        if sys.stdin.isatty() and sys.stdout.isatty():
            from tabletop.tui.app import run_app

            return run_app(lang=current_language(), resume_log=Path(args.log))
        raise LogError("cli.resume.needs_decisions")
    try:
        resumed = prepare_resume(Path(args.log), _path(args.scenario),
                                 force_scenario=args.force_scenario)
    except JournalError as exc:
        raise LogError(exc.msg) from None
    entries = load_script(Path(args.decisions), resumed.loaded)
    plan_script(resumed, entries)  # refuses conflicting entries before anything is written
    resumed.open()
    play_on(resumed, entries, current_language())
    return 0


def play_on(resumed: Resumed, entries: list[ScriptEntry], lang: str) -> None:
    """Say what resuming found, then play a decisions file on from where the log stopped,
    printing the timeline; the resumed log (already open for appending) is closed after."""
    from tabletop.cli.play import printing
    from tabletop.journal.resume import continue_script
    from tabletop.journal.session import LiveSession, SessionSettings

    err = console(stderr=True)
    for message in resumed.messages:
        err.print(Text(str(message), style="yellow"))
    session = LiveSession(resumed.loaded, resumed.exercise, resumed.writer,
                          SessionSettings.from_header(resumed.journal.header))
    try:
        continue_script(resumed, entries, printing(session, lang))
    finally:
        session.close()


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    log, file = helptext("cli.mv.log"), helptext("cli.mv.file")
    p = sub.add_parser("log", help=helptext("cli.help.log"))
    p.add_argument("log", metavar=log, help=helptext("cli.help.arg.log"))
    p.add_argument("--json", action="store_true", help=helptext("cli.help.log.json"))
    p.add_argument("--anonymise", action="store_true", help=helptext("cli.help.log.anonymise"))
    p.add_argument("--scenario", metavar=file, help=helptext("cli.help.scenario_moved"))
    p.add_argument("--lang", choices=["nl", "en"], default=argparse.SUPPRESS,
                   help=helptext("cli.help.lang"))
    p.set_defaults(func=cmd_log)

    p = sub.add_parser("verify", help=helptext("cli.help.verify"))
    p.add_argument("log", metavar=log, help=helptext("cli.help.arg.log"))
    p.add_argument("--scenario", metavar=file, help=helptext("cli.help.scenario_moved"))
    p.add_argument("--key", action="append", metavar=helptext("cli.mv.fingerprint"),
                   help=helptext("cli.help.verify.key"))
    p.set_defaults(func=cmd_verify)

    p = sub.add_parser("resume", help=helptext("cli.help.resume"))
    p.add_argument("log", metavar=log, help=helptext("cli.help.arg.log"))
    p.add_argument("--decisions", metavar=file, help=helptext("cli.help.resume.decisions"))
    p.add_argument("--scenario", metavar=file, help=helptext("cli.help.scenario_moved"))
    p.add_argument("--force-scenario", action="store_true",
                   help=helptext("cli.help.resume.force"))
    p.add_argument("--lang", choices=["nl", "en"], default=argparse.SUPPRESS,
                   help=helptext("cli.help.lang"))
    p.set_defaults(func=cmd_resume)
