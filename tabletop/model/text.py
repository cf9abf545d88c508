"""Text hygiene shared by loading and display: no control characters reach a terminal.

Text from scenarios, logs and users is data. `clean_text` is the one sanitizer every output
uses (the CLI, the TUI, the reports): whole escape sequences (CSI, OSC such as OSC 52
clipboard, OSC 0 window title and OSC 8 links, DCS/SOS/PM/APC strings, two-character ESC
sequences) go, then any remaining C0 control character except newline and tab, DEL and C1;
a lone surrogate (not text, and unprintable) becomes U+FFFD. `json_safe` escapes what JSON
itself would let through to a terminal.
"""

from __future__ import annotations

import re

_SEQUENCE = re.compile(
    r"(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?"          # CSI ... final byte
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c\n]*(?:\x07|\x1b\\|\x9c)?"
    # ^ OSC / DCS / SOS / PM / APC strings, to their terminator (or the end of the line)
    r"|\x1b[\x20-\x2f]*[\x30-\x7e]?"                                  # other ESC sequences
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_JSON_UNSAFE = re.compile(r"[\x7f-\x9f\ud800-\udfff\u2028\u2029]")


def clean_text(text: str) -> str:
    """Text safe to show: escape sequences and control characters dropped (newlines and tabs
    kept), lone surrogates replaced."""
    if text.isprintable():  # the common case, and fast: no control character at all
        return text
    if "\x1b" in text or _has_c1_introducer(text):
        text = _SEQUENCE.sub("", text)
    text = _CONTROL.sub("", text)
    return _SURROGATE.sub("\ufffd", text)


def _has_c1_introducer(text: str) -> bool:
    return any(c in text for c in "\x90\x98\x9b\x9d\x9e\x9f")


def json_safe(text: str) -> str:
    """A JSON document's text with DEL, C1, lone surrogates and the line separators escaped
    as `\\uXXXX` (JSON escapes only C0 itself); valid JSON that means the same."""
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
