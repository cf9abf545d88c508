"""Roles (who may decide what, on which legal basis) and the registry of authority domains."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from pydantic import Field, model_validator

from tabletop.errors import KeyedValueError
from tabletop.model.base import Expr, Id, StrictModel


class Domain(StrictModel):
    """An authority domain: a field of gezag such as openbare orde."""

    label: str
    """Short name shown in the UI and reports."""
    description: str = ""
    """What the domain covers and where the law puts it."""


class DomainRegistry(StrictModel):
    """`roles/domains.yaml`: every authority domain roles and decisions may name."""

    domains: dict[Id, Domain]


class AuthorityEntry(StrictModel):
    """Gezag a role holds over one domain, possibly only in some situations."""

    domain: Id
    """The domain held (an id of `roles/domains.yaml` or of the scenario's `local_domains`)."""
    basis: str
    """The legal basis, e.g. `Politiewet 2012 art. 11; Gemeentewet art. 172`."""
    when: Expr | None = None
    """Holds only while this expression is true (a variable the scenario lacks reads false)."""
    unverified: bool = False
    """True where the basis could not be verified; shown as unverified wherever it appears."""


class MandateEntry(StrictModel):
    """A domain a mandataris decides in the name of its mandator (`acts_for`)."""

    domain: Id
    basis: str
    """The mandate, e.g. `Mandaatbesluit JenV`."""
    when: Expr | None = None
    unverified: bool = False


class Power(StrictModel):
    """A bevoegdheid a decision option can invoke: its legal basis then goes into the log."""

    id: Id
    label: str
    basis: str
    unverified: bool = False
    """True where the basis could not be verified."""


class Role(StrictModel):
    """A role at the table: a public authority (or a scenario's local actor)."""

    id: Id
    name: str
    """Full name, e.g. `Burgemeester`."""
    short: str = Field(max_length=8)
    """Abbreviation for narrow columns, e.g. `BM`."""
    description: str = ""
    authority: list[AuthorityEntry] = []
    """What this role holds gezag over (default none: a role may only advise or consent)."""
    powers: list[Power] = []
    """Bevoegdheden a decision option may invoke (`power:`)."""
    acts_for: Id | None = None
    """Mandataris: decides in the name of this role and holds no gezag of its own."""
    mandate: list[MandateEntry] = []
    """The domains it decides for `acts_for` (only where the mandator holds them)."""
    area: Id | None = None
    """Placed in one area (a local role, or a placed role): holds its authority there only."""
    region: Id | None = None
    """Placed in a region: holds its authority in every area of that region."""

    @model_validator(mode="after")
    def _mandataris_holds_nothing(self) -> Role:
        if self.acts_for is not None and self.authority:
            raise KeyedValueError("load.role.acts_for_authority")
        if self.mandate and self.acts_for is None:
            raise KeyedValueError("load.role.mandate_needs_acts_for")
        return self

    def power(self, power_id: str) -> Power | None:
        return next((p for p in self.powers if p.id == power_id), None)


def invoked_power(roles: Mapping[str, Role], power_id: str,
                  deciders: Iterable[str | None]) -> tuple[str, Power] | None:
    """The power an option names, of the first decider that has it (the one who decided,
    then the decision's owner): the legal basis that decision invokes."""
    for rid in dict.fromkeys(r for r in deciders if r):
        role = roles.get(rid)
        power = role.power(power_id) if role else None
        if power is not None:
            return rid, power
    return None
