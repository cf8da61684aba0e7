"""The check-in desk when the venue's Wi-Fi fails (issue 17), in a real browser with its network switched
off (`context.set_offline`): the desk decides from its offline kit, queues the scans, survives a reload
(service worker), and sends the queue when the network is back – the server's check-ins then equal the
desk's decisions. Screenshots: test-artifacts/e2e/offline-desk-<size>-<step>.png."""

from __future__ import annotations

import contextlib
import re
import time
from datetime import datetime, timedelta

import pytest
from playwright.sync_api import Error as PlaywrightError

from eventhub.accounts.services import grant_event_role
from eventhub.checkin import services as checkin
from eventhub.checkin.models import CheckIn
from eventhub.dbtypes import utcnow
from tests.factories import HCMC, PASSWORD, make_type, make_user, open_event, register

from .conftest import ARTIFACTS
from .helpers import SIZES, new_context, sign_in

pytestmark = pytest.mark.slow

DESK = "/events/offline-day/checkin"
GATE = "Cổng A"

READ_QUEUE = """() => new Promise((resolve, reject) => {
  const opening = indexedDB.open("eventhub-checkin");
  opening.onerror = () => reject(opening.error);
  opening.onsuccess = () => {
    const request = opening.result.transaction("queue").objectStore("queue").getAll();
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  };
})"""


# What the device keeps of the desk: the kits (event slugs and the names in them), the notes' keys, and
# the service worker's caches with the addresses they hold.
READ_KEPT = """async () => {
  const db = await new Promise((resolve, reject) => {
    const opening = indexedDB.open("eventhub-checkin");
    opening.onerror = () => reject(opening.error);
    opening.onsuccess = () => resolve(opening.result);
  });
  const all = (store, keys) => new Promise((resolve, reject) => {
    const s = db.transaction(store).objectStore(store);
    const request = keys ? s.getAllKeys() : s.getAll();
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const kits = (await all("kits"))
    .map(k => ({slug: k.slug, names: k.kit.registrations.map(r => r.full_name)}));
  const notes = await all("notes", true);
  db.close();
  const caches_ = {};
  for (const name of await caches.keys()) {
    caches_[name] = (await (await caches.open(name)).keys()).map(r => new URL(r.url).pathname);
  }
  return {kits, notes, caches: caches_};
}"""


@pytest.fixture(params=list(SIZES))
def size(request):
    return request.param


@pytest.fixture
def venue(db):
    """An event under way now (its day is today in Ho Chi Minh City), three people and a gate's staff."""
    return _venue(days_ahead=0)


def _venue(days_ahead: int) -> dict:
    now = utcnow().astimezone(HCMC)
    start = datetime(now.year, now.month, now.day, 0, 5, tzinfo=HCMC) + timedelta(days=days_ahead)
    event = open_event(slug="offline-day", name="Ngày hội Khởi nghiệp – khi Wi-Fi hỏng", starts_at=start,
                       ends_at=start + timedelta(hours=23, minutes=50))
    visitor = make_type(event, code="visitor", name="Khách tham quan")
    people = [register(event, visitor, full_name=name, organization=org)[0] for name, org in (
        ("Nguyễn Thị Quý Trúc", "Công ty Cổ phần Đổi Mới"), ("Lê Văn Dũng", ""),
        ("Trần Bảo Ngọc", "Đại học Bách khoa"))]
    staff = make_user("participant", email="cong-a@example.vn", full_name="Phạm Văn Cổng")
    grant_event_role(staff, event, "staff")
    return {"event": event, "visitor": visitor, "people": people, "staff": staff}


class Screens:
    def __init__(self, size: str, prefix: str = "offline-desk"):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.size = size
        self.prefix = prefix

    def __call__(self, page, step: str) -> None:
        name = re.sub(r"[^a-z0-9]+", "-", step.lower()).strip("-")
        page.screenshot(path=str(ARTIFACTS / f"{self.prefix}-{self.size}-{name}.png"), full_page=True)


def _open_desk(browser, base, venue, size):
    context = new_context(browser, size, timezone_id="Asia/Ho_Chi_Minh")
    page = context.new_page()
    sign_in(page, base, venue["staff"].email, PASSWORD)
    page.goto(f"{base}{DESK}")
    page.fill("#gate", GATE)
    page.click("form:has(#gate) button[type=submit]")
    page.wait_for_load_state()
    # Online: the kit is in IndexedDB and the service worker has the page and its files.
    page.wait_for_selector("#checkin-status[data-kit-state=ready][data-sw=ready][data-state=online]")
    return context, page


