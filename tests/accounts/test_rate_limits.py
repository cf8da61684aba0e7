"""Log-in limits are per account, so one venue's shared IP does not lock everybody out."""

import pytest

from eventhub.accounts import throttle
from eventhub.extensions import limiter
from tests.factories import make_user


@pytest.fixture
def rate_limits(app):
    # Sign-in counts failures per account and address (accounts/throttle.py); reset by the API's limits.
    keys = ("LOGIN_LIMIT_PER_ACCOUNT", "LOGIN_LIMIT_PER_IP", "LOGIN_FAILURES_PER_ACCOUNT_AND_IP",
            "LOGIN_FAILURES_PER_IP")
    previous = {k: app.config[k] for k in keys}
    app.config.update(LOGIN_LIMIT_PER_ACCOUNT="3 per 15 minutes", LOGIN_LIMIT_PER_IP="50 per 15 minutes",
                      LOGIN_FAILURES_PER_ACCOUNT_AND_IP="3 per 15 minutes",
                      LOGIN_FAILURES_PER_IP="50 per 15 minutes")
    limiter.reset()
    with app.app_context():
        throttle.reset()
    yield
    app.config.update(previous)
    limiter.reset()
    with app.app_context():
        throttle.reset()


def test_guessing_one_password_is_stopped_but_others_on_the_same_ip_get_in(client, db, rate_limits):
    victim, neighbour = make_user(), make_user()
    for _ in range(3):
        assert client.post("/login", data={"email": victim.email, "password": "guess"}).status_code == 200
    blocked = client.post("/login", data={"email": victim.email, "password": "guess"})
    assert blocked.status_code == 429
    assert int(blocked.headers["Retry-After"]) > 0
    other = client.post("/login", data={"email": neighbour.email, "password": "correct-horse-42"})
    assert other.status_code == 302


def test_api_token_limit_answers_429_json_with_retry_after(client, db, rate_limits):
    user = make_user()
    for _ in range(3):
        client.post("/api/v1/auth/tokens", json={"email": user.email, "password": "guess"})
    response = client.post("/api/v1/auth/tokens", json={"email": user.email, "password": "guess"})
    assert response.status_code == 429
    assert response.get_json()["error"]["code"] == "rate_limited"
    assert int(response.headers["Retry-After"]) > 0
