"""`tabletop msel`: the MSEL in a spreadsheet (export, import) and printable inject cards."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from rich.text import Text

from tabletop.cli.output import console, print_problems
from tabletop.cli.parsing import helptext
from tabletop.errors import TabletopUserError, UsageError
from tabletop.i18n import Translator

EXIT_OK, EXIT_PROBLEMS = 0, 1


def _lang(args: argparse.Namespace) -> str:
    return "en" if getattr(args, "lang", None) == "en" else "nl"


def _write(path: Path, data: bytes, t: Translator) -> None:
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise TabletopUserError(t("msel.cli.cannot_write", path=path,
                                  error=exc.strerror or str(exc))) from None


def _same(a: Path, b: Path) -> bool:
    return a.exists() and b.exists() and os.path.samefile(a, b)


def cmd_export(args: argparse.Namespace) -> int:
    from tabletop.model.loading import load_scenario
    from tabletop.msel.export import csv_companions, export
    from tabletop.msel.reader import companion_path

    t = Translator(_lang(args))
    scenario = Path(args.scenario)
    target = Path(args.output) if args.output else Path(scenario.stem + ".xlsx")
    fmt = target.suffix.lower().lstrip(".")
    if fmt not in ("xlsx", "csv"):
        raise UsageError(t("msel.cli.suffix", path=target))
    if _same(scenario, target):
        raise UsageError(t("msel.cli.same_file", path=target))
    loaded = load_scenario(scenario)
    _write(target, export(loaded, fmt, _lang(args)), t)
    written: list[Path] = []
    if fmt == "csv":  # one table per file: the injects, and the other sheets beside them
        for key, data in csv_companions(loaded, _lang(args)):
            path = companion_path(target, key, _lang(args))
            if _same(scenario, path):
                raise UsageError(t("msel.cli.same_file", path=path))
            _write(path, data, t)
            written.append(path)
    err = console(stderr=True)
    err.print(Text(t("msel.cli.exported", path=target, injects=len(loaded.scenario.injects),
                     decisions=len(loaded.scenario.decisions))))
    if written:
        err.print(Text(t("msel.cli.csv_alongside", files=", ".join(map(str, written)),
                         path=target)))
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from tabletop.msel.importer import import_sheet

    t = Translator(_lang(args))
    sheet = Path(args.sheet)
    if sheet.suffix.lower() not in (".xlsx", ".xlsm", ".csv"):
        raise UsageError(t("msel.read.suffix", path=sheet))
    target = Path(args.output) if args.output else sheet.with_suffix(".yaml")
    if _same(sheet, target):
        raise UsageError(t("msel.cli.same_file", path=target))
    if target.exists() and not args.force:
        raise UsageError(t("msel.cli.exists", path=target))
    result = import_sheet(sheet, Path(args.roles) if args.roles else None, _lang(args),
                          target=target)
    if result.alongside:
        console(stderr=True).print(Text(t("msel.cli.read_alongside",
                                          files=", ".join(result.alongside))))
    print_problems(result.problems, console())
    if result.yaml is None:
        errors = sum(1 for p in result.problems if p.is_error)
        key = "msel.cli.problems.one" if errors == 1 else "msel.cli.problems.other"
        console(stderr=True).print(Text(t(key, n=errors), style="red"))
        return EXIT_PROBLEMS
    _write(target, result.yaml.encode("utf-8"), t)
    console(stderr=True).print(Text(t("msel.cli.imported", path=target,
                                      injects=result.injects, decisions=result.decisions),
                                    style="green"))
    return EXIT_OK


def cmd_cards(args: argparse.Namespace) -> int:
    from tabletop.model.loading import load_scenario
    from tabletop.msel.cards import cards_html

    t = Translator(_lang(args))
    scenario = Path(args.scenario)
    target = Path(args.output)
    if _same(scenario, target):
        raise UsageError(t("msel.cli.same_file", path=target))
    loaded = load_scenario(scenario)
    _write(target, cards_html(loaded, _lang(args)).encode("utf-8"), t)
    console(stderr=True).print(Text(t("msel.cli.cards", path=target,
                                      n=len(loaded.scenario.injects))))
    return EXIT_OK


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    file = helptext("cli.mv.file")
    p = sub.add_parser("msel", help=helptext("cli.help.msel"))
    msel = p.add_subparsers(dest="msel_command", metavar=helptext("cli.mv.action"),
                            required=True)

    e = msel.add_parser("export", help=helptext("cli.help.msel.export"))
    e.add_argument("scenario", metavar="SCENARIO", help=helptext("cli.help.msel.scenario"))
    e.add_argument("-o", "--output", metavar=file,
                   help=helptext("cli.help.msel.export.output"))
    e.add_argument("--lang", choices=["nl", "en"], default=argparse.SUPPRESS,
                   help=helptext("cli.help.msel.export.lang"))
    e.set_defaults(func=cmd_export)

    i = msel.add_parser("import", help=helptext("cli.help.msel.import"))
    i.add_argument("sheet", metavar=file, help=helptext("cli.help.msel.import.sheet"))
    i.add_argument("-o", "--output", metavar="SCENARIO",
                   help=helptext("cli.help.msel.import.output"))
    i.add_argument("--roles", metavar=helptext("cli.mv.dir"),
                   help=helptext("cli.help.msel.import.roles"))
    i.add_argument("--force", action="store_true", help=helptext("cli.help.msel.import.force"))
    i.add_argument("--lang", choices=["nl", "en"], default=argparse.SUPPRESS,
                   help=helptext("cli.help.msel.import.lang"))
    i.set_defaults(func=cmd_import)

    c = msel.add_parser("cards", help=helptext("cli.help.msel.cards"))
    c.add_argument("scenario", metavar="SCENARIO", help=helptext("cli.help.msel.scenario"))
    c.add_argument("-o", "--output", metavar=file, required=True,
                   help=helptext("cli.help.msel.cards.output"))
    c.add_argument("--lang", choices=["nl", "en"], default=argparse.SUPPRESS,
                   help=helptext("cli.help.msel.cards.lang"))
    c.set_defaults(func=cmd_cards)
