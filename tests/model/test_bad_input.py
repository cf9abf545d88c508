"""Every kind of bad input gives located `FILE:LINE:COL: message` lines and exit 1, never a
traceback (exit 2 for usage errors)."""

from __future__ import annotations

import re
import time
import tracemalloc
from pathlib import Path

import pytest

from tabletop.cli import main

pytestmark = pytest.mark.usefixtures("english")  # assertions read in English

GOOD = """\
format: 1
id: t
title: T
start: 2027-03-14T06:00:00+01:00
roles: [burgemeester, politie]
state:
  spanning: {label: Spanning, initial: 1, min: 0, max: 5}
injects:
  - id: melding
    at: 10m
    from: Meldkamer
    to: [burgemeester, politie]
    channel: melding
    title: Melding
    text: Er is iets aan de hand.
decisions:
  - id: aanpak
    on: melding
    question: Wat doet u?
    domain: openbare-orde
    owner: burgemeester
    consult: [politie]
    deadline: 30m
    default: wachten
    options:
      - {id: optreden, label: Optreden, effects: [{add: {spanning: 1}}]}
      - {id: wachten, label: Wachten}
"""


def run_validate(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    code = main(["validate", str(path)])
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    return code, [line for line in out.out.splitlines() if line.strip()]


def located(lines: list[str]) -> list[tuple[int, int, str]]:
    out = []
    for line in lines:
        match = re.match(r"^.+?:(\d+):(\d+): (.*)$", line)
        assert match, f"not FILE:LINE:COL: message: {line!r}"
        out.append((int(match[1]), int(match[2]), match[3]))
    return out


def test_the_good_file_is_clean(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(GOOD)
    code, lines = run_validate(path, capsys)
    assert (code, lines) == (0, [])


CASES = [
    ("tab", GOOD.replace("  - id: melding", "\t- id: melding"), 9, "tab character"),
    ("unclosed quote", GOOD.replace("title: Melding", 'title: "Melding'), 14,
     "a quote opened here is never closed"),
    ("duplicate key", GOOD.replace("    at: 10m\n", "    at: 10m\n    at: 20m\n"), 11,
     "duplicate key 'at' (first at line 10)"),
    ("typo", GOOD.replace("title: T\n", "tittle: T\ntitle: T\n"), 3,
     "unknown key 'tittle' (did you mean 'title'?)"),
    ("at soon", GOOD.replace("at: 10m", "at: soon"), 10, "'soon' is not a duration"),
    ("negative", GOOD.replace("deadline: 30m", "deadline: -30m"), 23, "cannot be negative"),
    ("malformed", GOOD.replace("deadline: 30m", "deadline: 30x"), 23, "'30x' is not a duration"),
    ("unknown role", GOOD.replace("owner: burgemeester", "owner: burgemeestr"), 21,
     "unknown role 'burgemeestr' (did you mean 'burgemeester'?)"),
    ("list for mapping", GOOD.replace("state:\n  spanning:", "state:\n  - spanning:"), 7,
     "expected a mapping"),
    ("expression syntax", GOOD.replace("    at: 10m\n", "    when: spanning >=\n"), 10,
     "expression syntax error"),
    ("expression name", GOOD.replace("    at: 10m\n", "    when: spaning >= 3\n"), 10,
     "unknown name 'spaning' in expression 'spaning >= 3' (did you mean 'spanning'?)"),
    ("python tag", GOOD.replace("title: T\n", "title: !!python/object:os.system x\n"), 3,
     "tags are not allowed"),
    ("default not an option", GOOD.replace("default: wachten", "default: wachte"), 17,
     "default 'wachte' is not one of the options"),
]


@pytest.mark.parametrize("text,line,message", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_scenario_is_located(tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str,
                                 line: int, message: str) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(text)
    code, lines = run_validate(path, capsys)
    assert code == 1
    problems = located(lines)
    assert any(ln == line and message in msg for ln, _, msg in problems), problems


def test_empty_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("# only a comment\n")
    code, lines = run_validate(path, capsys)
    assert code == 1 and lines == [f"{path}: the file is empty"]


def test_a_list_at_the_top(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("- a\n- b\n")
    code, lines = run_validate(path, capsys)
    assert code == 1 and located(lines) == [
        (1, 1, "expected a mapping (key: value) at the top, found a list")]


def test_not_utf8(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "s.yaml"
    path.write_bytes(GOOD.replace("title: T", "title: Caf\xe9").encode("latin-1"))
    code, lines = run_validate(path, capsys)
    assert code == 1
    assert located(lines) == [(3, 11, "the file is not UTF-8 text (byte 0xe9); save it as UTF-8")]


def test_too_large(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(GOOD + "# " + "x" * (4 * 1024 * 1024) + "\n")
    code, lines = run_validate(path, capsys)
    assert code == 1 and "the limit is 4 MiB" in lines[0]


def test_billion_laughs_is_refused_fast_and_small(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i, name in enumerate("bcdefghijk"):
        prev = "abcdefghijk"[i]
        lines.append(f"{name}: &{name} [{','.join(['*' + prev] * 9)}]")
    path = tmp_path / "s.yaml"
    path.write_text("\n".join(lines) + "\n")
    tracemalloc.start()
    started = time.perf_counter()
    code, out = run_validate(path, capsys)
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert code == 1 and "expands to more than" in out[0]
    assert elapsed < 2 and peak < 50 * 1024 * 1024


def test_missing_path_is_a_usage_error(tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["validate", str(tmp_path / "nope.yaml")])
    err = capsys.readouterr().err
    assert code == 2 and "nope.yaml: no such file or folder" in err


def test_folder_without_yaml_is_a_usage_error(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["validate", str(tmp_path)])
    assert code == 2 and "no .yaml files in this folder" in capsys.readouterr().err


def test_on_stays_a_key(tmp_path: Path) -> None:
    from tabletop.model.yamlsafe import load_yaml

    value, problems = load_yaml(b"on: x\nno: yes\noff: 1.5\n", "f")
    assert problems == [] and value == {"on": "x", "no": "yes", "off": 1.5}


def test_strict_turns_warnings_into_errors(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(GOOD.replace("roles: [burgemeester, politie]",
                                 "roles: [burgemeester, politie, nctv]"))
    assert main(["validate", str(path)]) == 0
    assert "role 'nctv' takes part but receives no inject" in capsys.readouterr().out
    assert main(["validate", "--strict", str(path)]) == 1


def test_an_alias_inside_what_it_names_is_refused_not_expanded_forever(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`&a [*a, *a]` would expand without end (it used to hang `validate`)."""
    path = tmp_path / "s.yaml"
    path.write_text("a: &x [*x, *x]\n")
    started = time.perf_counter()
    code, lines = run_validate(path, capsys)
    assert time.perf_counter() - started < 2
    assert code == 1
    assert located(lines) == [(1, 4, "an alias refers to the list or mapping it is in (it "
                                     "would repeat without end)")]
