"""The demo's matchmaking: 25 funds, startups, requests, a scheduled day, 30+ projects connected;
loading it twice adds nothing."""

from __future__ import annotations

from datetime import datetime

from eventhub.accounts.models import Role, User
from eventhub.demo.matchmaking import load_matchmaking
from eventhub.matchmaking import figures
from eventhub.matchmaking.models import Meeting, MeetingRequest, MeetingStatus, Profile, RequestStatus
from tests.factories import HCMC, make_event, make_user

FUNDS = ["Quỹ Đầu tư Khởi nghiệp Sáng tạo TP.HCM", "VinaCapital Ventures", "Do Ventures",
         "ThinkZone Ventures",
         "Quỹ Đổi mới Sáng tạo Mekong"]
WORDS = ["Sao Việt", "Mekong", "Lúa Vàng", "Sen Hồng", "Bình Minh", "Phù Sa", "Trường Sơn", "Cửu Long"]
SUFFIXES = ["AI", "Tech", "Labs", "Data", "Farm", "Edu", "Health", "Go", "Pay", "Green"]


def _demo_people(db):
    for n in range(25):
        db.session.add(User(email=f"an.nguyen@fund{n + 1:02d}.vn", full_name=f"Nguyễn Văn An {n}",
                            role=Role.investor,
                            password_hash="x", organization=FUNDS[n % len(FUNDS)] + f" {n}"))
    for n in range(80):
        company = f"Công ty CP {WORDS[n % len(WORDS)]} {SUFFIXES[n % len(SUFFIXES)]}"
        db.session.add(User(email=f"binh.tran@startup{n + 1:03d}.vn", full_name=f"Trần Thị Bình {n}",
                            role=Role.participant, password_hash="x", organization=company))
    db.session.commit()


def test_the_demo_connects_more_than_thirty_projects_and_is_idempotent(db):
    organizer = make_user("organizer")
    event = make_event(slug="startup-week-2020", kind="startup_week",
                       starts_at=datetime(2020, 12, 14, 8, 0, tzinfo=HCMC),
                       ends_at=datetime(2020, 12, 18, 17, 30, tzinfo=HCMC))
    _demo_people(db)
    load_matchmaking(organizer)
    assert figures.investor_count(event.id) == 25
    requests = db.session.scalar(db.select(db.func.count(MeetingRequest.id)))
    accepted = db.session.scalar(db.select(db.func.count(MeetingRequest.id)).where(
        MeetingRequest.status == RequestStatus.accepted))
    assert 50 <= requests <= 60 and accepted >= 35
    assert figures.projects_connected(event.id) > 30
    meetings = db.session.scalar(db.select(db.func.count(Meeting.id)).where(
        Meeting.status == MeetingStatus.scheduled))
    before = (db.session.scalar(db.select(db.func.count(Profile.id))), requests, meetings,
              figures.meetings_held(event.id))
    load_matchmaking(organizer)
    after = (db.session.scalar(db.select(db.func.count(Profile.id))),
             db.session.scalar(db.select(db.func.count(MeetingRequest.id))),
             db.session.scalar(db.select(db.func.count(Meeting.id))), figures.meetings_held(event.id))
    assert after == before
