"""Pooled PostgreSQL connections without pool_pre_ping (issue 17.4): one left idle is pinged before use,
so a database restart while the app was quiet costs no request; one used a moment ago is not (that ping
was a round trip per request), and if it died meanwhile its request fails once and the pool reconnects."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from eventhub import extensions
from tests.support.database import postgres_url

pytestmark = pytest.mark.slow


@pytest.fixture
def engine():
    url = postgres_url("idle")
    engine = create_engine(url, pool_size=2)  # production's options: no pool_pre_ping
    yield engine
    engine.dispose()


def _backend(engine) -> int:
    with engine.connect() as conn:
        return conn.scalar(text("SELECT pg_backend_pid()"))


def _terminate(engine, pid: int) -> None:
    admin = create_engine(make_url(engine.url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        assert conn.scalar(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    admin.dispose()


def test_an_idle_connection_that_died_is_replaced_before_use(engine, monkeypatch):
    pid = _backend(engine)
    _terminate(engine, pid)
    monkeypatch.setattr(extensions, "IDLE_PING_SECONDS", 0.0)  # as if it had sat idle for long

    assert _backend(engine) != pid  # no error: the ping found it dead, the pool reconnected


def test_a_connection_used_a_moment_ago_is_not_pinged_and_a_failure_renews_the_pool(engine, monkeypatch):
    monkeypatch.setattr(extensions, "IDLE_PING_SECONDS", 3600.0)
    pings = []
    monkeypatch.setattr(extensions, "_ping", pings.append)
    pid = _backend(engine)
    assert _backend(engine) == pid and pings == []  # reused without a round trip
    _terminate(engine, pid)

    with pytest.raises(OperationalError) as failure:
        _backend(engine)
    assert failure.value.connection_invalidated  # errors.py answers 503 for this
    assert _backend(engine) != pid  # the next request reconnects
