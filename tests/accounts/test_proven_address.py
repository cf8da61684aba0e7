"""Issue 13, items 1, 2 and 9: an address is a key to nothing until its owner proves it; sign-up and
password reset do not tell which addresses have accounts; signing out ends every copy of the cookie."""

from __future__ import annotations

import re
import statistics
import time

import pytest

from eventhub.accounts import services as accounts
from eventhub.accounts.models import User
from eventhub.certificates.models import Certificate, CertificateKind, CertificateStatus
from eventhub.contests.models import ContestJudge
from eventhub.errors import ValidationError
from eventhub.extensions import db as _db
from eventhub.mail.models import EmailStatus, OutboundEmail
from tests.contests.factories import make_contest, make_entry, pdf_bytes
from tests.factories import PASSWORD, login, make_event, make_user, token_headers
from tests.support.mail import parsed_message, verify_link_from

VISITOR, VISITOR_NAME = "khach.tham@example.vn", "Trần Thị Khách Thăm"
TEAMMATE = "dong.doi@saoviet.vn"


def _signup(client, address, name="Kẻ Mạo Danh", password="mat-khau-gia-mao"):
    return client.post("/signup", data={
        "full_name": name, "email": address, "password": password, "password_confirm": password,
        "locale": "vi", "consent": "y"})


def _unproven(address, password="mat-khau-gia-mao"):
    return make_user(email=address, full_name="Kẻ Mạo Danh", password=password, email_verified=False)


def _prove(user):
    accounts.verify_email(accounts.make_verify_token(user, user.email))


# --- the link that proves an address ------------------------------------------------------------

def test_signup_mails_a_link_that_proves_the_address(client, db, smtp_server):
    assert _signup(client, "moi@example.vn").status_code == 302
    user = db.session.scalar(db.select(User).filter_by(email="moi@example.vn"))
    assert user.email_verified_at is None
    message = parsed_message(smtp_server.messages[-1])
    assert message["To"] == "moi@example.vn"
    assert message["Subject"] == "Xác nhận địa chỉ e-mail của bạn trên EventHub"
    path = verify_link_from(smtp_server.messages[-1])
    login(client, user, password="mat-khau-gia-mao")  # the link works for its account, signed in
    page = client.get(path)
    assert page.status_code == 200 and "moi@example.vn" in page.get_data(as_text=True)
    db.session.refresh(user)
    assert user.email_verified_at is None  # opening the page alone (a mail scanner) proves nothing yet
    assert client.post(path).status_code == 302
    db.session.refresh(user)
    assert user.email_verified_at is not None


def test_the_owner_of_the_mailbox_cannot_confirm_an_account_an_impostor_made(app, client, db,
                                                                                smtp_server):
    """An impostor signs up with a teammate's address; the teammate, who expects mail from EventHub,
    presses the button of the link. That must not prove the impostor's account: only the account's
    holder, signed in, confirms."""
    _team_entry()
    _signup(client, TEAMMATE)  # the impostor's browser
    impostor = accounts.find_user_by_email(TEAMMATE)
    path = verify_link_from(next(
        m for m in reversed(smtp_server.messages)
        if "/account/verify/" in parsed_message(m).get_body(("plain",)).get_content()))
    mate = app.test_client()  # the real teammate, not signed in
    for response in (mate.get(path), mate.post(path)):
        assert response.status_code == 302 and response.headers["Location"].startswith("/login?next=")
    own = make_user(email="dong.doi.rieng@example.vn")  # signed in with an account of their own
    login(mate, own)
    page = mate.get(path)
    assert page.status_code == 403 and TEAMMATE not in page.get_data(as_text=True)
    assert mate.post(path).status_code == 403
    db.session.refresh(impostor)
    assert impostor.email_verified_at is None
    db.session.refresh(own)
    assert own.email == "dong.doi.rieng@example.vn"


def test_the_owner_of_the_mailbox_cannot_confirm_a_move_of_someone_elses_account(app, client, db,
                                                                                  smtp_server):
    attacker = make_user(email="ke.gian@example.vn")
    login(client, attacker)
    client.post("/account/email", data={"email": VISITOR, "password": PASSWORD})
    path = verify_link_from(smtp_server.messages[-1])
    visitor = app.test_client()
    refused = visitor.post(path)  # to sign in first: they cannot, it is not their account
    assert refused.status_code == 302 and refused.headers["Location"].startswith("/login?next=")
    db.session.refresh(attacker)
    assert attacker.email == "ke.gian@example.vn"
    assert accounts.find_user_by_email(VISITOR) is None


