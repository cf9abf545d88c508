"""The command-line contract: exit codes (0 fine, 1 problems, 2 usage), located
`FILE:LINE:COL: message` lines, plain output when piped, and never a traceback."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tabletop.cli import main
from tabletop.engine.simulate import available_cpus

pytestmark = pytest.mark.usefixtures("english")  # assertions read in English

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "journal"
SCENARIO = DATA / "oefening.yaml"
COURSE = DATA / "oefening.decisions.yaml"
LOCATED = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<message>.+)$")


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run `tabletop ARGS` in-process: exit code, stdout, stderr (never a traceback)."""
    try:
        code = main(list(args))
    except SystemExit as exc:  # argparse's usage errors
        code = int(exc.code or 0)
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    assert "\x1b[" not in out.out + out.err, "colour codes in piped output"
    return code, out.out, out.err


def located(text: str) -> list[tuple[str, int, int, str]]:
    """Every line of `text` as (file, line, col, message); fails on any other line."""
    out = []
    for line in text.strip().splitlines():
        match = LOCATED.match(line)
        assert match, f"not FILE:LINE:COL: message: {line!r}"
        out.append((Path(match["file"]).name, int(match["line"]), int(match["col"]),
                    match["message"]))
    return out


def test_help_and_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "--version")
    assert code == 0 and out.startswith("tabletop ")
    code, out, _ = cli(capsys, "--help")
    assert code == 0
    for command in ("validate", "schema", "new", "run", "simulate", "log", "verify", "resume"):
        assert command in out


