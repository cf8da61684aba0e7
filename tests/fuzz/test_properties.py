"""Property-based tests over every route and the credentials people carry (manage links, tickets).

Generic: the routes come from the URL map, so a feature's routes are fuzzed as soon as they land.
Properties: no input gives a 500; API errors keep api.md's shape; a manage link opens its own
registration only; capacities and check-ins stay exact whatever order requests come in.
"""

from __future__ import annotations

import os
import string
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eventhub.checkin.models import CheckIn
from eventhub.registration.models import SEAT_HOLDING, Registration, RegistrationType
from tests.factories import token_headers
from tests.support.api import assert_error
from tests.support.world import build_world, sign_in, url_for_rule

# The same examples on every CI run (a red CI names a bug, not a lucky draw); new ones on developers'
# machines, where a find becomes a fixed example or a fix.
CI = bool(os.environ.get("CI"))
fuzz = settings(max_examples=120, deadline=None, database=None, derandomize=CI,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

text = st.lists(st.characters() | st.sampled_from(["\x00", "\u200b", "\ufeff", "'", '"', "<", "%", "{{"]),
                max_size=40).map("".join)
path_values = (st.integers(-2**40, 2**40).map(str) | text | st.sampled_from(
    ["0", "-1", "2147483648", "99999999999999999999", "..", "%2e%2e", "1.5", "1e9", " ", "null"]))
form_values = text | st.text(max_size=3000) | st.integers().map(str) | st.sampled_from(["y", "on", "", "1"])
scalars = st.none() | st.booleans() | st.integers() | st.floats() | text
json_values = st.recursive(scalars, lambda c: st.lists(c, max_size=3) | st.dictionaries(text, c, max_size=4),
                           max_leaves=10)


@pytest.fixture
def world(db):
    return build_world()


def _rules(app, *, api: bool, methods: set[str]):
    return [(rule, method) for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule)
            for method in sorted(rule.methods & methods)
            if rule.rule.startswith("/api/") == api and not rule.rule.startswith("/static")]


def _escape(value: str) -> str:
    """Percent-encoded as a client would send it; a lone surrogate becomes bytes that are not UTF-8."""
    return quote(value, safe="", errors="surrogatepass")


def _fuzzed_url(app, rule, world, values: list[str]) -> str:
    """The rule's URL with some of its arguments swapped for fuzzed text (percent-encoded)."""
    url = url_for_rule(app, rule, world)
    if not rule.arguments:
        return url
    real = url_for_rule(app, rule, world).split("/")
    template = rule.rule.split("/")
    parts = []
    for i, piece in enumerate(template):
        if piece.startswith("<") and values:
            parts.append(_escape(values.pop()))
        else:
            parts.append(real[i] if i < len(real) else piece)
    return "/".join(parts)


@fuzz
@given(data=st.data())
def test_any_api_route_with_any_path_body_and_token_never_500s(app, world, data):
    rule, method = data.draw(st.sampled_from(_rules(app, api=True, methods={"GET", "POST", "PUT", "PATCH",
                                                                           "DELETE"})))
    values = data.draw(st.lists(path_values, max_size=len(rule.arguments)))
    url = _fuzzed_url(app, rule, world, values)
    who = data.draw(st.sampled_from(["anonymous", "participant", "staff", "organizer", "global_organizer"]))
    headers = {} if who == "anonymous" else token_headers(world.users[who])
    body = data.draw(json_values)
    response = app.test_client().open(url, method=method, headers=headers, json=body)
    assert response.status_code < 500, f"{method} {url}: {response.status_code}"
    if response.status_code >= 400 and response.status_code != 405:
        assert_error(response)


