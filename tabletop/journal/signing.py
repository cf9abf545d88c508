"""Signed logs: an ed25519 key per installation and signed checkpoint lines.

The hash chain shows that a log's lines fit together; anyone who knows the format can
recompute it after changing a line. A checkpoint line, written after every batch the
writer puts on disk, carries an ed25519 signature over its own bytes, and those bytes name
the chain head (`prev`): the signature therefore covers every line before it. Only the
holder of the installation's private key can make one.

The key lives in the user's data folder beside the logs' default folder
(`~/.local/share/tabletop/key/`; `$TABLETOP_KEY_DIR` moves it, for tests and for a shared
machine), owner-only, created on first use. Beside it, `trusted-keys` lists the
fingerprints of other installations whose logs this one accepts (one a line, `#` comments).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import os
import re
import secrets
import socket
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from tabletop.journal.format import JournalError, dumps

CHECKPOINT = "checkpoint"
"""The journal-only line type of a signed checkpoint."""

_DOMAIN = b"tabletop checkpoint 1\n"
"""Prefixed to what is signed, so a checkpoint signature means nothing anywhere else."""

_SIG_FIELD = b',"sig":"'
KEY_FILE = "signing.key"
TRUSTED_FILE = "trusted-keys"


def key_dir() -> Path:
    """`$TABLETOP_KEY_DIR`, else `tabletop/key` in the XDG data folder."""
    configured = os.environ.get("TABLETOP_KEY_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "tabletop" / "key"


def fingerprint(public: bytes) -> str:
    """A short name for a public key: the first 96 bits of its sha256, as 24 hex digits in
    groups of four (`1a2b-3c4d-...`)."""
    digest = hashlib.sha256(public).hexdigest()[:24]
    return "-".join(digest[i:i + 4] for i in range(0, 24, 4))


def normal_fingerprint(text: str) -> str:
    """A fingerprint as users may type it (any case, with or without separators)."""
    digits = re.sub(r"[^0-9a-f]", "", text.lower())
    return "-".join(digits[i:i + 4] for i in range(0, len(digits), 4))


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: object) -> bytes | None:
    if not isinstance(text, str) or len(text) > 200:
        return None
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError):
        return None


@dataclass(frozen=True)
class Signer:
    """An installation's signing key."""

    private: Ed25519PrivateKey

    @property
    def public(self) -> bytes:
        return self.private.public_key().public_bytes_raw()

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public)

    def header_field(self) -> dict[str, str]:
        """What the journal header records of the key that signs it."""
        return {"algorithm": "ed25519", "key": b64(self.public),
                "fingerprint": self.fingerprint}

    def checkpoint(self, seq: int, t: int, wall: str, prev: str) -> bytes:
        """A signed checkpoint line over the chain head `prev` (no newline)."""
        body = dumps({"seq": seq, "t": t, "wall": wall, "type": CHECKPOINT, "prev": prev,
                      "key": b64(self.public)})
        signature = self.private.sign(_DOMAIN + body)
        return body[:-1] + _SIG_FIELD + b64(signature).encode("ascii") + b'"}'


def installation_signer(folder: Path | None = None) -> Signer:
    """This installation's key, created (owner-only) on first use."""
    folder = folder or key_dir()
    path = folder / KEY_FILE
    try:
        raw = _read_key(path)
        if raw is None:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            key = Ed25519PrivateKey.generate()
            _write_key(path, key.private_bytes_raw())
            return Signer(key)
    except OSError as exc:
        raise JournalError("jr.key_unusable", path=str(path),
                           reason=str(exc.strerror or exc)) from None
    return Signer(Ed25519PrivateKey.from_private_bytes(raw))


def _read_key(path: Path) -> bytes | None:
    try:
        text = path.read_bytes()[:256].strip()
    except FileNotFoundError:
        return None
    raw = unb64(text.decode("ascii", "replace"))
    if raw is None or len(raw) != 32:
        raise JournalError("jr.key_damaged", path=str(path))
    return raw


def _write_key(path: Path, raw: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        try:
            os.write(fd, b64(raw).encode("ascii") + b"\n")
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            os.link(tmp, path)  # never replaces a key another process made meanwhile
        except FileExistsError:
            pass
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def own_fingerprint(folder: Path | None = None) -> str | None:
    """The fingerprint of this installation's key, or None when it has none yet."""
    try:
        raw = _read_key((folder or key_dir()) / KEY_FILE)
    except JournalError:
        return None
    if raw is None:
        return None
    return fingerprint(Ed25519PrivateKey.from_private_bytes(raw).public_key().public_bytes_raw())


def trusted_fingerprints(folder: Path | None = None) -> set[str]:
    """Fingerprints listed in the trusted-keys file (missing file: none)."""
    path = (folder or key_dir()) / TRUSTED_FILE
    try:
        text = path.read_text(encoding="utf-8", errors="replace")[:100_000]
    except OSError:
        return set()
    out = set()
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            out.add(normal_fingerprint(line.split()[0]))
    return out


def split_checkpoint(raw: bytes) -> tuple[bytes, bytes] | None:
    """A checkpoint line's signed body and its signature, or None when it has no valid
    form (the signature is always the last field)."""
    at = raw.rfind(_SIG_FIELD)
    if at < 0 or not raw.endswith(b'"}'):
        return None
    signature = unb64(raw[at + len(_SIG_FIELD):-2].decode("ascii", "replace"))
    if signature is None or len(signature) != 64:
        return None
    return raw[:at] + b"}", signature


def check_checkpoint(raw: bytes, key: bytes) -> bool:
    """Whether a checkpoint line's signature is valid for the public key it names."""
    parts = split_checkpoint(raw)
    if parts is None or len(key) != 32:
        return False
    body, signature = parts
    try:
        Ed25519PublicKey.from_public_bytes(key).verify(signature, _DOMAIN + body)
    except (InvalidSignature, ValueError):
        return False
    return True


def host_name() -> str:
    try:
        return socket.gethostname()
    except OSError:  # pragma: no cover - no name resolution at all
        return "?"
