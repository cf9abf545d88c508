"""The command line's help and argparse's usage errors speak the user's language: Dutch by
default, English with `--lang en` (before or after the command) or `TABLETOP_LANG=en`,
where argparse's English is its own, byte for byte."""

from __future__ import annotations

import argparse
import ast
import gettext
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tabletop.cli import main
from tabletop.cli.parsing import requested_language
from tabletop.i18n.catalog_cli import CLI, RUNNING
from tabletop.i18n.catalog_cli_help import ARGPARSE, HELP

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = ["validate", "schema", "new", "run", "simulate", "log", "verify", "resume", "play",
            "replay", "screen", "report", "msel", "seat", "serve", "codes", "export", "import"]
CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")
"""Terminal control: C0 (but the newline), DEL and C1, so no escape sequence."""
MARKUP = re.compile(r"\[/?[a-z][a-z #]*\]|\[/\]")
"""Rich markup (`[bold]`, `[/red]`, `[/]`); argparse's `[-h]` and `[LOGBOEK]` are not."""


@pytest.fixture(autouse=True)
def _wide(monkeypatch: pytest.MonkeyPatch) -> None:
    """argparse wraps help at the terminal's width (COLUMNS): one width, one line per
    command."""
    monkeypatch.setenv("COLUMNS", "200")


