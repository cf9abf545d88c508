"""Commands that open the app: `play`, `replay`, `screen` (and `resume`, in logs.py)."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tabletop.cli.parsing import helptext
from tabletop.errors import Msg, UsageError
from tabletop.i18n import current_language
from tabletop.journal.format import JournalError

if TYPE_CHECKING:
    from tabletop.journal.reader import Journal


def cmd_play(args: argparse.Namespace) -> int:
    from tabletop.model.loading import load_scenario
    from tabletop.model.translation import translated
    from tabletop.tui.app import run_app

    loaded = translated(load_scenario(Path(args.scenario)), current_language())
    log = Path(args.log) if args.log else None
    url = args.store or (None if log else os.environ.get("TABLETOP_STORE") or None)
    if url:
        if log is not None:
            raise UsageError("cli.log_or_store")
        store = _new_in_store(url, args.exercise, loaded.scenario.id)
        try:
            return run_app(lang=current_language(), play=(loaded, None, args.seed,
                                                 _clock_factor(args.clock), store))
        finally:
            store.close()
    if args.exercise:
        raise UsageError("cli.exercise_needs_store")
    if log is not None and log.exists():
        raise UsageError("cli.log_exists", path=str(log))
    return run_app(lang=current_language(),
                   play=(loaded, log, args.seed, _clock_factor(args.clock)))


def _new_in_store(url: str, exercise: str | None, scenario: str) -> Any:
    """A store for a new exercise (`--exercise ID`, or a fresh id), its id printed."""
    from rich.text import Text

    from tabletop.cli.output import console
    from tabletop.journal.pgstore import new_exercise_id
    from tabletop.journal.store import open_store, redact

    if not url.startswith(("postgresql://", "postgres://")):
        raise UsageError("cli.store_url", url=redact(url))
    ident = exercise or new_exercise_id(scenario)
    store = open_store(url, ident)
    exists = store.exists()  # type: ignore[attr-defined]  # a JournalError says why not
    if exists:
        store.close()
        raise UsageError("cli.store.exists_resume", exercise=ident)
    console(stderr=True).print(Text(str(Msg("cli.store.exercise", exercise=ident))))
    return store


def _clock_factor(value: str | None) -> float | None:
    """`--clock step|1|5|15`: story minutes per real second (0: step by step)."""
    if value is None:
        return None
    return 0.0 if value == "step" else float(value)


def cmd_replay(args: argparse.Namespace) -> int:
    from tabletop.journal.replay import load_for
    from tabletop.tui.app import run_app

    journal = _readable_log(args.log)
    try:
        load_for(journal)
    except JournalError as exc:
        raise exc from None
    return run_app(lang=current_language(), replay_log=Path(args.log))


def cmd_screen(args: argparse.Namespace) -> int:
    from tabletop.tui.app import run_app

    url = args.store or (None if args.log else os.environ.get("TABLETOP_STORE") or None)
    if url:
        if args.log:
            raise UsageError("cli.log_or_store")
        if not args.exercise:
            raise UsageError("cli.store_needs_exercise")
        store = _existing_in_store(url, args.exercise)
        try:
            return run_app(lang=current_language(), screen_log=store)
        finally:
            store.close()
    if not args.log:
        raise UsageError("cli.store.needs_log", command="screen")
    _readable_log(args.log)
    return run_app(lang=current_language(), screen_log=Path(args.log))


def _existing_in_store(url: str, exercise: str) -> Any:
    """The store's exercise, read and chain-checked before the app opens."""
    from tabletop.journal.store import open_store, redact
    from tabletop.journal.storeio import read_store

    if not url.startswith(("postgresql://", "postgres://")):
        raise UsageError("cli.store_url", url=redact(url))
    store = open_store(url, exercise)
    try:
        if not store.exists():  # type: ignore[attr-defined]
            raise UsageError("cli.store.no_such", exercise=exercise)
        read_store(store)
    except JournalError:
        store.close()
        raise
    except UsageError:
        store.close()
        raise
    return store


def _readable_log(path: str) -> Journal:
    """The log, read and chain-checked before the app opens (never a dead-end screen)."""
    from tabletop.journal.reader import read_journal

    if not Path(path).is_file():
        raise UsageError("cli.no_log", path=str(path))
    try:
        return read_journal(Path(path))
    except JournalError as exc:
        raise exc from None


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("play", help=helptext("cli.help.play"))
    p.add_argument("scenario", metavar="SCENARIO", help=helptext("cli.help.arg.scenario"))
    p.add_argument("--seed", type=int, default=0, help=helptext("cli.help.arg.seed"))
    p.add_argument("--log", metavar=helptext("cli.mv.path"), help=helptext("cli.help.play.log"))
    p.add_argument("--clock", choices=["step", "1", "5", "15"], default=None,
                   help=helptext("cli.help.play.clock"))
    p.add_argument("--store", metavar="URL", help=helptext("cli.help.store"))
    p.add_argument("--exercise", metavar="ID", help=helptext("cli.help.play.exercise"))
    p.add_argument("--lang", choices=["nl", "en"], default=argparse.SUPPRESS,
                   help=helptext("cli.help.lang"))
    p.set_defaults(func=cmd_play)

    p = sub.add_parser("replay", help=helptext("cli.help.replay"))
    p.add_argument("log", metavar=helptext("cli.mv.log"), help=helptext("cli.help.arg.log"))
    p.add_argument("--lang", choices=["nl", "en"], default=argparse.SUPPRESS,
                   help=helptext("cli.help.lang"))
    p.set_defaults(func=cmd_replay)

    p = sub.add_parser("screen", help=helptext("cli.help.screen"))
    p.add_argument("log", metavar=helptext("cli.mv.log"), nargs="?",
                   help=helptext("cli.help.arg.log"))
    p.add_argument("--store", metavar="URL", help=helptext("cli.help.store_url"))
    p.add_argument("--exercise", metavar="ID", help=helptext("cli.help.exercise"))
    p.add_argument("--lang", choices=["nl", "en"], default=argparse.SUPPRESS,
                   help=helptext("cli.help.lang"))
    p.set_defaults(func=cmd_screen)
