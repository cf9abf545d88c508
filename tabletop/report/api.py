"""From log files to a finished report: verify, load, build, lay out, render."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tabletop.errors import Msg
from tabletop.journal.format import JournalError
from tabletop.journal.reader import Journal, read_journal
from tabletop.journal.replay import load_for
from tabletop.journal.verify import verify_and_read
from tabletop.model.loading import LoadedScenario
from tabletop.report.build import build_exercise
from tabletop.report.combine import combine
from tabletop.report.document import Document
from tabletop.report.layout import exercise_document
from tabletop.report.layout_many import combined_document

FORMATS = ("md", "html", "docx")


class ReportError(Exception):
    """A log the report refuses; the message is `tabletop verify`'s (or the reader's)."""


@dataclass
class LoggedExercise:
    journal: Journal
    loaded: LoadedScenario


def load_logs(paths: Sequence[Path], scenario_path: Path | None = None, *,
              check: bool = True) -> list[LoggedExercise]:
    """Read each log with the scenario it was written with.

    Args:
        check: run `verify` first (hash chain and re-simulation) and refuse a log that
            fails it. Without it only the hash chain is checked (golden tests use this, so
            that they test the report, not the engine).
    """
    out = []
    for path in paths:
        scenario = scenario_path or _beside(path)
        _load_once(scenario or _recorded(path))
        try:
            if check:  # the file read once: verified and kept
                verdict, journal = verify_and_read(path, scenario)
                if not verdict.ok:
                    raise ReportError(verdict.message)
            else:
                journal = read_journal(path)
            if journal.torn is not None:
                raise ReportError(str(Msg("jr.at_line", path=str(path), line=journal.torn_line,
                                          problem=Msg("jr.torn_last"))))
            out.append(LoggedExercise(journal, load_for(journal, scenario)))
        except JournalError as exc:
            raise ReportError(str(exc)) from None
    return out


def _load_once(scenario: Path | None) -> None:
    """Load a log's scenario through the cache of validated scenarios, so that verifying and
    reading each log (which load it again) find it loaded: once per report, not twice per
    log, and not at all when it validated before as it is now."""
    if scenario is None or not scenario.is_file():
        return
    from tabletop.errors import ScenarioProblems
    from tabletop.model.cache import load_cached

    try:
        load_cached(scenario)
    except ScenarioProblems:
        pass  # verify names the problems


def _recorded(path: Path) -> Path | None:
    """The scenario path a log's header records, from its first line only."""
    try:
        with path.open("rb") as handle:
            header = json.loads(handle.readline())
        recorded = (header.get("scenario") or {}).get("path", "")
    except (OSError, ValueError, AttributeError):
        return None  # verify names the problem
    return Path(recorded) if isinstance(recorded, str) and recorded else None


def _beside(path: Path) -> Path | None:
    """A scenario path recorded relative to a repository, found from the log's folders.

    Why: committed logs record `tests/...` rather than one machine's absolute path, so that
    they can be reported on from any folder of any checkout.
    """
    recorded = _recorded(path) or Path("")
    if not recorded.parts or recorded.is_absolute() or recorded.is_file():
        return None
    return next((folder / recorded for folder in path.resolve().parents
                 if (folder / recorded).is_file()), None)


def build_document(exercises: Sequence[LoggedExercise], lang: str = "nl",
                   anonymise: bool = False) -> Document:
    """One exercise: its own report; several: the comparison followed by each report."""
    reports = [build_exercise(x.journal, x.loaded, lang, anonymise) for x in exercises]
    if len(reports) == 1:
        return exercise_document(reports[0])
    return combined_document(combine(reports, lang))


def render(doc: Document, fmt: str) -> bytes:
    """The document in `md`, `html` or `docx`, as bytes (UTF-8 for the text formats)."""
    if fmt == "md":
        from tabletop.report.markdown import render_markdown

        return render_markdown(doc).encode("utf-8")
    if fmt == "html":
        from tabletop.report.html import render_html

        return render_html(doc).encode("utf-8")
    if fmt == "docx":
        from tabletop.report.docx import render_docx

        return render_docx(doc)
    raise ValueError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")


def export_report(paths: Sequence[Path], out: Path, fmt: str, lang: str = "nl",
                  anonymise: bool = False) -> Path:
    """Verify, build and write a report to `out` (never over one of the logs)."""
    if any(out.resolve() == p.resolve() for p in paths):
        raise ReportError(str(Msg("jr.report.output_is_log", path=str(out))))
    data = render(build_document(load_logs(paths), lang, anonymise), fmt)
    write_private(out, data)
    return out


def write_private(path: Path, data: bytes) -> None:
    """Write a report owner-only (0600, like the logs: it holds participants' names), also
    over an existing file."""
    import os

    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)