# -- validate ------------------------------------------------------------------------------
def test_validate_clean(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(capsys, "validate", str(SCENARIO)) == (0, "", "1 file: no problems\n")


def test_validate_bundled_content_is_clean(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, "validate", str(ROOT / "scenarios"), str(ROOT / "roles"))
    assert (code, out) == (0, "")
    assert err.strip().endswith("no problems")


def test_validate_errors_are_located_and_exit_1(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "fout.yaml"
    bad.write_text(SCENARIO.read_text("utf-8").replace("owner: burgemeester", "owner: burgemeestr")
                   .replace("title: Oefening voor de tests", "tittle: Oefening"), "utf-8")
    code, out, err = cli(capsys, "validate", str(bad))
    assert code == 1
    problems = located(out)
    text = bad.read_text("utf-8").splitlines()
    tittle = next(i for i, line in enumerate(text) if line.startswith("tittle:")) + 1
    top = text.index("format: 1") + 1
    assert problems == [
        ("fout.yaml", top, 1, "the file: missing key 'title'"),
        ("fout.yaml", tittle, 1, "unknown key 'tittle' (did you mean 'title'?)"),
    ]
    assert err.strip() == "1 file: 2 errors, 0 warnings"
    bad.write_text(SCENARIO.read_text("utf-8").replace("owner: burgemeester",
                                                       "owner: burgemeestr"), "utf-8")
    code, out, _ = cli(capsys, "validate", str(bad))
    owner = next(i for i, line in enumerate(bad.read_text("utf-8").splitlines())
                 if "owner: burgemeestr" in line) + 1
    assert (code, located(out)) == (1, [("fout.yaml", owner, 12, "unknown role 'burgemeestr' "
                                                                  "(did you mean "
                                                                  "'burgemeester'?)")])


def test_validate_strict_makes_warnings_errors(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    warned = tmp_path / "waarschuwing.yaml"
    warned.write_text(SCENARIO.read_text("utf-8").replace(
        "roles: [burgemeester, politie, om, voorzitter-vr]",
        "roles: [burgemeester, politie, om, voorzitter-vr, defensie]"), "utf-8")
    code, out, err = cli(capsys, "validate", str(warned))
    assert code == 0
    [(name, line, col, message)] = located(out)
    assert (name, line, message) == ("waarschuwing.yaml", 9, "warning: role 'defensie' takes "
                                     "part but receives no inject and no decision")
    assert err.strip() == "1 file: 0 errors, 1 warning"
    code, out2, _ = cli(capsys, "validate", "--strict", str(warned))
    assert (code, out2) == (1, out)


def test_validate_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "leeg"
    empty.mkdir()
    code, out, err = cli(capsys, "validate", str(empty), str(tmp_path / "nergens.yaml"))
    assert (code, out) == (2, "")
    assert err.splitlines() == [f"{empty}: no .yaml files in this folder",
                                f"{tmp_path / 'nergens.yaml'}: no such file or folder"]
    code, _, err = cli(capsys, "validate")
    assert code == 2 and "the following arguments are required: PATH" in err


def test_schema(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "schema")
    assert code == 0 and json.loads(out)["title"] == "tabletop scenario"
    code, out, _ = cli(capsys, "schema", "roles")
    assert code == 0 and "Role" in json.loads(out)["$defs"]
    code, _, err = cli(capsys, "schema", "bogus")
    assert code == 2 and "invalid choice: 'bogus'" in err


def test_new_writes_a_file_that_validates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert cli(capsys, "new", "oefening-noord")[0] == 0
    assert cli(capsys, "validate", "--strict", "oefening-noord.yaml")[0] == 0
    code, _, err = cli(capsys, "new", "oefening-noord")
    assert code == 2 and "already exists" in err


# -- run -----------------------------------------------------------------------------------
def test_run_plays_the_course_and_prints_the_timeline(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, "--lang", "nl", "run", str(SCENARIO), "--decisions", str(COURSE))
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].startswith("T+00:10  INJECT")
    assert any(line.startswith("T+00:45  BESLUIT ") for line in lines)
    assert lines[-2].startswith("T+06:00  EINDE")


def test_run_without_decisions_takes_every_default(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "--lang", "nl", "run", str(SCENARIO))
    assert code == 0
    assert "standaard na termijn" in out
    assert out.count("[termijn]") == 2  # `aanpak`, then `inzet`; `opschalen` never opens
    assert "Schaalt u op?" not in out


def test_run_auto_plays_roles_and_refuses_unknown_ones(tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    log = tmp_path / "auto.jsonl"
    assert cli(capsys, "run", str(SCENARIO), "--auto", "burgemeester", "--log", str(log))[0] == 0
    header = json.loads(log.read_bytes().splitlines()[0])
    assert "burgemeester" not in header["participants"]
    simulated = [json.loads(raw) for raw in log.read_bytes().splitlines()[1:]
                 if b'"simulated":true' in raw and b'"type":"decision"' in raw]
    assert simulated and simulated[0]["by"] == "burgemeester"
    code, _, err = cli(capsys, "run", str(SCENARIO), "--auto", "koning")
    assert code == 2
    assert err.strip() == ("tabletop: --auto koning: no such role in this scenario "
                           "(burgemeester, politie, om, voorzitter-vr)")


def test_run_refuses_to_overwrite_a_log(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    log = tmp_path / "bestaat.jsonl"
    log.write_text("mijn log\n")
    code, out, err = cli(capsys, "run", str(SCENARIO), "--log", str(log))
    assert (code, out) == (1, "")
    assert err.strip() == (f"tabletop: {log}: already exists; a log is never overwritten (use "
                           "`tabletop resume` to continue it)")
    assert log.read_text() == "mijn log\n"


def test_run_a_scenario_with_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "s.yaml"
    bad.write_text(SCENARIO.read_text("utf-8").replace("at: 10m", "at: soon"), "utf-8")
    code, out, _ = cli(capsys, "run", str(bad))
    assert code == 1
    [(_, line, col, message)] = located(out)
    assert message.endswith("'soon' is not a duration; write e.g. 45m, 2h, 1h30m or 1d6h")
    code, out, _ = cli(capsys, "run", str(tmp_path / "nergens.yaml"))
    assert (code, out.strip()) == (1, f"{tmp_path / 'nergens.yaml'}: no such file")


BAD_DECISIONS = [
    ("not yaml", "- decision: aanpak\n  option: [ontruimen\n", [
        (3, 1, "YAML syntax error: did not find expected ',' or ']'")]),
    ("a mapping", "decision: aanpak\noption: ontruimen\n", [
        (1, 1, "expected a list of entries (- decision: ...)")]),
    ("no entry key", "- {choice: aanpak}\n", [
        (1, 3, "[0]: an entry starts with one of: decision, note, release, met, skip, "
               "observation, adhoc, flag, end, step, until, clock, adjust, extend")]),
    ("unknown key", "- {decision: aanpak, option: ontruimen, rationle: x}\n", [
        (1, 41, "unknown key 'rationle' (did you mean 'rationale'?)")]),
    ("a flag that is not a boolean", "- {note: x, lovp: misschien}\n", [
        (1, 19, "[0].lovp: expected true or false, found 'misschien'")]),
    ("bad time", "- {decision: aanpak, option: ontruimen, at: soon}\n", [
        (1, 45, "[0].at: 'soon' is not a duration; write e.g. 45m, 2h, 1h30m or 1d6h")]),
    ("unknown ids", """\
- decision: aanpk
  option: ontruimen
- decision: aanpak
  option: ontruime
  by: burgemeestr
  advice: {politiee: ontruimen}
- release: perss
- met: overbodig
- observation: Goed
  inject: meldin
""", [
        (1, 13, "unknown decision 'aanpk' (did you mean 'aanpak'?)"),
        (4, 11, "decision 'aanpak' has no option 'ontruime' (did you mean 'ontruimen'?)"),
        (5, 7, "unknown role 'burgemeestr' (did you mean 'burgemeester'?)"),
        (6, 11, "unknown role 'politiee' in advice (did you mean 'politie'?)"),
        (7, 12, "unknown inject 'perss' (did you mean 'pers'?)"),
        (8, 8, "inject 'overbodig' expects nothing; there is nothing to meet"),
        (10, 11, "unknown inject 'meldin' (did you mean 'melding'?)"),
    ]),
    ("a bad rating", "- {observation: Goed, rating: X}\n", [
        (1, 31, "[0].rating: 'X' is not allowed here (expected 'P', 'S', 'M' or 'U')")]),
    ("duplicate decision", """\
- {decision: aanpak, option: ontruimen, by: burgemeester}
- {decision: aanpak, option: gedogen, by: burgemeester}
""", [(2, 14, "decision 'aanpak' is already scripted at line 1")]),
    ("option not offered", "- {decision: woord, option: ja, by: burgemeester}\n", [
        (1, 29, "decision 'woord' has no option 'ja' (it is an open question: answer:)")]),
    ("no option", "- {decision: aanpak, by: burgemeester}\n", [
        (1, 14, "decision 'aanpak' needs an option (ontruimen, gedogen, wachten)")]),
    ("no answer", "- {decision: woord, by: burgemeester}\n", [
        (1, 14, "decision 'woord' is an open question: give answer:")]),
]


@pytest.mark.parametrize(("text", "problems"), [case[1:] for case in BAD_DECISIONS],
                         ids=[case[0] for case in BAD_DECISIONS])
def test_bad_decisions_files_are_located_and_exit_1(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str,
        problems: list[tuple[int, int, str]]) -> None:
    path = tmp_path / "besluiten.yaml"
    path.write_text(text, encoding="utf-8")
    code, out, _ = cli(capsys, "run", str(SCENARIO), "--decisions", str(path))
    assert code == 1
    assert located(out) == [("besluiten.yaml", *p) for p in problems]


@pytest.mark.parametrize(("text", "line", "message"), [
    ("- {decision: aanpak, option: gedogen, by: burgemeester, at: 20m}\n", 1,
     "decision 'aanpak' has not opened yet (minute 20)"),
    ("- {decision: aanpak, option: gedogen, by: burgemeester, at: 2h}\n", 1,
     "decision 'aanpak' was already settled at its deadline at 1h25m"),
    ("- {note: a, at: 2h}\n- {note: b, at: 1h}\n", 2,
     "at 1h lies before the story's current time 2h (keep entries in time order)"),
    ("- {decision: opschalen, option: ja, by: burgemeester}\n", 1,
     "the story ended at 6h before this entry"),
    ("- {release: pers, at: 10m}\n- {release: pers, at: 20m}\n", 2,
     "inject 'pers' was already delivered"),
    ("- {note: x, question: nafase/1}\n", 1, "no discussion question 'nafase/1' (write phase/N)"),
])
def test_entries_that_cannot_happen_when_played_are_located(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, line: int,
        message: str) -> None:
    path = tmp_path / "besluiten.yaml"
    path.write_text(text, encoding="utf-8")
    code, out, _ = cli(capsys, "--lang", "en", "run", str(SCENARIO), "--decisions", str(path))
    assert code == 1
    assert located(out.splitlines()[-1]) == [("besluiten.yaml", line, 3, message)]


def test_an_entry_that_cannot_be_played_is_told_in_dutch_by_default(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "besluiten.yaml"
    path.write_text("- {release: pers, at: 10m}\n- {release: pers, at: 20m}\n", encoding="utf-8")
    code, out, _ = cli(capsys, "--lang", "nl", "run", str(SCENARIO), "--decisions", str(path))
    assert code == 1
    assert located(out.splitlines()[-1]) == [("besluiten.yaml", 2, 3,
                                             "inject 'pers' is al verstuurd")]


def test_a_decision_taken_without_gezag_is_played(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "besluiten.yaml"
    path.write_text("- {decision: aanpak, option: gedogen, by: om}\n", encoding="utf-8")
    code, out, _ = cli(capsys, "--lang", "nl", "run", str(SCENARIO), "--decisions", str(path))
    assert code == 0
    assert "[bevoegdheid]" in out


# -- simulate ------------------------------------------------------------------------------
@pytest.mark.parametrize(("args", "message"), [
    (["--runs", "0"], "tabletop: --runs must be at least 1 (got 0)"),
    (["--runs", "-5"], "tabletop: --runs must be at least 1 (got -5)"),
    (["--runs", "5", "--jobs", "0"], "tabletop: --jobs must be at least 1 (got 0)"),
    (["--runs", "5", "--jobs", "-1"], "tabletop: --jobs must be at least 1 (got -1)"),
    (["--runs", "5", "--jobs", "4096"],
     f"tabletop: --jobs 4096 is more than this machine's {available_cpus()} CPUs"),
    (["--runs", "5", "--seed", "-1"], "tabletop: --seed must be 0 or more (got -1)"),
])
def test_simulate_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], args: list[str],
                                      message: str) -> None:
    code, out, err = cli(capsys, "simulate", str(SCENARIO), *args)
    assert (code, out, err.strip()) == (2, "", message)


@pytest.mark.parametrize("args", [["--runs", "x"], [], ["--runs", "3", "--policy", "best"]])
def test_simulate_bad_arguments_exit_2(capsys: pytest.CaptureFixture[str],
                                       args: list[str]) -> None:
    code, out, err = cli(capsys, "simulate", str(SCENARIO), *args)
    assert (code, out) == (2, "")
    assert err.startswith("usage: tabletop simulate")


def simulate_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    code, out, err = cli(capsys, "simulate", str(SCENARIO), "--json", *args)
    assert (code, err) == (0, "")
    return json.loads(out)  # type: ignore[no-any-return]


def test_simulate_json_summary(capsys: pytest.CaptureFixture[str]) -> None:
    summary = simulate_json(capsys, "--runs", "60", "--seed", "4")
    assert {"runs", "outcomes", "dilemmas", "never_fired", "never_chosen",
            "runs_per_second"} <= set(summary)
    assert summary["runs"] == 60 and sum(summary["outcomes"].values()) == 60
    assert set(summary["outcomes"]) <= {"ontsporing", "beheerst", "schade"}
    kinds = {"bevoegdheid", "overlap", "doel", "advies", "instemming", "verdeeld",
             "informatie", "schaarste", "termijn"}
    assert set(summary["dilemmas"]["kinds"]) == kinds == set(summary["kind_shares"])
    assert all(summary["kind_shares"][k] == round(n / 60, 4)
               for k, n in summary["dilemmas"]["kinds"].items())
    for choices in summary["per_decision"].values():  # decision -> choice -> kind -> runs
        assert all(set(found) <= kinds and all(0 < n <= 60 for n in found.values())
                   for found in choices.values())
    assert set(summary["dilemmas"]["authored"]) == {"doorgang"}
    assert summary["runs_per_second"] > 0
    assert set(summary["never_fired"]) <= {"rappel", "pers", "blokkade", "escalatie",
                                           "overbodig", "melding"}
    assert all("/" in pair for pair in summary["never_chosen"])


def test_simulate_default_policy_covers_less(capsys: pytest.CaptureFixture[str]) -> None:
    summary = simulate_json(capsys, "--runs", "5", "--policy", "default")
    assert summary["outcomes"] == {"beheerst": 5} or len(summary["outcomes"]) == 1
    assert "aanpak/ontruimen" in summary["never_chosen"]
    assert "pers" in summary["never_fired"]  # only the random policy plays the facilitator


def without_timing(summary: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in summary.items() if k not in ("seconds", "runs_per_second", "jobs")}


@pytest.mark.skipif(available_cpus() < 2, reason="needs 2 CPUs")
def test_simulate_jobs_give_the_same_result_as_one(capsys: pytest.CaptureFixture[str]) -> None:
    one = simulate_json(capsys, "--runs", "120", "--seed", "11")
    two = simulate_json(capsys, "--runs", "120", "--seed", "11", "--jobs", "2")
    assert (one["jobs"], two["jobs"]) == (1, 2)
    assert without_timing(one) == without_timing(two)
    other = simulate_json(capsys, "--runs", "120", "--seed", "12")
    assert without_timing(other) != without_timing(one)


def test_simulate_plain_summary(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, "simulate", str(SCENARIO), "--runs", "20")
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == "Oefening voor de tests — 20 runs, policy random, seed 0"
    assert "never fired:" in out and "runs/s" in out


# -- log, verify, resume -------------------------------------------------------------------
@pytest.fixture
def log_with_names(tmp_path: Path) -> Path:
    """A log whose header names the participants and the facilitator."""
    from tabletop.engine.script import play_script
    from tabletop.journal.session import LiveSession, SessionSettings
    from tabletop.model.loading import load_scenario
    from tabletop.model.scripted import load_script

    scenario = tmp_path / SCENARIO.name
    shutil.copy(SCENARIO, scenario)
    loaded = load_scenario(scenario)
    log = tmp_path / "namen.jsonl"
    session = LiveSession.start(loaded, SessionSettings(participants={
        "burgemeester": "Marga Westland", "politie": "Kees Hoorn", "om": "",
        "voorzitter-vr": "Ida Zeeman"}, facilitator="Pieter Pauw", region="Zeeland"), log)
    play_script(session.exercise, load_script(COURSE, loaded), session.apply)
    session.close()
    return log


def test_log_prints_the_timeline_with_names(log_with_names: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "log", str(log_with_names))
    assert code == 0
    assert out.splitlines()[0] == "Oefening voor de tests — oefening"
    assert "Pieter Pauw" in out.splitlines()[1] and "Zeeland" in out.splitlines()[1]
    assert "Burgemeester (Marga Westland)" in out or "BM (Marga Westland)" in out
    assert "T+00:55  NOTITIE      Wie vraagt de bijstand aan? [voor het LOVP]" in out


def test_log_anonymise_shows_roles_not_names(log_with_names: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "log", str(log_with_names), "--anonymise")
    assert code == 0
    for name in ("Marga", "Westland", "Kees", "Ida Zeeman", "Pieter Pauw"):
        assert name not in out
    assert "BM" in out and "VZVR" in out
    code, out, _ = cli(capsys, "log", str(log_with_names), "--json", "--anonymise")
    assert code == 0
    # Keys, signatures and hashes are base64 or hex: a random one may spell "Ida".
    crypto = {"key", "sig", "fingerprint", "hash", "prev", "head"}

    def texts(value: object) -> list[str]:
        if isinstance(value, str):
            return [value]
        if isinstance(value, dict):
            return [t for k, v in value.items() if k not in crypto for t in texts(v)]
        if isinstance(value, list):
            return [t for v in value for t in texts(v)]
        return []

    shown = " ".join(t for line in out.splitlines() for t in texts(json.loads(line)))
    assert "Kees" in " ".join(texts(json.loads(log_with_names.read_text().splitlines()[0])))
    for name in ("Marga", "Kees", "Ida", "Pieter"):
        assert name not in shown
    header = json.loads(out.splitlines()[0])
    assert header["participants"] == {"burgemeester": "", "politie": "", "om": "",
                                      "voorzitter-vr": ""}


def test_log_json_gives_every_line(log_with_names: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "log", str(log_with_names), "--json")
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    raw = [json.loads(line) for line in log_with_names.read_bytes().splitlines()]
    raw = [obj for obj in raw if obj["type"] != "checkpoint"]  # signatures: `verify` checks them
    assert rows[0]["type"] == "header" and rows[0]["participants"]["burgemeester"] == \
        "Marga Westland"
    assert len(rows) == len(raw)
    for row, line in zip(rows[1:], raw[1:], strict=True):
        assert row == {k: v for k, v in line.items() if k != "prev"}


def test_log_of_a_bad_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "kapot.jsonl"
    bad.write_text("geen json\n")
    assert cli(capsys, "log", str(bad)) == (
        1, "", f"tabletop: {bad}: line 1: not valid JSON (the log was damaged)\n")


def test_log_without_its_scenario_still_shows_ids(log_with_names: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    (log_with_names.parent / SCENARIO.name).unlink()
    code, out, _ = cli(capsys, "log", str(log_with_names))
    assert code == 0 and "aanpak" in out


def test_verify_and_resume_through_the_cli(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    log = tmp_path / "o.jsonl"
    assert cli(capsys, "run", str(SCENARIO), "--decisions", str(COURSE), "--log",
               str(log))[0] == 0
    code, out, _ = cli(capsys, "verify", str(log))
    assert code == 0 and "hash chain intact" in out
    lines = log.read_bytes().splitlines(keepends=True)
    log.write_bytes(b"".join(lines[:14]) + lines[14][:20])
    code, _, err = cli(capsys, "verify", str(log))
    assert code == 1 and "line 15: incomplete last line" in err
    code, out, err = cli(capsys, "resume", str(log), "--decisions", str(COURSE))
    assert code == 0 and "line 15 was incomplete" in err
    assert cli(capsys, "verify", str(log))[0] == 0


def test_a_closed_pipe_is_no_traceback(tmp_path: Path) -> None:
    """`tabletop log LOG --json | head -1` stops quietly."""
    from tabletop.journal.writer import JournalWriter, new_header
    from tabletop.model.events import NoteAdded
    from tabletop.model.loading import load_scenario

    log = tmp_path / "groot.jsonl"
    loaded = load_scenario(SCENARIO)
    with JournalWriter.create(log, new_header(loaded, seed=0, participants={})) as writer:
        writer.append_events([NoteAdded(1, "facilitator", "x" * 200) for _ in range(3000)])
    proc = subprocess.Popen([sys.executable, "-m", "tabletop", "log", str(log), "--json"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.readline().startswith(b'{"seq": 0')
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=30) == 1
    assert "Traceback" not in err and err == ""


def test_replay_and_screen_refuse_what_is_not_a_log_before_the_app_opens(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bogus = tmp_path / "notes.jsonl"
    bogus.write_text("hello\n")
    for command in ("replay", "screen"):
        assert main([command, str(bogus)]) == 1
        assert "line 1: not valid JSON" in capsys.readouterr().err
        assert main([command, str(tmp_path / "missing.jsonl")]) == 2
        assert "no such log" in capsys.readouterr().err
