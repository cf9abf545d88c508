"""Commands that open the app: `play`, `replay`, `screen` (and `resume`, in logs.py)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from tabletop.errors import TabletopUserError, UsageError
from tabletop.journal.format import JournalError

if TYPE_CHECKING:
    from tabletop.journal.reader import Journal


def cmd_play(args: argparse.Namespace) -> int:
    from tabletop.i18n import current_language
    from tabletop.model.loading import load_scenario
    from tabletop.model.translation import translated
    from tabletop.tui.app import run_app

    loaded = translated(load_scenario(Path(args.scenario)), current_language())
    log = Path(args.log) if args.log else None
    if log is not None and log.exists():
        raise UsageError(f"{log}: already exists; a log is never overwritten (resume it with "
                         f"`tabletop resume {log}`)")
    return run_app(lang=args.lang, play=(loaded, log, args.seed, _clock_factor(args.clock)))


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
        raise TabletopUserError(str(exc)) from None
    return run_app(lang=args.lang, replay_log=Path(args.log))


def cmd_screen(args: argparse.Namespace) -> int:
    from tabletop.tui.app import run_app

    _readable_log(args.log)
    return run_app(lang=args.lang, screen_log=Path(args.log))


def _readable_log(path: str) -> Journal:
    """The log, read and chain-checked before the app opens (never a dead-end screen)."""
    from tabletop.journal.reader import read_journal

    if not Path(path).is_file():
        raise UsageError(f"{path}: no such log")
    try:
        return read_journal(Path(path))
    except JournalError as exc:
        raise TabletopUserError(str(exc)) from None


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("play", help="run an exercise in the app")
    p.add_argument("scenario", metavar="SCENARIO")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--log", metavar="PATH", help="where to write the log")
    p.add_argument("--clock", choices=["step", "1", "5", "15"], default=None,
                   help="step by step, or compressed: 1 s = N story minutes (runs from the "
                        "start)")
    p.add_argument("--lang", choices=["nl", "en"], default=argparse.SUPPRESS)
    p.set_defaults(func=cmd_play)

    p = sub.add_parser("replay", help="step through a logged exercise; fork from a point")
    p.add_argument("log", metavar="LOG")
    p.add_argument("--lang", choices=["nl", "en"], default=argparse.SUPPRESS)
    p.set_defaults(func=cmd_replay)

    p = sub.add_parser("screen", help="participant view: follow a running exercise")
    p.add_argument("log", metavar="LOG")
    p.add_argument("--lang", choices=["nl", "en"], default=argparse.SUPPRESS)
    p.set_defaults(func=cmd_screen)
