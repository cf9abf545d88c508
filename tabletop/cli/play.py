"""`tabletop run` (headless play from a decisions file) and `tabletop simulate` (batch)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text

from tabletop.cli.output import console, print_timeline
from tabletop.cli.parsing import helptext
from tabletop.errors import Msg, UsageError
from tabletop.i18n import current_language

if TYPE_CHECKING:
    from tabletop.engine.script import Send
    from tabletop.engine.simulate import SimulationSummary
    from tabletop.journal.session import LiveSession, SessionSettings
    from tabletop.model.commands import Command
    from tabletop.model.events import Event
    from tabletop.model.loading import LoadedScenario
    from tabletop.model.scripted import ScriptEntry


def _load(path: str, roles: str | None) -> LoadedScenario:
    from tabletop.model.loading import load_roles, load_scenario

    return load_scenario(Path(path), load_roles(Path(roles)) if roles else None)


def run_plan(args: argparse.Namespace,
             loaded: LoadedScenario) -> tuple[list[ScriptEntry], SessionSettings]:
    """What `tabletop run` plays: the decisions file, and who sits at the table (all roles
    but the `--auto` ones, which the engine plays)."""
    from tabletop.journal.session import SessionSettings
    from tabletop.model.scripted import load_script

    for role in args.auto or []:
        if role not in loaded.roles:
            known = ", ".join(loaded.roles)
            raise UsageError("cli.auto_unknown", role=role, known=known)
    entries = load_script(Path(args.decisions), loaded) if args.decisions else []
    auto = set(args.auto or [])
    settings = SessionSettings(title=args.title or loaded.scenario.title, seed=args.seed,
                               participants={r: "" for r in loaded.roles if r not in auto})
    return entries, settings


def printing(session: LiveSession, lang: str) -> Send:
    """Apply each command through the session (journalled), printing its timeline."""
    from tabletop.i18n.names import Names
    from tabletop.report.timeline import timeline

    names = Names(session.loaded, lang, session.settings.participants)
    out = console()

    def send(command: Command) -> list[Event]:
        events = session.apply(command)
        print_timeline(timeline(events, names), out)
        return events

    return send


def cmd_run(args: argparse.Namespace) -> int:
    from tabletop.engine.script import play_script
    from tabletop.journal.session import LiveSession

    loaded = _load(args.scenario, args.roles)
    entries, settings = run_plan(args, loaded)
    session = LiveSession.start(loaded, settings, Path(args.log) if args.log else None)
    try:
        play_script(session.exercise, entries, printing(session, current_language()))
    finally:
        session.close()
    if args.log:
        console(stderr=True).print(Text(str(Msg("cli.play.log", path=str(args.log)))))
    return 0


def cmd_simulate(args: argparse.Namespace) -> int:
    from tabletop.engine.simulate import available_cpus, simulate

    if args.runs < 1:
        raise UsageError("cli.at_least", option="--runs", least=1, got=args.runs)
    if args.jobs < 1:
        raise UsageError("cli.at_least", option="--jobs", least=1, got=args.jobs)
    cpus = available_cpus()
    if args.jobs > cpus:
        raise UsageError("cli.jobs_cpus", jobs=args.jobs, cpus=cpus)
    if args.seed < 0:
        raise UsageError("cli.seed_negative", got=args.seed)
    loaded = _load(args.scenario, args.roles)
    err = console(stderr=True)
    if err.is_terminal and not args.json:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

        with Progress("[progress.description]{task.description}", BarColumn(),
                      MofNCompleteColumn(), TimeRemainingColumn(), console=err,
                      transient=True) as bar:
            task = bar.add_task(loaded.scenario.id, total=args.runs)
            summary = simulate(loaded, args.runs, args.policy, args.seed, args.jobs,
                               progress=lambda n: bar.advance(task, n))
    else:
        summary = simulate(loaded, args.runs, args.policy, args.seed, args.jobs)
    if args.json:
        sys.stdout.write(json.dumps(summary.to_dict(), ensure_ascii=False, indent=2) + "\n")
        return 0
    _print_summary(summary, loaded)
    return 0


def _print_summary(summary: SimulationSummary, loaded: LoadedScenario) -> None:
    from rich.table import Table

    from tabletop.i18n import Translator

    t = Translator(current_language())
    out = console()
    out.print(Text(t("cli.sim.head", title=loaded.scenario.title, runs=summary.runs,
                     policy=summary.policy, seed=summary.seed), style="bold"))
    table = Table(t("cli.sim.outcome"), t("cli.sim.runs"), "%", box=None)
    for outcome, n in summary.outcomes.items():
        table.add_row(Text(outcome), str(n), f"{100 * n / summary.runs:.1f}")
    out.print(table)
    table = Table(t("cli.sim.variable"), t("cli.sim.mean"), "min", "max", box=None)
    for var, st in summary.state.items():
        table.add_row(Text(var), f"{st['mean']:g}", f"{st['min']:g}", f"{st['max']:g}")
    out.print(table)
    table = Table(t("cli.sim.dilemma"), t("cli.sim.runs"), "%", box=None)
    for key, n in summary.dilemmas["kinds"].items():
        table.add_row(Text(f"[{key}]"), str(n), f"{100 * n / summary.runs:.1f}")
    for key, n in summary.dilemmas["authored"].items():
        table.add_row(Text(key), str(n), f"{100 * n / summary.runs:.1f}")
    out.print(table)
    if summary.per_decision:
        table = Table(t("cli.sim.decision"), t("cli.sim.choice"), t("cli.sim.dilemmas"),
                      box=None)
        for decision, choices in summary.per_decision.items():
            for index, (choice, found) in enumerate(choices.items()):
                table.add_row(Text(decision if index == 0 else ""), Text(choice),
                              Text(", ".join(f"{k} {n}" for k, n in found.items())))
        out.print(table)
    for label, items in ((t("cli.sim.never_fired"), summary.never_fired),
                         (t("cli.sim.never_chosen"), summary.never_chosen),
                         (t("cli.sim.never_surfaced"), summary.never_surfaced)):
        out.print(Text(f"{label}: " + (", ".join(items) if items else "—"),
                       style="yellow" if items else "green"))
    from tabletop.i18n.words import plural

    out.print(Text(t("cli.sim.speed", rate=f"{summary.runs_per_second:,.0f}",
                     seconds=f"{summary.seconds:.2f}",
                     jobs=plural(t, "cli.n.job", summary.jobs)), style="dim"))


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    folder = helptext("cli.mv.dir")
    p = sub.add_parser("run", help=helptext("cli.help.run"))
    p.add_argument("scenario", metavar="SCENARIO", help=helptext("cli.help.arg.scenario"))
    p.add_argument("--decisions", metavar=helptext("cli.mv.file"),
                   help=helptext("cli.help.run.decisions"))
    p.add_argument("--seed", type=int, default=0, help=helptext("cli.help.arg.seed"))
    p.add_argument("--log", metavar=helptext("cli.mv.path"), help=helptext("cli.help.run.log"))
    p.add_argument("--auto", nargs="+", metavar=helptext("cli.mv.role"),
                   help=helptext("cli.help.run.auto"))
    p.add_argument("--title", metavar=helptext("cli.mv.title"),
                   help=helptext("cli.help.run.title"))
    p.add_argument("--roles", metavar=folder, help=helptext("cli.help.run.roles"))
    p.add_argument("--lang", choices=["nl", "en"], default=argparse.SUPPRESS,
                   help=helptext("cli.help.lang"))
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("simulate", help=helptext("cli.help.simulate"))
    p.add_argument("scenario", metavar="SCENARIO", help=helptext("cli.help.arg.scenario"))
    p.add_argument("--runs", type=int, required=True, metavar=helptext("cli.mv.runs"),
                   help=helptext("cli.help.simulate.runs"))
    p.add_argument("--policy", choices=["random", "default", "first"], default="random",
                   help=helptext("cli.help.simulate.policy"))
    p.add_argument("--seed", type=int, default=0, help=helptext("cli.help.arg.seed"))
    p.add_argument("--jobs", type=int, default=1, metavar=helptext("cli.mv.jobs"),
                   help=helptext("cli.help.simulate.jobs"))
    p.add_argument("--json", action="store_true", help=helptext("cli.help.simulate.json"))
    p.add_argument("--roles", metavar=folder, help=helptext("cli.help.run.roles"))
    p.set_defaults(func=cmd_simulate)
