"""Messages in the user's language (issue 10, item 7): every message of the loader, the
load-time checks, the journal and the CLI is a catalogue key with Dutch and English text,
rendered in the chosen language (`--lang`, `TABLETOP_LANG`, else Dutch)."""

from __future__ import annotations

import ast
import re
import string
from collections.abc import Iterator
from pathlib import Path

import pytest

from tabletop.cli import main
from tabletop.errors import Msg, Problem
from tabletop.i18n import MESSAGES
from tabletop.i18n.catalog import MESSAGES as REPORT_AND_ENGINE
from tabletop.i18n.catalog_cli import CLI
from tabletop.i18n.catalog_journal import JOURNAL
from tabletop.i18n.catalog_load import LOAD
from tabletop.i18n.ui import UI

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "tabletop"


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("catalogue", [LOAD, JOURNAL, CLI], ids=["load", "journal", "cli"])
def test_every_message_has_dutch_and_english_with_the_same_placeholders(
        catalogue: dict[str, dict[str, str]]) -> None:
    assert len(catalogue) > 30
    for key, entry in catalogue.items():
        assert set(entry) == {"nl", "en"}, key
        assert entry["nl"].strip() and entry["en"].strip(), key
        assert _fields(entry["nl"]) == _fields(entry["en"]), key


def test_the_new_catalogues_take_no_key_of_another() -> None:
    """Each area has its own block; a key in two of them would silently lose one text."""
    blocks = [set(REPORT_AND_ENGINE), set(UI), set(LOAD), set(JOURNAL), set(CLI)]
    for i, one in enumerate(blocks):
        for other in blocks[i + 1:]:
            assert not one & other, one & other
    assert set().union(*blocks) == set(MESSAGES)


# -- the code names only keys that exist, and no English sentence ----------------------
GUARDED = [*sorted((PACKAGE / "model").glob("*.py")), *sorted((PACKAGE / "journal").glob("*.py")),
           *[p for p in sorted((PACKAGE / "cli").glob("*.py")) if p.name != "msel.py"],
           PACKAGE / "errors.py", PACKAGE / "tui" / "library.py"]
"""The loader, the checks, the journal and the CLI (`cli/msel.py` and `tabletop/msel/`
have their own catalogue and test)."""

MESSAGE_CALLS = {"Problem": 3, "JournalError": 0, "JournalRefusal": 0, "UsageError": 0,
                 "TabletopUserError": 0, "LocalizedError": 0, "LogError": 0, "ReportError": 0,
                 "ReportRefused": 0, "FieldProblem": 0, "ValueError": 0, "KeyedValueError": 0,
                 "ExpressionError": 0, "ExpressionLimit": 0, "Divergence": 1, "Verdict": 1,
                 "ExerciseError": 0, "SubmissionError": 0, "ScenarioProblems": 0, "say": 0,
                 "Text": 0, "print": 0, "append": 0, "add": 1, "problem": 0, "bad": 0, "Msg": 0}
"""Calls whose argument (at this position) is a message users read."""
PROSE = re.compile(r"[A-Za-z]{2,}[ ,;:]+[A-Za-z]+")
"""Two words in a row: an English sentence, not a path, an id or punctuation."""


def _name(node: ast.Call) -> str:
    func = node.func
    return func.id if isinstance(func, ast.Name) else (
        func.attr if isinstance(func, ast.Attribute) else "")


def _literal_text(node: ast.AST) -> str:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return " ".join(v.value for v in node.values
                        if isinstance(v, ast.Constant) and isinstance(v.value, str))
    return ""


