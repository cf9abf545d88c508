"""Fixtures of the seat and store tests: a PostgreSQL schema of their own, a played log."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator

import pytest

PG_BASE = os.environ.get("TABLETOP_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")


def _unavailable(reason: str) -> None:
    if os.environ.get("TABLETOP_REQUIRE_PG") or os.environ.get("CI") == "true":
        pytest.fail(f"PostgreSQL is required here but {reason}")
    pytest.skip(f"{reason}; start PostgreSQL (pg_ctlcluster --skip-systemctl-redirect "
                "$(ls /etc/postgresql) main start) or set TABLETOP_TEST_PG to run these")


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A URL whose connections work in a fresh schema, dropped afterwards."""
    try:
        import psycopg
    except ImportError:
        _unavailable("psycopg is not installed")
        raise
    try:
        conn = psycopg.connect(PG_BASE, autocommit=True, connect_timeout=3)
    except psycopg.Error as exc:
        _unavailable(f"{PG_BASE} cannot be reached ({str(exc).strip().splitlines()[0]})")
        raise
    schema = "tt_" + secrets.token_hex(6)
    conn.execute(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in PG_BASE else "?"
    try:
        yield f"{PG_BASE}{sep}options=-csearch_path%3D{schema}"
    finally:
        conn.execute(f"DROP SCHEMA {schema} CASCADE")
        conn.close()
