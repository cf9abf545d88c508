"""Command palette: every key binding of the current screen, by its description."""

from __future__ import annotations

from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider


class ScreenCommands(Provider):
    """Offers the current screen's bindings (and the app's) as palette commands."""

    def _commands(self) -> list[tuple[str, Any, str]]:
        screen = self.screen
        seen: set[str] = set()
        out = []
        for node in (screen, self.app):
            # the node's own (translated) bindings, not the class's BINDINGS
            for key, bindings in node._bindings.key_to_bindings.items():
                for binding in bindings:
                    if binding.action in seen or not binding.description:
                        continue
                    seen.add(binding.action)
                    out.append((binding.description, partial(node.run_action, binding.action),
                                f"{key} · {binding.tooltip or ''}"))
        return out

    async def discover(self) -> Hits:
        for label, run, help_text in self._commands():
            yield DiscoveryHit(label, run, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for label, run, help_text in self._commands():
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, matcher.highlight(label), run, help=help_text)
