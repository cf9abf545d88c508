"""The sheets and columns of an MSEL, their headers in Dutch and English, and the variants
the importer also recognises (what other MSEL tools and planners' own sheets call them)."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    key: str
    nl: str
    en: str
    aliases: tuple[str, ...] = ()
    width: int = 14
    """Column width in characters, for the workbook."""

    def header(self, lang: str) -> str:
        return self.en if lang == "en" else self.nl


def normal(header: str) -> str:
    """A header as compared: lower case, single spaces, no trailing colon or asterisk."""
    return re.sub(r"\s+", " ", header.strip().lower()).rstrip(":* ").strip()


INJECT_COLUMNS = (
    Column("nr", "Nr", "No.", ("nr.", "nummer", "#", "no", "number", "num", "n°", "volgnummer",
                               "seq", "serial"), 5),
    Column("t", "Tijd (T+)", "Time (T+)", ("t+", "verhaaltijd", "story time",
                             "relatieve tijd", "relative time", "scenariotijd", "scenario time",
                             "offset", "t+ (uu:mm)", "t+ (hh:mm)"), 10),
    Column("clock", "Kloktijd", "Clock time", ("klok", "clock", "uur", "tijdstip", "horaire",
                                               "heure", "wall clock", "werkelijke tijd",
                                               "real time", "datum en tijd", "date and time"),
           12),
    Column("time", "Tijd", "Time", ("tijd", "time", "moment", "when"), 10),
    Column("phase", "Fase", "Phase", ("stage", "segment", "episode"), 12),
    Column("trigger", "Trigger", "Trigger", ("aanleiding", "voorwaarde", "condition",
                                             "starts"), 18),
    Column("from", "Van", "From", ("afzender", "sender", "zender", "emetteur", "émetteur",
                                   "bron", "source", "originator"), 18),
    Column("to", "Aan", "To", ("ontvanger", "ontvangers", "recipient", "recipients",
                               "destinataire", "destinataires", "geadresseerde",
                               "geadresseerden", "player", "players", "spelers"), 22),
    Column("channel", "Kanaal", "Channel", ("medium", "middel", "communicatiemiddel",
                                            "method", "delivery method", "canal"), 12),
    Column("title", "Titel", "Title", ("onderwerp", "subject", "kop", "headline", "titre",
                                       "kopregel"), 30),
    Column("text", "Tekst", "Text", ("bericht", "inject", "message", "inhoud", "content",
                                     "description", "beschrijving", "omschrijving",
                                     "stimuli", "stimulus", "inject text", "injecttekst",
                                     "berichttekst"), 60),
    Column("expect", "Verwachte actie", "Expected action", (
        "verwachte reactie", "verwachte handeling", "expected response",
        "expected player action", "expected outcome", "réaction attendue",
        "reaction attendue", "verwachting"), 40),
    Column("guidance", "Aanwijzing oefenleider", "Facilitator guidance", (
        "aanwijzing", "aanwijzingen", "guidance", "notes", "notities", "commentaire",
        "opmerkingen", "remarks", "controller notes", "facilitator notes",
        "notes for the facilitator", "oefenleider"), 40),
    Column("objectives", "Oefendoelen", "Objectives", ("oefendoel", "doelen", "objective",
                                                       "leerdoelen", "capability",
                                                       "capabilities"), 12),
    Column("reliability", "Betrouwbaarheid", "Reliability", ("fiabilité",), 14),
    # gezag model v2 (format 2): where it plays, and who may read it
    Column("area", "Gebied", "Area", ("gebieden", "areas", "gezagsgebied"), 16),
    Column("classification", "Rubricering", "Classification", (
        "classificatie", "rubricering", "gerubriceerd", "classified"), 16),
    Column("need_to_know", "Need-to-know", "Need to know", (
        "need to know", "need_to_know", "mag lezen", "may read", "ntk"), 22),
    Column("id", "Id", "Id", ("kenmerk", "ref", "reference", "code", "inject id",
                              "inject-id"), 22),
)
V2_INJECT_COLUMNS = ("area", "classification", "need_to_know")
"""The columns of format 2: in the workbook of a format-2 scenario only."""

DECISION_COLUMNS = (
    Column("id", "Id", "Id", ("kenmerk", "ref", "code"), 22),
    Column("trigger", "Trigger", "Trigger", ("aanleiding", "starts"), 22),
    Column("question", "Vraag", "Question", ("besluit", "decision", "besluitpunt"), 50),
    Column("context", "Beeld", "Context", ("context", "situatie", "situation"), 40),
    Column("domain", "Domein", "Domain", ("gezagsdomein", "authority domain", "domeinen",
                                          "domains", "framings"), 22),
    Column("area", "Gebied", "Area", ("gebieden", "areas", "gezagsgebied"), 16),
    Column("crisis", "Crisis", "Crisis", ("crisisbeheersing", "betreft de crisis"), 8),
    Column("owner", "Eigenaar", "Owner", ("besluiter", "decider", "wie besluit", "owners",
                                          "eigenaren"), 16),
    Column("together", "Samen", "Together", ("samen besluiten", "decide together",
                                             "gezamenlijk", "jointly"), 8),
    Column("consult", "Raadplegen", "Consult", ("advies", "adviseurs", "advisers",
                                                "advisors"), 30),
    Column("consent", "Instemming", "Consent", ("consent of", "instemming van"), 40),
    Column("rests_on", "Rust op", "Rests on", ("berust op", "gebaseerd op", "based on",
                                               "rests_on"), 22),
    Column("forum", "Gremium", "Forum", (), 12),
    Column("deadline", "Termijn", "Deadline", ("deadline",), 10),
    Column("options", "Opties", "Options", ("keuzes", "choices", "opties"), 60),
)

V2_DECISION_COLUMNS = ("area", "crisis", "together", "rests_on")

ROLE_COLUMNS = (
    Column("id", "Id", "Id", (), 20),
    Column("role", "Bibliotheekrol", "Library role", ("rolbestand", "role file", "basisrol",
                                                      "base role", "library_role"), 18),
    Column("name", "Naam", "Name", ("rol", "role", "functie", "function"), 30),
    Column("short", "Afkorting", "Short", ("kort", "abbreviation", "afk"), 10),
    Column("description", "Omschrijving", "Description", ("beschrijving",), 50),
    Column("origin", "Herkomst", "Origin", ("bron", "source"), 14),
    Column("area", "Gebied", "Area", ("gezagsgebied",), 16),
    Column("region", "Regio", "Region", ("veiligheidsregio", "eenheid"), 14),
    Column("acts_for", "Namens", "Acts for", ("mandaatgever", "mandator", "acts_for",
                                              "handelt namens"), 16),
    Column("authority", "Gezag", "Authority", ("bevoegdheid", "domains"), 50),
    Column("mandate", "Mandaat", "Mandate", (), 40),
)
V2_ROLE_COLUMNS = ("role", "area", "region", "acts_for", "mandate")

SCENARIO_COLUMNS = (
    Column("kind", "Soort", "Kind", ("veld", "field", "type"), 16),
    Column("id", "Id", "Id", (), 22),
    Column("name", "Naam", "Name", ("label", "titel", "title"), 40),
    Column("value", "Waarde", "Value", ("tekst", "text"), 70),
)

SHEET_NAMES = {
    "injects": {"nl": "Injects", "en": "Injects",
                "aliases": ("injects", "msel", "berichten", "stimuli", "chronogramme",
                            "events", "inject list")},
    "decisions": {"nl": "Besluiten", "en": "Decisions",
                  "aliases": ("besluiten", "decisions", "besluitpunten")},
    "roles": {"nl": "Rollen", "en": "Roles", "aliases": ("rollen", "roles")},
    "scenario": {"nl": "Scenario", "en": "Scenario", "aliases": ("scenario",)},
}

# Row kinds of the Scenario sheet (Dutch and English words; the first is the key).
SCENARIO_KINDS = {
    "id": ("id",), "title": ("titel", "title"), "start": ("start",), "end": ("einde", "end"),
    "duration": ("duur", "duration"), "summary": ("samenvatting", "summary"),
    "facilitator": ("oefenleider", "facilitator"), "parameter": ("parameter",),
    "phase": ("fase", "phase"), "objective": ("oefendoel", "objective"),
    "state": ("toestand", "state"), "resource": ("capaciteit", "resource"),
    "domain": ("domein", "domain"),
    "region": ("regio", "region"), "area": ("gebied", "area"), "crisis": ("crisis",),
}
KIND_WORDS = {"nl": {k: v[0] for k, v in SCENARIO_KINDS.items()},
              "en": {k: v[-1] for k, v in SCENARIO_KINDS.items()}}


def match_headers(headers: list[str], columns: tuple[Column, ...]) -> dict[str, int]:
    """Column key -> 0-based index for the headers a sheet has; unknown headers are left out.

    A header matches a column's Dutch or English header or one of its variants; the first
    column that matches wins, and a key is taken by its first header only.
    """
    table: dict[str, str] = {}
    for col in columns:
        for name in (col.nl, col.en, *col.aliases):
            table.setdefault(normal(name), col.key)
    found: dict[str, int] = {}
    for index, header in enumerate(headers):
        key = table.get(normal(header))
        if key is not None and key not in found:
            found[key] = index
    return found
