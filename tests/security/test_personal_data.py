"""Decree 13, end to end: a person registers, changes their details, is checked in and e-mailed; they
download their data, then erase it through their manage link. Afterwards no table of the database, in
no text or JSON column, holds their name, e-mail or phone, and every change was audited on the way."""

from __future__ import annotations

import json

from sqlalchemy import select

from eventhub.audit.models import AuditEntry
from eventhub.checkin import services as checkin
from eventhub.registration.models import Registration
from tests.factories import make_type, make_user, open_event
from tests.support.personal_data import traces

NAME, NEW_NAME = "Nguyễn Thị Xoá Được", "Nguyễn Thị Xoá Được Đổi Tên"
EMAIL, PHONE = "xoa.duoc@example.vn", "0912 345 678"
TRACES = ("Xoá Được", "xoa.duoc", "912345678", "912 345 678", "Công ty Bí Mật")


def test_after_erasure_no_table_names_the_person(app, db, smtp_server):
    event = open_event(slug="privacy-day", name="Ngày hội Dữ liệu cá nhân")
    make_type(event, code="visitor", name="Khách tham quan")
    staff = make_user("staff", email="gate@example.vn")
    client = app.test_client()
    page = client.post(f"/events/{event.slug}/register/visitor",
                       data={"full_name": NAME, "email": EMAIL, "phone": PHONE,
                             "organization": "Công ty Bí Mật", "consent": "y"})
    assert page.status_code == 302, page.get_data(as_text=True)[:500]
    token = page.headers["Location"].split("/r/", 1)[1].split("?")[0]
    reg = db.session.scalar(select(Registration).where(Registration.email == EMAIL))
    edited = client.post(f"/r/{token}/edit", data={"full_name": NEW_NAME, "phone": PHONE,
                                                  "organization": "Công ty Bí Mật"})
    assert edited.status_code == 302
    db.session.expire_all()
    assert db.session.get(Registration, reg.id).full_name == NEW_NAME
    # every change of personal data is audited
    actions = list(db.session.scalars(select(AuditEntry.action).where(AuditEntry.object_id == str(reg.id))))
    assert "registration.updated" in actions
    checkin.check_in_registration(event, db.session.get(Registration, reg.id), staff=staff)
    assert smtp_server.messages, "the confirmation went out"

    exported = client.get(f"/r/{token}/data.json").get_json()
    flat = json.dumps(exported, ensure_ascii=False)
    assert NEW_NAME in flat and EMAIL in flat and "Công ty Bí Mật" in flat
    assert traces(TRACES), "the person is in the database before erasure"

    erased = client.post(f"/r/{token}/erase", data={"confirm": "yes"})
    assert erased.status_code == 302
    assert client.get(f"/r/{token}").status_code == 404  # the old link is dead
    db.session.expire_all()
    assert "registration.erased" in list(db.session.scalars(
        select(AuditEntry.action).where(AuditEntry.object_id == str(reg.id))))
    assert traces(TRACES) == []


def test_an_account_s_changes_are_audited_and_its_erasure_leaves_no_trace(app, db, smtp_server):
    from eventhub.accounts.models import User
    from tests.factories import PASSWORD

    user = make_user("participant", email=EMAIL, full_name=NAME)
    client = app.test_client()
    from tests.support.world import sign_in

    sign_in(client, user)
    saved = client.post("/account", data={"action": "profile", "profile-full_name": NEW_NAME,
                                          "profile-phone": PHONE, "profile-organization": "Công ty Bí Mật",
                                          "profile-locale": "vi"})
    assert saved.status_code == 302, saved.get_data(as_text=True)[:300]
    db.session.expire_all()
    assert db.session.get(User, user.id).full_name == NEW_NAME
    audited = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.updated",
                                                         AuditEntry.object_id == str(user.id)))
    assert audited is not None and set(audited.changes) >= {"full_name", "phone", "organization"}
    client.post("/password/forgot", data={"email": EMAIL})  # an e-mail to the address, in the outbox
    assert smtp_server.messages
    exported = client.get("/account/data.json").get_json()
    assert NEW_NAME in json.dumps(exported, ensure_ascii=False)
    assert traces(TRACES)
    erased = client.post("/account/delete", data={"password": PASSWORD, "confirm": "y"})
    assert erased.status_code == 302
    db.session.expire_all()
    assert traces(TRACES) == []
