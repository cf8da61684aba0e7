"""Issue 19 in a real browser against a live server (CSRF on): what people rely on after an event.

1. A visitor who came answers the survey from the invitation e-mail on a phone: a required question left
   empty is marked beside it and nothing typed is lost; a second answer replaces the first, so the
   organizer's results (desk) count one response with the new value and show the written answer.
2. An investor answers the 30 days' follow-up of a meeting with two clicks (a pilot, then an investment with
   its amount); the organizer's follow-ups page and the event's report show both and the amount.
3. An organizer sees one startup written two ways at two events side by side, keeps one, is told in words
   what happened; the survivor's page holds both events and the list counts one organization fewer.

Screenshots: test-artifacts/issue19/journey-*.png."""

from __future__ import annotations

import email
import email.policy
import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from eventhub.booths.models import Exhibitor
from eventhub.dbtypes import utcnow
from eventhub.extensions import db as _db
from eventhub.followups.models import OutcomeFollowUp
from eventhub.followups.sweep import ask_due_followups
from eventhub.organizations import services as organizations
from eventhub.surveys.models import SurveyResponse
from tests.factories import HCMC, PASSWORD, make_user, open_event
from tests.followups.helpers import held_meeting
from tests.reports.factories import make_exhibitor, make_profile
from tests.surveys.helpers import event_survey, survey_world

from .helpers import SIZES, new_context, sign_in

pytestmark = pytest.mark.slow

SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "issue19"
WAIT = 60_000  # the machine may be busy: generous timeouts for navigations


def shoot(page, step: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"journey-{step}.png"), full_page=True)


def fits(page, size: str) -> None:
    """Nothing is wider than the screen: no sideways scrolling."""
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"], page.url


