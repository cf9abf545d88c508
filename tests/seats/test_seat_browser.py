"""A real browser (Playwright driving Chromium) joins a seat of `tabletop serve`.

What the browser receives is read off the websocket (the terminal's bytes), so the test
sees what a visitor's browser got, not only what was drawn.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from seatpaths import SCENARIO

from tabletop.journal.seatcodes import codes_path, ensure_codes, revoke
from tabletop.journal.seats import SeatHost
from tabletop.journal.session import LiveSession, SessionSettings
from tabletop.journal.store import FileStore
from tabletop.model.commands import RunUntil
from tabletop.model.loading import load_scenario

CHROMIUM = Path("/usr/bin/chromium")
# One Chromium for the module (each test opens its own page, in a context of its own), so the
# module's tests go to one xdist worker together.
pytestmark = pytest.mark.xdist_group("chromium")
ANSI = re.compile(rb"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>]")


def _require_browser() -> None:
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true" or os.environ.get("TABLETOP_REQUIRE_BROWSER"):
            pytest.fail(f"{CHROMIUM} is missing; install it: apt-get install -y chromium")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install -y chromium to run this test)")


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path, LiveSession, dict[str, str]]]:
    _require_browser()
    loaded = load_scenario(SCENARIO)
    log = tmp_path / "live.jsonl"
    session = LiveSession.start(loaded, SessionSettings(
        title="Oefening Noord", participants={r: "" for r in loaded.roles}), log)
    session.apply(RunUntil(until=45))
    codes = ensure_codes(codes_path(log), [*loaded.roles, "controller", "evaluator"])
    port = _port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "tabletop", "serve", str(log), "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), 0.5).close()
                break
            except OSError:
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}/", log, session, codes
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        out, err = proc.communicate(timeout=10)
        session.close()
    assert b"127.0.0.1" in err and b"alleen deze machine" in err  # Dutch, the default


class Browser:
    def __init__(self, page: Any) -> None:
        self.page = page
        self.frames: list[bytes] = []
        self.focused = False
        page.on("websocket", lambda ws: ws.on("framereceived", self._frame))

    def _frame(self, payload: Any) -> None:
        self.frames.append(payload if isinstance(payload, bytes) else str(payload).encode())

    def text(self) -> str:
        """Everything the browser received, without the terminal's control codes."""
        return ANSI.sub(b"", b"".join(self.frames)).decode("utf-8", "replace")

    def wait_for(self, needle: str, timeout: float = 20, since: int = 0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if needle in self.text()[since:]:
                return True
            self.page.wait_for_timeout(200)
        return False

    def type(self, text: str) -> None:
        """Keys into the terminal (focused once: a click would move the app's focus)."""
        if not self.focused:
            self.page.locator(".xterm-helper-textarea").first.focus()
            self.focused = True
        self.page.keyboard.type(text, delay=20)
        self.page.keyboard.press("Enter")


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """One Chromium for the module's tests: starting it takes a second or two."""
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--headless", "--no-sandbox", "--disable-gpu",
                  "--disable-background-networking"])
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def browser(chromium: Any) -> Iterator[Any]:
    """The module's Chromium; a test's pages (`new_page`: each in a fresh context, no
    cookies, storage or cache of another test) are closed when the test ends."""
    yield chromium
    for context in chromium.contexts:
        context.close()


def _visit(browser: Any, url: str, tmp_path: Path, name: str) -> Browser:
    page = browser.new_page(viewport={"width": 1100, "height": 700})
    visitor = Browser(page)
    page.goto(url)
    page.locator(".xterm").first.wait_for(timeout=20_000)
    assert visitor.wait_for("Toegangscode"), visitor.text()[-500:]
    return visitor


