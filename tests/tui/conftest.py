"""Pilot and snapshot tests run without user config, logs, or animation."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def quiet_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Logs go to the test's folder; paths show relative to it; no animations."""
    monkeypatch.setenv("TABLETOP_LOG_DIR", str(tmp_path / "logs"))
    monkeypatch.setenv("TABLETOP_CONFIG", str(tmp_path / "config" / "settings.json"))
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")
    monkeypatch.chdir(tmp_path)
