"""What the matchmaking tests share: a profile's API headers."""

from __future__ import annotations

from tests.factories import token_headers


def headers_of(profile):
    """API headers of the profile's owner."""
    return token_headers(profile.user)
