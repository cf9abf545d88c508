"""Finding 3 (terminal control from a log) and finding 5 (crashes on hostile logs): text is
data at every output, and every field of a read-back log is typed, so a bad log is a
located refusal in every command, never a traceback."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tabletop.cli import main
from tabletop.errors import render

pytestmark = pytest.mark.usefixtures("english")  # assertions read in English

if TYPE_CHECKING:
    from conftest import Course

OSC52 = "\x1b]52;c;cm0gLXJmIH4=\x07"
OSC0 = "\x1b]0;gehackt\x1b\\"
OSC8 = "\x1b]8;;https://kwaad.example/\x1b\\klik hier\x1b]8;;\x1b\\"
CLEAR = "\x1b[2J\x1b[3J\x1bc"
C1 = "\x9b2J\x9d0;titel\x9c"
PAYLOAD = f"Begin {OSC52}{OSC0}{OSC8}{CLEAR}{C1} einde"


def unsigned(lines: list[dict[str, Any]]) -> bytes:
    """Lines written with a fresh chain, without checkpoints: a hand-made (or older) log."""
    out: list[bytes] = []
    lines = [obj for obj in lines if obj.get("type") != "checkpoint"]
    lines[0].pop("signer", None)
    for obj in lines:
        obj["seq"] = len(out)
        if out:
            obj["prev"] = hashlib.sha256(out[-1]).hexdigest()
        out.append(json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8",
                                                                                   "surrogatepass"))
    return b"".join(line + b"\n" for line in out)


def objects(log: Path) -> list[dict[str, Any]]:
    return [json.loads(raw) for raw in log.read_bytes().splitlines()]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    out = capsys.readouterr()
    text = out.out + out.err
    assert "Traceback" not in text
    return code, text


def assert_inert(text: str) -> None:
    """Nothing a terminal would act on: no ESC, BEL or C1 character, no lone surrogate."""
    bad = [c for c in text if c in "\x1b\x07" or "\x80" <= c <= "\x9f" or "\ud800" <= c <= "\udfff"]
    assert not bad, f"control characters reached the output: {bad[:5]!r}"


# -- 3: text is data ------------------------------------------------------------------------
def replace_text(value: Any, old: str, new: str) -> Any:
    """Every string equal to `old`, in events and in the commands that caused them."""
    if isinstance(value, dict):
        return {k: replace_text(v, old, new) for k, v in value.items()}
    if isinstance(value, list):
        return [replace_text(v, old, new) for v in value]
    return new if value == old else value


@pytest.fixture
def payload_log(logged: Course) -> Path:
    lines = objects(logged.log)
    lines[0]["title"] = f"Titel {OSC0}"
    lines[0]["facilitator"] = f"Leider {OSC8}"
    note = next(obj for obj in lines if obj["type"] == "note")["text"]
    rationale = next(obj for obj in lines if obj["type"] == "decision" and obj.get("rationale"))
    lines = [replace_text(replace_text(obj, note, PAYLOAD), rationale["rationale"], PAYLOAD)
             for obj in lines]
    path: Path = logged.log
    path.write_bytes(unsigned(lines))
    return path


def test_log_shows_hostile_text_inert(payload_log: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    code, text = run(capsys, "log", str(payload_log))
    assert code == 0
    assert_inert(text)
    assert "Begin klik hier einde" in text  # the words stay, the controls go
    assert "Titel" in text


def test_log_json_escapes_c1_and_keeps_the_text(payload_log: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    code, text = run(capsys, "log", str(payload_log), "--json")
    assert code == 0
    assert_inert(text)
    rows = [json.loads(line) for line in text.splitlines()]
    assert any(row.get("text") == PAYLOAD for row in rows)  # escaped, not altered


def test_verify_and_report_show_hostile_text_inert(payload_log: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    code, text = run(capsys, "verify", str(payload_log))
    assert code == 0 and "not signed" in text
    assert_inert(text)
    code, text = run(capsys, "report", str(payload_log))
    assert code == 0
    assert_inert(text)
    assert "Begin klik hier einde" in text


def test_verify_messages_echo_ids_inert(logged: Course,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    lines = objects(logged.log)
    inject = next(obj for obj in lines if obj["type"] == "inject")
    inject["inject"] = f"melding{CLEAR}{OSC52}"
    logged.log.write_bytes(unsigned(lines))
    code, text = run(capsys, "verify", str(logged.log))
    assert code == 1 and "the log has inject melding" in text
    assert_inert(text)


def test_validate_messages_echo_hostile_ids_and_titles_inert(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    scenario = tmp_path / "s.yaml"
    scenario.write_text(
        'format: 1\nid: "t\\e]0;x\\a"\ntitle: "T \\e]52;c;aGk=\\a \\e[2J"\n'
        "start: 2027-03-14T06:00:00+01:00\nroles: [burgemeester]\n"
        'injects:\n  - {id: a, at: 1m, from: x, to: [burgemeester], channel: melding, title: A,\n'
        '     after: {event: "b\\e]8;;http://x\\e\\\\y", delay: 1m}}\n', encoding="utf-8")
    code, text = run(capsys, "validate", str(scenario))
    assert code == 1
    assert_inert(text)


def test_the_cli_console_strips_controls_but_keeps_its_own_colours() -> None:
    import io

    from rich.text import Text

    from tabletop.cli.output import _safe_console

    buffer = io.StringIO()
    out = _safe_console()(file=buffer, force_terminal=True, color_system="standard",
                      markup=False, highlight=False)
    out.print(Text(f"rood {PAYLOAD}", style="red"))
    written = buffer.getvalue()
    assert "\x1b[31m" in written  # Rich's own style code
    without_style = written.replace("\x1b[31m", "").replace("\x1b[0m", "")
    assert_inert(without_style)


# -- 5: hostile logs ------------------------------------------------------------------------
def _header(key: str, value: Any) -> Callable[[list[dict[str, Any]]], None]:
    def change(lines: list[dict[str, Any]]) -> None:
        lines[0][key] = value
    return change


def _note(key: str, value: Any) -> Callable[[list[dict[str, Any]]], None]:
    def change(lines: list[dict[str, Any]]) -> None:
        next(obj for obj in lines if obj["type"] == "note")[key] = value
    return change


def _nested(depth: int) -> Any:
    value: Any = "x"
    for _ in range(depth):
        value = [value]
    return value


HOSTILE = [
    ("seed-abc", _header("seed", "abc"),
     "line 1: field 'seed': expected a whole number, found 'abc'"),
    ("seed-huge", _header("seed", 10**30), "line 1: field 'seed'"),
    ("scenario-x", _header("scenario", "x"), "line 1: field 'scenario'"),
    ("parameters-list", _header("parameters", ["x"]), "line 1: field 'parameters'"),
    ("participants-int", _header("participants", {"om": 3}), "line 1: field 'participants.om'"),
    ("lang", _header("lang", "xx"), "line 1: field 'lang'"),
    ("note-null", _note("text", None), "field 'text': expected text, found nothing"),
    ("note-nested", _note("text", _nested(60)), "nested more than 32 deep"),
    ("note-deep", _note("text", "DEEP"), "nested too deeply"),
    ("note-surrogate", _note("text", "a\ud800b"), "field 'text': not valid text"),
    ("note-surrogate-escaped", _note("text", "SURROGATE"), "field 'text': not valid text"),
    ("t-negative", _note("t", -5), "field 't'"),
    ("t-huge", _note("t", 10**17), "field 't'"),
    ("type-unknown", _note("type", "format_c"), "unknown line type"),
    ("by-list", _note("by", ["x"]), "field 'by'"),
]
COMMANDS = [["verify"], ["log"], ["log", "--json"], ["report"], ["resume", "--decisions"],
            ["replay"], ["screen"]]


@pytest.mark.parametrize(("change", "expected"), [case[1:] for case in HOSTILE],
                         ids=[case[0] for case in HOSTILE])
def test_a_hostile_log_is_a_located_refusal_in_every_command(
        logged: Course, capsys: pytest.CaptureFixture[str],
        change: Callable[[list[dict[str, Any]]], None], expected: str) -> None:
    lines = objects(logged.log)
    change(lines)
    body = unsigned(lines)
    # json.dumps cannot write 100,000 levels: put them in by hand
    deep = b"[" * 100_000 + b'"x"' + b"]" * 100_000
    body = body.replace(b'"text":"DEEP"', b'"text":' + deep)
    logged.log.write_bytes(body.replace(b'"SURROGATE"', b'"a\\udc80b"'))
    for command in COMMANDS:
        args = [command[0], str(logged.log), *command[1:]]
        if command[0] == "resume":
            args.append(str(logged.decisions))
        code, text = run(capsys, *args)
        assert code == 1, (command, text)
        assert f"{logged.log}: line " in text and expected in text, (command, text)
        assert_inert(text)


def test_a_giant_log_is_refused_before_it_is_read(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    log = tmp_path / "groot.jsonl"
    with open(log, "wb") as handle:  # sparse: 2 GiB on paper, nothing on disk
        handle.write(b'{"seq":0,"type":"header"}\n')
        handle.truncate(2 * 1024**3)
    read: list[Path] = []
    real = Path.read_bytes

    def spy(self: Path) -> bytes:
        read.append(self)
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", spy)
    for command in (["verify"], ["log"], ["report"], ["replay"]):
        code, text = run(capsys, command[0], str(log))
        assert code == 1 and "more than the 512 MiB a log may have; not read" in text
    assert log not in read


def test_the_home_screen_marks_a_bad_log_and_keeps_listing(
        logged: Course, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tabletop.tui.library import recent_logs

    folder = tmp_path / "logs"
    folder.mkdir()
    good = folder / "goed.jsonl"
    good.write_bytes(logged.log.read_bytes())
    bad_lines = objects(logged.log)
    bad_lines[0]["seed"] = "abc"
    (folder / "slecht.jsonl").write_bytes(unsigned(bad_lines))
    (folder / "diep.jsonl").write_bytes(b"[" * 100_000 + b"\n")
    (folder / "leeg.jsonl").write_bytes(b"")
    monkeypatch.setenv("TABLETOP_LOG_DIR", str(folder))
    entries = {e.path.name: e for e in recent_logs()}
    assert set(entries) == {"goed.jsonl", "slecht.jsonl", "diep.jsonl", "leeg.jsonl"}
    assert entries["goed.jsonl"].problem == "" and entries["goed.jsonl"].title
    events = sum(1 for raw in good.read_bytes().splitlines() if b"checkpoint" not in raw)
    assert entries["goed.jsonl"].lines == events
    assert "veld 'seed'" in str(render(entries["slecht.jsonl"].problem, "nl"))
    assert entries["diep.jsonl"].problem and entries["leeg.jsonl"].problem
    os.utime(folder)


async def test_the_home_screen_starts_with_bad_logs_in_the_folder(
        logged: Course, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from textual.widgets import OptionList

    from tabletop.tui.app import TabletopApp
    from tabletop.tui.screens.home import HomeScreen

    folder = tmp_path / "logs"
    folder.mkdir()
    (folder / "goed.jsonl").write_bytes(logged.log.read_bytes())
    (folder / "diep.jsonl").write_bytes(b"[" * 100_000 + b"\n")
    bad_lines = objects(logged.log)
    bad_lines[0]["scenario"] = "x"
    (folder / "slecht.jsonl").write_bytes(unsigned(bad_lines))
    monkeypatch.setenv("TABLETOP_LOG_DIR", str(folder))
    app = TabletopApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        options = app.screen.query_one("#log-list", OptionList)
        shown = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert len(shown) == 3
        assert sum("bevat fouten" in s for s in shown) == 2, shown
