"""TUI benchmarks: launch to the first interactive frame and to the first scenario title
(vs a minimal Textual app showing one line), and the slowest screen update while playing
the largest bundled scenario.

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


def bench_launch() -> None:
    launch_seconds(MINIMAL, 1)  # bytecode written, files in the page cache
    launch_seconds(TITLED, 1)  # and the bundled scenarios validated once: the cache is warm
    minimal = launch_seconds(MINIMAL)
    ours = launch_seconds(TABLETOP)
    titled = launch_seconds(TITLED)
    cold = launch_seconds(TITLED, 3, "/tmp/tabletop-bench-cold", fresh=True)
    print(f"launch to first frame: tabletop {ours * 1000:.0f} ms, minimal Textual app "
          f"{minimal * 1000:.0f} ms, ratio {ours / minimal:.2f}x (target <= 1.5x)")
    print(f"launch to first scenario title: {titled * 1000:.0f} ms, ratio "
          f"{titled / minimal:.2f}x the minimal app (target <= 1.5x); with an empty cache "
          f"{cold * 1000:.0f} ms, {cold / minimal:.2f}x")


async def _play_largest() -> list[float]:
    from tabletop.journal.session import LiveSession, SessionSettings
    from tabletop.model.loading import load_roles, load_scenario
    from tabletop.tui.app import TabletopApp
    from tabletop.tui.screens.exercise import ExerciseScreen

    roles = load_roles(ROOT / "roles")
    loaded = max((load_scenario(p, roles) for p in sorted((ROOT / "scenarios").glob("*.yaml"))),
                 key=lambda ld: len(ld.scenario.injects) + len(ld.scenario.decisions))
    settings = SessionSettings(participants={r: "" for r in loaded.roles})
    durations: list[float] = []

    def make(app: TabletopApp) -> ExerciseScreen:
        screen = ExerciseScreen(LiveSession.start(loaded, settings, None))
        original = screen.perform

        def timed(action):  # type: ignore[no-untyped-def]
            started = time.perf_counter()
            result = original(action)
            durations.append(time.perf_counter() - started)
            return result

        screen.perform = timed  # type: ignore[method-assign]
        return screen

    app = TabletopApp(start=("custom", make))
    async with app.run_test(size=(160, 48)) as pilot:
        screen = app.screen
        for _ in range(2000):
            ex = getattr(screen, "ex", None)
            if ex is None or ex.finished:
                break
            await pilot.press("space")
            await pilot.pause()
    print(f"largest scenario: {loaded.scenario.id} ({len(loaded.scenario.injects)} injects)")
    return durations


def bench_updates() -> None:
    durations = asyncio.run(_play_largest())
    durations.sort()
    p95 = durations[int(len(durations) * 0.95) - 1]
    print(f"screen updates while playing: {len(durations)} steps, median "
          f"{statistics.median(durations) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms, slowest "
          f"{durations[-1] * 1000:.1f} ms (target < 50 ms)")


def main(argv: list[str] | None = None) -> None:
    bench_launch()
    if "--launch-only" not in (sys.argv[1:] if argv is None else argv):
        bench_updates()


if __name__ == "__main__":
    main()
