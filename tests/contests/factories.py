"""Contest factories: a contest with a rubric, judges, entries with teams, a minimal PDF."""

from __future__ import annotations

import io
import itertools
from datetime import datetime

from eventhub.contests import entries as entry_services
from eventhub.contests import setup
from tests.factories import HCMC, make_event, make_user

_n = itertools.count(1)

CRITERIA = [
    {"key": "team", "name": "Đội ngũ", "weight": 2, "max_score": 10},
    {"key": "market", "name": "Thị trường", "weight": 1, "max_score": 5},
]
BEFORE_DEADLINE = datetime(2026, 12, 1, 9, 0, tzinfo=HCMC)
DEADLINE = datetime(2026, 12, 10, 17, 0, tzinfo=HCMC)
AFTER_DEADLINE = datetime(2026, 12, 10, 17, 0, 1, tzinfo=HCMC)


def make_contest(event=None, **overrides):
    event = event or make_event()
    n = next(_n)
    data = {"code": f"pitch-{n}", "name": f"Cuộc thi Khởi nghiệp Sáng tạo {n}", "criteria": CRITERIA,
            "judges_per_entry": 2, "blind": False, "scoring": "zscore", "submission_deadline": DEADLINE}
    data.update(overrides)
    return setup.create_contest(event, data)


def make_judges(contest, count: int, **kw):
    judges = [make_user("judge", email=f"giamkhao{next(_n)}@giamkhao.vn",
                        full_name=f"Giám khảo Phạm Thị Hồng {i}", **kw) for i in range(count)]
    setup.add_judges(contest, [j.email for j in judges])
    return judges


def make_entry(contest, user=None, *, team=None, organization="Công ty Cổ phần Sao Việt", now=None, **kw):
    n = next(_n)
    user = user or make_user(email=f"doi{n}@saoviet.vn", full_name=f"Lê Hoàng Đội Trưởng {n}")
    data = {"title": f"Ứng dụng Nông nghiệp Thông minh {n}", "summary": "Giải pháp IoT cho nông dân.",
            "organization": organization, "team": team or [], "links": ["https://example.vn/demo"]}
    data.update(kw)
    return entry_services.submit_entry(contest, data, user=user, now=now or BEFORE_DEADLINE)


def pdf_bytes(pages: int = 1, text: str = "deck") -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Title": text})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def accept_invitation(entry, user):
    """The teammate opens the e-mailed invitation and accepts it (their address proven)."""
    from eventhub.contests import invitations

    member = next(m for m in entry.members if m.email_normalized == user.email.lower())
    return invitations.accept(invitations.invitation_token(member), user)