def _scan(page, code: str, result: str):
    page.evaluate("document.getElementById('checkin-result').replaceChildren()")  # wait for the new card
    page.fill("#ticket_code", code)
    page.press("#ticket_code", "Enter")
    card = page.wait_for_selector(f"#checkin-result .checkin-offline[data-result={result}]")
    return card.inner_text()


def _sign_out(page):
    """Through the menu, as staff do (on a phone it is folded behind its button)."""
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible():
        toggler.click()
        page.wait_for_selector("#nav.show")
    page.click("#nav form[action='/logout'] button[type=submit]")
    page.wait_for_load_state()


def _record_requests(app) -> list[str]:
    """"METHOD /path" of each request the live server receives from now on, noted as it arrives (the
    server's log is written after the answer, and earlier tests may have left its logger quiet)."""
    seen: list[str] = []
    inner = app.wsgi_app

    def noting(environ, start_response):
        seen.append(f"{environ['REQUEST_METHOD']} {environ.get('PATH_INFO', '')}")
        return inner(environ, start_response)

    app.wsgi_app = noting
    return seen


def _kept(page, until=None, seconds: float = 10) -> dict:
    """READ_KEPT, read again until `until(kept)` holds (or `seconds` have passed)."""
    deadline = time.monotonic() + seconds
    kept = page.evaluate(READ_KEPT)
    while until is not None and not until(kept) and time.monotonic() < deadline:
        page.wait_for_timeout(100)
        kept = page.evaluate(READ_KEPT)
    return kept


def _offline_desk_shows_nothing(page, base, venue) -> None:
    """The desk's address, opened without a network: no copy of the page, so no names."""
    try:
        page.goto(f"{base}{DESK}")
    except PlaywrightError as error:  # the browser's own "no connection" page
        assert "ERR_" in str(error), error
        page.wait_for_url(lambda url: url.startswith("chrome-error:"))
    html = page.content()
    assert page.locator("#scan-form").count() == 0
    for name in (venue["staff"].full_name, *(reg.full_name for reg in venue["people"])):
        assert name not in html


def _checkins(db, event):
    db.session.expire_all()
    return {c.registration_id: c for c in db.session.scalars(
        db.select(CheckIn).where(CheckIn.event_id == event.id, CheckIn.undone_at.is_(None)))}


