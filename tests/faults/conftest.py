"""Fault tests build apps of their own (a PostgreSQL database to break, other mail settings)."""

from __future__ import annotations

import os

from sqlalchemy.engine import make_url

from tests.conftest import _ensure_postgres_database

PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/eventhub"


def postgres_url(suffix: str) -> str:
    """A PostgreSQL database of this test run's own (next to TEST_DATABASE_URL's, or on loopback)."""
    base = os.environ.get("TEST_DATABASE_URL") or PG_DEFAULT
    parsed = make_url(base)
    url = parsed.set(database=f"{parsed.database}_{suffix}").render_as_string(hide_password=False)
    _ensure_postgres_database(url)
    return url