def tabletop(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """`tabletop ARGS` in-process: exit code, stdout, stderr; never a traceback."""
    try:
        code = main(list(args))
    except SystemExit as exc:  # --help and argparse's usage errors
        code = int(exc.code or 0)
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    return code, out.out, out.err


def described(out: str) -> dict[str, str]:
    """The commands listed in a help text, with their descriptions."""
    return dict(re.findall(r"^ {4}(\S+) +(\S.*)$", out, re.M))


# -- tabletop --help ---------------------------------------------------------------------
def test_help_is_dutch_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = tabletop(capsys, "--help")
    assert (code, err) == (0, "")
    assert out.startswith("gebruik: tabletop [-h] [--version] [--lang {nl,en}] OPDRACHT ...\n")
    assert "Tabletopoefeningen over gezagsdilemma's bij militaire dreiging." in out
    assert described(out) == {c: CLI[f"cli.help.{c}"]["nl"] for c in COMMANDS}
    assert described(out)["validate"] == \
        "scenario's en rollen controleren; BESTAND:REGEL:KOLOM: melding"
    assert "\nopties:\n" in out and "positionele argumenten:" in out
    assert "-h, --help      toon deze hulptekst en stop" in out
    assert not re.search(r"usage|options|show this|the app|check scenarios", out), out


@pytest.mark.parametrize("how", [["--lang", "en"], ["--lang=en"], "TABLETOP_LANG"])
def test_help_is_english_when_asked(how: list[str] | str, capsys: pytest.CaptureFixture[str],
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    if isinstance(how, str):
        monkeypatch.setenv(how, "en")
        how = []
    code, out, _ = tabletop(capsys, *how, "--help")
    assert code == 0
    assert out.startswith("usage: tabletop [-h] [--version] [--lang {nl,en}] COMMAND ...\n\n"
                          "Tabletop exercises on gezagsdilemma's under military threat. "
                          "Without a command: the app.\n\npositional arguments:\n  COMMAND\n")
    assert described(out) == {c: CLI[f"cli.help.{c}"]["en"] for c in COMMANDS}
    assert out.endswith("options:\n"
                        "  -h, --help      show this help message and exit\n"
                        "  --version       show program's version number and exit\n"
                        "  --lang {nl,en}  language of the app (default: nl)\n")


def test_validate_help_in_both_languages(capsys: pytest.CaptureFixture[str]) -> None:
    assert tabletop(capsys, "validate", "--help") == (0, (
        "gebruik: tabletop validate [-h] [--strict] [--roles MAP] PAD [PAD ...]\n\n"
        "positionele argumenten:\n"
        "  PAD          scenariobestanden, mappen, roles/\n\n"
        "opties:\n"
        "  -h, --help   toon deze hulptekst en stop\n"
        "  --strict     waarschuwingen tellen als fouten\n"
        "  --roles MAP  map met rollen om de scenario's tegen te controleren\n"), "")
    assert tabletop(capsys, "--lang", "en", "validate", "--help") == (0, (
        "usage: tabletop validate [-h] [--strict] [--roles DIR] PATH [PATH ...]\n\n"
        "positional arguments:\n"
        "  PATH         scenario files, folders, roles/\n\n"
        "options:\n"
        "  -h, --help   show this help message and exit\n"
        "  --strict     treat warnings as errors\n"
        "  --roles DIR  roles folder to check scenarios against\n"), "")


def test_lang_after_the_command_chooses_the_help_too(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = tabletop(capsys, "report", "--help", "--lang", "en")
    assert out.startswith("usage: tabletop report ") and "decision logs (one per exercise)" in out
    _, out, _ = tabletop(capsys, "report", "--lang", "en", "--help")
    assert out.startswith("usage: tabletop report ")
    _, out, _ = tabletop(capsys, "--lang", "en", "report", "--lang", "nl", "--help")
    assert out.startswith("gebruik: tabletop report [-h] [-f {md,html,docx}] [-o BESTAND]")
    assert "logboeken van besluiten (één per oefening)" in out


@pytest.mark.parametrize(("argv", "lang"), [
    ([], None), (["--lang", "en"], "en"), (["validate", "--la", "nl", "x"], "nl"),
    (["--lang=en", "report", "--lan=nl"], "nl"), (["--lang", "en", "--lang", "de"], "en"),
    (["--lang", "en", "--lang"], "en"), (["--log", "en"], None),
    (["run", "s.yaml", "--", "--lang", "en"], None),
])
def test_the_language_is_found_before_the_parser_is_built(argv: list[str],
                                                          lang: str | None) -> None:
    assert requested_language(argv) == lang


# -- argparse's usage errors -------------------------------------------------------------
def test_a_missing_argument_is_said_in_dutch(capsys: pytest.CaptureFixture[str]) -> None:
    assert tabletop(capsys, "validate") == (2, "", (
        "gebruik: tabletop validate [-h] [--strict] [--roles MAP] PAD [PAD ...]\n"
        "tabletop validate: fout: deze argumenten ontbreken: PAD\n"))
    code, _, err = tabletop(capsys, "export")
    assert code == 2
    assert err.endswith("tabletop export: fout: deze argumenten ontbreken: --exercise, "
                        "-o/--output\n")


def test_an_unknown_command_is_said_in_dutch(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = tabletop(capsys, "valideer", "scenario.yaml")
    assert (code, out) == (2, "")
    usage, error = err.splitlines()
    assert usage == "gebruik: tabletop [-h] [--version] [--lang {nl,en}] OPDRACHT ..."
    assert error.startswith("tabletop: fout: argument OPDRACHT: ongeldige keuze: 'valideer' "
                            "(kies uit 'validate', 'schema', 'new', ")


@pytest.mark.parametrize(("args", "dutch"), [
    (["simulate", "s.yaml", "--runs"], "argument --runs: verwacht één argument"),
    (["simulate", "s.yaml", "--runs", "x"], "argument --runs: ongeldige waarde voor int: 'x'"),
    (["simulate", "s.yaml", "--runs", "3", "--policy", "best"],
     "argument --policy: ongeldige keuze: 'best' (kies uit 'random', 'default', 'first')"),
    (["simulate", "s.yaml", "--j", "3"], "dubbelzinnige optie: --j kan staan voor --jobs, --json"),
    (["run", "s.yaml", "--auto"], "argument --auto: verwacht minstens één argument"),
    (["msel"], "deze argumenten ontbreken: ACTIE"),
    (["validate", "x.yaml", "--bogus"], "onbekende argumenten: --bogus"),
    (["--lang", "de"], "argument --lang: ongeldige keuze: 'de' (kies uit 'nl', 'en')"),
])
def test_argparse_errors_in_dutch_exit_2(args: list[str], dutch: str,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = tabletop(capsys, *args)
    assert (code, out) == (2, "")
    assert err.startswith("gebruik: tabletop")
    assert err.endswith(f": fout: {dutch}\n")


def test_argparse_errors_in_english_are_argparse_s_own(capsys: pytest.CaptureFixture[str],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    assert tabletop(capsys, "--lang", "en", "validate") == (2, "", (
        "usage: tabletop validate [-h] [--strict] [--roles DIR] PATH [PATH ...]\n"
        "tabletop validate: error: the following arguments are required: PATH\n"))
    monkeypatch.setenv("TABLETOP_LANG", "en")
    code, _, err = tabletop(capsys, "valideer")
    assert code == 2
    assert err.splitlines()[1].startswith(
        "tabletop: error: argument COMMAND: invalid choice: 'valideer' (choose from 'validate'")


def test_argparse_speaks_english_again_after_a_dutch_parse(
        capsys: pytest.CaptureFixture[str]) -> None:
    """The Dutch words are argparse's only while tabletop parses: pytest's own parser, and
    any other in the process, keep theirs."""
    tabletop(capsys, "validate")
    tabletop(capsys, "--help")
    assert vars(argparse)["_"] is gettext.gettext
    assert vars(argparse)["ngettext"] is gettext.ngettext
    assert "usage: x" in argparse.ArgumentParser(prog="x").format_usage()


def test_help_and_errors_are_plain_text_even_when_colour_is_forced() -> None:
    """Through a real process: no Rich markup, no escape sequence or other terminal control
    in the help, and an unknown command exits 2 with no traceback."""
    env = {**os.environ, "FORCE_COLOR": "1", "TERM": "xterm-256color", "COLUMNS": "100"}
    env.pop("TABLETOP_LANG", None)
    run = [sys.executable, "-m", "tabletop"]
    shown = subprocess.run([*run, "--help"], capture_output=True, text=True, env=env, cwd=ROOT,
                           check=False)
    assert (shown.returncode, shown.stderr) == (0, "")
    assert shown.stdout.startswith("gebruik: tabletop")
    refused = subprocess.run([*run, "valideer"], capture_output=True, text=True, env=env,
                             cwd=ROOT, check=False)
    assert refused.returncode == 2
    assert "tabletop: fout: argument OPDRACHT: ongeldige keuze: 'valideer'" in refused.stderr
    for text in (shown.stdout, refused.stderr):
        assert "Traceback" not in text
        assert not CONTROL.search(text), repr(CONTROL.search(text))
        assert not MARKUP.search(text), MARKUP.search(text)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_no_help_has_markup_or_terminal_control(lang: str,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    pages = [["--help"], *([c, "--help"] for c in COMMANDS),
             *(["msel", a, "--help"] for a in ("export", "import", "cards"))]
    for page in pages:
        code, out, err = tabletop(capsys, "--lang", lang, *page)
        assert (code, err) == (0, ""), page
        assert out.startswith("gebruik: " if lang == "nl" else "usage: "), page
        assert not CONTROL.search(out) and not MARKUP.search(out), (page, out)


# -- the catalogue ---------------------------------------------------------------------
def _argparse_strings() -> set[str]:
    """Every string argparse (this Python's) asks gettext for."""
    tree = ast.parse(Path(argparse.__file__).read_text(encoding="utf-8"))
    return {arg.value for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
            and node.func.id in ("_", "ngettext")
            for arg in node.args if isinstance(arg, ast.Constant) and isinstance(arg.value, str)}


@pytest.mark.skipif(sys.version_info[:2] != (3, 11),
                    reason="argparse's own words are catalogued as Python 3.11 asks for them; "
                           "another version's new ones come out in English")
def test_every_string_argparse_asks_for_has_its_dutch() -> None:
    asked = _argparse_strings()
    assert {"usage: ", "the following arguments are required: %s"} <= asked
    missing = asked - {entry["en"] for entry in ARGPARSE.values()}
    assert not missing, f"argparse asks for these, the catalogue lacks them: {sorted(missing)}"


CONVERSION = re.compile(r"%(?:\((\w+)\))?([a-z%])")


def test_argparse_words_keep_their_conversions_and_help_texts_have_none() -> None:
    """argparse fills `%(prog)s`, `%s`, `%r` in its own words and expands `%` in help
    texts: the Dutch must take the same values, and a help text must hold no `%`."""
    for key, entry in ARGPARSE.items():
        assert sorted(CONVERSION.findall(entry["nl"])) == \
            sorted(CONVERSION.findall(entry["en"])), key
    for key, entry in HELP.items():
        assert "%" not in entry["nl"] + entry["en"], key


def test_the_help_block_is_part_of_the_cli_catalogue_and_takes_no_key_of_it() -> None:
    assert not set(HELP) & set(ARGPARSE) and not (set(HELP) | set(ARGPARSE)) & set(RUNNING)
    assert set(CLI) == set(RUNNING) | set(HELP) | set(ARGPARSE)
    assert all(key.startswith(("cli.help.", "cli.mv.")) for key in HELP)
    assert all(key.startswith("cli.argparse.") for key in ARGPARSE)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_argument_of_every_command_says_what_it_is(lang: str,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """A user reading `tabletop COMMAND --help` finds a description beside every argument
    and option, in the language asked for."""
    from tabletop.cli import build_parser
    from tabletop.i18n import set_language

    set_language(lang)
    bare: list[str] = []
    seen: list[str] = []

    def walk(parser: argparse.ArgumentParser, name: str) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                bare.extend(f"{name} {c.dest}" for c in action._choices_actions
                            if not (c.help or "").strip())
                for word, sub in action.choices.items():
                    walk(sub, f"{name} {word}".strip())
            elif not (action.help or "").strip():
                bare.append(f"{name} {action.dest}")
            else:
                seen.append(f"{name} {action.dest}")

    walk(build_parser(), "")
    assert "msel import output" in seen and "validate strict" in seen
    assert not bare, f"arguments without help: {bare}"
