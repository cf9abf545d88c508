"""The core (model, engine, journal, report) never imports the UI; layers point down.

The import contracts (`uv run lint-imports`) and strict typing (`uv run mypy`) are checked
by their own steps in `.ci/run`, before the tests, not from inside pytest.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

HEADLESS = ["tabletop.model.loading", "tabletop.model.checks", "tabletop.engine",
            "tabletop.journal", "tabletop.report"]


@pytest.mark.parametrize("module", HEADLESS)
def test_headless_modules_do_not_load_textual(module: str) -> None:
    code = (f"import {module}, sys\n"
            "print(','.join(m for m in ('textual', 'tabletop.tui', 'tabletop.cli') "
            "if m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert proc.stdout.strip() == "", f"{module} imported {proc.stdout.strip()}"


def _root() -> str:
    from pathlib import Path

    return str(Path(__file__).resolve().parent.parent)



def test_validate_loads_no_ui_report_or_journal_code() -> None:
    """`tabletop validate` (piped, as in CI or an editor) imports only what it uses: a faster
    start for the command authors run after every edit."""
    code = ("import sys\n"
            "from tabletop.cli import main\n"
            "code = main(['validate', '--strict', 'scenarios/voorbeeld.yaml'])\n"
            "loaded = [m for m in ('rich', 'textual', 'simpy', 'docx', 'tabletop.report', "
            "'tabletop.journal', 'tabletop.engine', 'tabletop.tui') if m in sys.modules]\n"
            "print('loaded:', ','.join(loaded), 'exit:', code)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=_root(), check=True)
    assert "1 bestand: geen problemen" in proc.stderr  # Dutch, the default
    assert proc.stdout.strip() == "loaded:  exit: 0"
