"""An organizer of one event cannot reach another event's objects by putting their ids under their own
event's address (/events/<mine>/registrations/<theirs>): every such route answers 404 and changes
nothing. Routes are found in the URL map: any route with an event slug and an object id is covered."""

from __future__ import annotations

import pytest

from eventhub import create_app
from tests.factories import token_headers
from tests.support.world import ARGUMENTS, build_world, sign_in, url_for_rule

OBJECT_IDS = ("reg_id", "type_id", "question_id", "session_id", "checkin_id", "grant_id")


def _cross_routes():
    app = create_app({"ENV_CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    found = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        ids = [a for a in rule.arguments if a in OBJECT_IDS]
        if "slug" in rule.arguments and ids:
            found += [(rule.endpoint, method) for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    return found


CROSS = _cross_routes()


@pytest.mark.parametrize(("endpoint", "method"), CROSS, ids=[f"{e}-{m}" for e, m in CROSS])
def test_another_events_object_under_my_event_is_not_found(app, db, endpoint, method):
    world = build_world()
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint and method in r.methods)
    mine = url_for_rule(app, rule, world, strict=True)
    # the same URL, with every object id swapped for the other event's object of the same kind
    saved = {name: ARGUMENTS[(name, "")] for name in rule.arguments if name in OBJECT_IDS}
    try:
        for name in saved:
            ARGUMENTS[(name, "")] = lambda w, e, name=name: w.elsewhere[name]
        theirs = url_for_rule(app, rule, world, strict=True)
    finally:
        ARGUMENTS.update({(name, ""): get for name, get in saved.items()})
    assert theirs != mine
    for who in ("organizer", "global_organizer"):  # this event's organizer; even one of every event
        client = app.test_client()
        if rule.rule.startswith("/api/"):
            response = client.open(theirs, method=method, headers=token_headers(world.users[who]),
                                   json={"full_name": "Kẻ Lạ", "reason": "x"})
        else:
            sign_in(client, world.users[who])
            response = client.open(theirs, method=method, data={"full_name": "Kẻ Lạ", "gate": "X",
                                                                "confirm": "yes"})
        assert response.status_code == 404, f"{method} {theirs} as {who}: {response.status_code}"
    from eventhub.registration.models import Registration

    db.session.expire_all()
    far = db.session.get(Registration, world.elsewhere["reg_id"])
    assert far.full_name == world.elsewhere["name"] and far.status.value == "confirmed"
