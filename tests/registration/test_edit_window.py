""""May the registrant still change their details?" is one rule of the registration service, which the
manage page's button, the edit page and `update_details` itself all ask."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from eventhub.registration import services
from eventhub.registration.errors import RegistrationClosed
from tests.factories import HCMC, make_type, open_event, register

CLOSES = datetime(2030, 1, 1, 8, 0, tzinfo=HCMC)


def _registration():
    event = open_event()
    reg, _token = register(event, make_type(event, closes_at=CLOSES))
    return reg


def _details(reg, now):
    return services.update_details(reg, full_name="Lê Văn Tám", phone=None, organization=None, answers={},
                                   now=now)


def test_details_can_be_changed_until_the_type_closes(db):
    reg = _registration()
    assert services.can_edit_details(reg, now=CLOSES - timedelta(seconds=1))
    assert not services.can_edit_details(reg, now=CLOSES)
    assert _details(reg, CLOSES - timedelta(seconds=1)).full_name == "Lê Văn Tám"


def test_update_details_refuses_itself_once_closed_whoever_calls_it(db):
    reg = _registration()
    with pytest.raises(RegistrationClosed):
        _details(reg, CLOSES)
    db.session.expire_all()
    assert reg.full_name != "Lê Văn Tám"


def test_a_cancelled_registration_cannot_be_changed_while_the_type_is_still_open(db):
    reg = _registration()
    services.cancel_registration(reg)
    assert not services.can_edit_details(reg, now=CLOSES - timedelta(days=1))
    with pytest.raises(RegistrationClosed):
        _details(reg, CLOSES - timedelta(days=1))


def test_the_manage_page_offers_the_change_only_when_the_service_allows_it(client, db):
    event = open_event()
    rtype = make_type(event)
    _reg, token = register(event, rtype)
    assert f"/r/{token}/edit" in client.get(f"/r/{token}").get_data(as_text=True)
    event.registration_open = False
    db.session.commit()
    assert f"/r/{token}/edit" not in client.get(f"/r/{token}").get_data(as_text=True)
    assert client.get(f"/r/{token}/edit").status_code == 302
