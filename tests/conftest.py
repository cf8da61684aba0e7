"""Fixtures: one app per test session on the real database, emptied after every test.

SQLite (a file, in WAL mode) by default; PostgreSQL when TEST_DATABASE_URL names one, e.g.
postgresql+psycopg://postgres@127.0.0.1:5432/eventhub_test – the database is created if missing.
"""

from __future__ import annotations

import contextvars
import os

import pytest
from aiosmtpd.controller import Controller
from flask import has_app_context
from flask.testing import FlaskClient

from eventhub import create_app
from eventhub.extensions import db as _db
from tests.support.database import empty_tables, ensure_postgres_database
from tests.support.live import free_port
from tests.support.mail import SmtpCollector

# shared fixtures (tests/support)
pytest_plugins = ["tests.support.fixtures", "tests.support.demo", "tests.support.browser"]


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        worker = os.environ.get("PYTEST_XDIST_WORKER")
        if worker:  # pytest -n: each worker empties its own database, not the others'
            url = f"{url}_{worker}"
        ensure_postgres_database(url)
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'eventhub-test.db'}"


class IsolatedClient(FlaskClient):
    """Runs every request in a fresh context, as a server would.

    Flask reuses an app context that is already pushed – the test's own – so without this a
    request would share the test's `g` and database session and hide real bugs.
    """

    def open(self, *args, **kwargs):
        response = contextvars.Context().run(super().open, *args, **kwargs)
        if has_app_context():  # the test's objects read the request's writes afresh
            _db.session.expire_all()
        return response


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    app = create_app({
        "ENV_CONFIG": "testing",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "MAIL_OUTBOX_DIR": str(tmp_path_factory.mktemp("outbox")),
    })
    app.test_client_class = IsolatedClient
    with app.app_context():
        _db.drop_all()
        _db.create_all()
    yield app
    with app.app_context():
        _db.session.remove()
        _db.engine.dispose()


@pytest.fixture
def db(app):
    """An app context with an empty database; everything written is removed afterwards."""
    with app.app_context():
        yield _db
        _db.session.rollback()
        empty_tables()
        _db.session.remove()


@pytest.fixture
def client(app, db):
    return app.test_client()


@pytest.fixture
def outbox(app):
    """The .eml files written when no SMTP server is configured."""
    from pathlib import Path

    folder = Path(app.config["MAIL_OUTBOX_DIR"])
    for old in folder.glob("*.eml"):
        old.unlink()
    return folder


@pytest.fixture
def smtp_server(app):
    """A real SMTP server on loopback; the app sends to it while the test runs."""
    handler = SmtpCollector()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    previous = {k: app.config[k] for k in ("MAIL_SERVER", "MAIL_PORT")}
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    yield handler
    app.config.update(previous)
    controller.stop()
