"""Why a command cannot be applied any more, in the user's language.

The engine's ExerciseError speaks English for the log and the command line; the screen
looks at the situation itself (the decision was taken, its deadline lapsed, the exercise
ended) and says so from the catalogue. Only a refusal it does not recognise shows the
engine's text.
"""

from __future__ import annotations

from typing import Any

from tabletop.i18n import Translator
from tabletop.i18n.names import Names, story_time
from tabletop.model.events import DecisionTaken


def about(command: Any) -> tuple[str, str | None]:
    """What a command is about: (`decision`|`inject`|`note`|'', id)."""
    kind = getattr(command, "kind", "")
    if kind in ("decide", "extend"):
        return "decision", command.decision
    if kind in ("release", "skip", "met"):
        return "inject", command.inject
    if kind in ("note", "observe"):
        return "note", None
    return "", None


def refusal(ex: Any, names: Names, t: Translator, command: Any, error: Exception) -> str:
    """The message for a refused command, from the situation it met."""
    kind, ident = about(command)
    kept = t("refuse.kept") if kind in ("decision", "note") else ""
    if ex.finished and kind != "note":
        return join_kept(t("refuse.ended"), kept)
    if kind == "decision" and ident is not None:
        taken = next((e for e in reversed(ex.events)
                      if isinstance(e, DecisionTaken) and e.decision == ident), None)
        if taken is not None:
            choice = names.option(ident, taken.option) if taken.option else taken.answer
            if taken.default:
                return join_kept(t("refuse.lapsed", time=story_time(taken.t), option=choice),
                                 kept)
            return join_kept(t("refuse.taken", time=story_time(taken.t),
                               who=names.role(taken.by, True), option=choice), kept)
        if not ex.is_open(ident):
            return join_kept(t("refuse.not_open"), kept)
    if kind == "inject" and ident is not None and ex.is_done(ident):
        return t("refuse.inject_done")
    render = getattr(error, "render", None)
    detail = render(t.lang) if callable(render) else str(error)
    return join_kept(t("ex.error", error=detail), kept)


def join_kept(message: str, kept: str) -> str:
    return f"{message} {kept}" if kept else message
