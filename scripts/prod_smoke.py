"""The production smoke test over HTTP: `python scripts/prod_smoke.py http://127.0.0.1:PORT`.

Run by scripts/prod_smoke.sh against gunicorn serving the demo from a venv with the production extras
only, so it uses the standard library alone. It checks what a first morning in production touches: the
main pages, a registration through the API, its badge, a check-in, a certificate template preview and
the summary report PDF. Every request says what it expected; each group of checks runs even when an
earlier one failed, so one run shows everything a production install breaks (exit 1 if anything did).

Production marks the session cookie `Secure`; browsers still send such cookies to a loopback address
(they treat http://127.0.0.1 as a secure context), but http.cookiejar does not. The one check that needs
a signed-in session (the certificate editor has no API) therefore uses a cookie policy that does what a
browser does for loopback hosts and nothing more; everything else uses an API token.
"""

from __future__ import annotations

import html.parser
import http.cookiejar
import json
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import UTC, datetime, timedelta

ORGANIZER = ("truc.ptq@eventhub.demo", "demo1234")  # the README's demo organizer
REPORT_EVENT = "startup-week-2020"  # a demo event with registrations and check-ins
LOOPBACK = {"127.0.0.1", "localhost", "[::1]", "::1"}


class LoopbackSecureCookies(http.cookiejar.DefaultCookiePolicy):
    """Sends `Secure` cookies to a loopback address over http, as browsers do; elsewhere the default."""

    def return_ok_secure(self, cookie, request):
        host = urllib.parse.urlsplit(request.get_full_url()).hostname or ""
        return host in LOOPBACK or super().return_ok_secure(cookie, request)


class Failed(Exception):
    pass


class Client:
    def __init__(self, base: str):
        self.base = base.rstrip("/")
        self.jar = http.cookiejar.CookieJar(policy=LoopbackSecureCookies())
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.token: str | None = None

    def request(self, method: str, path: str, *, json_body=None, form=None, headers=None, timeout=120):
        data, sent = None, dict(headers or {})
        if json_body is not None:
            data, sent["Content-Type"] = json.dumps(json_body).encode(), "application/json"
        elif form is not None:
            data = urllib.parse.urlencode(form, doseq=True).encode()
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        if self.token and path.startswith("/api/"):
            sent["Authorization"] = f"Bearer {self.token}"
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=sent)
        try:
            with self.opener.open(req, timeout=timeout) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.headers, exc.read()

    def expect(self, method: str, path: str, status: int, *, content_type: str, **kw) -> bytes:
        started = time.monotonic()
        got, headers, body = self.request(method, path, **kw)
        kind = headers.get("Content-Type", "")
        if got != status or not kind.startswith(content_type):
            raise Failed(f"{method} {path}: expected {status} {content_type}, got {got} {kind}: "
                         f"{body[:600].decode('utf-8', 'replace')}")
        print(f"ok   {method} {path} → {got} {content_type} ({len(body):,} bytes, "
              f"{time.monotonic() - started:.2f} s)")
        return body

    def json(self, method: str, path: str, status: int, **kw) -> dict:
        return json.loads(self.expect(method, path, status, content_type="application/json", **kw))

    def pdf(self, path: str, **kw) -> bytes:
        body = self.expect("GET", path, 200, content_type="application/pdf", **kw)
        if not body.startswith(b"%PDF-") or b"%%EOF" not in body[-1024:]:
            raise Failed(f"GET {path}: not a whole PDF")
        return body


class FormReader(html.parser.HTMLParser):
    """The fields of the form with id `form_id` (None: of every form), as a browser would send them."""

    def __init__(self, form_id: str | None):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.fields = form_id, False, []
        self._textarea: str | None = None
        self._select: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = self.form_id is None or a.get("id") == self.form_id
        if not self.inside:
            return
        if tag == "input" and a.get("name") and a.get("type", "text") not in {"submit", "button", "file"}:
            if a.get("type") not in {"checkbox", "radio"} or "checked" in a:
                self.fields.append((a["name"], a.get("value", "")))
        elif tag == "textarea":
            self._textarea, self._text = a.get("name"), []
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select and "selected" in a:
            self.fields.append((self._select, a.get("value", "")))

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self._textarea is not None:
            # The HTML parser keeps the newline browsers drop right after <textarea>.
            self.fields.append((self._textarea, "".join(self._text).removeprefix("\n")))
            self._textarea = None
        elif tag == "select":
            self._select = None


