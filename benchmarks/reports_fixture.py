"""The demo-sized 2020 series of domain.md, inserted in bulk, for bench_reports.py.

A benchmark fixture, not the product: rows go in with bulk INSERTs through each feature's models
(the services would take minutes), with realistic Vietnamese names and proportions.
"""

from __future__ import annotations

import os
import random
import secrets
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

HCMC = ZoneInfo("Asia/Ho_Chi_Minh")
EVENTS = [  # slug, name, kind, first day, days, registrations, sessions, contests
    (
        "tuan-le-2020",
        "Tuần lễ Khởi nghiệp – Đổi mới sáng tạo TP.HCM 2020",
        "startup_week",
        datetime(2020, 12, 14, 8, tzinfo=HCMC),
        5,
        3000,
        4,
        4,
    ),
    (
        "ngay-hoi-vung-2020",
        "Ngày hội Khởi nghiệp vùng 2020",
        "regional_day",
        datetime(2020, 10, 24, 8, tzinfo=HCMC),
        1,
        1000,
        1,
        2,
    ),
    (
        "ai-day-2020",
        "Ngày hội Trí tuệ nhân tạo Việt Nam 2020",
        "ai_day",
        datetime(2020, 9, 19, 8, tzinfo=HCMC),
        1,
        1000,
        0,
        2,
    ),
]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ"]
GIVEN = ["An", "Ánh", "Bình", "Châu", "Dũng", "Đức", "Hà", "Khánh", "Linh", "Trúc", "Quý", "Yến"]


