"""`tabletop verify`: a good log passes; tampering and bad logs fail with exit 1 and a message
naming the line; nothing is ever written to the log being checked."""

from __future__ import annotations

import errno
import hashlib
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tabletop.cli import main
from tabletop.journal.signing import own_fingerprint

pytestmark = pytest.mark.usefixtures("english")  # assertions read in English

if TYPE_CHECKING:
    from conftest import Course


def verify(log: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str]:
    before = log.read_bytes() if log.is_file() else None
    code = main(["verify", str(log), *extra])
    out = capsys.readouterr()
    text = (out.out + out.err).strip()
    assert "Traceback" not in text
    if before is not None:
        assert log.read_bytes() == before, "verify changed the log"
    return code, text


def lines_of(log: Path) -> list[bytes]:
    return log.read_bytes().splitlines(keepends=True)


def rechain(lines: list[bytes], keep_signatures: bool = False) -> list[bytes]:
    """Recompute every `prev` (a forger who knows the format).

    Without `keep_signatures` the checkpoints and the header's key go too: the log becomes
    an unsigned one, as older programs wrote, so that what re-simulation catches is tested.
    """
    if not keep_signatures:
        header = json.loads(lines[0])
        header.pop("signer", None)
        lines = [json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode() + b"\n",
                 *(raw for raw in lines[1:] if b'"type":"checkpoint"' not in raw)]
    out = [lines[0]]
    for raw in lines[1:]:
        obj = json.loads(raw)
        if not keep_signatures:
            obj["seq"] = len(out)
        obj["prev"] = hashlib.sha256(out[-1].rstrip(b"\n")).hexdigest()
        out.append(json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode() + b"\n")
    return out


def test_a_good_log_verifies(logged: Course, capsys: pytest.CaptureFixture[str]) -> None:
    code, text = verify(logged.log, capsys)
    lines = lines_of(logged.log)
    n = len(lines)
    commands = sum(1 for line in lines if b'"type":"command"' in line)
    events = sum(1 for raw in lines[1:] if b'"type":"checkpoint"' not in raw) - commands
    first, second = text.splitlines()
    assert (code, first) == (0, f"{logged.log}: {n} lines, hash chain intact, "
                                f"{commands} commands replayed, re-simulation matches all "
                                f"{events} events")
    head = hashlib.sha256(lines[-1].rstrip(b"\n")).hexdigest()
    assert second == f"signed by {own_fingerprint()} (this installation's key); final chain " \
                     f"head {head}"


def test_an_unsigned_log_verifies_and_says_what_it_cannot_prove(
        logged: Course, capsys: pytest.CaptureFixture[str]) -> None:
    logged.log.write_bytes(b"".join(rechain(lines_of(logged.log))))
    code, text = verify(logged.log, capsys)
    assert code == 0
    assert "not signed" in text and "cannot show who wrote the log" in text


# -- tampering -----------------------------------------------------------------------------
def test_a_flipped_byte_breaks_the_chain_at_the_next_line(
        logged: Course, capsys: pytest.CaptureFixture[str]) -> None:
    lines = lines_of(logged.log)
    target = 9
    line = lines[target - 1]
    at = line.index(b'"t":') + 4
    lines[target - 1] = line[:at] + bytes([line[at] ^ 0x01]) + line[at + 1:]
    logged.log.write_bytes(b"".join(lines))
    assert verify(logged.log, capsys) == (1, f"{logged.log}: line {target + 1}: hash chain broken")


def test_a_flipped_byte_that_breaks_the_json_names_its_line(
        logged: Course, capsys: pytest.CaptureFixture[str]) -> None:
    lines = lines_of(logged.log)
    lines[4] = lines[4].replace(b"{", b"[", 1)
    logged.log.write_bytes(b"".join(lines))
    assert verify(logged.log, capsys) == (
        1, f"{logged.log}: line 5: not valid JSON (the log was damaged)")


def test_a_flipped_byte_in_the_last_line_is_caught_by_resimulation(
        logged: Course, capsys: pytest.CaptureFixture[str]) -> None:
    lines = rechain(lines_of(logged.log))  # unsigned: a signed log fails on its signature
    last = len(lines)
    lines[-1] = lines[-1].replace(b'"outcome":"schade"', b'"outcome":"schadf"')
    logged.log.write_bytes(b"".join(lines))
    code, text = verify(logged.log, capsys)
    assert code == 1
    assert text == (f"{logged.log}: line {last}: the engine produced end schade where the log "
                    "has end schadf (field 'outcome')")


def test_a_deleted_line_is_named(logged: Course, capsys: pytest.CaptureFixture[str]) -> None:
    lines = lines_of(logged.log)
    del lines[11]
    logged.log.write_bytes(b"".join(lines))
    assert verify(logged.log, capsys) == (1, f"{logged.log}: line 12: hash chain broken")


def test_a_reordered_line_is_named(logged: Course, capsys: pytest.CaptureFixture[str]) -> None:
    lines = lines_of(logged.log)
    lines[6], lines[7] = lines[7], lines[6]
    logged.log.write_bytes(b"".join(lines))
    assert verify(logged.log, capsys) == (1, f"{logged.log}: line 7: hash chain broken")


