"""Finding 7 (faults) and finding 8 (reports): an unusable log folder and a full disk are
clear messages with no dead end; an error in the program exits non-zero with a crash
report; reports are owner-only and a long title does not break the Word report."""

from __future__ import annotations

import errno
import os
import stat
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tabletop.cli import main
from tabletop.journal.format import JournalError

pytestmark = pytest.mark.usefixtures("english")  # assertions read in English

if TYPE_CHECKING:
    from conftest import Course

ROOT = Path(__file__).resolve().parents[2]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    return code, out.out + out.err


def full_disk(monkeypatch: pytest.MonkeyPatch, after: int = 0) -> None:
    real = os.write
    calls = {"n": 0}

    def write(fd: int, data: Any) -> int:
        calls["n"] += 1
        if calls["n"] > after:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(fd, data)

    monkeypatch.setattr(os, "write", write)


# -- 7: faults ------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["file", "under-a-file"])
def test_an_unusable_log_folder_is_a_clear_message(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str) -> None:
    from tabletop.tui.library import new_log_path, recent_logs

    blocker = tmp_path / "logs"
    blocker.write_text("geen map")
    folder = blocker if kind == "file" else blocker / "sub"
    monkeypatch.setenv("TABLETOP_LOG_DIR", str(folder))
    with pytest.raises(JournalError) as refused:
        new_log_path("oefening")
    assert str(refused.value).startswith(f"{folder}: the log folder ")
    assert "TABLETOP_LOG_DIR" in str(refused.value)
    assert recent_logs() == []  # the home screen still starts


async def test_the_set_up_screen_says_why_it_cannot_start_and_stays(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tabletop.model.loading import load_roles, load_scenario
    from tabletop.tui.app import TabletopApp
    from tabletop.tui.screens.setup import SetupScreen

    (tmp_path / "logs").write_text("geen map")
    monkeypatch.setenv("TABLETOP_LOG_DIR", str(tmp_path / "logs"))
    loaded = load_scenario(ROOT / "scenarios" / "voorbeeld.yaml", load_roles(ROOT / "roles"))
    app = TabletopApp(start=("play", (loaded, None, 0)))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SetupScreen)
        messages = [n.message for n in app._notifications]
        assert any("de logboekmap is een bestand, geen map" in m for m in messages), messages


def test_a_full_disk_at_creation_leaves_no_dead_end_log(
        course: Course, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    from tabletop.journal.signing import installation_signer

    installation_signer()  # the installation's key exists already (made on first use)
    full_disk(monkeypatch)
    code, text = run(capsys, "run", str(course.scenario), "--decisions", str(course.decisions),
                     "--log", str(course.log))
    monkeypatch.undo()
    assert code == 1
    assert f"{course.log}: could not write the log (the disk is full); no log was made" in text
    assert not course.log.exists()
    assert not course.log.with_name(course.log.name + ".lock").exists()
    assert course.run() == 0  # once there is room, the same command works
    capsys.readouterr()


def test_resume_on_a_still_full_disk_is_a_clear_message_and_can_be_retried(
        logged: Course, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    lines = logged.log.read_bytes().splitlines(keepends=True)
    logged.log.write_bytes(b"".join(lines[:12]))
    before = logged.log.read_bytes()
    full_disk(monkeypatch)
    code, text = run(capsys, "resume", str(logged.log), "--decisions", str(logged.decisions))
    monkeypatch.undo()
    assert code == 1
    assert "could not write the log (the disk is full)" in text
    assert logged.log.read_bytes() == before  # nothing half-written
    assert run(capsys, "resume", str(logged.log), "--decisions", str(logged.decisions))[0] == 0
    assert run(capsys, "verify", str(logged.log))[0] == 0


def test_moving_a_torn_line_aside_on_a_full_disk_is_a_clear_message(
        logged: Course, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    data = logged.log.read_bytes()
    cut = data.index(b"\n", len(data) // 2) - 20
    logged.log.write_bytes(data[:cut])  # torn: resume first moves the tail to LOG.partial
    full_disk(monkeypatch)
    code, text = run(capsys, "resume", str(logged.log), "--decisions", str(logged.decisions))
    monkeypatch.undo()
    assert code == 1 and "the disk is full" in text


def test_an_error_in_the_app_exits_non_zero_with_a_crash_report(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    from textual.app import App

    from tabletop.tui.app import TabletopApp

    monkeypatch.setenv("TABLETOP_LOG_DIR", str(tmp_path))

    def boom(self: TabletopApp) -> None:
        raise RuntimeError("kapot in de app")

    monkeypatch.setattr(TabletopApp, "on_mount", boom)
    monkeypatch.setattr(TabletopApp, "run",
                        lambda self, **kw: App.run(self, headless=True, size=(80, 24)))
    monkeypatch.setattr(sys, "argv", ["tabletop"])
    code = main()
    err = capsys.readouterr().err
    assert code == 70
    reports = list(tmp_path.glob("tabletop-crash-*.txt"))
    assert len(reports) == 1 and f"What happened is in {reports[0]}" in err
    assert "RuntimeError: kapot in de app" in reports[0].read_text()
    assert stat.S_IMODE(reports[0].stat().st_mode) == 0o600


def test_an_error_in_a_command_exits_non_zero_with_a_crash_report_beside_the_log(
        logged: Course, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    import tabletop.cli.logs as logs

    def boom(args: Any) -> int:
        raise KeyError("onverwacht")

    monkeypatch.setattr(logs, "cmd_verify", boom)
    monkeypatch.setattr(sys, "argv", ["tabletop", "verify", str(logged.log)])
    code = main()
    err = capsys.readouterr().err
    assert code == 70 and "Traceback" not in err
    reports = list(logged.log.parent.glob(f"{logged.log.name}.crash-*.txt"))
    assert len(reports) == 1 and "KeyError: 'onverwacht'" in reports[0].read_text()


# -- 8: reports -----------------------------------------------------------------------------
def test_reports_are_owner_only_also_over_an_existing_file(
        logged: Course, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    for name in ("rapport.md", "rapport.html", "rapport.docx"):
        target = tmp_path / name
        target.write_text("oud")
        target.chmod(0o644)
        assert run(capsys, "report", str(logged.log), "-o", str(target))[0] == 0
        assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_a_long_title_is_clipped_in_the_docx_properties_and_whole_in_the_document(
        course: Course, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    import docx

    title = "Oefening " + "met een heel lange titel " * 16 + "einde"
    assert len(title) > 300
    assert course.run("--title", title) == 0
    capsys.readouterr()
    target = tmp_path / "rapport.docx"
    assert run(capsys, "report", str(course.log), "-o", str(target))[0] == 0
    word = docx.Document(str(target))
    assert len(word.core_properties.title) <= 255
    assert word.core_properties.title.endswith("…")
    body = "\n".join(p.text for p in word.paragraphs)
    assert title in body


def test_the_report_names_the_signing_key_and_the_final_chain_head(
        logged: Course, capsys: pytest.CaptureFixture[str]) -> None:
    from tabletop.journal.reader import read_journal
    from tabletop.journal.signing import own_fingerprint

    code, text = run(capsys, "report", str(logged.log))
    assert code == 0
    head = read_journal(logged.log).last_hash
    assert f"ondertekend met sleutel {own_fingerprint()}; laatste ketenhash {head}" in text
