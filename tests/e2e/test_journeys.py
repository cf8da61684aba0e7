"""The day's journeys in a real browser, each on a phone and at a desk: a visitor registers, the gate, a
judge, the organizer's badge run and booth assignment."""

from __future__ import annotations

import email
import email.policy
import re
from datetime import timedelta
from pathlib import Path

import pytest

from eventhub.accounts.services import grant_event_role
from eventhub.badges import services as badges
from eventhub.registration.models import Registration
from eventhub.registration.tickets import grouped_ticket_code
from tests.factories import PASSWORD, make_type, make_user, open_event, register

from .helpers import SIZES, judged_entry, new_context, sign_in

pytestmark = pytest.mark.slow


@pytest.fixture(params=list(SIZES))
def size(request):
    """Each journey at a phone's size and at a desk's (screenshots in test-artifacts/e2e/<journey>[size]/)."""
    return request.param


@pytest.fixture
def day(db):
    event = open_event(slug="startup-day", name="Ngày hội Khởi nghiệp Đổi mới sáng tạo TP.HCM")
    visitor = make_type(event, code="visitor", name="Khách tham quan", capacity=500)
    staff = make_user("participant", email="gate@example.vn", full_name="Phạm Văn Cổng")
    grant_event_role(staff, event, "staff")
    organizer = make_user("participant", email="btc@example.vn", full_name="Lê Thị Ban Tổ Chức")
    grant_event_role(organizer, event, "organizer")
    return {"event": event, "visitor": visitor, "staff": staff, "organizer": organizer}


def test_a_visitor_registers_and_opens_the_manage_link(browser, live, day, db, shots, size):
    app, base = live
    context = new_context(browser, size)
    page = context.new_page()
    page.goto(f"{base}/events/startup-day")
    shots(page, "event page")
    page.goto(f"{base}/events/startup-day/register/visitor")
    page.fill("input[name=full_name]", "Nguyễn Thị Quý Trúc")
    page.fill("input[name=email]", "truc@example.vn")
    page.fill("input[name=phone]", "0912 345 678")
    page.check("input[name=consent]")
    shots(page, "form filled")
    page.click("form:has([name=consent]) button[type=submit]")
    page.wait_for_load_state()
    assert "/r/" in page.url, page.content()[:2000]
    shots(page, "registered")
    reg = db.session.scalar(db.select(Registration).where(Registration.email == "truc@example.vn"))
    assert reg.full_name == "Nguyễn Thị Quý Trúc" and reg.status.value == "confirmed"
    assert grouped_ticket_code(reg.ticket_code) in page.content()
    # nothing is wider than the screen: no sideways scrolling
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"]

    # The confirmation e-mail's link, opened later in another browser (no cookies).
    outbox = Path(app.config["MAIL_OUTBOX_DIR"])
    message = email.message_from_bytes(next(outbox.glob("*.eml")).read_bytes(), policy=email.policy.default)
    link = re.search(re.escape(base) + r"/r/[A-Za-z0-9._-]+", message.get_body(("plain",)).get_content())
    assert link, "the e-mail carries the manage link"
    later = new_context(browser, size).new_page()
    later.goto(link.group(0))
    assert "Nguyễn Thị Quý Trúc" in later.content()
    assert grouped_ticket_code(reg.ticket_code) in later.content()
    assert later.locator("img.ticket-qr").count() == 1
    shots(later, "manage link from the e-mail")
    context.close()
    later.context.close()


def test_staff_checks_a_ticket_in_at_the_desk(browser, live, day, db, shots, size):
    _app, base = live
    reg, _token = register(day["event"], day["visitor"], full_name="Trần Văn Đức", email="duc@example.vn",
                           notify=False)
    page = new_context(browser, size).new_page()
    sign_in(page, base, day["staff"].email, PASSWORD)
    page.goto(f"{base}/events/startup-day/checkin")
    shots(page, "desk")
    page.fill("#ticket_code", reg.ticket_code)
    page.click("#scan-form button[type=submit]")
    page.wait_for_selector("[data-result=ok]")
    assert "Trần Văn Đức" in page.inner_text("#checkin-result")
    shots(page, "checked in")
    page.fill("#ticket_code", reg.ticket_code)  # the same ticket again: refused, said plainly
    page.click("#scan-form button[type=submit]")
    page.wait_for_selector("[data-result]:not([data-result=ok])")
    assert page.locator("[data-result=ok]").count() == 0
    shots(page, "second scan refused")
    page.context.close()


