"""The report tests' two 2026 events (tests/reports/conftest.py) and a programme over 2024–2026."""

from __future__ import annotations

import pytest

from eventhub.programmes import services
from tests.reports.conftest import count_queries, people, world  # noqa: F401  (the fixtures, shared)

BODY = {"code": "KNDMST-2024-2026", "name": "Đề án hỗ trợ khởi nghiệp đổi mới sáng tạo 2024–2026",
        "start_year": 2024, "end_year": 2026,
        "targets": [{"indicator": "registrations", "year": 2024, "target": 100},
                    {"indicator": "registrations", "year": 2026, "target": 5},
                    {"indicator": "exhibitors", "year": 2026, "target": 3},
                    {"indicator": "distinct.people_checked_in", "year": 2026, "target": 2.5}]}


@pytest.fixture
def programme(world, people):  # noqa: F811
    return services.save(BODY, people["organizer"])
