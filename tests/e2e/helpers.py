"""What the browser journeys share: screen sizes, signing in and a judge's world."""

from __future__ import annotations

from eventhub.contests import assigning, entries, setup
from tests.factories import make_user

PHONE = {"width": 390, "height": 844}  # an everyday phone, portrait
DESKTOP = {"width": 1366, "height": 900}  # the desk: an everyday laptop
SIZES = {"phone": PHONE, "desk": DESKTOP}  # every journey runs at both (its screenshots: one folder each)


def new_context(browser, size: str, **options):
    """A browser context at one of SIZES (a phone one touch-enabled), Vietnamese-speaking."""
    phone = size == "phone"
    return browser.new_context(viewport=SIZES[size], is_mobile=phone, has_touch=phone, locale="vi-VN",
                               **options)


def sign_in(page, base: str, email: str, password: str) -> None:
    """Signs in through the log-in form; fails the test if it did not work."""
    page.goto(f"{base}/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("form:has([name=password]) button[type=submit]")
    page.wait_for_load_state()
    assert "/login" not in page.url, page.content()[:2000]


def judged_entry(event, *, now, deadline):
    """A contest of two weighted criteria on `event` (submissions until `deadline`), its judge, and a
    startup's entry submitted at `now` and assigned to that judge; returns (judge, entry)."""
    contest = setup.create_contest(event, {
        "code": "pitch", "name": "Cuộc thi Khởi nghiệp Sáng tạo", "judges_per_entry": 1, "blind": False,
        "scoring": "zscore", "submission_deadline": deadline,
        "criteria": [{"key": "team", "name": "Đội ngũ", "weight": 2, "max_score": 10},
                     {"key": "market", "name": "Thị trường", "weight": 1, "max_score": 5}]})
    judge = make_user("judge", email="giamkhao@example.vn", full_name="Giám khảo Phạm Thị Hồng")
    setup.add_judges(contest, [judge.email])
    founder = make_user("participant", email="doi@saoviet.vn", full_name="Lê Hoàng Đội Trưởng")
    entry = entries.submit_entry(contest, {"title": "Tưới tiêu thông minh cho nông dân miền Tây",
                                           "summary": "Cảm biến độ ẩm và lịch tưới theo mùa.",
                                           "organization": "Sao Việt", "team": [], "links": []},
                                 user=founder, now=now)
    assigning.add_assignment(contest, entry, judge)
    return judge, entry
