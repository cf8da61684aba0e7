"""Signing up, in and out, the profile and roles, as a person does it in the browser."""

from eventhub.accounts import services as accounts
from eventhub.accounts.models import User
from eventhub.audit.models import AuditEntry
from tests.factories import PASSWORD, login, make_user
from tests.support.mail import verify_link_from


def _signup(client, **overrides):
    data = {"full_name": "Nguyễn Thị Quý Trúc", "email": "Truc@Example.VN ", "phone": "0912 345 678",
            "organization": "Sở KH&CN", "password": "mật-khẩu-dài", "password_confirm": "mật-khẩu-dài",
            "locale": "vi", "consent": "y"}
    data.update(overrides)
    return client.post("/signup", data=data)


def test_signup_creates_an_account_with_consent_and_signs_in_once_the_address_is_proven(client, db,
                                                                                         smtp_server):
    response = _signup(client)
    assert response.status_code == 302 and response.headers["Location"] == "/signup/sent"
    user = db.session.scalar(db.select(User))
    assert user.email == "truc@example.vn"
    assert user.full_name == "Nguyễn Thị Quý Trúc"
    assert user.phone == "+84912345678"
    assert user.consent_at is not None and user.consent_version
    assert user.password_hash.startswith("$argon2id$")
    assert user.email_verified_at is None
    # The confirmation link is e-mailed; opening it asks the person to sign in, then brings them back
    # to the page whose button proves the address.
    path = verify_link_from(smtp_server.messages[-1])
    to_sign_in = client.get(path)
    assert to_sign_in.status_code == 302 and to_sign_in.headers["Location"].startswith("/login?next=")
    signed_in = client.post(to_sign_in.headers["Location"],
                            data={"email": "truc@example.vn", "password": "mật-khẩu-dài"})
    assert signed_in.headers["Location"] == path
    assert client.post(path).status_code == 302
    db.session.refresh(user)
    assert user.email_verified_at is not None
    assert "Nguyễn Thị Quý Trúc" in client.get("/").get_data(as_text=True)


def test_signup_without_consent_shows_the_error_next_to_the_field(client, db):
    response = _signup(client, consent="")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'id="consent-error"' in html
    assert db.session.scalar(db.select(User)) is None


def test_signup_with_a_bad_phone_keeps_what_was_typed(client, db):
    response = _signup(client, phone="12345")
    html = response.get_data(as_text=True)
    assert 'id="phone-error"' in html
    assert 'value="Nguyễn Thị Quý Trúc"' in html
    assert db.session.scalar(db.select(User)) is None


def test_signup_with_taken_email_makes_no_second_account(client, db):
    make_user(email="truc@example.vn")
    response = _signup(client)
    assert response.status_code == 302  # the same answer as for a new address (test_proven_address)
    assert len(db.session.scalars(db.select(User)).all()) == 1


def test_login_and_logout(client, db):
    user = make_user()
    response = login(client, user)
    assert response.status_code == 302
    assert user.full_name in client.get("/").get_data(as_text=True)
    client.post("/logout")
    assert user.full_name not in client.get("/").get_data(as_text=True)


def test_login_with_wrong_password_says_so_without_naming_which(client, db):
    user = make_user()
    wrong = login(client, user, password="wrong-password")
    unknown = client.post("/login", data={"email": "nobody@example.vn", "password": "x"})
    assert wrong.status_code == unknown.status_code == 200
    assert "Email hoặc mật khẩu không đúng" in wrong.get_data(as_text=True)
    assert "Email hoặc mật khẩu không đúng" in unknown.get_data(as_text=True)


def test_login_redirects_only_to_local_pages(client, db):
    user = make_user()
    data = {"email": user.email, "password": PASSWORD}
    assert client.post("/login?next=/account", data=data).headers["Location"] == "/account"
    client.post("/logout")
    assert client.post("/login?next=//evil.example/x", data=data).headers["Location"] == "/"


def test_inactive_accounts_cannot_sign_in(client, db):
    user = make_user()
    user.active = False
    db.session.commit()
    assert login(client, user).status_code == 200
    assert client.get("/account").status_code == 302


def test_profile_edit_and_language_choice(client, db):
    user = make_user()
    login(client, user)
    response = client.post("/account", data={
        "action": "profile", "profile-full_name": "  Trần   Văn  Dũng ", "profile-phone": "+84 912 345 678",
        "profile-organization": "Đại học Bách khoa", "profile-locale": "en"})
    assert response.status_code == 302
    db.session.refresh(user)
    assert (user.full_name, user.phone, user.locale) == ("Trần Văn Dũng", "+84912345678", "en")
    assert "Your account" in client.get("/account").get_data(as_text=True)


def test_change_password_needs_the_current_one(client, db):
    user = make_user()
    login(client, user)
    bad = client.post("/account", data={"action": "password", "password-current_password": "nope",
                                         "password-new_password": "new-password-1",
                                         "password-new_password_confirm": "new-password-1"})
    assert 'id="password-current_password-error"' in bad.get_data(as_text=True)
    ok = client.post("/account", data={"action": "password", "password-current_password": PASSWORD,
                                        "password-new_password": "new-password-1",
                                        "password-new_password_confirm": "new-password-1"})
    assert ok.status_code == 302
    assert accounts.authenticate(user.email, "new-password-1").id == user.id
    assert db.session.scalar(db.select(AuditEntry).where(
        AuditEntry.action == "user.password_changed")) is not None


def test_account_pages_need_sign_in(client, db):
    response = client.get("/account")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_a_password_change_signs_out_other_sessions_and_ends_api_tokens(app, client, db):
    from tests.factories import token_headers

    user = make_user()
    other_device = app.test_client()
    login(other_device, user)
    login(client, user)
    headers = token_headers(user)
    changed = client.post("/account", data={"action": "password", "password-current_password": PASSWORD,
                                             "password-new_password": "new-password-1",
                                             "password-new_password_confirm": "new-password-1"})
    assert changed.status_code == 302
    assert client.get("/account").status_code == 200  # this device carries on
    assert other_device.get("/account").status_code == 302  # the other is signed out
    assert client.patch("/api/v1/events/x", json={}, headers=headers).status_code == 401


def test_next_with_a_tab_or_control_character_stays_on_the_site(client, db):
    user = make_user()
    data = {"email": user.email, "password": PASSWORD}
    for target in ("/%09/evil.example", "/\t/evil.example", "/%0a", "/%5cevil.example"):
        response = client.post(f"/login?next={target}", data=data)
        assert response.headers["Location"] == "/", target
        client.post("/logout")


def test_the_signup_form_opened_in_english_offers_an_english_account(client, db):
    """Opened with ?lang=en (the English link), the language box said "Tiếng Việt": the session learnt
    the language only after the form had taken its default, so the account became Vietnamese."""
    html = client.get("/signup?lang=en").get_data(as_text=True)
    assert '<option selected value="en">' in html and '<option selected value="vi">' not in html
    assert '<option selected value="vi">' in client.get("/signup?lang=vi").get_data(as_text=True)