class Series:
    """The app on a temporary database holding the demo-sized 2020 series."""

    def __init__(self, database_url: str, workdir: Path):
        os.environ["EVENTHUB_INSTANCE_PATH"] = str(workdir / "instance")
        import importlib

        from eventhub import create_app
        from eventhub.extensions import db

        for module in ("contests.models", "certificates.models", "matchmaking.models", "booths.models"):
            importlib.import_module(f"eventhub.{module}")  # their tables, before create_all
        self.db = db
        self.app = create_app(
            {
                "ENV_CONFIG": "production",
                "SECRET_KEY": secrets.token_hex(16),
                "SQLALCHEMY_DATABASE_URI": database_url,
                "RATELIMIT_ENABLED": False,
                "WTF_CSRF_ENABLED": False,
                "ARGON2_TIME_COST": 1,
                "ARGON2_MEMORY_COST": 1024,
            }
        )
        with self.app.app_context():
            db.create_all()
            started = time.perf_counter()
            self.counts = self._populate(random.Random(2020))
            print(f"  populated in {time.perf_counter() - started:.1f} s: {self.counts}", flush=True)

    def _insert(self, model, rows: list[dict]) -> None:
        if rows:
            self.db.session.execute(self.db.insert(model), rows)

    def _ids(self, column, *where) -> list[int]:
        return list(self.db.session.scalars(self.db.select(column).where(*where).order_by(column)))

    def _populate(self, rng: random.Random) -> dict:
        from eventhub.accounts.models import User
        from eventhub.booths.models import Exhibitor
        from eventhub.certificates.models import Certificate
        from eventhub.checkin.models import CheckIn
        from eventhub.contests.models import Contest, Entry
        from eventhub.events.models import Event
        from eventhub.matchmaking.models import Meeting, MeetingRequest, Profile
        from eventhub.registration.models import EventSession, Registration, RegistrationType, SessionChoice

        db, now = self.db, datetime.now(UTC)
        self._insert(
            User,
            [
                {
                    "email": f"u{i}@example.vn",
                    "full_name": f"{rng.choice(FAMILY)} Văn {i}",
                    "password_hash": "x",
                    "role": "investor" if i < 25 else "participant",
                    "created_at": now,
                }
                for i in range(175)
            ],
        )
        self._insert(
            User,
            [
                {
                    "email": "bantochuc@example.vn",
                    "full_name": "Ban Tổ Chức",
                    "password_hash": "x",
                    "role": "organizer",
                    "created_at": now,
                }
            ],
        )
        users = self._ids(User.id, User.role != "organizer")
        n_checkins = n_regs = 0
        for slug, name, kind, first, days, regs, n_sessions, n_contests in EVENTS:
            self._insert(
                Event,
                [
                    {
                        "slug": slug,
                        "name": name,
                        "kind": kind,
                        "starts_at": first,
                        "ends_at": first + timedelta(days=days - 1, hours=9),
                        "timezone": "Asia/Ho_Chi_Minh",
                        "venue": "Nhà Văn hóa Thanh niên",
                        "created_at": now,
                        "updated_at": now,
                    }
                ],
            )
            event_id = db.session.scalar(db.select(Event.id).where(Event.slug == slug))
            self._insert(
                RegistrationType,
                [{"event_id": event_id, "code": "visitor", "name": "Khách tham quan", "created_at": now}],
            )
            type_id = db.session.scalar(
                db.select(RegistrationType.id).where(RegistrationType.event_id == event_id)
            )
            self._insert(
                EventSession,
                [
                    {
                        "event_id": event_id,
                        "title": f"Hội thảo Đổi mới sáng tạo {s + 1}",
                        "starts_at": first + timedelta(days=s % days, hours=1 + s),
                        "ends_at": first + timedelta(days=s % days, hours=2 + s),
                        "created_at": now,
                    }
                    for s in range(n_sessions)
                ],
            )
            self._insert(
                Registration,
                [
                    {
                        "event_id": event_id,
                        "registration_type_id": type_id,
                        "status": "cancelled" if r % 20 == 0 else "confirmed",
                        "full_name": f"{rng.choice(FAMILY)} Thị {rng.choice(GIVEN)}",
                        "email": f"{slug}-{r}@example.vn",
                        "email_normalized": f"{slug}-{r}@example.vn",
                        "answers": [],
                        "manage_nonce": secrets.token_hex(8),
                        "created_at": first
                        - timedelta(days=rng.randint(0, 40), minutes=rng.randint(0, 1440)),
                        "updated_at": now,
                    }
                    for r in range(regs)
                ],
            )
            reg_ids = self._ids(Registration.id, Registration.event_id == event_id)
            sessions = self._ids(EventSession.id, EventSession.event_id == event_id)
            self._insert(
                SessionChoice,
                [
                    {"registration_id": reg, "session_id": sessions[i % len(sessions)], "holding": True}
                    for i, reg in enumerate(reg_ids[: regs // 2])
                    if sessions
                ],
            )
            rows = []
            for i, reg in enumerate(reg_ids):
                if i % 20 == 0 or rng.random() > 0.88:
                    continue  # cancelled, or never came
                for day in sorted(rng.sample(range(days), k=min(days, 1 + (rng.random() < 0.25)))):
                    at = first + timedelta(days=day, minutes=rng.randint(0, 480))
                    rows.append(
                        {
                            "event_id": event_id,
                            "registration_id": reg,
                            "day": at.date(),
                            "checked_in_at": at,
                            "gate": "Cổng A",
                        }
                    )
            self._insert(CheckIn, rows)
            n_checkins, n_regs = n_checkins + len(rows), n_regs + regs
            self._insert(
                Contest,
                [
                    {
                        "event_id": event_id,
                        "code": f"c{c}",
                        "name": f"Cuộc thi {name[:20]} {c}",
                        "created_at": now,
                    }
                    for c in range(n_contests)
                ],
            )
            contests = self._ids(Contest.id, Contest.event_id == event_id)
            self._insert(
                Entry,
                [
                    {
                        "contest_id": contests[e % len(contests)],
                        "title": f"Dự án {e}",
                        "status": "withdrawn" if e % 15 == 0 else "submitted",
                        "created_at": now,
                        "updated_at": now,
                    }
                    for e in range(150 * n_contests // 8)
                ],
            )
            self._insert(
                Exhibitor,
                [
                    {
                        "event_id": event_id,
                        "user_id": users[25 + x],
                        "organization": f"Startup {x}",
                        "status": "approved" if x % 10 else "rejected",
                        "sector": "ai",
                        "size": "3x3",
                        "contact_email": f"x{x}@example.vn",
                        "created_at": now,
                        "updated_at": now,
                    }
                    for x in range(50)
                ],
            )
            self._insert(
                Certificate,
                [
                    {
                        "event_id": event_id,
                        "kind": "participation",
                        "status": "valid",
                        "serial": f"{slug[:3].upper()}{c:07d}",
                        "holder_key": f"h{c}",
                        "holder_name": "Người tham dự",
                        "issued_at": now,
                    }
                    for c in range(1000)
                ],
            )
            self._insert(
                Profile,
                [
                    {
                        "event_id": event_id,
                        "user_id": users[p],
                        "kind": "investor" if p < 25 else "startup",
                        "organization": f"Tổ chức {p}",
                        "created_at": now,
                        "updated_at": now,
                    }
                    for p in range(0, 175, 1 if kind == "startup_week" else 7)
                ],
            )
            investors = self._ids(Profile.id, Profile.event_id == event_id, Profile.kind == "investor")
            startups = self._ids(Profile.id, Profile.event_id == event_id, Profile.kind == "startup")
            pairs = [
                (investors[m % len(investors)], startups[m % len(startups)])
                for m in range(min(60, len(startups)))
            ]
            self._insert(
                MeetingRequest,
                [
                    {
                        "event_id": event_id,
                        "from_profile_id": s,
                        "to_profile_id": i,
                        "pair_low": min(i, s),
                        "pair_high": max(i, s),
                        "status": "accepted",
                        "created_at": now,
                    }
                    for i, s in pairs
                ],
            )
            requests = self._ids(MeetingRequest.id, MeetingRequest.event_id == event_id)
            self._insert(
                Meeting,
                [
                    {
                        "event_id": event_id,
                        "request_id": req,
                        "investor_profile_id": i,
                        "startup_profile_id": s,
                        "starts_at": first,
                        "ends_at": first,
                        "table_number": 1 + m,
                        "investor_held": m % 3 != 0,
                        "startup_held": m % 2 == 0,
                        "stage": "follow_up" if m % 4 == 0 else None,
                        "created_at": now,
                        "updated_at": now,
                    }
                    for m, (req, (i, s)) in enumerate(zip(requests, pairs, strict=True))
                ],
            )
            db.session.commit()
        return {"registrations": n_regs, "checkins": n_checkins}
