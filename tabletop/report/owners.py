"""Who takes a point up at the LOVP: the follow-up owner (brief §6.10) behind each role."""

from __future__ import annotations

from tabletop.i18n.names import Names

FOLLOW_UP = {
    "burgemeester": "regioburgemeesters",
    "regioburgemeester": "regioburgemeesters",
    "voorzitter-vr": "veiligheidsberaad",
    "politie": "korpschef",
    "korpschef": "korpschef",
    "om": "college-pg",
    "minister-jenv": "minister",
    "defensie": "minister",
    "kmar": "minister",
    "cdk": "minister",
    "nctv": "nctv",
}
"""Bundled role id → the LOVP party that carries its points (minister, korpschef,
regioburgemeesters, College van PG, NCTV, Veiligheidsberaad).

Why: the LOVP seats the minister, the regioburgemeesters, the College van PG and the
korpschef (Politiewet 2012 art. 19), with the NCTV and the Veiligheidsberaad invited; a
burgemeester's point reaches it through the regioburgemeesters, a politiechef's through
the korpschef.
"""

UNASSIGNED = "unassigned"


def follow_up_key(role_id: str | None) -> str:
    """The follow-up owner's key for a role; local mayors count as burgemeesters."""
    if not role_id or role_id in ("facilitator", "observator"):
        return UNASSIGNED
    if role_id in FOLLOW_UP:
        return FOLLOW_UP[role_id]
    if role_id.startswith("burgemeester"):
        return "regioburgemeesters"
    return "role:" + role_id


def follow_up(role_id: str | None, names: Names) -> str:
    """The follow-up owner's name in the reader's language."""
    key = follow_up_key(role_id)
    if key.startswith("role:"):
        return names.role(key[5:])
    return names.t(f"rp.owner.{key}")
