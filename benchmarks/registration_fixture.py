"""Creates the benchmark's event with an open registration type (run once through harness.prime)."""

from datetime import UTC, datetime

from eventhub import create_app
from eventhub.events.services import create_event
from eventhub.registration import catalog

SLUG, TYPE = "bench-day", "visitor"

if __name__ == "__main__":
    with create_app().app_context():
        event = create_event(slug=SLUG, name="Ngày hội Đo tải", kind="other", registration_open=True,
                             starts_at=datetime(2026, 12, 14, 1, tzinfo=UTC),
                             ends_at=datetime(2026, 12, 14, 10, tzinfo=UTC))
        # A capacity far above what a run can fill: every request takes a seat by the same
        # conditional UPDATE as at a real event, and none is turned away.
        catalog.create_type(event, code=TYPE, name="Khách tham quan", capacity=1_000_000)