@pytest.fixture
def account_mail_limit(app):
    from eventhub.extensions import limiter

    saved = app.config["ACCOUNT_MAIL_LIMIT"]
    app.config["ACCOUNT_MAIL_LIMIT"] = "2 per hour"
    limiter.reset()
    yield
    app.config["ACCOUNT_MAIL_LIMIT"] = saved
    limiter.reset()


def test_signing_out_and_in_again_does_not_renew_the_budget_of_confirmation_mails(client, db, smtp_server,
                                                                                   account_mail_limit):
    user = _unproven("gui.nhieu@example.vn")
    login(client, user, password="mat-khau-gia-mao")
    sends = (("/account/verify/resend", {}),  # to the account's address; a move: to any address at all
             ("/account/email", {"email": "nan.nhan@example.vn", "password": "mat-khau-gia-mao"}))
    for path, data in sends:
        for _ in range(2):
            assert client.post(path, data=data).status_code == 302
        assert client.post(path, data=data).status_code == 429
    sent = len(smtp_server.messages)
    assert sent == 4
    client.post("/logout")  # a new session id: the budget is the account's, not the session's
    login(client, user, password="mat-khau-gia-mao")
    for path, data in sends:
        assert client.post(path, data=data).status_code == 429
    assert len(smtp_server.messages) == sent


def test_the_link_in_english_for_english_speakers(client, db, smtp_server):
    client.post("/signup", data={"full_name": "Jane Doe", "email": "jane@example.vn",
                                 "password": "long-enough", "password_confirm": "long-enough",
                                 "locale": "en", "consent": "y"})
    assert parsed_message(smtp_server.messages[-1])["Subject"] == "Confirm your e-mail address for EventHub"


def test_a_tampered_expired_or_foreign_link_proves_nothing(app, client, db):
    user = _unproven("a@example.vn")
    token = accounts.make_verify_token(user, user.email)
    assert client.post(f"/account/verify/{token}x").status_code == 400
    app.config["EMAIL_VERIFY_MAX_AGE"] = -1
    try:
        response = client.post(f"/account/verify/{token}")
    finally:
        app.config["EMAIL_VERIFY_MAX_AGE"] = 3 * 24 * 3600
    assert response.status_code == 400 and "hết hạn" in response.get_data(as_text=True)
    # A link made for another address of the account (e.g. before a change) is no key either.
    other = accounts.make_verify_token(user, "someone.else@example.vn")
    user.email = "changed@example.vn"
    db.session.commit()
    assert client.post(f"/account/verify/{other}").status_code == 400
    db.session.refresh(user)
    assert user.email_verified_at is None


def test_unproven_accounts_see_the_banner_and_can_have_the_link_sent_again(client, db, smtp_server):
    user = _unproven("b@example.vn")
    login(client, user, password="mat-khau-gia-mao")
    page = client.get("/").get_data(as_text=True)
    assert 'id="verify-banner"' in page and "Xác nhận địa chỉ b@example.vn" in page
    before = len(smtp_server.messages)
    response = client.post("/account/verify/resend", data={"next": "/account"})
    assert response.status_code == 302 and response.headers["Location"] == "/account"
    assert len(smtp_server.messages) == before + 1
    assert client.post(verify_link_from(smtp_server.messages[-1])).status_code == 302
    assert 'id="verify-banner"' not in client.get("/").get_data(as_text=True)


def test_operator_made_accounts_are_proven(app, db):
    result = app.test_cli_runner().invoke(args=["users", "create", "vanhanh@example.vn", "--password",
                                                "long-enough-1", "--role", "judge"])
    assert result.exit_code == 0, result.output
    assert accounts.find_user_by_email("vanhanh@example.vn").email_verified


def test_auth_me_tells_whether_the_address_is_proven(client, db):
    user = _unproven("c@example.vn")
    headers = token_headers(user)
    body = client.get("/api/v1/auth/me", headers=headers).get_json()
    assert body["email_verified"] is False
    assert {k: body[k] for k in ("id", "email", "full_name", "roles")} == {
        "id": user.id, "email": "c@example.vn", "full_name": "Kẻ Mạo Danh", "roles": ["participant"]}
    _prove(user)
    assert client.get("/api/v1/auth/me", headers=headers).get_json()["email_verified"] is True
    assert client.get("/api/v1/auth/me").status_code == 401


