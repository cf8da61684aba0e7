"""The organizers' follow-ups page and its XLSX name each person asked: the people are loaded with the
rows, so the number of queries does not grow with the number of rows (it did: one per row)."""

from __future__ import annotations

from sqlalchemy import event as sa_event

from eventhub.extensions import db as _db
from tests.factories import login, make_event, make_user
from tests.followups.helpers import answered, awarded_entry, held_meeting


def _event_with(meetings: int, members: int):
    event = make_event(name="Ngày hội Khởi nghiệp Cần Thơ")
    for _ in range(meetings):
        meeting = held_meeting(event)
        answered(meeting, side="investor", pilot=True)
        answered(meeting, side="startup", investment=True, amount=1_000_000)
    entry = awarded_entry(event, members=members, pending=0)
    for member in entry.members:
        answered(entry=entry, member=member, side="team")
    return event


def _queries(client, url: str) -> int:
    counted = [0]

    def listener(*_args):
        counted[0] += 1

    _db.session.expire_all()
    sa_event.listen(_db.engine, "before_cursor_execute", listener)
    try:
        assert client.get(url).status_code == 200
    finally:
        sa_event.remove(_db.engine, "before_cursor_execute", listener)
    return counted[0]


def test_the_page_and_xlsx_queries_do_not_grow_with_rows(db, client):
    small, big = _event_with(meetings=1, members=1), _event_with(meetings=5, members=4)
    login(client, make_user("organizer"))
    for suffix in ("follow-ups", "follow-ups.xlsx"):
        few = _queries(client, f"/events/{small.slug}/{suffix}")
        many = _queries(client, f"/events/{big.slug}/{suffix}")
        assert many == few, (suffix, few, many)
