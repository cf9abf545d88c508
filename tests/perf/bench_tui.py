"""TUI benchmarks: launch to the first interactive frame and to the first scenario title
(vs a minimal Textual app showing one line), and the slowest screen update while playing
a 5,000-inject scenario at 4,000 feed items.

The screen update: a generated 5,000-inject scenario played to ~4,000 feed items, then
a step at a time (space): the time of the exercise screen's update (`refresh_view`) per
step (target, issue 14: under 30 ms), and of the whole step until the screen is idle.

The first title is timed with the cache of validated scenarios warm (the bundled files
validated before, as on every start but the first) and cold (an empty cache).
Target (issue 14): home screen to first scenario title at most 1.5x the minimal app.

Run: uv run python tests/perf/bench_tui.py   (or through tests/perf/run.py)
"""

from __future__ import annotations

import asyncio
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

MINIMAL = """
from textual.app import App
from textual.widgets import Label, Footer
class Minimal(App):
    def compose(self):
        yield Label("hello")
        yield Footer()
    def on_mount(self):
        self.call_after_refresh(self.ready)
    def ready(self):
        __import__("os").write(1, b"READY\\n")
        self.exit()
Minimal().run(headless=True)
"""

TABLETOP = """
from tabletop.tui.app import TabletopApp
from tabletop.tui.screens.home import HomeScreen
class Timed(TabletopApp):
    def on_mount(self):  # Textual also calls TabletopApp.on_mount (handlers run per class)
        self.set_interval(0.002, self._bench_ready)
    def _bench_ready(self):
        if isinstance(self.screen, HomeScreen) and self.screen.is_mounted and not self.seen:
            self.seen = True
            self.call_after_refresh(self.ready)
    seen = False
    def ready(self):
        __import__("os").write(1, b"READY\\n")
        self.exit()
Timed().run(headless=True)
"""


TITLED = """
from textual.widgets import OptionList
from tabletop.tui.app import TabletopApp
from tabletop.tui.screens.home import HomeScreen
class Timed(TabletopApp):
    def on_mount(self):
        self.set_interval(0.002, self._bench_ready)
    def _bench_ready(self):
        if self.seen or not isinstance(self.screen, HomeScreen) or not self.screen.is_mounted:
            return
        found = self.screen.query("#scenario-list")
        if found and found.first(OptionList).option_count:
            first = found.first(OptionList).get_option_at_index(0)
            if not first.disabled:  # a title, not the "loading" line
                self.seen = True
                self.call_after_refresh(self.ready)
    seen = False
    def ready(self):
        __import__("os").write(1, b"READY\\n")
        self.exit()
Timed().run(headless=True)
"""


def launch_seconds(code: str, repeat: int = 7, cache: str = "/tmp/tabletop-bench-cache",
                   fresh: bool = False) -> float:
    """Median time from spawning the process to its first frame being drawn (READY)."""
    times = []
    for _ in range(repeat):
        if fresh:
            shutil.rmtree(cache, ignore_errors=True)
        env = {"TEXTUAL_ANIMATIONS": "none", "TABLETOP_LOG_DIR": "/tmp/tabletop-bench",
               "PATH": "/usr/bin:/bin", "TABLETOP_CACHE_DIR": cache}
        started = time.perf_counter()
        child = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=env,
                                 stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        assert child.stdout is not None
        for line in child.stdout:
            if "READY" in line:
                times.append(time.perf_counter() - started)
                break
        child.wait(timeout=30)
        if len(times) < _ + 1:
            raise RuntimeError("the app did not reach its first frame")
    return statistics.median(times)


