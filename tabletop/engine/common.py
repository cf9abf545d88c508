"""What every part of the engine shares: its refusal, and the facilitator's name."""

from __future__ import annotations

from tabletop.errors import LocalizedError

FACILITATOR = "facilitator"

AFTER_END = frozenset({"note", "observe"})
"""Commands that still apply after the end: the hot wash is captured as notes."""


class ExerciseError(LocalizedError):
    """A command that cannot be carried out now (the message says why)."""
