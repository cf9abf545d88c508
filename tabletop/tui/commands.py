"""Command palette: every key binding of the current screen, by its description."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider


class ScreenCommands(Provider):
    """Offers the current screen's bindings (and the app's) as palette commands."""

    def _commands(self) -> list[tuple[str, str, str]]:
        screen = self.screen
        seen: set[str] = set()
        out = []
        for node in (screen, self.app):
            for binding in getattr(node, "BINDINGS", []):
                if not hasattr(binding, "action") or binding.action in seen:
                    continue
                seen.add(binding.action)
                label = binding.description or binding.action
                key = binding.key.split(",")[0]
                out.append((label, binding.action, f"{key} · {binding.tooltip or ''}"))
        return out

    async def discover(self) -> Hits:
        for label, action, help_text in self._commands():
            yield DiscoveryHit(label, partial(self.screen.run_action, action), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for label, action, help_text in self._commands():
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, matcher.highlight(label),
                          partial(self.screen.run_action, action), help=help_text)
