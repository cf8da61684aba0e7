"""A password reset through the e-mailed link proves the address it was sent to; the link is bound to
that address; the old address is told when the account moves to another."""

from __future__ import annotations

import re

import pytest

from eventhub.accounts import services as accounts
from eventhub.accounts.models import User
from eventhub.errors import ValidationError
from eventhub.extensions import db as _db
from tests.contests.factories import make_contest, make_entry
from tests.factories import PASSWORD, login, make_user
from tests.support.mail import parsed_message


def _text(envelope) -> str:
    return parsed_message(envelope).get_body(("plain",)).get_content()


def _reset_link(client, smtp_server, address) -> str:
    client.post("/password/forgot", data={"email": address})
    return re.search(r"http://localhost(/password/reset/\S+)", _text(smtp_server.messages[-1])).group(1)


def _new_password(client, path, password="mat-khau-moi-456"):
    return client.post(path, data={"password": password, "password_confirm": password})


def test_a_reset_through_the_mailed_link_proves_the_address(client, db, smtp_server):
    user = make_user(email="quen.mat.khau@example.vn", email_verified=False)
    path = _reset_link(client, smtp_server, user.email)
    response = _new_password(client, path)
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    _db.session.refresh(user)
    assert user.email_verified_at is not None
    # Proven now: the team invitations to the address are theirs to accept.
    login(client, user, password="mat-khau-moi-456")
    page = client.get("/my/entries").get_data(as_text=True)
    assert "Hãy xác nhận địa chỉ" not in page


def test_the_mailbox_owner_takes_back_an_account_an_impostor_made_with_their_address(app, client, db,
                                                                                     smtp_server):
    """An impostor signed up with the address; its owner resets the password from their mailbox: the
    account is theirs, its address proven, the impostor signed out; the owner sees their invitation."""
    contest = make_contest()
    leader = make_user(email="truong.nhom@saoviet.vn")
    make_entry(contest, leader, team=[{"full_name": "Phạm Đồng Đội", "email": "dong.doi@saoviet.vn"}],
               title="Bí mật kinh doanh")
    impostor = make_user(email="dong.doi@saoviet.vn", password="mat-khau-gia-mao", email_verified=False)
    impostor_client = app.test_client()
    login(impostor_client, impostor, password="mat-khau-gia-mao")
    assert "Bí mật kinh doanh" not in impostor_client.get("/my/entries").get_data(as_text=True)
    _new_password(client, _reset_link(client, smtp_server, "dong.doi@saoviet.vn"))
    assert impostor_client.get("/my/entries").status_code == 302  # signed out
    login(client, impostor, password="mat-khau-moi-456")
    assert "Bí mật kinh doanh" in client.get("/my/entries").get_data(as_text=True)


def test_an_already_proven_address_keeps_the_time_it_was_proven(client, db, smtp_server):
    user = make_user(email="da.xac.nhan@example.vn")
    proven_at = user.email_verified_at
    _new_password(client, _reset_link(client, smtp_server, user.email))
    _db.session.refresh(user)
    assert user.email_verified_at == proven_at


def test_a_reset_link_sent_to_an_old_address_stops_working_once_the_address_changes(client, db,
                                                                                      smtp_server):
    user = make_user(email="dia.chi.cu@example.vn")
    path = _reset_link(client, smtp_server, user.email)  # sits in the old mailbox
    accounts.verify_email(accounts.make_verify_token(user, "dia.chi.moi@example.vn"))  # the account moves
    old_hash = _db.session.get(User, user.id).password_hash
    page = client.get(path, follow_redirects=True)
    assert "Liên kết này không còn hiệu lực." in page.get_data(as_text=True)
    response = _new_password(client, path)
    assert response.status_code == 302 and response.headers["Location"].startswith("/password/forgot")
    with pytest.raises(ValidationError):
        accounts.reset_password(path.rsplit("/", 1)[1], "mat-khau-moi-456")
    _db.session.expire_all()
    assert _db.session.get(User, user.id).password_hash == old_hash
    # A link mailed to the new address works.
    assert _new_password(client, _reset_link(client, smtp_server, "dia.chi.moi@example.vn")
                         ).headers["Location"] == "/login"


def test_the_old_address_is_told_when_the_account_moves(client, db, smtp_server):
    user = make_user(email="cu@example.vn", full_name="Nguyễn Thị Chủ Cũ")
    login(client, user)
    client.post("/account/email", data={"email": "moi@example.vn", "password": PASSWORD})
    link = re.search(r"http://localhost(/account/verify/\S+)", _text(smtp_server.messages[-1])).group(1)
    before = len(smtp_server.messages)
    assert client.post(link).status_code == 302
    notices = [m for m in smtp_server.messages[before:] if parsed_message(m)["To"] == "cu@example.vn"]
    assert len(notices) == 1
    message = parsed_message(notices[0])
    assert message["Subject"] == "Địa chỉ e-mail tài khoản EventHub của bạn đã được thay đổi"
    text = _text(notices[0])
    assert "Nguyễn Thị Chủ Cũ" in text and "moi@example.vn" in text and "http://localhost/login" in text
    assert "đổi mật khẩu" in text


def test_the_notice_is_in_english_for_english_speakers(client, db, smtp_server):
    user = make_user(email="old@example.com", locale="en")
    accounts.verify_email(accounts.make_verify_token(user, "new@example.com"))
    notice = next(m for m in smtp_server.messages if parsed_message(m)["To"] == "old@example.com")
    message = parsed_message(notice)
    assert message["Subject"] == "Your EventHub address was changed"
    assert "new@example.com" in _text(notice) and "change the password" in _text(notice)


def test_confirming_ones_own_address_tells_nobody(client, db, smtp_server):
    user = make_user(email="chua.xac.nhan@example.vn", email_verified=False)
    before = len(smtp_server.messages)
    accounts.verify_email(accounts.make_verify_token(user, user.email))
    assert len(smtp_server.messages) == before