def test_offline_desk_journey(browser, live, venue, db, size):
    app, base = live
    requests = _record_requests(app)
    shot = Screens(size)
    truc, dung, ngoc = venue["people"]
    context, page = _open_desk(browser, base, venue, size)
    assert page.locator("#checkin-status [data-queue]").inner_text() == "Lượt quét chờ gửi: 0"
    # Installable: Chromium reads the manifest without an error and has nothing against installing the
    # desk but Playwright's own private (incognito) window.
    cdp = context.new_cdp_session(page)
    assert cdp.send("Page.getAppManifest")["errors"] == []
    errors = {e["errorId"] for e in cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]}
    assert errors <= {"in-incognito"}, errors
    shot(page, "01 online, kit stored")
    late, _token = register(venue["event"], venue["visitor"], full_name="Võ Thành Tâm")  # not in the kit

    context.set_offline(True)
    page.wait_for_selector("#checkin-status[data-state=offline]")
    text = _scan(page, truc.ticket_code, "ok")
    assert "Nguyễn Thị Quý Trúc" in text and "Công ty Cổ phần Đổi Mới" in text
    assert "NGOẠI TUYẾN" in text.upper()
    shot(page, "02 admitted offline")
    # Typed as people read it out: lower case, in groups, with dashes.
    typed = "-".join(dung.ticket_code[i:i + 4] for i in range(0, 32, 4)).lower()
    assert "Lê Văn Dũng" in _scan(page, typed, "ok")
    assert "Trần Bảo Ngọc" in _scan(page, ngoc.ticket_code, "ok")
    again = _scan(page, truc.ticket_code, "already_checked_in")
    assert "ĐÃ VÀO LÚC" in again.upper() and GATE.upper() in again.upper() and "Nguyễn Thị Quý Trúc" in again
    assert page.locator(".checkin-offline.checkin-refused").count() == 1
    shot(page, "03 second scan refused offline")
    unknown = _scan(page, late.ticket_code, "unknown_offline")
    assert "KHÔNG CÓ TRONG DANH SÁCH NGOẠI TUYẾN" in unknown.upper()
    shot(page, "04 unknown offline")
    page.click(".checkin-admit")
    page.wait_for_selector(".checkin-offline[data-result=admitted_offline]")
    page.wait_for_selector("#checkin-status[data-queued='4'][data-state=offline]")
    status = page.locator("#checkin-status").inner_text()
    assert "Ngoại tuyến" in status and "Lượt quét chờ gửi: 4" in status
    shot(page, "05 admitted on sight, four queued")
    queued = {item["ticket_code"]: item for item in page.evaluate(READ_QUEUE)}
    assert set(queued) == {truc.ticket_code, dung.ticket_code, ngoc.ticket_code, late.ticket_code}
    # No names in the queue, which outlives signing out: the cards above took them from the kit.
    for item in queued.values():
        assert not {truc.full_name, dung.full_name, ngoc.full_name} & {str(v) for v in item.values()}, item
    assert _checkins(db, venue["event"]) == {}  # nothing reached the server

    requests.clear()
    reloaded = page.reload()  # still offline: the service worker's copy of the desk, the queue from IndexedDB
    assert reloaded.from_service_worker
    page.wait_for_selector("#checkin-status[data-ready=true][data-queued='4'][data-state=offline]")
    # Nothing reached the server: the page and its files came from the service worker's cache.
    assert not [r for r in requests if r == f"GET {DESK}" or r.startswith("GET /static/")], requests
    assert page.locator("#scan-form").count() == 1
    assert len(page.evaluate(READ_QUEUE)) == 4
    shot(page, "06 reloaded offline")

    context.set_offline(False)
    page.wait_for_selector("#checkin-status[data-queued='0'][data-state=online]", timeout=30_000)
    page.wait_for_selector("#checkin-differ", state="hidden")
    assert f"POST {DESK}/batch" in requests  # (the same record: its silence above counts)
    shot(page, "07 back online, queue sent")
    Screens(size, "deskfix")(page, "07 back online, offline tags")
    # The latest check-ins, fetched again: synced from an offline desk, said in words, not the device's id.
    page.wait_for_selector("#checkin-recent [data-offline]")
    recent = page.locator("#checkin-recent").inner_text()
    assert recent.count("ngoại tuyến") == 4 and "thiết bị" not in recent, recent
    device = page.evaluate("localStorage.getItem('eventhub-checkin-device')")  # made for the first batch
    assert re.fullmatch(r"[0-9a-f]{12}", device)
    assert device not in page.content()
    found = _checkins(db, venue["event"])
    assert set(found) == {truc.id, dung.id, ngoc.id, late.id}
    for reg in (truc, dung, ngoc, late):
        checkin_row = found[reg.id]
        assert checkin_row.checked_in_at == datetime.fromisoformat(queued[reg.ticket_code]["scanned_at"])
        assert checkin_row.gate == GATE and checkin_row.staff_id == venue["staff"].id
        assert checkin_row.device == device  # this device's own id (the gate is a column of its own)
    context.close()


def _wait_until(page, script: str, seconds: float = 10) -> None:
    """Polls `script` (a function) with evaluate: wait_for_function polls with eval, which the CSP forbids."""
    deadline = time.monotonic() + seconds
    while not page.evaluate(script):
        assert time.monotonic() < deadline, script
        page.wait_for_timeout(100)


def _in_view(page, selector: str) -> bool:
    return page.evaluate("""s => { const r = document.querySelector(s).getBoundingClientRect();
                                   return r.top >= 0 && r.bottom <= window.innerHeight; }""", selector)


