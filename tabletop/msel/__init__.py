"""The MSEL (Master Scenario Events List) in a spreadsheet: export, import, inject cards.

Exercise planners plan in spreadsheets, one row per inject. `export` writes a scenario as
a workbook (or a CSV of its injects), `importer` turns such a sheet back into a scenario
file, `cards` prints the injects as cards for a session without a laptop. No UI here:
the CLI (`tabletop msel`) calls these and prints their problems.
"""
