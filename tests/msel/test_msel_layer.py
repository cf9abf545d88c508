"""The MSEL package is core: no Textual, no CLI; its messages exist in both languages."""

from __future__ import annotations

import string
import subprocess
import sys

from tabletop.i18n.catalog import MESSAGES


def test_msel_loads_no_ui() -> None:
    code = ("import tabletop.msel.export, tabletop.msel.importer, tabletop.msel.cards, sys\n"
            "print(','.join(m for m in ('textual', 'tabletop.tui', 'tabletop.cli') "
            "if m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert proc.stdout.strip() == ""


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_msel_message_has_dutch_and_english_with_the_same_placeholders() -> None:
    keys = [k for k in MESSAGES if k.startswith("msel.")]
    assert len(keys) > 50
    for key in keys:
        entry = MESSAGES[key]
        assert set(entry) == {"nl", "en"}, key
        assert _fields(entry["nl"]) == _fields(entry["en"]), key