def test_a_change_of_address_takes_effect_only_when_the_new_address_is_proven(client, db, smtp_server):
    user = make_user(email="cu@example.vn")
    login(client, user)
    wrong = client.post("/account/email", data={"email": "moi@example.vn", "password": "nope"})
    assert 'id="password-error"' in wrong.get_data(as_text=True)
    assert client.post("/account/email", data={"email": "moi@example.vn", "password": PASSWORD}
                       ).status_code == 302
    db.session.refresh(user)
    assert user.email == "cu@example.vn"  # unchanged until the new address is proven
    assert parsed_message(smtp_server.messages[-1])["To"] == "moi@example.vn"
    assert client.post(verify_link_from(smtp_server.messages[-1])).status_code == 302
    db.session.refresh(user)
    assert user.email == "moi@example.vn" and user.email_verified


def test_moving_to_an_address_of_another_account_says_the_same_and_tells_its_owner(client, db, smtp_server):
    owner = make_user(email="chu@example.vn")
    user = make_user(email="khac@example.vn")
    login(client, user)
    client.get("/")  # shows (and clears) the sign-in message
    taken = client.post("/account/email", data={"email": "chu@example.vn", "password": PASSWORD},
                        follow_redirects=True)
    free = client.post("/account/email", data={"email": "trong@example.vn", "password": PASSWORD},
                       follow_redirects=True)
    assert taken.status_code == free.status_code == 200
    said = [re.search(r'role="status">([^<]*)<', r.get_data(as_text=True)).group(1) for r in (taken, free)]
    assert said[0].replace("chu@", "X@") == said[1].replace("trong@", "X@")
    assert [parsed_message(m)["To"] for m in smtp_server.messages] == [owner.email, "trong@example.vn"]


# --- item 2: sign-up does not tell which addresses have accounts ---------------------------------

@pytest.fixture
def production_hashing(app):
    """The production cost of argon2id (the tests' is cheap): what the time of a sign-up is made of."""
    saved = app.config["ARGON2_TIME_COST"], app.config["ARGON2_MEMORY_COST"]
    app.config["ARGON2_TIME_COST"], app.config["ARGON2_MEMORY_COST"] = 3, 65536
    yield
    app.config["ARGON2_TIME_COST"], app.config["ARGON2_MEMORY_COST"] = saved


def test_signup_answers_the_same_for_a_taken_address_and_mails_its_owner(client, db, smtp_server,
                                                                         production_hashing):
    owner = make_user(email="co.roi@example.vn", full_name="Chủ Tài Khoản")
    timings = {"taken": [], "new": []}
    answers = {}
    for i in range(5):
        for kind, address in (("taken", "co.roi@example.vn"), ("new", f"chua.co{i}@example.vn")):
            started = time.perf_counter()
            response = _signup(client, address)
            timings[kind].append(time.perf_counter() - started)
            answers[kind] = (response.status_code, response.headers.get("Location"),
                             client.get(response.headers["Location"]).get_data(as_text=True))
    assert answers["taken"] == answers["new"]
    assert answers["taken"][:2] == (302, "/signup/sent")
    assert "đã có tài khoản" not in answers["taken"][2] and "already exists" not in answers["taken"][2]
    # Both ways hash a password; the figures go to docs/security.md.
    taken, new = statistics.median(timings["taken"]), statistics.median(timings["new"])
    print(f"sign-up median: taken {taken * 1000:.0f} ms, new {new * 1000:.0f} ms")
    assert taken > 0.5 * new and new > 0.5 * taken
    to_owner = [parsed_message(m) for m in smtp_server.messages if parsed_message(m)["To"] == owner.email]
    assert len(to_owner) == 5
    text = to_owner[0].get_body(("plain",)).get_content()
    assert "Chủ Tài Khoản" in text and "/password/forgot" in text and "/login" in text
    assert db.session.scalar(db.select(db.func.count(User.id)).where(User.email == owner.email)) == 1
    db.session.refresh(owner)
    assert owner.full_name == "Chủ Tài Khoản"  # untouched