def test_an_offline_scan_before_the_event_is_an_amber_test_scan(browser, live, db, size):
    """Scanners tried out days before the event, without a network: the card is the online test scan's
    (amber, "the event has not started yet"), not a green check-in; the name and the scan field in view."""
    _app, base = live
    shot = Screens(size, "deskfix")
    venue = _venue(days_ahead=3)
    truc, dung, _ngoc = venue["people"]
    context, page = _open_desk(browser, base, venue, size)
    context.set_offline(True)
    page.wait_for_selector("#checkin-status[data-state=offline]")
    card = _scan(page, truc.ticket_code, "ok")
    assert page.locator("#checkin-result .checkin-test[data-phase=before_event]").count() == 1
    assert page.locator("#checkin-result .checkin-ok").count() == 0
    assert "SỰ KIỆN CHƯA BẮT ĐẦU" in card.upper() and "ĐÃ CHECK-IN" not in card.upper()
    assert "Đã ghi nhận lượt quét thử: không tính vào số liệu của sự kiện." in card
    assert "Nguyễn Thị Quý Trúc" in card
    assert _in_view(page, "#checkin-result .checkin-name") and _in_view(page, "#ticket_code")
    shot(page, "13 test scan offline before the event")
    page.screenshot(path=str(ARTIFACTS / f"deskfix-{size}-13-viewport.png"))  # what the person sees
    again = _scan(page, truc.ticket_code, "already_checked_in")
    assert page.locator("#checkin-result .checkin-test[data-phase=before_event]").count() == 1
    assert "Quét thử: vé này đã được quét hôm nay." in again
    _scan(page, dung.ticket_code, "ok")
    note = page.locator("#checkin-result .checkin-offline-note")
    assert note.inner_text() == "Đã ghi trên thiết bị này; sẽ gửi lên máy chủ khi có mạng trở lại."
    context.set_offline(False)
    page.wait_for_selector("#checkin-status[data-queued='0'][data-state=online]", timeout=30_000)
    page.wait_for_selector("#checkin-differ", state="hidden")
    # The card still on screen no longer says it waits for the network.
    page.wait_for_selector("#checkin-result .checkin-offline-note[data-sent=true]")
    assert note.inner_text() == "Đã gửi lên máy chủ."
    shot(page, "15 back online, sent to the server")
    rows = _checkins(db, venue["event"])
    assert set(rows) == {truc.id, dung.id}
    for row in rows.values():
        assert checkin.phase_of(row, venue["event"]) == "before_event"  # the server agrees: test scans
    device = page.evaluate("localStorage.getItem('eventhub-checkin-device')")
    context.close()
    # The audit log says it in words; the device's id is a labelled technical field, not in the sentence.
    make_user("organizer", email="btc@example.vn", full_name="Đỗ Minh Khoa")
    context = new_context(browser, size, timezone_id="Asia/Ho_Chi_Minh")
    page = context.new_page()
    sign_in(page, base, "btc@example.vn", PASSWORD)
    page.goto(f"{base}/events/offline-day/audit?area=checkin")
    text = " ".join(page.locator("main").inner_text().split())
    assert "Phạm Văn Cổng đồng bộ các lượt quét của một bàn check-in ngoại tuyến" in text, text
    assert f"Mã thiết bị: {device}" in text and f"“{device}”" not in text and "trên thiết bị" not in text
    shot(page, "17 audit log")
    context.close()


def test_on_a_phone_without_a_gate_the_answer_is_brought_into_view(browser, live, db):
    """The gate's form open above the scan field (no gate set yet) pushed the answer – a test scan's
    card, the tallest – below the fold: the card is scrolled up after the scan, as far as the scan
    field stays in view."""
    _app, base = live
    venue = _venue(days_ahead=3)
    context = new_context(browser, "phone", timezone_id="Asia/Ho_Chi_Minh")
    page = context.new_page()
    sign_in(page, base, venue["staff"].email, PASSWORD)
    page.goto(f"{base}{DESK}")
    page.wait_for_selector("#checkin-status[data-kit-state=ready]")
    assert page.locator("details.checkin-gate[open]").count() == 1
    page.fill("#ticket_code", venue["people"][0].ticket_code)
    page.press("#ticket_code", "Enter")
    page.wait_for_selector("#checkin-result .checkin-test:not(.checkin-offline)")
    _wait_until(page, "() => document.querySelector('#checkin-result .checkin-type')"
                      ".getBoundingClientRect().bottom <= window.innerHeight")
    assert _in_view(page, "#checkin-result .checkin-name") and _in_view(page, "#checkin-result .checkin-type")
    assert _in_view(page, "#ticket_code")
    assert page.evaluate("""() => document.getElementById('ticket_code').getBoundingClientRect().top >=
                                  document.getElementById('checkin-status').getBoundingClientRect().bottom""")
    assert page.evaluate("window.scrollY") > 0  # it was below the fold: scrolled, not by chance
    page.screenshot(path=str(ARTIFACTS / "deskfix-phone-16-no-gate-scan-viewport.png"))
    context.close()


