"""`--store postgresql://… --exercise ID` for the log commands, and `export` / `import`.

Registered after the other commands: it adds the two options to `run`, `verify`, `log`,
`report` and `resume` and routes a call that names a store here; without a store those
commands run exactly as before. A store's exercise is read by exporting it to a temporary
JSONL file (the same bytes), so verify, log and report are the file code, unchanged.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.text import Text

from tabletop.cli.output import console
from tabletop.cli.parsing import helptext
from tabletop.errors import LocalizedError, Msg, UsageError
from tabletop.i18n import current_language

Handler = Callable[[argparse.Namespace], int]


def _store(args: argparse.Namespace) -> str | None:
    value = getattr(args, "store", None) or os.environ.get("TABLETOP_STORE") or None
    return str(value) if value else None


def _open(url: str, exercise: str) -> Any:
    from tabletop.journal.store import open_store

    return open_store(url, exercise)


def _exercise(args: argparse.Namespace) -> str:
    ids = getattr(args, "exercise", None) or []
    if isinstance(ids, str):
        return ids
    if len(ids) != 1:
        raise UsageError("cli.store_one_exercise")
    return str(ids[0])


def cmd_run_store(args: argparse.Namespace, url: str) -> int:
    from tabletop.cli.play import _load, printing, run_plan
    from tabletop.engine.script import play_script
    from tabletop.journal.pgstore import new_exercise_id
    from tabletop.journal.storeio import start_in_store

    if args.log:
        raise UsageError("cli.log_or_store")
    loaded = _load(args.scenario, args.roles)
    entries, settings = run_plan(args, loaded)
    ids = getattr(args, "exercise", None) or []
    exercise = ids[0] if ids else new_exercise_id(loaded.scenario.id)
    store = _open(url, exercise)
    if store.exists():
        raise UsageError("cli.store.exists", exercise=exercise)
    session = start_in_store(loaded, settings, store)
    console(stderr=True).print(Text(str(Msg("cli.store.exercise", exercise=exercise))))
    try:
        play_script(session.exercise, entries, printing(session, current_language()))
    finally:
        session.close()
        store.close()
    return 0


def cmd_verify_store(args: argparse.Namespace, url: str, original: Handler) -> int:
    from tabletop.journal.storeio import materialised
    from tabletop.journal.verify import verify

    store = _open(url, _exercise(args))
    with materialised(store) as path:
        verdict = verify(path, Path(args.scenario) if args.scenario else None)
    message = verdict.message.replace(str(path), store.label)
    style = "green" if verdict.ok else "red"
    (console() if verdict.ok else console(stderr=True)).print(Text(message, style=style))
    return 0 if verdict.ok else 1


def cmd_log_store(args: argparse.Namespace, url: str, original: Handler) -> int:
    from tabletop.journal.storeio import materialised

    with materialised(_open(url, _exercise(args))) as path:
        args.log = str(path)
        return original(args)


def _selected(args: argparse.Namespace, url: str) -> list[str]:
    from tabletop.journal.pgstore import PgStore

    ids = list(getattr(args, "exercise", None) or [])
    scenario = getattr(args, "scenario", None)
    if scenario and not Path(scenario).is_file():
        store = PgStore(url, "-")
        ids += [i for i in store.exercises(scenario) if i not in ids]
        store.close()
        args.scenario = None
        if not ids:
            raise LocalizedError("cli.store.none_of", scenario=scenario)
    if not ids:
        raise UsageError("cli.store.select")
    return ids


def cmd_report_store(args: argparse.Namespace, url: str, original: Handler) -> int:
    import tempfile

    from tabletop.journal.storeio import export_log

    if args.logs:
        raise UsageError("cli.logs_or_store")
    ids = _selected(args, url)
    with tempfile.TemporaryDirectory(prefix="tabletop-report-") as folder:
        logs = []
        for ident in ids:
            path = Path(folder) / f"{ident}.jsonl"
            export_log(_open(url, ident), path)
            logs.append(str(path))
        args.logs = logs
        return original(args)


def cmd_resume_store(args: argparse.Namespace, url: str, original: Handler) -> int:
    from tabletop.cli.logs import play_on
    from tabletop.journal.resume import plan_script, prepare_resume
    from tabletop.journal.storeio import materialised, open_resumed_in
    from tabletop.model.scripted import load_script

    if not args.decisions:
        if not (sys.stdin.isatty() and sys.stdout.isatty()):
            raise UsageError("cli.resume.needs_decisions")
        from tabletop.tui.app import run_app

        store = _open(url, _exercise(args))
        try:  # the console, continuing the exercise in the store
            return run_app(lang=current_language(), resume_log=store)
        finally:
            store.close()
    store = _open(url, _exercise(args))
    with materialised(store) as path:
        resumed = prepare_resume(path, Path(args.scenario) if args.scenario else None,
                                 force_scenario=args.force_scenario)
    entries = load_script(Path(args.decisions), resumed.loaded)
    plan_script(resumed, entries)  # refuses conflicting entries before anything is written
    open_resumed_in(resumed, store)
    try:
        play_on(resumed, entries, args.lang or "nl")
    finally:
        store.close()
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from tabletop.journal.storeio import export_log

    url = _store(args)
    if not url:
        raise UsageError("cli.store.needs_url", command="export")
    count = export_log(_open(url, args.exercise), Path(args.output))
    console(stderr=True).print(Text(str(Msg("cli.store.exported", path=str(args.output),
                                            count=count))))
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from tabletop.journal.pgstore import new_exercise_id
    from tabletop.journal.reader import read_journal
    from tabletop.journal.storeio import import_log

    url = _store(args)
    if not url:
        raise UsageError("cli.store.needs_url", command="import")
    path = Path(args.log)
    header = read_journal(path).header
    exercise = args.exercise or new_exercise_id(str((header.get("scenario") or {}).get("id")))
    store = _open(url, exercise)
    count = import_log(path, store)
    console(stderr=True).print(Text(str(Msg("cli.store.imported", exercise=exercise,
                                            count=count))))
    return 0


ROUTES: dict[str, Callable[..., int]] = {
    "verify": cmd_verify_store, "log": cmd_log_store, "report": cmd_report_store,
    "resume": cmd_resume_store}


def _wrap(name: str, original: Handler) -> Handler:
    def handler(args: argparse.Namespace) -> int:
        given = getattr(args, "log", None) or getattr(args, "logs", None)
        url = args.store or (None if given else _store(args))
        if url is None:
            if name == "report" and not args.logs:
                raise UsageError("cli.store.report_needs")
            if getattr(args, "log", "") is None and name != "run":
                raise UsageError("cli.store.needs_log", command=name)
            return original(args)
        if name == "run":
            return cmd_run_store(args, url)
        return ROUTES[name](args, url, original)
    return handler


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    for name in ("run", "verify", "log", "report", "resume"):
        p = sub.choices.get(name)
        if p is None:
            continue
        p.add_argument("--store", metavar="URL", help=helptext("cli.help.store"))
        p.add_argument("--exercise", metavar="ID", action="append",
                       help=helptext("cli.help.store.exercise"))
        for action in p._actions:  # a store replaces the LOG argument
            if action.dest in ("log", "logs") and action.option_strings == []:
                action.nargs = "?" if action.dest == "log" else "*"
        p.set_defaults(func=_wrap(name, p.get_default("func")))

    log = helptext("cli.mv.log")
    p = sub.add_parser("export", help=helptext("cli.help.export"))
    p.add_argument("--store", metavar="URL", help=helptext("cli.help.store"))
    p.add_argument("--exercise", metavar="ID", required=True,
                   help=helptext("cli.help.export.exercise"))
    p.add_argument("-o", "--output", metavar=log, required=True,
                   help=helptext("cli.help.export.output"))
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("import", help=helptext("cli.help.import"))
    p.add_argument("log", metavar=log, help=helptext("cli.help.arg.log"))
    p.add_argument("--store", metavar="URL", help=helptext("cli.help.store"))
    p.add_argument("--exercise", metavar="ID", help=helptext("cli.help.import.exercise"))
    p.set_defaults(func=cmd_import)
