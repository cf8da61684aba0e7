"""The audit log speaks: a sentence per action naming its objects, labelled changes with values people
read, in Vietnamese and English (issue 16); nothing of an erased person; names loaded per page."""

from __future__ import annotations

import ast
import re
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import event as sa_event

from eventhub import hooks
from eventhub.accounts import services as accounts
from eventhub.audit.models import AuditEntry
from eventhub.audit.services import record
from eventhub.audit.words import Context, when
from eventhub.audit.words import areas as audit_areas
from eventhub.extensions import db as _db
from eventhub.registration import services as registrations
from tests.factories import HCMC, PASSWORD, login, make_session, make_type, make_user, open_event, register

PACKAGE = Path(__file__).resolve().parents[2] / "eventhub"

# record() calls whose action is not written out: what each can be. A new one fails the test below
# until it is listed here (and its actions get sentences).
DYNAMIC = {
    ("registration/services.py", "action"): {"registration.cancelled", "registration.rejected",
                                             "registration.hold_expired", "registration.attendance"},
    ("matchmaking/requesting.py", "f'matchmaking.request_{...}'"): {"matchmaking.request_accepted",
                                                                    "matchmaking.request_declined"},
    ("booths/services.py", "f'exhibitor.{...}'"): {"exhibitor.approved", "exhibitor.rejected",
                                                   "exhibitor.changes_requested"},
}


def _recorded_actions() -> set[str]:
    """Every action the code records, read from the source: each record(...) call's first argument."""
    found: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        if path.parent.name == "audit":
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "record" and node.args):
                continue
            found |= _actions(node.args[0], str(path.relative_to(PACKAGE)))
    return found


def _actions(arg, where: str) -> set[str]:
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        return {arg.value}
    if isinstance(arg, ast.IfExp):
        return _actions(arg.body, where) | _actions(arg.orelse, where)
    if isinstance(arg, ast.JoinedStr):
        text = "".join(v.value if isinstance(v, ast.Constant) else "{...}" for v in arg.values)
        key = (where, f"f'{text}'")
    else:
        key = (where, ast.unparse(arg))
    assert key in DYNAMIC, f"record({key[1]}) in {where}: list the actions it records in DYNAMIC"
    return DYNAMIC[key]


def test_every_recorded_action_has_a_sentence(app):
    actions = _recorded_actions()
    assert len(actions) >= 70, sorted(actions)
    with app.test_request_context():
        registry = hooks.registry()
        missing = sorted(action for action in actions
                         if registry.audit_words_for(action) is None
                         or action not in registry.audit_words_for(action).actions)
    assert not missing, f"recorded without a sentence (add it to the feature's audit_words.py): {missing}"


def _page(client, event, lang: str, **args) -> str:
    query = "&".join(f"{k}={v}" for k, v in {"lang": lang, **args}.items())
    response = client.get(f"/events/{event.slug}/audit?{query}")
    assert response.status_code == 200
    text = _text(response.get_data(as_text=True))
    return text


def _text(html: str) -> str:
    main = html.split("<main", 1)[-1]
    main = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", main, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", main)
    return " ".join(text.replace("&#34;", '"').replace("&#39;", "'").replace("&amp;", "&").split())


def _at(hour: int) -> datetime:
    return datetime(2026, 12, 14, hour, 0, tzinfo=HCMC)


@pytest.fixture
def organizer(db):
    return make_user("organizer", full_name="Phạm Thị Quỳnh Trúc")


def test_sessions_change_names_the_workshops(client, organizer):
    event = open_event(actor=organizer)
    rtype = make_type(event, name="Khách tham quan")
    titles = ("Hội thảo AI cho nông nghiệp", "Gọi vốn vòng hạt giống", "Pháp lý cho startup")
    first, second, third = (make_session(event, title=t, starts_at=_at(8 + 2 * n), ends_at=_at(9 + 2 * n))
                            for n, t in enumerate(titles))
    reg, _token = register(event, rtype, full_name="Nguyễn Văn An", session_ids=[first.id, second.id],
                           notify=False)
    registrations.change_sessions(reg, [first.id, third.id], actor=organizer)
    login(client, organizer)
    vi = _page(client, event, "vi")
    assert "Phạm Thị Quỳnh Trúc đổi các phiên đã chọn của Nguyễn Văn An" in vi
    assert ("Phiên hội thảo: Hội thảo AI cho nông nghiệp, Gọi vốn vòng hạt giống → "
            "Hội thảo AI cho nông nghiệp, Pháp lý cho startup") in vi
    assert "Nguyễn Văn An đăng ký" in vi  # signed up by themself: no "the system registered"
    assert "thêm phiên “Pháp lý cho startup”" in vi
    assert "Khách tham quan" in vi
    en = _page(client, event, "en")
    assert "Phạm Thị Quỳnh Trúc changed the sessions of Nguyễn Văn An" in en
    assert "Pháp lý cho startup" in en
    assert "Phạm Thị Quỳnh Trúc created the event" in en
    for code in ("registration.", "sessions_changed", "[", "True", "None", "type_code"):
        assert code not in vi and code not in en, code