def test_password_reset_answers_the_same_either_way(client, db):
    make_user(email="co.that@example.vn")
    known = client.post("/password/forgot", data={"email": "co.that@example.vn"}, follow_redirects=True)
    unknown = client.post("/password/forgot", data={"email": "khong.co@example.vn"}, follow_redirects=True)
    assert known.status_code == unknown.status_code == 200
    assert known.get_data(as_text=True) == unknown.get_data(as_text=True)


# --- item 1: an unproven address is a key to nothing ---------------------------------------------

def _visitor_certificate(event):
    from eventhub.certificates.serials import new_serial

    cert = Certificate(event_id=event.id, kind=CertificateKind.participation, serial=new_serial(),
                       holder_key=f"email:{VISITOR}", holder_name=VISITOR_NAME, holder_email=VISITOR)
    _db.session.add(cert)
    _db.session.commit()
    return cert


def test_signing_up_as_a_visitors_address_and_erasing_leaves_their_certificates(client, db, smtp_server):
    event = make_event()
    cert = _visitor_certificate(event)
    queued = OutboundEmail(kind="certificate.issued", to=VISITOR, payload={"certificate_id": cert.id})
    _db.session.add(queued)
    _db.session.commit()
    _signup(client, VISITOR)  # never opens the link: they do not own the mailbox
    login(client, accounts.find_user_by_email(VISITOR), password="mat-khau-gia-mao")
    response = client.post("/account/delete", data={"password": "mat-khau-gia-mao", "confirm": "y"})
    assert response.status_code == 302
    cert = _db.session.get(Certificate, cert.id)
    assert cert.status == CertificateStatus.valid
    assert (cert.holder_name, cert.holder_email) == (VISITOR_NAME, VISITOR)
    page = client.get(f"/verify/{cert.serial}")
    assert page.status_code == 200 and VISITOR_NAME in page.get_data(as_text=True)
    queued = _db.session.get(OutboundEmail, queued.id)
    assert queued.to == VISITOR and queued.status != EmailStatus.failed  # the visitor's mail still goes


def test_the_owner_who_proved_the_address_erases_their_certificates(db):
    event = make_event()
    cert = _visitor_certificate(event)
    owner = _unproven(VISITOR)
    _prove(owner)
    accounts.erase_user(owner, "mat-khau-gia-mao")
    cert = _db.session.get(Certificate, cert.id)
    assert cert.status == CertificateStatus.revoked and cert.holder_name == "—"


def _team_entry():
    contest = make_contest()
    leader = make_user(email="truong.nhom@saoviet.vn", full_name="Lê Hoàng Trưởng Nhóm")
    entry = make_entry(contest, leader, team=[{"full_name": "Phạm Đồng Đội", "email": TEAMMATE}],
                       title="Bí mật kinh doanh")
    from eventhub.contests import entries

    entries.upload_deck(entry, pdf_bytes(text="deck bí mật"), "deck.pdf", user=leader)
    return entry


def _entry_closed_to(client, headers, entry):
    assert client.get(f"/entries/{entry.id}").status_code == 403
    assert client.get(f"/entries/{entry.id}/deck.pdf").status_code == 403
    assert client.get(f"/entries/{entry.id}/edit").status_code == 403
    assert client.post(f"/entries/{entry.id}/edit", data={"title": "Đã sửa"}).status_code == 403
    # Not among their entries (a proven address sees it listed as an invitation to accept, no link).
    assert f'href="/entries/{entry.id}"' not in client.get("/my/entries").get_data(as_text=True)
    assert client.get(f"/api/v1/entries/{entry.id}", headers=headers).status_code in (403, 404)
    assert client.get(f"/api/v1/entries/{entry.id}/deck.pdf", headers=headers).status_code in (403, 404)
    assert client.patch(f"/api/v1/entries/{entry.id}", json={"title": "Đã sửa"},
                        headers=headers).status_code in (403, 404)
    _db.session.refresh(entry)
    assert entry.title == "Bí mật kinh doanh"


def test_signing_up_as_a_teammates_address_opens_nothing(client, db, smtp_server):
    entry = _team_entry()
    invitation = next(m for m in smtp_server.messages if parsed_message(m)["To"] == TEAMMATE)
    link = re.search(r"http://localhost(/contests/invitations/\S+)",
                     parsed_message(invitation).get_body(("plain",)).get_content()).group(1)
    _signup(client, TEAMMATE)
    impostor = accounts.find_user_by_email(TEAMMATE)
    login(client, impostor, password="mat-khau-gia-mao")
    headers = token_headers(impostor)
    _entry_closed_to(client, headers, entry)
    assert "Bí mật kinh doanh" not in client.get("/my/entries").get_data(as_text=True)  # not even listed
    # Even holding the link (say it was forwarded), an unproven address cannot accept it.
    assert client.post(link).status_code == 403
    _entry_closed_to(client, headers, entry)


