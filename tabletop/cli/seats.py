"""`tabletop seat`, `tabletop serve` and `tabletop codes`: seats beside the facilitator."""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text

from tabletop.cli.output import console
from tabletop.cli.parsing import helptext
from tabletop.errors import Msg, UsageError

if TYPE_CHECKING:
    from tabletop.journal.seats import SeatLink


def store_target(args: argparse.Namespace) -> tuple[str, str | None]:
    """The log's path, or the --store URL (or TABLETOP_STORE) with --exercise."""
    log = getattr(args, "log", None)
    store = getattr(args, "store", None) or (None if log else os.environ.get("TABLETOP_STORE"))
    if store and log:
        raise UsageError("cli.log_or_store")
    if store:
        if not getattr(args, "exercise", None):
            raise UsageError("cli.store_needs_exercise")
        return str(store), str(args.exercise)
    if not log:
        raise UsageError("cli.give_log")
    return str(log), None


def seats_of(args: argparse.Namespace) -> tuple[list[str], Callable[[str], SeatLink]]:
    """The exercise's seats, and a way to open a link for one of them."""
    from tabletop.engine.visibility import STAFF_SEATS
    from tabletop.journal.format import JournalError
    from tabletop.journal.reader import read_journal
    from tabletop.journal.replay import load_for
    from tabletop.journal.seats import FileSeatLink, PgSeatLink
    from tabletop.journal.store import FileStore, open_store

    target, exercise = store_target(args)
    store = open_store(target, exercise)
    if isinstance(store, FileStore):
        journal = read_journal(store.path, check_chain=False)
        loaded = load_for(journal, Path(args.scenario) if args.scenario else None)
        seats = [*journal.participants, *STAFF_SEATS]
        lang = args.lang or journal.header.get("lang", "nl")
        return seats, lambda seat: FileSeatLink(FileStore(store.path), seat, loaded,
                                                journal.header, lang)
    lines = store.read(-1)[:1]
    if not lines:
        raise JournalError("jr.no_exercise", where=store.label)
    import json

    header = json.loads(lines[0][1])
    seats = [*(header.get("participants") or {}), *STAFF_SEATS]
    return seats, lambda seat: PgSeatLink(open_store(target, exercise), seat)


def _codes_file(args: argparse.Namespace) -> Path:
    from tabletop.journal.seatcodes import codes_path

    if args.codes:
        return Path(args.codes)
    target, exercise = store_target(args)
    return codes_path(Path(target)) if exercise is None else Path(f"{exercise}.codes")


def cmd_seat(args: argparse.Namespace) -> int:
    from tabletop.journal.seatcodes import seat_for
    from tabletop.tui.seat.app import SeatApp

    seats, link_for = seats_of(args)
    lang = args.lang or "nl"
    if args.join:
        codes = _codes_file(args)

        def join(code: str) -> tuple[SeatLink, Callable[[], bool]] | None:
            seat = seat_for(codes, code)
            if seat is None or seat not in seats:
                return None
            return link_for(seat), lambda: seat_for(codes, code) == seat

        SeatApp(lang=lang, join=join).run()
        return 0
    if not args.role:
        raise UsageError("cli.role_needed", seats=", ".join(seats))
    if args.role not in seats:
        raise UsageError("cli.role_unknown", role=args.role, seats=", ".join(seats))
    SeatApp(link_for(args.role), lang=lang).run()
    return 0


def cmd_codes(args: argparse.Namespace) -> int:
    from tabletop.journal.seatcodes import ensure_codes, revoke

    seats, _ = seats_of(args)
    path = _codes_file(args)
    out = console()
    if args.revoke:
        revoke(path, args.revoke)
        out.print(Text(str(Msg("cli.codes.revoked", seat=args.revoke, path=str(path)))))
        return 0
    if args.renew:
        code = revoke(path, args.renew, renew=True)
        out.print(Text(f"{args.renew}: {code}"))
        return 0
    for seat, code in ensure_codes(path, seats).items():
        out.print(Text(f"{seat}: {code}"))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from textual_serve.server import Server

    from tabletop.journal.seatcodes import ensure_codes

    seats, _ = seats_of(args)
    codes = _codes_file(args)
    err = console(stderr=True)
    err.print(Text(str(Msg("cli.serve.codes", path=str(codes)))))
    for seat, code in ensure_codes(codes, seats).items():
        err.print(Text(f"  {seat}: {code}"))
    target, exercise = store_target(args)
    command = [sys.executable, "-m", "tabletop"]
    if args.lang:
        command += ["--lang", args.lang]
    command += ["seat", "--join", "--codes", str(codes.resolve())]
    if exercise is None:
        command.append(str(Path(target).resolve()))
    else:
        command += ["--store", target, "--exercise", exercise]
    if args.scenario:
        command += ["--scenario", str(Path(args.scenario).resolve())]
    where = Msg("cli.serve.local" if args.host in ("127.0.0.1", "localhost", "::1")
                else "cli.serve.network")
    err.print(Text(str(Msg("cli.serve.on", url=f"http://{args.host}:{args.port}",
                           where=where))))
    Server(shlex.join(command), host=args.host, port=args.port, title="tabletop").serve()
    return 0


def _common(p: argparse.ArgumentParser, log_required: bool = False) -> None:
    file = helptext("cli.mv.file")
    p.add_argument("log", metavar=helptext("cli.mv.log"), nargs=None if log_required else "?",
                   help=helptext("cli.help.arg.log"))
    p.add_argument("--store", metavar="URL", help=helptext("cli.help.store_url"))
    p.add_argument("--exercise", metavar="ID", help=helptext("cli.help.exercise"))
    p.add_argument("--scenario", metavar=file, help=helptext("cli.help.scenario_moved"))
    p.add_argument("--codes", metavar=file, help=helptext("cli.help.seat.codes"))
    p.add_argument("--lang", choices=["nl", "en"], default=argparse.SUPPRESS,
                   help=helptext("cli.help.lang"))


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("seat", help=helptext("cli.help.seat"))
    _common(p)
    p.add_argument("--role", metavar=helptext("cli.mv.role"), help=helptext("cli.help.seat.role"))
    p.add_argument("--join", action="store_true", help=helptext("cli.help.seat.join"))
    p.set_defaults(func=cmd_seat)

    p = sub.add_parser("serve", help=helptext("cli.help.serve"))
    _common(p)
    p.add_argument("--host", default="127.0.0.1", metavar=helptext("cli.mv.host"),
                   help=helptext("cli.help.serve.host"))
    p.add_argument("--port", type=int, default=8000, metavar=helptext("cli.mv.port"),
                   help=helptext("cli.help.serve.port"))
    p.set_defaults(func=cmd_serve)

    seat = helptext("cli.mv.seat")
    p = sub.add_parser("codes", help=helptext("cli.help.codes"))
    _common(p)
    p.add_argument("--revoke", metavar=seat, help=helptext("cli.help.codes.revoke"))
    p.add_argument("--renew", metavar=seat, help=helptext("cli.help.codes.renew"))
    p.set_defaults(func=cmd_codes)