def test_changes_read_as_labelled_values(client, organizer):
    event = open_event(actor=organizer)
    from eventhub.events import services as events

    events.update_event(event, actor=organizer, registration_open=False, venue="Hội trường Thống Nhất")
    login(client, organizer)
    vi = _page(client, event, "vi")
    assert "sửa sự kiện" in vi and "Hội trường Thống Nhất" in vi
    assert re.search(r"Có\s*→\s*Không", vi), vi
    en = _page(client, event, "en")
    assert re.search(r"Yes\s*→\s*No", en)
    assert "registration_open" not in vi and "registration_open" not in en


def test_an_erased_registrant_and_an_erased_account_leave_no_trace(client, organizer):
    event = open_event(actor=organizer)
    rtype = make_type(event)
    reg, _token = register(event, rtype, full_name="Lê Thị Bí Mật", phone="0912345678", notify=False)
    registrations.update_details(reg, full_name="Lê Thị Bí Mật Hai", phone="0987654321", organization=None,
                                 answers=None, actor=organizer)
    staff = make_user("participant", full_name="Võ Văn Kín Đáo", email="kin.dao@example.vn")
    accounts.grant_event_role(staff, event, "staff", actor=organizer)
    login(client, organizer)
    before = _page(client, event, "vi")
    assert "Lê Thị Bí Mật Hai" in before and "Võ Văn Kín Đáo" in before
    assert "kin.dao@example.vn" not in before  # the entry stored it; the page never shows addresses
    registrations.erase_personal_data(reg, actor=organizer)
    accounts.erase_user(staff, PASSWORD)
    after = _page(client, event, "vi")
    for trace in ("Bí Mật", "0912", "0987", "Kín Đáo", "kin.dao"):
        assert trace not in after, trace
    assert "một người đã xóa dữ liệu" in after
    assert "xóa dữ liệu cá nhân của một lượt đăng ký" in after


def test_an_entry_whose_object_is_gone_reads_from_what_it_stored(client, organizer):
    event = open_event(actor=organizer)
    entry = record("session.created", None, actor=organizer, event=event, object_type="eventsession",
                   changes={"title": "Phiên đã bị xóa khỏi chương trình"})
    entry.object_id = "999999"
    _db.session.commit()
    login(client, organizer)
    assert "thêm phiên “Phiên đã bị xóa khỏi chương trình”" in _page(client, event, "vi")


def test_certificate_sentences_name_the_kind_as_people_say_it(client, organizer):
    event = open_event(actor=organizer)
    issued = {"event": event, "object_type": "event"}
    record("certificates.issued", event, actor=organizer, changes={"kind": "speaker", "count": 3}, **issued)
    record("certificates.issued", event, actor=None, changes={"kind": "participation", "count": 9}, **issued)
    record("certificate_template.saved", None, actor=organizer, event=event, changes={"kind": "judge"})
    _db.session.commit()
    login(client, organizer)
    vi, en = _page(client, event, "vi"), _page(client, event, "en")
    assert "cấp giấy chứng nhận diễn giả" in vi and "Đã cấp giấy chứng nhận tham dự" in vi
    assert "sửa mẫu giấy chứng nhận giám khảo" in vi and "loại diễn giả" not in vi
    assert "issued speaker certificates" in en and "The participation certificates were issued" in en
    assert "changed the layout of the judge certificates" in en and "certificates of" not in en


def _count_statements(client, url) -> int:
    count = {"n": 0}

    def before(*_args, **_kw):
        count["n"] += 1

    sa_event.listen(_db.engine, "before_cursor_execute", before)
    try:
        assert client.get(url).status_code == 200
    finally:
        sa_event.remove(_db.engine, "before_cursor_execute", before)
    return count["n"]


def _busy_event(organizer, people: int):
    event = open_event(actor=organizer)
    rtype = make_type(event)
    sessions = [make_session(event, starts_at=_at(8 + 2 * n), ends_at=_at(9 + 2 * n)) for n in range(3)]
    for n in range(people):
        reg, _token = register(event, rtype, session_ids=[sessions[0].id], notify=False)
        registrations.change_sessions(reg, [sessions[n % 2 + 1].id], actor=organizer)
    return event


def test_a_page_of_fifty_entries_costs_the_same_statements_as_a_page_of_a_few(client, organizer):
    few, many = _busy_event(organizer, 2), _busy_event(organizer, 30)
    assert _db.session.scalar(_db.select(_db.func.count()).select_from(AuditEntry)
                              .where(AuditEntry.event_id == many.id)) > 50
    login(client, organizer)
    small = _count_statements(client, f"/events/{few.slug}/audit")
    big = _count_statements(client, f"/events/{many.slug}/audit")
    assert big <= small, (small, big)  # the few include more kinds of object (the event, its types)
    assert small <= 15, small