def test_a_visitor_with_a_code_sees_only_that_seat_and_submits_advice(
        served: tuple[str, Path, LiveSession, dict[str, str]], browser: Any,
        tmp_path: Path) -> None:
    url, log, session, codes = served
    visitor = _visit(browser, url, tmp_path, "om")
    visitor.type(codes["om"])
    assert visitor.wait_for("Wat doet u met de blokkade?"), visitor.text()[-800:]
    assert visitor.wait_for("Blokkade")
    seen = visitor.text()
    assert "Officier van justitie" in seen and "06:40 MELDING Blokkade" in seen
    assert "Melding —" not in seen  # sent to the mayor and the police, not to the om
    visitor.page.screenshot(path=os.environ.get("TABLETOP_SEAT_SCREENSHOT",
                                                str(tmp_path / "seat.png")))
    visitor.type("Gedogen tot de middag")  # the focused text field: advice on the decision
    assert visitor.wait_for("ingestuurd"), visitor.text()[-800:]
    host = SeatHost(session, FileStore(log))
    deadline = time.monotonic() + 10
    taken: list[Any] = []
    while not taken and time.monotonic() < deadline:
        taken = host.tick()
        time.sleep(0.2)
    assert [t.state for t in taken] == ["applied"], taken
    lines = [json.loads(x) for x in log.read_bytes().splitlines()]
    note = next(x for x in lines if x["type"] == "note")
    assert note["by"] == "om" and "Gedogen tot de middag" in note["text"]
    command = next(x for x in lines if x["type"] == "command" and x["command"]["kind"] == "note")
    assert command["command"]["origin"] == "seat:om"
    assert host.advice_for("aanpak") == {"om": "ontruimen"}
    assert visitor.wait_for("verwerkt"), visitor.text()[-800:]


def test_a_wrong_or_revoked_code_sees_nothing(
        served: tuple[str, Path, LiveSession, dict[str, str]], browser: Any,
        tmp_path: Path) -> None:
    url, log, _, codes = served
    visitor = _visit(browser, url, tmp_path, "wrong")
    visitor.type("not-a-code-at-all")
    assert visitor.wait_for("onbekende of ingetrokken toegangscode")
    revoke(codes_path(log), "burgemeester")
    visitor.type(codes["burgemeester"])
    visitor.page.wait_for_timeout(1500)
    seen = visitor.text()
    assert seen.count("onbekende of ingetrokken toegangscode") >= 1
    for secret in ("Blokkade", "Wat doet u", "Meldkamer", "Oefening Noord"):
        assert secret not in seen
    # a visitor inside when the code is revoked is sent back to the join screen
    other = _visit(browser, url, tmp_path, "politie")
    other.type(codes["politie"])
    assert other.wait_for("Meldkamer")
    before = len(other.text())
    revoke(codes_path(log), "politie")
    assert other.wait_for("Toegangscode van uw plaats", timeout=10, since=before)


def test_serve_from_postgresql(pg_url: str, browser: Any, tmp_path: Path) -> None:
    """The same, with the exercise in PostgreSQL: the seat reads only its view."""
    from tabletop.journal.pgstore import PgStore
    from tabletop.journal.storeio import start_in_store

    loaded = load_scenario(SCENARIO)
    store = PgStore(pg_url, "web")
    session = start_in_store(loaded, SessionSettings(
        title="Oefening Web", participants={r: "" for r in loaded.roles}), store)
    session.apply(RunUntil(until=45))
    host = SeatHost(session, store)
    host.tick()
    codes_file = tmp_path / "web.codes"
    codes = ensure_codes(codes_file, [*loaded.roles, "controller", "evaluator"])
    port = _port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "tabletop", "serve", "--store", pg_url, "--exercise", "web",
         "--codes", str(codes_file), "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), 0.5).close()
                break
            except OSError:
                time.sleep(0.2)
        visitor = _visit(browser, f"http://127.0.0.1:{port}/", tmp_path, "om")
        visitor.type(codes["om"])
        assert visitor.wait_for("Wat doet u met de blokkade?"), visitor.text()[-800:]
        assert "Oefening Web" in visitor.text()
        visitor.type("Eerst de dialoog")
        assert visitor.wait_for("ingestuurd"), visitor.text()[-800:]
        taken: list[Any] = []
        deadline = time.monotonic() + 10
        while not taken and time.monotonic() < deadline:
            taken = host.tick()
            time.sleep(0.2)
        assert [t.state for t in taken] == ["applied"]
        assert any(b"Eerst de dialoog" in raw and b'"by":"om"' in raw for _, raw in store.read())
        assert visitor.wait_for("verwerkt")
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.communicate(timeout=10)
        session.close()
