"""An event after the day: people checked in, a speaker, a published contest with winners and judges."""

from __future__ import annotations

import pytest

from eventhub.checkin import services as checkin
from eventhub.contests.models import AwardLevel, Contest, ContestJudge, Entry, EntryMember
from eventhub.extensions import db as _db
from eventhub.registration import services as registration
from tests.factories import make_session, make_type, make_user, open_event, register
from tests.support.pdf import install_fonts

from .helpers import MORNING, TRUC


@pytest.fixture(scope="session", autouse=True)
def _vendored_fonts():
    install_fonts()


@pytest.fixture
def organizer(db):
    return make_user("organizer")


@pytest.fixture
def day(db):
    """An event with three people checked in, one registered who did not come, one cancelled, a session
    with two speakers (one of them registered), and a published contest with an awarded entry."""
    event = open_event(
        slug="startup-day",
        name="Ngày hội Khởi nghiệp Đổi mới Sáng tạo 2026",
        venue="Nhà Văn hóa Thanh niên, Quận 1",
    )
    visitor = make_type(event, code="visitor", name="Khách tham quan")
    truc, truc_token = register(event, visitor, full_name=TRUC, email="truc@example.vn", notify=False)
    dung, _t = register(event, visitor, full_name="Lê Văn Dũng", email="dung@example.vn", notify=False)
    tam, _t = register(event, visitor, full_name="Lê Văn Tám", email="tam@example.vn", notify=False)
    absent, _t = register(event, visitor, full_name="Phạm Minh Huy", email="huy@example.vn", notify=False)
    gone, _t = register(event, visitor, full_name="Võ Thành Tâm", email="vo@example.vn", notify=False)
    registration.cancel_registration(gone, notify=False)
    for reg in (truc, dung, tam):
        checkin.check_in_registration(event, reg, now=MORNING)
    make_session(event, title="Hội thảo Đô thị thông minh", speakers=["TS. Lê Văn Tám", "ThS. Đỗ Thị Hoa"])
    return {
        "event": event,
        "visitor": visitor,
        "truc": truc,
        "truc_token": truc_token,
        "dung": dung,
        "tam": tam,
        "absent": absent,
        "gone": gone,
    }


@pytest.fixture
def contest(day):
    """A published pitch contest: a first prize to Trúc's team (Trúc and a member without a
    registration), a withdrawn awarded entry, an unpublished contest's winner; two judges."""
    event = day["event"]
    judge = make_user("judge", full_name="Trần Quốc Bảo", email="bao@example.vn")
    published = Contest(
        event_id=event.id, code="pitch", name="Cuộc thi Khởi nghiệp Sáng tạo", published_at=MORNING
    )
    draft = Contest(event_id=event.id, code="ai", name="Thử thách AI")
    _db.session.add_all([published, draft])
    _db.session.flush()
    winner = Entry(
        contest_id=published.id,
        title="Tưới tiêu thông minh cho nông dân miền Tây",
        award_level=AwardLevel.first,
    )
    withdrawn = Entry(
        contest_id=published.id, title="Rút lui", award_level=AwardLevel.second, status="withdrawn"
    )
    hidden = Entry(contest_id=draft.id, title="Chưa công bố", award_level=AwardLevel.first)
    _db.session.add_all([winner, withdrawn, hidden])
    _db.session.flush()
    _db.session.add_all(
        [
            EntryMember(
                entry_id=winner.id,
                full_name=TRUC,
                email="truc@example.vn",
                email_normalized="truc@example.vn",
            ),
            EntryMember(
                entry_id=winner.id,
                full_name="Hồ Ngọc Hà",
                email="ha@example.vn",
                email_normalized="ha@example.vn",
            ),
            EntryMember(
                entry_id=withdrawn.id,
                full_name="Bùi Văn Rút",
                email="rut@example.vn",
                email_normalized="rut@example.vn",
            ),
            EntryMember(
                entry_id=hidden.id,
                full_name="Ẩn Danh",
                email="an@example.vn",
                email_normalized="an@example.vn",
            ),
            ContestJudge(contest_id=published.id, user_id=judge.id),
            ContestJudge(contest_id=draft.id, user_id=judge.id),
        ]
    )
    _db.session.commit()
    return {"published": published, "winner": winner, "judge": judge}
