"""The desk's camera scanner (static/js/camera-scan.js with jsQR) in a real Chromium whose fake camera plays
a video of a ticket's QR code, drawn by the app's own QR code (eventhub/registration/qr.py, segno): the
code read is checked in once, however long the ticket stays in view, and a refusal shows red."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from eventhub.checkin.models import CheckIn
from eventhub.registration.qr import qr_png
from tests.factories import PASSWORD
from tests.support.browser import CHROMIUM

pytestmark = pytest.mark.slow  # a real browser

DESK = "/events/startup-week/checkin"
PHONE = {"width": 390, "height": 844}
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e"
WIDTH, HEIGHT = 640, 480  # the fake camera's picture
FPS = 10
WAIT = 60_000  # ms: the machine is shared, and jsQR reads every frame of a 640×480 video
# Longer than camera-scan.js's 4 s, which a ticket held in front of the camera outlasts.
STILL_IN_VIEW_MS = 6_000

# Records each code jsQR reads (wrapping the decoder the vendor script sets on `window`), so the test can
# wait until the scanner has seen a ticket for a while instead of sleeping.
COUNT_READS = """(() => {
  let decode;
  window.__reads = [];
  Object.defineProperty(window, "jsQR", { configurable: true,
    get() { return decode; },
    set(real) {
      decode = function () {
        const found = real.apply(this, arguments);
        if (found && found.data) { window.__reads.push({ code: found.data, at: performance.now() }); }
        return found;
      };
    } });
})();"""


def qr_frame(code: str) -> Image.Image:
    """A white 640×480 picture with the ticket's QR code in the middle, as large as fits with a wide
    quiet zone around it."""
    qr = Image.open(io.BytesIO(qr_png(code, scale=1))).convert("L")  # one pixel per module, border 2
    scale = (HEIGHT - 80) // qr.height
    qr = qr.resize((qr.width * scale, qr.height * scale), Image.NEAREST)
    frame = Image.new("L", (WIDTH, HEIGHT), 255)
    frame.paste(qr, ((WIDTH - qr.width) // 2, (HEIGHT - qr.height) // 2))
    return frame


def write_y4m(path: Path, scenes: list[tuple[Image.Image, int]]) -> Path:
    """A YUV4MPEG2 (4:2:0) video of `scenes`: each picture shown for its number of frames; Chromium's fake
    camera plays it in a loop."""
    with path.open("wb") as out:
        out.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F{FPS}:1 Ip A1:1 C420jpeg\n".encode())
        for picture, frames in scenes:
            y, cb, cr = picture.convert("RGB").convert("YCbCr").split()
            half = (WIDTH // 2, HEIGHT // 2)
            planes = y.tobytes() + cb.resize(half, Image.BOX).tobytes() + cr.resize(half, Image.BOX).tobytes()
            for _ in range(frames):
                out.write(b"FRAME\n" + planes)
    return path


@pytest.fixture
def camera(browser, live_url, tmp_path):
    """`open_desk(user, scenes)`: the desk at a phone's size, signed in as `user`, in a Chromium of its own
    whose camera plays `scenes`; returns the page and the bodies it POSTs. The browsers are closed after."""
    launched = []

    def open_desk(user, scenes):
        video = write_y4m(tmp_path / f"camera-{len(launched)}.y4m", scenes)
        # The session's Playwright: a second sync_playwright() cannot start in this thread.
        chromium = browser.browser_type.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-dev-shm-usage", "--use-fake-ui-for-media-stream",
                  "--use-fake-device-for-media-stream", f"--use-file-for-fake-video-capture={video}"])
        launched.append(chromium)
        context = chromium.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="vi-VN")
        context.grant_permissions(["camera"], origin=live_url)
        context.set_default_timeout(WAIT)
        page = context.new_page()
        page.add_init_script(COUNT_READS)
        page.goto(f"{live_url}/login")
        page.fill("input[name=email]", user.email)
        page.fill("input[name=password]", PASSWORD)
        page.click("form:has([name=password]) button[type=submit]")
        page.wait_for_load_state()
        assert "/login" not in page.url
        page.goto(f"{live_url}{DESK}")
        posts = []  # the body of each POST the page sends (whatever its form: multipart, JSON)
        page.on("request", lambda r: posts.append(r.post_data or "") if r.method == "POST" else None)
        return page, posts

    yield open_desk
    for chromium in launched:
        chromium.close()


def _times_posted(posts: list[str], code: str) -> int:
    return sum(code in body for body in posts)


def _start_camera(page):
    page.click("#camera-toggle")
    page.wait_for_function("() => { const v = document.querySelector('#camera-view');"
                           " return !v.hidden && v.readyState >= 2 && v.videoWidth === 640; }")


def _wait_until_seen_for(page, code: str, ms: int):
    """Until the scanner has been reading `code` for `ms` (the first read to the latest)."""
    page.wait_for_function("""([code, ms]) => { const at = window.__reads.filter(r => r.code === code)
        .map(r => r.at); return at.length > 1 && at[at.length - 1] - at[0] >= ms; }""", arg=[code, ms])


def _checkins(db, reg) -> list[CheckIn]:
    db.session.expire_all()
    db.session.rollback()  # a new transaction: the live server's writes are visible
    return list(db.session.scalars(db.select(CheckIn).where(CheckIn.registration_id == reg.id,
                                                            CheckIn.undone_at.is_(None))))


def test_a_ticket_held_to_the_camera_is_checked_in_once(db, gate, accounts, at_the_event, camera):
    truc = gate["truc"]
    page, posts = camera(accounts["event_staff"], [(qr_frame(truc.ticket_code), 5)])
    _start_camera(page)

    card = page.wait_for_selector(".checkin-ok")
    assert "Đã check-in" in card.text_content()  # shown in capitals (CSS)
    assert page.locator(".checkin-ok .checkin-name").inner_text() == "Nguyễn Thị Quý Trúc"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "camera-scan-phone.png"), full_page=True)
    [row] = _checkins(db, truc)
    assert (row.event_id, row.staff_id) == (gate["event"].id, accounts["event_staff"].id)

    # The ticket stays in front of the camera: no second post, which would turn the card red
    # ("already entered") while the person walks in.
    _wait_until_seen_for(page, truc.ticket_code, STILL_IN_VIEW_MS)
    assert _times_posted(posts, truc.ticket_code) == 1, posts
    assert page.locator("#checkin-result .checkin-ok").count() == 1
    assert page.locator("#checkin-result .checkin-refused").count() == 0
    assert len(_checkins(db, truc)) == 1

    # The field has the focus again for the next scan, but while the camera runs the phone's keyboard
    # must not open over its picture; once the camera stops, the field types as before.
    assert page.evaluate("document.activeElement.id") == "ticket_code"
    assert page.get_attribute("#ticket_code", "inputmode") == "none"
    page.click("#camera-toggle")
    page.wait_for_selector("#camera-view", state="hidden")
    assert page.get_attribute("#ticket_code", "inputmode") is None


def test_the_scanner_goes_on_to_the_next_ticket(db, gate, accounts, at_the_event, camera):
    truc, dung = gate["truc"], gate["dung"]
    # Two tickets in turn, a second each, again and again: each is checked in once.
    page, posts = camera(accounts["event_staff"],
                         [(qr_frame(truc.ticket_code), 10), (qr_frame(dung.ticket_code), 10)])
    _start_camera(page)

    for reg in (truc, dung):
        _wait_until_seen_for(page, reg.ticket_code, STILL_IN_VIEW_MS)
    page.wait_for_function("() => ['Nguyễn Thị Quý Trúc', 'Lê Văn Dũng'].every(name =>"
                           " document.querySelector('#checkin-recent').innerText.includes(name))")
    assert [_times_posted(posts, reg.ticket_code) for reg in (truc, dung)] == [1, 1], posts
    assert len(_checkins(db, truc)) == 1 and len(_checkins(db, dung)) == 1
    assert page.locator("#checkin-result .checkin-refused").count() == 0
    assert page.locator("#checkin-recent").inner_text().count("Lê Văn Dũng") == 1


def test_another_events_ticket_gets_a_red_card(db, gate, accounts, other_event, at_the_event, camera):
    nam = other_event["reg"]
    page, posts = camera(accounts["event_staff"], [(qr_frame(nam.ticket_code), 5)])
    _start_camera(page)

    card = page.wait_for_selector(".checkin-refused[data-result=wrong_event]")
    text = card.text_content()
    assert "Sai sự kiện" in text and "Ngày hội Trí tuệ nhân tạo Việt Nam" in text
    assert "Đặng Hoài Nam" not in text  # who they are stays with their own event's staff
    background = page.evaluate("getComputedStyle(document.querySelector('.checkin-refused')).backgroundImage")
    assert "rgb(176, 42, 55)" in background  # red stripes
    assert _times_posted(posts, nam.ticket_code) == 1, posts
    assert _checkins(db, nam) == []


def test_codes_named_like_an_objects_own_keys_are_scanned_too(db, gate, accounts, at_the_event, camera):
    """camera-scan.js remembers codes in a Map: with an object, "__proto__" and "constructor" were taken
    for codes already in view and never submitted. Not tickets: each gets a red card, posted once."""
    page, posts = camera(accounts["event_staff"],
                         [(qr_frame("__proto__"), 10), (qr_frame("constructor"), 10)])
    _start_camera(page)

    for code in ("__proto__", "constructor"):
        _wait_until_seen_for(page, code, STILL_IN_VIEW_MS)
    page.wait_for_function("() => document.querySelector('#checkin-result [data-result=invalid_ticket]')")
    assert [_times_posted(posts, code) for code in ("__proto__", "constructor")] == [1, 1], posts