def test_the_kit_age_reads_in_the_right_plural_form(browser, live, venue, db):
    """English: "1 minute ago", "2 minutes ago" (the server's ngettext forms, picked by the number)."""
    _app, base = live
    context = new_context(browser, "desk", timezone_id="Asia/Ho_Chi_Minh")
    context.clock.install()
    page = context.new_page()
    sign_in(page, base, venue["staff"].email, PASSWORD)
    page.goto(f"{base}{DESK}?lang=en")
    kit = page.wait_for_selector("#checkin-status[data-kit-state=ready] [data-kit]")
    assert kit.inner_text() == "Offline list from just now"
    context.set_offline(True)  # no new kit meanwhile
    page.clock.fast_forward("01:10")
    _wait_until(page, "() => document.querySelector('#checkin-status [data-kit]').textContent"
                      ".includes('minute')")
    assert kit.inner_text() == "Offline list from 1 minute ago"
    Screens("desk", "deskfix")(page, "14 en kit age one minute")
    page.clock.fast_forward("01:00")
    _wait_until(page, "() => document.querySelector('#checkin-status [data-kit]').textContent.includes('2 ')")
    assert kit.inner_text() == "Offline list from 2 minutes ago"
    Screens("desk", "deskfix")(page, "14 en kit age two minutes")
    context.close()


def test_a_scan_the_server_decides_otherwise_is_listed_after_the_sync(browser, live, venue, db):
    _app, base = live
    shot = Screens("desk")
    truc = venue["people"][0]
    context, page = _open_desk(browser, base, venue, "desk")
    # After the kit was taken, gate B (online) lets Trúc in; then gate A loses its network.
    other = checkin.check_in(venue["event"], truc.ticket_code, gate="Cổng B")
    earlier = other.checked_in_at.astimezone(HCMC).strftime("%H:%M")
    context.set_offline(True)
    page.wait_for_selector("#checkin-status[data-state=offline]")
    _scan(page, truc.ticket_code, "ok")  # the kit does not know: admitted offline
    context.set_offline(False)
    page.wait_for_selector("#checkin-status[data-queued='0'][data-state=online]", timeout=30_000)
    item = page.wait_for_selector("#checkin-differ li[data-result=already_checked_in]")
    assert "Nguyễn Thị Quý Trúc" in item.inner_text()
    assert f"Đã vào lúc {earlier} · Cổng B" in item.inner_text()
    assert page.locator("[data-differ-clear]").inner_text() == "Xóa danh sách"
    shot(page, "08 decided otherwise by the server")
    found = _checkins(db, venue["event"])
    assert found[truc.id].gate == "Cổng B" and found[truc.id].checked_in_at == other.checked_in_at
    page.click("[data-differ-clear]")
    page.wait_for_selector("#checkin-differ", state="hidden")
    page.reload()
    page.wait_for_selector("#checkin-status[data-ready=true]")
    assert page.locator("#checkin-differ").is_hidden()  # cleared for good, not only on screen
    context.close()


def test_a_clock_hours_off_is_said_in_words_and_scans_keep_the_servers_time(browser, live, venue, db):
    _app, base = live
    shot = Screens("phone")
    context = new_context(browser, "phone", timezone_id="Asia/Ho_Chi_Minh")
    context.clock.install(time=datetime.now().astimezone() - timedelta(hours=3))  # a phone set 3 hours back
    page = context.new_page()
    sign_in(page, base, venue["staff"].email, PASSWORD)
    page.goto(f"{base}{DESK}")
    clock = page.wait_for_selector("#checkin-status [data-clock]:not([hidden])")
    assert clock.inner_text() == "Đồng hồ của thiết bị này chậm 3 giờ"
    context.set_offline(True)
    page.wait_for_selector("#checkin-status[data-state=offline]")
    _scan(page, venue["people"][0].ticket_code, "ok")
    shot(page, "09 clock three hours behind")
    [item] = page.evaluate(READ_QUEUE)
    # Stamped with the server's time (as its `Date` headers told), not the device's: the server would
    # judge the scan three hours early, or refuse one from a clock that is ahead.
    assert abs(datetime.fromisoformat(item["scanned_at"]) - utcnow()) < timedelta(minutes=1)
    context.close()