def test_the_proven_teammate_accepts_the_mailed_invitation_and_then_sees_the_entry(client, db, smtp_server):
    entry = _team_entry()
    invitation = next(m for m in smtp_server.messages if parsed_message(m)["To"] == TEAMMATE)
    link = re.search(r"http://localhost(/contests/invitations/\S+)",
                     parsed_message(invitation).get_body(("plain",)).get_content()).group(1)
    mate = make_user(email=TEAMMATE, full_name="Phạm Đồng Đội")  # proven address
    login(client, mate)
    headers = token_headers(mate)
    _entry_closed_to(client, headers, entry)  # proven, but not accepted yet
    page = client.get(link)
    assert page.status_code == 200 and "Bí mật kinh doanh" in page.get_data(as_text=True)
    assert client.post(link).status_code == 302
    assert client.get(f"/entries/{entry.id}").status_code == 200
    assert client.get(f"/entries/{entry.id}/deck.pdf").status_code == 200
    assert client.get(f"/api/v1/entries/{entry.id}", headers=headers).status_code == 200
    assert client.patch(f"/api/v1/entries/{entry.id}", json={"title": "Tên mới"},
                        headers=headers).status_code == 200


def test_another_account_cannot_accept_someone_elses_invitation(client, db, smtp_server):
    entry = _team_entry()
    invitation = next(m for m in smtp_server.messages if parsed_message(m)["To"] == TEAMMATE)
    link = re.search(r"http://localhost(/contests/invitations/\S+)",
                     parsed_message(invitation).get_body(("plain",)).get_content()).group(1)
    stranger = make_user(email="nguoi.la@example.vn")
    login(client, stranger)
    assert client.post(link).status_code == 403
    assert client.get(f"/entries/{entry.id}").status_code == 403
    assert client.get(link.replace("/invitations/", "/invitations/x")).status_code == 404


def test_an_unproven_judge_address_is_not_put_on_a_panel(db):
    from eventhub.contests import setup

    contest = make_contest()
    impostor = _unproven("giam.khao@example.vn")
    with pytest.raises(ValidationError) as refused:
        setup.add_judges(contest, [impostor.email])
    assert "emails.0" in refused.value.fields
    assert _db.session.scalar(_db.select(ContestJudge).filter_by(user_id=impostor.id)) is None
    _prove(impostor)
    setup.add_judges(contest, [impostor.email])
    assert _db.session.scalar(_db.select(ContestJudge).filter_by(user_id=impostor.id)) is not None


# --- item 9: signing out ends the session ---------------------------------------------------------

def _cookie(client, name):
    cookie = client.get_cookie(name)
    return cookie.value if cookie else None


def test_a_session_cookie_copied_before_sign_out_no_longer_works(app, client, db):
    user = make_user()
    login(client, user)
    copied = _cookie(client, "session")
    assert client.get("/account").status_code == 200
    client.post("/logout")
    thief = app.test_client()
    thief.set_cookie("session", copied)
    response = thief.get("/account")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert user.full_name not in thief.get("/").get_data(as_text=True)


def test_a_remember_cookie_copied_before_sign_out_no_longer_works(app, client, db):
    user = make_user()
    client.post("/login", data={"email": user.email, "password": PASSWORD, "remember": "y"})
    remember = _cookie(client, "remember_token")
    assert remember
    # The copy works while the owner is signed in (a fresh browser, only the remember cookie) ...
    before = app.test_client()
    before.set_cookie("remember_token", remember)
    assert before.get("/account").status_code == 200
    client.post("/logout")
    # ... and no longer once they have signed out.
    after = app.test_client()
    after.set_cookie("remember_token", remember)
    assert after.get("/account").status_code == 302


def test_signing_out_ends_the_accounts_other_sessions_too(app, client, db):
    user = make_user()
    laptop = app.test_client()
    login(laptop, user)
    login(client, user)
    client.post("/logout")
    assert laptop.get("/account").status_code == 302
    login(laptop, user)  # signing in again works as before
    assert laptop.get("/account").status_code == 200
