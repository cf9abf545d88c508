"""Finding 1 (two writers corrupt a log) and finding 2 (forgeries verify): one writer per
log, and signed checkpoints that a forger who recomputes the chain cannot make."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tabletop.cli import main
from tabletop.journal.format import JournalError
from tabletop.journal.reader import read_journal
from tabletop.journal.signing import installation_signer, own_fingerprint
from tabletop.journal.verify import log_seal
from tabletop.journal.writer import JournalWriter

pytestmark = pytest.mark.usefixtures("english")  # assertions read in English

if TYPE_CHECKING:
    from conftest import Course

CLI = [sys.executable, "-c", "import sys; from tabletop.cli import main; sys.exit(main())"]


def cut_after(course: Course, keep: int) -> None:
    lines = course.log.read_bytes().splitlines(keepends=True)
    course.log.write_bytes(b"".join(lines[:keep]))


def verify(log: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str]:
    code = main(["verify", str(log), *extra])
    out = capsys.readouterr()
    text = out.out + out.err
    assert "Traceback" not in text
    return code, text.strip()


def forge(log: Path, old: bytes, new: bytes) -> None:
    """Change one text, then recompute every `prev` after it (signatures kept as they were)."""
    lines = log.read_bytes().splitlines()
    index = next(i for i, raw in enumerate(lines) if old in raw)
    lines[index] = lines[index].replace(old, new)
    for i in range(index + 1, len(lines)):
        obj = json.loads(lines[i])
        obj["prev"] = hashlib.sha256(lines[i - 1]).hexdigest()
        text = json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode()
        lines[i] = text
    log.write_bytes(b"".join(raw + b"\n" for raw in lines))


# -- one writer per log -------------------------------------------------------------------
def test_two_concurrent_resumes_only_one_proceeds_and_the_log_verifies(
        logged: Course, capsys: pytest.CaptureFixture[str]) -> None:
    cut_after(logged, 12)
    go = logged.log.with_name("go")
    # Both processes start, say they are ready, and wait for one signal: then both read the
    # log before either has written to it (a resume needs a re-simulation first).
    wait = ("import sys, time, pathlib; from tabletop.cli import main; "
            "pathlib.Path(sys.argv[1]).touch(); go = pathlib.Path(sys.argv[2]); "
            "[time.sleep(0.01) for _ in range(3000) if not go.exists()]; "
            "sys.exit(main(sys.argv[3:]))")
    ready = [logged.log.with_name(f"ready{i}") for i in range(2)]
    runs = [subprocess.Popen([sys.executable, "-c", wait, str(ready[i]), str(go), "resume",
                              str(logged.log), "--decisions", str(logged.decisions)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env=dict(os.environ)) for i in range(2)]
    for _ in range(3000):
        if all(r.exists() for r in ready):
            break
        time.sleep(0.01)
    go.touch()
    results = [(p.wait(60), p.stderr.read() if p.stderr else "") for p in runs]
    for p in runs:
        for stream in (p.stdout, p.stderr):
            if stream:
                stream.close()
    codes = sorted(code for code, _ in results)
    assert codes == [0, 1], results
    loser = next(err for code, err in results if code == 1)
    assert "Traceback" not in loser
    # the loser found the log in use (naming the holder, or "another program" when the
    # winner holds the lock but has not yet written LOG.lock), or changed since it read it,
    # or (when the machine is busy and the winner ran to the end first) already finished:
    # each a refusal, no write
    assert any(reason in loser for reason in (
        "in use: process", "in use: another program", "the log changed since it was read",
        "the exercise ended at line")), loser
    assert verify(logged.log, capsys)[0] == 0


def test_a_second_writer_is_refused_naming_the_holder(logged: Course) -> None:
    cut_after(logged, 12)
    journal = read_journal(logged.log)
    with JournalWriter.append_to(logged.log, journal.next_seq, journal.last_hash):
        holder = json.loads(logged.log.with_name(logged.log.name + ".lock").read_bytes())
        assert holder["pid"] == os.getpid() and holder["since"]
        with pytest.raises(JournalError) as refused:
            JournalWriter.append_to(logged.log, journal.next_seq, journal.last_hash)
        assert f"in use: process {os.getpid()} on {holder['host']} (since " in str(refused.value)
        result = subprocess.run([*CLI, "resume", str(logged.log), "--decisions",
                                 str(logged.decisions)], capture_output=True, text=True,
                                timeout=60)
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert f"in use: process {os.getpid()}" in result.stderr
    assert not logged.log.with_name(logged.log.name + ".lock").exists()


def test_a_stale_lock_of_a_crashed_session_is_taken_over(
        logged: Course, capsys: pytest.CaptureFixture[str]) -> None:
    cut_after(logged, 12)
    # A session that was killed: its process is gone (so is its flock), its LOG.lock stays.
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True).stdout.strip()
    lock = logged.log.with_name(logged.log.name + ".lock")
    lock.write_text(json.dumps({"pid": int(dead), "host": "x", "since": "2027-01-01"}))
    assert main(["resume", str(logged.log), "--decisions", str(logged.decisions)]) == 0
    capsys.readouterr()
    assert not lock.exists()
    assert verify(logged.log, capsys)[0] == 0


def test_a_writer_that_read_a_log_before_another_wrote_to_it_is_refused(
        logged: Course) -> None:
    cut_after(logged, 12)
    journal = read_journal(logged.log)
    with JournalWriter.append_to(logged.log, journal.next_seq, journal.last_hash) as first:
        first.append_record("resumed", 0, program="x")
    with pytest.raises(JournalError, match="the log changed since it was read"):
        JournalWriter.append_to(logged.log, journal.next_seq, journal.last_hash)


# -- signatures -----------------------------------------------------------------------------
def test_the_header_names_the_key_and_every_batch_ends_signed(logged: Course) -> None:
    lines = [json.loads(raw) for raw in logged.log.read_bytes().splitlines()]
    signer = installation_signer()
    assert lines[0]["signer"] == signer.header_field()
    assert lines[-1]["type"] == "checkpoint" and lines[-2]["type"] == "end"
    seal = log_seal(read_journal(logged.log))
    assert seal.valid and seal.finished and seal.fingerprints == [own_fingerprint()]
    key = Path(os.environ["TABLETOP_KEY_DIR"]) / "signing.key"
    assert key.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize(("old", "new"), [
    (b'"rationale":"', b'"rationale":"Vervalst: '),           # a rationale
    (b'"type":"note","prev"', b'"type":"note","prev"'),         # placeholder, replaced below
])
def test_a_forged_text_with_the_chain_recomputed_fails_verify(
        logged: Course, capsys: pytest.CaptureFixture[str], old: bytes, new: bytes) -> None:
    if old == new:  # a note's text
        raw = logged.log.read_bytes()
        at = raw.index(b'"type":"note"')
        start = raw.index(b'"text":"', at) + len(b'"text":"')
        old, new = raw[start - 8:start + 5], raw[start - 8:start] + b"NEP! "
    forge(logged.log, old, new)
    code, text = verify(logged.log, capsys)
    assert code == 1
    assert "the signature does not match (the log was changed after it was signed)" in text


def test_a_forger_who_signs_with_their_own_key_is_named_and_refused(
        logged: Course, capsys: pytest.CaptureFixture[str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Re-signing everything with another key: verify names that key as unknown."""
    own = own_fingerprint()
    lines = logged.log.read_bytes().splitlines()
    monkeypatch.setenv("TABLETOP_KEY_DIR", str(tmp_path / "forger"))
    forger = installation_signer()
    header = json.loads(lines[0])
    header["signer"] = forger.header_field()
    header["facilitator"] = "Iemand anders"
    out = [json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode()]
    for raw in lines[1:]:
        obj = json.loads(raw)
        prev = hashlib.sha256(out[-1]).hexdigest()
        if obj["type"] == "checkpoint":
            out.append(forger.checkpoint(obj["seq"], obj["t"], obj["wall"], prev))
        else:
            obj["prev"] = prev
            out.append(json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode())
    logged.log.write_bytes(b"".join(raw + b"\n" for raw in out))
    monkeypatch.undo()  # back on the machine that wrote the log (and its language: Dutch)
    assert own_fingerprint() == own
    code, text = verify(logged.log, capsys)
    assert code == 1
    assert f"{forger.fingerprint} (een sleutel die deze installatie niet kent)" in text
    # the recipient who checked the fingerprint with the sender accepts it
    assert verify(logged.log, capsys, "--key", forger.fingerprint.upper())[0] == 0
    trusted = Path(os.environ["TABLETOP_KEY_DIR"]) / "trusted-keys"
    trusted.write_text(f"# regio Noord\n{forger.fingerprint.replace('-', '')}  noord\n")
    try:
        code, text = verify(logged.log, capsys)
        assert code == 0 and f"{forger.fingerprint} (een vertrouwde sleutel)" in text
    finally:
        trusted.unlink()


