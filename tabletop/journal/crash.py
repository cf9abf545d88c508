"""Crash reports: when the program itself fails, what happened goes into a file beside the
log (owner-only), and the user gets one sentence instead of a traceback."""

from __future__ import annotations

import os
import platform
import sys
import traceback
from datetime import datetime
from pathlib import Path

from tabletop import __version__
from tabletop.errors import Msg

EXIT_CRASH = 70
"""Exit code of a run that stopped on an error in the program (EX_SOFTWARE)."""


def write_crash_report(error: BaseException, log: Path | None, folder: Path | None = None,
                       now: datetime | None = None) -> Path | None:
    """Write the traceback to `LOG.crash-STAMP.txt` beside the log (else in `folder`, else
    the working folder); None when no file could be written."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    if log is not None:
        candidates = [log.with_name(f"{log.name}.crash-{stamp}.txt")]
    else:
        candidates = []
    if folder is not None:
        candidates.append(folder / f"tabletop-crash-{stamp}.txt")
    candidates.append(Path.cwd() / f"tabletop-crash-{stamp}.txt")
    text = "".join([
        f"tabletop {__version__} stopped on an error in the program\n",
        f"when: {(now or datetime.now()).isoformat(timespec='seconds')}\n",
        f"python: {platform.python_version()} on {platform.platform()}\n",
        f"command: {' '.join(sys.argv)}\n",
        f"log: {log if log is not None else '-'}\n\n",
        *traceback.format_exception(type(error), error, error.__traceback__),
    ])
    for path in candidates:
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except OSError:
            continue
        try:
            os.write(fd, text.encode("utf-8", "replace"))
        except OSError:
            continue
        finally:
            os.close(fd)
        return path
    return None


def crash_message(report: Path | None, log: Path | None) -> str:
    """What the user reads when the program itself failed (in the current language; the
    report for the maintainers stays in English)."""
    kept = Msg("jr.crash.kept", log=str(log)) if log is not None else ""
    where = Msg("jr.crash.where", report=str(report)) if report else ""
    return str(Msg("jr.crash", kept=kept, where=where))