def wait_until_up(client: Client, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            status, _headers, _body = client.request("GET", "/healthz", timeout=5)
            if status == 200:
                return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise Failed(f"the server did not answer /healthz within {seconds:.0f} s")
        time.sleep(0.5)


def pages(client: Client) -> None:
    """The main pages, signed out, in both languages; the copied front-end files; the API's description."""
    for path in ("/", f"/events/{REPORT_EVENT}", "/login", "/signup", "/password/forgot", "/?lang=en"):
        client.expect("GET", path, 200, content_type="text/html")
    client.expect("GET", "/static/vendor/bootstrap/bootstrap.min.css", 200, content_type="text/css")
    client.json("GET", "/api/v1/openapi.json", 200)


def registration_badge_checkin(client: Client) -> None:
    """An event of its own (the demo's dates age), a type, a registration by anyone, its badge, a scan."""
    slug = f"smoke-{int(time.time())}"
    starts = (datetime.now(UTC) + timedelta(days=30)).replace(microsecond=0)
    client.json("POST", "/api/v1/events", 201, json_body={
        "slug": slug, "name": "Smoke test – Ngày hội khởi nghiệp", "kind": "other",
        "starts_at": starts.isoformat(), "ends_at": (starts + timedelta(hours=8)).isoformat(),
        "venue": "Nhà Văn hóa Thanh niên"})
    client.json("PATCH", f"/api/v1/events/{slug}", 200, json_body={"registration_open": True})
    client.json("POST", f"/api/v1/events/{slug}/registration-types", 201, json_body={
        "code": "visitor", "name": "Khách tham quan", "capacity": 10, "waitlist": False,
        "requires_approval": False})
    token, client.token = client.token, None  # a visitor registers without any token
    try:
        registration = client.json("POST", f"/api/v1/events/{slug}/registrations", 201, json_body={
            "type": "visitor", "full_name": "Nguyễn Thị Thu Thảo", "email": "thao.smoke@example.vn",
            "consent": True})
    finally:
        client.token = token
    if registration.get("status") != "confirmed" or not registration.get("ticket_code"):
        raise Failed(f"the registration is not confirmed with a ticket: {registration}")
    client.pdf(f"/api/v1/registrations/{registration['id']}/badge.pdf")
    checkin = client.json("POST", f"/api/v1/events/{slug}/checkins", 201,
                          json_body={"ticket_code": registration["ticket_code"], "gate": "Cổng A"})
    if checkin.get("result") != "ok":
        raise Failed(f"the check-in: {checkin}")
    client.json("GET", f"/api/v1/events/{slug}/stats", 200)


def summary_report(client: Client) -> None:
    """The summary report of a demo event with data, as the API serves it."""
    client.json("GET", f"/api/v1/events/{REPORT_EVENT}/report", 200)
    client.pdf(f"/api/v1/events/{REPORT_EVENT}/report.pdf")


def sign_in(client: Client) -> None:
    """The organizer signs in through the form (CSRF token and all): a session cookie over loopback http."""
    csrf = login_form_token(client.expect("GET", "/login", 200, content_type="text/html").decode())
    page = client.expect("POST", "/login", 200, content_type="text/html",
                         form={"csrf_token": csrf, "email": ORGANIZER[0], "password": ORGANIZER[1]})
    if b'action="/logout"' not in page:
        raise Failed("the organizer is not signed in after the sign-in form")


def organizer_pages(client: Client) -> None:
    """Pages for organizers, with the session: the event's page, the report page and its PDF."""
    client.expect("GET", f"/events/{REPORT_EVENT}/manage", 200, content_type="text/html")
    client.expect("GET", f"/events/{REPORT_EVENT}/report", 200, content_type="text/html")
    client.pdf(f"/events/{REPORT_EVENT}/report.pdf")


def certificate_preview(client: Client) -> None:
    """The certificate editor (no API), its form as the page has it, its preview as a PDF."""
    editor = f"/events/{REPORT_EVENT}/certificates/templates/participation"
    page = client.expect("GET", editor, 200, content_type="text/html").decode()
    if 'id="template-form"' not in page:
        raise Failed(f"{editor}: not the template editor (is the organizer signed in?)")
    reader = FormReader("template-form")
    reader.feed(page)
    if not any(name == "html" and value.strip() for name, value in reader.fields):
        raise Failed(f"{editor}: no template text in the editor's form")
    body = client.expect("POST", editor + "/preview", 200, content_type="application/pdf", form=reader.fields)
    if not body.startswith(b"%PDF-"):
        raise Failed("the certificate preview is not a PDF")


CHECKS = (pages, registration_badge_checkin, summary_report, sign_in, organizer_pages, certificate_preview)


def main(base: str) -> list[str]:
    """Runs every check (one failing does not hide the others); returns the failures."""
    client = Client(base)
    wait_until_up(client)
    health = client.json("GET", "/healthz", 200)
    if health.get("status") != "ok":
        raise Failed(f"/healthz: {health}")
    client.token = client.json("POST", "/api/v1/auth/tokens", 201,
                               json_body={"email": ORGANIZER[0], "password": ORGANIZER[1]})["token"]
    failures = []
    for check in CHECKS:
        try:
            check(client)
        except Failed as exc:
            print(f"FAIL {check.__name__}: {exc}", file=sys.stderr)
            failures.append(check.__name__)
    return failures


def login_form_token(page: str) -> str:
    reader = FormReader(None)
    reader.feed(page)
    for name, value in reader.fields:
        if name == "csrf_token" and value:
            return value
    raise Failed("no CSRF token on the sign-in page")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__.splitlines()[0])
    began = time.monotonic()
    try:
        failed = main(sys.argv[1])
    except Failed as exc:
        failed = [str(exc)]
    if failed:
        print(f"smoke test FAILED ({', '.join(failed)}) in {time.monotonic() - began:.1f} s", file=sys.stderr)
        raise SystemExit(1)
    print(f"smoke test passed ({len(CHECKS)} checks) in {time.monotonic() - began:.1f} s")