def test_a_log_cut_off_at_a_checkpoint_is_reported_unfinished(
        logged: Course, capsys: pytest.CaptureFixture[str]) -> None:
    lines = logged.log.read_bytes().splitlines(keepends=True)
    last_checkpoint_before_end = max(i for i, raw in enumerate(lines[:-2])
                                     if b'"type":"checkpoint"' in raw)
    logged.log.write_bytes(b"".join(lines[:last_checkpoint_before_end + 1]))
    code, text = verify(logged.log, capsys)
    assert code == 0
    assert "unfinished: intact as far as it goes, but it has no end" in text


def test_lines_added_after_the_last_signature_fail(
        logged: Course, capsys: pytest.CaptureFixture[str]) -> None:
    lines = logged.log.read_bytes().splitlines(keepends=True)
    logged.log.write_bytes(b"".join(lines[:-1]))  # the end line without its checkpoint
    code, text = verify(logged.log, capsys)
    assert code == 1 and "are not signed" in text


def test_removing_the_signatures_does_not_pass_as_a_signed_log(
        logged: Course, capsys: pytest.CaptureFixture[str]) -> None:
    lines = [raw for raw in logged.log.read_bytes().splitlines(keepends=True)
             if b'"type":"checkpoint"' not in raw]
    logged.log.write_bytes(b"".join(lines))
    code, text = verify(logged.log, capsys)
    assert code == 1  # the header still names the key: the chain is broken, or unsigned


