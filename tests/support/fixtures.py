"""Fixtures several test folders use (registered in tests/conftest.py): accounts to act as, a live server."""

from __future__ import annotations

import threading

import pytest
from werkzeug.serving import make_server

from tests.factories import make_user, token_headers


@pytest.fixture
def organizer(db):
    return make_user("organizer")


@pytest.fixture
def organizer_headers(organizer):
    return token_headers(organizer)


@pytest.fixture
def participant(db):
    return make_user("participant")


@pytest.fixture
def participant_headers(participant):
    return token_headers(participant)


@pytest.fixture
def server(app, db):
    """The real app on a free loopback port (for `race_requests`); `db` empties the tables afterwards."""
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, name="eventhub-test-server", daemon=True)
    thread.start()
    yield httpd.server_port
    httpd.shutdown()
    thread.join(timeout=10)
    httpd.server_close()
