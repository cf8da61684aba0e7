"""The demo's programme: the department's plan for the startup ecosystem over the years of the demo's events
(2020 and 2026), with yearly targets for a few report figures – one of them a distinct count – so that its
page shows reached and missed targets, and years without events ("–"). Idempotent: kept if its code exists."""

from __future__ import annotations

from ..extensions import db
from ..programmes import services
from ..programmes.models import Programme

CODE = "KNDMST-2020-2026"
NAME = "Đề án hỗ trợ hệ sinh thái khởi nghiệp đổi mới sáng tạo TP.HCM giai đoạn 2020–2026"
# indicator: {year: target}; the years between the two editions have targets of their own (other events
# of the plan, not in the demo), which the page shows without an actual.
TARGETS = {
    "registrations": {2020: 4000, 2022: 4500, 2024: 5000, 2026: 6000},
    "exhibitors": {2020: 120, 2023: 130, 2026: 150},
    "contests": {2020: 6, 2026: 3},
    "projects_connected": {2020: 50, 2026: 60},
    "distinct.people_checked_in": {2020: 150, 2026: 3000},
}


def load_programmes(organizer) -> str:
    if db.session.scalar(db.select(Programme.id).where(Programme.code == CODE)) is not None:
        return "kept"
    services.save({"code": CODE, "name": NAME, "start_year": 2020, "end_year": 2026,
                   "targets": [{"indicator": key, "year": year, "target": target}
                               for key, years in TARGETS.items() for year, target in years.items()]},
                  organizer)
    return f"1 programme, {sum(len(years) for years in TARGETS.values())} targets"
