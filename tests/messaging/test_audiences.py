"""Who an audience reaches: registrants by type, status and check-in; approved exhibitors; judges;
investors and startups with a profile – each address once, whatever its letter case."""

from __future__ import annotations

import pytest
from flask_babel import force_locale

from eventhub.messaging.audiences import normalize_audience, resolve
from eventhub.messaging.services import MessageInvalid, validate_draft
from eventhub.registration import services as registration
from tests.factories import register

from .helpers import NOW, add_exhibitors, add_judge, add_matchmaking, check_in, registrants_world


def _addresses(event, audience) -> list[str]:
    normalized, problems = normalize_audience(event, audience)
    assert problems == []
    return [c.email_normalized for c in resolve(event, normalized)]


def test_registrants_by_type_status_and_check_in(db):
    world = registrants_world()
    event = world.event
    registration.cancel_registration(world.regs["hoa"])
    assert _addresses(event, {"kind": "registrants"}) == ["truc@example.vn", "dung@example.vn"]
    assert _addresses(event, {"kind": "registrants", "statuses": ["cancelled"]}) == ["hoa@baochi.vn"]
    press = {"kind": "registrants", "types": ["press"], "statuses": ["confirmed", "cancelled"]}
    assert _addresses(event, press) == ["hoa@baochi.vn"]
    check_in(world, "dung")
    assert _addresses(event, {"kind": "registrants", "checked_in": True}) == ["dung@example.vn"]
    assert _addresses(event, {"kind": "registrants", "checked_in": False}) == ["truc@example.vn"]


def test_one_address_is_one_recipient_whatever_its_case(db):
    world = registrants_world()
    registration.cancel_registration(world.regs["truc"])  # she cancelled, then registered again
    register(world.event, world.press_type, full_name="Nguyễn Thị Quý Trúc (báo)", email="TRUC@Example.vn",
             notify=False)
    audience = {"kind": "registrants", "statuses": ["confirmed", "cancelled"]}
    found = resolve(world.event, normalize_audience(world.event, audience)[0])
    assert [c.email_normalized for c in found] == ["truc@example.vn", "dung@example.vn", "hoa@baochi.vn"]
    assert found[0].full_name == "Nguyễn Thị Quý Trúc"  # the first registration keeps the address


def test_exhibitors_are_the_approved_ones_with_their_contact_address(db):
    world = registrants_world()
    add_exhibitors(world)
    found = resolve(world.event, {"kind": "exhibitors"})
    assert [(c.email, c.exhibitor_id) for c in found] == [("lienhe@saoviet.vn", world.exhibitor.id)]
    assert found[0].full_name == "Trần Sáng Lập"


def test_judges_investors_and_startups(db):
    world = registrants_world()
    add_judge(world)
    add_matchmaking(world)
    assert _addresses(world.event, {"kind": "judges"}) == ["giamkhao@example.vn"]
    assert _addresses(world.event, {"kind": "investors"}) == ["quy@mekong.vn"]
    startups = resolve(world.event, {"kind": "startups"})
    assert [(c.email, c.locale) for c in startups] == [("sang@startup.vn", "en")]


@pytest.mark.parametrize(("audience", "words"), [
    ({"kind": "everyone"}, "Choose who"),
    ("registrants", "Choose who"),
    ({"kind": "registrants", "types": ["vip"]}, "vip"),
    ({"kind": "registrants", "statuses": ["happy"]}, "statuses"),
    ({"kind": "registrants", "checked_in": "yes"}, "true or false"),
    ({"kind": "judges"}, "No one matches"),  # the event has no contest
])
def test_an_audience_that_reaches_nobody_or_makes_no_sense_is_a_field_error(db, audience, words):
    world = registrants_world()
    with pytest.raises(MessageInvalid) as refused, force_locale("en"):
        validate_draft(world.event, audience=audience, subject="Chào", body="Xin chào", send_at=None, now=NOW)
    assert list(refused.value.fields) == ["audience"]
    assert words in " ".join(refused.value.fields["audience"])