def test_a_forged_log_is_not_continued_so_its_forgery_is_never_signed_over(
        logged: Course, capsys: pytest.CaptureFixture[str]) -> None:
    lines = logged.log.read_bytes().splitlines(keepends=True)
    last_checkpoint = max(i for i, raw in enumerate(lines[:-2]) if b'"type":"checkpoint"' in raw)
    logged.log.write_bytes(b"".join(lines[:last_checkpoint + 1]))  # unfinished, resumable
    forge(logged.log, b'"facilitator":"', b'"facilitator":"Vervalst ')  # re-simulation misses it
    code = main(["resume", str(logged.log), "--decisions", str(logged.decisions)])
    err = capsys.readouterr().err
    assert code == 1 and "the log's last signature does not match" in err
    code, text = verify(logged.log, capsys)
    assert code == 1 and "the signature does not match" in text


def test_a_resumed_forgery_still_fails_verify(
        logged: Course, capsys: pytest.CaptureFixture[str]) -> None:
    """Even when a session signs on after a changed part (here: written past the writer's
    own check), verify checks the signature that closed the part before the resumption."""
    lines = logged.log.read_bytes().splitlines(keepends=True)
    logged.log.write_bytes(b"".join(lines[:12]))
    forge(logged.log, b'"type":"inject"', b'"type":"inject"')  # no change: a clean prefix
    journal = read_journal(logged.log)
    first_inject = next(ln for ln in journal.lines if ln.type == "inject")
    raw = logged.log.read_bytes().replace(first_inject.raw, first_inject.raw.replace(
        b'"phase":"aanloop"', b'"phase":"aanloop","x":1'))
    # recompute the chain after it, then append a validly signed `resumed` batch
    logged.log.write_bytes(raw)
    forge(logged.log, b'"x":1', b'"x":1')
    journal = read_journal(logged.log)
    writer = JournalWriter(logged.log, os.open(logged.log, os.O_WRONLY | os.O_APPEND),
                           journal.next_seq, journal.last_hash, __import__(
                               "tabletop.journal.writer", fromlist=["local_now"]).local_now,
                           installation_signer())
    writer.append_record("resumed", 0, program="x")
    writer.close()
    code, text = verify(logged.log, capsys)
    assert code == 1 and "the signature does not match" in text