def test_an_organizer_runs_a_badge_job_and_the_bar_reaches_done(browser, live, day, db, shots, monkeypatch,
                                                                 size):
    _app, base = live
    monkeypatch.setattr(badges, "CHUNK_SIZE", 4)  # several chunks: the bar moves in steps
    for i in range(12):
        register(day["event"], day["visitor"], full_name=f"Võ Thị Khách {i}", email=f"k{i}@example.vn",
                 notify=False)
    page = new_context(browser, size).new_page()
    sign_in(page, base, day["organizer"].email, PASSWORD)
    page.goto(f"{base}/events/startup-day/badges")
    shots(page, "badge form")
    page.click("form:has([name=layout]) button[type=submit]")
    page.wait_for_url(re.compile(r".*/jobs/[0-9a-f]+$"))
    shots(page, "job started")
    page.wait_for_selector(".job-result:not([hidden])", timeout=60_000)
    assert page.get_attribute(".progress", "aria-valuenow") == "100"
    # the bar itself is drawn full (after Bootstrap's width transition), not only its number
    page.wait_for_function("() => { const bar = document.querySelector('.job-bar');"
                           " return bar.getBoundingClientRect().width >="
                           " bar.parentElement.getBoundingClientRect().width - 1; }", timeout=5_000)
    assert "12" in page.inner_text(".job-label")
    shots(page, "job done")
    with page.expect_download() as download:
        page.click(".job-result")
    assert download.value.suggested_filename.endswith(".pdf")
    page.context.close()


def test_a_judge_scores_an_assigned_entry(browser, live, day, db, shots, size):
    from eventhub.contests.models import Score
    from tests.support.feature_world import BEFORE_DEADLINE

    _app, base = live
    judge, entry = judged_entry(day["event"], now=BEFORE_DEADLINE,
                                deadline=BEFORE_DEADLINE + timedelta(days=9))
    page = new_context(browser, size).new_page()
    sign_in(page, base, judge.email, PASSWORD)
    page.goto(f"{base}/judge")
    assert "Tưới tiêu thông minh" in page.content()
    shots(page, "judge home")
    page.goto(f"{base}/judge/entries/{entry.id}")
    page.fill("#c_team", "8")
    page.fill("#c_market", "4.5")
    page.fill("#comment", "Đội ngũ mạnh, thị trường rõ ràng.")
    shots(page, "score sheet filled")
    page.click("button[name=action][value=submit]")
    page.wait_for_load_state()
    shots(page, "scores submitted")
    db.session.expire_all()
    score = db.session.scalar(db.select(Score).where(Score.entry_id == entry.id, Score.user_id == judge.id))
    assert score is not None and score.values == {"team": 8, "market": 4.5}
    assert score.status.value == "submitted"
    page.context.close()


def test_an_organizer_runs_booth_assignment(browser, live, day, db, shots, size):
    from eventhub.booths import services
    from eventhub.booths.models import BoothPlacement
    from tests.support.feature_world import BOOTH_PLAN

    _app, base = live
    services.replace_floorplan(day["event"], BOOTH_PLAN)
    for i, name in enumerate(["Công ty CP Sao Việt", "Trí Tuệ Sài Gòn"]):
        founder = make_user("participant", email=f"founder{i}@startup.vn", full_name=f"Nhà sáng lập {i}")
        services.apply(day["event"], founder, organization=name, sector="ai", size="standard",
                       preferences=[], notify=False)
    page = new_context(browser, size).new_page()
    sign_in(page, base, day["organizer"].email, PASSWORD)
    page.goto(f"{base}/events/startup-day/booths/allocation")
    shots(page, "allocation before")
    page.click("form[action$='/booths/allocation/run'] button[type=submit]")
    page.wait_for_load_state()
    shots(page, "allocation after")
    db.session.expire_all()
    placed = db.session.scalar(db.select(db.func.count()).select_from(BoothPlacement))
    assert placed == 2
    assert "Sao Việt" in page.content() and "Trí Tuệ Sài Gòn" in page.content()
    page.context.close()
