"""Decree 13/2023: a person can download and erase their own data."""

from eventhub.accounts import services as accounts
from eventhub.accounts.models import ApiToken, User
from eventhub.audit.models import AuditEntry
from tests.factories import PASSWORD, login, make_event, make_user, token_headers


def test_download_my_data_as_json(client, db):
    user = make_user(full_name="Võ Thị Sáu", phone="0912345678", organization="Mekong AI")
    login(client, user)
    response = client.get("/account/data.json")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    data = response.get_json()
    assert data["account"]["full_name"] == "Võ Thị Sáu"
    assert data["account"]["phone"] == "+84912345678"
    assert data["consent"]["given_at"] and data["consent"]["notice_version"]


def test_erase_needs_the_password_and_the_tick(client, db):
    user = make_user()
    login(client, user)
    response = client.post("/account/delete", data={"password": "wrong", "confirm": "y"})
    assert 'id="password-error"' in response.get_data(as_text=True)
    response = client.post("/account/delete", data={"password": PASSWORD})
    assert 'id="confirm-error"' in response.get_data(as_text=True)
    assert db.session.get(User, user.id).active


def test_erase_removes_personal_data_and_access(client, db):
    user = make_user(full_name="Võ Thị Sáu", phone="0912345678", organization="Mekong AI",
                     email="sau@example.vn")
    event = make_event(actor=user)
    headers = token_headers(user)
    login(client, user)
    response = client.post("/account/delete", data={"password": PASSWORD, "confirm": "y"})
    assert response.status_code == 302
    erased = db.session.get(User, user.id)
    assert "sau" not in erased.email and erased.full_name != "Võ Thị Sáu"
    assert erased.phone is None and erased.organization is None and not erased.active
    assert db.session.scalar(db.select(ApiToken).filter_by(user_id=user.id)) is None
    assert client.get("/api/v1/events", headers=headers).status_code == 200  # public, token ignored
    patch = client.patch(f"/api/v1/events/{event.slug}", json={"venue": "x"}, headers=headers)
    assert patch.status_code == 401
    assert client.get("/account").status_code == 302  # signed out
    # The same e-mail can sign up again as a new person.
    accounts.create_user("sau@example.vn", "another-password", "Võ Thị Sáu")
    assert db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "user.erased"))
