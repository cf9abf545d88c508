"""Human names for the ids in events: roles, injects, decisions, options, outcomes."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from tabletop.i18n import Translator, words

if TYPE_CHECKING:
    from tabletop.model.loading import LoadedScenario


def story_time(t: int) -> str:
    """T+hh:mm (days as hours beyond 24: T+30:15)."""
    hours, minutes = divmod(int(t), 60)
    return f"T+{hours:02d}:{minutes:02d}"


class Names:
    """Look up what an id stands for, in one language, with or without participants' names."""

    def __init__(self, loaded: LoadedScenario | None, lang: str = "nl",
                 participants: Mapping[str, str] | None = None, anonymise: bool = False,
                 parameters: Mapping[str, str] | None = None) -> None:
        self.loaded = loaded
        self.s = loaded.scenario if loaded else None
        self.t = Translator(lang)
        self.participants = dict(participants or {})
        self.anonymise = anonymise
        defaults = {k: p.default for k, p in self.s.parameters.items()} if self.s else {}
        defaults.update(parameters or {})
        self.parameters = defaults

    def fill(self, text: str) -> str:
        """Fill `{parameter}` slots; anything else stays literally as written."""
        if "{" not in text:
            return text
        out = text
        for key, value in self.parameters.items():
            out = out.replace("{" + key + "}", value)
        return out.replace("{{", "{").replace("}}", "}")

    def clock(self, t: int) -> datetime | None:
        return self.s.start + timedelta(minutes=int(t)) if self.s else None

    def role(self, role_id: str | None, short: bool = False) -> str:
        if role_id is None:
            return self.t("tl.nobody")
        if role_id == "facilitator":
            return self.t("tl.facilitator")
        role = self.loaded.roles.get(role_id) if self.loaded else None
        label = (role.short if short else role.name) if role else role_id
        person = self.participants.get(role_id)
        if person and not self.anonymise:
            return f"{label} ({person})"
        return label

    def roles(self, role_ids: Any, short: bool = True) -> str:
        return ", ".join(self.role(r, short) for r in role_ids) or self.t("tl.nobody")

    def inject(self, inject_id: str) -> str:
        inj = self.s.inject(inject_id) if self.s else None
        return self.fill(inj.title) if inj else inject_id

    def decision(self, decision_id: str | None) -> str:
        dec = self.s.decision(decision_id) if (self.s and decision_id) else None
        return self.fill(dec.question) if dec else (decision_id or "")

    def option(self, decision_id: str, option_id: str | None) -> str:
        if option_id is None:
            return "—"
        dec = self.s.decision(decision_id) if self.s else None
        opt = dec.option(option_id) if dec else None
        return self.fill(opt.label) if opt else option_id

    def outcome(self, outcome_id: str | None) -> str:
        if outcome_id is None:
            return self.t("tl.no_outcome")
        out = self.s.outcome(outcome_id) if self.s else None
        return out.title if out else outcome_id

    def phase(self, phase_id: str | None) -> str:
        if phase_id is None or self.s is None:
            return phase_id or ""
        phase = next((p for p in self.s.phases if p.id == phase_id), None)
        return phase.title if phase else phase_id

    def dilemma(self, dilemma_id: str | None) -> str:
        dil = self.s.dilemma(dilemma_id) if (self.s and dilemma_id) else None
        return dil.title if dil else (dilemma_id or "")

    def resource(self, resource_id: str) -> str:
        res = self.s.resources.get(resource_id) if self.s else None
        return res.label if res else resource_id

    def value(self, value: Any, unit: str = "") -> str:
        """A state value as people read it: `ja`/`yes`, `3`, `2.5`, `70%`, `3 uur`."""
        return words.value(self.t, value, isinstance(value, bool), unit)

    def variable(self, var: str) -> str:
        spec = self.s.state.get(var) if self.s else None
        return spec.label if spec else var
