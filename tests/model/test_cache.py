"""The cache of validated scenarios: the same result as validating, never a stale, corrupt
or foreign one; and the per-process memory of loaded roles and scenarios."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tabletop.model import cache, loading
from tabletop.model.cache import cache_dir, headings, load_cached
from tabletop.model.loading import forget_loaded, load_roles, load_scenario
from tabletop.model.paths import roles_digest

pytestmark = pytest.mark.usefixtures("english")  # assertions read in English

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = sorted((ROOT / "scenarios").glob("*.yaml"))

SMALL = """\
format: 1
id: klein
title: Klein scenario
start: 2027-03-14T06:00:00+01:00
roles: [burgemeester, politie]
injects:
  - {id: melding, at: 10m, from: Meldkamer, to: [burgemeester], channel: melding,
     title: Melding, attachments: [kaart.md]}
"""
"""Valid with its attachment; one warning (the politie receives nothing)."""


@pytest.fixture(autouse=True)
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("TABLETOP_CACHE_DIR", str(folder))
    forget_loaded()
    return folder


@pytest.fixture
def small(tmp_path: Path) -> Path:
    folder = tmp_path / "scenarios"
    folder.mkdir()
    path = folder / "klein.yaml"
    path.write_text(SMALL, encoding="utf-8")
    (folder / "kaart.md").write_text("# Kaart\n", encoding="utf-8")
    return path


def no_validation(monkeypatch: pytest.MonkeyPatch) -> None:
    """From here on, a scenario that is parsed and checked fails the test."""
    def refuse(*args: object) -> None:
        raise AssertionError("the scenario was validated again")
    monkeypatch.setattr(loading, "check_loaded", refuse)


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_a_cached_scenario_is_the_validated_one(path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    fresh = load_cached(path)
    forget_loaded()
    no_validation(monkeypatch)
    again = load_cached(path)
    assert repr(again.scenario) == repr(fresh.scenario)  # also int vs float, field by field
    assert again.scenario.model_dump_json() == fresh.scenario.model_dump_json()
    assert (again.warnings, again.content_hash, again.path) == (
        fresh.warnings, fresh.content_hash, fresh.path)
    assert list(again.roles) == list(fresh.roles) and again.domains == fresh.domains


def test_entries_are_owner_only(small: Path, own_cache: Path) -> None:
    load_cached(small)
    files = list((own_cache / "scenarios").iterdir())
    assert len(files) == 2
    assert all(f.stat().st_mode & 0o077 == 0 for f in files)
    assert (own_cache / "scenarios").stat().st_mode & 0o077 == 0


def test_a_changed_file_is_validated_again(small: Path) -> None:
    assert load_cached(small).scenario.title == "Klein scenario"
    forget_loaded()
    small.write_text(SMALL.replace("Klein scenario", "Ander scenario"), encoding="utf-8")
    assert load_cached(small).scenario.title == "Ander scenario"


def test_an_attachment_that_went_missing_is_noticed(small: Path) -> None:
    from tabletop.errors import ScenarioProblems

    load_cached(small)
    (small.parent / "kaart.md").unlink()
    with pytest.raises(ScenarioProblems, match="attachment 'kaart.md' not found"):
        load_scenario(small)  # remembered in this process, but not with the file gone
    forget_loaded()
    with pytest.raises(ScenarioProblems, match="attachment 'kaart.md' not found"):
        load_cached(small)  # in the cache on disk, but not with the file gone


def _entry(own_cache: Path, suffix: str) -> Path:
    """The entry's scenario (`.scenario.json`) or its description (`.json`)."""
    files = sorted((own_cache / "scenarios").iterdir())
    body = next(p for p in files if p.name.endswith(".scenario.json"))
    return body if suffix == ".scenario.json" else next(p for p in files if p != body)


def test_a_corrupt_entry_is_ignored_and_rewritten(small: Path, own_cache: Path) -> None:
    load_cached(small)
    body = _entry(own_cache, ".scenario.json")
    body.write_text('{"format": 1, "id": "klein", "title": "Vals"}')
    forget_loaded()
    assert load_cached(small).scenario.title == "Klein scenario"
    forget_loaded()
    meta = _entry(own_cache, ".json")
    meta.write_text("{not json")
    assert load_cached(small).scenario.title == "Klein scenario"
    assert json.loads(meta.read_text())["heading"]["title"] == "Klein scenario"


def _forge(own_cache: Path, title: str) -> None:
    """Rewrite the entry as someone would who knows the format (hashes fixed up)."""
    import hashlib

    body = _entry(own_cache, ".scenario.json")
    forged = body.read_text().replace("Klein scenario", title).encode()
    body.write_bytes(forged)
    meta = _entry(own_cache, ".json")
    data = json.loads(meta.read_text())
    data["scenario_sha256"] = hashlib.sha256(forged).hexdigest()
    data["heading"]["title"] = title
    meta.write_text(json.dumps(data))


def test_an_entry_others_could_write_is_not_trusted(small: Path, own_cache: Path) -> None:
    load_cached(small)
    _forge(own_cache, "Vervalst")
    for path in (own_cache / "scenarios").iterdir():
        path.chmod(0o666)
    forget_loaded()
    assert headings([small]) == [None]
    assert load_cached(small).scenario.title == "Klein scenario"
    assert [h.title for h in headings([small]) if h] == ["Klein scenario"]  # rewritten


def test_a_folder_others_could_write_is_not_trusted(small: Path, own_cache: Path) -> None:
    load_cached(small)
    _forge(own_cache, "Vervalst")
    os.chmod(own_cache / "scenarios", 0o777)
    forget_loaded()
    assert headings([small]) == [None]
    assert load_cached(small).scenario.title == "Klein scenario"


def test_a_linked_entry_is_not_followed(small: Path, own_cache: Path, tmp_path: Path) -> None:
    load_cached(small)
    _forge(own_cache, "Vervalst")
    for path in list((own_cache / "scenarios").iterdir()):
        target = tmp_path / path.name
        shutil.move(path, target)
        path.symlink_to(target)
    forget_loaded()
    assert load_cached(small).scenario.title == "Klein scenario"


def test_headings_need_no_pydantic(small: Path, own_cache: Path) -> None:
    """The home screen's titles come from the cache before the models are imported."""
    load_cached(small)
    code = ("import sys\n"
            "from pathlib import Path\n"
            "from tabletop.model.cache import headings\n"
            f"found = headings([Path({str(small)!r}), Path({str(small.parent / 'nee.yaml')!r})])\n"
            "print([h.title if h else None for h in found], 'pydantic' in sys.modules)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, env={**os.environ, "TABLETOP_CACHE_DIR": str(own_cache)})
    assert proc.stdout.strip() == "['Klein scenario', None] False"


def test_the_cache_folder_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("TABLETOP_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "tabletop"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_dir() == tmp_path / "home" / ".cache" / "tabletop"


def test_another_program_does_not_share_entries(small: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    load_cached(small)
    forget_loaded()
    monkeypatch.setattr(cache, "_fingerprint", "another program")
    assert headings([small]) == [None]


def test_the_roles_digest_is_the_one_loading_computes() -> None:
    folder = ROOT / "roles"
    assert roles_digest(folder) == load_roles(folder).digest != ""


def test_a_scenario_is_validated_once_per_process(small: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    first = load_scenario(small)
    no_validation(monkeypatch)
    second = load_scenario(small)
    assert second is not first and second.scenario is first.scenario
    second.warnings.clear()
    assert load_scenario(small).warnings == first.warnings != []
