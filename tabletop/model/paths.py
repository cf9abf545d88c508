"""Where scenarios and roles are, and the digest of a roles folder: no pydantic, no YAML.

Why a module of its own: the home screen lists the bundled scenarios from the cache of
validated scenarios (`tabletop.model.cache`) before pydantic is imported; finding the files
and the roles digest that keys the cache must not import the models.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol, cast

try:  # CPython's own sha256: `hashlib` would load OpenSSL first (10-40 ms of the app's start)
    from _sha2 import sha256 as _sha256  # type: ignore[import-not-found,unused-ignore]
except ImportError:  # pragma: no cover - Python 3.11, or another implementation
    try:
        from _sha256 import sha256 as _sha256  # type: ignore[import-not-found,no-redef,unused-ignore]
    except ImportError:
        from hashlib import sha256 as _sha256  # type: ignore[assignment,unused-ignore]


class Hasher(Protocol):
    def update(self, data: bytes, /) -> None: ...
    def digest(self) -> bytes: ...
    def hexdigest(self) -> str: ...


def sha256(data: bytes = b"") -> Hasher:
    """A sha256 hasher (the same digests as `hashlib.sha256`)."""
    return cast(Hasher, _sha256(data))

PACKAGE_ROOT = Path(__file__).resolve().parent.parent


def bundled_dir(name: str) -> Path:
    """`scenarios` or `roles` beside the package (a checkout), or inside it (a wheel)."""
    for candidate in (PACKAGE_ROOT.parent / name, PACKAGE_ROOT / "_bundled" / name):
        if candidate.is_dir():
            return candidate
    return PACKAGE_ROOT.parent / name


def roles_for(path: Path) -> Path:
    """The roles folder for a scenario: `../roles` beside its folder, else the bundled one."""
    sibling = path.resolve().parent.parent / "roles"
    return sibling if (sibling / "domains.yaml").is_file() else bundled_dir("roles")


def roles_digest(folder: Path) -> str:
    """sha256 over every readable `*.yaml` file of a roles folder (name and content), as
    `load_roles` computes it for the journal's scenario hash; "" without the folder."""
    if not folder.is_dir():
        return ""
    hasher = sha256()
    for path in sorted(folder.glob("*.yaml")):
        try:
            data = path.read_bytes()
        except OSError:
            continue
        hasher.update(path.name.encode() + b"\0" + data + b"\0")
    return hasher.hexdigest()