def bench_launch(rounds: int = 7) -> None:
    """Medians of launches run in turn, round after round (all see the machine alike)."""
    launch_seconds(MINIMAL, 1)  # bytecode written, files in the page cache
    launch_seconds(TITLED, 1)  # and the bundled scenarios validated once: the cache is warm
    runs: dict[str, Callable[[], float]] = {
        "minimal": lambda: launch_seconds(MINIMAL, 1),
        "frame": lambda: launch_seconds(TABLETOP, 1),
        "title": lambda: launch_seconds(TITLED, 1),
        "cold": lambda: launch_seconds(TITLED, 1, "/tmp/tabletop-bench-cold", fresh=True),
    }
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(rounds):
        for name, fn in runs.items():
            times[name].append(fn())
    minimal, ours, titled, cold = (statistics.median(times[n]) for n in runs)
    print(f"launch to first frame: tabletop {ours * 1000:.0f} ms, minimal Textual app "
          f"{minimal * 1000:.0f} ms, ratio {ours / minimal:.2f}x")
    print(f"launch to first scenario title: {titled * 1000:.0f} ms, ratio "
          f"{titled / minimal:.2f}x the minimal app (target <= 1.5x); with an empty cache "
          f"{cold * 1000:.0f} ms, {cold / minimal:.2f}x")


FEED = 4_000
INJECTS = 5_000


def _large_scenario(folder: Path) -> Path:
    """A 5,000-inject scenario: an inject a minute, a rule every ten, for the feed to grow."""
    injects = "\n".join(
        f"  - {{id: bericht-{i}, at: {i}m, from: Meldkamer, to: [burgemeester], "
        f"channel: melding, title: Bericht {i}, text: Melding nummer {i} van de meldkamer.}}"
        for i in range(1, INJECTS + 1))
    path = folder / "groot.yaml"
    path.write_text(f"""format: 1
id: groot
title: Een groot scenario
start: 2027-03-14T06:00:00+01:00
end: {INJECTS + 100}m
roles: [burgemeester]
state:
  teller: {{label: Teller, initial: 0, key: true}}
rules:
  - {{id: tik, every: 10m, effects: [{{add: {{teller: 1}}}}]}}
injects:
{injects}
""", encoding="utf-8")
    return path


async def _play_large(steps: int = 15) -> tuple[list[float], list[float], int]:
    """(the screen's update per step, the whole step until the screen is idle again, feed
    items) on the exercise screen of a 5,000-inject scenario played to ~4,000 feed items."""
    import tempfile

    from tabletop.journal.session import LiveSession, SessionSettings
    from tabletop.model.commands import RunUntil
    from tabletop.model.loading import load_roles, load_scenario
    from tabletop.tui.app import TabletopApp
    from tabletop.tui.screens.exercise import ExerciseScreen

    with tempfile.TemporaryDirectory() as name:
        loaded = load_scenario(_large_scenario(Path(name)), load_roles(ROOT / "roles"))
    settings = SessionSettings(participants={r: "" for r in loaded.roles})
    session = LiveSession.start(loaded, settings, None)
    feed_minute = FEED * 10 // 11  # an inject a minute and a rule's effect every ten
    session.apply(RunUntil(until=feed_minute))
    updates: list[float] = []

    def make(app: TabletopApp) -> ExerciseScreen:
        screen = ExerciseScreen(session)
        original = screen.refresh_view

        def timed(events):  # type: ignore[no-untyped-def]
            started = time.perf_counter()
            original(events)
            updates.append(time.perf_counter() - started)

        screen.refresh_view = timed  # type: ignore[method-assign]
        return screen

    app = TabletopApp(start=("custom", make))
    whole: list[float] = []
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExerciseScreen)
        updates.clear()  # (the first, on mount, shows the whole feed once)
        for _ in range(steps):
            started = time.perf_counter()
            await pilot.press("space")
            await pilot.pause()
            whole.append(time.perf_counter() - started)
        items = len(screen.feed)
        from textual.widgets import OptionList

        shown = screen.query_one("#feed", OptionList).option_count
        assert shown == items, (shown, items)
    return updates, whole, items


def bench_updates() -> None:
    updates, whole, items = asyncio.run(_play_large())
    median = statistics.median(updates) * 1000
    print(f"exercise screen update at {items:,} feed items ({INJECTS:,}-inject scenario): "
          f"median {median:.1f} ms, slowest {max(updates) * 1000:.1f} ms over {len(updates)} "
          f"steps, {median / 30:.2f}x the 30 ms target; the whole step until the screen is "
          f"idle: median {statistics.median(whole) * 1000:.0f} ms")


def main(argv: list[str] | None = None) -> None:
    bench_launch()
    if "--launch-only" not in (sys.argv[1:] if argv is None else argv):
        bench_updates()


if __name__ == "__main__":
    main()