def test_the_log_pages_and_filters(client, organizer):
    event = _busy_event(organizer, 30)
    login(client, organizer)
    first = client.get(f"/events/{event.slug}/audit?lang=vi").get_data(as_text=True)
    assert 'rel="next"' in first and first.count('class="list-group-item') == 50
    second = _page(client, event, "vi", page=2)
    assert "trang 2 / 2" in second
    sessions_only = _page(client, event, "vi", area="checkin")
    assert "Chưa có ghi nhận nào" in sessions_only or "0 mục" in sessions_only
    mine = _page(client, event, "vi", person=organizer.id)
    assert "Phạm Thị Quỳnh Trúc" in mine and "Trần Thị Khách" in mine
    assert client.get(f"/events/{event.slug}/audit?page=99999999999&person=99999999999").status_code == 200


CODE_WORDS = re.compile(r"\b(True|False|None|[a-z]+_[a-z_]+|[a-z_]+\.[a-z_]+)\b")


def test_the_demos_vietnamese_audit_pages_show_no_code(client, demo):
    from eventhub.accounts.models import User
    from eventhub.events.models import Event

    truc = _db.session.scalar(_db.select(User).filter_by(email="truc.ptq@eventhub.demo"))
    client.post("/login", data={"email": truc.email, "password": "demo1234"})
    with client.application.test_request_context():
        areas = [None] + [area.key for area in audit_areas()]
    for event in _db.session.scalars(_db.select(Event)):
        for area in areas:
            args = {"area": area} if area else {}
            text = _page(client, event, "vi", **args)
            words = [w for w in CODE_WORDS.findall(text) if not w.endswith((".vn", ".com", ".demo"))]
            assert not words, (event.slug, area, sorted(set(words))[:20])
    week = _db.session.scalar(_db.select(Event).filter_by(slug="startup-week-2020"))
    vi = _page(client, week, "vi", area="matchmaking")
    assert re.search(r"\w đánh dấu buổi gặp với [^()]+ là (đã|không) diễn ra", vi), vi[:2000]
    en = _page(client, week, "en", area="matchmaking")
    assert re.search(r"\w marked the meeting with [^()]+ as (held|not held)", en)
    vi, en = _page(client, week, "vi", area="floorplan"), _page(client, week, "en", area="floorplan")
    assert "chạy bộ xếp gian hàng tự động" in vi and "ran the booth optimizer" in en
    assert "Đơn vị đã xếp chỗ: 150" in vi and "Exhibitors placed: 150" in en
    vi, en = _page(client, week, "vi", area="entry"), _page(client, week, "en", area="entry")
    assert re.search(r"trao giải cho “[^”]+”: Giải", vi) and re.search(r"set the award of “[^”]+”: \w+", en)
    assert re.search(r"nộp bài dự thi “[^”]+”", vi) and re.search(r"submitted the entry “[^”]+”", en)


def test_every_action_reads_even_when_its_object_is_gone(client, organizer):
    """Entries already in a database, of every action, whose objects were deleted: a sentence each."""
    event = open_event(actor=organizer)
    actions = sorted(_recorded_actions())
    for action in actions:
        _db.session.add(AuditEntry(action=action, object_type="gone", object_id="987654",
                                   actor_id=organizer.id, event_id=event.id, changes={}))
    _db.session.commit()
    login(client, organizer)
    for lang in ("vi", "en"):
        pages = range(1, len(actions) // 50 + 2)  # 50 entries a page, and the event's creation
        text = " ".join(_page(client, event, lang, page=n) for n in pages)
        lines = re.findall(r"\d\d/\d\d/\d{4} \d\d:\d\d", text)
        assert len(lines) == len(actions) + 1, lang  # and the event's creation
        words = [w for w in CODE_WORDS.findall(text) if not w.endswith((".vn", ".com", ".demo"))]
        assert not words, (lang, sorted(set(words)))
        assert "made a change" not in text and "đã thay đổi một mục" not in text


def test_stored_dates_and_times_read_in_the_events_zone_with_the_apps_formats(app):
    berlin = Context(event=SimpleNamespace(timezone="Europe/Berlin"))
    assert when("2026-12-08", berlin) == "08/12/2026"  # a calendar day stays the day it was
    assert when("2026-12-08T02:30:00+00:00", berlin) == "08/12/2026 03:30"
    assert when("2026-12-08T02:30:00+00:00", Context()) == "08/12/2026 09:30"  # Ho Chi Minh City
    assert when("2026-12-08T09:00:00", berlin) == "08/12/2026 09:00"  # naive: the wall clock as stored
    assert when("", berlin) == "—" and when("tomorrow", berlin) == "tomorrow"
