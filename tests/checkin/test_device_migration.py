"""The migration that gives check-ins their `device` (issue 17): check-ins already there read "" and keep
everything else; going back down drops the column and keeps the rows and "once per day" (the partial
unique index, which SQLite's copy of the table must carry over); up again works. SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from eventhub import create_app
from eventhub.extensions import db
from tests.core.test_migrations import MIGRATIONS, _fresh_database_url

BEFORE, DEVICE = "c5d7e9f1a2b4", "d7e9f1a3b5c6"


def _columns(conn) -> list[str]:
    return [c["name"] for c in inspect(conn).get_columns("checkins")]


def _checkin(conn, checkin_id: int, registration_id: int, undone: bool = False) -> None:
    conn.execute(text(
        "INSERT INTO checkins (id, event_id, registration_id, day, checked_in_at, gate, undone_at) "
        "VALUES (:id, :event, :reg, '2026-12-14', '2026-12-14 01:42:00', 'Cổng A', :undone)"),
        {"id": checkin_id, "event": 1, "reg": registration_id,
         "undone": "2026-12-14 02:00:00" if undone else None})


def test_device_column_up_down_and_up(database_url, tmp_path):
    url, drop = _fresh_database_url(database_url, tmp_path)
    try:
        app = create_app({"ENV_CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            upgrade(directory=MIGRATIONS, revision=BEFORE)
            with db.engine.begin() as conn:
                assert "device" not in _columns(conn)
                _fill(conn)
                _checkin(conn, 1, 1)
            upgrade(directory=MIGRATIONS, revision=DEVICE)
            with db.engine.begin() as conn:
                assert "device" in _columns(conn)
                rows = conn.execute(text("SELECT id, gate, device FROM checkins")).all()
                assert rows == [(1, "Cổng A", "")]
                conn.execute(text("UPDATE checkins SET device = 'Điện thoại Lan' WHERE id = 1"))
            downgrade(directory=MIGRATIONS, revision=BEFORE)
            with db.engine.connect() as conn:
                assert "device" not in _columns(conn)
                assert conn.execute(text("SELECT id, gate FROM checkins")).all() == [(1, "Cổng A")]
            _once_per_day_still_holds()
            upgrade(directory=MIGRATIONS)
            with db.engine.connect() as conn:
                assert conn.execute(text("SELECT device FROM checkins WHERE id = 1")).scalar_one() == ""
            db.engine.dispose()
    finally:
        drop()


def _once_per_day_still_holds() -> None:
    """After the way down: a second live check-in of the day is refused, an undone one is not."""
    with db.engine.begin() as conn:
        _checkin(conn, 2, 1, undone=True)
    with pytest.raises(IntegrityError), db.engine.begin() as conn:
        _checkin(conn, 3, 1)


def _fill(conn) -> None:
    """The rows a check-in needs, written as SQL of that revision (the models are the newest schema's):
    an event, a registration type and a registration."""
    stamp = {"at": "2026-12-01 00:00:00"}
    conn.execute(text(
        "INSERT INTO events (id, slug, name, kind, starts_at, ends_at, timezone, venue, description, "
        "registration_open, created_at, updated_at) VALUES (1, 'e', 'E', 'other', '2026-12-14 01:00:00', "
        "'2026-12-14 10:00:00', 'Asia/Ho_Chi_Minh', 'V', '', true, :at, :at)"), stamp)
    conn.execute(text(
        "INSERT INTO registration_types (id, event_id, code, name, description, waitlist, requires_approval, "
        "position, created_at) VALUES (1, 1, 'visitor', 'Khách', '', false, false, 0, :at)"), stamp)
    conn.execute(text(
        "INSERT INTO registrations (id, event_id, registration_type_id, status, full_name, email, "
        "email_normalized, answers, locale, manage_nonce, sort_key, search_text, created_at, updated_at) "
        "VALUES (1, 1, 1, 'confirmed', 'Lan', 'lan@example.vn', 'lan@example.vn', '[]', 'vi', 'n', '', '', "
        ":at, :at)"), stamp)
