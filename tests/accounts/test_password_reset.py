"""Password reset by an e-mailed, signed link that expires and works once."""

import email
import email.policy
import re

from eventhub.accounts import services as accounts
from tests.factories import make_user


def _link_from(envelope) -> str:
    message = email.message_from_bytes(envelope.content, policy=email.policy.default)
    text = message.get_body(("plain",)).get_content()
    return re.search(r"http://localhost(/password/reset/\S+)", text).group(1), message


def test_reset_link_arrives_by_smtp_in_the_persons_language(client, db, smtp_server):
    user = make_user(full_name="Lê Thị Hồng Nhung")
    client.post("/password/forgot", data={"email": user.email.upper()})
    assert len(smtp_server.messages) == 1
    path, message = _link_from(smtp_server.messages[0])
    assert message["To"] == user.email
    assert message["Subject"] == "Đặt lại mật khẩu EventHub của bạn"
    assert "Lê Thị Hồng Nhung" in message.get_body(("plain",)).get_content()

    assert client.get(path).status_code == 200
    response = client.post(path, data={"password": "a-brand-new-one", "password_confirm": "a-brand-new-one"})
    assert response.status_code == 302
    assert accounts.authenticate(user.email, "a-brand-new-one").id == user.id
    # The link works once: the password it was made for is gone.
    assert client.get(path).status_code == 302


def test_reset_mail_in_english_for_english_speakers(client, db, smtp_server):
    user = make_user(locale="en")
    client.post("/password/forgot", data={"email": user.email})
    _path, message = _link_from(smtp_server.messages[0])
    assert message["Subject"] == "Reset your EventHub password"


def test_unknown_address_gets_the_same_answer_and_no_mail(client, db, smtp_server):
    response = client.post("/password/forgot", data={"email": "nobody@example.vn"})
    assert response.status_code == 302
    assert smtp_server.messages == []


def test_expired_or_tampered_links_are_refused(app, client, db):
    user = make_user()
    token = accounts.make_reset_token(user)
    assert client.get(f"/password/reset/{token}x").status_code == 302
    app.config["PASSWORD_RESET_MAX_AGE"] = -1
    try:
        response = client.get(f"/password/reset/{token}", follow_redirects=True)
    finally:
        app.config["PASSWORD_RESET_MAX_AGE"] = 3600
    assert "hết hạn" in response.get_data(as_text=True)


def test_the_reset_link_uses_base_url_not_the_requests_host(client, db, smtp_server):
    user = make_user()
    client.post("/password/forgot", data={"email": user.email}, headers={"Host": "evil.example"})
    message = email.message_from_bytes(smtp_server.messages[0].content, policy=email.policy.default)
    body = message.get_body(("plain",)).get_content()
    assert "evil.example" not in body and "http://localhost/password/reset/" in body