def _calls(path: Path) -> Iterator[tuple[int, str, ast.AST]]:
    """Each message argument: of the calls above, and of whatever is raised."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    raised = {id(node.exc) for node in ast.walk(tree)
              if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)}
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        index = MESSAGE_CALLS.get(_name(node), 0 if id(node) in raised else None)
        if index is not None and len(node.args) > index:
            yield node.lineno, _name(node), node.args[index]


def test_no_english_sentence_is_raised_printed_or_reported() -> None:
    """Where the loader, the journal and the CLI raise, report or print a message, it is a
    key (with values), never prose written in the code (`f"{path}: no such file"`)."""
    found = []
    for path in GUARDED:
        for line, name, arg in _calls(path):
            if name == "Msg" or (name in ("append", "add") and not _literal_text(arg)):
                continue
            if PROSE.search(_literal_text(arg)):
                found.append(f"{path.relative_to(ROOT)}:{line}: {name}({_literal_text(arg)!r})")
    assert not found, "\n".join(found)


def _keyed_calls(path: Path) -> Iterator[tuple[int, ast.Call]]:
    names = {"Msg", "JournalError", "UsageError", "LocalizedError", "LogError",
             "KeyedValueError", "ExpressionLimit", "ExerciseError", "SubmissionError",
             "JournalRefusal", "helptext"}
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and _name(node) in names and node.args:
            yield node.lineno, node


def test_every_key_the_code_names_has_a_text_and_gets_its_values() -> None:
    """A key with no catalogue entry would show the key itself, a value missing for a
    placeholder would stop the program; a dynamic key (`f"load.what.{label}"`) must at
    least have entries under its prefix."""
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for line, call in _keyed_calls(path):
            arg, where = call.args[0], f"{path.relative_to(ROOT)}:{line}"
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                if arg.value not in MESSAGES:
                    wrong.append(f"{where}: {arg.value} has no text")
                    continue
                if any(k.arg is None for k in call.keywords):
                    continue  # **values: checked where they are made
                given = {k.arg for k in call.keywords if k.arg is not None}
                needed = _fields(MESSAGES[arg.value]["nl"])
                if needed - given or (given - needed and len(call.args) == 1):
                    wrong.append(f"{where}: {arg.value} takes {sorted(needed)}, "
                                 f"given {sorted(given)}")
            elif isinstance(arg, ast.JoinedStr) and isinstance(arg.values[0], ast.Constant):
                prefix = str(arg.values[0].value)
                if not any(key.startswith(prefix) for key in MESSAGES):
                    wrong.append(f"{where}: {prefix}… has no text")
    assert not wrong, "\n".join(wrong)


def test_pydantic_never_speaks_for_itself() -> None:
    """pydantic's own sentences ("Field required", "Input should be …") never reach a user:
    every error type the loader meets is rendered from its type and context."""
    english = re.compile(r"Field required|Extra inputs|Input should|Value error|"
                         r"Assertion failed|String should|List should")
    for path in GUARDED:
        text = path.read_text(encoding="utf-8")
        assert "err[\"msg\"]" not in text and "error[\"msg\"]" not in text and \
            "first['msg']" not in text, path
        assert not english.search(text), path


HELP_WORDS = ("help", "description", "metavar", "epilog", "usage")
"""The keywords of argparse whose text users read in `--help` and usage errors."""


def _help_literals(path: Path) -> Iterator[tuple[int, str]]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            for keyword in node.keywords:
                if keyword.arg in HELP_WORDS and _literal_text(keyword.value):
                    yield node.lineno, f"{keyword.arg}={_literal_text(keyword.value)!r}"


def test_every_help_text_of_the_command_line_is_a_key() -> None:
    """`--help` speaks the user's language: each `help=`, `description=` (and a word in the
    usage line, `metavar=`) of every CLI module comes from the catalogue (`helptext(key)`),
    never a literal; a metavar that is a name in both languages (`URL`, `ID`, `SCENARIO`)
    is the only literal allowed."""
    same = {"URL", "ID", "SCENARIO"}
    found = [f"{path.relative_to(ROOT)}:{line}: {text}"
             for path in sorted((PACKAGE / "cli").glob("*.py"))
             for line, text in _help_literals(path)
             if text.removeprefix("metavar=").strip("'") not in same]
    assert not found, "\n".join(found)


def test_the_help_guard_would_catch_a_literal(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text('p.add_argument("--x", help="the x")\n'
                      'p.add_argument("log", metavar="LOG", help=helptext("cli.help.log"))\n'
                      'sub.add_parser("y", description=f"why {n}")\n', encoding="utf-8")
    assert [text for _, text in _help_literals(sample)] == [
        "help='the x'", "metavar='LOG'", "description='why '"]


def test_the_guard_would_catch_an_english_sentence(tmp_path: Path) -> None:
    """The scan above is not vacuous: the old spelling of a refusal is found."""
    sample = tmp_path / "sample.py"
    sample.write_text('def f(path):\n    raise JournalError(f"{path}: no such file")\n'
                      'def g():\n    raise SomethingElse("the log is broken")\n'
                      'def h(p):\n    return Problem(p, 1, 1, "expected a list")\n'
                      'def k(path):\n    raise JournalError("jr.no_file", path=path)\n')
    flagged = [name for _, name, arg in _calls(sample) if PROSE.search(_literal_text(arg))]
    assert flagged == ["JournalError", "SomethingElse", "Problem"]


# -- what users see --------------------------------------------------------------------
SCENARIOS = ROOT / "scenarios"
FIELDS_BROKEN = """\
format: 1
id: kapot
title: Kapot
start: 2027-03-14T06:00:00+01:00
roles: [burgemeester, politie]
injects:
  - id: melding
    at: tien minuten
    from: Meldkamer
    to: [burgemeester]
    channel: melding
    colour: rood