def mails_to(folder: Path, address: str) -> list[email.message.EmailMessage]:
    found = []
    for path in sorted(Path(folder).glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        if message["To"].addresses[0].addr_spec == address:
            found.append(message)
    return found


def submit(page, selector: str) -> None:
    with page.expect_navigation(timeout=WAIT):
        page.click(selector)
    page.wait_for_load_state()


# --- 1. the survey after the event -------------------------------------------------------------------------

TEXT = "Phiên gọi vốn rất bổ ích; lần sau nên có thêm chỗ ngồi và nước uống."


def test_a_visitor_answers_the_survey_on_a_phone_and_changes_the_answer(browser, live, db):
    app, base = live
    world = survey_world()
    survey = event_survey(world)
    rating, nps, choice, text = survey.questions

    # The organizer sends it at the desk: those who came get the e-mail (three checked in on the day).
    desk = new_context(browser, "desk").new_page()
    sign_in(desk, base, world.organizer.email, PASSWORD)
    results_url = f"{base}/events/{world.event.slug}/surveys/{survey.id}"
    desk.goto(results_url)
    submit(desk, "form[action$='/send'] button")
    expect(desk.locator("main")).to_contain_text("Đã gửi khảo sát cho thêm 3 người.")

    # Trúc's invitation: her personal link, opened on her phone (no account).
    outbox = Path(app.config["MAIL_OUTBOX_DIR"])
    for _ in range(100):
        if mails_to(outbox, "truc@example.vn"):
            break
        desk.wait_for_timeout(300)
    (invitation,) = mails_to(outbox, "truc@example.vn")
    link = re.search(re.escape(base) + r"/surveys/r/\S+", invitation.get_body(("plain",)).get_content())
    assert link, "the e-mail carries the personal link"
    phone = new_context(browser, "phone").new_page()
    phone.goto(link.group(0))
    expect(phone.locator("h1")).to_have_text(survey.title)
    assert "Nguyễn Thị Quý Trúc" in phone.inner_text("main")
    fits(phone, "phone")

    # Everything but the required rating: the page comes back with the error beside that question.
    phone.click(f"label[for=q{nps.id}-9]")
    phone.click(f"label[for=q{choice.id}-c3]")  # "Bạn bè"
    phone.fill(f"#q{text.id}", TEXT)
    shoot(phone, "survey-01-phone-filled-but-rating")
    submit(phone, "form:has(input[name=csrf_token]) button[type=submit]")
    error = phone.locator(f"#q{rating.id}-error")
    expect(error).to_have_text(re.compile(r"\s*Vui lòng trả lời câu hỏi này\.\s*"))
    assert phone.locator(".invalid-feedback").count() == 1  # only the question left empty
    question, following = (phone.locator(f"fieldset:has(#q{q.id}-1)").bounding_box() for q in (rating, nps))
    box = error.bounding_box()
    assert question["y"] < box["y"] and box["y"] + box["height"] <= following["y"]  # under it, not elsewhere
    assert phone.input_value(f"#q{text.id}") == TEXT  # what was typed is kept
    assert phone.is_checked(f"#q{nps.id}-9") and phone.is_checked(f"#q{choice.id}-c3")
    fits(phone, "phone")
    shoot(phone, "survey-02-phone-required-error")

    phone.click(f"label[for=q{rating.id}-3]")
    submit(phone, "form:has(input[name=csrf_token]) button[type=submit]")
    expect(phone.locator("h1")).to_have_text("Cảm ơn bạn!")
    expect(phone.locator(".survey-thanks")).to_be_visible()
    shoot(phone, "survey-03-phone-thanks")

    # The same link again: her answers are there; she changes the rating.
    phone.goto(link.group(0))
    expect(phone.locator(".alert-info")).to_contain_text("Bạn đã trả lời rồi")
    assert phone.is_checked(f"#q{rating.id}-3") and phone.input_value(f"#q{text.id}") == TEXT
    phone.click(f"label[for=q{rating.id}-5]")
    shoot(phone, "survey-04-phone-changing")
    submit(phone, "form:has(input[name=csrf_token]) button[type=submit]")
    expect(phone.locator("h1")).to_have_text("Cảm ơn bạn!")

    # The organizer's results: one response (not two), with the new rating and the written answer.
    desk.goto(results_url)
    expect(desk.locator(".response-rate")).to_contain_text("1 người trả lời trên 3 người được mời")
    first = desk.locator(".question-result").nth(0)
    assert "1 câu trả lời" in first.inner_text()
    assert re.search(r"Trung bình: 5[,.]0\b", first.inner_text()), first.inner_text()
    assert [t.strip() for t in desk.locator(".survey-texts li").all_inner_texts()] == [TEXT]
    shoot(desk, "survey-05-desk-results")
    _db.session.rollback()
    (response,) = _db.session.scalars(_db.select(SurveyResponse).where(SurveyResponse.survey_id == survey.id))
    assert response.registration_id == world.regs["truc"].id
    assert response.answers == {str(rating.id): 5, str(nps.id): 9, str(choice.id): "Bạn bè",
                                str(text.id): TEXT}
    phone.context.close()
    desk.context.close()


# --- 2. what came of a meeting, 30 days on ---------------------------------------------------------------

def test_an_investor_reports_a_pilot_and_an_investment_from_the_follow_up_link(browser, live, db, outbox):
    _app, base = live
    organizer = make_user("organizer", email="btc@sokhcn.vn", full_name="Ban Tổ Chức")
    now = utcnow()
    event = open_event(actor=organizer, slug="ket-noi-dau-tu", name="Ngày hội Kết nối Đầu tư Khởi nghiệp",
                       starts_at=now - timedelta(days=31, hours=6), ends_at=now - timedelta(days=31) +
                       timedelta(hours=3))
    investor = make_profile(event, "investor", "Quỹ Đầu tư Mekong Xanh")
    startup = make_profile(event, "startup", "CTCP Sao Khuê")
    meeting = held_meeting(event, investor=investor, startup=startup)
    meeting.starts_at, meeting.ends_at = now - timedelta(days=31, minutes=20), now - timedelta(days=31)
    _db.session.commit()

    assert ask_due_followups() == 2  # both sides asked; the investor's e-mail carries the link
    (message,) = mails_to(outbox, investor.user.email)
    path = re.search(r"/follow-ups/[^\s\"<>]+", message.get_body(("plain",)).get_content()).group(0)
    phone = new_context(browser, "phone").new_page()
    phone.goto(base + path)
    assert "Ngày hội Kết nối Đầu tư Khởi nghiệp" in phone.inner_text("main")
    assert "CTCP Sao Khuê" in phone.inner_text("main")  # the other side, by name
    fits(phone, "phone")
    shoot(phone, "followup-01-phone-question")
    _db.session.rollback()
    answered_at = _db.session.scalars(_db.select(OutcomeFollowUp.answered_at)).all()
    assert answered_at == [None, None]  # opening the link (a GET) records nothing

    submit(phone, "button[data-answer=pilot]")
    expect(phone.locator("main")).to_contain_text("Cảm ơn bạn: câu trả lời đã được lưu.")
    expect(phone.locator("button[data-answer=pilot]")).to_contain_text("✓ Một dự án thí điểm")
    shoot(phone, "followup-02-phone-pilot")
    phone.fill("#amount", "2.500.000.000")
    submit(phone, "button[data-answer=investment]")
    expect(phone.locator("button[data-answer=investment]")).to_contain_text("✓ Một khoản đầu tư")
    expect(phone.locator("button[data-answer=pilot]")).to_contain_text("✓ Một dự án thí điểm")  # both kept
    expect(phone.locator("main")).to_contain_text("2.500.000.000 VND")
    fits(phone, "phone")
    shoot(phone, "followup-03-phone-investment")

    _db.session.rollback()
    asked = list(_db.session.scalars(_db.select(OutcomeFollowUp).where(OutcomeFollowUp.event_id == event.id)))
    assert len(asked) == 2  # two clicks on one link: the same row, updated
    (answered,) = [f for f in asked if f.answered_at is not None]
    assert (answered.side.value, answered.pilot, answered.investment, answered.amount) == (
        "investor", True, True, 2_500_000_000)

    desk = new_context(browser, "desk").new_page()
    sign_in(desk, base, organizer.email, PASSWORD)
    desk.goto(f"{base}/events/{event.slug}/follow-ups")
    expect(desk.locator("[data-total=answered]")).to_have_text("1")
    expect(desk.locator("[data-total=investment_reported]")).to_have_text("2.500.000.000")
    expect(desk.locator("[data-total=startups_with_pilot_or_investment]")).to_have_text("1")
    row = desk.locator("tbody tr", has_text="2.500.000.000")
    expect(row).to_have_count(1)
    assert "Một dự án thí điểm" in row.inner_text() and "Một khoản đầu tư" in row.inner_text()
    assert "Quỹ Đầu tư Mekong Xanh" in row.inner_text()
    shoot(desk, "followup-04-desk-follow-ups")

    desk.goto(f"{base}/events/{event.slug}/report")
    figure = desk.locator(".report-figure[data-figure=investment_reported]")
    expect(figure.locator(".report-figure-value")).to_have_text("2.500.000.000")
    expect(figure).to_contain_text("Vốn đầu tư được báo cáo (VND)")
    expect(desk.locator(".report-figure[data-figure=startups_with_pilot_or_investment] .report-figure-value")
           ).to_have_text("1")
    shoot(desk, "followup-05-desk-report")
    phone.context.close()
    desk.context.close()


# --- 3. one startup written two ways ------------------------------------------------------------------------

def _week(year: int, slug: str, name: str):
    day = datetime(year, 12, 10, 8, 0, tzinfo=HCMC)
    return open_event(slug=slug, name=name, starts_at=day, ends_at=day + timedelta(hours=9))


def test_an_organizer_keeps_one_of_two_spellings_of_a_startup(browser, live, db):
    _app, base = live
    week20 = _week(2020, "startup-week-2020", "Tuần lễ Khởi nghiệp 2020")
    week21 = _week(2021, "startup-week-2021", "Tuần lễ Khởi nghiệp 2021")
    make_exhibitor(week20, "approved", "CTCP Sao Khuê")
    make_exhibitor(week21, "approved", "Sao Khuee JSC")  # the same startup, written otherwise a year on
    make_exhibitor(week20, "approved", "Công ty TNHH Nông Nghiệp Xanh")
    assert organizations.link_all() == 3
    by_name = {e.organization: e.organization_id for e in _db.session.scalars(_db.select(Exhibitor))}
    keep, merged = by_name["CTCP Sao Khuê"], by_name["Sao Khuee JSC"]
    organizer = make_user("organizer", email="btc@sokhcn.vn", full_name="Ban Tổ Chức")

    # On a phone the pair stacks (each button says "this one"); nothing runs off the screen.
    phone = new_context(browser, "phone").new_page()
    sign_in(phone, base, organizer.email, PASSWORD)
    phone.goto(f"{base}/organizations/duplicates")
    expect(phone.locator(".org-pair")).to_have_count(1)
    expect(phone.locator(".org-pair button:visible", has_text="Giữ hồ sơ này")).to_have_count(2)
    fits(phone, "phone")
    shoot(phone, "duplicates-01-phone")
    phone.context.close()

    desk = new_context(browser, "desk").new_page()
    sign_in(desk, base, organizer.email, PASSWORD)
    desk.goto(f"{base}/organizations")
    expect(desk.locator("#org-count")).to_have_text("3 tổ chức")
    expect(desk.locator("#duplicates-link .badge")).to_have_text("1")
    shoot(desk, "duplicates-02-desk-list-before")
    submit(desk, "#duplicates-link")

    pair = desk.locator(".org-pair")
    expect(pair).to_have_count(1)
    sides = {name: pair.locator(".col-md-6", has=desk.locator(f"a:text-is('{name}')"))
             for name in ("CTCP Sao Khuê", "Sao Khuee JSC")}
    left, right = (sides[n].bounding_box() for n in ("CTCP Sao Khuê", "Sao Khuee JSC"))
    assert abs(left["y"] - right["y"]) < 2 and left["x"] != right["x"]  # side by side, at one height
    assert "Tuần lễ Khởi nghiệp 2020" in sides["CTCP Sao Khuê"].inner_text()
    assert "Tuần lễ Khởi nghiệp 2021" in sides["Sao Khuee JSC"].inner_text()
    shoot(desk, "duplicates-03-desk-pair")

    submit(desk, ".org-pair .col-md-6:has(a:text-is('CTCP Sao Khuê')) button[type=submit]")
    expect(desk.locator(".alert-success")).to_contain_text(
        "Đã gộp “Sao Khuee JSC” vào “CTCP Sao Khuê”: mọi thứ của tổ chức được gộp nay thuộc về "
        "“CTCP Sao Khuê”.")
    expect(desk.locator("#no-pairs")).to_be_visible()
    shoot(desk, "duplicates-04-desk-merged")

    # The survivor's page: both events in its history, the other spelling as a former name.
    desk.goto(f"{base}/organizations/{keep}")
    expect(desk.locator("h1")).to_have_text("CTCP Sao Khuê")
    expect(desk.locator("#former-names")).to_contain_text("Sao Khuee JSC")
    for slug, year in (("startup-week-2020", "2020"), ("startup-week-2021", "2021")):
        event = desk.locator(f".org-year[data-year='{year}'] .org-event[data-event={slug}]")
        expect(event).to_have_count(1)
        expect(event.locator("li")).to_have_text(["Đã trưng bày"])  # the booth, whichever name it had
    shoot(desk, "duplicates-05-desk-survivor")
    desk.goto(f"{base}/organizations/{merged}")
    expect(desk.locator("#merged-into a")).to_have_text("CTCP Sao Khuê")

    desk.goto(f"{base}/organizations")
    expect(desk.locator("#org-count")).to_have_text("2 tổ chức")
    expect(desk.locator("#duplicates-link .badge")).to_have_text("0")
    assert desk.locator(".organizations li", has_text="Sao Khuee JSC").count() == 0
    shoot(desk, "duplicates-06-desk-list-after")
    desk.context.close()
