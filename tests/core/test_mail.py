"""E-mail goes out through a real SMTP server with Vietnamese intact, or to the outbox folder."""

import email
import email.policy

from eventhub import mail


def _parse(envelope):
    return email.message_from_bytes(envelope.content, policy=email.policy.default)


def test_smtp_message_keeps_vietnamese_subject_and_body(app, smtp_server):
    with app.app_context():
        message = mail.build_message("truc@example.vn", "Xác nhận đăng ký – Ngày hội Khởi nghiệp",
                                     "Chào Nguyễn Thị Quý Trúc,\nHẹn gặp bạn tại Nhà Văn hóa Thanh niên.",
                                     html="<p>Chào <b>Nguyễn Thị Quý Trúc</b></p>")
        mail.send(message)
    assert len(smtp_server.messages) == 1
    envelope = smtp_server.messages[0]
    assert envelope.rcpt_tos == ["truc@example.vn"]
    received = _parse(envelope)
    assert received["Subject"] == "Xác nhận đăng ký – Ngày hội Khởi nghiệp"
    assert "Chào Nguyễn Thị Quý Trúc" in received.get_body(("plain",)).get_content()
    assert "Nguyễn Thị Quý Trúc" in received.get_body(("html",)).get_content()


def test_without_smtp_mail_goes_to_the_outbox(app, outbox):
    with app.app_context():
        mail.send(mail.build_message("an@example.vn", "Thư thử", "Nội dung có dấu: ấ ầ ẩ ẫ ậ"))
    files = list(outbox.glob("*.eml"))
    assert len(files) == 1
    received = email.message_from_bytes(files[0].read_bytes(), policy=email.policy.default)
    assert received["Subject"] == "Thư thử"
    assert "ấ ầ ẩ ẫ ậ" in received.get_content()