"""
ROLE_UNKNOWN = """\
format: 1
id: rol
title: Rol
start: 2027-03-14T06:00:00+01:00
roles: [burgemeester, politie]
injects:
  - {id: melding, at: 10m, from: Meldkamer, to: [burgemeestr, politie], title: Melding,
     channel: melding}
"""
DUTCH = [
    "kapot.yaml:7:5: injects[melding]: sleutel 'title' ontbreekt",
    "kapot.yaml:8:9: injects[melding].at: 'tien minuten' is geen duur; schrijf bijvoorbeeld "
    "45m, 2h, 1h30m of 1d6h",
    "kapot.yaml:12:5: onbekende sleutel 'colour'; een inject kent: id, at, after, when, "
    "manual, if, phase, from, to, channel, title, text, facilitator, objectives, expect, "
    "reliability, tags, relates, attachments, area, classification, need_to_know, effects",
    "rol.yaml:5:9: waarschuwing: rol 'burgemeester' doet mee, maar krijgt geen inject en geen "
    "besluit",
    "rol.yaml:7:50: onbekende rol 'burgemeestr' (bedoelt u 'burgemeester'?)",
]
ENGLISH = [
    "kapot.yaml:7:5: injects[melding]: missing key 'title'",
    "kapot.yaml:8:9: injects[melding].at: 'tien minuten' is not a duration; write e.g. 45m, "
    "2h, 1h30m or 1d6h",
    "kapot.yaml:12:5: unknown key 'colour'; an inject takes: id, at, after, when, manual, if, "
    "phase, from, to, channel, title, text, facilitator, objectives, expect, reliability, "
    "tags, relates, attachments, area, classification, need_to_know, effects",
    "rol.yaml:5:9: warning: role 'burgemeester' takes part but receives no inject and no "
    "decision",
    "rol.yaml:7:50: unknown role 'burgemeestr' (did you mean 'burgemeester'?)",
]


@pytest.fixture
def broken(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    (tmp_path / "kapot.yaml").write_text(FIELDS_BROKEN, encoding="utf-8")
    (tmp_path / "rol.yaml").write_text(ROLE_UNKNOWN, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return ["validate", "--roles", str(ROOT / "roles"), "kapot.yaml", "rol.yaml"]


def _validate(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[list[str], str]:
    assert main(list(args)) == 1
    out, err = capsys.readouterr()
    return out.splitlines(), err.strip()


def test_validate_speaks_dutch_by_default(broken: list[str],
                                          capsys: pytest.CaptureFixture[str]) -> None:
    lines, summary = _validate(capsys, *broken)
    assert lines == DUTCH
    assert summary == "2 bestanden: 4 fouten, 1 waarschuwing"


@pytest.mark.parametrize("how", ["--lang", "TABLETOP_LANG"])
def test_validate_speaks_english_when_asked(broken: list[str], how: str,
                                            capsys: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    if how == "--lang":
        broken = ["--lang", "en", *broken]
    else:
        monkeypatch.setenv("TABLETOP_LANG", "en")
    lines, summary = _validate(capsys, *broken)
    assert lines == ENGLISH
    assert summary == "2 files: 4 errors, 1 warning"


def test_the_same_problem_keeps_its_place_in_both_languages() -> None:
    problem = Problem("s.yaml", 3, 7, Msg("load.unknown_ref", what=Msg("load.what.role"),
                                          value="x", hint=Msg("load.hint", word="om")),
                      "warning")
    assert problem.render("nl") == "s.yaml:3:7: waarschuwing: onbekende rol 'x' (bedoelt u 'om'?)"
    assert problem.render("en") == "s.yaml:3:7: warning: unknown role 'x' (did you mean 'om'?)"


@pytest.mark.parametrize("text", [
    "format: 1\nid: x\ntitle: X\nstart: nooit\nroles: [om]\n",
    "format: 1\nid: X_Y\ntitle: X\nstart: 2027-03-14T06:00:00+01:00\nroles: [om]\n",
    "format: 1\nid: x\ntitle: X\nstart: 2027-03-14T06:00:00+01:00\nroles: om\nextra: 1\n",
    "format: 7\nid: x\ntitle: [X]\nstart: 2027-03-14T06:00:00+01:00\nroles: [om]\n",
    "format: 1\nid: x\ntitle: X\nstart: 2027-03-14T06:00:00+01:00\nroles: [om]\n"
    "state:\n  a: {label: A, initial: 5, min: 9}\n"
    "injects:\n  - {id: i, at: -5m, title: T, from: f, to: [om], if: 'a ==', tags: 3}\n",
])
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_pydantic_english_never_reaches_the_user(tmp_path: Path, text: str, lang: str,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    assert main(["--lang", lang, "validate", "--roles", str(ROOT / "roles"), str(path)]) == 1
    out = capsys.readouterr().out
    assert out.count(f"{path}:") == len(out.splitlines()) >= 1
    assert not re.search(r"Input should|Field required|Extra inputs|Value error|"
                         r"valid integer|should have", out), out
    if lang == "nl":
        assert not re.search(r"\b(expected|unknown|missing|not a|found)\b", out), out


def _log(tmp_path: Path) -> Path:
    log = tmp_path / "oefening.jsonl"
    data = ROOT / "tests" / "data" / "journal"
    assert main(["run", str(data / "oefening.yaml"), "--decisions",
                 str(data / "oefening.decisions.yaml"), "--log", str(log)]) == 0
    return log


def test_verify_of_a_tampered_log_in_both_languages(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    log = _log(tmp_path)
    capsys.readouterr()
    assert main(["verify", str(log)]) == 0
    out = capsys.readouterr().out
    assert f"{log}: " in out and "regels, hashketen intact" in out and "lines" not in out
    lines = log.read_bytes().split(b"\n")
    lines[3] = lines[3].replace(b'"t":', b'"t": ', 1)  # same value, other bytes: chain broken
    log.write_bytes(b"\n".join(lines))
    assert main(["verify", str(log)]) == 1
    assert capsys.readouterr().err.strip() == f"{log}: regel 5: hashketen verbroken"
    assert main(["--lang", "en", "verify", str(log)]) == 1
    assert capsys.readouterr().err.strip() == f"{log}: line 5: hash chain broken"


def test_a_refused_resume_is_said_in_the_chosen_language(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    log = _log(tmp_path)
    decisions = tmp_path / "leeg.yaml"
    decisions.write_text("[]\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["resume", str(log), "--decisions", str(decisions)]) == 1
    assert "de oefening is afgelopen" in capsys.readouterr().err
    assert main(["resume", "--lang", "en", str(log), "--decisions", str(decisions)]) == 1
    assert "the exercise ended at line" in capsys.readouterr().err


def test_usage_errors_in_both_languages(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["replay", "bestaat-niet.jsonl"]) == 2
    assert capsys.readouterr().err.strip() == "tabletop: bestaat-niet.jsonl: logboek bestaat niet"
    assert main(["--lang", "en", "replay", "bestaat-niet.jsonl"]) == 2
    assert capsys.readouterr().err.strip() == "tabletop: bestaat-niet.jsonl: no such log"


def test_a_value_not_given_shows_its_name_rather_than_stopping_the_program() -> None:
    assert Msg("jr.no_code", path="codes").render("en") == "codes: no code for seat '{seat}'"
    assert Msg("jr.no_code", path="codes", seat="om").render("nl") == \
        "codes: geen code voor plaats 'om'"


def test_numbers_in_messages_are_written_as_the_language_writes_them() -> None:
    from tabletop.errors import Number

    msg = Msg("load.yaml.too_big", size=Number(2.5, 1), limit=Number(20_000))
    assert msg.render("nl") == "het bestand is 2,5 MiB; de grens is 20.000 MiB"
    assert msg.render("en") == "the file is 2.5 MiB; the limit is 20,000 MiB"
    assert Msg.from_json(msg.to_json()) == msg  # kept so in the cache of warnings