@fuzz
@given(data=st.data())
def test_any_form_post_with_any_fields_never_500s(app, world, data):
    rule, method = data.draw(st.sampled_from(_rules(app, api=False, methods={"POST"})))
    values = data.draw(st.lists(path_values, max_size=len(rule.arguments)))
    exact = data.draw(st.booleans())
    url = url_for_rule(app, rule, world) if exact else _fuzzed_url(app, rule, world, values)
    names = st.sampled_from(["full_name", "email", "phone", "organization", "password", "name", "slug",
                             "capacity", "code", "q", "ticket_code", "gate", "starts_at", "ends_at",
                             "consent", "type", "sessions", "layout", "status", "reason", "label", "kind"])
    form = data.draw(st.dictionaries(names | text, form_values | st.lists(form_values, max_size=3),
                                     max_size=8))
    client = app.test_client()
    who = data.draw(st.sampled_from(["anonymous", "staff", "global_organizer"]))
    if who != "anonymous":
        sign_in(client, world.users[who])
    pairs = [(k, v) for k, values in form.items() for v in (values if isinstance(values, list) else [values])]
    body = "&".join(f"{_escape(k)}={_escape(v)}" for k, v in pairs)  # as a browser would encode it
    response = client.open(url, method=method, data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code < 500, f"{method} {url} {form!r}: {response.status_code}"


@fuzz
@given(data=st.data())
def test_any_page_with_any_query_never_500s(app, world, data):
    rule, _method = data.draw(st.sampled_from(_rules(app, api=False, methods={"GET"})))
    query = data.draw(st.dictionaries(st.sampled_from(["q", "page", "per_page", "status", "type", "sort",
                                                       "lang", "next", "day", "gate"]) | text,
                                      path_values, max_size=4))
    client = app.test_client()
    sign_in(client, world.users["global_organizer"])
    raw = "&".join(f"{_escape(k)}={_escape(v)}" for k, v in query.items())
    response = client.get(url_for_rule(app, rule, world) + ("?" + raw if raw else ""))
    assert response.status_code < 500, f"GET {rule.rule} {query!r}: {response.status_code}"


# --- manage links ----------------------------------------------------------------------------------------

ALPHABET = string.ascii_letters + string.digits + "-_."


@fuzz
@given(position=st.integers(0, 200), replacement=st.sampled_from(ALPHABET),
       page=st.sampled_from(["", "/edit", "/data.json", "/ticket.png", "/sessions", "/cancel"]))
def test_an_altered_manage_link_opens_nothing(app, world, position, replacement, page):
    token = world.manage_token
    position %= len(token)
    altered = token[:position] + replacement + token[position + 1:]
    response = app.test_client().get(f"/r/{altered}{page}")
    if _same_bytes(altered, token):  # base64's last character has spare bits: the same credential
        assert response.status_code in (200, 404)
    else:
        assert response.status_code == 404, (altered, response.status_code)


def _same_bytes(a: str, b: str) -> bool:
    from itsdangerous.encoding import base64_decode

    try:
        return [base64_decode(p) for p in a.split(".")] == [base64_decode(p) for p in b.split(".")]
    except Exception:
        return False


# --- capacities and check-ins stay exact ----------------------------------------------------------------

ACTIONS = ["register", "register-again", "cancel", "scan", "scan-junk"]


@settings(max_examples=25, deadline=None, database=None, derandomize=CI,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=st.lists(st.tuples(st.sampled_from(ACTIONS), st.integers(0, 6)), min_size=1, max_size=25))
def test_capacity_and_check_ins_hold_in_any_order(app, db, steps):
    from eventhub.registration import services
    from tests.factories import make_type, make_user, open_event
    from tests.support.database import empty_tables

    db.session.rollback()
    empty_tables()
    db.session.expunge_all()
    event = open_event(slug="capacity-day")
    rtype = make_type(event, code="seat", capacity=3)
    staff = make_user("staff")
    client = app.test_client()
    staff_headers = token_headers(staff)
    tokens: dict[int, str] = {}
    for action, who in steps:
        email = f"person{who}@example.vn"
        if action in ("register", "register-again"):
            response = client.post(f"/api/v1/events/{event.slug}/registrations",
                                   json={"type": "seat", "full_name": f"Người {who}", "email": email,
                                         "consent": True})
            assert response.status_code in (201, 409, 422), response.get_data(as_text=True)
            if response.status_code == 201:
                tokens[who] = response.get_json()["manage_token"]
        elif action == "cancel" and who in tokens:
            reg = db.session.scalar(db.select(Registration).where(Registration.email == email))
            if reg.status in SEAT_HOLDING:
                services.cancel_registration(reg, notify=False)
        elif action == "scan":
            reg = db.session.scalar(db.select(Registration).where(Registration.email == email))
            if reg is not None and reg.ticket_code:
                response = client.post(f"/api/v1/events/{event.slug}/checkins",
                                       json={"ticket_code": reg.ticket_code}, headers=staff_headers)
                assert response.status_code < 500
        else:
            response = client.post(f"/api/v1/events/{event.slug}/checkins",
                                   json={"ticket_code": f"EH{who}" * 5}, headers=staff_headers)
            assert 400 <= response.status_code < 500
        db.session.expire_all()
        seated = db.session.scalar(db.select(db.func.count()).select_from(Registration).where(
            Registration.registration_type_id == rtype.id, Registration.status.in_(SEAT_HOLDING)))
        taken = db.session.scalar(db.select(RegistrationType.taken).where(RegistrationType.id == rtype.id))
        assert seated == taken <= 3
        per_person = db.session.execute(db.select(CheckIn.registration_id, db.func.count())
                                        .where(CheckIn.undone_at.is_(None))
                                        .group_by(CheckIn.registration_id)).all()
        assert all(count == 1 for _reg, count in per_person)  # one live check-in a day, at most
