"""Accounts the API tests act as."""

from __future__ import annotations

import pytest

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
