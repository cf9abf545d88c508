"""Shared fixtures: paths, loading small inline scenarios, the bundled roles."""

from __future__ import annotations

import gc
import os
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from tabletop.model.loading import LoadedScenario, RoleLibrary

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SHARED = ROOT.parent / "shared"


def _keep_bytecode() -> None:
    """Where PYTHONDONTWRITEBYTECODE is set, the test run keeps the bytecode of tabletop and
    of the tests (their rewritten asserts) all the same, in a folder of the virtual
    environment (`.venv/pycache`), never beside the sources. Without it, every xdist worker
    compiles tabletop and rewrites every test module again, on every run: about 2.5 s of
    CPU per worker. Python and pytest check a cached file against its source (mtime and size)
    before they use it. Runs outside a virtual environment are left as they are.

    Called before this file imports tabletop, so that tabletop is cached too."""
    if sys.dont_write_bytecode and sys.prefix != sys.base_prefix and not sys.pycache_prefix:
        sys.pycache_prefix = str(Path(sys.prefix) / "pycache")
        sys.dont_write_bytecode = False


_keep_bytecode()


def _collect_less_often() -> None:
    """The cyclic garbage collector runs less often in the test process: its youngest
    generation is collected every 2,000 allocations instead of 700.

    Why: a Pilot test's app leaves tens of thousands of objects in cycles (widgets and
    their parents, their caches of rendered lines); with the default threshold they
    outlive the young collections, and full collections, each scanning Textual's caches
    and everything imported (several hundred thousand objects, about 0.2 s), came every
    few tests: a fifth of the suite's CPU. With 2,000, about one in ten of those full
    collections remains, and a worker's memory stays near 300 MB. What a test sees does
    not change: reference counting frees what is not in a cycle at once, cycles are still
    freed by the next collection, and the app's and the loader's own collector handling
    (`gc.freeze` while they build) is untouched."""
    gc.set_threshold(2000, *gc.get_threshold()[1:])


_collect_less_often()


def pytest_sessionfinish(session: pytest.Session) -> None:
    """An xdist worker leaves out syrupy's summary of the snapshots.

    Why: a worker's output goes to /dev/null (execnet points its stdout there), so nobody
    reads that summary, and working out which snapshots that worker left unused cost about
    0.45 s of CPU per worker (every snapshot against every test the worker ran). syrupy's
    own end of session in a worker (`SnapshotSession.finish`, tryfirst, already run) does
    nothing under xdist either; each snapshot assertion still fails its test when the
    screen differs. The tests have run when this is called; only the summary is left."""
    if hasattr(session.config, "workerinput"):
        syrupy = session.config.pluginmanager.get_plugin("syrupy")
        if syrupy is not None:
            session.config.pluginmanager.unregister(syrupy)


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    """At the end of the run, collect until no garbage is left, then move what is left (all
    of it alive) out of the collector's reach.

    Why: after this hook pytest collects five more times, to report exceptions raised in
    finalizers (`_pytest/unraisableexception.py`). Each of those scanned every live object
    again (0.2-0.3 s each per worker) and could find nothing, since nothing is garbage when
    this loop ends. What they can still find, garbage made after this point, they find as
    before. If garbage keeps coming back (a finalizer making new cycles), nothing is
    frozen and pytest's collections run as they would have."""
    for _ in range(5):
        if gc.collect() == 0:
            gc.freeze()
            return


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The cache of validated scenarios in the session's own folder, never the user's."""
    os.environ["TABLETOP_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))


@pytest.fixture(autouse=True)
def _dutch_by_default(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every test starts in the default language (Dutch), whatever the machine's
    TABLETOP_LANG or the test before it chose (`tabletop --lang en` sets it per process)."""
    from tabletop.i18n import set_language

    monkeypatch.delenv("TABLETOP_LANG", raising=False)
    set_language("nl")
    yield
    set_language("nl")


@pytest.fixture
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    """Messages in English for this test, the CLI's too (`TABLETOP_LANG=en`): for tests
    whose assertions read best in English. Dutch, the default, has its own tests
    (tests/test_messages.py)."""
    from tabletop.i18n import set_language

    monkeypatch.setenv("TABLETOP_LANG", "en")
    set_language("en")


@pytest.fixture(scope="session", autouse=True)
def signing_key_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One installation key for the test session, never the user's own (hostile-input area)."""
    folder = tmp_path_factory.mktemp("key")
    os.environ["TABLETOP_KEY_DIR"] = str(folder)
    return folder


@pytest.fixture(scope="session")
def roles() -> RoleLibrary:
    from tabletop.model.loading import load_roles

    return load_roles(ROOT / "roles")


@pytest.fixture
def write(tmp_path: Path) -> Callable[..., Path]:
    """Write a dedented text file into the test's folder and return its path."""
    def _write(text: str, name: str = "s.yaml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path
    return _write


@pytest.fixture
def scenario(write: Callable[..., Path],
             roles: RoleLibrary) -> Callable[[str], LoadedScenario]:
    """Load an inline scenario body (everything after the standard header)."""
    from tabletop.model.loading import load_scenario

    def _load(body: str, roles_line: str = "roles: [burgemeester, politie, om]",
              fmt: int = 1) -> LoadedScenario:
        head = (f"format: {fmt}\nid: t\ntitle: T\nstart: 2027-03-14T06:00:00+01:00\n"
                f"{roles_line}\n")
        return load_scenario(write(head + textwrap.dedent(body)), roles)
    return _load
