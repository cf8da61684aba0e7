"""Fixtures several test folders use (registered in tests/conftest.py): accounts to act as, a live server
(tests/support/live.py)."""

from __future__ import annotations

import pytest

from tests.factories import make_user, token_headers
from tests.support.live import serve


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
def live_url(app, db):
    """The test app served on a free loopback port (for a browser); yields its base URL. `db` empties the
    tables afterwards."""
    with serve(app) as base:
        yield base


@pytest.fixture
def server(live_url):
    """The port of `live_url` (for `race_requests`)."""
    return int(live_url.rsplit(":", 1)[1])
