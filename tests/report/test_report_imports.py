"""The report package stays headless: no Textual and no rich, even through its imports."""

from __future__ import annotations

import subprocess
import sys

MODULES = ["tabletop.report.api", "tabletop.report.markdown", "tabletop.report.html",
           "tabletop.report.docx", "tabletop.report.layout_many"]


def test_report_imports_no_terminal_ui() -> None:
    code = (f"import sys, {', '.join(MODULES)}\n"
            "print(','.join(m for m in ('textual', 'rich', 'tabletop.tui', 'tabletop.cli') "
            "if m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert proc.stdout.strip() == ""
