"""Need to know: the one place that decides what text of an inject a seat may see.

Every seat view (`journal.seatview`) goes through `visible_text`; nothing else decides it.
"""

from __future__ import annotations

from tabletop.i18n import tr
from tabletop.model.loading import LoadedScenario
from tabletop.model.scenario import Inject

STAFF_SEATS = {"controller": "facilitator", "evaluator": "observator"}
"""Staff seats (HSEEP's controller and evaluator) and whom their commands are `by`."""


def classified(lang: str = "nl") -> str:
    """What a seat sees in place of text it may not read."""
    return tr("seat.classified", lang)


def may_read(inject: Inject, role: str) -> bool:
    """A role reads an inject's text when it is among the recipients and, for an inject
    with `need_to_know`, also among those; staff seats (exercise control) read everything."""
    if role in STAFF_SEATS:
        return True
    if role not in inject.to:
        return False
    need: object = getattr(inject, "need_to_know", None)
    if need is None:
        return True
    if isinstance(need, (list, tuple, set, frozenset)):
        return role in need
    return False  # an unknown form of need to know: keep the text back


def visible_text(loaded: LoadedScenario, inject: Inject, role: str,
                 lang: str = "nl") -> str:
    """The inject's text as `role` may see it: the text, or "gerubriceerd bericht"."""
    del loaded  # the scenario's own classification rules will be read here
    return inject.text if may_read(inject, role) else classified(lang)
