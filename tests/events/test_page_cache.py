"""The public read pages keep their rendered parts per process (eventhub.fragments), keyed by the data they
show: whatever an organizer, a registrant or another feature changes shows on the very next request, in
both languages, and nothing of one person's (their name, their rights, a CSRF token, a flash message) is
ever served to another from what is kept."""

from __future__ import annotations

import re
import threading
from datetime import datetime, timedelta

import pytest

from eventhub import fragments
from eventhub.booths import services as booths
from eventhub.events import services as events
from eventhub.events.models import Event
from eventhub.registration import catalog
from eventhub.registration import services as registration_services
from eventhub.registration.models import EventSession, Registration
from tests.booths.factories import PLAN
from tests.contests.factories import make_contest
from tests.factories import HCMC, login, make_event, make_session, make_type, make_user, open_event, register


def _get(client, path: str, lang: str) -> str:
    response = client.get(f"{path}?lang={lang}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _both(client, path: str) -> tuple[str, str]:
    return _get(client, path, "vi"), _get(client, path, "en")


@pytest.fixture
def kept(app):
    """The app's fragments, emptied before and after the test (other tests' entries are harmless –
    they are keyed by their own data – but a test that counts them wants only its own)."""
    cache = fragments.cache()
    cache.clear()
    yield cache
    cache.clear()


def test_editing_the_event_shows_on_the_next_request_in_both_languages(client, db, kept):
    event = make_event(name="Ngày hội Khởi nghiệp Quận 1", venue="Nhà Văn hóa Thanh niên")
    vi, en = _both(client, f"/events/{event.slug}")
    assert "Ngày hội Khởi nghiệp Quận 1" in vi and "Ngày hội Khởi nghiệp Quận 1" in en
    assert "Đã đóng" in vi and "Closed" in en
    assert kept.hits == 0 and len(kept) > 0
    _both(client, f"/events/{event.slug}")
    assert kept.hits > 0  # the second visit used what the first rendered

    events.update_event(event, name="Ngày hội Khởi nghiệp Thủ Đức", venue="SECC, Quận 7",
                        description="Đoạn một.\n\nĐoạn hai.", registration_open=True,
                        starts_at=datetime(2026, 12, 15, 8, 0, tzinfo=HCMC),
                        ends_at=datetime(2026, 12, 15, 17, 0, tzinfo=HCMC))
    vi, en = _both(client, f"/events/{event.slug}")
    for html in (vi, en):
        assert "Ngày hội Khởi nghiệp Thủ Đức" in html and "Quận 1" not in html
        assert "SECC, Quận 7" in html and "<p>Đoạn hai.</p>" in html
        assert "15/12/2026 08:00" in html and "14/12/2026" not in html
    assert "Đang mở" in vi and "Open" in en

    make_type(event, code="guest")
    old_slug = event.slug
    assert f'href="/events/{old_slug}/register/guest"' in _get(client, f"/events/{old_slug}", "en")
    events.update_event(event, slug="thu-duc-2026")
    assert client.get(f"/events/{old_slug}").status_code == 404
    html = _get(client, "/events/thu-duc-2026", "en")
    assert 'href="/events/thu-duc-2026/register/guest"' in html and old_slug not in html


def test_types_places_and_agenda_show_on_the_next_request(client, db, kept):
    event = open_event()
    vi, en = _both(client, f"/events/{event.slug}")
    assert 'id="register-heading"' not in en and "agenda" not in en  # nothing to register for yet

    rtype = make_type(event, name="Khách tham quan", capacity=2)
    vi, en = _both(client, f"/events/{event.slug}")
    assert "Khách tham quan" in en and "2 places left." in en and "Còn 2 chỗ." in vi

    register(event, rtype, notify=False)
    vi, en = _both(client, f"/events/{event.slug}")
    assert "1 places left." in en or "1 place left." in en
    assert "Còn 1 chỗ." in vi

    register(event, rtype, notify=False)
    en = _get(client, f"/events/{event.slug}", "en")
    assert "Sold out." in en and f"/register/{rtype.code}" not in en

    catalog.update_type(rtype, name="Khách mời", capacity=5, waitlist=True)
    vi, en = _both(client, f"/events/{event.slug}")
    assert "Khách mời" in en and "Khách tham quan" not in en and "3 places left." in en and "Còn 3 chỗ." in vi

    second = make_type(event, name="Nhà đầu tư")
    en = _get(client, f"/events/{event.slug}", "en")
    assert en.index("Khách mời") < en.index("Nhà đầu tư") and "No limit on places." in en
    db.session.delete(second)
    db.session.commit()
    assert "Nhà đầu tư" not in _get(client, f"/events/{event.slug}", "en")

    session = make_session(event)
    vi, en = _both(client, f"/events/{event.slug}")
    assert "See the agenda of workshops and conferences" in en and "Xem chương trình" in vi
    db.session.delete(db.session.get(EventSession, session.id))
    db.session.commit()
    assert "See the agenda" not in _get(client, f"/events/{event.slug}", "en")

    events.update_event(event, registration_open=False)
    en = _get(client, f"/events/{event.slug}", "en")
    assert "Registration is closed." in en and f"/register/{rtype.code}" not in en


def test_contests_and_the_floor_map_show_on_the_next_request(client, db, kept):
    event = make_event()
    assert "Floor map" not in _get(client, f"/events/{event.slug}", "en")
    contest = make_contest(event, name="Cuộc thi Khởi nghiệp Xanh")
    vi, en = _both(client, f"/events/{event.slug}")
    assert "Cuộc thi Khởi nghiệp Xanh" in en and "Cuộc thi Khởi nghiệp Xanh" in vi and ">Results<" not in en

    contest.name = "Cuộc thi Đổi mới Xanh"
    contest.published_at = datetime(2026, 12, 14, 18, 0, tzinfo=HCMC)
    db.session.commit()
    en = _get(client, f"/events/{event.slug}", "en")
    assert "Cuộc thi Đổi mới Xanh" in en and "Khởi nghiệp Xanh" not in en and ">Results<" in en

    booths.replace_floorplan(event, PLAN)
    vi, en = _both(client, f"/events/{event.slug}")
    assert "Floor map" in en and "Sơ đồ gian hàng" in vi


def test_the_home_page_shows_new_edited_and_ended_events_on_the_next_request(client, db, kept):
    soon = make_event(name="Sự kiện sắp tới", starts_at=datetime(2099, 1, 1, 8, tzinfo=HCMC),
                      ends_at=datetime(2099, 1, 1, 17, tzinfo=HCMC))
    vi, en = _both(client, "/")
    assert "Sự kiện sắp tới" in vi and "Sự kiện sắp tới" in en and "Past events" not in en
    assert "Sự kiện sắp diễn ra" in vi and "Upcoming events" in en

    make_event(name="Sự kiện mới thêm", starts_at=datetime(2098, 1, 1, 8, tzinfo=HCMC),
               ends_at=datetime(2098, 1, 1, 17, tzinfo=HCMC))
    en = _get(client, "/", "en")
    assert en.index("Sự kiện mới thêm") < en.index("Sự kiện sắp tới")

    events.update_event(soon, name="Sự kiện đổi tên", venue="Dinh Thống Nhất", registration_open=True)
    vi, en = _both(client, "/")
    assert "Sự kiện đổi tên" in en and "Dinh Thống Nhất" in vi and "Registration open" in en
    assert "Đang mở đăng ký" in vi

    events.update_event(soon, starts_at=datetime(2020, 12, 14, 8, tzinfo=HCMC),
                        ends_at=datetime(2020, 12, 18, 17, tzinfo=HCMC))  # now over
    en = _get(client, "/", "en")
    assert en.index("Past events") < en.index("Sự kiện đổi tên") and "14/12/2020 – 18/12/2020" in en


def test_nothing_personal_is_kept_nor_served_to_someone_else(app, client, db, kept):
    organizer = make_user("organizer", full_name="Phạm Thị Quỳnh Trúc", email="truc@example.vn")
    event = open_event()
    make_type(event, name="Khách tham quan")
    make_contest(event, name="Cuộc thi Khởi nghiệp Xanh")

    login(client, organizer)
    html = _get(client, f"/events/{event.slug}", "en")
    assert "Manage contests" in html and f"/events/{event.slug}/edit" in html
    assert "Phạm Thị Quỳnh Trúc" in html
    events_page = _get(client, "/", "en")
    assert "Phạm Thị Quỳnh Trúc" in events_page
    # a flash message goes once, to its own person, from outside what is kept
    client.post(f"/events/{event.slug}/edit", data={
        "name": event.name, "slug": event.slug, "kind": "regional_day", "starts_at": "2026-12-14T08:00",
        "ends_at": "2026-12-14T17:00", "venue": "SECC", "description": "", "registration_open": "y",
        "reminder_hours": "24"})
    assert "The event is saved." in _get(client, f"/events/{event.slug}", "en")
    assert "The event is saved." not in _get(client, f"/events/{event.slug}", "en")

    for html in kept._entries.values():
        assert "Phạm Thị Quỳnh Trúc" not in html and "truc@example.vn" not in html
        assert "csrf_token" not in html and "The event is saved." not in html

    visitor = app.test_client()  # another browser, signed out, right after
    html = _get(visitor, f"/events/{event.slug}", "en")
    assert "SECC" in html and "Khách tham quan" in html and "Cuộc thi Khởi nghiệp Xanh" in html
    for personal in ("Manage contests", "/edit", "/manage", "Phạm Thị Quỳnh Trúc", "Sign out", "csrf_token"):
        assert personal not in html
    assert "Phạm Thị Quỳnh Trúc" not in _get(visitor, "/", "en")


@pytest.mark.parametrize("who", [None, "participant", "organizer"])
def test_the_pages_are_the_same_with_and_without_what_is_kept(app, db, kept, monkeypatch, who):
    event = open_event()
    make_type(event, name="Khách tham quan", capacity=10)
    make_session(event)
    make_contest(event, name="Cuộc thi Khởi nghiệp Xanh")
    booths.replace_floorplan(event, PLAN)
    client = app.test_client()
    if who:
        login(client, make_user(who))
    for path in (f"/events/{event.slug}", "/"):
        for lang in ("vi", "en"):
            _get(client, path, lang)  # kept
            cached = _get(client, path, lang)
            monkeypatch.setitem(app.config, "FRAGMENT_CACHE", False)
            fresh = _get(client, path, lang)
            monkeypatch.setitem(app.config, "FRAGMENT_CACHE", True)
            assert _without_csrf(cached) == _without_csrf(fresh), (path, lang)


def _without_csrf(html: str) -> str:
    """A signed-in page's sign-out form carries a CSRF token that is new on every request."""
    return re.sub(r'name="csrf_token" value="[^"]*"', 'name="csrf_token"', html)


def test_the_kept_fragments_are_bounded(app):
    cache = fragments.FragmentCache(max_entries=3)
    for n in range(5):
        cache.get_or_render(("page", n), lambda n=n: f"<p>{n}</p>")
    assert len(cache) == 3
    assert cache.get_or_render(("page", 4), lambda: "again") == "<p>4</p>"  # the newest stay
    assert cache.get_or_render(("page", 0), lambda: "<p>0 again</p>") == "<p>0 again</p>"  # the oldest went


def test_a_fragment_with_a_csrf_token_is_never_kept(app):
    cache = fragments.FragmentCache()
    form = '<input type="hidden" name="csrf_token" value="secret">'
    assert cache.get_or_render("form", lambda: form) == form
    assert len(cache) == 0


def test_whole_pages_are_kept_only_for_signed_out_visitors_with_no_message_waiting(client, db, kept):
    person = make_user("participant", full_name="Đỗ Thị Hương")
    event = open_event()
    make_type(event, name="Khách tham quan")
    paths = ("/", f"/events/{event.slug}")
    for path in paths:
        first, again = _get(client, path, "en"), _get(client, path, "en")
        assert first == again and "Sign in" in first  # the second came from what the first kept

    login(client, person)
    for path in paths * 2:  # the second time round no message waits from signing in
        html = _get(client, path, "en")
        assert "Đỗ Thị Hương" in html and "Sign out" in html and ">Sign in<" not in html
        assert "Booth application" in html or path == "/"  # a participant's own link

    client.post("/logout")
    html = _get(client, "/", "en")
    assert "You are signed out." in html and "Đỗ Thị Hương" not in html and "Sign in" in html
    again = _get(client, "/", "en")
    assert "You are signed out." not in again and "Đỗ Thị Hương" not in again

    # the other language's link repeats the address asked, whatever was kept for another address
    tagged = client.get(f"/events/{event.slug}?lang=en&ref=mail").get_data(as_text=True)
    assert "ref=mail" in tagged
    assert "ref=mail" not in _get(client, f"/events/{event.slug}", "en")


def test_a_seat_taken_between_the_key_and_the_render_is_not_kept_under_the_old_key(app, client, db, kept,
                                                                                   monkeypatch):
    event = open_event()
    rtype = make_type(event, name="Khách tham quan", capacity=2)
    register(event, rtype, notify=False)  # 1 of 2 taken
    event_id, code, path = event.id, rtype.code, f"/events/{event.slug}?lang=en"
    real = catalog.types_of
    raced: list = []

    def another_worker_registers():
        with app.app_context():  # its own session, as in another process
            try:
                reg, _token = registration_services.register(
                    db.session.get(Event, event_id), type_code=code, full_name="Lê Văn Bình",
                    email="binh@example.vn", consent=True, notify=False)
                raced.append(reg.id)
            except Exception as exc:  # re-raised below, in the test's thread
                raced.append(exc)

    def types_of_after_a_concurrent_registration(ev):
        # another worker's registration commits after the panel's key (taken = 1) was read and before
        # the panel's own data are loaded (taken = 2)
        if not raced:
            worker = threading.Thread(target=another_worker_registers)
            worker.start()
            worker.join()
        return real(ev)

    monkeypatch.setattr(catalog, "types_of", types_of_after_a_concurrent_registration)
    first = client.get(path).get_data(as_text=True)
    if isinstance(raced[0], Exception):
        raise raced[0]
    assert "Sold out." in first  # rendered from taken = 2: right at that moment
    monkeypatch.setattr(catalog, "types_of", real)

    # that person cancels: taken = 1 again, one place is free
    registration_services.cancel_registration(db.session.get(Registration, raced[0]), notify=False)
    html = client.get(path).get_data(as_text=True)
    assert "Sold out." not in html and f"/register/{code}" in html, "the free place is hidden"


def test_other_query_strings_keep_no_whole_page_and_the_cache_stays_bounded(client, db, kept):
    start = datetime(2020, 1, 6, 8, tzinfo=HCMC)
    for n in range(150):  # a series of events over the years: a home page of ~80 thousand characters
        make_event(name=f"Ngày hội Khởi nghiệp và Đổi mới Sáng tạo số {n}",
                   venue="Nhà Văn hóa Thanh niên, Quận 1",
                   starts_at=start + timedelta(days=14 * n), ends_at=start + timedelta(days=14 * n, hours=9))
    page = client.get("/?lang=en").get_data(as_text=True)
    kept_before = len(kept)
    for n in range(50):  # anyone can make up query strings
        again = client.get(f"/?lang=en&utm_source={n}").get_data(as_text=True)
        assert again.replace(f"&amp;utm_source={n}", "") == page  # the same page (its language link aside)
    assert len(kept) == kept_before  # …and not kept once per query string
    small = fragments.FragmentCache(max_characters=len(page) * 10)
    for n in range(40):
        small.get_or_render(("page", n), lambda: page)
    assert small.characters <= len(page) * 10 and 5 <= len(small) <= 10  # bounded by size, not by count