def test_a_scan_without_the_server_is_decided_offline_but_a_refusal_is_not(browser, live, venue, db):
    """The Wi-Fi is up but the server cannot be reached (the browser does not know it is offline): the
    scan is decided from the kit. An answer of the server – even a refusal – is shown as it is."""
    _app, base = live
    truc, dung, _ngoc = venue["people"]
    context, page = _open_desk(browser, base, venue, "desk")
    page.fill("#ticket_code", truc.ticket_code)
    page.press("#ticket_code", "Enter")
    page.wait_for_selector("#checkin-result .checkin-ok:not(.checkin-offline)")
    page.fill("#ticket_code", truc.ticket_code)
    page.press("#ticket_code", "Enter")  # 409 already checked in: the server's own red card
    page.wait_for_selector(
        "#checkin-result .checkin-refused:not(.checkin-offline)[data-result=already_checked_in]")

    def unreachable(route):
        if route.request.method == "POST":
            route.abort("internetdisconnected")
        else:
            route.continue_()

    page.route(f"{base}{DESK}", unreachable)
    assert "Lê Văn Dũng" in _scan(page, dung.ticket_code, "ok")
    page.wait_for_selector("#checkin-status[data-state=offline][data-queued='1']")
    # The same ticket that the server admitted a minute ago, now offline: this device remembers it.
    assert "ĐÃ VÀO LÚC" in _scan(page, truc.ticket_code, "already_checked_in").upper()
    page.unroute(f"{base}{DESK}")
    # The batch was never blocked: the periodic retry sends it.
    page.wait_for_selector("#checkin-status[data-queued='0'][data-state=online]", timeout=30_000)
    assert set(_checkins(db, venue["event"])) == {truc.id, dung.id}
    assert page.locator("#checkin-differ").is_hidden()
    context.close()


def test_signing_out_forgets_the_names_but_keeps_the_unsent_scans(browser, live, venue, db, size):
    """Staff sign out with a scan still queued: they are told so in words; then the kit (names,
    organizations) and the cached desk page leave the device, the queue stays, the desk's address shows
    nothing offline, and the scan goes to the server when staff sign in again."""
    _app, base = live
    shot = Screens(size)
    truc = venue["people"][0]
    context, page = _open_desk(browser, base, venue, size)
    kept = _kept(page)
    [kit] = kept["kits"]
    assert kit["slug"] == "offline-day" and "Nguyễn Thị Quý Trúc" in kit["names"]
    assert DESK in kept["caches"]["eventhub-checkin-shell-v1"]

    context.set_offline(True)
    page.wait_for_selector("#checkin-status[data-state=offline]")
    _scan(page, truc.ticket_code, "ok")
    # Back online, but the server does not take the batch yet: the scan stays queued.
    refused = []
    page.route(f"{base}{DESK}/batch", lambda route: (refused.append(1), route.abort("connectionrefused")))
    context.set_offline(False)
    for _ in range(300):  # the desk tries to send it as soon as the network is back
        if refused:
            break
        page.wait_for_timeout(100)
    assert refused
    page.wait_for_selector("#checkin-status[data-queued='1']")
    shot(page, "10 one scan queued before signing out")

    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    with page.expect_response(lambda r: r.url.endswith("/logout")) as logout:
        _sign_out(page)
    # The browser's HTTP cache too (a desk page kept there); "cache" leaves IndexedDB, so the queue, alone.
    assert logout.value.header_value("clear-site-data") == '"cache"'
    assert asked == ["1 lượt quét chưa được gửi lên máy chủ. Lượt quét này vẫn được giữ trên thiết bị và "
                     "sẽ được gửi khi nhân viên đăng nhập lại vào bàn check-in này. Vẫn đăng xuất?"]
    assert "/login" not in page.url and page.locator("#nav form[action='/logout']").count() == 0
    kept = _kept(page, until=lambda k: not k["kits"] and not k["caches"].get("eventhub-checkin-shell-v1"))
    assert kept["kits"] == []
    assert not any(name.startswith("eventhub-checkin-") for name in kept["caches"]), kept["caches"]
    [queued] = page.evaluate(READ_QUEUE)  # check-in data the server has not seen: kept
    assert queued["ticket_code"] == truc.ticket_code and queued["slug"] == "offline-day"
    assert truc.full_name not in str(queued)  # a ticket code, a time, a gate: no name
    shot(page, "11 signed out")

    context.set_offline(True)
    _offline_desk_shows_nothing(page, base, venue)
    shot(page, "12 the desk offline after signing out")

    context.set_offline(False)
    page.unroute(f"{base}{DESK}/batch")
    assert _checkins(db, venue["event"]) == {}
    sign_in(page, base, venue["staff"].email, PASSWORD)
    page.goto(f"{base}{DESK}")
    page.wait_for_selector("#checkin-status[data-kit-state=ready][data-queued='0'][data-state=online]",
                           timeout=30_000)
    [row] = _checkins(db, venue["event"]).values()
    assert row.registration_id == truc.id and row.gate == GATE
    assert row.checked_in_at == datetime.fromisoformat(queued["scanned_at"])
    context.close()


