"""Vietnamese subjects, names and bodies arrive exactly as written (issue 14.4).

Python's default policy folds a long Vietnamese subject at a space and leaves that space between two
encoded words, where RFC 2047 tells every mail program (and `email.policy.default`'s own parser) to drop
it: "…sáng tạo và Khởi nghiệp…" arrived as "…sáng tạo vàKhởi nghiệp…". Every message here goes through
the real path – a real SMTP server on loopback, or the .eml outbox – and is read back with
`email.policy.default`.
"""

from __future__ import annotations

import email
import email.policy
import re
from email.header import decode_header, make_header

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eventhub import mail
from eventhub.mail.headers import LINE, WORD

LETTERS = ("aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ")
ALPHABET = LETTERS + LETTERS.upper() + "0123456789 .,:;–-()\"'!?/&"
SENDER_NAME = "Ban tổ chức Tuần lễ Đổi mới sáng tạo và Khởi nghiệp TP.HCM"

words = st.text(alphabet=LETTERS + LETTERS.upper(), min_size=1, max_size=9)
# Subjects as people write them: words, punctuation and single spaces, from one word to ~400 characters.
subjects = st.lists(st.one_of(words, words, st.sampled_from(["–", "-", "2026", "TP.HCM", "(AI)", "\"x\""])),
                    min_size=1, max_size=60).map(" ".join)
# Anything at all of the alphabet, spaces doubled or at the ends included.
odd_subjects = st.text(alphabet=ALPHABET, min_size=1, max_size=300).filter(lambda s: s.strip())
# A person's name: family, middle and given names – up to one encoded word (45 bytes of UTF-8, e.g.
# "Tôn Nữ Thị Hoàng Phương Uyên" takes 37); longer names are tested below the RFC 2047 way.
person_names = (st.lists(words, min_size=2, max_size=5)
                .map(lambda parts: " ".join(p.capitalize() for p in parts))
                .filter(lambda name: len(name.encode()) <= 45))
bodies = st.lists(st.text(alphabet=ALPHABET, min_size=1, max_size=200), min_size=1, max_size=8).map("\n".join)

LONG_SUBJECT = ("Xác nhận đăng ký: Cuộc thi Ý tưởng sáng tạo và Khởi nghiệp – Tuần lễ Đổi mới sáng tạo "
                "và Khởi nghiệp TP.HCM 2026 (Vòng chung kết)")


def _parse(raw: bytes):
    return email.message_from_bytes(raw, policy=email.policy.default)


def _decoded_body(message) -> str:
    return message.get_body(("plain",)).get_content().replace("\r\n", "\n")  # SMTP's line ends


def _expected_body(text: str) -> str:
    return text + "\n"  # set_content ends the last line too


def _check_wire_format(raw: bytes) -> None:
    """Every header line within RFC 2047's 76 characters, every encoded word within 75."""
    head = raw.split(b"\r\n\r\n", 1)[0] if b"\r\n\r\n" in raw else raw.split(b"\n\n", 1)[0]
    for line in head.decode("ascii").splitlines():
        assert len(line) <= LINE, line
        for word in re.findall(r"=\?[^?]+\?[bBqQ]\?[^?]*\?=", line):
            assert len(word) <= WORD, word


@pytest.fixture
def vietnamese_sender(app):
    previous = app.config["MAIL_DEFAULT_SENDER"]
    app.config["MAIL_DEFAULT_SENDER"] = f"{SENDER_NAME} <no-reply@eventhub.vn>"
    yield
    app.config["MAIL_DEFAULT_SENDER"] = previous


def test_the_reported_subject_keeps_every_space_through_smtp(app, smtp_server, vietnamese_sender):
    with app.app_context():
        message = mail.build_message("truc@example.vn", LONG_SUBJECT, "Chào bạn", to_name="Phạm Thị Quý Trúc")
        mail.send(message)
    raw = smtp_server.messages[0].content
    received = _parse(raw)
    assert received["Subject"] == LONG_SUBJECT
    assert "vàKhởi" not in received["Subject"] and "Tuầnlễ" not in received["Subject"]
    assert received["To"].addresses[0].display_name == "Phạm Thị Quý Trúc"
    assert received["To"].addresses[0].addr_spec == "truc@example.vn"
    _check_wire_format(raw)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(subject=st.one_of(subjects, odd_subjects), name=person_names, body=bodies)
def test_random_vietnamese_messages_arrive_intact_through_smtp(app, smtp_server, vietnamese_sender,
                                                               subject, name, body):
    with app.app_context():
        mail.send(mail.build_message("khach@example.vn", subject, body, to_name=name))
    raw = smtp_server.messages[-1].content
    received = _parse(raw)
    assert received["Subject"] == subject
    assert received["To"].addresses[0].display_name == name
    assert received["To"].addresses[0].addr_spec == "khach@example.vn"
    assert _decoded_body(received) == _expected_body(body)
    _check_wire_format(raw)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(subject=st.one_of(subjects, odd_subjects), name=person_names, body=bodies)
def test_random_vietnamese_messages_arrive_intact_in_the_outbox(app, outbox, vietnamese_sender,
                                                                subject, name, body):
    with app.app_context():
        mail.send(mail.build_message("khach@example.vn", subject, body, html=f"<p>{body}</p>", to_name=name))
    newest = max(outbox.glob("*.eml"), key=lambda path: path.stat().st_mtime_ns)
    raw = newest.read_bytes()
    received = _parse(raw)
    assert received["Subject"] == subject
    assert received["To"].addresses[0].display_name == name
    assert _decoded_body(received) == _expected_body(body)
    _check_wire_format(raw)


@settings(max_examples=150, deadline=None)
@given(name=st.one_of(person_names, subjects).filter(lambda name: not name.isascii()))  # ASCII: quoted
def test_display_names_of_any_length_decode_as_rfc_2047_says(app, name):
    """Long display names (an organizer's sender name, a team's name) as a mail program reads them.

    Python 3.11's address parser keeps the folding space between two encoded words of a name (RFC 2047
    §6.2 says to drop it; its subject parser does), so names longer than one encoded word are read
    here with the standard library's RFC 2047 decoder instead."""
    with app.app_context():
        raw = bytes(mail.build_message("khach@example.vn", "Thư mời", "x", to_name=name))
    to_line = email.message_from_bytes(raw, policy=email.policy.compat32)["To"]
    assert str(make_header(decode_header(to_line))) == f"{name} <khach@example.vn>"
    _check_wire_format(raw)


def test_the_sender_name_from_the_settings_reaches_mail_programs_intact(app, smtp_server, vietnamese_sender):
    with app.app_context():
        mail.send(mail.build_message("truc@example.vn", "Thư thử", "x"))
    raw = smtp_server.messages[0].content
    from_line = email.message_from_bytes(raw, policy=email.policy.compat32)["From"]
    assert str(make_header(decode_header(from_line))) == f"{SENDER_NAME} <no-reply@eventhub.vn>"
    assert _parse(raw)["From"].addresses[0].addr_spec == "no-reply@eventhub.vn"
    _check_wire_format(raw)


def test_a_line_break_in_a_name_neither_stops_the_mail_nor_adds_a_header(app, smtp_server):
    with app.app_context():
        message = mail.build_message("khach@example.vn", "Thư mời", "x",
                                     to_name="Lê Văn\r\nBcc: la@example.vn")
        mail.send(message)
    envelope = smtp_server.messages[0]
    received = _parse(envelope.content)
    assert envelope.rcpt_tos == ["khach@example.vn"] and "Bcc" not in received
    assert received["To"].addresses[0].display_name == "Lê Văn Bcc: la@example.vn"
