"""Golden files: the same committed logs give byte-identical Markdown and HTML."""

from __future__ import annotations

import pytest
from reportkit import compare_golden, report

CASES = [
    (("noord",), "nl", "noord"),
    (("oost",), "nl", "oost"),
    (("oost",), "en", "oost.en"),
    (("noord", "oost", "zuid"), "nl", "drie-oefeningen"),
]


@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize(("names", "lang", "golden"), CASES, ids=[c[2] for c in CASES])
def test_report_matches_golden(names: tuple[str, ...], lang: str, golden: str,
                               fmt: str) -> None:
    compare_golden(f"{golden}.{fmt}", report(names, fmt, lang))


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_same_logs_give_the_same_bytes(fmt: str) -> None:
    names = ("noord", "oost", "zuid")
    assert report(names, fmt) == report(names, fmt)


def test_no_generated_at_stamp() -> None:
    for fmt in ("md", "html"):
        text = report(("noord",), fmt).decode()
        assert "2026-11" not in text and "gegenereerd" not in text.lower()
