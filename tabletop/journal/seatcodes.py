"""Join codes of the seats: one random code per seat, in a file beside the log (0600).

A visitor of `tabletop serve` types a code and sees that seat only. Codes are made with
`secrets.token_urlsafe` and compared with `hmac.compare_digest`; revoking a seat's code (or
making it a new one) takes effect at once, also for a visitor already in.
"""

from __future__ import annotations

import hmac
import json
import os
import secrets
from pathlib import Path

from tabletop.errors import Msg
from tabletop.journal.format import JournalError


def codes_path(log: Path) -> Path:
    return log.with_name(log.name + ".codes")


def read_codes(path: Path) -> dict[str, dict[str, object]]:
    try:
        data = json.loads(path.read_bytes())
    except FileNotFoundError:
        return {}
    except (OSError, json.JSONDecodeError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else Msg(
            "jr.codes_not_json")
        raise JournalError("jr.codes_unreadable", path=str(path), reason=reason) from None
    seats = data.get("seats") if isinstance(data, dict) else None
    return {k: v for k, v in seats.items() if isinstance(v, dict)} if isinstance(
        seats, dict) else {}


def _write(path: Path, seats: dict[str, dict[str, object]]) -> None:
    tmp = path.with_name(path.name + f".tmp{os.getpid()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, json.dumps({"seats": seats}, indent=1).encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)


def ensure_codes(path: Path, seats: list[str]) -> dict[str, str]:
    """The live code of every seat, making the missing ones; revoked seats are left out."""
    known = read_codes(path)
    changed = False
    for seat in seats:
        if seat not in known:
            known[seat] = {"code": secrets.token_urlsafe(9), "revoked": False}
            changed = True
    if changed or not path.exists():
        _write(path, known)
    return {s: str(v["code"]) for s, v in known.items() if not v.get("revoked")}


def revoke(path: Path, seat: str, renew: bool = False) -> str | None:
    """Revoke a seat's code; with `renew`, give it a new one (returned)."""
    known = read_codes(path)
    if seat not in known:
        raise JournalError("jr.no_code", path=str(path), seat=seat)
    if renew:
        known[seat] = {"code": secrets.token_urlsafe(9), "revoked": False}
    else:
        known[seat]["revoked"] = True
    _write(path, known)
    return str(known[seat]["code"]) if renew else None


def seat_for(path: Path, code: str) -> str | None:
    """The seat whose live code this is, or None; every code is compared, in constant time."""
    given = code.strip().encode()
    found = None
    for seat, entry in read_codes(path).items():
        ok = hmac.compare_digest(given, str(entry.get("code", "")).encode())
        if ok and not entry.get("revoked") and given:
            found = seat
    return found
