"""Reports read while the gates write, and several reports printed at once in two languages.

Threads with their own app contexts (their own connections), as gunicorn workers would have. Ids are
read before the threads start: the threads must not touch the test's session.
"""

from __future__ import annotations

import io
from datetime import datetime

import pdfplumber

from eventhub.checkin import services as checkin
from eventhub.events.models import Event
from eventhub.extensions import db as _db
from eventhub.registration.models import Registration
from eventhub.reports import figures, services
from eventhub.reports.pdf import render_report_pdf
from tests.factories import HCMC, register
from tests.support.racing import race

from .helpers import WEEK_FIGURES

NOON = datetime(2026, 12, 14, 12, 0, tzinfo=HCMC)


def _scan(event_id: int, code: str):
    def job():
        checkin.check_in(_db.session.get(Event, event_id), code, gate="Cổng chính", now=NOON)
        return "ok"
    return job


def _figures(event_id: int):
    def job():
        return figures.event_figures(event_id)
    return job


def test_one_ticket_at_six_gates_while_the_report_is_read_counts_once(app, world):
    week = world["week"]
    reg, _t = register(week, world["visitor"], full_name="Lý Thu Trang", email="trang@example.vn",
                       notify=False)
    event_id, code, reg_id = week.id, reg.ticket_code, reg.id
    outcomes = race(app, [_scan(event_id, code) for _ in range(6)] + [_figures(event_id) for _ in range(2)])
    scans, reads = outcomes[:6], outcomes[6:]
    assert sorted(scans) == ["already_checked_in"] * 5 + ["ok"], scans
    for read in reads:  # a read sees the scan or not, never half of it
        assert isinstance(read, dict), read
        assert read["visitor_attendances"] - WEEK_FIGURES["visitor_attendances"] == \
            read["checked_in"] - WEEK_FIGURES["checked_in"] in (0, 1)
    after = figures.event_figures(event_id)
    assert after["visitor_attendances"] == WEEK_FIGURES["visitor_attendances"] + 1
    assert after["checked_in"] == WEEK_FIGURES["checked_in"] + 1
    assert after["registrations"] == WEEK_FIGURES["registrations"] + 1
    assert _db.session.get(Registration, reg_id).status == "confirmed"


def _print(event_id: int, lang: str):
    def job():
        pdf = render_report_pdf(services.event_report(_db.session.get(Event, event_id)), lang)
        with pdfplumber.open(io.BytesIO(pdf)) as document:
            return lang, document.pages[0].extract_text()
    return job


def test_reports_printed_at_once_in_two_languages_keep_their_own(app, world):
    event_id = world["week"].id
    outcomes = race(app, [_print(event_id, lang) for lang in ("vi", "en", "vi", "en")])
    for outcome in outcomes:
        assert isinstance(outcome, tuple), outcome
        lang, text = outcome
        if lang == "vi":
            assert "BÁO CÁO TỔNG KẾT" in text and "SUMMARY REPORT" not in text
        else:
            assert "SUMMARY REPORT" in text and "BÁO CÁO TỔNG KẾT" not in text
