"""Message catalogues (Dutch first, English as an option) and their lookup. Pure."""

from __future__ import annotations

from tabletop.i18n.catalog import MESSAGES as _REPORT_AND_CLI
from tabletop.i18n.catalog_cli import CLI
from tabletop.i18n.catalog_journal import JOURNAL
from tabletop.i18n.catalog_load import LOAD
from tabletop.i18n.ui import UI

MESSAGES = {**_REPORT_AND_CLI, **UI, **LOAD, **JOURNAL, **CLI}

LANGS = ("nl", "en")
DEFAULT_LANG = "nl"


_current = {"lang": DEFAULT_LANG}


def set_language(lang: str | None) -> str:
    """The language of messages rendered without one named (CLI: `--lang`, `TABLETOP_LANG`)."""
    import os

    chosen = lang or os.environ.get("TABLETOP_LANG") or DEFAULT_LANG
    _current["lang"] = chosen if chosen in LANGS else DEFAULT_LANG
    return _current["lang"]


def current_language() -> str:
    return _current["lang"]


def tr(key: str, lang: str = DEFAULT_LANG, /, **values: object) -> str:
    """The message `key` in `lang` (falling back to Dutch), with `{name}` values filled in."""
    entry = MESSAGES.get(key)
    if entry is None:
        return key
    text = entry.get(lang) or entry["nl"]
    if not values:
        return text
    try:
        return text.format(**values)
    except (KeyError, IndexError, ValueError):  # a value not given: shown as its name
        return text.format_map(_Named(values))


class _Named(dict[str, object]):
    def __missing__(self, name: str) -> str:
        return "{" + name + "}"


class Translator:
    """`tr` bound to one language: `t = Translator("en"); t("kind.advies")`."""

    def __init__(self, lang: str = DEFAULT_LANG) -> None:
        self.lang = lang if lang in LANGS else DEFAULT_LANG

    def __call__(self, key: str, /, **values: object) -> str:
        return tr(key, self.lang, **values)