def test_the_service_worker_drops_the_desk_when_the_server_asks_to_sign_in(browser, live, venue, db):
    """The session ended without a signed-out page ever showing on this device (ended from another
    device, or expired) – so the page script that forgets the desk never ran: the service worker alone
    must not keep the desk once the network sends its request to the sign-in page."""
    _app, base = live
    context, page = _open_desk(browser, base, venue, "phone")
    assert DESK in _kept(page)["caches"]["eventhub-checkin-shell-v1"]
    page.route("**/static/js/checkin-forget.js*", lambda route: route.abort())
    context.clear_cookies()  # the session is gone
    page.goto(f"{base}{DESK}")
    assert "/login" in page.url
    kept = _kept(page, until=lambda k: DESK not in k["caches"].get("eventhub-checkin-shell-v1", []))
    assert DESK not in kept["caches"]["eventhub-checkin-shell-v1"]
    assert kept["kits"]  # (the page script's part, blocked here: this test is about the worker)
    context.set_offline(True)
    _offline_desk_shows_nothing(page, base, venue)
    context.close()


def test_a_timed_out_scan_that_the_server_recorded_is_not_a_disagreement(browser, live, venue, db):
    """The server records a scan but its answer comes after the desk's timeout: the desk decides offline
    and queues the scan as uncertain. When the batch goes, the server says "already in, at this same gate,
    a moment before" – that is the desk's own scan, not a person to follow up."""
    _app, base = live
    shot = Screens("desk")
    truc, dung = venue["people"][:2]
    context, page = _open_desk(browser, base, venue, "desk")
    answered_late = []

    def slow_answer(route):
        if route.request.method != "POST":
            route.continue_()
            return
        response = route.fetch()  # the scan reaches the server and is recorded…
        time.sleep(3.5)  # …but the answer comes after checkin-offline.js's 2.5 s
        answered_late.append(response.status)
        # The desk stopped waiting (its request was aborted): nobody may take the answer.
        with contextlib.suppress(PlaywrightError):
            route.fulfill(response=response)

    page.route(f"{base}{DESK}", slow_answer)
    assert "Nguyễn Thị Quý Trúc" in _scan(page, truc.ticket_code, "ok")
    assert answered_late == [200]
    [item] = page.evaluate(READ_QUEUE)
    assert item["uncertain"] is True and item["ticket_code"] == truc.ticket_code
    online = _checkins(db, venue["event"])[truc.id]  # what the server recorded meanwhile
    assert online.gate == GATE and online.checked_in_at < datetime.fromisoformat(item["scanned_at"])
    page.unroute(f"{base}{DESK}")

    # A scan that timed out for want of a network (never recorded): ok, and a real disagreement control.
    other = checkin.check_in(venue["event"], dung.ticket_code, gate="Cổng B")
    page.route(f"{base}{DESK}", lambda route: route.abort("internetdisconnected")
               if route.request.method == "POST" else route.continue_())
    assert "Lê Văn Dũng" in _scan(page, dung.ticket_code, "ok")
    page.unroute(f"{base}{DESK}")

    page.wait_for_selector("#checkin-status[data-queued='0'][data-state=online]", timeout=30_000)
    page.wait_for_selector("#checkin-differ li")
    items = page.locator("#checkin-differ li")
    assert items.count() == 1  # Dũng (let in at gate B before), not Trúc
    assert "Lê Văn Dũng" in items.inner_text() and "Cổng B" in items.inner_text()
    shot(page, "13 a timed-out scan the server recorded is not listed")
    found = _checkins(db, venue["event"])
    assert found[truc.id].checked_in_at == online.checked_in_at and found[truc.id].gate == GATE
    assert found[dung.id].checked_in_at == other.checked_in_at
    context.close()
