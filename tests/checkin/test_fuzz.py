"""Property-based: whatever a scanner or a client sends as a ticket, the API never answers 500, and
every refusal is one of the codes api.md lists for a check-in, with the status that goes with it.

As in tests/api/test_fuzz.py, the `client` and `db` fixtures are per test, not per example: what
earlier examples checked in stays, so each property holds whatever is already there.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eventhub.checkin import services
from eventhub.errors import EventHubError
from tests.factories import make_user, token_headers
from tests.support.api import assert_error
from tests.support.fuzzing import bodies, fuzz, json_values, text

CHECKINS = "/api/v1/events/startup-week/checkins"
REFUSALS = {400: {"invalid_ticket"}, 404: {"unknown_ticket"},
            409: {"wrong_event", "not_confirmed", "already_checked_in"}}
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


@pytest.fixture
def scanner(client, gate, other_event):
    """A staff token and the real codes: confirmed, cancelled and of another event."""
    codes = [gate["truc"].ticket_code, gate["dung"].ticket_code, gate["cancelled"].ticket_code,
             other_event["reg"].ticket_code]
    return {"client": client, "headers": token_headers(make_user("staff")), "codes": codes,
            "event": gate["event"]}


def _mutated(codes):
    """Real codes changed a little: cut, extended, a character replaced, case and space changed."""
    def mutate(code, position, char, how, pad):
        position %= len(code)
        changed = {
            "cut": code[:position],
            "extend": code + char,
            "replace": code[:position] + char + code[position + 1:],
            "lower": code.lower(),
            "pad": pad + code + pad,
            "same": code,
        }[how]
        return changed
    return st.builds(mutate, st.sampled_from(codes), st.integers(0, 31),
                     st.sampled_from(ALPHABET) | st.characters(), st.sampled_from(
                         ["cut", "extend", "replace", "lower", "pad", "same"]),
                     st.text(" \t\r\n", max_size=3))


def _check(response):
    if response.status_code == 201:
        assert response.get_json()["result"] == "ok"
        return
    if response.status_code == 409 and response.get_json()["error"]["code"] == "already_checked_in":
        error = response.get_json()["error"]
        assert set(error) == {"code", "message", "checked_in_at", "gate"}, error
        return
    error = assert_error(response)
    assert error["code"] in REFUSALS.get(response.status_code, set()), (response.status_code, error)


@fuzz
@given(data=st.data())
def test_any_text_or_altered_code_gets_a_code_of_api_md(scanner, data):
    ticket = data.draw(text | st.text(max_size=150) | st.text(ALPHABET, min_size=30, max_size=34)
                       | _mutated(scanner["codes"]))
    response = scanner["client"].post(CHECKINS, json={"ticket_code": ticket, "gate": "Cổng A"},
                                      headers=scanner["headers"])
    _check(response)


@fuzz
@given(ticket=text | st.text(max_size=150) | st.text(ALPHABET, min_size=30, max_size=34))
def test_random_strings_are_invalid_tickets(client, scanner, ticket):
    """Random text is not a code this system issued: 400 invalid_ticket (a forgery would need the key)."""
    response = client.post(CHECKINS, json={"ticket_code": ticket}, headers=scanner["headers"])
    assert_error(response, 400, "invalid_ticket")


@fuzz
@given(body=bodies({"ticket_code": text | st.text(ALPHABET, min_size=32, max_size=32),
                    "gate": text | st.text(min_size=55, max_size=65)},
                   st.fixed_dictionaries({"ticket_code": st.text(ALPHABET, min_size=32, max_size=32),
                                          "gate": st.just("Cổng A")})))
def test_any_body_is_answered_without_a_500(client, scanner, body):
    response = client.post(CHECKINS, json=body, headers=scanner["headers"])
    assert response.status_code in (201, 400, 404, 409, 422), response.get_data(as_text=True)[:300]
    if response.status_code == 422:
        assert_error(response, 422)
    else:
        _check(response)


@fuzz
@given(ticket=json_values | st.text(max_size=200))
def test_the_service_only_raises_the_named_refusals(scanner, ticket):
    try:
        services.check_in(scanner["event"], ticket, gate="Cổng B")
    except EventHubError as exc:
        assert exc.code in set().union(*REFUSALS.values()), exc.code
        assert exc.status in REFUSALS and exc.code in REFUSALS[exc.status]
