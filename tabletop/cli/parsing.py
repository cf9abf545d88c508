"""The command line's parser in the user's language: help texts from the catalogue
(`helptext`), the language asked for found before the parser is built (`requested_language`),
and argparse's own words (`usage:`, `options`, its usage errors) in Dutch (`argparse_in`)."""

from __future__ import annotations

import argparse
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from tabletop.i18n import LANGS, current_language, tr
from tabletop.i18n.catalog_cli_help import ARGPARSE


def helptext(key: str) -> str:
    """The text of `key` in the current language, for a `help=`, `description=` or `metavar=`
    (the parser is built after `set_language`, so it is read in the user's language)."""
    return tr(key, current_language())


def requested_language(argv: Sequence[str]) -> str | None:
    """The language `argv` asks for: the last `--lang X` or `--lang=X`, before or after the
    command word (argparse keeps the last one too), or None (then `TABLETOP_LANG`, else
    Dutch). A value that is not a language (`--lang de`, a `--lang` with none) changes
    nothing: argparse refuses it, in the language chosen so far. Abbreviations from `--la`
    are `--lang`, as for argparse: no other option of tabletop starts so."""
    found: str | None = None
    words = iter(argv)
    for word in words:
        if word == "--":
            break
        name, equals, value = word.partition("=")
        if len(name) >= 4 and "--lang".startswith(name):
            value = value if equals else next(words, "")
            found = value if value in LANGS else found
    return found


@contextmanager
def argparse_in(lang: str) -> Iterator[None]:
    """argparse's own words in `lang` while the parser is built and parses: the group
    titles and `-h`'s help are read when a parser is made, `usage:` and the usage errors
    when it prints them.

    Why this hook: argparse (3.11) looks each of its strings up through its module-level
    `_` (`gettext.gettext`) and `ngettext` at call time. gettext's own route would need
    compiled `.mo` files in the process-wide `messages` domain and the language in the
    `LANGUAGE` environment variable, which every child process (the seats of `serve`)
    inherits; this swaps the two names for a lookup in the catalogue and puts argparse's
    back on leaving. In English nothing is swapped: argparse speaks for itself, byte for
    byte as it always did. A string argparse asks for that the catalogue lacks (a newer
    Python's) comes out in English; tests/test_cli_help.py names every one 3.11 has.
    """
    if lang == "en":
        yield
        return
    words = {entry["en"]: entry[lang] for entry in ARGPARSE.values()}

    def gettext(message: str) -> str:
        return words.get(message, message)

    def ngettext(singular: str, plural: str, n: int) -> str:
        return gettext(singular if n == 1 else plural)  # Dutch counts as English does

    module = vars(argparse)
    saved = module["_"], module["ngettext"]
    module["_"], module["ngettext"] = gettext, ngettext
    try:
        yield
    finally:
        module["_"], module["ngettext"] = saved
