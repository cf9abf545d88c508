"""`tabletop validate`: check scenario files and roles folders, collecting every problem."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tabletop.errors import Msg, Problem, ScenarioProblems, display_path
from tabletop.model.loading import RoleLibrary, load_roles, load_scenario, roles_for


@dataclass
class ValidationReport:
    problems: list[Problem] = field(default_factory=list)
    files: int = 0
    usage: list[Msg] = field(default_factory=list)
    """Paths that could not be checked at all (missing, or a folder without YAML)."""

    @property
    def errors(self) -> int:
        return sum(p.is_error for p in self.problems)

    @property
    def warnings(self) -> int:
        return sum(not p.is_error for p in self.problems)


def _is_roles_folder(folder: Path) -> bool:
    return (folder / "domains.yaml").is_file()


def validate_paths(paths: list[Path], roles_folder: Path | None = None) -> ValidationReport:
    """Check files and folders; a folder holding `domains.yaml` is a roles folder."""
    report = ValidationReport()
    libraries: dict[Path, RoleLibrary] = {}
    reported_roles: set[Path] = set()

    def library(folder: Path) -> RoleLibrary:
        key = folder.resolve()
        if key not in libraries:
            libraries[key] = load_roles(folder)
        return libraries[key]

    def check_roles(folder: Path) -> None:
        lib = library(folder)
        if folder.resolve() not in reported_roles:
            reported_roles.add(folder.resolve())
            report.problems.extend(lib.problems)
            report.files += len(list(folder.glob("*.yaml")))

    scenario_files: list[Path] = []
    for path in paths:
        if path.is_dir():
            if _is_roles_folder(path):
                check_roles(path)
                continue
            found = sorted(path.glob("*.yaml")) + sorted(path.glob("*.yml"))
            if not found:
                report.usage.append(Msg("load.no_yaml_here", path=display_path(path)))
            scenario_files.extend(found)
        elif path.is_file():
            if _is_roles_folder(path.parent):
                check_roles(path.parent)
            else:
                scenario_files.append(path)
        else:
            report.usage.append(Msg("load.no_such_path", path=display_path(path)))
    for path in scenario_files:
        report.files += 1
        lib = library(roles_folder or roles_for(path))
        try:
            loaded = load_scenario(path, lib)
        except ScenarioProblems as exc:
            own = [p for p in exc.problems if p not in lib.problems]
            report.problems.extend(own)
            if any(p in lib.problems for p in exc.problems):
                check_roles(lib.folder)
            continue
        report.problems.extend(loaded.warnings)
    report.problems = sorted(set(report.problems))
    return report
