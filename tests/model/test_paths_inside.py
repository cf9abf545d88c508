"""Finding 4 (local files shown): materials and attachments stay inside the scenario's
folder, at validation (located) and when the materials screen opens a file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tabletop.cli import main
from tabletop.model.loading import load_roles, load_scenario

pytestmark = pytest.mark.usefixtures("english")  # assertions read in English

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "scenarios" / "voorbeeld.yaml"


def copy_example(folder: Path, path_line: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "materiaal").mkdir(exist_ok=True)
    for f in (EXAMPLE.parent / "materiaal").iterdir():
        shutil.copy(f, folder / "materiaal" / f.name)
    text = EXAMPLE.read_text(encoding="utf-8")
    old = "  - {title: Kaart van de route, path: materiaal/voorbeeld-kaart.md}"
    assert old in text
    scenario = folder / "voorbeeld.yaml"
    scenario.write_text(text.replace(old, path_line), encoding="utf-8")
    return scenario


@pytest.mark.parametrize(("path", "message"), [
    ("../geheim.md", "leaves the scenario's folder ('..')"),
    ("materiaal/../../geheim.md", "leaves the scenario's folder ('..')"),
    ("/etc/passwd", "is an absolute path"),
    ("link.md", "leads outside the scenario's folder (a symlink?)"),
])
def test_a_material_outside_the_folder_is_a_located_error(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], path: str, message: str) -> None:
    (tmp_path / "geheim.md").write_text("geheim")
    folder = tmp_path / "scenario"
    scenario = copy_example(folder, f"  - {{title: Kaart, path: {path}}}")
    (folder / "link.md").symlink_to(tmp_path / "geheim.md")
    lines = scenario.read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(lines, 1) if f"path: {path}" in text)
    assert main(["validate", str(scenario)]) == 1
    out = capsys.readouterr().out
    assert f"voorbeeld.yaml:{line}:" in out and f"material '{path}' {message}" in out


def test_an_attachment_outside_the_folder_is_a_located_error(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    scenario = copy_example(tmp_path / "s",
                            "  - {title: Kaart, path: materiaal/voorbeeld-kaart.md}")
    text = scenario.read_text(encoding="utf-8")
    marker = "injects:\n"
    first = text.index("  - id:", text.index(marker))
    text = text[:first] + "  - {id: lek, at: 1m, from: x, to: [burgemeester], channel: melding, " \
        "title: Lek, attachments: [/etc/shadow]}\n" + text[first:]
    scenario.write_text(text, encoding="utf-8")
    assert main(["validate", str(scenario)]) == 1
    out = capsys.readouterr().out
    assert "attachment '/etc/shadow' is an absolute path" in out


async def test_the_materials_screen_refuses_a_file_that_left_the_folder(tmp_path: Path) -> None:
    """A material swapped for a symlink after loading is not shown."""
    from textual.widgets import Markdown

    from tabletop.tui.app import TabletopApp
    from tabletop.tui.screens.materials import MaterialsScreen

    (tmp_path / "geheim.md").write_text("GEHEIME INHOUD")
    folder = tmp_path / "s"
    scenario = copy_example(folder, "  - {title: Kaart, path: materiaal/voorbeeld-kaart.md}")
    loaded = load_scenario(scenario, load_roles(ROOT / "roles"))
    target = folder / "materiaal" / "voorbeeld-kaart.md"
    target.unlink()
    target.symlink_to(tmp_path / "geheim.md")
    app = TabletopApp(start=("custom", lambda app: MaterialsScreen(loaded, [])))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        view = app.screen.query_one("#file-view", Markdown)
        shown = view.source
        assert "GEHEIME INHOUD" not in shown
        assert "buiten de map van het scenario" in shown


def test_markdown_from_scenarios_and_materials_makes_no_links() -> None:
    """The TUI never turns scenario or material text into links (finding 3, the TUI side)."""
    from tabletop.tui.text import safe_markdown_parser

    tokens = safe_markdown_parser().parse(
        "[klik](https://kwaad.example/) <https://x.example> https://y.example "
        "![plaatje](a.png) **vet**")
    kinds = {t.type for t in tokens} | {c.type for t in tokens for c in (t.children or [])}
    assert "strong_open" in kinds
    assert not kinds & {"link_open", "image"}


async def test_every_markdown_view_uses_the_link_free_parser(tmp_path: Path) -> None:
    from textual.widgets import Markdown

    from tabletop.tui.app import TabletopApp
    from tabletop.tui.screens.materials import MaterialsScreen
    from tabletop.tui.text import safe_markdown_parser

    folder = tmp_path / "s"
    scenario = copy_example(folder, "  - {title: Kaart, path: materiaal/voorbeeld-kaart.md}")
    (folder / "materiaal" / "voorbeeld-kaart.md").write_text(
        "Zie [de kaart](https://kwaad.example/) \x1b]52;c;aGk=\x07", encoding="utf-8")
    loaded = load_scenario(scenario, load_roles(ROOT / "roles"))
    app = TabletopApp(start=("custom", lambda app: MaterialsScreen(loaded, [])))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        view = app.screen.query_one("#file-view", Markdown)
        assert view._parser_factory is safe_markdown_parser and not view._open_links
        assert "\x1b" not in view.source and "[de kaart](https://kwaad.example/)" in view.source
    for name in ("home", "exercise", "participant", "materials"):
        source = (ROOT / "tabletop" / "tui" / "screens" / f"{name}.py").read_text()
        assert source.count("Markdown(id=") == source.count("parser_factory=safe_markdown_parser")
