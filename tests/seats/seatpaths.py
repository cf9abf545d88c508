"""Paths the seat and store tests share (a module of its own: `conftest` is ambiguous)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "journal"
SCENARIO = DATA / "oefening.yaml"
COURSE = DATA / "oefening.decisions.yaml"
