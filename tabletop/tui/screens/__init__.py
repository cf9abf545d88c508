"""The app's screens; `TabletopScreen` gives each translated key bindings."""

from __future__ import annotations

from dataclasses import replace

from textual.binding import Binding, BindingsMap
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen

from tabletop.i18n import Translator


def translate_bindings(node: DOMNode, t: Translator) -> None:
    """Replace catalogue keys (`key.next`, `tip.next`) in a node's bindings by their text.

    Why: BINDINGS are class constants, but the language is chosen at start-up. Textual keeps
    each node's bindings in `_bindings` (a copy per instance), so translating the copy
    affects this node only.
    """
    keys: dict[str, list[Binding]] = {}
    for key, bindings in node._bindings.key_to_bindings.items():
        keys[key] = [replace(b, description=_tr(t, b.description), tooltip=_tr(t, b.tooltip))
                     for b in bindings]
    node._bindings = BindingsMap.from_keys(keys)


def _tr(t: Translator, text: str) -> str:
    return t(text) if text.startswith(("key.", "tip.")) else text


class TabletopScreen(Screen[object]):
    """A full screen whose binding descriptions follow the app's language."""

    def __init__(self) -> None:
        super().__init__()
        self.t: Translator = getattr(self.app, "t", Translator())
        translate_bindings(self, self.t)


class TabletopModal(ModalScreen[object]):
    """A modal dialog whose binding descriptions follow the app's language."""

    def __init__(self) -> None:
        super().__init__()
        self.t: Translator = getattr(self.app, "t", Translator())
        translate_bindings(self, self.t)
