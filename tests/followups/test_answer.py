"""The e-mailed link: a GET shows the buttons and records nothing; each click is a POST that updates the
same row; a tampered token is a 404 page; an amount out of range is the field's error."""

from __future__ import annotations

import re
from datetime import timedelta

from eventhub.extensions import db as _db
from eventhub.followups.models import OutcomeFollowUp
from eventhub.followups.sweep import ask_due_followups
from eventhub.followups.tokens import make_token
from tests.factories import make_event
from tests.followups.helpers import MEETING_END, held_meeting
from tests.support.mail import parsed_message


def _asked(days: int = 30) -> list[OutcomeFollowUp]:
    ask_due_followups(now=MEETING_END + timedelta(days=days))
    return list(_db.session.scalars(_db.select(OutcomeFollowUp).where(OutcomeFollowUp.days == days)
                                    .order_by(OutcomeFollowUp.id)))


def _csrf(client, url: str) -> str:
    page = client.get(url).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def _click(client, token: str, answer: str, **extra):
    url = f"/follow-ups/{token}"
    return client.post(url, data={"csrf_token": _csrf(client, url), "answer": answer, **extra})


def _fresh(row: OutcomeFollowUp) -> OutcomeFollowUp:
    _db.session.expire_all()
    return _db.session.get(OutcomeFollowUp, row.id)


def test_the_email_names_the_meeting_and_carries_the_link(db, smtp_server):
    event = make_event(name="Tuần lễ Khởi nghiệp Đổi mới Sáng tạo")
    meeting = held_meeting(event)
    _asked()
    to_startup = next(parsed_message(e) for e in smtp_server.messages
                      if meeting.startup.user.email in e.rcpt_tos)
    text = to_startup.get_body(("plain",)).get_content()
    assert "Tuần lễ Khởi nghiệp Đổi mới Sáng tạo" in to_startup["Subject"]
    assert meeting.investor.organization in text  # the other side, by name
    assert re.search(r"/follow-ups/\S+", text)
    assert to_startup["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/unsubscribe/" in to_startup["List-Unsubscribe"]


def test_a_get_never_records(db, client):
    event = make_event()
    held_meeting(event)
    row = _asked()[0]
    page = client.get(f"/follow-ups/{make_token(row.id)}")
    assert page.status_code == 200
    assert "Một khoản đầu tư" in page.get_data(as_text=True)
    assert _fresh(row).answered_at is None


def test_clicks_combine_and_a_second_use_updates_the_same_row(db, client):
    event = make_event()
    held_meeting(event)
    row = _asked()[0]
    token = make_token(row.id)
    assert _click(client, token, "pilot").status_code == 302
    assert _click(client, token, "follow_up_meeting").status_code == 302
    assert _fresh(row).answers == ["follow_up_meeting", "pilot"]
    assert _click(client, token, "investment", amount="2.500.000.000").status_code == 302
    assert (_fresh(row).investment, _fresh(row).amount) == (True, 2_500_000_000)
    assert _click(client, token, "nothing").status_code == 302
    assert _fresh(row).answers == [] and _fresh(row).amount is None and _fresh(row).answered_at is not None
    assert _db.session.scalar(_db.select(_db.func.count(OutcomeFollowUp.id))) == 2  # the two sides' rows


def test_the_90_days_answer_leaves_the_30_days_one_as_it_was(db, client):
    event = make_event()
    held_meeting(event)
    first = _asked(30)[0]
    _click(client, make_token(first.id), "pilot")
    later = _asked(90)[0]
    _click(client, make_token(later.id), "investment", amount="1000000000")
    assert _fresh(first).answers == ["pilot"]
    assert _fresh(later).answers == ["investment"]


def test_a_tampered_token_is_a_404_page(db, client):
    event = make_event()
    held_meeting(event)
    token = make_token(_asked()[0].id)
    assert client.get(f"/follow-ups/{token[:-2]}xy").status_code == 404
    assert client.get("/follow-ups/not-a-token").status_code == 404


def test_an_invalid_amount_is_the_fields_error(db, client):
    event = make_event()
    held_meeting(event)
    row = _asked()[0]
    for amount in ("-5", "mười triệu", str(10**13 + 1)):
        answer = _click(client, make_token(row.id), "investment", amount=amount)
        assert answer.status_code == 422
        page = answer.get_data(as_text=True)
        assert 'class="form-control is-invalid"' in page and 'id="amount-error"' in page
    assert _fresh(row).answered_at is None


def test_a_meeting_no_longer_held_takes_no_answer(db, client):
    event = make_event()
    meeting = held_meeting(event)
    row = _asked()[0]
    url = f"/follow-ups/{make_token(row.id)}"
    csrf = _csrf(client, url)  # the page was open when the organizers changed the meeting
    meeting.investor_held = False
    _db.session.commit()
    refused = client.post(url, data={"csrf_token": csrf, "answer": "pilot"})
    assert refused.status_code == 409
    assert "không còn hiệu lực" in refused.get_data(as_text=True)
    assert _fresh(row).answered_at is None