def test_an_edited_and_rechained_decision_is_caught_by_resimulation(
        logged: Course, capsys: pytest.CaptureFixture[str]) -> None:
    lines = rechain(lines_of(logged.log))
    number = next(i + 1 for i, raw in enumerate(lines)
                  if b'"type":"effect"' in raw and b'"aanpak/ontruimen"' in raw)
    lines[number - 1] = lines[number - 1].replace(b'"vertrouwen":[70,60]',
                                                  b'"vertrouwen":[70,65]')
    logged.log.write_bytes(b"".join(rechain(lines)))
    code, text = verify(logged.log, capsys)
    assert (code, text) == (1, f"{logged.log}: line {number}: the engine produced effect "
                               f"aanpak/ontruimen where the log has effect aanpak/ontruimen "
                               "(field 'changes')")


def test_a_removed_and_rechained_event_is_caught_by_resimulation(
        logged: Course, capsys: pytest.CaptureFixture[str]) -> None:
    lines = rechain(lines_of(logged.log))
    number = next(i + 1 for i, raw in enumerate(lines) if b'"type":"phase"' in raw)
    del lines[number - 1]
    for i in range(number - 1, len(lines)):  # renumber too
        obj = json.loads(lines[i])
        obj["seq"] -= 1
        lines[i] = json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"
    logged.log.write_bytes(b"".join(rechain(lines)))
    code, text = verify(logged.log, capsys)
    assert code == 1
    assert text == (f"{logged.log}: line {number}: the engine produced phase blokkade where the "
                    "log has inject blokkade")


def test_a_wrong_sequence_number_is_named(logged: Course,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    lines = lines_of(logged.log)
    obj = json.loads(lines[5])
    obj["seq"] = 99
    lines[5] = json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"
    logged.log.write_bytes(b"".join(rechain(lines, keep_signatures=True)))
    assert verify(logged.log, capsys) == (
        1, f"{logged.log}: line 6: sequence number 99 where 5 belongs")


# -- bad logs ------------------------------------------------------------------------------
@pytest.mark.parametrize(("content", "message"), [
    (b"", "the file is empty; not a tabletop log"),
    (b"not json at all\n", "line 1: not valid JSON (the log was damaged)"),
    (b'{"type": "note", "seq": 1}\n', "line 1: no header; not a tabletop log"),
    (b"[1, 2]\n", "line 1: not a JSON object"),
    (b'{"type": "header", "format": 3, "scenario": {}, "seed": 0, "participants": {}}\n',
     "written in journal format 3 by a newer tabletop; this one reads format 2"),
    (b'{"type": "header", "format": 1, "seed": 0, "participants": {}}\n',
     "line 1: the header lacks 'scenario'"),
    (b'{"type": "header", "format": 1, "scen', "line 1: incomplete header; not a tabletop log"),
    (b"\xff\xfe\n", "line 1: not valid JSON (the log was damaged)"),
])
def test_bad_logs_are_refused_with_the_reason(tmp_path: Path, content: bytes, message: str,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    log = tmp_path / "bad.jsonl"
    log.write_bytes(content)
    assert verify(log, capsys) == (1, f"{log}: {message}")


def test_a_missing_log_or_a_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nope.jsonl"
    assert verify(missing, capsys) == (1, f"{missing}: no such file")
    assert verify(tmp_path, capsys) == (1, f"{tmp_path}: is a folder, not a log")


def test_a_missing_scenario_file(logged: Course, capsys: pytest.CaptureFixture[str]) -> None:
    moved = logged.scenario.with_name("elders.yaml")
    logged.scenario.rename(moved)
    assert verify(logged.log, capsys) == (
        1, f"{logged.log}: the scenario it was written with is missing: "
           f"{logged.scenario.resolve()} (give it with --scenario)")
    assert verify(logged.log, capsys, "--scenario", str(moved))[0] == 0


def test_a_changed_scenario(logged: Course, capsys: pytest.CaptureFixture[str]) -> None:
    text = logged.scenario.read_text(encoding="utf-8")
    logged.scenario.write_text(text.replace("title: Oefening voor de tests",
                                            "title: Oefening, herzien"), encoding="utf-8")
    assert verify(logged.log, capsys) == (
        1, f"{logged.log}: scenario changed since this log was written")


def test_an_unreadable_log(logged: Course, capsys: pytest.CaptureFixture[str],
                           monkeypatch: pytest.MonkeyPatch) -> None:
    real = Path.open

    def denied(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self == logged.log:
            raise PermissionError(errno.EACCES, "Permission denied")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", denied)
    assert main(["verify", str(logged.log)]) == 1
    assert capsys.readouterr().err.strip() == f"{logged.log}: cannot be read: permission denied"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="root reads a file whatever its mode")
def test_a_log_without_read_permission(logged: Course,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    logged.log.chmod(0o000)
    try:
        assert main(["verify", str(logged.log)]) == 1
        assert "cannot be read: permission denied" in capsys.readouterr().err
    finally:
        logged.log.chmod(0o600)


def test_a_torn_last_line_fails_verify_and_points_to_resume(
        logged: Course, capsys: pytest.CaptureFixture[str]) -> None:
    n = len(lines_of(logged.log))
    with open(logged.log, "ab") as handle:
        handle.write(b'{"seq":')
    assert verify(logged.log, capsys) == (
        1, f"{logged.log}: line {n + 1}: incomplete last line (the program stopped while "
           "writing it); `tabletop resume` moves it aside")
