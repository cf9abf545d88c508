"""`tabletop report`: formats, output files, and a broken or tampered log refused with
`verify`'s message (exit 1, no traceback)."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import docx
import pytest
from reportkit import GOLDEN, LOGS, SCENARIO, UPDATE

from tabletop.cli import main

pytestmark = pytest.mark.usefixtures("english")  # assertions read in English

Cap = pytest.CaptureFixture[bytes]


def _copy(tmp_path: Path, name: str = "oost") -> Path:
    target = tmp_path / f"{name}.jsonl"
    shutil.copyfile(LOGS / f"{name}.jsonl", target)
    return target


def _run(capsysbinary: Cap, *args: str) -> tuple[int, bytes, str]:
    code = main(["report", *args, "--scenario", str(SCENARIO)])
    out, err = capsysbinary.readouterr()
    return code, out, err.decode()


@pytest.mark.skipif(UPDATE, reason="golden files are being rewritten")
def test_markdown_to_stdout_equals_the_golden_file(capsysbinary: Cap) -> None:
    code, out, err = _run(capsysbinary, str(LOGS / "noord.jsonl"))
    assert code == 0, err
    assert out == (GOLDEN / "noord.md").read_bytes(), (
        "the committed log no longer verifies or renders the same; if the engine changed on "
        "purpose: uv run python tests/report/make_logs.py --force, then update the goldens")


def test_format_follows_the_output_suffix(tmp_path: Path, capsysbinary: Cap) -> None:
    html = tmp_path / "r.html"
    code, _, err = _run(capsysbinary, str(LOGS / "noord.jsonl"), "-o", str(html))
    assert code == 0, err
    assert UPDATE or html.read_bytes() == (GOLDEN / "noord.html").read_bytes()
    word = tmp_path / "r.docx"
    code, _, err = _run(capsysbinary, str(LOGS / "noord.jsonl"), "-o", str(word))
    assert code == 0, err
    assert docx.Document(io.BytesIO(word.read_bytes())).tables


def test_docx_needs_an_output_file(capsysbinary: Cap) -> None:
    code, out, err = _run(capsysbinary, str(LOGS / "noord.jsonl"), "-f", "docx")
    assert code == 2 and out == b""
    assert "-o FILE" in err


def test_anonymise_leaves_out_every_name(capsysbinary: Cap) -> None:
    code, out, _ = _run(capsysbinary, str(LOGS / "noord.jsonl"), "--anonymise")
    assert code == 0
    text = out.decode()
    for name in ("A. de Vries", "B. Jansen", "C. Bakker", "D. Visser", "E. Smit"):
        assert name not in text
    assert "Burgemeester" in text


def test_tampered_log_is_refused_with_the_verify_message(tmp_path: Path,
                                                       capsysbinary: Cap) -> None:
    log = _copy(tmp_path)
    data = log.read_bytes().replace(b'"option":"verbieden"', b'"option":"faciliteren"', 1)
    log.write_bytes(data)
    code, out, err = _run(capsysbinary, str(log))
    assert code == 1 and out == b""
    assert "hash chain broken" in err and "Traceback" not in err
    from tabletop.journal.verify import verify

    assert verify(log, SCENARIO).message in err


def test_log_rewritten_with_a_consistent_chain_is_refused_by_resimulation(
        tmp_path: Path, capsysbinary: Cap) -> None:
    from tabletop.journal.format import dumps, line_hash

    log = _copy(tmp_path)
    lines = log.read_bytes().split(b"\n")[:-1]
    import json

    rows = [json.loads(x) for x in lines]
    for row in rows:
        if row.get("type") == "decision" and row.get("option") == "verbieden":
            row["option"] = "faciliteren"
    out_lines = [dumps(rows[0])]
    for row in rows[1:]:
        row["prev"] = line_hash(out_lines[-1])
        out_lines.append(dumps(row))
    log.write_bytes(b"\n".join(out_lines) + b"\n")
    code, out, err = _run(capsysbinary, str(log))
    assert code == 1 and out == b""
    assert "the engine produced" in err and "Traceback" not in err


def test_torn_and_missing_logs_are_refused(tmp_path: Path, capsysbinary: Cap) -> None:
    log = _copy(tmp_path)
    log.write_bytes(log.read_bytes() + b'{"seq":99,"t":1')
    code, _, err = _run(capsysbinary, str(log))
    assert code == 1 and "incomplete last line" in err
    code, _, err = _run(capsysbinary, str(tmp_path / "nope.jsonl"))
    assert code == 1 and "no such file" in err
    many = [str(LOGS / "noord.jsonl"), str(log)]
    code, out, err = _run(capsysbinary, *many)
    assert code == 1 and out == b"", "one bad log refuses the whole report"


def test_output_may_not_overwrite_a_log(tmp_path: Path, capsysbinary: Cap) -> None:
    log = _copy(tmp_path)
    before = log.read_bytes()
    code, _, err = _run(capsysbinary, str(log), "-o", str(log))
    assert code == 2 and "one of the logs" in err
    assert log.read_bytes() == before


def test_a_committed_log_finds_its_scenario_from_any_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsysbinary: Cap) -> None:
    monkeypatch.chdir(tmp_path)
    code = main(["report", str(LOGS / "zuid.jsonl"), "--lang", "en"])
    out, err = capsysbinary.readouterr()
    assert code == 0, err
    assert out.startswith(b"# Exercise feedback: Driehoeksoefening Zuid")
