"""Logs written before an event field existed still verify and resume."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tabletop.cli import main
from tabletop.journal.format import dumps, line_hash
from tabletop.journal.verify import verify

pytestmark = pytest.mark.usefixtures("english")  # assertions read in English

ROOT = Path(__file__).resolve().parents[2]


def rechain(lines: list[dict]) -> bytes:  # type: ignore[type-arg]
    """Lines written again with a fresh hash chain, as an older program wrote them (unsigned:
    without checkpoints and without a key in the header)."""
    out: list[bytes] = []
    lines = [obj for obj in lines if obj["type"] != "checkpoint"]
    lines[0].pop("signer", None)
    for obj in lines:
        obj["seq"] = len(out)
        if out:
            obj["prev"] = line_hash(out[-1])
        out.append(dumps(obj))
    return b"".join(line + b"\n" for line in out)


def test_a_log_without_newer_fields_still_verifies(tmp_path: Path) -> None:
    log = tmp_path / "oefening.jsonl"
    assert main(["run", str(ROOT / "scenarios" / "voorbeeld.yaml"), "--decisions",
                 str(ROOT / "tests" / "data" / "courses" / "voorbeeld.yaml"),
                 "--auto", "spoorbeheerder", "--log", str(log)]) == 0
    lines = [json.loads(raw) for raw in log.read_text(encoding="utf-8").splitlines()]
    dropped = 0
    for obj in lines:
        for key in ("owner", "basis_of"):  # fields that newer versions added, at defaults
            if key in obj and obj[key] is None:
                del obj[key]
                dropped += 1
    assert dropped >= 2
    old = tmp_path / "oud.jsonl"
    old.write_bytes(rechain(lines))
    assert verify(old).ok
    # a field the log has is still compared, also when it is a newer one
    engine_made = [obj for obj in lines if obj["type"] == "decision" and obj["simulated"]]
    assert engine_made, "the course lets the engine play the spoorbeheerder"
    engine_made[0]["basis_of"] = "om"
    changed = tmp_path / "gewijzigd.jsonl"
    changed.write_bytes(rechain(lines))
    verdict = verify(changed)
    assert not verdict.ok and "field 'basis_of'" in verdict.message
